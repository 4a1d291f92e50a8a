"""What a language's writing system asks of a writer: its fonts, its size, its commas.

Chosen by the script a language tag is written in (``pa`` Gurmukhi, ``pa-Arab``
Arabic), with a few languages that need a face of their own; a script not named
here is written like Latin.
"""

from __future__ import annotations

import functools
import unicodedata

# Each language is written in the script CLDR's likely subtags give it (``pa`` in
# Gurmukhi, ``pa-Arab`` and ``pa-PK`` in the Arabic script, ``zh-TW`` in Traditional Han),
# and the script chooses the faces; a language whose letters need a face of their own
# names it in the LANGUAGE_ tables (Urdu is written in Nastaliq, not Naskh).

# The installed face the PDF sets a script in, where the default sans does not cover it
# or fontconfig would choose a serif: Naskh for the Arabic script, the Noto sans faces for
# the Indic and Ethiopic scripts, and for Han the CJK face of its own orthography (without
# these rules fontconfig sets Chinese in the Japanese face, whose forms differ).
SCRIPT_PRINT_FONTS = {
    "Arab": "Noto Naskh Arabic", "Hebr": "Noto Sans Hebrew", "Syrc": "Noto Sans Syriac",
    "Thaa": "Noto Sans Thaana",
    "Beng": "Noto Sans Bengali", "Deva": "Noto Sans Devanagari", "Guru": "Noto Sans Gurmukhi",
    "Gujr": "Noto Sans Gujarati", "Orya": "Noto Sans Oriya", "Taml": "Noto Sans Tamil",
    "Telu": "Noto Sans Telugu", "Knda": "Noto Sans Kannada", "Mlym": "Noto Sans Malayalam",
    "Sinh": "Noto Sans Sinhala", "Thai": "Noto Sans Thai", "Laoo": "Noto Sans Lao",
    "Khmr": "Noto Sans Khmer", "Mymr": "Noto Sans Myanmar", "Tibt": "Noto Serif Tibetan",
    "Ethi": "Noto Sans Ethiopic", "Geor": "Noto Sans Georgian", "Armn": "Noto Sans Armenian",
    "Hans": "Noto Sans CJK SC", "Hant": "Noto Sans CJK TC", "Jpan": "Noto Sans CJK JP",
    "Kore": "Noto Sans CJK KR",
}
LANGUAGE_PRINT_FONTS = {"ur": "Noto Nastaliq Urdu", "zh-HK": "Noto Sans CJK HK",
                        "zh-MO": "Noto Sans CJK HK"}

# The font a script needs in Word, and the w:rFonts slot Word reads it from: Word
# picks "cs" for complex scripts (Arabic, Hebrew, Indic, Thai), "eastAsia" for Chinese,
# Japanese and Korean, and "hAnsi" for other letters beyond ASCII (Ethiopic).  The
# reader's machine supplies the fonts.
SCRIPT_WORD_FONTS = {
    **{script: ("cs", font) for script, font in SCRIPT_PRINT_FONTS.items()
       if script not in ("Ethi", "Geor", "Armn", "Hans", "Hant", "Jpan", "Kore")},
    "Ethi": ("hAnsi", "Noto Sans Ethiopic"), "Geor": ("hAnsi", "Noto Sans Georgian"),
    "Armn": ("hAnsi", "Noto Sans Armenian"),
    "Hans": ("eastAsia", "Microsoft YaHei"), "Hant": ("eastAsia", "Microsoft JhengHei"),
    "Jpan": ("eastAsia", "Yu Gothic"), "Kore": ("eastAsia", "Malgun Gothic"),
}
LANGUAGE_WORD_FONTS = {"ur": ("cs", "Noto Nastaliq Urdu")}

# The script of languages CLDR has no data for: Sylheti is written in the Bengali script.
LANGUAGE_SCRIPTS = {"syl": "Beng"}

# The languages the PDF's stylesheet names (``:lang()`` rules for text in another
# language than the page's, such as the panel's language names): every language the tool
# has words for, and others whose script the default sans does not cover.
STYLED_LANGUAGES = (
    "am", "ar", "as", "bn", "bo", "ckb", "dv", "fa", "gu", "he", "hi", "hy", "ja", "ka",
    "km", "kn", "ko", "lo", "ml", "mr", "my", "ne", "or", "pa", "pa-Arab", "pa-PK", "prs",
    "ps", "sd", "si", "syl", "ta", "te", "th", "ti", "ug", "ur", "yi", "zh", "zh-Hans",
    "zh-Hant", "zh-HK", "zh-MO", "zh-TW",
)

# The height of one single-spaced line, in ems, of the fonts a reader's
# machine uses (Arial and its substitutes, Liberation Sans and Noto Sans, are
# at most 1.4 em); scripts whose fonts reach far above and below the line are
# taller.
LINE_HEIGHT_EM = {"Noto Naskh Arabic": 1.75, "Noto Nastaliq Urdu": 2.5}
LATIN_LINE_HEIGHT_EM = 1.4

