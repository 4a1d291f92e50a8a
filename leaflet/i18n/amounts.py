"""Numbers in a message as a reader takes them in: whole decimals, times of day, and the
unit each number carries ("5 mg", "every 4 hours", "twice"), in the order written.

Units of measure come from CLDR through Babel (``babel.units``' data): every length
(long, short, narrow) and plural form of mass, volume, duration, length, temperature
and percent, for every locale Babel knows, with English units as written accepted in
any language.  ``leaflet/data/units.yaml`` keeps only what CLDR does not give: doses
counted in things (tablets, puffs), the word for "times", counting words ("twice"),
spellings CLDR lacks ("mcg", "ملغ"), and words that make a number a time of day.
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
ENGLISH_LOCALES = ("en", "en_GB", "en_001")  # English units as written, in any language

# CLDR's unit keys as the units a leaflet compares: a dose in "mg" and one in
# "milligrammes" are the same unit.  Any other key of the kinds below is its own unit,
# named by its key ("length-centimeter").
CLDR_UNITS = {
    "mass-milligram": "mg", "mass-gram": "g", "mass-kilogram": "kg", "mass-microgram": "mcg",
    "volume-milliliter": "ml", "volume-liter": "l", "volume-teaspoon": "teaspoon",
    "volume-drop": "drop", "concentr-millimole-per-liter": "mmol/L",
    "concentr-percent": "percent", "temperature-celsius": "degrees C",
    "temperature-generic": "degrees C", "duration-hour": "hour", "duration-minute": "minute",
    "duration-day": "day", "duration-week": "week", "duration-month": "month",
    "duration-year": "year",
}
CLDR_KINDS = ("mass-", "volume-", "duration-", "length-", "temperature-")
CLDR_CONCENTRATIONS = ("concentr-percent", "concentr-permille", "concentr-millimole-per-liter",
                       "concentr-milligram-ofglucose-per-deciliter")
CLDR_LENGTHS = ("long", "short", "narrow")
# Persian and Urdu letters typed with their Arabic look-alikes are the same word
LETTER_FOLD = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})
ZWNJ = "\u200c"

# a decimal stays one number: "37.5" is never 37 and 5; Arabic writes ٫ for the point
NUMBER_RE = re.compile(r"(?<![\d.,٫])\d+(?:[.,٫]\d+)*(?![\d])")
TWELVE_HOUR_RE = re.compile(r"(?<![\d.,])(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\b\.?",
                            re.IGNORECASE)
CLOCK_RE = re.compile(r"(?<![\d.,])(\d{1,2})[:.](\d{2})(?![\d])")
SPACE = " \u00a0\u202f\u2009-"  # between a number and its unit ("5 mg", "5\u00a0mg", "5-day")
# "18 h 30", "18h30": how French and others write a time of day with the hour's symbol
HOUR_MINUTES_RE = re.compile(r"(?<![\d.,])(\d{1,2})[ \u00a0\u202f]?h[ \u00a0\u202f]?(\d{2})(?!\d)")


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
        "time_words": Field("words that make the hour after them a time of day", kind=list,
                            default=(), message="'time_words' must be a list of words"),
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
    """True when the language's units are known: CLDR has the language, or the data file
    has a table for it (not only the symbols)."""
    return bool(_cldr_locales(lang)) or _base(lang) in _tables()


def has_counts(lang: str) -> bool:
    """True when the data file knows how the language counts times ("twice", "3 razy")."""
    table = _tables().get(_base(lang)) or {}
    return bool(table.get("counts")) and TIMES in (table.get("units") or {})


def _base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def fold(text: str) -> str:
    """Text as units are looked up in it: case aside, Arabic look-alike letters as the
    Persian and Urdu ones, one character for one, so positions stay where they were."""
    folded = text.translate(LETTER_FOLD)
    return "".join(c.casefold() if len(c.casefold()) == 1 else c for c in folded)


@functools.lru_cache(maxsize=256)
def _cldr_locales(lang: str) -> tuple:
    """The Babel locales whose units a language's translations may use: the tag's own
    and its language's (zh-Hant-TW, then zh)."""
    from .. import langs

    found = []
    for tag in (lang, _base(lang)):
        locale = langs.babel_locale(tag) if tag and tag != "und" else None
        if locale is not None and str(locale) not in [str(f) for f in found]:
            found.append(locale)
    return tuple(found)


