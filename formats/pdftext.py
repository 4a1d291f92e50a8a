"""The order PDF text extractors read a line in, and the text to give each so that it reads the line as written.

A PDF draws a line's glyphs where they stand, left to right, so right-to-left
text is drawn backwards.  A text extractor gets the line back by putting its
right-to-left stretches back in order, and it takes a marked-content
/ActualText as if its characters stood, left to right, where the span's
glyphs are.  Two extractors are in everyday use, and they do this differently:

- poppler (pdftotext, Evince, Okular) turns a line round as a whole: on a page
  of mostly right-to-left letters it reads the line from its right end, taking
  each stretch of right-to-left letters and neutral characters backwards and
  each stretch of left-to-right letters and numbers forwards; on a page of
  mostly left-to-right letters it reads from the left end.  A space between a
  number and a right-to-left word goes with the stretch on its right, so
  "5 mg" in Arabic comes out as "5mg" unless an invisible directional mark
  stops it.  It honours /ActualText only on a /Span and, nested, the innermost.
- PDFium (Chrome, Edge, Android; as pypdfium2 5 has it) cuts a line into runs
  of one direction, counting combining marks, digits, separators and joiners
  as runs of their own.  On a line of a document that reads right to left
  (/ViewerPreferences /Direction /R2L), or whose right-to-left runs outnumber
  its left-to-right ones, it turns the order of the runs round, keeping each
  run's own order and mirroring the brackets and quotes of a neutral run met
  after a right-to-left one.  It takes an /ActualText as standing in its text
  object, backwards where the object's first letter is a right-to-left one;
  it puts a space between two objects that carry one; and it takes the
  /ActualText of the innermost marked content that has a property list, on
  any tag.

So a word with a vowel mark or a zero-width non-joiner inside it needs a
different string for each.  ``for_poppler`` and ``for_pdfium`` give, for a
line's text as written, the characters to draw (left to right) so that each
extractor reads that text; ``poppler_reading`` and ``pdfium_reading`` are the
two orderings themselves, which the tests use to check them.  The character
classes follow Unicode's bidirectional classes, as both extractors' tables do.
"""

from __future__ import annotations

import unicodedata

LEFT_TO_RIGHT_MARK = "\u200e"
RIGHT_TO_LEFT_MARK = "\u200f"
# An /ActualText PDFium takes for "nothing to read here": it skips a text
# object whose /ActualText has no printable character.
UNREAD = "\u0000"

# PDFium mirrors these in a neutral run it meets reading right to left.
MIRRORED = dict(zip("()<>[]{}«»‹›‘’“”⁅⁆⁽⁾₍₎≤≥", ")(><][}{»«›‹’‘”“⁆⁅⁾⁽₎₍≥≤", strict=True))


def poppler_kind(char: str) -> str:
    """'L' for a left-to-right letter, 'R' for a right-to-left one, '#' for what
    poppler reads with numbers (digits, signs, separators), 'N' for the rest."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL"):
        return "R"
    if kind in ("EN", "AN", "ES", "ET", "CS"):
        return "#"
    return "N"


def pdfium_kind(char: str) -> str:
    """'L', 'R', 'W' for what PDFium keeps in place (digits, signs, separators,
    combining marks, joiners) or 'N' for neutral characters."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL"):
        return "R"
    if kind in ("EN", "AN", "NSM", "CS", "ES", "ET", "BN"):
        return "W"
    return "N"


def pdfium_backwards(glyph_texts: list[str]) -> bool:
    """Whether PDFium takes a text object for right-to-left, from the text of
    each of its glyphs: when the first letter among their first characters
    is a right-to-left one."""
    kinds = (pdfium_kind(text[0]) for text in glyph_texts if text)
    return next((kind for kind in kinds if kind in ("L", "R")), "L") == "R"


# The two readings -------------------------------------------------------------------

def poppler_reading(shown: str, left_to_right: bool) -> str:
    """The text poppler reads from a line whose characters stand, left to
    right, as ``shown``, on a page it reads left to right or not (without the
    embedding marks it adds around each stretch)."""
    kinds = [poppler_kind(char) for char in shown]
    out: list[str] = []
    if left_to_right:
        i = 0
        while i < len(shown):
            j = i
            while j < len(shown) and kinds[j] != "R":
                j += 1
            out.extend(shown[i:j])
            i = j
            while j < len(shown) and kinds[j] not in ("L", "#"):
                j += 1
            out.extend(reversed(shown[i:j]))
            i = j
        return "".join(out)
    i = len(shown) - 1
    while i >= 0:
        j = i
        while j >= 0 and kinds[j] not in ("L", "#"):
            j -= 1
        out.extend(shown[k] for k in range(i, j, -1))
        i = j
        while j >= 0 and kinds[j] != "R":
            j -= 1
        out.extend(shown[j + 1:i + 1])
        i = j
    return "".join(out)


