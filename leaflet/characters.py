"""Characters a leaflet may not hold: controls that do not show, or show something else.

A right-to-left override turns "0191 445 2180" into "0812 544 1910" on screen
while the file still holds the real number (Trojan Source, CVE-2021-42574);
control characters reach text and web outputs as raw escape sequences and make
DOCX and EPUB fail.  None of them is needed to write a leaflet, so each is
refused with its line before anything else reads the text (YAML would take a
NEL or a line separator for the end of a line and count lines differently).

The same rule holds however a character is written: a YAML escape (``"\u202e"``,
``"\0"``) or a Markdown character reference (``&#x202e;``, ``&rlm;``) is refused
like the character typed, because ``decoded_problems`` looks again at every value
after YAML and Markdown have decoded it, as writers will receive it.
"""

from __future__ import annotations

import dataclasses
import re

from .errors import LeafletError, Problem

MAX_REPORTED = 10

# C0 controls but tab and newline, DEL, C1 controls; the line and paragraph
# separators; non-characters.  Carriage returns are gone by now (read_text).
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]")
# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what follows.
BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Left-to-right and right-to-left marks are fine in right-to-left words, but beside
# a number or an address (the nearest word on either side holding a digit, "+" or
# "@") they can move its parts on screen.
OVERRIDES_RE = re.compile("[\u202a-\u202e]")
MARKS_RE = re.compile("[\u200e\u200f\u061c]")
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


# A Markdown character reference: named (&rlm;), decimal (&#8238;) or hex (&#x202E;).
REFERENCE_RE = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_references(markdown: str) -> str:
    """Inline Markdown with its character references decoded as markdown-it decodes them,
    so that a check sees the characters that will print.  A reference to ASCII punctuation
    becomes its backslash escape ("&#42;" is "\\*"): it prints the same and, like the
    reference, is never Markdown's emphasis or link."""
    from markdown_it.common.utils import replaceEntityPattern

    def decode(match: re.Match) -> str:
        character = replaceEntityPattern(match.group(), match.group(1))
        if len(character) == 1 and character.isascii() and not character.isalnum() \
                and not character.isspace():
            return "\\" + character
        return character
    return REFERENCE_RE.sub(decode, markdown)


def hidden(text: str) -> str | None:
    """The first character a translation may not hold anywhere, or None: a control
    character, or a direction override or embedding.  (Isolates and marks are ordinary
    in right-to-left words: a translation's checks refuse them only beside a number.)"""
    match = CONTROL_RE.search(text) or OVERRIDES_RE.search(text)
    return match.group() if match else None


def refused(line: str) -> str | None:
    """Why a line (or a decoded value) may not be printed, or None."""
    return _refused(line)


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


# Fields of the model that hold no printed words: where a node came from, its language
# tag, and the Markdown a translation's msgid is made of (checked as the file's text).
_NOT_PRINTED = {"path", "line", "markdown", "lang", "kept", "field_lines", "anchor",
                "direction", "source_language", "region", "edition", "slug", "folder"}


def decoded_problems(node: object) -> list[Problem]:
    """Every refused character in the printed values of a parsed tree (a leaflet, its
    blocks or its front matter), at the line of the node holding it: what YAML escapes
    and Markdown character references decoded into the text."""
    found: dict[tuple[str, int], Problem] = {}

    def report(where: object, value: str, line: int | None = None) -> None:
        why = _refused(value)
        if why:
            path, number = getattr(where, "path", ""), line or getattr(where, "line", 0)
            found.setdefault((path, number), Problem(
                path, number or None, f"the text contains {why} (written in the file as a "
                "character reference, such as &#x202e; or &rlm;)"))

    def visit(item: object) -> None:
        if isinstance(item, tuple):
            for part in item:
                visit(part)
            return
        if not dataclasses.is_dataclass(item):
            return
        lines = getattr(item, "field_lines", {})
        for spec in dataclasses.fields(item):
            if spec.name in _NOT_PRINTED:
                continue
            value = getattr(item, spec.name)
            if isinstance(value, str):
                report(item, value, lines.get(spec.name))
            elif isinstance(value, tuple) and value and all(_is_inline(v) for v in value):
                # a mark is judged by its neighbours, which may be in the next node:
                # "999" is a phone node beside the text holding the mark
                report(value[0], _printed(value), lines.get(spec.name))
                visit(value)
            else:
                visit(value)

    visit(node)
    return sorted(found.values(), key=lambda p: (p.path, p.line or 0))


def _is_inline(value: object) -> bool:
    from .model import Email, Emphasis, LineBreak, Link, Phone, Strong, Text
    return isinstance(value, (Text, Strong, Emphasis, Link, Phone, Email, LineBreak))


def _printed(inlines: tuple) -> str:
    from .model import plain_text
    return plain_text(inlines, line_break=" ")
