"""The document tree: frozen dataclasses that every writer reads and none changes.

Every node remembers the file and line it came from, so that any problem found
later (a translation, a writer, a check) can say where.  Translatable nodes also
keep ``markdown``, the inline Markdown they were parsed from: it is the msgid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator, Union


@dataclass(frozen=True, kw_only=True)
class Node:
    path: str = ""
    line: int = 0


# Inlines ------------------------------------------------------------------

@dataclass(frozen=True)
class Text(Node):
    text: str


@dataclass(frozen=True)
class Strong(Node):
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis(Node):
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link(Node):
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Phone(Node):
    """A dialable number: ``display`` as printed, ``tel`` as an RFC 3966 URI."""

    display: str
    tel: str


@dataclass(frozen=True)
class Email(Node):
    address: str


@dataclass(frozen=True)
class LineBreak(Node):
    pass


Inline = Union[Text, Strong, Emphasis, Link, Phone, Email, LineBreak]


# Blocks -------------------------------------------------------------------

@dataclass(frozen=True)
class Heading(Node):
    """``level`` 1 is a section (``#``), 2 a subsection, 3 below that."""

    level: int
    children: tuple[Inline, ...]
    markdown: str
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph(Node):
    children: tuple[Inline, ...]
    markdown: str


@dataclass(frozen=True)
class ListItem(Node):
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class List(Node):
    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


@dataclass(frozen=True)
class Figure(Node):
    """A picture on its own line. ``src`` is relative to the leaflet folder,
    or ``pictogram:NAME`` for one of the tool's own pictograms."""

    src: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Cell(Node):
    children: tuple[Inline, ...]
    markdown: str


@dataclass(frozen=True)
class Table(Node):
    head: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Callout(Node):
    """A boxed note: ``kind`` is info, warning or urgent."""

    kind: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Contact(Node):
    name: str
    about: str = ""
    hours: str = ""
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    web: str = ""


@dataclass(frozen=True)
class Contacts(Node):
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class Row(Node):
    """An easy read row: one picture beside one to three short sentences."""

    figure: Figure | None
    blocks: tuple[Block, ...]


Block = Union[Heading, Paragraph, List, Figure, Table, Callout, Contacts, Row]


# The document ---------------------------------------------------------------

@dataclass(frozen=True)
class Meta(Node):
    title: str
    organisation: str
    language: str
    published: dt.date
    review: dt.date
    subtitle: str = ""
    code: str = ""
    version: str = ""
    online: str = ""
    owner: str = ""
    requests: str = ""
    region: str = "GB"
    direction: str = "ltr"
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Leaflet(Node):
    """One edition of one leaflet in one language.

    ``slug`` names the leaflet folder; ``edition`` is "standard" for
    ``leaflet.md`` and "easy-read" for ``easy-read.md``; ``folder`` is the
    leaflet folder on disk, the only place its images may come from.
    """

    slug: str
    edition: str
    meta: Meta
    blocks: tuple[Block, ...]
    folder: str = ""


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block in reading order, containers before their contents."""
    for block in blocks:
        yield block
        if isinstance(block, List):
            for item in block.items:
                yield from walk(item.blocks)
        elif isinstance(block, Callout):
            yield from walk(block.blocks)
        elif isinstance(block, Row):
            if block.figure is not None:
                yield block.figure
            yield from walk(block.blocks)


def plain_text(inlines: tuple[Inline, ...], phone_space: str = " ",
               line_break: str = "\n") -> str:
    """The words of some inlines, without any markup.  ``phone_space`` joins the
    groups of a phone number (a no-break character keeps it one word)."""
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, (Strong, Emphasis, Link)):
            out.append(plain_text(node.children, phone_space, line_break))
        elif isinstance(node, Phone):
            out.append(node.display.replace(" ", phone_space))
        elif isinstance(node, Email):
            out.append(node.address)
        elif isinstance(node, LineBreak):
            out.append(line_break)
    return "".join(out)
