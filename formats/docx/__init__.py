"""DOCX (standard, large print, easy read): a real Word document with named styles.

Staff open the DOCX to adjust a copy for one patient, so it is built from the
model as Word structure (Title, Heading 1-3, List Bullet/Number, a contacts
table with a repeating header row, real hyperlinks, alt text), never as a
picture of the PDF.  Everything a reader sees comes from a named style
(``styles.py``); what python-docx has no API for is written as WordprocessingML
in the schema's order (``oxml.py``); tables and easy read rows are in
``tables.py``.
"""

from __future__ import annotations

import io
import math
import re
from xml.sax.saxutils import escape

import docx
import phonenumbers
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Twips

from leaflet.model import (
    Block, Callout, Contacts, Email, Emphasis, Figure, Heading, Inline, Leaflet, LineBreak,
    Link, List, Paragraph, Phone, Row, Strong, Table, Text, walk,
)

from ..options import WriterOptions
from ..shared import (
    EDITION_NAMES, N_, PANEL_HEADING, draft_lines, footer_fields, list_separator, panel_entries,
)
from . import oxml, pictures, styles, tables
from .oxml import element, properties, put

PAGE_OF = N_("Page {page} of {pages}")
CALLOUT_LABELS = {"info": N_("Note"), "warning": N_("Warning"), "urgent": N_("Urgent")}
NBSP = "\u00a0"
FURNITURE_DISTANCE_TWIPS = 567  # header and footer 1 cm from the edge of the page
CHAR_WIDTH_EM = 0.6  # a generous average letter width, to count a footer's wrapped lines

# Inside right-to-left text, a stretch of Latin letters and digits ("9am to
# 8pm", "Herceptin") gets its own run without w:rtl, so that Word lays it out
# left to right in the Latin font.
LTR_STRETCH = re.compile(r"[A-Za-z0-9\u00c0-\u024f](?:[A-Za-z0-9\u00c0-\u024f .,:/%+\-]*"
                         r"[A-Za-z0-9\u00c0-\u024f%])?")


def write(leaflet: Leaflet, options: WriterOptions) -> bytes:
    return _DocxWriter(leaflet, options).render()


