"""Tables in the DOCX: contacts, the leaflet's own tables, and easy read rows.

Data tables (contacts, Markdown tables) use the "Leaflet Table" style with a
header row that repeats on every page (``w:tblHeader``); no row splits across
a page.  Easy read rows are not tables: a framed picture at the start of the
line, its sentences indented beside it (mirrored in right-to-left languages).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Callable, ContextManager, Protocol

from docx.oxml.ns import qn
from docx.shared import Twips

from leaflet.model import (Block, Contacts, Figure, Inline, Link, Row, Table, Text,
                           plain_text)

from ..shared import N_, PHONE_LABEL, PHONE_LABELS, joined_ranges, phone_label
from .. import typography
from . import styles
from .oxml import float_picture, properties, put


class Writer(Protocol):
    """What the tables take from the document writer (``formats.docx``)."""

    rtl: bool
    colon: str
    look: styles.Look
    _: Callable[[str], str]

    def paragraph(self, container, style: str = "Normal", *, bidi: bool | None = None): ...
    def text(self, target, text: str, *, bold: bool = False, **props) -> None: ...
    def inlines(self, target, nodes: tuple[Inline, ...]) -> None: ...
    def phone(self, target, display: str, tel: str, bold: bool = False) -> None: ...
    def figure(self, container, block: Figure, width_twips: int = ...,
               fill: bool = False) -> list: ...
    def blocks(self, container, blocks: tuple[Block, ...], list_level: int = 0) -> None: ...
    def language(self, node) -> ContextManager[None]: ...
    def kept(self, node, name: str) -> ContextManager[None]: ...

CONTACT = N_("Contact")
PHONE = PHONE_LABEL
HOW_TO_CONTACT = N_("How to contact")
EMAIL = N_("Email")
WEBSITE = N_("Website")
OPENING_HOURS = N_("Opening hours")


KEEP_ROWS_WHOLE_UP_TO_PT = 24


def new_table(writer: Writer, container, rows: int, widths: list[int], style: str,
              header: bool):
    """A table in a named style with fixed column widths (twips)."""
    table = container.add_table(rows, len(widths))
    tbl_pr = properties(table._tbl, "w:tblPr")
    put(tbl_pr, "w:tblStyle", w_val=style)
    if writer.rtl:
        put(tbl_pr, "w:bidiVisual")
    put(tbl_pr, "w:tblW", w_w=sum(widths), w_type="dxa")
    put(tbl_pr, "w:tblLayout", w_type="fixed")
    look = 0x0620 if header else 0x0600  # firstRow; no banding
    put(tbl_pr, "w:tblLook", w_val=f"{look:04X}", w_firstRow=int(header), w_lastRow=0,
        w_firstColumn=0, w_lastColumn=0, w_noHBand=1, w_noVBand=1)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
    for row_number, row in enumerate(table.rows):
        tr_pr = properties(row._tr, "w:trPr")
        # Rows stay whole on a page, unless the print is so large that one row
        # may be taller than a page: Word and LibreOffice then run it over the footer.
        if writer.look.size <= KEEP_ROWS_WHOLE_UP_TO_PT:
            put(tr_pr, "w:cantSplit")
        if header and row_number == 0:
            put(tr_pr, "w:tblHeader")
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Twips(width)
    return table


def fill(writer: Writer, cell, build) -> None:
    """Fill a cell with ``build(cell)``, then drop the empty paragraph every new
    cell starts with (Word needs a paragraph in a cell, not an empty one)."""
    first = cell.paragraphs[0]._p
    build(cell)
    tc = cell._tc
    if len(tc.p_lst) > 1 and tc.getchildren()[-1].tag == first.tag:
        tc.remove(first)
    elif writer.rtl:
        put(properties(first, "w:pPr"), "w:bidi")


def cell_text(writer: Writer, cell, text: str, style: str, bold: bool = False):
    paragraph = writer.paragraph(cell, style)
    writer.text(paragraph._p, text, bold=bold)
    return paragraph


# How wide a letter may be, as a share of the text size: generous for the bold
# sans-serif of a reader's machine (Arial, or Noto Sans or DejaVu Sans where
# LibreOffice has no Arial), so that a column said to hold a word holds it.
LETTER_EM = 0.65
WIDE_LETTER_EM = 1.0
WIDE_LETTERS = frozenset("mwMW@%")
# Preferred shares of the text width: who, how, and when.
CONTACT_SHARES = (0.6, 0.4)
CONTACT_SHARES_WITH_HOURS = (0.42, 0.3, 0.28)


def contacts(writer: Writer, container, block: Contacts) -> None:
    """A table of contacts, each column as wide as its longest word or address
    needs; where the columns cannot all be that wide (large print), a block of
    lines for each contact instead, so that no word ever breaks."""
    _ = writer._
    with_hours = any(c.hours for c in block.contacts)
    # a column headed "Phone" needs no label before each number, unless some number is
    # for text messages or a textphone
    only_phones = all(not c.emails and not c.web and
                      all(phone_label(p) == PHONE for p in c.phones) for c in block.contacts)
    heads = [_(CONTACT), _(PHONE) if only_phones else _(HOW_TO_CONTACT)]
    if with_hours:
        heads.append(_(OPENING_HOURS))
    widths = column_widths(
        CONTACT_SHARES_WITH_HOURS if with_hours else CONTACT_SHARES,
        [word_twips(writer, words) + 2 * styles.DATA_CELL_MARGIN
         for words in contact_words(writer, block, heads, labelled=not only_phones)])
    if widths is None:
        for contact in block.contacts:
            contact_card(writer, container, contact)
        return
    table = new_table(writer, container, len(block.contacts) + 1, widths, "LeafletTable",
                      header=True)
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        fill(writer, cell, lambda c, head=head: cell_text(writer, c, head, "TableHeading"))
    for row, contact in zip(table.rows[1:], block.contacts, strict=True):
        cells = row.cells

        def who(cell, contact=contact):
            with writer.kept(contact, "name"):
                cell_text(writer, cell, contact.name, "TableText", bold=True)
            if contact.about:
                writer.inlines(writer.paragraph(cell, "TableText")._p, contact.about)

        def how(cell, contact=contact):
            contact_means(writer, cell, contact, "TableText", labelled=not only_phones)

        fill(writer, cells[0], who)
        fill(writer, cells[1], how)
        def hours(cell, contact=contact):
            if contact.hours:
                writer.inlines(writer.paragraph(cell, "TableText")._p, contact.hours)

        if with_hours:
            fill(writer, cells[2], hours)


def contact_words(writer: Writer, block: Contacts, heads: list[str],
                  labelled: bool) -> list[list[str]]:
    """Each column's words that must stay whole on a line: its heading's, the
    names and what each contact is about; the labels, phone numbers (never broken)
    and addresses; the opening hours."""
    _ = writer._
    who, how, *when = [words_of(head) for head in heads]
    if labelled:
        how += [word for label in (PHONE, *PHONE_LABELS.values(), EMAIL, WEBSITE)
                for word in words_of(f"{_(label)}:")]
    for contact in block.contacts:
        who += words_of(contact.name) + words_of(inline_words(contact.about))
        how += [phone.display.replace(" ext. ", f" {_('ext.')} ") for phone in contact.phones]
        how += [email.address for email in contact.emails] + ([contact.web] if contact.web else [])
        if when:
            when[0] += words_of(inline_words(contact.hours))
    return [who, how, *when]


NO_BREAK_SPACE = "\u00a0"


def inline_words(nodes: tuple[Inline, ...]) -> str:
    """Some inlines' words as the DOCX prints them: a phone number or a range
    ("9:00–17:00") held together by no-break spaces."""
    return joined_ranges(plain_text(nodes, NO_BREAK_SPACE))


def words_of(text: str) -> list[str]:
    """The pieces of ``text`` a line may not break inside (a no-break space joins)."""
    return [word for word in re.split(r"[ \t\n]+", text) if word]


def word_twips(writer: Writer, words: list[str]) -> int:
    """The width the longest of ``words`` takes on one line, bold, at the text size."""
    ems = max((sum(WIDE_LETTER_EM if letter in WIDE_LETTERS else LETTER_EM
                   for letter in word) for word in words), default=0)
    return math.ceil(ems * writer.look.size * 20)


def column_widths(shares: tuple[float, ...], needed: list[int]) -> list[int] | None:
    """Widths in twips across the text width, as near ``shares`` as each column's
    ``needed`` width allows (what a narrow column lacks comes from the others'
    room to spare), or None when the columns cannot all have what they need."""
    total = styles.TEXT_WIDTH_TWIPS
    if sum(needed) > total:
        return None
    widths = [max(round(total * share), need) for share, need in zip(shares, needed,
                                                                     strict=True)]
    excess = sum(widths) - total
    if excess > 0:
        spare = [width - need for width, need in zip(widths, needed, strict=True)]
        room = sum(spare)
        widths = [width - math.floor(excess * free / room)
                  for width, free in zip(widths, spare, strict=True)]
    # What rounding left over goes to (or comes from) the column with most room.
    roomiest = max(range(len(widths)), key=lambda number: widths[number] - needed[number])
    widths[roomiest] += total - sum(widths)
    return widths


def table(writer: Writer, container, block: Table) -> None:
    columns = max([len(block.head), *(len(r) for r in block.rows)] or [1])
    widths = [styles.TEXT_WIDTH_TWIPS // columns] * columns
    rows = ([block.head] if block.head else []) + list(block.rows)
    made = new_table(writer, container, len(rows), widths, "LeafletTable",
                     header=bool(block.head))
    for number, (row, cells) in enumerate(zip(made.rows, rows, strict=True)):
        style = "TableHeading" if block.head and number == 0 else "TableText"
        for cell, source in zip(row.cells, cells, strict=False):
            fill(writer, cell, lambda c, source=source, style=style:
                 cell_inlines(writer, c, source, style))


def cell_inlines(writer: Writer, cell, source, style: str) -> None:
    """A table cell's words, in the language the translation left them in."""
    with writer.language(source):
        writer.inlines(writer.paragraph(cell, style)._p, source.children)


