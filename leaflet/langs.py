"""Language tags: checking them (CLDR through babel, and the IANA subtag registry for ISO
639-3 codes CLDR has no data for), their direction, and their names from CLDR."""

from __future__ import annotations

import functools
import os

from babel import Locale, UnknownLocaleError

from .errors import LeafletError

PSEUDO_LANGUAGE = "xx"  # upper-cases the source in the tests; no real language
# Only the tests turn the pseudo-language on: in a hospital's library a locales/xx/ folder
# is no language, and must not be built or published as one.
PSEUDO_LANGUAGE_SWITCH = "LEAFLET_PSEUDO_LANGUAGE"

# Locale.parse splits on "-" and "_"; babel's identifiers use "_".

FORMS = ("a tag is a language (pl, ar), with a region where it matters (en-GB, pt-BR, es-419) "
         "and a script where the language is written in several (sr-Latn, zh-Hant-TW)")
# Codes BCP 47 keeps for what is no one language; babel would read "und" as English.
NO_LANGUAGE = {"und": "an undetermined language", "mul": "several languages",
               "zxx": "no language at all", "mis": "a language without a code of its own",
               "root": "CLDR's root data"}
UNKNOWN_REGION = "ZZ"  # CLDR's "Unknown Region", which babel reads as the United States


class TagError(ValueError):
    """A tag that names no language; the message says why, in a user's words."""


@functools.lru_cache(maxsize=1)
def regions() -> frozenset[str]:
    """Every region subtag CLDR knows (countries such as GB, UN M49 areas such as 419,
    and their old codes, such as UK), the unknown region left out."""
    from babel.core import get_global

    known = set(Locale("en").territories) | set(get_global("territory_aliases"))
    return frozenset(known - {UNKNOWN_REGION})


@functools.lru_cache(maxsize=1)
def registry() -> dict[str, dict]:
    """The IANA language subtag registry's language subtags (as shipped with the
    language-data package): "prs" -> {"Description": ["Dari", ...], ...}."""
    from language_data.registry_parser import parse_registry

    return {item["Subtag"].lower(): item for item in parse_registry()
            if item.get("Type") == "language" and ".." not in item["Subtag"]}


def registered(language: str) -> dict | None:
    """The registry's record of a language subtag in use today: not deprecated (iw is
    he), not private use or special (und)."""
    if not (2 <= len(language) <= 3 and language.isalpha()):
        return None  # no language subtag in use is longer ("templates" is a folder)
    item = registry().get(language.lower())
    if item is None or "Deprecated" in item or item.get("Scope") in ("private-use", "special"):
        return None
    return item


def _subtags_problem(typed: list[str]) -> str | None:
    """Why typed subtags name no language, before babel fills in what is missing."""
    language = typed[0].lower()
    if language in NO_LANGUAGE:
        return f"'{language}' stands for {NO_LANGUAGE[language]}, not a language; {FORMS}"
    for subtag in typed[1:]:
        is_region = (len(subtag) == 2 and subtag.isalpha()) or \
            (len(subtag) == 3 and subtag.isdigit())
        if is_region:
            if subtag.upper() not in regions():
                return (f"'{subtag}' is not a region (a country code such as GB or IE, or a UN "
                        f"M49 area such as 419); {FORMS}")
            break
    return None


