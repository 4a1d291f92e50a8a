"""PO files written as GNU gettext writes them (``msgcat`` of a written catalog changes
nothing), so that a translator's Poedit or Weblate save does not rewrite every wrapped line.

gettext wraps a string at 79 columns where libunistring's line breaking (UAX #14's pair
table, with one change of gettext's: a full stop or colon before a letter is a break
opportunity, so ``sth.`` and ``anticoagulation@nhs.net`` may end and start two lines)
allows one, computed on the string as escaped (``\\"`` is a backslash and a quote, never
split).  It keeps the spaces at the end of a line, starts a string that does not fit with
an empty ``""`` line, and breaks after every ``\\n``.
"""

from __future__ import annotations

import unicodedata

import polib

PAGE_WIDTH = 79

# Line breaking classes (UAX #14) of the characters a leaflet's catalogs hold; any other
# character is classed by its general category in ``_line_class``.
_ASCII_CLASSES = (
    "CM" * 9 + "BA" + "BK" + "BK" * 2 + "BK" + "CM" * 18  # controls; \t is BA
    + "SP" "EX" "QU" "AL" "PR" "PO" "AL" "QU" "OP" "CP" "AL" "PR" "IS" "HY" "IS" "SY"
    + "NU" * 10 + "IS" "IS" "AL" "AL" "AL" "EX" "AL" + "AL" * 26
    + "OP" "PR" "CP" "AL" "AL" "AL" + "AL" * 26 + "OP" "BA" "CL" "AL" "CM")
_CLASSES = {chr(code): _ASCII_CLASSES[2 * code: 2 * code + 2] for code in range(128)}
_CLASSES.update({
    "\u00a0": "GL", "\u00a1": "OP", "\u00a2": "PO", "\u00a3": "PR", "\u00a4": "PR",
    "\u00a5": "PR", "\u00ab": "QU", "\u00ad": "BA", "\u00b0": "PO", "\u00b1": "PR",
    "\u00b4": "BB", "\u00bb": "QU", "\u00bf": "OP",
    "\u2010": "BA", "\u2011": "GL", "\u2012": "BA", "\u2013": "BA", "\u2014": "B2",
    "\u2018": "QU", "\u2019": "QU", "\u201a": "OP", "\u201b": "QU", "\u201c": "QU",
    "\u201d": "QU", "\u201e": "OP", "\u201f": "QU", "\u2024": "IN", "\u2025": "IN",
    "\u2026": "IN", "\u2027": "BA", "\u202f": "GL", "\u2030": "PO", "\u2031": "PO",
    "\u2032": "PO", "\u2033": "PO", "\u2039": "QU", "\u203a": "QU", "\u2044": "IS",
    "\u2060": "WJ", "\u20ac": "PR", "\u2116": "PR", "\u2212": "PR", "\u200b": "ZW",
    "\u060c": "IS", "\u060d": "IS", "\u061b": "EX", "\u061f": "EX", "\u066a": "PO",
    "\u066b": "NU", "\u066c": "NU", "\u06d4": "EX", "\u0964": "BA", "\u0965": "BA",
    "\u3001": "CL", "\u3002": "CL", "\u300c": "OP", "\u300d": "CL", "\u300e": "OP",
    "\u300f": "CL", "\u3010": "OP", "\u3011": "CL", "\u3008": "OP", "\u3009": "CL",
    "\u300a": "OP", "\u300b": "CL", "\u3014": "OP", "\u3015": "CL", "\u30fb": "NS",
    "\u30fc": "NS", "\uff01": "EX", "\uff08": "OP", "\uff09": "CL", "\uff0c": "CL",
    "\uff0e": "CL", "\uff1a": "NS", "\uff1b": "NS", "\uff1f": "EX", "\uff3b": "OP",
    "\uff3d": "CL", "\uff5b": "OP", "\uff5d": "CL",
})
# libunistring's pair table: after a character of the row's class, before one of the
# column's, a break is direct (D), only after spaces (I) or prohibited (P).
_ORDER = ("WJ GL B2 BA BB HY CL CP EX IN NS OP QU IS NU PO PR SY AL H2 H3 ID JL JV JT HL "
          "RI").split()
