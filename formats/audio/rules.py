"""The spoken-form data of each language (``speech/<lang>.yaml``) and of a library's
lexicon (``theme/lexicon.yaml``), read and checked.

Data, not code, says how a language speaks its digits, units, times and
abbreviations, so that a language is added or corrected by someone who speaks
it.  Every problem in a file is reported at once, at its line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from leaflet import yamlsafe
from leaflet.errors import Collector, LeafletError

DATA = Path(__file__).resolve().parent / "speech"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
DATA_KEYS = ("digits", "plus", "group_separator", "service_numbers", "spell", "letters",
             "letter_separator", "say", "units", "times", "range", "email", "web", "date_order")
TIME_KEYS = ("am", "pm", "twelve_hour", "hours", "range_hours", "minutes", "range")


@dataclass(frozen=True)
class Rules:
    """One language's spoken forms, as its data file (and a lexicon) give them."""

    lang: str
    digits: tuple[str, ...] = ()      # empty: the digit characters, one by one
    plus: str = "+"
    group_separator: str = ", "
    service_numbers: tuple[str, ...] = ()
    spell: tuple[str, ...] = ()
    letters: dict[str, str] = field(default_factory=dict)
    letter_separator: str = " "
    say: dict[str, str] = field(default_factory=dict)
    units: dict[str, dict[str, str]] = field(default_factory=dict)
    times: dict = field(default_factory=dict)
    range: str = "{start} - {end}"
    email: dict[str, str] = field(default_factory=dict)
    web: dict[str, str] = field(default_factory=dict)
    date_order: str = "dmy"


# Reading the data ---------------------------------------------------------------------

def data_file(lang: str) -> Path | None:
    """The data file for a language tag: its own (``en-gb.yaml``), else its base's."""
    for name in (lang.lower(), lang.split("-")[0].lower()):
        path = DATA / f"{name}.yaml"
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=32)
def language_rules(lang: str) -> Rules:
    """The rules our data gives a language; a language without a file still gets its
    phone numbers said digit by digit, by the voice's own names for the digits."""
    path = data_file(lang)
    if path is None:
        return Rules(lang=lang)
    rel = f"formats/audio/speech/{path.name}"
    node, data = yamlsafe.load(path.read_text(encoding="utf-8"), rel)
    return rules_from(data or {}, lang, rel, yamlsafe.key_lines(node), DATA_KEYS)


def rules_from(data: object, lang: str, rel: str, lines: dict[tuple[str, ...], int],
               allowed: tuple[str, ...], at: tuple[str, ...] = ()) -> Rules:
    """Checked rules from the values of a data file, or of one language of a lexicon
    (``at`` is where those values sit in the file, for line numbers).  Every problem
    is reported at once, at its line."""

    def where(*keys: str) -> int | None:
        return lines.get(at + keys) or lines.get(at) or 1

    if not isinstance(data, dict):
        raise LeafletError(rel, where(), "expected 'name: value' settings "
                           f"({', '.join(allowed)})")
    problems = Collector()
    values: dict = {}
    for key, value in data.items():
        if key not in allowed:
            problems.error(rel, where(str(key)), f"unknown setting '{key}' "
                           f"(settings: {', '.join(allowed)})")
            continue
        checked, problem = _check(str(key), value)
        if problem:
            problems.error(rel, where(str(key)), problem)
        else:
            values[key] = checked
    problems.raise_errors()
    return Rules(lang=lang, **values)


def _words(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check(key: str, value: object) -> tuple[object, str]:
    """(the value in its checked form, "") or (None, what is wrong with it)."""
    if key == "digits":
        if isinstance(value, list) and len(value) == 10 and all(map(_words, value)):
            return tuple(value), ""
        return None, "'digits' must list the ten words for 0 to 9"
    if key in ("service_numbers", "spell"):
        if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
            return tuple(str(v) for v in value), ""
        return None, f"'{key}' must be a list of words"
    if key in ("say", "letters", "email", "web"):
        if isinstance(value, dict) and all(_words(str(k)) and _words(v)
                                           for k, v in value.items()):
            return {str(k): v for k, v in value.items()}, ""
        return None, f"'{key}' must be 'written: spoken' pairs of words"
    if key == "units":
        return _check_units(value)
    if key == "times":
        if not isinstance(value, dict) or not set(value) <= set(TIME_KEYS):
            return None, f"'times' takes {', '.join(TIME_KEYS)}"
        for name in ("hours", "range_hours"):
            if name in value and not (isinstance(value[name], list) and len(value[name]) == 24):
                return None, f"'times: {name}' must list 24 words, for 0 to 23 o'clock"
        return dict(value), ""
    if key == "date_order":
        if value in ("dmy", "mdy", "ymd"):
            return value, ""
        return None, "'date_order' is dmy, mdy or ymd"
    if key in ("range",) and not (isinstance(value, str) and "{start}" in value
                                  and "{end}" in value):
        return None, "'range' must hold {start} and {end}"
    if key in ("group_separator", "letter_separator") and isinstance(value, str):
        return value, ""
    if _words(value):
        return value, ""
    return None, f"'{key}' must be a word"


def _check_units(value: object) -> tuple[object, str]:
    if not isinstance(value, dict):
        return None, "'units' must be 'unit: word' pairs, or 'unit: {one: ..., other: ...}'"
    units = {}
    for unit, forms in value.items():
        if _words(forms):
            forms = {"other": forms}
        if not (isinstance(forms, dict) and "other" in forms
                and set(forms) <= set(PLURAL_FORMS) and all(map(_words, forms.values()))):
            return None, (f"unit '{unit}' needs a word, or words by plural form "
                          f"({', '.join(PLURAL_FORMS)}; 'other' at least)")
        units[str(unit)] = dict(forms)
    return units, ""


# A library's lexicon ------------------------------------------------------------------

LEXICON_KEYS = ("say", "spell")


def read_lexicon(text: str, rel: str) -> dict[str, Rules]:
    """``theme/lexicon.yaml``: for each language (a tag such as ``en`` or ``pl``, or
    ``all``), words the library's audio says its own way and abbreviations it spells.

    ``all:`` applies in every language, a base language (``en``) in all its
    variants, a full tag (``en-GB``) only there; later ones win."""
    node, data = yamlsafe.load(text.lstrip("\ufeff"), rel, subject="the lexicon")
    if data is None:
        return {}
    lines = yamlsafe.key_lines(node)
    if not isinstance(data, dict):
        raise LeafletError(rel, 1, "the lexicon must list languages (en:, pl:, all:), each "
                           "with 'say:' words and 'spell:' abbreviations")
    problems: list = []
    lexicon: dict[str, Rules] = {}
    for lang, values in data.items():
        try:
            lexicon[str(lang).lower()] = rules_from(values, str(lang), rel, lines,
                                                    LEXICON_KEYS, at=(str(lang),))
        except LeafletError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LeafletError(problems=problems)
    return lexicon