def _cldr_unit(key: str) -> str | None:
    key = key.removesuffix("-person")
    if key in CLDR_UNITS:
        return CLDR_UNITS[key]
    if key.startswith(CLDR_KINDS) or key in CLDR_CONCENTRATIONS:
        return key
    return None


# Short unit forms that are everyday words after a number: "1 in 1,000" is a risk, not
# an inch; "5 a day" is a count, not five years.
NOT_UNITS = frozenset({"in", "a"})


@functools.lru_cache(maxsize=256)
def cldr_forms(locale_id: str) -> tuple[dict[str, str], dict[str, str]]:
    """Every way CLDR writes the units of one locale, in every length and plural form:
    (written after a number, written before it), each folded form -> unit.  A form CLDR
    gives two units ("m": minute and metre) is left out: it tells nothing."""
    from babel import Locale

    locale = Locale.parse(locale_id)
    after: dict[str, dict[str, set]] = {}  # folded form -> unit -> forms as written
    before: dict[str, dict[str, set]] = {}
    for key, lengths in locale._data["unit_patterns"].items():
        unit = _cldr_unit(key)
        if unit is None:
            continue
        for length in CLDR_LENGTHS:
            for category, pattern in (lengths.get(length) or {}).items():
                if category == "per" or "{0}" not in pattern:
                    continue  # "per hour"; Arabic "يومان" is a number and a unit in one
                prefix, suffix = (part.strip(SPACE) for part in pattern.split("{0}", 1))
                if suffix and not prefix:
                    _add(after, suffix, unit)
                elif prefix and not suffix:
                    _add(before, prefix, unit)
                # words on both sides ("每分升{0}毫克") are a phrase, not a unit
    for key, names in locale._data["unit_display_names"].items():
        unit = _cldr_unit(key)
        if unit is not None:
            for length in CLDR_LENGTHS:
                if names.get(length):
                    _add(after, names[length], unit)
    # "5pm" is a time of day, not five picometres: day periods, the locale's and the
    # English ones written in any language, are no unit
    periods = {fold(variant) for day_periods in (locale.day_periods, Locale("en").day_periods)
               for context in day_periods.values() for width in context.values()
               for name in width.values() for variant in (name.strip(),
                                                          name.strip().replace(".", ""))}
    periods |= NOT_UNITS
    return ({form: unit for form, units in after.items()
             if form not in periods and (unit := _one_unit(units))},
            {form: unit for form, units in before.items()
             if form not in periods and (unit := _one_unit(units))})


def _one_unit(units: dict[str, set]) -> str:
    """The unit a folded form stands for: its only one; or, where only case told them
    apart ("mL" millilitre, "ML" megalitre), the one a leaflet names; else none."""
    if len(units) == 1:
        return next(iter(units))
    written = [form for forms in units.values() for form in forms]
    named = [unit for unit in units if unit in CLDR_UNITS.values()]
    if len(written) == len(set(written)) and len(named) == 1:
        return named[0]
    return ""


def _add(forms: dict[str, dict[str, set]], written: str, unit: str) -> None:
    for variant in _variants(written):
        if variant and not variant.isdigit():
            forms.setdefault(fold(variant), {}).setdefault(unit, set()).add(variant)


def _variants(written: str) -> tuple[str, ...]:
    """A unit as CLDR writes it, and as typed without its zero-width non-joiner."""
    if ZWNJ not in written:
        return (written.strip(),)
    return (written.strip(), written.replace(ZWNJ, " ").strip(), written.replace(ZWNJ, "").strip())