_PAIRS = dict(zip(_ORDER, """\
PIIIIIPPPIIIIPIIIPIIIIIIIII PIIIIIPPPIIIIPIIIPIIIIIIIII PIPIDIPPPIIDIPDDDPDDDDDDDDD
PDDIDIPPPIIDIPDDDPDDDDDDDDD PIIIIIPPPIIIIPIIIPIIIIIIIII PDDIDIPPPIIDIPIDDPDDDDDDDDD
PIDIDIPPPIPDIPDIIPDDDDDDDDD PIDIDIPPPIIDIPIIIPIDDDDDDID PIDIDIPPPIIDIPDDDPDDDDDDDDD
PIDIDIPPPIIDIPDDDPDDDDDDDDD PIDIDIPPPIIDIPDDDPDDDDDDDDD PPPPPPPPPPPPPPPPPPPPPPPPPPP
PIIIIIPPPIIPIPIIIPIIIIIIIII PIDIDIPPPIIDIPIDDPDDDDDDDDD PIDIDIPPPIIIIPIIIPIDDDDDDID
PIDIDIPPPIIIIPIDDPIDDDDDDID PIDIDIPPPIIIIPIDDPIIIIIIIID PIDIDIPPPIIDIPIDDPDDDDDDDID
PIDIDIPPPIIIIPIIIPIDDDDDDID PIDIDIPPPIIDIPDIDPDDDDDIIDD PIDIDIPPPIIDIPDIDPDDDDDDIDD
PIDIDIPPPIIDIPDIDPDDDDDDDDD PIDIDIPPPIIDIPDIDPDIIDIIDDD PIDIDIPPPIIDIPDIDPDDDDDIIDD
PIDIDIPPPIIDIPDIDPDDDDDDIDD PIDIDIPPPIIIIPIIIPIDDDDDDID PIDIDIPPPIIDIPDDDPDDDDDDDDI
""".split(), strict=True))


def _line_class(char: str) -> str:
    """A character's line breaking class, as libunistring resolves it for UTF-8 text."""
    known = _CLASSES.get(char)
    if known is not None:
        return known
    if _wide(char):
        return "ID"
    category = unicodedata.category(char)
    if category in ("Mn", "Mc", "Me", "Cf"):
        return "CM"
    return {"Nd": "NU", "Zs": "BA", "Ps": "OP", "Pe": "CL", "Pi": "QU", "Pf": "QU",
            "Pd": "BA", "Sc": "PR", "Zl": "BK", "Zp": "BK"}.get(category, "AL")


def _breaks(chars: list[str], fixed: set[int]) -> list[bool]:
    """Whether a line may break before each character (UAX #14's pair table, as
    libunistring applies it); never at a position in ``fixed``."""
    possible = [False] * len(chars)
    last, space = "BK", False
    for index, char in enumerate(chars):
        kind = _line_class(char)
        if kind in ("BK", "ZW"):
            last, space = kind, False
            continue
        if kind == "SP":
            space = True
            continue
        if kind == "CM":
            if last == "ZW":
                possible[index], last = True, "ID"
                continue
            if last != "BK" and not space:
                continue  # a mark takes the class of the letter it is on
            kind = "AL"  # a mark with nothing to attach to stands as a letter
        if last == "ZW":
            possible[index] = True
        elif last != "BK":
            rule = _PAIRS[last][_ORDER.index(kind)]
            if kind == "OP" and _wide(char) and last in ("AL", "HL", "NU"):
                rule = "D"  # UAX #14 keeps only a narrow bracket to the word before it
            possible[index] = rule == "D" or (rule == "I" and space)
        last, space = kind, False
    for index in fixed:
        possible[index] = False
    return possible


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


def _wrap(text: str, width: int, first: int) -> list[str]:
    """Lines of escaped text, broken as libunistring's ``ulc_width_linebreaks`` breaks
    them for gettext: a line ends at the last break opportunity before the piece that would
    pass ``width`` columns; the first line starts ``first`` columns in."""
    chars: list[str] = []
    fixed: set[int] = set()
    for char in text:
        escaped = _escape(char)
        if len(escaped) > 1:
            fixed.add(len(chars) + 1)  # never between a backslash and what it escapes
        chars.extend(escaped)
    if text.endswith("\n"):
        fixed.add(len(chars) - 2)  # nor before the escape of a closing newline
    possible = _breaks(chars, fixed)
    cuts: list[int] = []
    column, piece, last = first, 0, None
    for index, char in enumerate(chars):
        if possible[index]:
            if last is not None and column + piece > width:
                cuts.append(last)
                column = 0
            last = index
            column += piece
            piece = 0
        piece += _width(char)
    if last is not None and column + piece > width:
        cuts.append(last)
    bounds = [0, *cuts, len(chars)]
    return ["".join(chars[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


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
