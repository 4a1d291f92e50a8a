"""A leaflet's body to blocks: Markdown runs and the ``:::`` containers Markdown lacks
(contacts, callouts, easy read rows).

A heading, paragraph, list item or table cell may end with ``{context="tablet colour"}``:
the context translators are given for that one occurrence of its words (its msgctxt), so
that "White" said of a tablet and "White" said of a cream can be translated apart.  The
form is the block attribute of Pandoc, kramdown, Python-Markdown's attr_list and
markdown-it-attrs, written where they write it (at the end of the block's text), so an
author's Markdown tools either read it or show it as written; an HTML comment would be
refused as raw HTML, and hidden from the author in every preview."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from markdown_it.tree import SyntaxTreeNode

from ..errors import LeafletError
from ..model import (
    Block, Callout, Cell, Figure, Heading, List, ListItem, Paragraph, Quote, Row, Rule, Table, Text,
)
from .contacts import contacts
from .images import figure
from .inlines import MARKDOWN, MAX_NESTING, Reading, check_depth, inline_children, msgid

CALLOUT_KINDS = ("info", "warning", "urgent")
CONTAINERS = ("contacts", "callout", "row")
CONTAINER_RE = re.compile(r"^ {0,3}(:{3,})\s*(.*?)\s*$")
CONTEXT_RE = re.compile(r'[ \t]*\{context="([^"{}\n]*)"\}[ \t]*$')
CONTEXT_START_RE = re.compile(r"\{\s*context\s*=")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
IMAGE_LINE_RE = re.compile(r"^ {0,3}!\[[^\]]*\]\([^)]*\)\s*$")


@dataclass
class Segment:
    """A run of Markdown, or one ::: container, with the file line it starts on."""

    kind: str
    args: str
    line: int
    lines: list[str] = field(default_factory=list)


def split_containers(body: str, first_line: int, rel: str) -> list[Segment]:
    """The body cut into Markdown runs and containers; containers do not nest."""
    segments: list[Segment] = []
    current = Segment("markdown", "", first_line)
    fence = None
    open_container: Segment | None = None
    for number, line in enumerate(body.split("\n"), start=first_line):
        fence_match = FENCE_RE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker[0]
            elif marker[0] == fence:
                fence = None
        match = CONTAINER_RE.match(line) if fence is None else None
        if match and match.group(2):
            name, _, args = match.group(2).partition(" ")
            if open_container is not None:
                raise LeafletError(rel, number, f"'::: {name}' starts inside the '::: "
                                   f"{open_container.kind}' of line {open_container.line}; "
                                   "close that one first with ':::'")
            if name not in CONTAINERS:
                raise LeafletError(rel, number, f"unknown block '::: {name}' (known blocks: "
                                   f"{', '.join(CONTAINERS)})")
            segments.append(current)
            open_container = Segment(name, args.strip(), number)
        elif match:
            if open_container is None:
                raise LeafletError(rel, number, "':::' closes a block that was never opened")
            segments.append(open_container)
            open_container = None
            current = Segment("markdown", "", number + 1)
        elif open_container is not None:
            open_container.lines.append(line)
        else:
            current.lines.append(line)
    if open_container is not None:
        raise LeafletError(rel, open_container.line, f"'::: {open_container.kind}' is never "
                           "closed: add a line ':::' after it")
    segments.append(current)
    return [s for s in segments if s.kind != "markdown" or any(l.strip() for l in s.lines)]


def body_blocks(reading: Reading, body: str, first_line: int) -> list[Block]:
    """Every block of a leaflet's body, in order."""
    blocks: list[Block] = []
    for segment in split_containers(body, first_line, reading.rel):
        if segment.kind == "markdown":
            blocks.extend(markdown(reading, segment.lines, segment.line))
        elif segment.kind == "contacts":
            blocks.append(contacts(reading, segment.lines, segment.line))
        elif segment.kind == "callout":
            blocks.append(callout(reading, segment))
        elif segment.kind == "row":
            blocks.append(row(reading, segment))
    return blocks