class _DocxWriter:
    def __init__(self, leaflet: Leaflet, options: WriterOptions):
        self.leaflet, self.options = leaflet, options
        self._ = options.gettext
        meta = leaflet.meta
        self.lang = meta.language
        self.rtl = meta.direction == "rtl"
        self.look = styles.Look(size=options.size, large=options.edition != "standard",
                                rtl=self.rtl, lang=self.lang, colours=options.theme.colours)
        self.run_lang = styles.lang_for(self.lang, self.rtl)
        self.document = docx.Document()
        self.part = self.document.part
        self.anchors = internal_anchors(leaflet)
        self.bookmarks = 0

    # The whole document -----------------------------------------------------

    def render(self) -> bytes:
        self.replace_template_parts()
        self.page_setup()
        self.title_block()
        self.blocks(self.document, self.leaflet.blocks)
        self.panel()
        self.leaflet_details()
        self.page_header()
        self.page_footer()
        self.core_properties()
        buffer = io.BytesIO()
        self.document.save(buffer)
        return oxml.restamp_zip(buffer.getvalue(), self.options.source_date)

    def replace_template_parts(self) -> None:
        part = self.part
        part._styles_part._element = styles.styles_xml(self.look)
        part.numbering_part._element = styles.numbering_xml(self.look)
        part._settings_part._element = styles.settings_xml(self.lang)
        oxml.drop_template_parts(self.document)

    def page_setup(self) -> None:
        section = self.document.sections[0]
        section.page_width, section.page_height = (Twips(v) for v in styles.A4_TWIPS)
        for side in ("top_margin", "left_margin", "right_margin"):
            setattr(section, side, Twips(styles.MARGIN_TWIPS))
        section.header_distance = section.footer_distance = Twips(FURNITURE_DISTANCE_TWIPS)
        section.bottom_margin = Twips(self.footer_height())
        if self.options.draft:
            banner_lines = len(draft_lines(self.leaflet, self.options))
            needed = FURNITURE_DISTANCE_TWIPS + round((banner_lines * 1.3 + 1.5) * self.look.size
                                                      * 20)
            section.top_margin = Twips(max(styles.MARGIN_TWIPS, needed))
        sect_pr = section._sectPr
        for name in list(sect_pr.attrib):
            del sect_pr.attrib[name]  # the template's revision ids
        if self.rtl:
            put(sect_pr, "w:bidi")

    def footer_height(self) -> int:
        """The bottom margin: the footer distance, then room for every line
        the footer really takes at its size (its paragraphs, each wrapped at
        the text width) and a gap, so that the body never runs into it."""
        size = self.footer_size()
        text_width_pt = styles.TEXT_WIDTH_TWIPS / 20
        lines = sum(max(1, math.ceil(len(text) * size * CHAR_WIDTH_EM / text_width_pt))
                    for text in self.footer_texts())
        line_pt = size * styles.line_height_em(self.lang) * styles.line_240ths(self.look) / 240
        paragraphs = len(self.footer_texts())
        needed_pt = lines * line_pt + paragraphs * self.look.twips(0.1) / 20 + size * 0.6
        return max(styles.MARGIN_TWIPS, FURNITURE_DISTANCE_TWIPS + math.ceil(needed_pt * 20))

    def footer_size(self) -> float:
        """The footer's text size in points (its style's w:sz)."""
        return self.look.pt(0.85) / 2

    def footer_texts(self) -> list[str]:
        """The footer's paragraphs as text, the page numbers at their widest.

        Large print and easy read have only "Page N of M" and the leaflet
        code, which fit at any size up to 48 pt; the other details are at the
        end of the document (as in the large print PDF)."""
        pages = self.page_words().replace("{page}", "888").replace("{pages}", "888")
        if not self.look.large:
            return [self.footer_details(), pages]
        return [pages, *(f"{label}: {value}" for label, value in self.footer_code())]

    def footer_code(self) -> list[tuple[str, str]]:
        code = self.leaflet.meta.code
        return [(label, value) for label, value in footer_fields(self.leaflet, self.options)
                if code and value == code][:1]

    def page_words(self) -> str:
        words = self._(PAGE_OF)
        if "{page}" not in words or "{pages}" not in words:
            words = PAGE_OF
        return words

    def footer_details(self) -> str:
        return "  \u00b7  ".join(f"{label}: {value}" for label, value
                                 in footer_fields(self.leaflet, self.options))

    def core_properties(self) -> None:
        meta = self.leaflet.meta
        core = self.document.core_properties
        core.title = meta.title
        core.subject = meta.subtitle
        core.author = meta.organisation
        core.last_modified_by = meta.organisation
        core.comments = meta.subtitle or meta.title
        core.keywords = ", ".join(filter(None, (meta.title, meta.code)))
        core.category = self._(EDITION_NAMES.get(self.options.edition, "Standard print"))
        core.language = self.lang
        core.identifier = meta.code
        core.version = meta.version
        core.content_status = "Draft" if self.options.draft else ""
        core.revision = 1
        core.created = core.modified = self.options.source_date
        for rel in self.part.package.rels.values():
            if rel.reltype == RT.EXTENDED_PROPERTIES:
                rel.target_part._blob = app_properties(meta.organisation)

    # Paragraphs and runs ----------------------------------------------------

    def paragraph(self, container, style: str = "Normal", *, bidi: bool | None = None):
        """A new paragraph in a named style; right-to-left when the leaflet is."""
        paragraph = container.add_paragraph()
        ppr = properties(paragraph._p, "w:pPr")
        if style != "Normal":
            put(ppr, "w:pStyle", w_val=style)
        bidi = self.rtl if bidi is None else bidi
        if bidi:
            put(ppr, "w:bidi")
        elif self.rtl:
            put(ppr, "w:bidi", w_val=0)  # a left-to-right line in a right-to-left leaflet
        return paragraph

    def text(self, target, text: str, *, bold: bool = False, italic: bool = False,
             style: str = "", lang: dict[str, str] | None = None, rtl: bool | None = None,
             fonts: dict[str, str] | None = None) -> None:
        lang = lang or self.run_lang
        rtl = self.rtl if rtl is None else rtl
        props = dict(bold=bold, italic=italic, style=style, lang=lang, fonts=fonts)
        if not rtl:
            target.append(oxml.text_run(text, **props))
            return
        position = 0
        for match in LTR_STRETCH.finditer(text):
            if match.start() > position:
                target.append(oxml.text_run(text[position:match.start()], rtl=True, **props))
            target.append(oxml.text_run(match.group(), **props))
            position = match.end()
        if position < len(text):
            target.append(oxml.text_run(text[position:], rtl=True, **props))

    def inlines(self, target, nodes: tuple[Inline, ...], *, bold: bool = False,
                italic: bool = False, link: bool = False) -> None:
        style = "Hyperlink" if link else ""
        for node in nodes:
            if isinstance(node, Text):
                self.text(target, node.text, bold=bold, italic=italic, style=style)
            elif isinstance(node, Strong):
                self.inlines(target, node.children, bold=True, italic=italic, link=link)
            elif isinstance(node, Emphasis):
                # Large print and easy read have no italics: emphasis is bold.
                self.inlines(target, node.children, bold=bold or self.look.large,
                             italic=not self.look.large, link=link)
            elif isinstance(node, Link):
                anchor = oxml.hyperlink(self.part, target, node.href)
                self.inlines(anchor, node.children, bold=bold, italic=italic, link=True)
            elif isinstance(node, Phone):
                self.phone(target, node.display, node.tel, bold=bold)
            elif isinstance(node, Email):
                anchor = oxml.hyperlink(self.part, target, f"mailto:{node.address}")
                self.text(anchor, node.address, bold=bold, style="Hyperlink", rtl=False)
            elif isinstance(node, LineBreak):
                target.append(oxml.text_run("\n", lang=self.run_lang))

    def phone(self, target, display: str, tel: str, bold: bool = False) -> None:
        """A dialable number that never breaks across lines and reads left to
        right even in Arabic text: its own run, without w:rtl."""
        anchor = oxml.hyperlink(self.part, target, tel)
        self.text(anchor, display.replace(" ", NBSP), bold=bold, style="Hyperlink", rtl=False)

    def plain_with_phones(self, target, text: str) -> None:
        """Plain text from the front matter, with its phone numbers dialable."""
        position = 0
        region = self.leaflet.meta.region or "GB"
        for match in phonenumbers.PhoneNumberMatcher(text, region):
            self.text(target, text[position:match.start])
            tel = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.RFC3966)
            self.phone(target, match.raw_string, tel)
            position = match.end
        if position < len(text):
            self.text(target, text[position:])

    # Blocks -----------------------------------------------------------------

    def blocks(self, container, blocks: tuple[Block, ...], list_level: int = 0) -> None:
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, Row):
                # Consecutive rows share one layout table, one table row each.
                end = index
                while end < len(blocks) and isinstance(blocks[end], Row):
                    end += 1
                tables.rows(self, container, blocks[index:end])
                index = end
                continue
            self.block(container, block, list_level)
            index += 1

    def block(self, container, block: Block, list_level: int = 0) -> None:
        if isinstance(block, Heading):
            self.heading(container, block)
        elif isinstance(block, Paragraph):
            self.inlines(self.paragraph(container)._p, block.children)
        elif isinstance(block, List):
            self.list(container, block, list_level)
        elif isinstance(block, Figure):
            self.figure(container, block)
        elif isinstance(block, Table):
            tables.table(self, container, block)
        elif isinstance(block, Callout):
            self.callout(container, block)
        elif isinstance(block, Contacts):
            tables.contacts(self, container, block)
        elif isinstance(block, Row):
            tables.rows(self, container, (block,))

    def heading(self, container, block: Heading) -> None:
        level = min(max(block.level, 1), 3)
        paragraph = self.paragraph(container, f"Heading{level}")
        target = paragraph._p
        if block.anchor in self.anchors:
            self.bookmarks += 1
            name = oxml.bookmark_name(block.anchor)
            target.append(element("w:bookmarkStart", w_id=self.bookmarks, w_name=name))
            self.inlines(target, block.children)
            target.append(element("w:bookmarkEnd", w_id=self.bookmarks))
        else:
            self.inlines(target, block.children)

    def list(self, container, block: List, level: int) -> None:
        level = min(level, styles.LIST_LEVELS - 1)
        kind = "Number" if block.ordered else "Bullet"
        suffix = "" if level == 0 else str(level + 1)
        if block.ordered:
            num_id = styles.restart_number(self.part.numbering_part.element, level, block.start)
        else:
            num_id = styles.BULLET_NUM_ID
        for item in block.items:
            numbered = False
            for child in item.blocks:
                if isinstance(child, Paragraph) and not numbered:
                    paragraph = self.paragraph(container, f"List{kind}{suffix}")
                    numpr = put(properties(paragraph._p, "w:pPr"), "w:numPr")
                    numpr.append(element("w:ilvl", w_val=level))
                    numpr.append(element("w:numId", w_val=num_id))
                    self.inlines(paragraph._p, child.children)
                    numbered = True
                elif isinstance(child, Paragraph):
                    paragraph = self.paragraph(container, f"ListContinue{suffix}")
                    self.inlines(paragraph._p, child.children)
                elif isinstance(child, List):
                    self.list(container, child, level + 1)
                else:
                    self.block(container, child, level + 1)

    def figure(self, container, block: Figure, width_twips: int = styles.TEXT_WIDTH_TWIPS,
               fill: bool = False) -> None:
        """A picture in its own paragraph, with alt text, and its caption below."""
        image, width = pictures.load(self.options.assets, block, width_twips, fill)
        paragraph = self.paragraph(container, "Picture")
        if block.caption:
            # Not in the style: in a table row, "keep with next" would chain
            # every easy read row to the next and push them all to one page.
            put(properties(paragraph._p, "w:pPr"), "w:keepNext")
        shape = paragraph.add_run().add_picture(image, width=width)
        oxml.describe_picture(shape._inline, block.alt)
        if block.caption:
            self.text(self.paragraph(container, "Caption")._p, block.caption)

    def callout(self, container, block: Callout) -> None:
        style = "Callout" if block.kind == "info" else f"Callout{block.kind.capitalize()}"
        label = self._(CALLOUT_LABELS.get(block.kind, "Note"))
        labelled = False
        for child in block.blocks:
            if isinstance(child, Paragraph):
                paragraph = self.paragraph(container, style)
                if not labelled:
                    self.text(paragraph._p, f"{label}: ", bold=True)
                    labelled = True
                self.inlines(paragraph._p, child.children)
            else:
                if not labelled:
                    self.text(self.paragraph(container, style)._p, label, bold=True)
                    labelled = True
                self.block(container, child)

    # Page furniture ---------------------------------------------------------

    def draft_banner(self, container) -> None:
        lines = draft_lines(self.leaflet, self.options)
        for number, line in enumerate(lines):
            english = number == 0 and len(lines) > 1
            paragraph = self.paragraph(container, "DraftBanner", bidi=False if english else None)
            if english:
                self.text(paragraph._p, line, lang=styles.lang_for("en-GB"), rtl=False)
            else:
                self.text(paragraph._p, line)

    def title_block(self) -> None:
        meta = self.leaflet.meta
        # A draft's banner is in the page header, on every page from the
        # first: not again in the body.
        # The title comes first: a screen reader announces it first, and
        # readers such as pandoc take a leading Title and Subtitle as metadata.
        self.text(self.paragraph(self.document, "Title")._p, meta.title)
        if meta.subtitle:
            self.text(self.paragraph(self.document, "Subtitle")._p, meta.subtitle)
        if self.options.edition != "standard":
            name = self._(EDITION_NAMES.get(self.options.edition, self.options.edition))
            self.text(self.paragraph(self.document, "EditionName")._p, name)
        self.text(self.paragraph(self.document, "Organisation")._p, meta.organisation)

    def panel(self) -> None:
        """The "also available in other languages and formats" panel, each
        language named in its own language and script."""
        self.text(self.paragraph(self.document, "Heading1")._p, self._(PANEL_HEADING))
        for lang, name, direction, editions in panel_entries(self.options):
            paragraph = self.paragraph(self.document, "ListBullet")
            numpr = put(properties(paragraph._p, "w:pPr"), "w:numPr")
            numpr.append(element("w:ilvl", w_val=0))
            numpr.append(element("w:numId", w_val=styles.BULLET_NUM_ID))
            rtl = direction == "rtl"
            self.text(paragraph._p, name, lang=styles.lang_for(lang, rtl), rtl=rtl,
                      fonts=styles.fonts_for(lang))
            self.text(paragraph._p, ": " + list_separator(self.lang).join(editions))
        if self.leaflet.meta.requests:
            self.plain_with_phones(self.paragraph(self.document)._p, self.leaflet.meta.requests)

    def page_header(self) -> None:
        if not self.options.draft:
            return
        header = self.document.sections[0].header
        header.is_linked_to_previous = False
        template_paragraph = header.paragraphs[0]._p
        self.draft_banner(header)
        template_paragraph.getparent().remove(template_paragraph)

    def page_footer(self) -> None:
        footer = self.document.sections[0].footer
        footer.is_linked_to_previous = False
        template_paragraph = footer.paragraphs[0]._p
        if not self.look.large:
            self.text(self.paragraph(footer, "Footer")._p, self.footer_details())
        pages = self.paragraph(footer, "Footer")._p
        for piece in re.split(r"(\{page\}|\{pages\})", self.page_words()):
            if piece in ("{page}", "{pages}"):
                instruction = "PAGE" if piece == "{page}" else "NUMPAGES"
                for run in oxml.field_runs(instruction, "1", lang=self.run_lang):
                    pages.append(run)
            elif piece:
                self.text(pages, piece)
        if self.look.large:
            for label, value in self.footer_code():
                self.text(self.paragraph(footer, "Footer")._p, f"{label}: {value}")
        template_paragraph.getparent().remove(template_paragraph)

    def leaflet_details(self) -> None:
        """Large print and easy read: the details the short footer leaves out,
        at the end of the document."""
        if not self.look.large:
            return
        meta = self.leaflet.meta
        self.text(self.paragraph(self.document)._p, meta.organisation, bold=True)
        for label, value in footer_fields(self.leaflet, self.options):
            self.text(self.paragraph(self.document)._p, f"{label}: {value}")


def internal_anchors(leaflet: Leaflet) -> set[str]:
    """Headings that a link in the leaflet points at (they get bookmarks)."""
    found: set[str] = set()

    def visit(nodes) -> None:
        for node in nodes:
            if isinstance(node, Link) and node.href.startswith("#"):
                found.add(node.href[1:])
            if isinstance(node, (Strong, Emphasis, Link)):
                visit(node.children)

    for block in walk(leaflet.blocks):
        if isinstance(block, (Heading, Paragraph)):
            visit(block.children)
        elif isinstance(block, Table):
            for cell in (*block.head, *(c for row in block.rows for c in row)):
                visit(cell.children)
    return found


def app_properties(organisation: str) -> bytes:
    """docProps/app.xml naming us, not the template's "Microsoft Macintosh Word"."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes"><Application>leaflet</Application><DocSecurity>0</DocSecurity>'
        f"<Company>{escape(organisation)}</Company></Properties>"
    ).encode("utf-8")
