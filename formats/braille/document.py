"""The leaflet as braille pages: the model walked in reading order, each block in its
braille format (UKAAF/BANA), then paginated.

Formats, in cells counted from 1: a section heading centred with a blank line
around it, a subsection at the margin after a blank line, lower headings in cell
5; paragraphs in cell 3 running over to cell 1, with no blank line between them;
list items in cell 1 running over to cell 3 (nested lists two cells further in);
a table one block per row, "Header: value" per cell; contacts one block each,
every phone number, e-mail and web address on a line of its own; a note between
box lines; a picture as its alt text.  Page 1 opens with the DRAFT notice (a
translation not signed off) and the print title centred; the "also available"
panel, then the leaflet's details (code, version, dates, owner, online address)
close the leaflet.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from leaflet import langs
from leaflet.errors import LeafletError, Problem
from leaflet.model import (
    BlockVisitor, Callout, Contact, Contacts, Figure, Heading, Leaflet, List, Paragraph, Quote,
    Row, Rule, Table,
)

from ..options import WriterOptions
from ..shared import (
    CALLOUT_LABELS, PANEL_HEADING, detail_fields, draft_lines, panel_entries, phone_label,
)
from . import tables
from .layout import Block, centre, paginate, right, wrap
from .words import LeftOut, Run, braille_words, inline_runs, plain_run

BOX_TOP, BOX_BOTTOM = "\u2836", "\u281b"  # full lines of dots 2356 above, 1245 below
SEPARATOR = "\u2824" * 6  # a thematic break
MIN_CELLS, MIN_LINES = 12, 4


@dataclass(frozen=True)
class Braille:
    """A leaflet laid out in braille: each page's lines as Unicode braille (blank cells
    U+2800, no trailing blanks), page 1 first; ``warnings`` say what of the print the
    braille could not write (for ``Rendered.warnings``)."""

    pages: tuple[tuple[str, ...], ...]
    table: tables.Table
    cells: int
    lines: int
    warnings: tuple[Problem, ...] = ()


def braille(leaflet: Leaflet, options: WriterOptions) -> Braille:
    """Lay out a leaflet; NoBrailleTable when liblouis has no table for its language."""
    cells, lines = options.braille_cells, options.braille_lines
    if cells < MIN_CELLS or lines < MIN_LINES:
        raise LeafletError("", None, f"a braille page of {cells} cells by {lines} lines is too "
                           f"small (at least {MIN_CELLS} cells by {MIN_LINES} lines)")
    table = tables.find(leaflet.meta.language, options.braille_grade)
    writer = _Writer(leaflet, options, table)
    body = paginate(writer.blocks(), lines - 1)
    pages = tuple((right(writer.number(n), cells), *page) for n, page in enumerate(body, 1))
    return Braille(pages, table, cells, lines, writer.warnings())


class _Writer(BlockVisitor[list[Block]]):
    def __init__(self, leaflet: Leaflet, options: WriterOptions, table: tables.Table):
        # the liblouis table: ``self.table`` is the visitor's method for a Table block
        self.leaflet, self.options, self.code = leaflet, options, table
        self.foreign = tables.foreign(table)
        self.left_out = LeftOut()
        self.width = options.braille_cells
        self._ = options.gettext

    # Words -----------------------------------------------------------------------

    def words(self, run: Run, table: tables.Table | None = None) -> list[str]:
        table = table or self.code
        foreign = tables.foreign(table) if table is not self.code else self.foreign
        return braille_words(run, table.table_list, foreign.table_list if foreign else "",
                             self.left_out)

    def warnings(self) -> tuple[Problem, ...]:
        """One warning for all that the braille could not write, if anything."""
        lang, left_out = self.leaflet.meta.language, self.left_out
        said = []
        if left_out.characters:
            codes = f"neither {self.code.name} nor {self.foreign.name}" if self.foreign \
                else f"not {self.code.name}"
            chars = ", ".join(f'U+{ord(char):04X} {unicodedata.name(char, "")} "{char}" '
                              f"{times(count)}"
                              for char, count in sorted(left_out.characters.items()))
            said.append(f"leaves out what {codes} can write: {chars}")
        if left_out.capitals:
            said.append(f"writes {left_out.capitals} capital letters as small letters: "
                        f"{self.code.name} marks capitals only with dot 7, which six-dot "
                        "braille has not")
        if not said:
            return ()
        name = f"{langs.english_name(lang)} ({lang})" if langs.babel_locale(lang) else lang
        return (Problem(self.leaflet.path, None, f"the braille in {name} {'; and '.join(said)}",
                        warning=True),)

    def fill(self, words: list[str], first: int, runover: int) -> list[str]:
        return wrap(words, self.width, first, runover, self.code.continuation)

    def centre(self, words: list[str]) -> list[str]:
        return centre(words, self.width, self.code.continuation)

    def text(self, text: str, first: int = 1, runover: int = 1) -> list[str]:
        return self.fill(self.words(plain_run(text)), first, runover)

    def runs(self, runs: list[Run], first: int, runover: int) -> list[str]:
        lines: list[str] = []
        for run in runs:
            lines += self.fill(self.words(run), runover if lines else first, runover)
        return lines

    def number(self, page: int) -> str:
        """A braille page number, in the number signs of the leaflet's own code."""
        return "".join(self.words(plain_run(str(page))))

    def labelled(self, label: str, value: str, first: int, runover: int) -> list[str]:
        """"Label: value" with the value (a number or an address) kept whole and
        uncontracted."""
        run = Run()
        run.add(f"{label}: ")
        run.add(value, keep=True, uncontracted=True)
        return self.fill(self.words(run), first, runover)

    # The document ------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        out = self.opening()
        for block in self.leaflet.blocks:
            out += self.block(block, 1)
        return out + self.panel() + self.closing()

    def opening(self) -> list[Block]:
        meta = self.leaflet.meta
        out = [Block(tuple(self.draft_notice()))] if self.options.draft else []
        title = [*self.centre(self.words(plain_run(meta.title)))]
        if meta.subtitle:
            title += self.centre(self.words(plain_run(meta.subtitle)))
        out.append(Block(tuple(title), space=bool(out), whole=True))
        out.append(Block(tuple(self.centre(self.words(plain_run(meta.organisation)))),
                         space=True))
        return out

    def draft_notice(self) -> list[str]:
        lines: list[str] = []
        for number, line in enumerate(draft_lines(self.leaflet, self.options)):
            # The first line is English: in English braille, where liblouis has it.
            table = self.code
            if number == 0 and not self.leaflet.meta.language.startswith("en"):
                table = self._english() or self.code
            lines += self.fill(self.words(plain_run(line), table), 1, 1)
        return lines

    def _english(self) -> tables.Table | None:
        try:
            return tables.find("en", self.options.braille_grade)
        except tables.NoBrailleTable:
            return None

    def block(self, block, indent: int) -> list[Block]:
        return self.visit(block, indent)

    def heading(self, node: Heading, indent: int) -> list[Block]:
        return [self.heading_lines(node.level, inline_runs(node.children))]

    def paragraph(self, node: Paragraph, indent: int) -> list[Block]:
        return [Block(tuple(self.runs(inline_runs(node.children), indent + 2, indent)))]

    def figure(self, node: Figure, indent: int) -> list[Block]:
        alt = f"[{self._('Picture')}: {node.alt}]"
        if node.caption:
            alt += f" {node.caption}"
        return [Block(tuple(self.text(alt, indent + 2, indent)))]

    def table(self, node: Table, indent: int) -> list[Block]:
        return self.table_rows(node, indent)

    def contacts(self, node: Contacts, indent: int) -> list[Block]:
        return [self.contact(contact, indent, space=True) for contact in node.contacts]

    def quote(self, node: Quote, indent: int) -> list[Block]:
        # displayed material: set in two cells from the text around it, a blank line
        # before and after, as braille formats set quotations apart
        out: list[Block] = []
        for child in node.blocks:
            out += self.block(child, indent + 2)
        if out:
            out[0] = Block(out[0].lines, space=True, whole=out[0].whole,
                           with_next=out[0].with_next)
            out.append(Block(("",)))
        return out

    def rule(self, node: Rule, indent: int) -> list[Block]:
        # a change of subject: a short centred line of dots 3-6, apart from the box lines
        return [Block(tuple(self.centre([SEPARATOR])), space=True)]

    def row(self, node: Row, indent: int) -> list[Block]:
        out = [Block(tuple(self.text(f"[{node.figure.alt}]", indent, indent + 2)))] \
            if node.figure else []
        for child in node.blocks:
            out += self.block(child, indent)
        return out

    def heading_lines(self, level: int, runs: list[Run]) -> Block:
        words = [word for run in runs for word in self.words(run)]
        if level <= 1:
            # the blank line after it is part of it: the next block's space is then one
            return Block((*self.centre(words), ""), space=True, with_next=True)
        cell = 1 if level == 2 else 5
        return Block(tuple(self.fill(words, cell, cell)), space=True, with_next=True)

    def list(self, block: List, indent: int) -> list[Block]:
        out: list[Block] = []
        for number, item in enumerate(block.items, start=block.start):
            prefix = f"{number}. " if block.ordered else ""
            for position, child in enumerate(item.blocks):
                if isinstance(child, Paragraph) and position == 0:
                    runs = inline_runs(child.children, prefix)
                    out.append(Block(tuple(self.runs(runs, indent, indent + 2)),
                                     space=not out and indent == 1))
                else:
                    out += self.block(child, indent + 2)
        if out and indent == 1:
            out.append(Block(("",)))  # a blank line after a list, as before it
        return out

    def table_rows(self, table: Table, indent: int) -> list[Block]:
        heads = [cell.children for cell in table.head]
        out = []
        for row in table.rows:
            lines: list[str] = []
            for number, cell in enumerate(row):
                label = ""
                if number < len(heads) and heads[number]:
                    label = "".join(run.text for run in inline_runs(heads[number])) + ": "
                lines += self.runs(inline_runs(cell.children, label), indent, indent + 2)
            out.append(Block(tuple(lines), space=True, whole=True))
        return out

    def callout(self, callout: Callout, indent: int) -> list[Block]:
        label = self._(CALLOUT_LABELS.get(callout.kind, "Note"))
        out = [Block((BOX_TOP * self.width, *self.text(f"{label}:", indent, indent)),
                     space=True, with_next=True)]
        for child in callout.blocks:
            out += self.block(child, indent)
        out.append(Block((BOX_BOTTOM * self.width,)))
        return out

    def contact(self, contact: Contact, indent: int, space: bool) -> Block:
        _ = self._
        lines = self.text(contact.name, indent, indent + 2)
        if contact.about:
            lines += self.runs(inline_runs(contact.about), indent + 2, indent + 2)
        # Each number and address on a line of its own, its label before it; a number
        # too long for the rest of the line moves whole to the next.
        for label, value in ([(_(phone_label(phone)), phone.display) for phone in contact.phones]
                             + [(_("Email"), email.address) for email in contact.emails]
                             + ([(_("Website"), contact.web)] if contact.web else [])):
            lines += self.labelled(label, value, indent + 2, indent + 4)
        if contact.hours:
            lines += self.runs(inline_runs(contact.hours, f"{_('Opening hours')}: "),
                               indent + 2, indent + 4)
        return Block(tuple(lines), space=space, whole=True)

    def panel(self) -> list[Block]:
        out = [self.heading_lines(2, [plain_run(self._(PANEL_HEADING))])]
        for lang, _name, _direction, editions in panel_entries(self.options):
            # The language named in the leaflet's language, which its braille can write.
            name = language_name(lang, self.leaflet.meta.language)
            out.append(Block(tuple(self.text(f"{name}: {', '.join(editions)}", 1, 3)),
                             space=len(out) == 1))
        if self.leaflet.meta.requests:
            out.append(Block(tuple(self.runs(inline_runs(self.leaflet.meta.requests), 3, 1)),
                             space=True))
        return out

    def closing(self) -> list[Block]:
        # the details the text edition ends with: code, version, dates, owner, online copy
        lines = self.text(self.leaflet.meta.organisation)
        for label, value in detail_fields(self.leaflet, self.options):
            if value == self.leaflet.meta.online:
                lines += self.labelled(label, value, 1, 3)
            else:
                lines += self.text(f"{label}: {value}", 1, 3)
        return [Block(tuple(lines), space=True, whole=True)]


def times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def language_name(lang: str, in_lang: str) -> str:
    """A language's name in another language ("Arabic", "arabski"), or its own name."""
    locale, reader = langs.babel_locale(lang), langs.babel_locale(in_lang)
    if locale is None or reader is None:
        return langs.native_name(lang)
    name = locale.get_language_name(reader) or langs.native_name(lang)
    return name[:1].upper() + name[1:]