def markdown(reading: Reading, lines: list[str], first_line: int) -> list[Block]:
    tokens = MARKDOWN.parse("\n".join(lines))
    check_depth(reading, tokens, first_line)
    blocks = []
    for node in SyntaxTreeNode(tokens).children:
        blocks.extend(block(reading, node, first_line, depth=0))
    return blocks


def line_of(node: SyntaxTreeNode, first_line: int) -> int:
    while node is not None and not node.map:
        node = node.parent
    return first_line + (node.map[0] if node is not None and node.map else 0)


def inlines(reading: Reading, inline: SyntaxTreeNode, first: int, depth: int) -> tuple:
    return tuple(inline_children(reading, inline.children, line_of(inline, first), depth))


def with_context(reading: Reading, inline: SyntaxTreeNode, first: int,
                 depth: int) -> tuple[tuple, str, str]:
    """A block's inline nodes, its msgid and its context: a ``{context="..."}`` ending
    its text is taken off it."""
    content = inline.content
    match = CONTEXT_RE.search(content)
    if match is None:
        if CONTEXT_START_RE.search(content):
            reading.problems.error(reading.rel, line_of(inline, first), "write a context for "
                                   "translators at the very end of the text, in double quotes: "
                                   "{context=\"tablet colour\"}")
        return inlines(reading, inline, first, depth), msgid(content), ""
    context = " ".join(match.group(1).split())
    text = content[:match.start()]
    if not context or not text.strip():
        reading.problems.error(reading.rel, line_of(inline, first), "{context=\"...\"} needs "
                               "words of its own and words to give them to")
    tree = SyntaxTreeNode(MARKDOWN.parseInline(text))
    nodes = tree.children[0].children if tree.children else []
    children = tuple(inline_children(reading, nodes, line_of(inline, first), depth))
    return children, msgid(text), context


# What Markdown offers that a leaflet does not use, and what to write instead.
REFUSED = {
    "html_block": "HTML is not allowed in a leaflet; write it in Markdown",
    "fence": "code blocks are not used in leaflets",
    "code_block": "code blocks are not used in leaflets",
}


def block(reading: Reading, node: SyntaxTreeNode, first: int, depth: int) -> list[Block]:
    rel, problems = reading.rel, reading.problems
    line = line_of(node, first)
    where = dict(path=rel, line=line)
    if depth > MAX_NESTING:
        raise LeafletError(rel, line, f"lists or quotes are nested more than "
                           f"{MAX_NESTING} levels deep; simplify the structure")
    kind = node.type
    if kind == "heading":
        level = int(node.tag[1])
        if level > 3:
            problems.error(rel, line, "headings go three levels deep at most (#, ## and ###)")
            level = 3
        inline = node.children[0]
        if not inline.content.strip():
            problems.error(rel, line, "this heading has no words")
            return []
        children, markdown_text, context = with_context(reading, inline, first, depth)
        return [Heading(level=level, children=children, markdown=markdown_text,
                        context=context, **where)]
    if kind == "paragraph":
        inline = node.children[0]
        images = [c for c in inline.children if c.type == "image"]
        if images:
            others = [c for c in inline.children if c.type not in ("image", "softbreak")
                      and not (c.type == "text" and not c.content.strip())]
            if others or len(images) > 1:
                problems.error(rel, line, "put each picture on a line of its own")
            return [figure(reading, images[0], line)]
        children, markdown_text, context = with_context(reading, inline, first, depth)
        return [Paragraph(children=children, markdown=markdown_text, context=context,
                          **where)]
    if kind in ("bullet_list", "ordered_list"):
        items = []
        for item in node.children:
            blocks = []
            for child in item.children:
                blocks.extend(block(reading, child, first, depth + 1))
            items.append(ListItem(blocks=tuple(blocks), path=rel, line=line_of(item, first)))
        start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
        items, checklist = checklist_items(reading, items, line)
        return [List(ordered=kind == "ordered_list", items=tuple(items), start=start,
                     checklist=checklist, **where)]
    if kind == "table":
        return [table(reading, node, first, depth)]
    if kind == "blockquote":
        quoted = []
        for child in node.children:
            quoted.extend(block(reading, child, first, depth + 1))
        return [Quote(blocks=tuple(quoted), **where)] if quoted else []
    if kind == "hr":
        return [Rule(**where)]
    problems.error(rel, line, REFUSED.get(kind, f"this kind of Markdown ({kind}) is not "
                                               "supported"))
    return []


