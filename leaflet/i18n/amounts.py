"""Numbers in a message as a reader takes them in: whole decimals, times of day, and the
unit each number carries ("5 mg", "every 4 hours", "twice"), in the order written.

The units and counting words of each language are data (``leaflet/data/units.yaml``),
so a language is added by a table there, not by code.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..config import Field, Invalid, Table
from ..errors import LeafletError, Problem

UNITS_FILE = Path(__file__).resolve().parent.parent / "data" / "units.yaml"
UNITS_REL = "leaflet/data/units.yaml"
TIMES = "times"  # the unit of a count: "twice" is 2 times

# a decimal stays one number: "37.5" is never 37 and 5; Arabic writes ٫ for the point
NUMBER_RE = re.compile(r"(?<![\d.,٫])\d+(?:[.,٫]\d+)*(?![\d])")
TWELVE_HOUR_RE = re.compile(r"(?<![\d.,])(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\b\.?",
                            re.IGNORECASE)
CLOCK_RE = re.compile(r"(?<![\d.,])(\d{1,2})[:.](\d{2})(?![\d])")
SPACE = " \u00a0\u202f\u2009-"  # between a number and its unit ("5 mg", "5\u00a0mg", "5-day")


@dataclass(frozen=True)
class Amount:
    """One number as written, its value ("37.5", "20:00" for a time of day), and its unit
    ("mg", "hour", "times"), or "" when it has none the language's table knows."""

    written: str
    value: str
    unit: str
    start: int

    def __str__(self) -> str:
        return self.written


def _forms(value: dict, _reading: config.Reading, at: tuple) -> dict:
    for unit, forms in value.items():
        if not isinstance(forms, list) or not forms or not all(
                config.words(str(form)) for form in forms):
            raise Invalid(f"unit '{unit}' must list the ways it is written, such as "
                          "[mg, milligram, milligrams]", at=(str(unit),))
    return value


def _count_words(value: dict, _reading: config.Reading, at: tuple) -> dict:
    for word, count in value.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise Invalid(f"count '{word}' must be a whole number of times, such as "
                          "twice: 2", at=(str(word),))
    return value


def _table_name(name: str) -> str:
    if name == "common" or re.fullmatch(r"[a-z]{2,3}", name):
        return ""
    return f"'{name}' must be 'common' or a language's first subtag (pl, pt, ar)"


UNITS = Table(
    names=Field("a language's units and counting words", table=Table(fields={
        "units": Field("each unit and the ways it is written", kind=dict, default={},
                       check=_forms, message="'units' must be 'unit: [written forms]' lines"),
        "counts": Field("words that stand for a number of times", kind=dict, default={},
                        check=_count_words, message="'counts' must be 'word: number' lines"),
    })),
    name_check=_table_name,
    shape="the units table must list 'common:' and languages, each with 'units:' and "
          "'counts:'",
)


@functools.lru_cache(maxsize=1)
def _tables() -> dict:
    return config.read_text(UNITS_FILE.read_text(encoding="utf-8"), UNITS_REL, UNITS,
                            "the units table")


def units_problems() -> list[Problem]:
    """What is wrong with the units table, for ``leaflet check``."""
    try:
        _tables.__wrapped__()
    except LeafletError as exc:
        return list(exc.problems)
    return []


def has_words(lang: str) -> bool:
    """True when the data file has a table for the language (not only the symbols)."""
    return _base(lang) in _tables()


def _base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


@functools.lru_cache(maxsize=64)
def _units(lang: str) -> tuple[tuple[str, str], ...]:
    """(written form casefolded, unit) of a language and the common symbols, longest first."""
    tables = _tables()
    pairs: dict[str, str] = {}
    for name in ("common", _base(lang)):
        for unit, forms in ((tables.get(name) or {}).get("units") or {}).items():
            for form in forms or ():
                pairs.setdefault(str(form).casefold(), str(unit))
    return tuple(sorted(pairs.items(), key=lambda pair: -len(pair[0])))