def _table_forms(name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for unit, forms in ((_tables().get(name) or {}).get("units") or {}).items():
        for form in forms or ():
            for variant in _variants(str(form)):
                found.setdefault(fold(variant), str(unit))
    return found


@functools.lru_cache(maxsize=64)
def _units(lang: str) -> tuple[tuple[str, str], ...]:
    """(written form folded, unit) of a language, then English's, then the common
    symbols, longest first: the language's own reading of a form wins."""
    pairs: dict[str, str] = {}
    sources = [_table_forms(_base(lang))]
    sources += [cldr_forms(str(locale))[0] for locale in _cldr_locales(lang)]
    sources += [_table_forms("en")] + [cldr_forms(tag)[0] for tag in ENGLISH_LOCALES]
    sources.append(_table_forms("common"))
    for forms in sources:
        for form, unit in forms.items():
            pairs.setdefault(form, unit)
    return tuple(sorted(pairs.items(), key=lambda pair: -len(pair[0])))


@functools.lru_cache(maxsize=64)
def _units_before(lang: str) -> tuple[tuple[str, str], ...]:
    """Units written before the number ("%5" in Turkish), longest first."""
    pairs: dict[str, str] = {}
    for locale in (*_cldr_locales(lang), *ENGLISH_LOCALES):
        for form, unit in cldr_forms(str(locale))[1].items():
            pairs.setdefault(form, unit)
    return tuple(sorted(pairs.items(), key=lambda pair: -len(pair[0])))


def _is_cjk(char: str) -> bool:
    """Han, kana and hangul: scripts with no spaces between words."""
    code = ord(char)
    return (0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF
            or 0xF900 <= code <= 0xFAFF or 0xAC00 <= code <= 0xD7AF or 0x20000 <= code <= 0x2FFFF)


@functools.lru_cache(maxsize=64)
def _counts(lang: str) -> re.Pattern | None:
    words = ((_tables().get(_base(lang)) or {}).get("counts") or {})
    if not words:
        return None
    alternatives = []
    for word in sorted((fold(str(w)) for w in words), key=len, reverse=True):
        # a word of a script written without spaces has no word boundary to look for
        before = "" if _is_cjk(word[0]) else r"(?<!\w)"
        after = "" if _is_cjk(word[-1]) else r"(?!\w)"
        alternatives.append(f"{before}{re.escape(word)}{after}")
    return re.compile("|".join(alternatives))


def _count_value(lang: str, written: str) -> str:
    words = {fold(str(k)): v for k, v in
             ((_tables().get(_base(lang)) or {}).get("counts") or {}).items()}
    return str(words.get(fold(written), ""))


@functools.lru_cache(maxsize=64)
def _time_words(lang: str) -> re.Pattern | None:
    words = ((_tables().get(_base(lang)) or {}).get("time_words") or ())
    if not words:
        return None
    alternatives = "|".join(re.escape(fold(str(w))) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})[{SPACE}]*$")


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
    """The unit written right after a number ("mg", "tablets", "毫克"), and where it ends."""
    rest = text[position:]
    gap = len(rest) - len(rest.lstrip(SPACE))
    if gap > 2:
        return "", position
    following = fold(rest[gap:gap + 40])
    for form, unit in _units(lang):
        if following.startswith(form):
            end = len(form)
            if end < len(following) and _joined(form[-1], following[end]) and \
                    not _inflected(form, following[end]):
                continue  # "g" of "godzin", "h" of "hours"
            return unit, position + gap + end
    return "", position


def _joined(last: str, following: str) -> bool:
    """True when the character after a form continues its word."""
    if _is_cjk(last) or _is_cjk(following):
        return False  # 5毫克每天: no spaces between words
    return (last.isalnum() or unicodedata.category(last).startswith("M")) and \
        (following.isalnum() or following == "_" or unicodedata.category(following)[0] == "M")


def _inflected(form: str, following: str) -> bool:
    """A unit's name with a case ending on it ("saatte", "ঘণ্টায়") is still that unit; a
    symbol or short word with letters after it ("g" of "godzin") is another word."""
    return len(form) >= 4 and all(c.isalpha() or unicodedata.category(c)[0] == "M"
                                  for c in form)


