"""What a language's writing system asks of a writer: its fonts, its size, its commas.

Keyed by the language tag's first part ("ar" for "ar-EG"); a language not
named here is written like English.
"""

from __future__ import annotations

# The font a script needs in Word, and the w:rFonts slot Word reads it from: Word
# picks "cs" for complex scripts (Arabic, Hebrew, Indic, Thai) and "eastAsia"
# for Chinese, Japanese and Korean.  The reader's machine supplies the fonts.
WORD_FONTS = {
    "ar": ("cs", "Noto Naskh Arabic"), "fa": ("cs", "Noto Naskh Arabic"),
    "ps": ("cs", "Noto Naskh Arabic"), "ckb": ("cs", "Noto Naskh Arabic"),
    "ur": ("cs", "Noto Nastaliq Urdu"),
    "he": ("cs", "Noto Sans Hebrew"), "yi": ("cs", "Noto Sans Hebrew"),
    "bn": ("cs", "Noto Sans Bengali"), "as": ("cs", "Noto Sans Bengali"),
    "pa": ("cs", "Noto Sans Gurmukhi"), "gu": ("cs", "Noto Sans Gujarati"),
    "hi": ("cs", "Noto Sans Devanagari"), "ne": ("cs", "Noto Sans Devanagari"),
    "mr": ("cs", "Noto Sans Devanagari"), "ta": ("cs", "Noto Sans Tamil"),
    "te": ("cs", "Noto Sans Telugu"), "ml": ("cs", "Noto Sans Malayalam"),
    "si": ("cs", "Noto Sans Sinhala"), "th": ("cs", "Noto Sans Thai"),
    "zh": ("eastAsia", "Microsoft YaHei"), "zh-Hant": ("eastAsia", "Microsoft JhengHei"),
    "ja": ("eastAsia", "Yu Gothic"), "ko": ("eastAsia", "Malgun Gothic"),
}

# The height of one single-spaced line, in ems, of the fonts a reader's
# machine uses (Arial and its substitutes, Liberation Sans and Noto Sans, are
# at most 1.4 em); scripts whose fonts reach far above and below the line are
# taller.
LINE_HEIGHT_EM = {"Noto Naskh Arabic": 1.75, "Noto Nastaliq Urdu": 2.5}
LATIN_LINE_HEIGHT_EM = 1.4

# Scripts the PDF's default sans does not cover: the installed font each
# language's text takes (the PDF's print.css names it for each language).
# Han text takes the CJK face of its own orthography: without these rules fontconfig
# sets Chinese in the Japanese face, whose forms differ (fonts-noto-cjk has all four).
PRINT_FONTS = {"ar": "Noto Naskh Arabic", "fa": "Noto Naskh Arabic",
               "ur": "Noto Nastaliq Urdu", "bn": "Noto Sans Bengali",
               "zh": "Noto Sans CJK SC", "zh-Hans": "Noto Sans CJK SC",
               "zh-Hant": "Noto Sans CJK TC", "zh-TW": "Noto Sans CJK TC",
               "zh-HK": "Noto Sans CJK HK", "zh-MO": "Noto Sans CJK HK",
               "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR"}

# Naskh and Nastaliq letters are small for their point size beside Latin ones:
# Arabic-script text is set larger so that it reads as large as the English.
SCALES = {"ar": 1.15, "fa": 1.15, "ur": 1.15, "ps": 1.15, "ckb": 1.15}

# Between the items of a list ("Leaflet code: X, Version: 1"), where the
# language's own comma differs from the Latin one.
LIST_SEPARATORS = {"ar": "\u060c ", "fa": "\u060c ", "ur": "\u060c ", "ps": "\u060c ",
                   "ckb": "\u060c ", "zh": "\u3001", "ja": "\u3001"}


def font_stack(first: str) -> str:
    """A CSS font-family: ``first``, then fonts that cover what it may lack."""
    # Noto Sans covers Latin, Greek and Cyrillic; DejaVu Sans is the fallback
    # every Debian has.  Names were checked by the theme loader.
    names = [first] + [n for n in ("Noto Sans", "DejaVu Sans") if n != first]
    return ", ".join(f'"{n}"' for n in names) + ", sans-serif"


def _base(lang: str) -> str:
    return lang.split("-")[0]


def _traditional_chinese(lang: str) -> bool:
    return _base(lang) == "zh" and ("Hant" in lang or lang.endswith(("-TW", "-HK", "-MO")))


def word_font(lang: str) -> tuple[str, str] | None:
    """(w:rFonts slot, font) for text in ``lang``, or None where Arial serves."""
    if _traditional_chinese(lang):
        return WORD_FONTS["zh-Hant"]
    return WORD_FONTS.get(_base(lang))


def line_height_em(lang: str) -> float:
    """One single-spaced line of text in ``lang`` in Word, in ems of its size."""
    font = word_font(lang)
    return max(LATIN_LINE_HEIGHT_EM, LINE_HEIGHT_EM.get(font[1], 0) if font else 0)


def print_font(lang: str) -> str:
    """The installed font the PDF sets ``lang`` in first; "" for the default sans."""
    if _base(lang) == "zh":
        region = lang.endswith(("-HK", "-MO")) and "zh-HK"
        return PRINT_FONTS[region or ("zh-Hant" if _traditional_chinese(lang) else "zh")]
    return PRINT_FONTS.get(_base(lang), "")


def scale(lang: str) -> float:
    """How much larger than the edition's sizes text in ``lang`` is set."""
    return SCALES.get(_base(lang), 1.0)


def list_separator(lang: str) -> str:
    return LIST_SEPARATORS.get(_base(lang), ", ")