def pdfium_reading(spans: list[tuple[str, bool]], right_to_left: bool) -> str:
    """The text PDFium reads from a line whose text objects give, left to
    right, ``spans``: each an /ActualText and whether PDFium takes the object
    for right-to-left (``pdfium_backwards``), in a document that reads
    right to left or not.  It takes a right-to-left object's /ActualText
    backwards, and on a line it reads right to left it turns the order of the
    runs round, keeping each run's own order, mirroring the brackets of a
    neutral run met after a right-to-left one."""
    shown = "".join(text[::-1] if rtl else text for text, rtl in spans)
    runs = [(kind, [shown[i] for i in run]) for kind, run in _runs(shown, pdfium_kind)]
    turned = _pdfium_turns([kind for kind, _run in runs], right_to_left)
    if turned:
        runs.reverse()
    out: list[str] = []
    for (_kind, run), mirror in zip(runs, _pdfium_mirrored([k for k, _r in runs], turned),
                                    strict=True):
        out.extend([MIRRORED.get(char, char) for char in run] if mirror else run)
    return "".join(out)


# What to draw for each --------------------------------------------------------------

def for_poppler(text: str, left_to_right: bool) -> list[tuple[int, str]]:
    """The characters poppler must find on a line, left to right, to read
    ``text``: each with the index in ``text`` of the character it is or (for an
    invisible directional mark put in to keep a space where it belongs) that it
    stands beside."""
    sections = _poppler_sections(text, left_to_right)
    shown: list[tuple[int, str]] = []
    for kind, run in (sections if left_to_right else reversed(sections)):
        shown.extend(reversed(run) if kind == "R" else run)
    return shown


def for_pdfium(text: str, right_to_left: bool) -> list[tuple[int, str]]:
    """The characters PDFium must find on a line, left to right, to read
    ``text`` in a document that reads right to left or not, each with the index
    in ``text`` of the character it is (a bracket may be its mirror image).
    A right-to-left text object must hold its share of them backwards."""
    runs = _runs(text, pdfium_kind)
    kinds = [kind for kind, _run in runs]
    turned = _pdfium_turns(kinds, right_to_left)
    pieces = [[(i, MIRRORED.get(text[i], text[i]) if mirror else text[i]) for i in run]
              for mirror, (_kind, run) in zip(_pdfium_mirrored(kinds, turned), runs,
                                              strict=True)]
    if turned:
        pieces.reverse()
    return [item for piece in pieces for item in piece]


def poppler_texts(pieces: list[str], left_to_right_order: list[int],
                  left_to_right: bool) -> list[str]:
    """For the spans of one line, ``pieces`` of its text in the order written,
    standing left to right as ``left_to_right_order`` (indices into ``pieces``):
    the /ActualText each needs for poppler, on a page it reads left to right or
    not.  poppler reads the spans' texts one after another, left to right, so
    each span gets as many characters of the line as it holds, in the order
    the line needs them."""
    text = "".join(pieces)
    return _shares(_beside(for_poppler(text, left_to_right), text), pieces,
                   left_to_right_order)


def pdfium_texts(pieces: list[str], left_to_right_order: list[int], right_to_left: bool,
                 backwards: list[bool]) -> list[str]:
    """The /ActualText each span of a line needs for PDFium (as for
    ``poppler_texts``; ``backwards`` says which spans PDFium takes for
    right-to-left objects).  PDFium puts a space between two spans that carry
    /ActualText, so where that would cut a word (an address set in pieces) the
    first span carries the text of both and the second ``UNREAD``; and it may
    meet the spans in another order than they stand (a raised vowel mark
    breaks its line into pieces it reads in drawing order), so each span's
    text has a space at either end, to keep its words from running into
    another's."""
    given = _shares(for_pdfium("".join(pieces), right_to_left), pieces, left_to_right_order)
    carrier = None
    for number in left_to_right_order:
        chars = given[number]
        if carrier is not None and chars and given[carrier] \
                and not given[carrier][-1].isspace() and not chars[0].isspace():
            given[carrier] += chars
            given[number] = UNREAD
        else:
            carrier = number
    return [chars if chars == UNREAD else f" {chars.strip(' ')} "[::-1 if turn else 1]
            for chars, turn in zip(given, backwards, strict=True)]