def rows(writer: Writer, container, block_rows: tuple[Row, ...]) -> None:
    """Easy read rows without tables: Word's accessibility checker flags a
    table with no header row, and a screen reader announces a table for every
    row.  A row is its sentences, indented by a third of the page, with its
    picture anchored in that margin at the start of the first sentence (read
    first, as in the PDF).

    The picture does not wrap text (``wrapNone``): the indent keeps the text
    clear of it, so LibreOffice and Word lay the row out the same way, where
    wrapping frames and clearing breaks do not (LibreOffice 7.4 stacked short
    rows beside each other's pictures).  The last paragraph's space below
    makes the row at least as tall as its picture, and the row's paragraphs
    keep together, so that the next row starts under the picture and a
    picture never hangs into the footer."""
    picture_width = styles.TEXT_WIDTH_TWIPS // 3
    gap = 2 * styles.layout_cell_margin(writer.look)
    for block in block_rows:
        parent = element_of(container)
        first = len(parent)
        drawing = None
        if block.figure is not None:
            made = writer.figure(container, block.figure, picture_width - gap, fill=True)
            drawing = made[0]._p.find(f"{qn('w:r')}/{qn('w:drawing')}")
        row_text(writer, container, block.blocks)
        paragraphs = [child for child in list(parent)[first:] if child.tag == qn("w:p")
                      and child.find(f".//{qn('w:drawing')}") is None]
        for paragraph in paragraphs:
            _indent_beside_picture(writer, paragraph, picture_width)
        if drawing is None or not paragraphs:
            continue
        inline = drawing.find(qn("wp:inline"))
        height = int(inline.find(qn("wp:extent")).get("cy")) // EMU_PER_TWIP
        picture_paragraph = drawing.getparent().getparent()
        run = drawing.getparent()
        float_picture(inline, order=first + 1)
        ppr = properties(paragraphs[0], "w:pPr")
        ppr.addnext(run)
        if picture_paragraph.find(f".//{qn('w:t')}") is None:
            picture_paragraph.getparent().remove(picture_paragraph)
        _as_tall_as(writer, paragraphs, height, styles.TEXT_WIDTH_TWIPS - picture_width)


