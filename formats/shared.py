"""Helpers every writer shares: dates, the words of the page furniture, the panel."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date as babel_format_date

from leaflet import langs
from leaflet.model import Leaflet, Meta, Phone

from . import N_, panel_words
from .options import WriterOptions
from .typography import labelled, list_separator


EDITION_NAMES = {
    "standard": N_("Standard print"),
    "large-print": N_("Large print"),
    "easy-read": N_("Easy read"),
}
# The label a boxed note starts with, by its kind.
CALLOUT_LABELS = {"info": N_("Note"), "warning": N_("Warning"), "urgent": N_("Urgent")}
DRAFT_BANNER = N_("DRAFT translation, not yet checked")
# after the version in every footer, while the source's text waits for approval
AWAITING_APPROVAL = N_("{version} (awaiting approval)")
PANEL_DRAFT = N_("DRAFT")  # after a draft translation's editions in the panel
PAGE_OF = N_("Page {page} of {pages}")  # each page's number, in print
PANEL_HEADING = N_("This leaflet is also available in other languages and formats")
# A contact's number is labelled by what it is for: a number for text messages or for a
# textphone is not one to call.
PHONE_LABEL = N_("Phone")
PHONE_LABELS = {"text": N_("Text"), "textphone": N_("Textphone")}
# How the panel names the formats beyond print that exist in a language.


def phone_label(phone: Phone) -> str:
    """The label before a contact's number, by its kind, untranslated (pass it through
    the writer's gettext): "Text", "Textphone", else "Phone"."""
    return PHONE_LABELS.get(phone.kind, PHONE_LABEL)


# A range of numbers or times ("9:00–20:00", "2-3", "9am – 5pm") reads as one
# thing: a line never breaks inside it.
RANGE_RE = re.compile(r"(?<![\w.,:\u2013-])\d[\d:.,]*(?:\s?(?:am|pm))?"
                      r"\s?[\u2013-]\s?\d[\d:.,]*(?:\s?(?:am|pm)\b)?")
WORD_JOINER = "\u2060"
# An amount: a number, the no-break space the source put after it, and its unit, with
# any "/hour" or "/kg" after the unit ("12 micrograms/hour"): a line never breaks
# inside it, at the space or after the slash.
AMOUNT_RE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\u00a0[^\s/]{1,24}(?:/[^\s/]{1,24})*")


