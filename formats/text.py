"""Plain text (UTF-8): for e-mail, SMS excerpts, braille and audio pipelines.

Headings are underlined so they can be found by eye and by ear; no Markdown
syntax leaks through.  Lines wrap at ``options.text_width`` display columns
(wide East Asian characters count two).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from leaflet.model import (
    BlockVisitor, Callout, Contacts, Email, Emphasis, Figure, Heading, Inline, InlineVisitor,
    Leaflet, LineBreak, Link, List, Paragraph, Phone, Quote, Row, Rule, Strong, Table, Text,
    phone_parts, shows_address, visit_inlines,
)

from . import Rendered
from .options import WriterOptions
from .typography import labelled, list_separator
from .shared import (
    CALLOUT_LABELS, PANEL_HEADING, detail_fields, draft_lines, panel_entries, phone_label,
)


def write(leaflet: Leaflet, options: WriterOptions) -> Rendered:
    writer = _TextWriter(leaflet, options)
    return Rendered(writer.document().encode("utf-8"))


def display_width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Wrap at spaces by display width; text with no spaces (Chinese) wraps
    between characters.  ``first`` replaces ``indent`` on the first line."""
    first = indent if first is None else first
    lines: list[str] = []
    current, current_width = first, display_width(first)
    prefix_width = display_width(indent)
    at_start = True
    for word, glued in _words(text):
        word_width = display_width(word)
        needed = word_width + (0 if at_start or glued else 1)
        if current_width + needed > width and not at_start:
            lines.append(current.rstrip())
            current, current_width, at_start = indent, prefix_width, True
        if not at_start and not glued:
            current += " "
            current_width += 1
        current += word
        current_width += word_width
        at_start = False
    if current.strip():
        lines.append(current.rstrip())
    return lines or [first.rstrip()]


def _is_cjk(text: str) -> bool:
    return bool(text) and unicodedata.east_asian_width(text[0]) in ("W", "F")


def _words(text: str) -> list[tuple[str, bool]]:
    """The words a line may break between, each with whether it follows the word
    before with no space (inside a run of wide characters).  A break is allowed
    between any two wide characters, and around a run of narrow ones in their midst,
    but never inside that run: a web address in Chinese text stays whole, and is never
    broken at one of its own hyphens."""
    words: list[tuple[str, bool]] = []
    for chunk in re.split(r"[ \t\n]+", text.strip()):
        if not chunk:
            continue
        if any(_is_cjk(c) for c in chunk):
            pieces = [piece for wide, run in itertools.groupby(chunk, _is_cjk)
                      for piece in (list(run) if wide else ["".join(run)])]
            words.extend((piece, number > 0) for number, piece in enumerate(pieces))
        else:
            words.append((chunk, False))
    return words


LRI, PDI = "\u2066", "\u2069"


def number_text(number: str, rtl: bool = False) -> str:
    """A phone number that wraps as one word and, in right-to-left text, stays
    left-to-right (Unicode isolates, which a reader's bidi display honours)."""
    whole = number.replace(" ", "\u00a0")
    return f"{LRI}{whole}{PDI}" if rtl else whole


def inline_text(nodes: tuple[Inline, ...], rtl: bool = False, ext: str = "ext.") -> str:
    return "".join(visit_inlines(nodes, _TextInlines(rtl, ext)))


@dataclass(frozen=True)
class _TextInlines(InlineVisitor[str]):
    """Inline nodes as plain text: a link keeps its address in brackets."""

    rtl: bool
    ext: str = "ext."  # what the language calls a phone extension

    def text(self, node: Text) -> str:
        return node.text

    def strong(self, node: Strong | Emphasis) -> str:
        return inline_text(node.children, self.rtl, self.ext)

    emphasis = strong

    def link(self, node: Link) -> str:
        label = inline_text(node.children, self.rtl, self.ext)
        return label if shows_address(node) else f"{label} ({node.href})"

    def phone(self, node: Phone) -> str:
        return number_text(" ".join(filter(None, phone_parts(node, self.ext))), self.rtl)

    def email(self, node: Email) -> str:
        return node.address

    def line_break(self, node: LineBreak) -> str:
        return "\n"