EMU_PER_TWIP = 635
# A short average letter, as a share of the size: counting too few lines for
# the text only adds space under a row, never lets the next row overlap.
SHORT_LETTER_EM = 0.42


def _as_tall_as(writer: Writer, paragraphs, height_twips: int, width_twips: int) -> None:
    """Space under the last paragraph, so that the paragraphs take at least
    ``height_twips``; every paragraph but the last kept with the next."""
    look = writer.look
    line = look.size * 20 * typography.line_height_em(look.lang) * styles.line_240ths(look) / 240
    after = look.twips(0.6)  # Normal's space after
    taken = 0.0
    for paragraph in paragraphs:
        letters = sum(len(t.text or "") for t in paragraph.iter(qn("w:t")))
        lines = max(1, math.ceil(letters * look.size * 20 * SHORT_LETTER_EM / width_twips))
        taken += lines * line + after
    for paragraph in paragraphs[:-1]:
        put(properties(paragraph, "w:pPr"), "w:keepNext")
    for paragraph in paragraphs:
        put(properties(paragraph, "w:pPr"), "w:keepLines")
    if taken < height_twips + after:
        # Lines, not space after: space after runs into the footer at the
        # foot of a page, where a line moves the row to the next page.
        missing = math.ceil((height_twips + after - taken) / line)
        run = paragraphs[-1].makeelement(qn("w:r"), {})
        for _ in range(missing):
            run.append(run.makeelement(qn("w:br"), {}))
        paragraphs[-1].append(run)


