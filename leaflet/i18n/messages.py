"""A leaflet's translatable units, and the one walk over them that extraction and
application share.

One walk, ``walk``, serves extraction and application alike (as Sphinx's
``extract_messages`` does), so a message id written into a POT is by construction
the one looked up when a build applies the PO.

A message is keyed by its context and its text, ``(msgctxt, msgid)``: the context is
empty unless the author gave one occurrence of its words a ``{context="..."}``, so that
it is translated apart from the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from ..model import (
    Block, BlockVisitor, Callout, Contacts, Figure, Heading, Leaflet, List, Paragraph, Quote,
    Row, Rule, Table, plain_text,
)
from . import tokens

# What a translator is told about each kind of unit (a "#." comment).
KIND_NOTES = {
    "title": "The leaflet's title.",
    "subtitle": "The line under the leaflet's title.",
    "owner": "The team responsible for the leaflet, printed at its end.",
    "requests": "Tells readers how to ask for the leaflet in another language or format.",
    "section heading": "A section heading.",
    "subheading": "A heading inside a section.",
    "list item": "One item of a list.",
    "table heading": "A table's column heading.",
    "table cell": "A table cell.",
    "info box": "Inside a boxed note.",
    "warning box": "Inside a boxed warning.",
    "urgent box": "Inside a boxed urgent warning: keep it as direct as the source.",
    "contact name": "The name of a person or service to contact.",
    "contact about": "What a contact can help with.",
    "contact hours": "When a contact can be reached.",
    "alt text": "Describes a picture for people who cannot see it.",
    "caption": "A caption under a picture.",
    "easy read row": "One short easy read sentence beside its picture: keep it short and plain.",
    "quote": "Words quoted from someone (a patient, a nurse, a campaign): translate them as "
             "that person would say them.",
}


# The one walk over translatable units ----------------------------------------------

Key = tuple[str, str]  # (context, msgid); the context is "" when the author gave none


@dataclass(frozen=True)
class Unit:
    """One translatable piece of a leaflet: its kind, its text (the msgid), where it is,
    and the context the author gave it (its msgctxt), if any."""

    kind: str
    text: str
    file: str
    line: int
    markdown: bool
    context: str = ""

    @property
    def key(self) -> Key:
        return (self.context, self.text)


Visit = Callable[[Unit], "str | None"]
Parse = Callable[[Unit, str], tuple]


def walk(leaflet: Leaflet, visit: Visit, parse: Parse | None = None,
         kept_lang: str = "") -> Leaflet:
    """Call ``visit`` on every unit in reading order and return the leaflet with each
    unit replaced by what ``visit`` returned (None keeps the source text).  ``parse``
    turns a replacement into inline nodes: inline Markdown, or plain text (the requests
    line, a contact's about and hours) where the unit's ``markdown`` is false.  With
    ``kept_lang``, a heading, paragraph or cell that keeps its source text is marked as
    being in that language (its ``lang``), so writers can tag it."""
    units = _Units(leaflet, visit, parse, kept_lang)
    meta = leaflet.meta
    for name in ("title", "subtitle", "owner"):
        meta = units.plain(meta, name, name, meta.field_lines.get(name, 1))
    meta = units.phrase(meta, "requests", "requests", meta.field_lines.get("requests", 1))
    return replace(leaflet, meta=meta, blocks=units.blocks(leaflet.blocks, None))


class _Units(BlockVisitor[Block]):
    """Each block with its units visited and replaced; ``context`` is the kind of unit a
    paragraph is inside a container ("list item", "warning box", "quote")."""

    def __init__(self, leaflet: Leaflet, visit: Visit, parse: Parse | None, kept_lang: str):
        # relative to the library's root, as the leaflet's path is, so that Poedit and
        # Weblate can open the source from a catalog's "#:" references
        self.file = Path(leaflet.path).as_posix() if leaflet.path else "leaflet.md"
        self.visit_unit, self.parse, self.kept_lang = visit, parse, kept_lang

    def text(self, kind: str, value: str, line: int, markdown: bool = False,
             context: str = "") -> str | None:
        if not value.strip():
            return None
        return self.visit_unit(Unit(kind, value, self.file, line, markdown, context))

    def inline(self, node, kind: str):
        context = getattr(node, "context", "")
        new = self.text(kind, node.markdown, node.line, markdown=True, context=context)
        if new is None:
            return replace(node, lang=self.kept_lang) \
                if self.kept_lang and node.markdown.strip() else node
        children = self.parse(Unit(kind, node.markdown, self.file, node.line, True, context),
                              new) if self.parse else ()
        return replace(node, children=children, markdown=new)

    def plain(self, node, kind: str, name: str, line: int):
        new = self.text(kind, getattr(node, name), line)
        if new is None:
            # a title, alt text or name left in the source language is marked so
            kept = self.kept_lang and getattr(node, name).strip() and hasattr(node, "kept")
            return replace(node, kept=(*node.kept, name)) if kept else node
        return replace(node, **{name: new})

    def phrase(self, node, kind: str, name: str, line: int):
        # plain text held as inline nodes: its words, read back, are the msgid
        source = plain_text(getattr(node, name))
        new = self.text(kind, source, line)
        if new is None:
            return node
        return replace(node, **{name: self.parse(Unit(kind, source, self.file, line, False),
                                                 new) if self.parse else ()})

    def blocks(self, items, context: str | None) -> tuple:
        return tuple(self.visit(b, context) for b in items)

    def heading(self, node: Heading, context: str | None):
        return self.inline(node, "section heading" if node.level == 1 else "subheading")

    def paragraph(self, node: Paragraph, context: str | None):
        return self.inline(node, context or "paragraph")

    def list(self, node: List, context: str | None):
        return replace(node, items=tuple(replace(item, blocks=self.blocks(item.blocks,
                                                                           "list item"))
                                         for item in node.items))

    def figure(self, node: Figure, context: str | None):
        node = self.plain(node, "alt text", "alt", node.line)
        return self.plain(node, "caption", "caption", node.line)

    def table(self, node: Table, context: str | None):
        head = tuple(self.inline(c, "table heading") for c in node.head)
        rows = tuple(tuple(self.inline(c, "table cell") for c in row) for row in node.rows)
        return replace(node, head=head, rows=rows)

    def callout(self, node: Callout, context: str | None):
        return replace(node, blocks=self.blocks(node.blocks, f"{node.kind} box"))

    def contacts(self, node: Contacts, context: str | None):
        contacts = []
        for contact in node.contacts:
            contact = self.plain(contact, "contact name", "name", contact.line)
            for name in ("about", "hours"):
                contact = self.phrase(contact, f"contact {name}", name, contact.line)
            contacts.append(contact)
        return replace(node, contacts=tuple(contacts))

    def quote(self, node: Quote, context: str | None):
        return replace(node, blocks=self.blocks(node.blocks, "quote"))

    def rule(self, node: Rule, context: str | None):
        return node  # a change of subject has no words

    def row(self, node: Row, context: str | None):
        figure = self.visit(node.figure, None) if node.figure is not None else None
        return replace(node, figure=figure, blocks=self.blocks(node.blocks, "easy read row"))


@dataclass
class Message:
    """A message of a catalog: one msgid (in one context) with every place it occurs."""

    msgid: str
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    context: str = ""

    @property
    def key(self) -> Key:
        return (self.context, self.msgid)


def msgids(leaflet: Leaflet) -> list[Key]:
    """The leaflet's distinct messages in reading order, each as (context, msgid):
    ``messages`` without the notes for translators, which applying a catalog does not
    need."""
    found: dict[Key, None] = {}

    def collect(unit: Unit) -> None:
        found.setdefault(unit.key)
        return None

    walk(leaflet, collect)
    return list(found)


def messages(leaflet: Leaflet, region: str | None = None) -> list[Message]:
    """The leaflet's messages in reading order, one per distinct context and msgid."""
    region = region or leaflet.meta.region
    found: dict[Key, Message] = {}

    def collect(unit: Unit) -> None:
        message = found.setdefault(unit.key, Message(unit.text, context=unit.context))
        message.occurrences.append((unit.file, str(unit.line)))
        for note in [KIND_NOTES.get(unit.kind, ""), *tokens.notes(unit.text, region)]:
            if note and note not in message.notes:
                message.notes.append(note)
        return None

    walk(leaflet, collect)
    return list(found.values())
