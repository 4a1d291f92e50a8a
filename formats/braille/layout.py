"""Braille words into lines and lines into pages, to the braille formatting conventions.

Cells are counted from 1, as transcribers do: "cell 3" is two blank cells in.
Braille is never hyphenated, so a line breaks only between words; only a word
longer than a whole line (a long web address) is cut.  No line is wider than the
page, at any width: indents stop at the middle of the line.  Each page's first line
carries the braille page number at its right end; a page never begins with a
blank line; a heading never ends a page and keeps at least two lines of what
follows on its page; a block marked whole (a contact, a table row) moves to the
next page rather than split, when it fits on one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .words import BLANK

CENTRE_MARGIN = 3  # blank cells at least on each side of a centred heading


@dataclass(frozen=True)
class Block:
    """Some lines that are laid out together.  ``space`` is a blank line before them
    (dropped at the top of a page); ``whole`` keeps them on one page when they fit;
    ``with_next`` keeps them on the page of the next block's first lines."""

    lines: tuple[str, ...]
    space: bool = False
    whole: bool = False
    with_next: bool = False


def wrap(words: list[str], width: int, first: int = 1, runover: int = 1,
         continuation: str = "") -> list[str]:
    """Words into lines of at most ``width`` cells, the first line starting in cell
    ``first``, the others in cell ``runover``.  A word longer than a whole line (only
    a web address is) is cut; with a ``continuation`` sign (UEB's line continuation
    indicator) to end the line, after one of its slashes or dots where one falls in
    the second half of the line.  However deep a list nests, at least half of each line
    is left for its words: an indent beyond that stops at the middle cell, so no line
    is ever wider than ``width``."""
    deepest = max(0, min(width // 2, width - 1 - len(continuation)))  # blank cells before words
    first, runover = min(first, deepest + 1), min(runover, deepest + 1)
    lines: list[str] = []
    current, fresh = BLANK * (first - 1), True
    for word in words:
        cuts = getattr(word, "cuts", frozenset())
        while word:
            room = width - len(current) - (0 if fresh else 1)
            if len(word) <= room:
                current += ("" if fresh else BLANK) + word
                fresh, word = False, ""
            elif not fresh:
                lines.append(current)
                current, fresh = BLANK * (runover - 1), True
            else:
                room = max(room - len(continuation), 1)
                # Without a continuation sign, a cut fills its line: the full line is
                # the only sign that the word goes on.
                preferred = cuts if continuation else ()
                cut = max((c for c in preferred if room // 2 <= c <= room), default=room)
                lines.append(current + word[:cut] + continuation)
                word = word[cut:]
                cuts = frozenset(c - cut for c in cuts if c > cut)
                current, fresh = BLANK * (runover - 1), True
    if not fresh or not lines:
        lines.append(current)
    return [line.rstrip(BLANK) for line in lines]


def centre(words: list[str], width: int, continuation: str = "") -> list[str]:
    """Lines centred on the page, with at least three blank cells each side."""
    inner = width - 2 * CENTRE_MARGIN if width > 4 * CENTRE_MARGIN else width
    return [BLANK * ((width - len(line)) // 2) + line
            for line in wrap(words, inner, continuation=continuation)]


def right(cells: str, width: int) -> str:
    return BLANK * max(width - len(cells), 0) + cells


KEPT_LINES = 2  # lines of what follows a heading that stay on the heading's page


def kept_whole(block: Block, body_lines: int) -> bool:
    """Whether a block moves whole to the next page: marked whole, and short enough."""
    return block.whole and len(block.lines) <= body_lines


def kept_after(blocks: list[Block], index: int, body_lines: int) -> int:
    """The lines after block ``index`` (a heading) that must share its page: the next
    blocks' first two lines of words, a whole block entire, and what a heading that
    follows keeps in its turn; blank lines between them counted."""
    need, words = 0, 0
    for block in blocks[index + 1:]:
        if not block.lines:
            continue
        need += int(block.space)
        if block.with_next or kept_whole(block, body_lines):
            need += len(block.lines)
            words += 0 if block.with_next else sum(1 for line in block.lines if line)
        else:
            for line in block.lines:
                need += 1
                words += bool(line)
                if words >= KEPT_LINES:
                    break
        if words >= KEPT_LINES or (words and not block.with_next):
            break
    return need


def paginate(blocks: list[Block], body_lines: int) -> list[list[str]]:
    """The lines of each page below its page number line (``body_lines`` of them)."""
    pages: list[list[str]] = [[]]

    def room() -> int:
        return body_lines - len(pages[-1])

    after_heading = False  # the block before was kept with this one: room was made
    for index, block in enumerate(blocks):
        if not block.lines:
            continue
        if block.with_next:
            need = len(block.lines) + kept_after(blocks, index, body_lines)
        elif block.whole:
            # too long for any page, it starts where two of its lines fit
            need = len(block.lines) if kept_whole(block, body_lines) else KEPT_LINES
        else:
            need = 1
        space = block.space and bool(pages[-1]) and pages[-1][-1] != ""
        if min(need, body_lines) + int(space) > room() and pages[-1] and not after_heading:
            pages.append([])
            space = False
        after_heading = block.with_next
        if space:
            pages[-1].append("")
        for line in block.lines:
            if room() <= 0:
                pages.append([])
            if line == "" and not pages[-1]:
                continue  # no page begins with a blank line
            pages[-1].append(line)
    for page in pages:
        while page and page[-1] == "":
            page.pop()
    return [page for page in pages if page] or [[]]