@functools.lru_cache(maxsize=None)
def babel_locale(tag: str) -> Locale | None:
    """The babel locale for a BCP 47 tag, or None when babel does not know it."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        pass
    # a language CLDR files under another tag: prs (Dari) is CLDR's fa_AF
    from babel.core import get_global

    subtags = str(tag).replace("_", "-").split("-")
    alias = get_global("language_aliases").get(subtags[0].lower())
    if not alias or len(subtags) > 1:
        return None
    try:
        return Locale.parse(alias)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def normalise(tag: str) -> str:
    """``en_gb`` -> ``en-GB``; TagError (a ValueError) when the tag is not a known
    language, its message saying why: ``und`` and ``en-ZZ``, which babel would read as
    American English, are refused.  A language subtag valid in the IANA registry stays
    as typed (``tl`` is Tagalog, not ``fil-PH``; ``prs`` and ``syl`` are Dari and
    Sylheti), even where CLDR has no data of its own for it."""
    typed = [p for p in str(tag).strip().replace("_", "-").split("-") if p]
    problem = _subtags_problem(typed) if typed else f"the language tag is empty; {FORMS}"
    if problem:
        raise TagError(problem)
    cased = [typed[0].lower()] + [p.title() if len(p) == 4 else p.upper() for p in typed[1:]]
    locale = babel_locale(str(tag).strip())
    # the registry is read only for a language CLDR does not file under its own code
    if (locale is None or locale.language != cased[0]) and \
            registered(cased[0]) is not None and _subtags_well_formed(cased[1:]):
        return "-".join(cased)
    if locale is None:
        raise TagError(f"CLDR knows no language '{str(tag).strip()}'; {FORMS}")
    parts = [locale.language]
    if locale.script:
        parts.append(locale.script)
    if locale.territory:
        parts.append(locale.territory)
    # the subtags as typed, cased as BCP 47 writes them, when babel reads them as such:
    # "zh-CN" stays zh-CN (babel would add the script it implies, zh-Hans-CN)
    if cased[0] == locale.language and all(p in parts for p in cased[1:]):
        return "-".join(cased)
    return "-".join(parts)


def _subtags_well_formed(subtags: list[str]) -> bool:
    """A script (Arab) then a region (AF, 419), each at most once, and nothing else."""
    from babel.core import get_global

    kinds = []
    for subtag in subtags:
        if len(subtag) == 4 and subtag.isalpha() and subtag in get_global("script_aliases") \
                or len(subtag) == 4 and subtag.isalpha() and subtag in Locale("en").scripts:
            kinds.append("script")
        elif subtag.upper() in regions():
            kinds.append("region")
        else:
            return False
    return kinds in ([], ["script"], ["region"], ["script", "region"])


def check(tag: str, what: str = "") -> str:
    """The one check of a language tag a user gives: the tag as folders and outputs are
    named (``PL`` -> ``pl``, ``pt_br`` -> ``pt-BR``), or a LeafletError for anything babel
    does not know as a language, such as ``backup``; ``what`` names where the tag came
    from in the message (``--ui-lang``).  The pseudo-language ``xx`` passes only where the
    tests switch it on (``LEAFLET_PSEUDO_LANGUAGE=1``)."""
    tag = str(tag).strip()
    if tag == PSEUDO_LANGUAGE and os.environ.get(PSEUDO_LANGUAGE_SWITCH) == "1":
        return tag
    try:
        return normalise(tag)
    except ValueError as exc:
        raise LeafletError(what, None, f"'{tag}' is not a language tag (for example pl, ar, "
                           f"bn, pt-BR): {exc}") from None


def is_tag(name: str) -> bool:
    """True for a name that is a language tag written as ``check`` writes it (``pl``,
    ``pt-BR``, ``xx``; not ``PL``, ``backup`` or ``../x``): a folder of locales/, a
    manifest entry's language."""
    try:
        return check(name) == name
    except LeafletError:
        return False


def direction(tag: str) -> str:
    """"rtl" for right-to-left languages (Arabic, Urdu...), else "ltr"."""
    locale = babel_locale(tag)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def language_name(tag: str, reader: str | None = None) -> str:
    """The language of a tag named as CLDR names it for a reader (in its own language when
    ``reader`` is None): a regional name where CLDR has one ("دری" for fa-AF and prs,
    "Dari" in English), the typed language where CLDR reads it as another ("Tagalog"
    for tl), else the registry's description ("Sylheti")."""
    locale = babel_locale(tag)
    typed = str(tag).strip().replace("_", "-").split("-")[0].lower()
    reading = babel_locale(reader) if reader else locale
    if locale is not None and reading is not None:
        if typed != locale.language and reading.languages.get(typed):
            return reading.languages[typed]
        regional = _regional_name(locale, reading)
        if regional:
            return regional
        if reading.languages.get(locale.language):
            return reading.languages[locale.language]
    if reading is not None and reading.languages.get(typed):
        return reading.languages[typed]
    item = registered(typed)
    return item["Description"][0] if item else tag


def _regional_name(locale: Locale, reading: Locale) -> str:
    """CLDR's name for a language as spoken in a region, where it names a language of its
    own ("دری", Dari, for fa-AF) rather than a variety ("British English")."""
    if not locale.territory:
        return ""
    regional = reading.languages.get(f"{locale.language}_{locale.territory}") or ""
    base = reading.languages.get(locale.language) or ""
    return regional if regional and base and base.casefold() not in regional.casefold() else ""


def native_name(tag: str) -> str:
    """The language named in its own language and script: "Polski", "العربية", "دری"."""
    name = language_name(tag)
    return name[:1].upper() + name[1:]


def panel_name(tag: str, others: list[str] | tuple[str, ...] = ()) -> str:
    """The language named in itself, with its variant as CLDR writes it ("中文（简体）",
    "Português (Brasil)") when another of ``others`` is the same language: two entries
    that both read "中文" would not tell a reader which to ask for.  A variant CLDR
    names as a language of its own ("دری" beside "فارسی") is named so."""
    base = tag.split("-")[0].lower()
    if not any(o != tag and o.split("-")[0].lower() == base for o in others):
        return native_name(tag)
    locale = babel_locale(tag)
    if locale is None:
        return native_name(tag)
    name = _regional_name(locale, locale) or locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]


def english_name(tag: str) -> str:
    return language_name(tag, "en")
