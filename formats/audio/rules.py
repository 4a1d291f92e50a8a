"""The spoken-form data of each language (``speech/<lang>.yaml``), read and checked.

Data, not code, says what CLDR cannot: the words for the digits where the voice's
own are not the ones people say, abbreviations, times of day, how addresses are said, a
unit's or a currency's name where CLDR's is not right for the voice; so that a
language is added or corrected by someone who speaks it.  Each file is read against
one field table (``TABLE``, ``leaflet/config.py``): every problem in a file is
reported at once, at its line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from leaflet import config, yamlsafe
from leaflet.config import Field, Invalid, Table
from leaflet.errors import LeafletError

DATA = Path(__file__).resolve().parent / "speech"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
TIME_KEYS = ("am", "pm", "twelve_hour", "hours", "range_hours", "minutes", "range")


@dataclass(frozen=True)
class Rules:
    """One language's spoken forms, as its data file (and a lexicon) give them."""

    lang: str
    digits: tuple[str, ...] = ()      # empty: the digits themselves, said by the voice
    plus: str = "+"
    group_separator: str = ", "
    service_numbers: tuple[str, ...] = ()
    spell: tuple[str, ...] = ()
    letters: dict[str, str] = field(default_factory=dict)
    letter_separator: str = " "
    say: dict[str, str] = field(default_factory=dict)
    units: dict[str, dict[str, str]] = field(default_factory=dict)  # by CLDR unit key
    times: dict = field(default_factory=dict)
    range: str = "{start} - {end}"
    email: dict[str, str] = field(default_factory=dict)
    web: dict[str, str] = field(default_factory=dict)
    date_order: str = "dmy"
    extension: str = ""  # empty: an extension's abbreviation is said as printed
    currencies: dict[str, dict[str, str]] = field(default_factory=dict)


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
    return rules_from(data or {}, lang, rel, config.node_lines(node))


def rules_from(data: object, lang: str, rel: str, lines: dict[tuple, int]) -> Rules:
    """Checked rules from the values of a data file, read against its field table.
    Every problem is reported at once, at its line."""
    reading = config.Reading(rel, lines)
    try:
        values = config.read_table(TABLE, data, reading)
    except Invalid as exc:
        raise LeafletError(rel, reading.line(exc.at), exc.message) from None
    reading.problems.raise_errors()
    return Rules(lang=lang, **values)


def _words(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _digits(value: object, _reading: config.Reading, _at: tuple) -> tuple[str, ...]:
    if isinstance(value, list) and len(value) == 10 and all(map(_words, value)):
        return tuple(value)
    raise Invalid("'digits' must list the ten words for 0 to 9")


def _word_list(value: object, _reading: config.Reading, at: tuple) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return tuple(str(v) for v in value)
    raise Invalid(f"'{at[-1]}' must be a list of words")


def _pairs(value: object, _reading: config.Reading, at: tuple) -> dict[str, str]:
    if isinstance(value, dict) and all(_words(str(k)) and _words(v) for k, v in value.items()):
        return {str(k): v for k, v in value.items()}
    raise Invalid(f"'{at[-1]}' must be 'written: spoken' pairs of words")


def _times(value: object, _reading: config.Reading, _at: tuple) -> dict:
    if not isinstance(value, dict) or not set(value) <= set(TIME_KEYS):
        raise Invalid(f"'times' takes {', '.join(TIME_KEYS)}")
    for name in ("hours", "range_hours"):
        if name in value and not (isinstance(value[name], list) and len(value[name]) == 24):
            raise Invalid(f"'times: {name}' must list 24 words, for 0 to 23 o'clock")
    return dict(value)


def _range(value: object, _reading: config.Reading, _at: tuple) -> str:
    if isinstance(value, str) and "{start}" in value and "{end}" in value:
        return value
    raise Invalid("'range' must hold {start} and {end}")


def _word(value: object, _reading: config.Reading, at: tuple) -> str:
    if _words(value):
        return value
    raise Invalid(f"'{at[-1]}' must be a word")


def _units(value: object, _reading: config.Reading, at: tuple) -> dict:
    name = at[-1] if at else "units"
    thing = "currency" if name == "currencies" else "unit"
    if not isinstance(value, dict):
        raise Invalid(f"'{name}' must be '{thing}: word' pairs, or "
                      f"'{thing}: {{one: ..., other: ...}}'")
    units = {}
    for unit, forms in value.items():
        if _words(forms):
            forms = {"other": forms}
        if not (isinstance(forms, dict) and "other" in forms
                and set(forms) <= set(PLURAL_FORMS) and all(map(_words, forms.values()))):
            raise Invalid(f"{thing} '{unit}' needs a word, or words by plural form "
                          f"({', '.join(PLURAL_FORMS)}; 'other' at least)")
        units[str(unit)] = dict(forms)
    return units


def _unit_names(value: object, reading: config.Reading, at: tuple) -> dict:
    units = _units(value, reading, at)
    known = _cldr_unit_keys()
    for unit in units:
        if unit not in known:
            raise Invalid(f"'{unit}' is not a CLDR unit: name it as CLDR does "
                          "(mass-milligram, volume-milliliter, concentr-percent)", at=(unit,))
    return units


@functools.lru_cache(maxsize=1)
def _cldr_unit_keys() -> frozenset[str]:
    from babel import Locale

    return frozenset(Locale.parse("en")._data["unit_patterns"])


DEFAULTS = Rules(lang="")
TABLE = Table(fields={
    "digits": Field("the ten words for 0 to 9, where the voice's own are not the ones "
                    "people say", check=_digits, default=DEFAULTS.digits),
    "plus": Field("the word for a leading + of a phone number", check=_word,
                  default=DEFAULTS.plus),
    "group_separator": Field("what is said between groups of digits", kind=str,
                             default=DEFAULTS.group_separator,
                             message="'group_separator' must be a word"),
    "service_numbers": Field("numbers said digit by digit wherever they stand (111, 999)",
                             check=_word_list, default=DEFAULTS.service_numbers),
    "spell": Field("abbreviations said letter by letter", check=_word_list,
                   default=DEFAULTS.spell),
    "letters": Field("how each letter is said, as 'written: spoken' pairs", check=_pairs,
                     default={}),
    "letter_separator": Field("what is said between spelled letters", kind=str,
                              default=DEFAULTS.letter_separator,
                              message="'letter_separator' must be a word"),
    "say": Field("words said another way, as 'written: spoken' pairs", check=_pairs,
                 default={}),
    "units": Field("a unit's name by plural form, keyed by its CLDR unit, where CLDR's long "
                   "name is not right for the voice ('mass-milligram: {one: ..., other: ...}')",
                   check=_unit_names, default={}),
    "times": Field(f"times of day: {', '.join(TIME_KEYS)}", check=_times, default={}),
    "range": Field("how a range is said, with {start} and {end}", check=_range,
                   default=DEFAULTS.range),
    "email": Field("how an e-mail address's signs are said", check=_pairs, default={}),
    "web": Field("how a web address's signs are said", check=_pairs, default={}),
    "extension": Field("the word said for a phone number's extension ('ext.', 'x')",
                       check=_word, default=DEFAULTS.extension),
    "currencies": Field("a currency's name as people say it, by plural form, where CLDR's "
                        "is not ('GBP: {one: pound, other: pounds}')", check=_units, default={}),
    "date_order": Field("dmy, mdy or ymd", kind=str, choices=("dmy", "mdy", "ymd"),
                        default=DEFAULTS.date_order, message="'date_order' is dmy, mdy or ymd"),
})

