"""Tables in the DOCX: contacts, the leaflet's own tables, and easy read rows.

Data tables (contacts, Markdown tables) use the "Leaflet Table" style with a
header row that repeats on every page (``w:tblHeader``); no row splits across
a page.  Easy read rows are a borderless "Layout Table": picture left, text
right (mirrored in right-to-left languages by ``w:bidiVisual``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.shared import Twips

from leaflet.model import Contacts, Link, Row, Table, Text

from ..shared import N_
from . import styles
from .oxml import properties, put

if TYPE_CHECKING:
    from . import _DocxWriter

CONTACT = N_("Contact")
PHONE = N_("Phone")
HOW_TO_CONTACT = N_("How to contact")
EMAIL = N_("Email")
WEBSITE = N_("Website")
OPENING_HOURS = N_("Opening hours")


KEEP_ROWS_WHOLE_UP_TO_PT = 24


def new_table(writer: _DocxWriter, container, rows: int, widths: list[int], style: str,
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
    for column, width in zip(table.columns, widths):
        column.width = Twips(width)
    for row_number, row in enumerate(table.rows):
        tr_pr = properties(row._tr, "w:trPr")
        # Rows stay whole on a page, unless the print is so large that one row
        # may be taller than a page: Word and LibreOffice then run it over the footer.
        if writer.look.size <= KEEP_ROWS_WHOLE_UP_TO_PT:
            put(tr_pr, "w:cantSplit")
        if header and row_number == 0:
            put(tr_pr, "w:tblHeader")
        for cell, width in zip(row.cells, widths):
            cell.width = Twips(width)
    return table


def fill(writer: _DocxWriter, cell, build) -> None:
    """Fill a cell with ``build(cell)``, then drop the empty paragraph every new
    cell starts with (Word needs a paragraph in a cell, not an empty one)."""
    first = cell.paragraphs[0]._p
    build(cell)
    tc = cell._tc
    if len(tc.p_lst) > 1 and tc.getchildren()[-1].tag == first.tag:
        tc.remove(first)
    elif writer.rtl:
        put(properties(first, "w:pPr"), "w:bidi")


def cell_text(writer: _DocxWriter, cell, text: str, style: str, bold: bool = False):
    paragraph = writer.paragraph(cell, style)
    writer.text(paragraph._p, text, bold=bold)
    return paragraph


def contacts(writer: _DocxWriter, container, block: Contacts) -> None:
    _ = writer._
    with_hours = any(c.hours for c in block.contacts)
    only_phones = all(not c.emails and not c.web for c in block.contacts)
    heads = [_(CONTACT), _(PHONE) if only_phones else _(HOW_TO_CONTACT)]
    shares = [0.6, 0.4]
    if with_hours:
        heads.append(_(OPENING_HOURS))
        shares = [0.42, 0.3, 0.28]
    widths = [round(styles.TEXT_WIDTH_TWIPS * share) for share in shares]
    table = new_table(writer, container, len(block.contacts) + 1, widths, "LeafletTable",
                      header=True)
    for cell, head in zip(table.rows[0].cells, heads):
        fill(writer, cell, lambda c, head=head: cell_text(writer, c, head, "TableHeading"))
    for row, contact in zip(table.rows[1:], block.contacts):
        cells = row.cells

        def who(cell, contact=contact):
            cell_text(writer, cell, contact.name, "TableText", bold=True)
            if contact.about:
                cell_text(writer, cell, contact.about, "TableText")

        def how(cell, contact=contact):
            contact_means(writer, cell, contact, "TableText", labelled=not only_phones)

        fill(writer, cells[0], who)
        fill(writer, cells[1], how)
        def hours(cell, contact=contact):
            if contact.hours:
                cell_text(writer, cell, contact.hours, "TableText")

        if with_hours:
            fill(writer, cells[2], hours)


def table(writer: _DocxWriter, container, block: Table) -> None:
    columns = max([len(block.head), *(len(r) for r in block.rows)] or [1])
    widths = [styles.TEXT_WIDTH_TWIPS // columns] * columns
    rows = ([block.head] if block.head else []) + list(block.rows)
    made = new_table(writer, container, len(rows), widths, "LeafletTable",
                     header=bool(block.head))
    for number, (row, cells) in enumerate(zip(made.rows, rows)):
        style = "TableHeading" if block.head and number == 0 else "TableText"
        for cell, source in zip(row.cells, cells):
            fill(writer, cell, lambda c, source=source, style=style:
                 writer.inlines(writer.paragraph(c, style)._p, source.children))


def rows(writer: _DocxWriter, container, block_rows: tuple[Row, ...]) -> None:
    """Easy read rows: one table row each, the picture a third of the width
    and as large as its cell allows, the sentences beside it."""
    picture_width = styles.TEXT_WIDTH_TWIPS // 3
    widths = [picture_width, styles.TEXT_WIDTH_TWIPS - picture_width]
    made = new_table(writer, container, len(block_rows), widths, "LayoutTable", header=False)
    for row, block in zip(made.rows, block_rows):
        picture_cell, text_cell = row.cells
        for cell in (picture_cell, text_cell):
            put(properties(cell._tc, "w:tcPr"), "w:vAlign", w_val="center")
        if block.figure is not None:
            fill(writer, picture_cell, lambda c, figure=block.figure: writer.figure(
                c, figure, picture_width - 2 * styles.layout_cell_margin(writer.look), fill=True))
        fill(writer, text_cell, lambda c, blocks=block.blocks: row_text(writer, c, blocks))


def row_text(writer: _DocxWriter, cell, blocks) -> None:
    """A row's sentences; a contact beside its phone picture is a short card of
    paragraphs, since a table nested in the narrow text cell would not fit."""
    for block in blocks:
        if isinstance(block, Contacts):
            for contact in block.contacts:
                contact_card(writer, cell, contact)
        else:
            writer.blocks(cell, (block,))


def contact_card(writer: _DocxWriter, cell, contact) -> None:
    _ = writer._
    cell_text(writer, cell, contact.name, "Normal", bold=True)
    if contact.about:
        cell_text(writer, cell, contact.about, "Normal")
    contact_means(writer, cell, contact, "Normal", labelled=True)
    if contact.hours:
        cell_text(writer, cell, f"{_(OPENING_HOURS)}: {contact.hours}", "Normal")


def contact_means(writer: _DocxWriter, cell, contact, style: str, labelled: bool) -> None:
    """A contact's phone numbers, e-mail addresses and website, one a paragraph."""
    _ = writer._
    for phone in contact.phones:
        paragraph = writer.paragraph(cell, style)
        if labelled:
            writer.text(paragraph._p, f"{_(PHONE)}: ")
        writer.phone(paragraph._p, phone.display, phone.tel)
    for email in contact.emails:
        paragraph = writer.paragraph(cell, style)
        writer.text(paragraph._p, f"{_(EMAIL)}: ")
        writer.inlines(paragraph._p, (email,))
    if contact.web:
        paragraph = writer.paragraph(cell, style)
        writer.text(paragraph._p, f"{_(WEBSITE)}: ")
        writer.inlines(paragraph._p, (Link(href=contact.web, children=(Text(contact.web),)),))