class _TextWriter(BlockVisitor[list[str]]):
    def __init__(self, leaflet: Leaflet, options: WriterOptions):
        self.leaflet, self.options, self.width = leaflet, options, options.text_width
        self.rtl = leaflet.meta.direction == "rtl"
        self.language = leaflet.meta.language
        self.separator = list_separator(self.language)
        self._ = options.gettext
        self.ext = options.gettext("ext.")

    def document(self) -> str:
        meta = self.leaflet.meta
        parts: list[str] = []
        for line in draft_lines(self.leaflet, self.options):
            parts.append(f"*** {line} ***")
        if parts:
            parts.append("")
        parts.append(meta.organisation)
        parts.append("")
        rule = "=" * min(self.width, max(display_width(meta.title), 3))
        parts.extend([rule, *wrap(meta.title, self.width), rule])
        if meta.subtitle:
            parts.extend(wrap(meta.subtitle, self.width))
        parts.append("")
        for block in self.leaflet.blocks:
            parts.extend(self.block(block, ""))
        parts.extend(self.panel())
        parts.extend(self.footer())
        text = "\n".join(parts).rstrip() + "\n"
        return text.replace("\u00a0", " ")

    def wrapped(self, text: str, indent: str, first: str | None = None) -> list[str]:
        lines: list[str] = []
        for piece in text.split("\n"):
            lines.extend(wrap(piece, self.width, indent, first if not lines else None))
        return lines

    def block(self, block, indent: str) -> list[str]:
        return self.visit(block, indent)

    def heading(self, block: Heading, indent: str) -> list[str]:
        title = inline_text(block.children, self.rtl, self.ext)
        if block.level == 1:
            return ["", title, "=" * min(self.width, display_width(title)), ""]
        if block.level == 2:
            return [title, "-" * min(self.width, display_width(title)), ""]
        return [title, ""]

    def paragraph(self, block: Paragraph, indent: str) -> list[str]:
        words = inline_text(block.children, self.rtl, self.ext)
        return self.wrapped(words, indent) + [""]

    def list(self, block: List, indent: str) -> list[str]:
        lines: list[str] = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else "- "
            marker += "[ ] " if block.checklist else ""
            item_lines: list[str] = []
            for child in item.blocks:
                child_lines = self.block(child, indent + " " * len(marker))
                item_lines.extend(line for line in child_lines if line)
            if item_lines:
                item_lines[0] = indent + marker + item_lines[0][len(indent) + len(marker):]
            lines.extend(item_lines)
        return lines + [""]

    def figure(self, block: Figure, indent: str) -> list[str]:
        words = f"[{labelled(self._('Picture'), block.alt, self.language)}]"
        if block.caption:
            words += f" {block.caption}"
        return self.wrapped(words, indent) + [""]

    def callout(self, block: Callout, indent: str) -> list[str]:
        label = self._(CALLOUT_LABELS.get(block.kind, "Note"))
        lines = [indent + labelled(label, "", self.language).rstrip()]
        for child in block.blocks:
            lines.extend(self.block(child, indent + "  "))
        return lines

    def quote(self, block: Quote, indent: str) -> list[str]:
        # quoted words stand indented, as on paper
        return [line for child in block.blocks for line in self.block(child, indent + "    ")]

    def rule(self, block: Rule, indent: str) -> list[str]:
        return [indent + "* * *", ""]

    def row(self, block: Row, indent: str) -> list[str]:
        picture = f"[{block.figure.alt}] " if block.figure else ""
        if any(isinstance(child, Contacts) for child in block.blocks):
            # contact details keep their own lines, after the picture's words
            lines = self.wrapped(picture.strip(), indent) if picture else []
            for child in block.blocks:
                lines.extend(self.block(child, indent))
            return lines
        texts = []
        for child in block.blocks:
            texts.extend(line.strip() for line in self.block(child, "") if line.strip())
        return self.wrapped(picture + " ".join(texts), indent) + [""]

    def table(self, table: Table, indent: str) -> list[str]:
        # Columns rarely fit 72 characters: each row becomes a block of
        # "Header: value" lines, which also reads well aloud.
        heads = [inline_text(c.children, self.rtl, self.ext) for c in table.head]
        lines = []
        for row in table.rows:
            for number, cell in enumerate(row):
                label = heads[number] if number < len(heads) else ""
                value = inline_text(cell.children, self.rtl, self.ext)
                text = labelled(label, value, self.language) if label else value
                lines.extend(self.wrapped(text, indent + "  ", indent))
            lines.append("")
        return lines

    def contacts(self, block: Contacts, indent: str) -> list[str]:
        _ = self._
        lines = []
        for contact in block.contacts:
            lines.extend(self.wrapped(contact.name, indent))
            if contact.about:
                lines.extend(self.wrapped(inline_text(contact.about, self.rtl, self.ext),
                                            indent + "  ", indent + "  "))
            for phone in contact.phones:
                number = inline_text((phone,), self.rtl, self.ext)
                lines.append(f"{indent}  {labelled(_(phone_label(phone)), number, self.language)}")
            for email in contact.emails:
                lines.append(f"{indent}  {labelled(_('Email'), email.address, self.language)}")
            if contact.web:
                lines.append(f"{indent}  {labelled(_('Website'), contact.web, self.language)}")
            if contact.hours:
                hours = inline_text(contact.hours, self.rtl, self.ext)
                lines.extend(self.wrapped(labelled(_('Opening hours'), hours, self.language),
                                            indent + "    ", indent + "  "))
            lines.append("")
        return lines

    def panel(self) -> list[str]:
        heading = self._(PANEL_HEADING)
        lines = ["", *wrap(heading, self.width), "-" * min(self.width, display_width(heading)), ""]
        for _lang, name, _direction, editions in panel_entries(self.options):
            lines.extend(self.wrapped(labelled(name, self.separator.join(editions), self.language),
                                      "  ", "- "))
        if self.leaflet.meta.requests:
            lines.append("")
            requests = inline_text(self.leaflet.meta.requests, self.rtl, self.ext)
            lines.extend(self.wrapped(requests, ""))
        return lines + [""]

    def footer(self) -> list[str]:
        meta = self.leaflet.meta
        lines = ["-" * min(self.width, 40)]
        lines.extend(self.wrapped(meta.organisation, ""))
        for label, value in detail_fields(self.leaflet, self.options):
            lines.append(labelled(label, value, self.language))
        return lines
