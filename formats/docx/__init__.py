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
from contextlib import contextmanager
from dataclasses import dataclass, replace

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Twips

from leaflet import langs
from leaflet.model import (
    Block, BlockVisitor, Callout, Contacts, Email, Emphasis, Figure, Heading, Inline,
    InlineVisitor, Leaflet, LineBreak, Link, List, Paragraph, Phone, Quote, Row, Rule, Strong,
    Table, Text, plain_text, shows_address, visit_inlines,
)

from .. import Rendered, typography, zipstamp
from ..options import WriterOptions
from ..shared import (
    CALLOUT_LABELS, EDITION_NAMES, PANEL_HEADING, detail_fields, draft_lines, footer_fields,
    PAGE_OF, joined_ranges, logo_alt, panel_entries,
)
from . import oxml, pictures, styles, tables
from .oxml import element, properties, put

NBSP = "\u00a0"
FOOTER_SEPARATOR = " \u00b7 "  # a middle dot between single spaces
FURNITURE_DISTANCE_TWIPS = 567  # header and footer 1 cm from the edge of the page
CHAR_WIDTH_EM = 0.6  # a generous average letter width, to count a footer's wrapped lines

# Inside right-to-left text, a stretch of Latin letters and digits ("9am to
# 8pm", "Herceptin") gets its own run without w:rtl, so that Word lays it out
# left to right in the Latin font.
LTR_STRETCH = re.compile(r"[A-Za-z0-9\u00c0-\u024f](?:[A-Za-z0-9\u00c0-\u024f .,:/%+\-]*"
                         r"[A-Za-z0-9\u00c0-\u024f%])?")


