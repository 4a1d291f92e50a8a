"""Text to braille words: inline nodes become one string for liblouis, and its braille
comes back cut into the words a line may break between.

A paragraph goes to liblouis whole, so that contractions, capital and number
indicators see their context.  Phone numbers, e-mail and web addresses, which the
source made nodes of (nothing here looks for them in text), are marked in the string: they are written uncontracted (UEB writes addresses letter for
letter, so that they read back exactly) and their inner spaces never break a line;
nor does a no-break space, which binds a number to its unit ("40 mg").
Which braille cell came from which character is liblouis's ``inputPos``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from leaflet.model import (
    Email, Emphasis, Inline, InlineVisitor, LineBreak, Link, Phone, Strong, Text, plain_text,
    visit_inlines,
)

from . import louis

BLANK = "\u2800"  # the empty braille cell: a space

# Direction marks and isolates order print on screen; braille is in logical order.
INVISIBLE = dict.fromkeys([0x00AD, 0x200E, 0x200F, *range(0x202A, 0x202F),
                           *range(0x2066, 0x206A)])
SPACES = dict.fromkeys([0x0009, 0x000A, 0x000D, 0x2009], " ")
# A no-break space (the source puts one between a number and its unit, "40 mg") is a
# space liblouis sees and a line never breaks at.
NO_BREAK = "\u00a0"
NO_BREAK_SPACES = dict.fromkeys([0x00A0, 0x2007, 0x202F], NO_BREAK)


@dataclass
class Run:
    """Text to translate, with per-character marks: ``keep`` (no line break inside),
    ``uncontracted`` (an address or number) and emphasis ("bold", "italic")."""

    text: str = ""
    keep: list[bool] = field(default_factory=list)
    uncontracted: list[bool] = field(default_factory=list)
    emphasis: list[str] = field(default_factory=list)

    def add(self, text: str, keep: bool = False, uncontracted: bool = False,
            emphasis: str = "") -> None:
        text = clean(text)
        self.keep += [keep or char == NO_BREAK for char in text]
        self.text += text.replace(NO_BREAK, " ")
        self.uncontracted += [uncontracted] * len(text)
        self.emphasis += [emphasis] * len(text)



def clean(text: str) -> str:
    text = text.translate(INVISIBLE).translate(SPACES).translate(NO_BREAK_SPACES)
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class _InlineVisitor(InlineVisitor[None]):
    """Inline nodes into runs (model.InlineVisitor): a line break starts a new run,
    that is a new braille line; ``style`` is the emphasis the nodes sit inside."""

    runs: list[Run]
    style: str = ""

    def _run(self) -> Run:
        return self.runs[-1]

    def text(self, node: Text) -> None:
        self._run().add(node.text, emphasis=self.style)

    def strong(self, node: Strong) -> None:
        visit_inlines(node.children, _InlineVisitor(self.runs, self.style or "bold"))

    def emphasis(self, node: Emphasis) -> None:
        visit_inlines(node.children, _InlineVisitor(self.runs, self.style or "italic"))

    def link(self, node: Link) -> None:
        label = plain_text(node.children, line_break=" ")
        if label.strip() != node.href:
            visit_inlines(node.children, self)
            self._run().add(" (")
        self._run().add(node.href, keep=True, uncontracted=True)
        if label.strip() != node.href:
            self._run().add(")")

    def phone(self, node: Phone) -> None:
        self._run().add(node.display, keep=True, uncontracted=True)

    def email(self, node: Email) -> None:
        self._run().add(node.address, keep=True, uncontracted=True)

    def line_break(self, node: LineBreak) -> None:
        self.runs.append(Run())


def inline_runs(nodes: tuple[Inline, ...], prefix: str = "") -> list[Run]:
    """The runs of a paragraph's inlines (one per line the source breaks)."""
    runs = [Run()]
    if prefix:
        runs[0].add(prefix)
    visit_inlines(nodes, _InlineVisitor(runs))
    return [run for run in runs if run.text.strip()] or [Run()]


def plain_run(text: str) -> Run:
    run = Run()
    run.add(text)
    return run


class Word(str):
    """A braille word; ``cuts`` are the places (cell offsets) where it may best be cut
    if it is longer than a line: after the slashes, dots and hyphens of an address."""

    cuts: frozenset[int] = frozenset()

    @classmethod
    def make(cls, cells: str, cuts=()) -> "Word":
        word = cls(cells)
        word.cuts = frozenset(cut for cut in cuts if 0 < cut < len(cells))
        return word


CUT_AFTER = set("/.-_@?&=#")


def braille_words(run: Run, table: str) -> list[Word]:
    """The run in braille, cut at its blank cells into words; a blank that comes from a
    space inside a kept span (a phone number) stays inside its word."""
    if not run.text.strip():
        return []
    bold, italic = louis.emphasis_typeform(table, "bold"), louis.emphasis_typeform(table, "italic")
    forms = [(louis.NO_CONTRACT if plain else 0)
             | (bold if style == "bold" else italic if style == "italic" else 0)
             for plain, style in zip(run.uncontracted, run.emphasis, strict=True)]
    cells, positions = louis.translate(table, run.text, forms)
    words: list[Word] = []
    current: list[str] = []
    cuts: list[int] = []
    for index, (cell, position) in enumerate(zip(cells, positions, strict=True)):
        kept = 0 <= position < len(run.keep) and run.keep[position]
        if cell == BLANK and not kept:
            if current:
                words.append(Word.make("".join(current), cuts))
            current, cuts = [], []
            continue
        current.append(six_dots(cell))
        following = positions[index + 1] if index + 1 < len(positions) else -1
        if 0 <= position < len(run.text) and run.text[position] in CUT_AFTER \
                and following != position:
            cuts.append(len(current))
    if current:
        words.append(Word.make("".join(current), cuts))
    return words


def six_dots(cell: str) -> str:
    """A cell within the 64 of six-dot braille.  Six-dot tables use dots 7 and 8 only for
    a character they do not define (Bengali's "@"); BRF cannot carry them, so the cell
    keeps its upper six dots, as a six-dot embosser would emboss it."""
    code = ord(cell)
    if 0x2840 <= code <= 0x28FF:
        return chr(0x2800 | (code - 0x2800) & 0x3F)
    if not 0x2800 <= code <= 0x283F:
        return BLANK  # not braille at all (liblouis passes nothing else, but BRF must hold)
    return cell