def _shares(shown: list[tuple[int, str]], pieces: list[str],
            left_to_right_order: list[int]) -> list[str]:
    """``shown`` (a line's characters left to right, each with the index of the
    character of the pieces' text it stands for) cut into the pieces' shares:
    each as many characters as it holds, in ``left_to_right_order``."""
    owner = [number for number, piece in enumerate(pieces) for _char in piece]
    counts = [0] * len(pieces)
    for index, _char in shown:
        counts[owner[index]] += 1
    given = [""] * len(pieces)
    at = 0
    for number in left_to_right_order:
        given[number] = "".join(char for _index, char in shown[at:at + counts[number]])
        at += counts[number]
    return given


def _beside(shown: list[tuple[int, str]], text: str) -> list[tuple[int, str]]:
    """``shown`` with each directional mark counted with the character beside
    it that is not a space, so that a piece of the line that is only spaces
    is given only spaces (poppler ends a word at an /ActualText of one space)."""
    found = list(shown)
    for at, (_index, char) in enumerate(shown):
        if char in (LEFT_TO_RIGHT_MARK, RIGHT_TO_LEFT_MARK):
            for near in (at - 1, at + 1):
                if 0 <= near < len(shown) and not text[shown[near][0]].isspace() \
                        and shown[near][1] not in (LEFT_TO_RIGHT_MARK, RIGHT_TO_LEFT_MARK):
                    found[at] = (shown[near][0], char)
                    break
    return found


# Runs and sections ---------------------------------------------------------------

def _runs(text: str, kind_of) -> list[tuple[str, list[int]]]:
    runs: list[tuple[str, list[int]]] = []
    for index, char in enumerate(text):
        kind = kind_of(char)
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(index)
        else:
            runs.append((kind, [index]))
    return runs


def _pdfium_turns(kinds: list[str], right_to_left: bool) -> bool:
    return right_to_left or kinds.count("R") > kinds.count("L")


def _pdfium_mirrored(kinds: list[str], turned: bool) -> list[bool]:
    """Which runs, in the order PDFium meets them, it mirrors: neutral ones met
    while reading right to left."""
    current = "R" if turned else "L"
    mirrored = []
    for kind in kinds:
        if kind != "W":
            current = kind if kind != "N" else current
        mirrored.append(kind == "N" and current == "R")
    return mirrored


def _poppler_sections(text: str, left_to_right: bool) -> list[tuple[str, list[tuple[int, str]]]]:
    """``text`` cut into the stretches poppler will read, in the order written:
    ('R', characters) read backwards and ('L', characters) read forwards, with
    a directional mark where a space between the two would otherwise be taken
    into the wrong one.  Reading right to left, a left-to-right stretch must
    end on a letter or number and a right-to-left one begin on a right-to-left
    letter; reading left to right, a right-to-left stretch must end on one and
    a left-to-right one begin on a letter or number."""
    strong = [{"R": "R", "L": "L", "#": "L"}.get(poppler_kind(char)) for char in text]
    sections: list[tuple[str, list[tuple[int, str]]]] = []
    pending: list[int] = []  # neutral characters not yet given to a stretch
    for index, kind in enumerate(strong):
        if kind is None:
            pending.append(index)
            continue
        previous = sections[-1][0] if sections else None
        if previous == kind or previous is None:
            if previous is None:
                sections.append((kind, []))
            sections[-1][1].extend((i, text[i]) for i in pending)
        elif left_to_right and kind == "L":  # after a right-to-left stretch
            sections.append((kind, [(pending[0], LEFT_TO_RIGHT_MARK)] if pending else []))
            sections[-1][1].extend((i, text[i]) for i in pending)
        elif not left_to_right and kind == "R":  # after a left-to-right stretch
            sections.append((kind, [(pending[0], RIGHT_TO_LEFT_MARK)] if pending else []))
            sections[-1][1].extend((i, text[i]) for i in pending)
        else:
            sections[-1][1].extend((i, text[i]) for i in pending)
            sections.append((kind, []))
        pending = []
        sections[-1][1].append((index, text[index]))
    if not sections:
        return [("L" if left_to_right else "R", [(i, text[i]) for i in pending])]
    kind, last = sections[-1]
    last.extend((i, text[i]) for i in pending)
    if pending and kind == ("R" if left_to_right else "L"):
        last.append((pending[-1], RIGHT_TO_LEFT_MARK if kind == "R" else LEFT_TO_RIGHT_MARK))
    return sections