def write(leaflet: Leaflet, options: WriterOptions) -> Rendered:
    return Rendered(_DocxWriter(leaflet, options).render())


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
        return zipstamp.restamp(buffer.getvalue(), self.options.source_date, zipstamp.DOCX)

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
        line_pt = size * typography.line_height_em(self.lang) * styles.line_240ths(self.look) / 240
        paragraphs = len(self.footer_texts())
        needed_pt = lines * line_pt + paragraphs * self.look.twips(0.1) / 20 + size * 0.6
        return max(styles.MARGIN_TWIPS, FURNITURE_DISTANCE_TWIPS + math.ceil(needed_pt * 20))

    def footer_size(self) -> float:
        """The footer's text size in points (its style's w:sz): the body size,
        never under the 12 pt clear print minimum the PDF keeps."""
        return self.look.pt(1) / 2

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
        """The details on one line, one separator between them (Word's checker
        flags runs of spaces); each detail is held together by no-break
        spaces, so that a line wraps between details, never leaving "2027"
        on a line of its own."""
        return FOOTER_SEPARATOR.join(f"{label}: {value}".replace(" ", NBSP) for label, value
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
                rel.target_part._blob = oxml.app_properties(meta.organisation, meta.owner,
                                                            meta.online)

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
        elif self.look.rtl:
            put(ppr, "w:bidi", w_val=0)  # a left-to-right line in a right-to-left leaflet
        return paragraph

    @contextmanager
    def language(self, node):
        """Paragraphs and runs made inside it in ``node.lang``, the language a translation
        left the node's text in (its source): that language's w:lang, and left to right
        when it is, inside a leaflet in another language."""
        with self.in_language(getattr(node, "lang", "")):
            yield

    def kept(self, node, name: str):
        """``language`` for one plain field (a title, a caption) that a translation
        left in the source language."""
        kept = name in getattr(node, "kept", ())
        return self.in_language(self.leaflet.meta.source_language if kept else "")

    @contextmanager
    def in_language(self, lang: str):
        if not lang or lang == self.lang:
            yield
            return
        saved = self.rtl, self.run_lang
        self.rtl = langs.direction(lang) == "rtl"
        self.run_lang = styles.lang_for(lang, self.rtl)
        try:
            yield
        finally:
            self.rtl, self.run_lang = saved

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

    def inlines(self, target, nodes: tuple[Inline, ...]) -> None:
        visit_inlines(nodes, _Runs(self, target))

    def address(self, target, url: str, *, bold: bool = False, style: str = "") -> None:
        """A web address in one left-to-right run, exactly as written: no character is
        added to steer where it breaks (a zero-width space or Word's non-breaking hyphen
        would change what a reader copies, or what other software reads back)."""
        run = oxml.text_run("", bold=bold, style=style, lang=self.run_lang)
        words = element("w:t")
        words.text = url
        words.set(qn("xml:space"), "preserve")
        run.append(words)
        target.append(run)

    def phone(self, target, display: str, tel: str, bold: bool = False) -> None:
        """A dialable number that never breaks across lines and reads left to
        right even in Arabic text: its own run, without w:rtl.  ``tel`` is the node's
        link (tel:, sms:), followed as it is; a fax has none and is not linked."""
        display = display.replace(" ext. ", f" {self._('ext.')} ")  # model.phone_parts
        if not tel:
            self.text(target, display.replace(" ", NBSP), bold=bold, rtl=False)
            return
        anchor = oxml.hyperlink(self.part, target, tel)
        self.text(anchor, display.replace(" ", NBSP), bold=bold, style="Hyperlink", rtl=False)

    # Blocks -----------------------------------------------------------------

    def blocks(self, container, blocks: tuple[Block, ...], list_level: int = 0) -> None:
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, Row):
                end = index
                while end < len(blocks) and isinstance(blocks[end], Row):
                    end += 1
                tables.rows(self, container, blocks[index:end])
                index = end
                continue
            self.block(container, block, list_level)
            index += 1

    def block(self, container, block: Block, list_level: int = 0) -> None:
        _Blocks(self, container).visit(block, list_level)

    def heading(self, container, block: Heading) -> None:
        level = min(max(block.level, 1), 3)
        with self.language(block):
            paragraph = self.paragraph(container, f"Heading{level}")
            self.inlines(paragraph._p, block.children)

    def list(self, container, block: List, level: int) -> None:
        level = min(level, styles.LIST_LEVELS - 1)
        if block.checklist:
            self.checklist(container, block, level)
            return
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
                    with self.language(child):
                        paragraph = self.paragraph(container, f"List{kind}{suffix}")
                        numpr = put(properties(paragraph._p, "w:pPr"), "w:numPr")
                        numpr.append(element("w:ilvl", w_val=level))
                        numpr.append(element("w:numId", w_val=num_id))
                        self.inlines(paragraph._p, child.children)
                    numbered = True
                elif isinstance(child, Paragraph):
                    with self.language(child):
                        paragraph = self.paragraph(container, f"ListContinue{suffix}")
                        self.inlines(paragraph._p, child.children)
                elif isinstance(child, List):
                    self.list(container, child, level + 1)
                else:
                    self.block(container, child, level + 1)

    def checklist(self, container, block: List, level: int) -> None:
        """Each item starts with an empty box to tick with a pen (after its number
        in a numbered checklist); its words, the lines they wrap to and whatever
        the item holds (a nested list, more paragraphs) start after the box."""
        box_start, hanging = styles.list_indent(self.look, level)
        box = self.look.twips(styles.CHECKBOX_EM)
        words_start = box_start + box
        suffix = "" if level == 0 else str(level + 1)
        num_id = (styles.restart_number(self.part.numbering_part.element, level, block.start)
                  if block.ordered else None)
        parent = tables.element_of(container)
        for item in block.items:
            first = True
            for child in item.blocks:
                if not isinstance(child, Paragraph):
                    # New paragraphs go before the body's closing w:sectPr: find them
                    # by what was there before, not by position.
                    before = set(parent)
                    self.block(container, child, level + 1)
                    for paragraph in [kid for kid in parent if kid not in before]:
                        _move_by(self.look, paragraph, box)
                    continue
                with self.language(child):
                    if not first:
                        paragraph = self.paragraph(container, f"ListContinue{suffix}")._p
                        put(properties(paragraph, "w:pPr"), "w:ind", w_left=words_start)
                    elif num_id is not None:
                        paragraph = self.paragraph(container, f"ListNumber{suffix}")._p
                        ppr = properties(paragraph, "w:pPr")
                        numpr = put(ppr, "w:numPr")
                        numpr.append(element("w:ilvl", w_val=level))
                        numpr.append(element("w:numId", w_val=num_id))
                        _box_indent(ppr, words_start, hanging + box)
                    else:
                        paragraph = self.paragraph(container, "Checklist")._p
                        _box_indent(properties(paragraph, "w:pPr"), words_start, box)
                    if first:
                        self.text(paragraph, "\u2610")  # BALLOT BOX
                        paragraph.append(oxml.tab_run(lang=self.run_lang))
                    self.inlines(paragraph, child.children)
                first = False

    def figure(self, container, block: Figure, width_twips: int = styles.TEXT_WIDTH_TWIPS,
               fill: bool = False) -> list:
        """A picture in its own paragraph, with alt text, and its caption below;
        the paragraphs made."""
        image, width = pictures.load(self.options.assets, block, width_twips, fill)
        paragraph = self.paragraph(container, "Picture")
        if block.caption:
            # Not in the style: in a table row, "keep with next" would chain
            # every easy read row to the next and push them all to one page.
            put(properties(paragraph._p, "w:pPr"), "w:keepNext")
        shape = paragraph.add_run().add_picture(image, width=width)
        oxml.describe_picture(shape._inline, block.alt)
        if not block.caption:
            return [paragraph]
        caption = self.paragraph(container, "Caption")
        with self.kept(block, "caption"):
            self.text(caption._p, block.caption)
        return [paragraph, caption]

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
                with self.language(child):  # the label stays in the leaflet's language
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
        # The title comes first: a screen reader announces it first, and
        # readers such as pandoc take a leading Title and Subtitle as metadata.
        with self.kept(meta, "title"):
            self.text(self.paragraph(self.document, "Title")._p, meta.title)
        if meta.subtitle:
            with self.kept(meta, "subtitle"):
                self.text(self.paragraph(self.document, "Subtitle")._p, meta.subtitle)
        # A draft's banner is in the page header on every page, but screen
        # readers, Read Aloud and the navigation pane skip headers: so it is
        # also in the body, straight after the title, before anything to read.
        self.draft_banner(self.document)
        if self.options.edition != "standard":
            name = self._(EDITION_NAMES.get(self.options.edition, self.options.edition))
            self.text(self.paragraph(self.document, "EditionName")._p, name)
        self.text(self.paragraph(self.document, "Organisation")._p, meta.organisation)
        found = pictures.logo(self.options.assets, self.options.theme)
        if found:  # the hospital's logo under its name, described for screen readers
            run = self.paragraph(self.document, "Picture").add_run()
            alt, _lang = logo_alt(self.options, meta)  # a picture's description has no w:lang
            oxml.describe_picture(run.add_picture(found[0], width=found[1])._inline, alt)

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
            self.text(paragraph._p, ": " + typography.list_separator(self.lang).join(editions))
        if self.leaflet.meta.requests:
            self.inlines(self.paragraph(self.document)._p, self.leaflet.meta.requests)

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
        """At the end of the document: the leaflet's owner and online address, and in
        large print and easy read the details their short footer leaves out."""
        meta = self.leaflet.meta
        fields = detail_fields(self.leaflet, self.options)
        if not self.look.large:  # the page footer has the rest
            fields = fields[len(footer_fields(self.leaflet, self.options)):]
        else:
            self.text(self.paragraph(self.document)._p, meta.organisation, bold=True)
        for label, value in fields:
            paragraph = self.paragraph(self.document)._p
            if value == meta.online:
                self.text(paragraph, f"{label}: ")
                self.address(paragraph, value)
            else:
                self.text(paragraph, f"{label}: {value}")


