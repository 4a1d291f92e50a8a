"""The document tree: frozen dataclasses that every writer reads and none changes.

Every node remembers the file and line it came from, so that any problem found
later (a translation, a writer, a check) can say where.  Translatable nodes also
keep ``markdown``, the inline Markdown they were parsed from: it is the msgid.
"""

from __future__ import annotations

import abc
import datetime as dt
import typing
from dataclasses import dataclass, field
from typing import Generic, Iterator, TypeVar, Union


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
    """A number to reach someone on, printed as ``display``: exactly as its author wrote
    it (digits, spaces, brackets, an extension's words).  ``kind`` is what it is for:
    "call", "text" (a text message), "relay" (Relay UK, 18001 before the number),
    "textphone" or "fax".  ``tel`` is the link a tap follows, the URI for its kind
    (``tel:`` for a call, relay or textphone, ``sms:`` for a text message), and empty
    for a fax, which no link can send: writers link it as it is, and not at all when
    it is empty.  An ``extension`` written " ext. 3344" is printed with the language's
    word for "ext." (``phone_parts``); any other way of writing it stays as it is."""

    display: str
    tel: str
    extension: str = ""
    kind: str = "call"


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
    lang: str = ""  # set where a translation kept the source text: its language
    context: str = ""  # the author's {context="..."}: the message's msgctxt


@dataclass(frozen=True)
class Paragraph(Node):
    """``lang``, as on ``Heading`` and ``Cell``, is empty for the document's language;
    a translation sets it where it kept the source text (a missing or fuzzy message),
    so that writers tag that text with its own language and direction."""

    children: tuple[Inline, ...]
    markdown: str
    lang: str = ""
    context: str = ""  # the author's {context="..."}: the message's msgctxt


@dataclass(frozen=True)
class ListItem(Node):
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class List(Node):
    """``checklist``: every item starts with an empty box the patient ticks on paper."""

    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1
    checklist: bool = False


@dataclass(frozen=True)
class Figure(Node):
    """A picture on its own line. ``src`` is relative to the leaflet folder,
    or ``pictogram:NAME`` for one of the tool's own pictograms."""

    src: str
    alt: str
    caption: str = ""
    kept: tuple[str, ...] = ()  # fields a translation left in the source language


@dataclass(frozen=True)
class Cell(Node):
    children: tuple[Inline, ...]
    markdown: str
    lang: str = ""
    context: str = ""  # the author's {context="..."}: the message's msgctxt


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
    """A person or service to contact.  ``about`` and ``hours`` are plain text whose
    phone numbers and e-mail addresses are nodes, each shown as written."""

    name: str
    about: tuple[Inline, ...] = ()
    hours: tuple[Inline, ...] = ()
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    web: str = ""
    kept: tuple[str, ...] = ()  # fields a translation left in the source language


