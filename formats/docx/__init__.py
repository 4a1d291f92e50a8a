"""DOCX (standard, large print, easy read): a real Word document with named styles.

Staff open the DOCX to adjust a copy for one patient, so it is built from the
model as Word structure (Title, Heading 1-3, List Bullet/Number, a contacts
table with a repeating header row, real hyperlinks, alt text), never as a
picture of the PDF.  Everything a reader sees comes from a named style
(``styles.py``); what python-docx has no API for is written as WordprocessingML
in the schema's order (``oxml.py``).  The writer below holds what every part
shares (the document, the look, the language and direction of the text being
written) and makes paragraphs and runs; the parts are the blocks
(``blocks.py``), the inlines (``inlines.py``), tables, contacts and easy read
rows (``tables.py``) and everything around the blocks: page, title block,
panel, header, footer, properties (``furniture.py``).
"""

from __future__ import annotations

import io
from contextlib import contextmanager

import docx

from leaflet import langs
from leaflet.model import Block, Figure, Inline, Leaflet

from .. import Rendered, typography, zipstamp
from ..options import WriterOptions
from . import blocks, furniture, inlines, oxml, styles
from .inlines import NBSP
from .oxml import properties, put


def write(leaflet: Leaflet, options: WriterOptions) -> Rendered:
    return Rendered(DocxWriter(leaflet, options).render())


class DocxWriter:
    """One leaflet being written as one DOCX: the parts of this package write
    through it."""

    def __init__(self, leaflet: Leaflet, options: WriterOptions):
        self.leaflet, self.options = leaflet, options
        self._ = options.gettext
        meta = leaflet.meta
        self.lang = meta.language
        self.rtl = meta.direction == "rtl"
        self.colon = typography.colon(meta.language)  # what follows a label
        self.look = styles.Look(size=options.size, large=options.edition != "standard",
                                rtl=self.rtl, lang=self.lang, colours=options.theme.colours)
        self.run_lang = styles.lang_for(self.lang, self.rtl)
        self.document = docx.Document()
        self.part = self.document.part

    def render(self) -> bytes:
        furniture.replace_template_parts(self)
        furniture.page_setup(self)
        furniture.title_block(self)
        self.blocks(self.document, self.leaflet.blocks)
        furniture.panel(self)
        furniture.leaflet_details(self)
        furniture.page_header(self)
        furniture.page_footer(self)
        furniture.core_properties(self)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return zipstamp.restamp(buffer.getvalue(), self.options.source_date, zipstamp.DOCX)

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
        """``text`` as runs appended to ``target``, in the current language and
        direction unless ``lang`` and ``rtl`` say otherwise."""
        rtl = self.rtl if rtl is None else rtl
        for run in inlines.text_runs(text, rtl, bold=bold, italic=italic, style=style,
                                     lang=lang or self.run_lang, fonts=fonts):
            target.append(run)

    def inlines(self, target, nodes: tuple[Inline, ...]) -> None:
        inlines.append(self, target, nodes)

    def address(self, target, url: str, *, bold: bool = False, style: str = "") -> None:
        target.append(inlines.address_run(url, bold=bold, style=style, lang=self.run_lang))

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

    def blocks(self, container, nodes: tuple[Block, ...], list_level: int = 0) -> None:
        blocks.blocks(self, container, nodes, list_level)

    def figure(self, container, block: Figure, width_twips: int = styles.TEXT_WIDTH_TWIPS,
               fill: bool = False) -> list:
        return blocks.figure(self, container, block, width_twips, fill)