def unit_before(text: str, position: int, lang: str) -> str:
    """The unit written right before a number ("%5" in Turkish), or ""."""
    before = fold(text[max(0, position - 12):position]).rstrip(SPACE)
    for form, unit in _units_before(lang):
        if before.endswith(form):
            start = len(before) - len(form)
            if start == 0 or not _joined(before[start - 1], form[0]) or not form[0].isalnum():
                return unit
    return ""


def amounts(text: str, lang: str, clock: bool = False) -> list[Amount]:
    """Every number of a text in order, with its unit.  With ``clock``, a time of day is
    one value, "20:00", whether written "8pm", "20:00" or "20.00".  An hour after one of
    the language's time words ("à 18 h"), and "18 h 30", are always times of day."""
    digits = normalise_digits(text)
    folded = fold(digits)
    found: list[Amount] = []
    taken = [False] * len(digits)

    def take(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        taken[start:end] = [True] * (end - start)
        return True

    pattern = _counts(lang)
    if pattern is not None:
        for match in pattern.finditer(folded):
            if take(match.start(), match.end()):
                found.append(Amount(text[match.start():match.end()],
                                    _count_value(lang, match.group()), TIMES, match.start()))
    for start, end, value in _times_of_day(digits, lang, clock):
        if take(start, end):
            found.append(Amount(text[start:end], value, "", start))
    for match in NUMBER_RE.finditer(digits):
        value, unit, end = _number(match, digits, folded, lang)
        if take(match.start(), end):
            found.append(Amount(text[match.start():end], value, unit, match.start()))
    return sorted(found, key=lambda amount: amount.start)


def _times_of_day(digits: str, lang: str, clock: bool) -> list[tuple[int, int, str]]:
    """Where times of day are written, and each as "20:00", in the order they are taken:
    "8pm" (with ``clock``), "18 h 30" (in a language with time words), "20:00"."""
    found = []
    if clock:
        for match in TWELVE_HOUR_RE.finditer(digits):
            hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
            found.append((match.start(), match.end(), f"{hour}:{match.group(2) or '00'}"))
    if _time_words(lang) is not None:
        for match in HOUR_MINUTES_RE.finditer(digits):
            if int(match.group(1)) < 24 and int(match.group(2)) < 60:
                found.append((match.start(), match.end(),
                              f"{int(match.group(1))}:{match.group(2)}"))
    for match in CLOCK_RE.finditer(digits):
        # "20:00" is a time; "20.00" is one only when times are compared, and "1.25 mg" never
        if match.group()[2:3] != ":" and match.group()[1:2] != ":" and not clock:
            continue
        if unit_after(digits, match.end(), lang)[0]:
            continue
        if int(match.group(1)) < 24 and int(match.group(2)) < 60:
            found.append((match.start(), match.end(),
                          f"{int(match.group(1))}:{match.group(2)}"))
    return found


def _number(match: re.Match, digits: str, folded: str, lang: str) -> tuple[str, str, int]:
    """A number's value, its unit (after it, or before it as in "%5") and where it ends;
    an hour after a time word ("à 18 h") is a time of day."""
    unit, end = unit_after(digits, match.end(), lang)
    value = _value(match.group(), lang)
    time_words = _time_words(lang)
    if unit == "hour" and time_words is not None and value.isdigit() and int(value) < 24 \
            and time_words.search(folded[max(0, match.start() - 20):match.start()]):
        unit, value = "", f"{int(value)}:00"  # "à 18 h": at six in the evening
    elif not unit:
        unit = unit_before(digits, match.start(), lang)
    return value, unit, max(end, match.end())


def described(amount: Amount) -> str:
    """An amount as a problem quotes it: "5 mg", "twice (2 times)"."""
    value = amount.value
    if amount.unit == TIMES and not any(c.isdigit() for c in amount.written):
        return f"\"{amount.written}\" ({value} times)"
    return f"\"{amount.written}\""