@dataclass(frozen=True)
class Contacts(Node):
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class Quote(Node):
    """Words quoted from someone (``>``): a patient, a nurse, a campaign."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Rule(Node):
    """A thematic break (``---`` in the body): a change of subject."""


@dataclass(frozen=True)
class Row(Node):
    """An easy read row: one picture beside one to three short sentences."""

    figure: Figure | None
    blocks: tuple[Block, ...]


Block = Union[Heading, Paragraph, List, Figure, Table, Callout, Contacts, Row, Quote, Rule]


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
    specialty: str = ""  # the clinic or specialty the index groups the leaflet under
    requests: tuple[Inline, ...] = ()  # how to ask for other formats: plain text, as ``about``
    region: str = "GB"
    direction: str = "ltr"
    source_language: str = ""  # the language it was written in (a translation keeps it)
    kept: tuple[str, ...] = ()  # fields a translation left in the source language
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


# The visitors -----------------------------------------------------------------------
#
# Every walk over the model goes through one of these: a method per node type and no
# default, so a walker that does not handle a node type cannot be made (an abstract
# method left), and a node of a type no visitor knows is an error, never a silent drop.

T = TypeVar("T")


class InlineVisitor(abc.ABC, Generic[T]):
    """What a walker does with each kind of inline node: one method per kind.

    ``visit_inlines`` calls the method for each node; a method that has children
    to render calls ``visit_inlines`` on them itself, so it decides what they
    sit inside (a ``<strong>``, a hyperlink, a bold run)."""

    @abc.abstractmethod
    def text(self, node: Text) -> T: ...
    @abc.abstractmethod
    def strong(self, node: Strong) -> T: ...
    @abc.abstractmethod
    def emphasis(self, node: Emphasis) -> T: ...
    @abc.abstractmethod
    def link(self, node: Link) -> T: ...
    @abc.abstractmethod
    def phone(self, node: Phone) -> T: ...
    @abc.abstractmethod
    def email(self, node: Email) -> T: ...
    @abc.abstractmethod
    def line_break(self, node: LineBreak) -> T: ...


class BlockVisitor(abc.ABC, Generic[T]):
    """What a walker does with each kind of block: one method per kind, each given the
    block and whatever the walker passes down (an indent, a list prefix, a context)."""

    def visit(self, block: Block, *context, **options) -> T:
        return getattr(self, _method(_BLOCK_METHODS, block, self))(block, *context, **options)

    @abc.abstractmethod
    def heading(self, node: Heading, *context, **options) -> T: ...
    @abc.abstractmethod
    def paragraph(self, node: Paragraph, *context, **options) -> T: ...
    @abc.abstractmethod
    def list(self, node: List, *context, **options) -> T: ...
    @abc.abstractmethod
    def figure(self, node: Figure, *context, **options) -> T: ...
    @abc.abstractmethod
    def table(self, node: Table, *context, **options) -> T: ...
    @abc.abstractmethod
    def callout(self, node: Callout, *context, **options) -> T: ...
    @abc.abstractmethod
    def contacts(self, node: Contacts, *context, **options) -> T: ...
    @abc.abstractmethod
    def quote(self, node: Quote, *context, **options) -> T: ...
    @abc.abstractmethod
    def rule(self, node: Rule, *context, **options) -> T: ...
    @abc.abstractmethod
    def row(self, node: Row, *context, **options) -> T: ...


INLINE_TYPES: tuple[type, ...] = typing.get_args(Inline)
BLOCK_TYPES: tuple[type, ...] = typing.get_args(Block)
_INLINE_METHODS = {Text: "text", Strong: "strong", Emphasis: "emphasis", Link: "link",
                   Phone: "phone", Email: "email", LineBreak: "line_break"}
_BLOCK_METHODS = {Heading: "heading", Paragraph: "paragraph", List: "list", Figure: "figure",
                  Table: "table", Callout: "callout", Contacts: "contacts", Quote: "quote",
                  Rule: "rule", Row: "row"}


def _method(methods: dict[type, str], node: object, walker: object) -> str:
    try:
        return methods[type(node)]
    except KeyError:
        raise TypeError(f"{type(walker).__name__} has no method for a "
                        f"{type(node).__name__} node") from None


def block_method(block: Block) -> str:
    """The visitor method's name for a block ("paragraph"), for walkers written as
    templates, which dispatch on it and must know every name."""
    return _method(_BLOCK_METHODS, block, "the template")


def visit_inlines(nodes: tuple[Inline, ...], visitor: InlineVisitor[T]) -> list[T]:
    """The visitor's result for each node, in order."""
    return [getattr(visitor, _method(_INLINE_METHODS, node, visitor))(node) for node in nodes]


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block in reading order, containers before their contents (a row's picture
    before its words).  A block of a type it does not know is an error."""
    for block in blocks:
        yield block
        yield from walk(_INNER.visit(block))


class _Inner(BlockVisitor[tuple]):
    """The blocks a block holds, in reading order."""

    def list(self, node: List) -> tuple:
        return tuple(child for item in node.items for child in item.blocks)

    def callout(self, node: Callout) -> tuple:
        return node.blocks

    def quote(self, node: Quote) -> tuple:
        return node.blocks

    def row(self, node: Row) -> tuple:
        return ((node.figure,) if node.figure is not None else ()) + node.blocks

    def heading(self, node: Heading) -> tuple:
        return ()

    paragraph = figure = table = contacts = rule = heading


_INNER = _Inner()


@dataclass(frozen=True)
class _PlainText(InlineVisitor[str]):
    phone_space: str
    line_break_text: str

    def words(self, nodes: tuple[Inline, ...]) -> str:
        return "".join(visit_inlines(nodes, self))

    def text(self, node: Text) -> str:
        return node.text

    def strong(self, node: Strong) -> str:
        return self.words(node.children)

    emphasis = link = strong

    def phone(self, node: Phone) -> str:
        return node.display.replace(" ", self.phone_space)

    def email(self, node: Email) -> str:
        return node.address

    def line_break(self, node: LineBreak) -> str:
        return self.line_break_text


def phone_parts(node: Phone, extension_word: str = "ext.") -> tuple[str, str]:
    """(the number as printed, "ext. 3344" with the language's word, or "")."""
    suffix = f" ext. {node.extension}"
    if node.extension and node.display.endswith(suffix):
        return node.display[:-len(suffix)], f"{extension_word} {node.extension}"
    return node.display, ""


def shows_address(node: Link) -> bool:
    """Whether a link's words are its address ("www.nhs.uk" for https://www.nhs.uk/), so
    that paper need not print the address again after them."""
    def bare(text: str) -> str:
        text = text.strip().lower()
        for prefix in ("https://", "http://", "mailto:", "www."):
            text = text.removeprefix(prefix)
        return text.rstrip("/")
    return bare(plain_text(node.children)) == bare(node.href)


def plain_text(inlines: tuple[Inline, ...], phone_space: str = " ",
               line_break: str = "\n") -> str:
    """The words of some inlines, without any markup.  ``phone_space`` joins the
    groups of a phone number (a no-break character keeps it one word)."""
    return _PlainText(phone_space, line_break).words(inlines)