def element_of(container):
    """The XML element that paragraphs are added to: a document's body or a cell."""
    document_element = getattr(container, "element", None)
    body = getattr(document_element, "body", None)
    return body if body is not None else container._element


def _indent_beside_picture(writer: Writer, paragraph, offset: int) -> None:
    """Move a row's paragraph clear of the picture: its start indent grows by
    ``offset``, a list item's hanging indent kept."""
    ppr = properties(paragraph, "w:pPr")
    numbered = ppr.find(qn("w:numPr")) is not None
    level = 0
    if numbered:
        level = int(ppr.find(qn("w:numPr")).find(qn("w:ilvl")).get(qn("w:val")))
    left, hanging = styles.list_indent(writer.look, level) if numbered else (0, 0)
    # w:left is the start side: in a right-to-left paragraph, the right (ECMA-376 17.3.1.12).
    attrs = {"w_left": offset + left}
    if hanging:
        attrs["w_hanging"] = hanging
    put(ppr, "w:ind", **attrs)


def row_text(writer: Writer, cell, blocks) -> None:
    """A row's sentences; a contact beside its phone picture is a short card of
    paragraphs, since a table nested in the narrow text cell would not fit."""
    for block in blocks:
        if isinstance(block, Contacts):
            for contact in block.contacts:
                contact_card(writer, cell, contact)
        else:
            writer.blocks(cell, (block,))


def contact_card(writer: Writer, cell, contact) -> None:
    _ = writer._
    with writer.kept(contact, "name"):
        cell_text(writer, cell, contact.name, "Normal", bold=True)
    if contact.about:
        writer.inlines(writer.paragraph(cell, "Normal")._p, contact.about)
    contact_means(writer, cell, contact, "Normal", labelled=True)
    if contact.hours:
        writer.inlines(writer.paragraph(cell, "Normal")._p,
                       labelled(_(OPENING_HOURS) + writer.colon, contact.hours))


def labelled(label: str, nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """"Label: " (the label with its colon) before some inlines, in one run with the
    words that follow it."""
    if nodes and isinstance(nodes[0], Text):
        return (replace(nodes[0], text=label + nodes[0].text), *nodes[1:])
    return (Text(text=label), *nodes)


def contact_means(writer: Writer, cell, contact, style: str, labelled: bool) -> None:
    """A contact's phone numbers, e-mail addresses and website, one a paragraph."""
    _ = writer._
    for phone in contact.phones:
        paragraph = writer.paragraph(cell, style)
        if labelled:
            writer.text(paragraph._p, _(phone_label(phone)) + writer.colon)
        writer.phone(paragraph._p, phone.display, phone.tel)
    for email in contact.emails:
        paragraph = writer.paragraph(cell, style)
        writer.text(paragraph._p, _(EMAIL) + writer.colon)
        writer.inlines(paragraph._p, (email,))
    if contact.web:
        paragraph = writer.paragraph(cell, style)
        writer.text(paragraph._p, _(WEBSITE) + writer.colon)
        writer.inlines(paragraph._p, (Link(href=contact.web, children=(Text(contact.web),)),))
