"""Write a model back as leaflet.md, in Markdown that reads back as the same model.

One emitter serves every writer of sources (the importers, the easy read
scaffold): whatever it writes, the parser reads back as the nodes it was given.
Text is escaped where Markdown would read it as syntax, phone numbers are never
split across lines (the parser finds a number only within one line), and a line
never starts with something the parser would take for a list, a heading or a
'::: block'.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import quote

import yaml

from leaflet.model import (
    Block, BlockVisitor, Callout, Cell, Contacts, Email, Emphasis, Figure, Heading, Inline,
    InlineVisitor, Leaflet, LineBreak, Link, List, Meta, Paragraph, Phone, Quote, Row, Rule,
    Strong, Table, Text, plain_text, visit_inlines,
)

WIDTH = 79
FIELD_ORDER = ("title", "subtitle", "organisation", "language", "code", "version", "published",
               "review", "online", "owner", "requests", "region")

# A space that must not become a line break (inside a phone number or a link's address).
_KEEP = "\x00"
_HARD_BREAK = "\x01"
_ESCAPED = re.compile(r"([\\`*_\[\]<])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# A word that, at the start of a line, would begin a list, heading, quote, fence,
# setext underline or a '::: block' instead of continuing the paragraph.
_STARTS_BLOCK = re.compile(r"^(?:[-+*]|#{1,6}|\d{1,9}[.)]|=+|-+)$|^(?:>|~~~|:::|```)")


# Front matter -------------------------------------------------------------------------

def meta_fields(meta: Meta) -> dict[str, object]:
    """The front matter fields a model's details come from, in the usual order."""
    fields: dict[str, object] = {}
    for key in FIELD_ORDER:
        value = getattr(meta, key)
        if key == "region" and value == "GB":
            continue  # the default; written only when it differs
        if isinstance(value, tuple):
            value = plain_text(value, line_break=" ").strip()  # requests: inlines of plain text
        if value not in ("", None):
            fields[key] = value
    return fields


