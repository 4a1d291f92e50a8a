"""Helpers every writer shares: dates, the words of the page furniture, the panel."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as babel_format_date

from leaflet import langs
from leaflet.model import Leaflet

from .options import WriterOptions


def N_(message: str) -> str:
    """Marks a template word for extraction into ui.pot without translating it here."""
    return message


EDITION_NAMES = {
    "standard": N_("Standard print"),
    "large-print": N_("Large print"),
    "easy-read": N_("Easy read"),
}
DRAFT_BANNER = N_("DRAFT translation, not yet checked")
PANEL_HEADING = N_("This leaflet is also available in other languages and formats")


def format_date(date: dt.date, lang: str) -> str:
    """A date written out for the language: "6 January 2027", "6 stycznia 2027"."""
    locale = langs.babel_locale(lang) or langs.babel_locale("en-GB")
    return babel_format_date(date, format="long", locale=locale)


def draft_lines(leaflet: Leaflet, options: WriterOptions) -> list[str]:
    """The DRAFT banner in English and, when it differs, in the leaflet's language."""
    if not options.draft:
        return []
    translated = options.gettext(DRAFT_BANNER)
    return [DRAFT_BANNER] + ([translated] if translated != DRAFT_BANNER else [])


def footer_fields(leaflet: Leaflet, options: WriterOptions) -> list[tuple[str, str]]:
    """(label, value) pairs for the page footer, in the leaflet's language."""
    _ = options.gettext
    meta = leaflet.meta
    fields = []
    if meta.code:
        fields.append((_("Leaflet code"), meta.code))
    if meta.version:
        fields.append((_("Version"), meta.version))
    fields.append((_("Published"), format_date(meta.published, meta.language)))
    fields.append((_("Review date"), format_date(meta.review, meta.language)))
    return fields


def panel_entries(options: WriterOptions) -> list[tuple[str, str, str, list[str]]]:
    """(lang, name in its own script, direction, edition names) for the panel."""
    _ = options.gettext
    return [(a.lang, a.name, a.direction, [_(EDITION_NAMES[e]) for e in a.editions])
            for a in options.available]


def language_name(lang: str) -> str:
    return langs.native_name(lang)


# Between the items of a list ("Leaflet code: X, Version: 1"), where the
# language's own comma differs from the Latin one.
LIST_SEPARATORS = {"ar": "\u060c ", "fa": "\u060c ", "ur": "\u060c ", "ps": "\u060c ",
                   "ckb": "\u060c ", "zh": "\u3001", "ja": "\u3001"}


def list_separator(lang: str) -> str:
    return LIST_SEPARATORS.get(lang.split("-")[0], ", ")