# Naskh and Nastaliq letters are small for their point size beside Latin ones:
# Arabic-script text is set larger so that it reads as large as the English.
SCALES = {"Arab": 1.15}

# Between the items of a list ("Leaflet code: X, Version: 1"): CLDR's list pattern where
# it joins with punctuation; Arabic's joins with "and" (و), so the script's comma is used.
LIST_SEPARATORS = {"Arab": "\u060c "}


@functools.lru_cache(maxsize=512)
def script(lang: str) -> str:
    """The script (ISO 15924) ``lang`` is written in: its own script subtag, else the one
    CLDR's likely subtags give it with its region, else Latin."""
    from babel.core import get_global

    from leaflet import langs

    parts = lang.replace("_", "-").split("-")
    named = [p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()]
    if named:
        return named[0]
    locale = langs.babel_locale(lang)
    if locale is None:
        return LANGUAGE_SCRIPTS.get(parts[0].lower(), "Latn")
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags")
    keys = ([f"{locale.language}_{locale.territory}"] if locale.territory else []) + [
        locale.language]
    for key in keys:
        found = [p for p in likely.get(key, "").split("_")[1:] if len(p) == 4]
        if found:
            return found[0]
    return "Latn"


def _language_entry(table: dict, lang: str):
    """The entry of ``lang`` in a table keyed by language: the tag, then its language
    with its region, then its language alone."""
    parts = lang.replace("_", "-").split("-")
    regions = [p for p in parts[1:] if len(p) == 2 or (len(p) == 3 and p.isdigit())]
    for key in (lang, *(f"{parts[0]}-{r}" for r in regions), parts[0]):
        if key in table:
            return table[key]
    return None


PRINT_FONTS = {}  # filled below: language -> the face the PDF's :lang() rule names
WORD_FONTS = {}  # language -> (w:rFonts slot, face), for the languages named above


def font_stack(first: str) -> str:
    """A CSS font-family: ``first``, then fonts that cover what it may lack."""
    # Noto Sans covers Latin, Greek and Cyrillic; DejaVu Sans is the fallback
    # every Debian has.  Names were checked by the theme loader.
    names = [first] + [n for n in ("Noto Sans", "DejaVu Sans") if n != first]
    return ", ".join(f'"{n}"' for n in names) + ", sans-serif"


def _base(lang: str) -> str:
    return lang.split("-")[0]


def word_font(lang: str) -> tuple[str, str] | None:
    """(w:rFonts slot, font) for text in ``lang``, or None where Arial serves."""
    own = _language_entry(LANGUAGE_WORD_FONTS, lang)
    if own and script(lang) == "Arab":
        return own
    return SCRIPT_WORD_FONTS.get(script(lang))


def line_height_em(lang: str) -> float:
    """One single-spaced line of text in ``lang`` in Word, in ems of its size."""
    font = word_font(lang)
    return max(LATIN_LINE_HEIGHT_EM, LINE_HEIGHT_EM.get(font[1], 0) if font else 0)


def print_font(lang: str) -> str:
    """The installed font the PDF sets ``lang`` in first; "" for the default sans."""
    own = _language_entry(LANGUAGE_PRINT_FONTS, lang)
    written = script(lang)
    if own and (written == "Arab" or _base(lang) == "zh" and written == "Hant"):
        return own
    return SCRIPT_PRINT_FONTS.get(written, "")


def scale(lang: str) -> float:
    """How much larger than the edition's sizes text in ``lang`` is set."""
    return SCALES.get(script(lang), 1.0)


# Between a label and its value ("Phone: 0191 445 2180"), which CLDR has no pattern for:
# French sets a no-break space before the colon, Chinese and Japanese a full-width colon.
LANGUAGE_COLONS = {"fr": "\u00a0: "}
SCRIPT_COLONS = {"Hans": "\uff1a", "Hant": "\uff1a", "Jpan": "\uff1a"}


def colon(lang: str) -> str:
    """What follows a label in ``lang``, its space included."""
    return LANGUAGE_COLONS.get(lang.split("-")[0].lower()) or SCRIPT_COLONS.get(script(lang), ": ")


def labelled(label: str, value: str, lang: str) -> str:
    return f"{label}{colon(lang)}{value}"


@functools.lru_cache(maxsize=256)
def list_separator(lang: str) -> str:
    from leaflet import langs

    locale = langs.babel_locale(lang)
    middle = locale.list_patterns.get("standard", {}).get("middle", "") if locale else ""
    between = "".join(c for c in middle.replace("{0}", "").replace("{1}", "")
                      if unicodedata.category(c) != "Cf")  # CLDR's Persian adds an RLM
    if between and not any(c.isalpha() for c in between):
        return between
    return LIST_SEPARATORS.get(script(lang), ", ")


PRINT_FONTS.update({lang: print_font(lang) for lang in STYLED_LANGUAGES if print_font(lang)})
WORD_FONTS.update({lang: word_font(lang) for lang in STYLED_LANGUAGES if word_font(lang)})