def yaml_value(value: object) -> str:
    """One front matter value as YAML that reads back as the same text (or date)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    if text and not re.match(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]", text) and ": " not in text \
            and " #" not in text and not text.endswith(":"):
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def front_matter(fields: dict[str, object], comment: str = "",
                 notes: dict[str, str] | None = None) -> str:
    """``---`` ... ``---`` with ``comment`` as '#' lines on top and each field's note
    as a '#' line above it; fields in the usual order, unknown ones after."""
    notes = notes or {}
    lines = ["---"]
    lines += [f"# {line}".rstrip() for line in comment.splitlines()]
    keys = [k for k in FIELD_ORDER if k in fields] + [k for k in fields if k not in FIELD_ORDER]
    for key in keys:
        for line in notes.get(key, "").splitlines():
            lines.append(f"# {line}".rstrip())
        lines.append(f"{key}: {yaml_value(fields[key])}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def leaflet(model: Leaflet, comment: str = "") -> str:
    """A whole leaflet.md for a model."""
    return document(meta_fields(model.meta), model.blocks, comment)


def document(fields: dict[str, object], blocks: tuple[Block, ...] | list[Block],
             comment: str = "", notes: dict[str, str] | None = None) -> str:
    return front_matter(fields, comment, notes) + "\n" + body(blocks)


# Inlines ------------------------------------------------------------------------------

class _Inline(InlineVisitor[str]):
    """Inline nodes as Markdown; spaces that must not break are ``_KEEP``."""

    def markdown(self, nodes: tuple[Inline, ...]) -> str:
        return "".join(visit_inlines(tuple(nodes), self))

    def text(self, node: Text) -> str:
        # the parser puts a no-break space between a number and its unit itself
        words = re.sub(r"[\t\r\n\u00a0]", " ", node.text)
        return _ENTITY.sub("&amp;", _ESCAPED.sub(r"\\\1", words))

    def strong(self, node: Strong) -> str:
        return _delimited("**", self.markdown(node.children))

    def emphasis(self, node: Emphasis) -> str:
        return _delimited("*", self.markdown(node.children))

    def link(self, node: Link) -> str:
        href = re.sub(r"([\\()])", r"\\\1", node.href)  # kept exact: escaped, not encoded
        if re.search(r"[\s<>]", href):
            href = "<" + re.sub(r"([<>])", r"\\\1", node.href) + ">"
        inner = self.markdown(node.children) or self.text(Text(text=node.href))
        return f"[{inner}]({href})"

    def phone(self, node: Phone) -> str:
        return node.display.replace(" ", _KEEP)

    def email(self, node: Email) -> str:
        return node.address

    def line_break(self, node: LineBreak) -> str:
        return _HARD_BREAK


_INLINE = _Inline()


def _delimited(mark: str, inner: str) -> str:
    """``**inner**`` with the spaces at its edges moved outside, where CommonMark
    needs them to see the marks as opening and closing."""
    stripped = inner.strip(" ")
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")):]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def inline(nodes: tuple[Inline, ...]) -> str:
    """Inline nodes as one line of Markdown (a msgid, a table cell, a heading)."""
    text = _INLINE.markdown(nodes).replace(_HARD_BREAK, " ")
    return " ".join(w for w in text.split(" ") if w).replace(_KEEP, " ")


def line_start(text: str) -> str:
    """Text that will not be read as the start of a list, heading, quote or block."""
    word = text.split(" ", 1)[0]
    if _STARTS_BLOCK.match(word):
        match = re.match(r"^(\d+)([.)])", word)
        return f"{match.group(1)}\\{text[len(match.group(1)):]}" if match else f"\\{text}"
    return text


def wrap(nodes: tuple[Inline, ...], width: int = WIDTH, indent: str = "") -> list[str]:
    """A paragraph's inlines as Markdown lines of at most ``width`` columns where the
    words allow, breaking only where a break is harmless."""
    lines: list[str] = []
    nodes = tuple(nodes)
    while nodes and isinstance(nodes[-1], LineBreak):
        nodes = nodes[:-1]  # a break at the very end would print as a backslash
    parts = _INLINE.markdown(nodes).split(_HARD_BREAK)
    for number, part in enumerate(parts):
        words = [w for w in part.split(" ") if w]
        current = ""
        for word in words:
            if not current:
                current = line_start(word)
            elif len(indent) + len(current) + 1 + len(word) > width \
                    and not _STARTS_BLOCK.match(word.replace(_KEEP, " ").split(" ")[0]):
                lines.append(current)
                current = word
            else:
                current += " " + word
        if number < len(parts) - 1:
            current += "\\"  # a backslash at the end of a line is a hard line break
        if current:
            lines.append(current)
    return [line.replace(_KEEP, " ") for line in lines]


# Blocks -------------------------------------------------------------------------------

def body(blocks: tuple[Block, ...] | list[Block]) -> str:
    """Blocks as Markdown, a blank line between each."""
    out = []
    previous = None
    for item in blocks:
        out.append(block(item, after=previous))
        previous = item
    return "\n".join(out)


def block(item: Block, after: Block | None = None) -> str:
    """One block as Markdown ending with a newline; ``after`` is the block before it
    (two lists in a row need different markers, or Markdown joins them)."""
    return _BLOCKS.visit(item, after)


class _Blocks(BlockVisitor[str]):
    def heading(self, item: Heading, after: Block | None) -> str:
        text = inline(item.children)
        return f"{'#' * item.level} {re.sub(r'(#+)$', lambda m: chr(92) + m.group(1), text)}\n"

    def paragraph(self, item: Paragraph, after: Block | None) -> str:
        return "\n".join(wrap(item.children)) + "\n"

    def list(self, item: List, after: Block | None) -> str:
        bullet = "*" if isinstance(after, List) and not after.ordered and not item.ordered else "-"
        return "\n".join(_list_lines(item, bullet)) + "\n"

    def figure(self, item: Figure, after: Block | None) -> str:
        return figure(item) + "\n"

    def table(self, item: Table, after: Block | None) -> str:
        return "\n".join(_table_lines(item)) + "\n"

    def callout(self, item: Callout, after: Block | None) -> str:
        return f"::: callout {item.kind}\n{body(item.blocks)}:::\n"

    def contacts(self, item: Contacts, after: Block | None) -> str:
        return contacts(item)

    def row(self, item: Row, after: Block | None) -> str:
        picture = figure(item.figure) + "\n" if item.figure is not None else ""
        return f"::: row\n{picture}{body(item.blocks)}:::\n"

    def quote(self, item: Quote, after: Block | None) -> str:
        return "\n".join(f"> {line}".rstrip() for line in body(item.blocks).rstrip("\n")
                         .split("\n")) + "\n"

    def rule(self, item: Rule, after: Block | None) -> str:
        return "* * *\n"  # not "---", which a reader may take for the front matter's end


_BLOCKS = _Blocks()


def figure(item: Figure) -> str:
    alt = re.sub(r"([\\\[\]])", r"\\\1", " ".join(item.alt.split()))
    src = quote(item.src, safe="/:._-~")
    caption = item.caption.replace("\\", "\\\\").replace('"', '\\"')
    return f"![{alt}]({src} \"{caption}\")" if caption else f"![{alt}]({src})"


def _list_lines(item: List, bullet: str) -> list[str]:
    for entry in item.items:
        for inner in entry.blocks:
            if isinstance(inner, (Callout, Contacts, Row)):
                raise TypeError("a '::: block' cannot be written inside a list item")
    tight = all(len(li.blocks) == 1 and isinstance(li.blocks[0], Paragraph) for li in item.items)
    lines: list[str] = []
    for number, entry in enumerate(item.items, start=item.start):
        marker = f"{number}. " if item.ordered else f"{bullet} "
        marker += "[ ] " if item.checklist else ""
        pad = " " * len(marker)
        inner = body(entry.blocks).rstrip("\n").split("\n") if entry.blocks else [""]
        if lines and not tight:
            lines.append("")
        lines.append((marker + inner[0]).rstrip())
        lines += [(pad + line) if line else "" for line in inner[1:]]
    return lines


def _cell(cell: Cell) -> str:
    return inline(cell.children).replace("|", "\\|") or " "


def _table_lines(item: Table) -> list[str]:
    columns = max([len(item.head), *(len(row) for row in item.rows)] or [1])
    head = [_cell(c) for c in item.head] + [" "] * (columns - len(item.head))
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * columns) + "|"]
    for row in item.rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return lines


def contacts(item: Contacts, comment: str = "") -> str:
    """A '::: contacts' block; ``comment`` becomes '#' lines inside it."""
    entries = []
    for contact in item.contacts:
        entry: dict[str, object] = {"name": str(contact.name)}
        if contact.about:
            entry["about"] = plain_text(contact.about, line_break=" ").strip()
        if contact.phones:
            numbers = [str(p.display) for p in contact.phones]
            entry["phone"] = numbers[0] if len(numbers) == 1 else numbers
        if contact.emails:
            addresses = [str(e.address) for e in contact.emails]
            entry["email"] = addresses[0] if len(addresses) == 1 else addresses
        if contact.web:
            entry["web"] = str(contact.web)  # a reader's str subclass would be a YAML tag
        if contact.hours:
            entry["hours"] = plain_text(contact.hours, line_break=" ").strip()
        entries.append(entry)
    dumped = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=1000)
    note = "".join(f"# {line}\n" for line in comment.splitlines())
    return f"::: contacts\n{note}{dumped}:::\n"
