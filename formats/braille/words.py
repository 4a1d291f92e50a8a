"""Text to braille words: inline nodes become one string for liblouis, and its braille
comes back cut into the words a line may break between.

A paragraph goes to liblouis whole, so that contractions, capital and number
indicators see their context.  Phone numbers, e-mail and web addresses, which the
source made nodes of (nothing here looks for them in text), are marked in the
string: they are written uncontracted (UEB writes addresses letter for letter, so
that they read back exactly) and their inner spaces never break a line; nor does a
no-break space, which binds a number to its unit ("40 mg").
Which braille cell came from which character is liblouis's ``inputPos``.

What the language's table cannot write in six dots, where it stands (Latin letters
and an address's punctuation in Urdu, an Italian address's hyphen, Romanian digits,
which ro.ctb writes with dot 8, Lithuanian's "½", which lt-6dot.tbl writes as dot 7
alone, Persian's "&" and "/"), is written with the foreign table, uncontracted UEB,
as a braille edition writes a foreign word in its own code; what neither table writes
(a rare Ethiopic syllable) is left out and counted, for the writer's warning.  A cell
with dot 7 or 8 is kept, as its six dots, only for a space or an invisible character
whose cell is blank in six dots, and for a capital the table marks only with dot 7
(written as its small letter, and counted for the warning); any other character so
written counts as one the table cannot write.  Nothing is dropped unsaid.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
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
# What becomes of each character of a run: written by the language's own table, by the
# foreign table (``tables.foreign``), left out (no table writes it), or written by the
# own table as its small letter (a capital the table marks with dot 7).
OWN, FOREIGN, GONE, LOWER = "own", "foreign", "gone", "lower"
EIGHT_DOT_CELL = re.compile("[\u2840-\u28ff]")  # a cell with dot 7 or dot 8


@dataclass
class LeftOut:
    """What a leaflet's braille could not write, for the writer's one warning: each
    character no table writes, with how often, and how many capitals were written as
    small letters because the table marks capitals only with dot 7."""

    characters: Counter = field(default_factory=Counter)
    capitals: int = 0


def braille_words(run: Run, table: str, foreign: str = "",
                  left_out: LeftOut | None = None) -> list[Word]:
    """The run in braille, cut at its blank cells into words; a blank that comes from a
    space inside a kept span (a phone number) stays inside its word.  ``table`` is the
    language's table list; what it cannot write in six dots is written with ``foreign``
    (as a braille edition writes a foreign word in that word's code) or, where neither
    writes it, left out and counted in ``left_out``."""
    if not run.text.strip():
        return []
    run = _recomposed(run, table)
    cells, positions = _written(run, table, foreign, left_out if left_out is not None
                                else LeftOut())
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


def _translate(run: Run, table: str, start: int, end: int,
               spell_undefined: bool = False) -> tuple[str, list[int]]:
    """``run.text[start:end]`` through liblouis with the run's marks, each cell's
    position counted in the whole run."""
    bold, italic = louis.emphasis_typeform(table, "bold"), louis.emphasis_typeform(table, "italic")
    forms = [(louis.NO_CONTRACT if plain else 0)
             | (bold if style == "bold" else italic if style == "italic" else 0)
             for plain, style in zip(run.uncontracted[start:end], run.emphasis[start:end],
                                     strict=True)]
    cells, positions = louis.translate(table, run.text[start:end], forms, spell_undefined)
    return cells, [position + start for position in positions]


def _written(run: Run, table: str, foreign: str, left_out: LeftOut) -> tuple[list[str], list[int]]:
    """The run's cells, each with the index of the character it came from: the whole run
    in the language's table when it writes all of it in six dots (nearly always);
    otherwise in pieces, each in the table that writes it."""
    cells, positions = _translate(run, table, 0, len(run.text))
    if not _doubtful(run.text, cells, table):
        return list(cells), positions
    kinds = _kinds(run, table, foreign, cells, positions)
    out_cells: list[str] = []
    out_positions: list[int] = []
    for start, end, code in _pieces(kinds, table, foreign):
        piece = (cells, positions) if (start, end, code) == (0, len(run.text), table) \
            else _translate(run, code, start, end)
        if code == foreign:
            for position in _lacking(run, code, start, end, *piece)[0]:
                kinds[position] = GONE
        for cell, position in zip(*piece, strict=True):
            if kinds[position] != LOWER and _misread(run.text[position], cell):
                kinds[position] = GONE
            else:
                out_cells.append(cell)
                out_positions.append(position)
    for position, kind in enumerate(kinds):
        if kind == GONE:
            left_out.characters[run.text[position]] += 1
        elif kind == LOWER:
            left_out.capitals += 1
    kept = [(cell, position) for cell, position in zip(out_cells, out_positions, strict=True)
            if kinds[position] != GONE]
    return [cell for cell, _ in kept], [position for _, position in kept]


def _doubtful(text: str, cells: str, table: str) -> bool:
    """Whether the table may not write all of the text in six dots: a character it has
    no braille for on its own (a combining mark may still be written with its letter),
    or a cell with dots 7 or 8."""
    return _eight_dots(cells) or any(not _writes(table, char) for char in set(text))


def _kinds(run: Run, table: str, foreign: str, cells: str, positions: list[int]) -> list[str]:
    """What becomes of each character (OWN, FOREIGN, GONE, LOWER)."""
    lacking, lowered = _lacking(run, table, 0, len(run.text), cells, positions)
    kinds = []
    for index, char in enumerate(run.text):
        if index in lowered:
            kinds.append(LOWER)
        elif index not in lacking:
            kinds.append(OWN)
        else:
            kinds.append(FOREIGN if foreign and _writes(foreign, char) else GONE)
    return _whole_words(run.text, kinds, foreign)


def _lacking(run: Run, table: str, start: int, end: int, cells: str,
             positions: list[int]) -> tuple[set[int], set[int]]:
    """The characters of ``run.text[start:end]`` the table cannot write in six dots
    where they stand (given its cells and positions for them): those it leaves out and
    those it writes with dots 7 or 8; and apart, the capitals it writes as their small
    letter with dot 7 (Romanian's ro.ctb), which six dots write as the small letter."""
    _, spelled = _translate(run, table, start, end, spell_undefined=True)
    written: dict[int, str] = {}
    for cell, position in zip(cells, positions, strict=True):
        written[position] = written.get(position, "") + cell
    lacking = set(spelled) - set(written)
    lowered = set()
    for position, braille in written.items():
        char = run.text[position]
        if not _eight_dots(braille):
            continue
        if char != char.lower() and "".join(map(six_dots, braille)) == _alone(table, char.lower()):
            lowered.add(position)
        elif any(_misread(char, cell) for cell in braille):
            lacking.add(position)
    return lacking, lowered


# Signs whose dot-7 or dot-8 cell, its extra dots dropped, is the sign's own six-dot
# form, so that six dots write it as the table means.  None is known among the tables
# chosen: each sign they write with dots 7 or 8 ("@" as dots 4 and 7 in ro.ctb,
# ethio-g1.ctb and the Chinese tables, Persian's "&" and "/", Lithuanian's "½" as dot 7
# alone) is written in UEB, whose six-dot forms read back, or named in the warning.
# Add a sign here only with the braille code that gives its six-dot form.
SIX_DOT_FORMS: dict[str, frozenset[str]] = {}


def _misread(char: str, cell: str) -> bool:
    """Whether the cell, written for the character, needs its dot 7 or dot 8: it would
    read as another sign, or as nothing, once they are dropped (ro.ctb's 9 is i with dot
    8, Persian's "&" is its ⠯ with dot 8 and "_" dot 8 alone, lt-6dot.tbl's "½" dot 7
    alone).  A space or an invisible character whose cell is blank in six dots does not
    (Persian's zero-width non-joiner is a space with dot 8), nor a sign listed in
    ``SIX_DOT_FORMS`` with that cell."""
    if not _eight_dots(cell):
        return False
    if unicodedata.category(char)[0] in "ZC" and six_dots(cell) == BLANK:
        return False
    return cell not in SIX_DOT_FORMS.get(char, frozenset())


def _whole_words(text: str, kinds: list[str], foreign: str) -> list[str]:
    """A word with characters for the foreign table and none of the language's own
    letters (an address or a Latin name in Urdu) goes to the foreign table whole, its
    digits and punctuation too: a name or an address is written in one code.  A word of
    the language's letters keeps them, and only what its table lacks is foreign (an
    Italian address's hyphen).  Spaces stay the language's: each foreign word stands
    alone, as every braille code writes "0191 445 2180" (UEB would join a number's
    groups with its numeric space)."""
    for is_space, run in itertools.groupby(range(len(text)), key=lambda i: text[i].isspace()):
        if is_space:
            continue
        span = list(run)
        if FOREIGN in (kinds[i] for i in span) and not any(
                kinds[i] in (OWN, LOWER) and _own_only(text[i], foreign) for i in span):
            for i in span:
                kinds[i] = FOREIGN if kinds[i] == OWN else kinds[i]
    return kinds


def _own_only(char: str, foreign: str) -> bool:
    """A letter or mark, or a character the foreign table does not write: one that keeps
    its word in the language's table."""
    return unicodedata.category(char)[0] in "LM" or not _writes(foreign, char)


def _pieces(kinds: list[str], table: str, foreign: str) -> list[tuple[int, int, str]]:
    """The run cut where the table changes: (start, end, table list).  A character left
    out stays with what comes before it."""
    pieces: list[tuple[int, int, str]] = []
    for index, kind in enumerate(kinds):
        code = foreign if kind == FOREIGN else \
            pieces[-1][2] if kind == GONE and pieces else table
        if pieces and pieces[-1][2] == code:
            pieces[-1] = (pieces[-1][0], index + 1, code)
        else:
            pieces.append((index, index + 1, code))
    return pieces


def _recomposed(run: Run, table: str) -> Run:
    """The run with each letter and mark that Unicode keeps apart in NFC (Bengali ড়, a
    composition exclusion, is ড and the nukta ়) as the one character, where the table
    has braille for the character and none for the mark after the letter: bn.tbl writes
    ড় as ⠻ but leaves the nukta out of ড ়."""
    marks = _excluded_marks()
    joined = [index for index in range(1, len(run.text))
              if run.text[index] in marks and _joins(table, run.text[index - 1:index + 1])]
    if not joined:
        return run
    out = Run()
    for index, char in enumerate(run.text):
        if index + 1 in joined:
            char = _excluded()[run.text[index:index + 2]]
        elif index in joined:
            continue
        out.text += char
        out.keep.append(run.keep[index])
        out.uncontracted.append(run.uncontracted[index])
        out.emphasis.append(run.emphasis[index])
    return out


@functools.lru_cache(maxsize=None)
def _joins(table: str, pair: str) -> bool:
    whole = _excluded().get(pair)
    return whole is not None and _writes(table, whole) and _alone(table, pair) is None


@functools.lru_cache(maxsize=1)
def _excluded() -> dict[str, str]:
    """Each character of the Basic Multilingual Plane that NFC writes as its letter and
    mark (Unicode's composition exclusions), by those two."""
    found = {}
    for code in range(0x10000):
        char = chr(code)
        parts = unicodedata.normalize("NFD", char)
        if len(parts) == 2 and unicodedata.normalize("NFC", parts) == parts:
            found[parts] = char
    return found


@functools.lru_cache(maxsize=1)
def _excluded_marks() -> frozenset[str]:
    return frozenset(pair[1] for pair in _excluded())


@functools.lru_cache(maxsize=None)
def _alone(table: str, text: str) -> str | None:
    """The table's braille for a character (or two) standing alone, None when it leaves
    any of them out."""
    cells, _ = louis.translate(table, text)
    spelled, _ = louis.translate(table, text, spell_undefined=True)
    return cells if cells == spelled else None


@functools.lru_cache(maxsize=None)
def _writes(table: str, char: str) -> bool:
    """Whether the table writes the character, on its own, in six dots (and in some cell,
    unless it is a space or an invisible character)."""
    braille = _alone(table, char)
    return braille is not None and not _eight_dots(braille) \
        and (braille != "" or unicodedata.category(char)[0] in "CZ")


def _eight_dots(cells: str) -> bool:
    return EIGHT_DOT_CELL.search(cells) is not None


def six_dots(cell: str) -> str:
    """A cell within the 64 of six-dot braille, as a six-dot embosser embosses it: dots 7
    and 8 dropped.  Only cells that still read right come here (``_misread``): a capital
    the table marks only with dot 7 (its small letter, and said), a space or invisible
    character marked with dot 8 (still blank), a sign in ``SIX_DOT_FORMS``; any other
    character the table writes with dots 7 or 8 is written by another table or left out,
    and said."""
    code = ord(cell)
    if 0x2840 <= code <= 0x28FF:
        return chr(0x2800 | (code - 0x2800) & 0x3F)
    if not 0x2800 <= code <= 0x283F:
        return BLANK  # not braille at all (liblouis passes nothing else, but BRF must hold)
    return cell
