"""Characters a source may not hold: controls that do not show, or show something else.

A right-to-left override turns "0191 445 2180" into "0812 544 1910" on screen
while the file still holds the real number (Trojan Source, CVE-2021-42574);
control characters reach text and web outputs as raw escape sequences and make
DOCX and EPUB fail.  None of them is needed to write a leaflet, so each is
refused with its line before anything else reads the text (YAML would take a
NEL or a line separator for the end of a line and count lines differently).
"""

from __future__ import annotations

import re

from ..errors import LeafletError, Problem

MAX_REPORTED = 10

# C0 controls but tab and newline, DEL, C1 controls; the line and paragraph
# separators; non-characters.  Carriage returns are gone by now (read_text).
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]")
# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what follows.
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Left-to-right and right-to-left marks are fine in right-to-left words, but beside
# a number or an address (the nearest word on either side holding a digit, "+" or
# "@") they can move its parts on screen.
MARKS_RE = re.compile("[\u200e\u200f]")
NEAR = 100  # characters looked at on each side of a mark

NAMES = {0x1B: "escape", 0x0B: "vertical tab", 0x0C: "form feed", 0x85: "next line",
         0x2028: "line separator", 0x2029: "paragraph separator", 0x7F: "delete"}


def problems(text: str, rel: str, first_line: int = 1) -> list[Problem]:
    """Every refused character in ``text`` (at most MAX_REPORTED), one problem per line."""
    found: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        why = _refused(line)
        if why:
            found.append(Problem(rel, number, f"the line contains {why}"))
            if len(found) >= MAX_REPORTED:
                break
    return found


def _refused(line: str) -> str | None:
    match = CONTROL_RE.search(line)
    if match:
        return f"an invisible control character ({_name(match.group())}); delete it or " \
            "retype the line"
    match = BIDI_RE.search(line)
    if match:
        return (f"an invisible direction control ({_name(match.group())}), which can make a "
                "number or address read differently from what the file holds; delete it "
                "(numbers are shown the right way round in every format)")
    for match in MARKS_RE.finditer(line):
        before = line[max(0, match.start() - NEAR):match.start()].split()
        after = line[match.end():match.end() + NEAR].split()
        near = (before[-1] if before else "") + (after[0] if after else "")
        if any(c.isdigit() or c in "+@" for c in near):
            return (f"an invisible direction mark ({_name(match.group())}) next to a number "
                    "or address, which can move its parts on screen; delete it")
    return None


def _name(character: str) -> str:
    code = ord(character)
    return f"U+{code:04X}" + (f", {NAMES[code]}" if code in NAMES else "")


def check(text: str, rel: str) -> None:
    """LeafletError with every refused character's line, if there is any."""
    found = problems(text, rel)
    if found:
        raise LeafletError(problems=found)
