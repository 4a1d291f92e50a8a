"""Language tags: checking them, their direction, and their names in their own script (babel)."""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError

# Locale.parse splits on "-" and "_"; babel's identifiers use "_".


@functools.lru_cache(maxsize=None)
def babel_locale(tag: str) -> Locale | None:
    """The babel locale for a BCP 47 tag, or None when babel does not know it."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def normalise(tag: str) -> str:
    """``en_gb`` -> ``en-GB``; ValueError when the tag is not a known language."""
    locale = babel_locale(str(tag).strip())
    if locale is None:
        raise ValueError(tag)
    parts = [locale.language]
    if locale.script:
        parts.append(locale.script)
    if locale.territory:
        parts.append(locale.territory)
    return "-".join(parts)


def direction(tag: str) -> str:
    """"rtl" for right-to-left languages (Arabic, Urdu...), else "ltr"."""
    locale = babel_locale(tag)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def native_name(tag: str) -> str:
    """The language named in its own language and script: "Polski", "العربية"."""
    locale = babel_locale(tag)
    if locale is None:
        return tag
    name = locale.get_language_name(locale) or tag
    return name[:1].upper() + name[1:]


def english_name(tag: str) -> str:
    locale = babel_locale(tag)
    if locale is None:
        return tag
    return locale.get_language_name("en") or tag
