"""PO files written as GNU gettext writes them (``msgcat`` of a written catalog changes
nothing), so that a translator's Poedit or Weblate save does not rewrite every wrapped line.

gettext wraps a string at 79 columns on line-break opportunities (after spaces, after a
hyphen, between wide CJK characters), keeps the space at the end of the line, starts a
string that does not fit with an empty ``""`` line, and breaks after every ``\\n``.
"""

from __future__ import annotations

import unicodedata

import polib

PAGE_WIDTH = 79
NO_BREAK_BEFORE = set("、。，．！？：；）」』】〉》〕］｝・ー)]}!?,.:;")
NO_BREAK_AFTER = set("（「『【〈《〔［｛([{")


def write_po(po: polib.POFile) -> str:
    """The text of a catalog as ``msgcat`` would write it."""
    out: list[str] = []
    if po.header:
        for line in po.header.split("\n"):
            out.append(f"# {line}".rstrip() if line else "#")
    header = polib.POEntry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in po.metadata.items()))
    header.flags = list(getattr(po, "metadata_is_fuzzy", None) and ["fuzzy"] or [])
    entries = [header, *[e for e in po if not e.obsolete], *[e for e in po if e.obsolete]]
    blocks = [_entry(entry) for entry in entries]
    return "\n".join(out + ["\n\n".join(blocks)]) + "\n" if out else "\n\n".join(blocks) + "\n"


def _entry(entry: polib.POEntry) -> str:
    lines: list[str] = []
    for comment in (entry.tcomment or "").split("\n") if entry.tcomment else []:
        lines.append(f"# {comment}".rstrip() if comment else "#")
    for comment in (entry.comment or "").split("\n") if entry.comment else []:
        lines.append(f"#. {comment}".rstrip() if comment else "#.")
    if entry.occurrences and not entry.obsolete:
        lines.extend(_references(entry.occurrences))
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~ " if entry.obsolete else ""
    previous = "#~| " if entry.obsolete else "#| "
    if entry.previous_msgctxt:
        lines.extend(_string(previous, "msgctxt", entry.previous_msgctxt))
    if entry.previous_msgid:
        lines.extend(_string(previous, "msgid", entry.previous_msgid))
    if entry.previous_msgid_plural:
        lines.extend(_string(previous, "msgid_plural", entry.previous_msgid_plural))
    if entry.msgctxt is not None:
        lines.extend(_string(prefix, "msgctxt", entry.msgctxt))
    lines.extend(_string(prefix, "msgid", entry.msgid))
    if entry.msgid_plural:
        lines.extend(_string(prefix, "msgid_plural", entry.msgid_plural))
        for index in sorted(entry.msgstr_plural, key=int):
            lines.extend(_string(prefix, f"msgstr[{index}]", entry.msgstr_plural[index]))
    else:
        lines.extend(_string(prefix, "msgstr", entry.msgstr))
    return "\n".join(lines)


def _references(occurrences: list[tuple[str, str]]) -> list[str]:
    lines, line = [], "#:"
    # gettext names a place once, however often the word stands on that line
    for path, number in dict.fromkeys(occurrences):
        reference = f"{path}:{number}" if number else path
        if len(line) > 2 and len(line) + 1 + len(reference) > PAGE_WIDTH:
            lines.append(line)
            line = "#:"
        line += " " + reference
    lines.append(line)
    return lines


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\t", "\\t").replace("\r", "\\r"))


def _width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _pieces(text: str) -> list[str]:
    """The text cut at its line-break opportunities, each piece keeping what ends it."""
    pieces, current = [], ""
    for index, char in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else ""
        current += char
        if not following:
            break
        if char == " " and following != " ":
            pieces.append(current)
            current = ""
        elif char == "-" and following.isalpha() and index and text[index - 1].isalpha():
            pieces.append(current)
            current = ""
        elif char == "/" and following.isalpha() and index and text[index - 1].isalnum():
            pieces.append(current)
            current = ""
        elif (_wide(char) or _wide(following)) and following not in NO_BREAK_BEFORE \
                and char not in NO_BREAK_AFTER and following != " " and char != " " \
                and not (char in NO_BREAK_BEFORE and not _wide(following)):
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _columns(text: str) -> int:
    return sum(_width(c) for c in _escape(text))


def _wrap(text: str, width: int, first: int) -> list[str]:
    """Lines of escaped text, at most ``width`` columns each (trailing spaces aside), the
    first starting ``first`` columns in."""
    lines, line, used = [], "", first
    for piece in _pieces(text):
        size = _columns(piece)
        if line and used + size > width:
            lines.append(line)
            line, used = "", 0
        line += piece
        used += size
    lines.append(line)
    return [_escape(item) for item in lines]


def _string(prefix: str, keyword: str, value: str) -> list[str]:
    """``keyword "value"`` on one line when it fits, else ``keyword ""`` and wrapped lines."""
    portions = []
    rest = value
    while "\n" in rest[:-1]:
        cut = rest.index("\n") + 1
        portions.append(rest[:cut])
        rest = rest[cut:]
    portions.append(rest)
    width = PAGE_WIDTH - 1 - len(prefix) - 1  # room for both quotes
    head = f"{prefix}{keyword} "
    if len(portions) == 1:
        single = _wrap(value, PAGE_WIDTH - 1 - len(prefix), len(head) - len(prefix) + 1)
        if len(single) == 1:
            return [f'{head}"{single[0]}"']
    lines = [f'{head}""']
    for portion in portions:
        if not portion:
            continue
        lines.extend(f'{prefix}"{line}"' for line in _wrap(portion, width, 0))
    return lines
