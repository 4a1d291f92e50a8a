"""The leaflet's blocks as Word paragraphs: headings, lists and checklists, pictures, callouts.

One visitor, ``_Blocks``, writes each kind of block into a container (the body,
a table cell); tables, contacts and easy read rows are written by ``tables.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.oxml.ns import qn

from leaflet.model import (
    Block, BlockVisitor, Callout, Contacts, Figure, Heading, List, Paragraph, Quote, Row, Rule,
    Table,
)

from ..shared import CALLOUT_LABELS
from . import oxml, pictures, styles, tables
from .oxml import element, properties, put

if TYPE_CHECKING:
    from . import DocxWriter

BALLOT_BOX = "\u2610"


def blocks(writer: DocxWriter, container, nodes: tuple[Block, ...], list_level: int = 0) -> None:
    """Blocks in order; a run of easy read rows is laid out together."""
    index = 0
    while index < len(nodes):
        node = nodes[index]
        if isinstance(node, Row):
            end = index
            while end < len(nodes) and isinstance(nodes[end], Row):
                end += 1
            tables.rows(writer, container, nodes[index:end])
            index = end
            continue
        _Blocks(writer, container).visit(node, list_level)
        index += 1


def figure(writer: DocxWriter, container, block: Figure,
           width_twips: int = styles.TEXT_WIDTH_TWIPS, fill: bool = False) -> list:
    """A picture in its own paragraph, with alt text, and its caption below;
    the paragraphs made."""
    image, width = pictures.load(writer.options.assets, block, width_twips, fill)
    paragraph = writer.paragraph(container, "Picture")
    if block.caption:
        # Not in the style: in a table row, "keep with next" would chain
        # every easy read row to the next and push them all to one page.
        put(properties(paragraph._p, "w:pPr"), "w:keepNext")
    shape = paragraph.add_run().add_picture(image, width=width)
    oxml.describe_picture(shape._inline, block.alt)
    if not block.caption:
        return [paragraph]
    caption = writer.paragraph(container, "Caption")
    with writer.kept(block, "caption"):
        writer.text(caption._p, block.caption)
    return [paragraph, caption]


class _Blocks(BlockVisitor[None]):
    """Each block into a container (the body, a table cell, a callout's cell)."""

    def __init__(self, writer: DocxWriter, container):
        self.writer, self.container = writer, container

    def heading(self, block: Heading, list_level: int) -> None:
        level = min(max(block.level, 1), 3)
        with self.writer.language(block):
            paragraph = self.writer.paragraph(self.container, f"Heading{level}")
            self.writer.inlines(paragraph._p, block.children)

    def paragraph(self, block: Paragraph, list_level: int) -> None:
        with self.writer.language(block):
            self.writer.inlines(self.writer.paragraph(self.container)._p, block.children)

    def list(self, block: List, list_level: int) -> None:
        writer, level = self.writer, min(list_level, styles.LIST_LEVELS - 1)
        if block.checklist:
            self.checklist(block, level)
            return
        kind = "Number" if block.ordered else "Bullet"
        suffix = "" if level == 0 else str(level + 1)
        if block.ordered:
            num_id = styles.restart_number(writer.part.numbering_part.element, level, block.start)
        else:
            num_id = styles.BULLET_NUM_ID
        for item in block.items:
            numbered = False
            for child in item.blocks:
                if isinstance(child, Paragraph) and not numbered:
                    with writer.language(child):
                        paragraph = writer.paragraph(self.container, f"List{kind}{suffix}")
                        numpr = put(properties(paragraph._p, "w:pPr"), "w:numPr")
                        numpr.append(element("w:ilvl", w_val=level))
                        numpr.append(element("w:numId", w_val=num_id))
                        writer.inlines(paragraph._p, child.children)
                    numbered = True
                elif isinstance(child, Paragraph):
                    with writer.language(child):
                        paragraph = writer.paragraph(self.container, f"ListContinue{suffix}")
                        writer.inlines(paragraph._p, child.children)
                else:
                    self.visit(child, level + 1)

    def checklist(self, block: List, level: int) -> None:
        """Each item starts with an empty box to tick with a pen (after its number
        in a numbered checklist); its words, the lines they wrap to and whatever
        the item holds (a nested list, more paragraphs) start after the box."""
        writer, look = self.writer, self.writer.look
        box_start, hanging = styles.list_indent(look, level)
        box = look.twips(styles.CHECKBOX_EM)
        words_start = box_start + box
        suffix = "" if level == 0 else str(level + 1)
        num_id = (styles.restart_number(writer.part.numbering_part.element, level, block.start)
                  if block.ordered else None)
        parent = tables.element_of(self.container)
        for item in block.items:
            first = True
            for child in item.blocks:
                if not isinstance(child, Paragraph):
                    # New paragraphs go before the body's closing w:sectPr: find them
                    # by what was there before, not by position.
                    before = set(parent)
                    self.visit(child, level + 1)
                    for paragraph in [kid for kid in parent if kid not in before]:
                        _move_by(look, paragraph, box)
                    continue
                with writer.language(child):
                    if not first:
                        paragraph = writer.paragraph(self.container, f"ListContinue{suffix}")._p
                        put(properties(paragraph, "w:pPr"), "w:ind", w_left=words_start)
                    elif num_id is not None:
                        paragraph = writer.paragraph(self.container, f"ListNumber{suffix}")._p
                        ppr = properties(paragraph, "w:pPr")
                        numpr = put(ppr, "w:numPr")
                        numpr.append(element("w:ilvl", w_val=level))
                        numpr.append(element("w:numId", w_val=num_id))
                        _box_indent(ppr, words_start, hanging + box)
                    else:
                        paragraph = writer.paragraph(self.container, "Checklist")._p
                        _box_indent(properties(paragraph, "w:pPr"), words_start, box)
                    if first:
                        writer.text(paragraph, BALLOT_BOX)
                        paragraph.append(oxml.tab_run(lang=writer.run_lang))
                    writer.inlines(paragraph, child.children)
                first = False

    def figure(self, block: Figure, list_level: int) -> None:
        figure(self.writer, self.container, block)

    def table(self, block: Table, list_level: int) -> None:
        tables.table(self.writer, self.container, block)

    def callout(self, block: Callout, list_level: int) -> None:
        writer = self.writer
        style = "Callout" if block.kind == "info" else f"Callout{block.kind.capitalize()}"
        label = writer._(CALLOUT_LABELS.get(block.kind, "Note"))
        labelled = False
        for child in block.blocks:
            if isinstance(child, Paragraph):
                paragraph = writer.paragraph(self.container, style)
                if not labelled:
                    writer.text(paragraph._p, label + writer.colon, bold=True)
                    labelled = True
                with writer.language(child):  # the label stays in the leaflet's language
                    writer.inlines(paragraph._p, child.children)
            else:
                if not labelled:
                    writer.text(writer.paragraph(self.container, style)._p, label, bold=True)
                    labelled = True
                self.visit(child, 0)

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