def kept_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a range or an amount, which a line never breaks inside, as
    (start, end) pairs in order, overlapping ones merged ("2-3\u00a0tablets")."""
    spans: list[tuple[int, int]] = []
    for start, end in sorted(m.span() for pattern in (RANGE_RE, AMOUNT_RE)
                             for m in pattern.finditer(text)):
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def joined_ranges(text: str) -> str:
    """``text`` with word joiners around each range's dash and no-break spaces
    inside it, and a word joiner after each slash of an amount's unit, for writers
    that have no way to keep a span on one line (DOCX)."""
    def join(match: re.Match) -> str:
        # the numbers hold no dash, so the first one is the range's
        dashed = re.sub(r"[\u2013-]", lambda dash: WORD_JOINER + dash.group() + WORD_JOINER,
                        match.group(), count=1)
        return dashed.replace(" ", "\u00a0")

    def join_unit(match: re.Match) -> str:
        # a layout engine may break after a slash ("micrograms/" / "hour"); a word
        # joiner after it keeps the unit whole
        return match.group().replace("/", "/" + WORD_JOINER)
    return AMOUNT_RE.sub(join_unit, RANGE_RE.sub(join, text))


def css_string(text: str) -> str:
    """Text as a CSS string literal that cannot end the string or the <style> element."""
    out = []
    for char in text:
        if char in '"\\<>&' or ord(char) < 32:
            out.append("\\A " if char == "\n" else f"\\{ord(char):X} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def footer_sides(direction: str) -> tuple[str, str]:
    """The side a printed footer starts on (its details) and the side it ends on
    (the page number): left and right, or the other way in a right-to-left language."""
    return ("right", "left") if direction == "rtl" else ("left", "right")


def footer_line(leaflet: Leaflet, options: WriterOptions) -> str:
    """The footer's first line: the leaflet's code and version, in its language
    (empty when the leaflet has neither)."""
    return list_separator(leaflet.meta.language).join(
        labelled(label, value, leaflet.meta.language)
        for label, value in identity_fields(leaflet, options))


def page_counter(options: WriterOptions) -> str:
    """"Page 3 of 8" in the leaflet's language as CSS content, for a page's margin box."""
    before, _sep, rest = options.gettext(PAGE_OF).partition("{page}")
    middle, _sep, after = rest.partition("{pages}")
    return " ".join(part for part in (
        css_string(before) if before else "", "counter(page)",
        css_string(middle) if middle else "", "counter(pages)",
        css_string(after) if after else "") if part)


def format_date(date: dt.date, lang: str) -> str:
    """A date written out for the language: "6 January 2027", "6 stycznia 2027"."""
    locale = langs.babel_locale(lang) or langs.babel_locale("en-GB")
    return babel_format_date(date, format="long", locale=locale)


def logo_alt(options: WriterOptions, meta: Meta) -> tuple[str, str]:
    """The logo's alt text in the leaflet's language, from the library's
    ``locales/<lang>/ui.po`` where a translator gave one, and the language it is
    in: the library's own (the source's) when it is not translated."""
    alt = options.theme.logo_alt
    translated = options.gettext(alt) if alt else alt
    if translated != alt or not meta.source_language:
        return translated, meta.language
    return alt, meta.source_language


def draft_lines(leaflet: Leaflet, options: WriterOptions) -> list[str]:
    """The DRAFT banner in English and, when it differs, in the leaflet's language."""
    if not options.draft:
        return []
    translated = options.gettext(DRAFT_BANNER)
    return [DRAFT_BANNER] + ([translated] if translated != DRAFT_BANNER else [])


def identity_fields(leaflet: Leaflet, options: WriterOptions) -> list[tuple[str, str]]:
    """(label, value) pairs for the leaflet's code and version, those it has."""
    _ = options.gettext
    meta = leaflet.meta
    fields = []
    if meta.code:
        fields.append((_("Leaflet code"), meta.code))
    if meta.version:
        fields.append((_("Version"), _(AWAITING_APPROVAL).format(version=meta.version)
                       if options.awaiting_approval else meta.version))
    return fields


def footer_fields(leaflet: Leaflet, options: WriterOptions) -> list[tuple[str, str]]:
    """(label, value) pairs for the page footer, in the leaflet's language: the
    code and version it has, then its dates."""
    _ = options.gettext
    meta = leaflet.meta
    fields = identity_fields(leaflet, options)
    fields.append((_("Published"), format_date(meta.published, meta.language)))
    fields.append((_("Review date"), format_date(meta.review, meta.language)))
    return fields


def detail_fields(leaflet: Leaflet, options: WriterOptions) -> list[tuple[str, str]]:
    """The footer's fields, then who owns the leaflet and where it is online: the
    details at the end of the leaflet, where readers and staff look for them."""
    _ = options.gettext
    meta = leaflet.meta
    fields = footer_fields(leaflet, options)
    if meta.owner:
        fields.append((_("Leaflet owner"), meta.owner))
    if meta.online:
        fields.append((_("Online"), meta.online))
    return fields


def panel_entries(options: WriterOptions) -> list[tuple[str, str, str, list[str]]]:
    """(lang, name in its own script, direction, edition names) for the panel; the names
    end with braille and audio where they exist in that language, and a draft translation
    says so last, so that nobody orders it as checked."""
    _ = options.gettext
    words = panel_words()
    return [(a.lang, a.name, a.direction,
             [_(EDITION_NAMES[e]) for e in a.editions]
             + list(dict.fromkeys(_(words[f]) for f in a.formats if f in words))
             + ([_(PANEL_DRAFT)] if a.draft else []))
            for a in options.available]