def _box_indent(ppr, words_start: int, hanging: int) -> None:
    """A checklist item's indents: its first line starts ``hanging`` before its
    words (the number, then the box), and a tab after the box reaches the words."""
    tabs = put(ppr, "w:tabs")
    tabs.append(element("w:tab", w_val="left", w_pos=words_start))
    put(ppr, "w:ind", w_left=words_start, w_hanging=hanging)


def _move_by(look: styles.Look, paragraph, extra: int) -> None:
    """Indent a paragraph that a checklist item holds ``extra`` further, past the box."""
    if paragraph.tag != qn("w:p"):
        return
    ppr = properties(paragraph, "w:pPr")
    indent, numpr = ppr.find(qn("w:ind")), ppr.find(qn("w:numPr"))
    style = ppr.find(qn("w:pStyle"))
    style_name = style.get(qn("w:val")) if style is not None else ""
    if indent is not None:
        left, hanging = int(indent.get(qn("w:left"), 0)), indent.get(qn("w:hanging"))
    elif numpr is not None:
        left, hanging = styles.list_indent(look, int(numpr.find(qn("w:ilvl")).get(qn("w:val"))))
    elif style_name.startswith("ListContinue"):
        level = int(style_name.removeprefix("ListContinue") or 1) - 1
        left, hanging = styles.list_indent(look, level)[0], None
    else:
        return
    attributes = {"w_left": left + extra}
    if hanging is not None:
        attributes["w_hanging"] = hanging
    put(ppr, "w:ind", **attributes)


