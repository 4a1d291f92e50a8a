"""Leaflet details in running text: codes, versions, dates and the organisation's name.

"Leaflet code: ONC-012 · Review date: March 2027", and dates as people write them."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

# Each field and the labels hospitals print before it; longer labels first, so that
# "review date" is read before "review".
LABELS = (
    ("owner", r"leaflet\s+owner|owner|author|written\s+by|produced\s+by"),
    ("published", r"(?:page\s+|date\s+)?last\s+(?:reviewed|updated|revised)|"
                  r"date\s+of\s+(?:issue|publication)|(?:date\s+)?first\s+published|"
                  r"publication\s+date|(?:date\s+)?published|(?:date\s+)?issued|issue\s+date|"
                  r"date\s+produced|produced|date\s+approved|approved"),
    ("review", r"next\s+review\s+(?:due|date)(?:\s+date)?|date\s+(?:for|of)\s+(?:next\s+)?review|(?:next\s+)?review\s+date|"
               r"due\s+for\s+review|review\s+(?:due|by)|to\s+be\s+reviewed(?:\s+by)?|"
               r"next\s+review|review"),
    ("version", r"version\s+(?:no\.?|number)|version|ver\.|issue\s+(?:no\.?|number)"),
    ("code", r"(?:patient\s+information\s+)?(?:leaflet|information|pil|document)\s+"
             r"(?:code|number|no\.?|ref(?:erence)?\.?)|"
             r"code|ref(?:erence)?(?:\s+(?:no\.?|number))?"),
    ("online", r"(?:read\s+it\s+|find\s+it\s+|this\s+leaflet\s+)?online(?:\s+at)?"),
)
_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s·|•;,–—(\[]))(?:" +
    "|".join(f"(?P<{name}>{pattern})" for name, pattern in LABELS) +
    r")(?![\w-])\s*(?P<colon>[:\-–]?)\s*", re.I)
SEPARATORS = " \t·|•;,–—-()[]"
PAGE_RE = re.compile(r"\bpage\s+\d+(?:\s+of\s+\d+)?\b", re.I)
ORG_RE = re.compile(
    r"(?:[A-Z][\w'’&.-]*\s+)(?:(?:[A-Z][\w'’&.-]*|upon|and|of|on|the|&)\s+){0,6}?"
    r"(?:NHS\s+Foundation\s+Trust|NHS\s+Trust|Health\s+and\s+Social\s+Care\s+Trust|"
    r"(?:University\s+)?Health\s+Board|Integrated\s+Care\s+Board|NHS\s+Trust)\b")
SUBTITLE_RE = re.compile(r"\b(?:information|guide|leaflet|advice|factsheet)\b", re.I)
AVAILABLE_RE = re.compile(
    r"\b(?:other|different|alternative|another)\s+(?:languages?|formats?)\b|"
    r"\b(?:in\s+)?(?:large\s+print|braille|audio|easy\s+read)\b.{0,80}\b(?:request|ask)", re.I)


def labelled(text: str) -> dict[str, str] | None:
    """The fields of a details line, or None when the text is more than details
    (a sentence that happens to hold the word "review")."""
    text = PAGE_RE.sub(" ", text)
    matches = list(_LABEL_RE.finditer(text))
    if not matches or text[:matches[0].start()].strip(SEPARATORS):
        return None
    found: dict[str, str] = {}
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        value = text[match.end():end].strip(SEPARATORS + ".")
        key = next(name for name, _ in LABELS if match.group(name))
        if key == "online":  # a web address: long, but one word
            if not plausible(key, value):
                return None
        elif not value or len(value) > 60 or len(value.split()) > 8:
            return None
        if not match.group("colon") and not plausible(key, value):
            return None  # "review" in a sentence, not a label
        found.setdefault(key, value)
    return found


def plausible(key: str, value: str) -> bool:
    """Whether an unlabelled-by-colon value looks like what its label promises."""
    if key in ("published", "review"):
        return read_date(value) is not None
    if key in ("code", "version"):
        return bool(re.fullmatch(r"[A-Z0-9][A-Za-z0-9./_-]*", value)) and \
            any(c.isdigit() for c in value)
    if key == "online":
        return bool(re.fullmatch(r"https?://\S+", value))
    if key == "owner":  # "Produced by the Allergy Clinic": a name, capitalised
        words = value.split()
        return 0 < len(words) <= 8 and any(w[:1].isupper() for w in words)
    return False


@lru_cache(maxsize=8)
def month_names(language: str = "en") -> dict[str, int]:
    """Month names (wide and abbreviated) in English and ``language``, lower case."""
    from babel import Locale, UnknownLocaleError

    names: dict[str, int] = {"sept": 9}
    for tag in {"en", language.replace("-", "_")}:
        try:
            locale = Locale.parse(tag)
        except (ValueError, UnknownLocaleError):
            continue
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in locale.months[context][width].items():
                    names[name.lower().rstrip(".")] = number
    return names


def read_date(value: str, language: str = "en") -> dt.date | str | None:
    """A written date as a date; a month and year (no day) as "YYYY-MM-DD" with the
    missing part left as letters, for a person to fill in; None if not a date."""
    text = re.sub(r"\s+", " ", value.strip().rstrip(".").strip())
    months = month_names(language)
    month_re = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))

    def full(year: str, month: int | str, day: str) -> dt.date | str | None:
        year_n = int(year) + (2000 if len(year) == 2 else 0)
        month_n = int(month) if str(month).isdigit() else months.get(str(month).lower().rstrip("."))
        try:
            return dt.date(year_n, month_n, int(day))
        except (TypeError, ValueError):
            return None

    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        return full(match.group(1), match.group(2), match.group(3))
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})", text)
    if match:  # day first, as the UK and most of the world write it
        return full(match.group(3), match.group(2), match.group(1))
    match = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\.? (?:of )?({month_re})\.?,? (\d{{4}})",
                         text, re.I)
    if match:
        return full(match.group(3), match.group(2), match.group(1))
    match = re.fullmatch(rf"({month_re})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})", text, re.I)
    if match:
        return full(match.group(3), match.group(1), match.group(2))
    match = re.fullmatch(rf"({month_re})\.?,? (\d{{4}})", text, re.I)
    if match:
        return f"{match.group(2)}-{months[match.group(1).lower().rstrip('.')]:02d}-DD"
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text)
    if match and 1 <= int(match.group(1)) <= 12:
        return f"{match.group(2)}-{int(match.group(1)):02d}-DD"
    match = re.fullmatch(r"(\d{4})", text)
    if match:
        return f"{match.group(1)}-MM-DD"
    return None


def organisation_in(text: str) -> str | None:
    match = ORG_RE.search(text)
    return " ".join(match.group().split()) if match else None


def is_requests(text: str) -> bool:
    """The sentence promising the leaflet in other languages and formats."""
    return bool(AVAILABLE_RE.search(text)) and len(text.split()) <= 80