BOX_RE = re.compile(r"^\[([ xX])\][ \t]+")


def checklist_items(reading: Reading, items: list[ListItem], line: int) -> tuple[list, bool]:
    """A task list ("- [ ] Bring your letter") becomes a checklist: its boxes taken off
    the words, to be drawn empty for the patient to tick on paper."""
    def box(item: ListItem):
        first = item.blocks[0] if item.blocks else None
        if isinstance(first, Paragraph) and first.children and \
                isinstance(first.children[0], Text):
            return BOX_RE.match(first.children[0].text)
        return None

    boxes = [box(item) for item in items]
    if not any(boxes):
        return items, False
    if not all(boxes):
        reading.problems.error(reading.rel, line, "start every item of a checklist with a box "
                               "'[ ]', or none of them")
        return items, False
    if any(b.group(1) != " " for b in boxes):
        reading.problems.error(reading.rel, line, "leave a checklist's boxes empty ('[ ]'): "
                               "the patient ticks them")
    unboxed = []
    for item, found in zip(items, boxes, strict=True):
        first = item.blocks[0]
        words = (replace(first.children[0], text=first.children[0].text[found.end():]),
                 *first.children[1:])
        first = replace(first, children=words, markdown=BOX_RE.sub("", first.markdown, count=1))
        unboxed.append(replace(item, blocks=(first, *item.blocks[1:])))
    return unboxed, True


def table(reading: Reading, node: SyntaxTreeNode, first: int, depth: int) -> Table:
    head: tuple[Cell, ...] = ()
    rows = []
    for section in node.children:
        for tr in section.children:
            cells = tuple(cell(reading, td, first, depth) for td in tr.children)
            if section.type == "thead":
                head = cells
            else:
                rows.append(cells)
    return Table(head=head, rows=tuple(rows), path=reading.rel, line=line_of(node, first))


def cell(reading: Reading, node: SyntaxTreeNode, first: int, depth: int) -> Cell:
    line = line_of(node, first)
    if not node.children:
        return Cell(children=(), markdown="", path=reading.rel, line=line)
    inline = node.children[0]
    children, markdown_text, context = with_context(reading, inline, first, depth)
    return Cell(children=children, markdown=markdown_text, context=context, path=reading.rel,
                line=line)


def callout(reading: Reading, segment: Segment) -> Callout:
    kind = segment.args or "info"
    if kind not in CALLOUT_KINDS:
        reading.problems.error(reading.rel, segment.line, f"'::: callout {kind}': a callout is "
                               f"{', '.join(CALLOUT_KINDS)}")
    blocks = markdown(reading, segment.lines, segment.line + 1)
    if not blocks:
        reading.problems.error(reading.rel, segment.line, "the callout is empty")
    return Callout(kind=kind, blocks=tuple(blocks), path=reading.rel, line=segment.line)


def row(reading: Reading, segment: Segment) -> Row:
    """An easy read row: a picture on its first line, then its sentences."""
    lines = segment.lines
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and IMAGE_LINE_RE.match(lines[first]):
        # the picture line may be followed by the sentences without a blank line
        blocks = markdown(reading, lines[first:first + 1], segment.line + 1 + first)
        blocks += markdown(reading, lines[first + 1:], segment.line + 2 + first)
    else:
        blocks = markdown(reading, lines, segment.line + 1)
    picture = None
    if blocks and isinstance(blocks[0], Figure):
        picture, blocks = blocks[0], blocks[1:]
    if any(isinstance(b, Figure) for b in blocks):
        reading.problems.error(reading.rel, segment.line, "a row has one picture, on its "
                               "first line")
    if not blocks:
        reading.problems.error(reading.rel, segment.line, "the row has no sentences")
    return Row(figure=picture, blocks=tuple(b for b in blocks if not isinstance(b, Figure)),
               path=reading.rel, line=segment.line)