class _Blocks(BlockVisitor[None]):
    """Each block into a container (the body, a table cell, a callout's cell)."""

    def __init__(self, writer: _DocxWriter, container):
        self.writer, self.container = writer, container

    def heading(self, block: Heading, list_level: int) -> None:
        self.writer.heading(self.container, block)

    def paragraph(self, block: Paragraph, list_level: int) -> None:
        with self.writer.language(block):
            self.writer.inlines(self.writer.paragraph(self.container)._p, block.children)

    def list(self, block: List, list_level: int) -> None:
        self.writer.list(self.container, block, list_level)

    def figure(self, block: Figure, list_level: int) -> None:
        self.writer.figure(self.container, block)

    def table(self, block: Table, list_level: int) -> None:
        tables.table(self.writer, self.container, block)

    def callout(self, block: Callout, list_level: int) -> None:
        self.writer.callout(self.container, block)

    def contacts(self, block: Contacts, list_level: int) -> None:
        tables.contacts(self.writer, self.container, block)

    def row(self, block: Row, list_level: int) -> None:
        tables.rows(self.writer, self.container, (block,))

    def quote(self, block: Quote, list_level: int) -> None:
        for child in block.blocks:
            if isinstance(child, Paragraph):
                with self.writer.language(child):
                    self.writer.inlines(self.writer.paragraph(self.container, "Quote")._p,
                                        child.children)
            else:
                self.visit(child, list_level)

    def rule(self, block: Rule, list_level: int) -> None:
        self.writer.paragraph(self.container, "ThematicBreak")


@dataclass(frozen=True)
class _Runs(InlineVisitor[None]):
    """Inline nodes as runs appended to ``target``, in the style they sit inside."""

    writer: _DocxWriter
    target: object
    bold: bool = False
    italic: bool = False
    in_link: bool = False

    def text(self, node: Text) -> None:
        self.writer.text(self.target, joined_ranges(node.text), bold=self.bold, italic=self.italic,
                         style="Hyperlink" if self.in_link else "")

    def strong(self, node: Strong) -> None:
        visit_inlines(node.children, replace(self, bold=True))

    def emphasis(self, node: Emphasis) -> None:
        # Large print and easy read have no italics: emphasis is bold.
        large = self.writer.look.large
        visit_inlines(node.children, replace(self, bold=self.bold or large, italic=not large))

    def link(self, node: Link) -> None:
        anchor = oxml.hyperlink(self.writer.part, self.target, node.href)
        if shows_address(node) and all(isinstance(child, Text) for child in node.children):
            self.writer.address(anchor, plain_text(node.children), bold=self.bold,
                                style="Hyperlink")
            return
        visit_inlines(node.children, replace(self, target=anchor, in_link=True))
        if not shows_address(node):  # on paper the words alone lead nowhere
            self.writer.text(self.target, " (", bold=self.bold, rtl=False)
            self.writer.address(self.target, node.href, bold=self.bold)
            self.writer.text(self.target, ")", bold=self.bold, rtl=False)

    def phone(self, node: Phone) -> None:
        self.writer.phone(self.target, node.display, node.tel, bold=self.bold)

    def email(self, node: Email) -> None:
        anchor = oxml.hyperlink(self.writer.part, self.target, f"mailto:{node.address}")
        self.writer.text(anchor, node.address, bold=self.bold, style="Hyperlink", rtl=False)

    def line_break(self, node: LineBreak) -> None:
        self.target.append(oxml.text_run("\n", lang=self.writer.run_lang))