@functools.lru_cache(maxsize=64)
def _counts(lang: str) -> re.Pattern | None:
    words = ((_tables().get(_base(lang)) or {}).get("counts") or {})
    if not words:
        return None
    alternatives = "|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _count_value(lang: str, written: str) -> str:
    words = {str(k).casefold(): v for k, v in
             ((_tables().get(_base(lang)) or {}).get("counts") or {}).items()}
    return str(words.get(written.casefold(), ""))


def normalise_digits(text: str) -> str:
    """Digits of any script (Arabic-Indic ٣, Bengali ৩, ...) as ASCII digits, one for one,
    so that positions in the text stay where they were."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _value(written: str, lang: str) -> str:
    """"37,5" and "37.5" as 37.5; "1,000" (English grouping) as 1000."""
    text = written.replace("٫", ".")
    if _base(lang) == "en" or "." in text and "," in text:
        text = re.sub(r",(?=\d{3}(?!\d))", "", text)
    text = text.replace(",", ".")
    if text.count(".") > 1:  # "1.000.000": grouping, not decimals
        text = text.replace(".", "")
    if "." in text:
        whole, fraction = text.split(".", 1)
        fraction = fraction.rstrip("0")
        return f"{int(whole)}.{fraction}" if fraction else str(int(whole))
    return str(int(text))


def unit_after(text: str, position: int, lang: str) -> tuple[str, int]:
    """The unit written right after a number ("mg", "tablets"), and where it ends."""
    rest = text[position:]
    gap = len(rest) - len(rest.lstrip(SPACE))
    if gap > 2:
        return "", position
    following = rest[gap:gap + 40].casefold()
    for form, unit in _units(lang):
        if following.startswith(form):
            end = len(form)
            if end < len(following) and (following[end].isalnum() or following[end] == "_"):
                if form[-1].isalnum():
                    continue  # "g" of "godzin", "h" of "hours"
            return unit, position + gap + end
    return "", position


def amounts(text: str, lang: str, clock: bool = False) -> list[Amount]:
    """Every number of a text in order, with its unit.  With ``clock``, a time of day is
    one value, "20:00", whether written "8pm", "20:00" or "20.00"."""
    digits = normalise_digits(text)
    found: list[Amount] = []
    taken = [False] * len(digits)

    def take(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        taken[start:end] = [True] * (end - start)
        return True

    pattern = _counts(lang)
    if pattern is not None:
        for match in pattern.finditer(digits):
            if take(match.start(), match.end()):
                found.append(Amount(text[match.start():match.end()],
                                    _count_value(lang, match.group()), TIMES, match.start()))
    if clock:
        for match in TWELVE_HOUR_RE.finditer(digits):
            hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
            if take(match.start(), match.end()):
                found.append(Amount(text[match.start():match.end()],
                                    f"{hour}:{match.group(2) or '00'}", "", match.start()))
    for match in CLOCK_RE.finditer(digits):
        # "20:00" is a time; "20.00" is one only when times are compared, and "1.25 mg" never
        if match.group()[2:3] != ":" and match.group()[1:2] != ":" and not clock:
            continue
        if unit_after(digits, match.end(), lang)[0]:
            continue
        if int(match.group(1)) < 24 and int(match.group(2)) < 60 and \
                take(match.start(), match.end()):
            found.append(Amount(text[match.start():match.end()],
                                f"{int(match.group(1))}:{match.group(2)}", "", match.start()))
    for match in NUMBER_RE.finditer(digits):
        unit, end = unit_after(digits, match.end(), lang)
        if take(match.start(), max(end, match.end())):
            found.append(Amount(text[match.start():max(end, match.end())],
                                _value(match.group(), lang), unit, match.start()))
    return sorted(found, key=lambda amount: amount.start)


def described(amount: Amount) -> str:
    """An amount as a problem quotes it: "5 mg", "twice (2 times)"."""
    value = amount.value
    if amount.unit == TIMES and not any(c.isdigit() for c in amount.written):
        return f"\"{amount.written}\" ({value} times)"
    return f"\"{amount.written}\""
