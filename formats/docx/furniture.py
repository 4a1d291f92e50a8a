"""Everything around the leaflet's blocks: the page, the title block, the panel, header and footer.

Also the document's own parts: our styles, numbering and settings in place of
python-docx's template, and the core properties a file manager or a library
catalogue shows.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Twips

from .. import typography
from ..shared import (
    EDITION_NAMES, PAGE_OF, PANEL_HEADING, detail_fields, draft_lines, footer_fields, logo_alt,
    panel_entries,
)
from . import oxml, pictures, styles
from .inlines import NBSP
from .oxml import element, properties, put

if TYPE_CHECKING:
    from . import DocxWriter

FOOTER_SEPARATOR = " \u00b7 "  # a middle dot between single spaces
FURNITURE_DISTANCE_TWIPS = 567  # header and footer 1 cm from the edge of the page
CHAR_WIDTH_EM = 0.6  # a generous average letter width, to count a footer's wrapped lines


def replace_template_parts(writer: DocxWriter) -> None:
    """Our styles, numbering and settings in place of python-docx's template's."""
    part = writer.part
    part._styles_part._element = styles.styles_xml(writer.look)
    part.numbering_part._element = styles.numbering_xml(writer.look)
    part._settings_part._element = styles.settings_xml(writer.lang)
    oxml.drop_template_parts(writer.document)


def page_setup(writer: DocxWriter) -> None:
    section = writer.document.sections[0]
    section.page_width, section.page_height = (Twips(v) for v in styles.A4_TWIPS)
    for side in ("top_margin", "left_margin", "right_margin"):
        setattr(section, side, Twips(styles.MARGIN_TWIPS))
    section.header_distance = section.footer_distance = Twips(FURNITURE_DISTANCE_TWIPS)
    section.bottom_margin = Twips(footer_height(writer))
    if writer.options.draft:
        banner_lines = len(draft_lines(writer.leaflet, writer.options))
        needed = FURNITURE_DISTANCE_TWIPS + round((banner_lines * 1.3 + 1.5) * writer.look.size
                                                  * 20)
        section.top_margin = Twips(max(styles.MARGIN_TWIPS, needed))
    sect_pr = section._sectPr
    for name in list(sect_pr.attrib):
        del sect_pr.attrib[name]  # the template's revision ids
    if writer.rtl:
        put(sect_pr, "w:bidi")


def footer_height(writer: DocxWriter) -> int:
    """The bottom margin: the footer distance, then room for every line
    the footer really takes at its size (its paragraphs, each wrapped at
    the text width) and a gap, so that the body never runs into it."""
    size = footer_size(writer)
    text_width_pt = styles.TEXT_WIDTH_TWIPS / 20
    texts = footer_texts(writer)
    lines = sum(max(1, math.ceil(len(text) * size * CHAR_WIDTH_EM / text_width_pt))
                for text in texts)
    line_pt = size * typography.line_height_em(writer.lang) * styles.line_240ths(writer.look) / 240
    needed_pt = lines * line_pt + len(texts) * writer.look.twips(0.1) / 20 + size * 0.6
    return max(styles.MARGIN_TWIPS, FURNITURE_DISTANCE_TWIPS + math.ceil(needed_pt * 20))


def footer_size(writer: DocxWriter) -> float:
    """The footer's text size in points (its style's w:sz): the body size,
    never under the 12 pt clear print minimum the PDF keeps."""
    return writer.look.pt(1) / 2


def footer_texts(writer: DocxWriter) -> list[str]:
    """The footer's paragraphs as text, the page numbers at their widest.

    Large print and easy read have only "Page N of M" and the leaflet
    code, which fit at any size up to 48 pt; the other details are at the
    end of the document (as in the large print PDF)."""
    pages = page_words(writer).replace("{page}", "888").replace("{pages}", "888")
    if not writer.look.large:
        return [footer_details(writer), pages]
    return [pages, *(_labelled(writer, label, value) for label, value in footer_code(writer))]


def _labelled(writer: DocxWriter, label: str, value: str) -> str:
    return typography.labelled(label, value, writer.leaflet.meta.language)


def footer_code(writer: DocxWriter) -> list[tuple[str, str]]:
    code = writer.leaflet.meta.code
    return [(label, value) for label, value in footer_fields(writer.leaflet, writer.options)
            if code and value == code][:1]


def page_words(writer: DocxWriter) -> str:
    words = writer._(PAGE_OF)
    if "{page}" not in words or "{pages}" not in words:
        words = PAGE_OF
    return words


def footer_details(writer: DocxWriter) -> str:
    """The details on one line, one separator between them (Word's checker
    flags runs of spaces); each detail is held together by no-break
    spaces, so that a line wraps between details, never leaving "2027"
    on a line of its own."""
    return FOOTER_SEPARATOR.join(_labelled(writer, label, value).replace(" ", NBSP)
                                 for label, value in footer_fields(writer.leaflet, writer.options))


def core_properties(writer: DocxWriter) -> None:
    meta = writer.leaflet.meta
    core = writer.document.core_properties
    core.title = meta.title
    core.subject = meta.subtitle
    core.author = meta.organisation
    core.last_modified_by = meta.organisation
    core.comments = meta.subtitle or meta.title
    core.keywords = ", ".join(filter(None, (meta.title, meta.code)))
    core.category = writer._(EDITION_NAMES.get(writer.options.edition, "Standard print"))
    core.language = writer.lang
    core.identifier = meta.code
    core.version = meta.version
    core.content_status = "Draft" if writer.options.draft else ""
    core.revision = 1
    core.created = core.modified = writer.options.source_date
    for rel in writer.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = oxml.app_properties(meta.organisation, meta.owner,
                                                        meta.online)


def draft_banner(writer: DocxWriter, container) -> None:
    lines = draft_lines(writer.leaflet, writer.options)
    for number, line in enumerate(lines):
        english = number == 0 and len(lines) > 1
        paragraph = writer.paragraph(container, "DraftBanner", bidi=False if english else None)
        if english:
            writer.text(paragraph._p, line, lang=styles.lang_for("en-GB"), rtl=False)
        else:
            writer.text(paragraph._p, line)


def title_block(writer: DocxWriter) -> None:
    meta, document = writer.leaflet.meta, writer.document
    # The title comes first: a screen reader announces it first, and
    # readers such as pandoc take a leading Title and Subtitle as metadata.
    with writer.kept(meta, "title"):
        writer.text(writer.paragraph(document, "Title")._p, meta.title)
    if meta.subtitle:
        with writer.kept(meta, "subtitle"):
            writer.text(writer.paragraph(document, "Subtitle")._p, meta.subtitle)
    # A draft's banner is in the page header on every page, but screen
    # readers, Read Aloud and the navigation pane skip headers: so it is
    # also in the body, straight after the title, before anything to read.
    draft_banner(writer, document)
    if writer.options.edition != "standard":
        name = writer._(EDITION_NAMES.get(writer.options.edition, writer.options.edition))
        writer.text(writer.paragraph(document, "EditionName")._p, name)
    writer.text(writer.paragraph(document, "Organisation")._p, meta.organisation)
    found = pictures.logo(writer.options.assets, writer.options.theme)
    if found:  # the hospital's logo under its name, described for screen readers
        run = writer.paragraph(document, "Picture").add_run()
        alt, _lang = logo_alt(writer.options, meta)  # a picture's description has no w:lang
        oxml.describe_picture(run.add_picture(found[0], width=found[1])._inline, alt)


def panel(writer: DocxWriter) -> None:
    """The "also available in other languages and formats" panel, each
    language named in its own language and script."""
    document = writer.document
    writer.text(writer.paragraph(document, "Heading1")._p, writer._(PANEL_HEADING))
    for lang, name, direction, editions in panel_entries(writer.options):
        paragraph = writer.paragraph(document, "ListBullet")
        numpr = put(properties(paragraph._p, "w:pPr"), "w:numPr")
        numpr.append(element("w:ilvl", w_val=0))
        numpr.append(element("w:numId", w_val=styles.BULLET_NUM_ID))
        rtl = direction == "rtl"
        writer.text(paragraph._p, name, lang=styles.lang_for(lang, rtl), rtl=rtl,
                    fonts=styles.fonts_for(lang))
        writer.text(paragraph._p, writer.colon + typography.list_separator(writer.lang).join(editions))
    if writer.leaflet.meta.requests:
        writer.inlines(writer.paragraph(document)._p, writer.leaflet.meta.requests)


def page_header(writer: DocxWriter) -> None:
    if not writer.options.draft:
        return
    header = writer.document.sections[0].header
    header.is_linked_to_previous = False
    template_paragraph = header.paragraphs[0]._p
    draft_banner(writer, header)
    template_paragraph.getparent().remove(template_paragraph)


def page_footer(writer: DocxWriter) -> None:
    footer = writer.document.sections[0].footer
    footer.is_linked_to_previous = False
    template_paragraph = footer.paragraphs[0]._p
    if not writer.look.large:
        writer.text(writer.paragraph(footer, "Footer")._p, footer_details(writer))
    pages = writer.paragraph(footer, "Footer")._p
    for piece in re.split(r"(\{page\}|\{pages\})", page_words(writer)):
        if piece in ("{page}", "{pages}"):
            instruction = "PAGE" if piece == "{page}" else "NUMPAGES"
            for run in oxml.field_runs(instruction, "1", lang=writer.run_lang):
                pages.append(run)
        elif piece:
            writer.text(pages, piece)
    if writer.look.large:
        for label, value in footer_code(writer):
            writer.text(writer.paragraph(footer, "Footer")._p, _labelled(writer, label, value))
    template_paragraph.getparent().remove(template_paragraph)


def leaflet_details(writer: DocxWriter) -> None:
    """At the end of the document: the leaflet's owner and online address, and in
    large print and easy read the details their short footer leaves out."""
    meta = writer.leaflet.meta
    fields = detail_fields(writer.leaflet, writer.options)
    if not writer.look.large:  # the page footer has the rest
        fields = fields[len(footer_fields(writer.leaflet, writer.options)):]
    else:
        writer.text(writer.paragraph(writer.document)._p, meta.organisation, bold=True)
    for label, value in fields:
        paragraph = writer.paragraph(writer.document)._p
        if value == meta.online:
            writer.text(paragraph, _labelled(writer, label, ""))
            writer.address(paragraph, value)
        else:
            writer.text(paragraph, _labelled(writer, label, value))
