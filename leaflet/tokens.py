"""Protected tokens: what a translation must copy exactly (phone numbers, e-mail and web
addresses, link targets, bold markers) and the numbers a reviewer should compare.

A wrong digit in a phone number in a medical leaflet sends a patient nowhere, so
those are errors; a dose or a time that looks different after translation may be
right ("8pm" can become "20:00"), so that is a warning for the reviewer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import phonenumbers
from markdown_it import MarkdownIt

# CJK text has no spaces: an address may run straight into an ideograph or full-width stop.
_CJK = "\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_WORD = rf"(?![{_CJK}_])\w"  # a letter or digit of a word an address cannot touch
# Whole addresses only: "a@b.com.evil.example" and "xa@b.com" are other addresses, not
# a@b.com with something around it.
EMAIL_RE = re.compile(rf"(?<![.%+-])(?<!{_WORD})[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+"
                      rf"(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}(?![@-])(?!{_WORD})(?!\.[A-Za-z0-9])")
URL_RE = re.compile(rf"(?<![.@/])(?<!{_WORD})(?:https?://|www\.)[^\s<>()\[\]\"'{_CJK}]+",
                    re.IGNORECASE)
LINK_TARGET_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
TRAILING_PUNCTUATION = ".,;:!?。、，．！？：；\u061f\u060c\u0964"

_MD = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Finding:
    """One difference between a msgid and its msgstr; ``warning`` for the reviewer only."""

    message: str
    warning: bool = False


def phone_numbers(text: str, region: str = "GB") -> list[str]:
    """Phone numbers in a text, as written."""
    return [raw for raw, _number in _phones(text, region)]


def _phones(text: str, region: str) -> list[tuple[str, str]]:
    """Each phone number in a text as written and as E.164 (+441914452180)."""
    found = []
    try:
        for match in phonenumbers.PhoneNumberMatcher(text, region,
                                                     leniency=phonenumbers.Leniency.VALID):
            found.append((match.raw_string, phonenumbers.format_number(
                match.number, phonenumbers.PhoneNumberFormat.E164)))
    except Exception:  # phonenumbers refuses some regions; then there is nothing to protect
        return []
    return found


def emails(text: str) -> list[str]:
    return EMAIL_RE.findall(text)


def urls(text: str) -> list[str]:
    """Web addresses written out in a text (not link targets), without a closing full stop."""
    found = []
    without_targets = LINK_TARGET_RE.sub("]()", text)
    for match in URL_RE.finditer(without_targets):
        found.append(match.group().rstrip(TRAILING_PUNCTUATION))
    return found


def link_targets(text: str) -> list[str]:
    """The targets of Markdown links ``[words](target)``."""
    targets = []
    for token in _MD.parseInline(text):
        for child in token.children or []:
            if child.type == "link_open":
                targets.append(str(child.attrs.get("href", "")))
    return targets


def strong_spans(text: str) -> int:
    """How many bold phrases (``**...**`` or ``__...__``) Markdown sees in a text."""
    return sum(1 for token in _MD.parseInline(text) for child in token.children or []
               if child.type == "strong_open")


def normalise_digits(text: str) -> str:
    """Digits of any script (Arabic-Indic ٣, Bengali ৩, ...) as ASCII digits."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


TWELVE_HOUR_RE = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\b\.?", re.IGNORECASE)
CLOCK_RE = re.compile(r"\b(\d{1,2})[:.](\d{2})\b")


def numbers(text: str, region: str = "GB", clock: bool = False) -> Counter:
    """The numbers in a text other than protected tokens, digits normalised; with
    ``clock``, times of day as 24-hour "20:00" whether written "8pm" or "20.00"."""
    for token in [*phone_numbers(text, region), *emails(text), *urls(text), *link_targets(text)]:
        text = text.replace(token, " ")
    text = normalise_digits(text)
    found: Counter = Counter()
    if clock:
        def twelve_hour(match: re.Match) -> str:
            hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
            found[f"{hour}:{match.group(2) or '00'}"] += 1
            return " "

        def twenty_four_hour(match: re.Match) -> str:
            found[f"{int(match.group(1))}:{match.group(2)}"] += 1
            return " "

        text = CLOCK_RE.sub(twenty_four_hour, TWELVE_HOUR_RE.sub(twelve_hour, text))
    found.update(re.findall(r"\d+", text))
    return found


def compare(msgid: str, msgstr: str, region: str = "GB",
            source: str = "the source text") -> list[Finding]:
    """Everything wrong with a msgstr against its msgid, errors before warnings; ``source``
    names the msgid's language in messages ("the English")."""
    found: list[Finding] = []
    source_phones, translated_phones = _phones(msgid, region), _phones(msgstr, region)
    found += _protected("phone number", source_phones, translated_phones, source,
                        " (copy it exactly as it is written)")
    found += _protected("e-mail address", [(a, a.lower()) for a in emails(msgid)],
                        [(a, a.lower()) for a in emails(msgstr)], source)
    found += _protected("web address", [(u, u) for u in urls(msgid)],
                        [(u, u) for u in urls(msgstr)], source)
    source_targets, translated_targets = Counter(link_targets(msgid)), Counter(link_targets(msgstr))
    for target in source_targets - translated_targets:
        found.append(Finding(f"link target {target} is missing from the translation "
                             "(keep [words](target) with the target unchanged)"))
    for target in translated_targets - source_targets:
        found.append(Finding(f"link target {target} is not in the source text"))
    if msgstr.count("**") % 2 or msgstr.count("__") % 2:
        found.append(Finding("bold markers ** are unbalanced in the translation "
                             "(each **bold phrase** needs an opening and a closing **)"))
    elif strong_spans(msgid) != strong_spans(msgstr):
        found.append(Finding(f"the source text has {strong_spans(msgid)} bold phrase(s) "
                             f"(**...**) but the translation has {strong_spans(msgstr)}"))
    # "8pm" may rightly become "20:00", and "9 مساءً" keeps the 9: a difference both
    # ways of counting see is one for the reviewer
    source_numbers, translated_numbers = numbers(msgid, region), numbers(msgstr, region)
    source_times, translated_times = (numbers(msgid, region, clock=True),
                                      numbers(msgstr, region, clock=True))
    if source_numbers != translated_numbers and source_times != translated_times:
        if source_times.keys() - source_numbers.keys():
            source_numbers, translated_numbers = source_times, translated_times
        missing = sorted((source_numbers - translated_numbers).elements(), key=_numeric)
        extra = sorted((translated_numbers - source_numbers).elements(), key=_numeric)
        parts = []
        if missing:
            parts.append(f"{', '.join(missing)} in the source text but not in the translation")
        if extra:
            parts.append(f"{', '.join(extra)} in the translation but not in the source text")
        found.append(Finding(f"check the numbers: {'; '.join(parts)}", warning=True))
    return found


def _protected(kind: str, source_tokens: list[tuple[str, str]],
               translated_tokens: list[tuple[str, str]], source: str,
               advice: str = "") -> list[Finding]:
    """Phone numbers, e-mail or web addresses of the msgid against the msgstr's, as
    (written, key) pairs compared as multisets both ways: the msgstr must have each token
    of the msgid, written as it is there, and no other.  A token is matched by how it is
    written (spaces aside); the key (E.164 for a phone number) pairs a missing token with
    the one that replaced it."""
    def written(token: tuple[str, str]) -> str:
        return " ".join(token[0].split())

    missing = list(source_tokens)
    extra = []
    for token in translated_tokens:
        same = next((i for i, s in enumerate(missing) if written(s) == written(token)), None)
        if same is None:
            extra.append(token)
        else:
            del missing[same]
    found = []
    for token in missing:
        instead = next((t for t in extra if t[1] == token[1]), None) or \
            (extra[0] if extra else None)
        if instead is not None:
            extra.remove(instead)
            found.append(Finding(f"{kind} {token[0]} is missing from the translation, which "
                                 f"has {instead[0]} instead{advice}"))
        else:
            found.append(Finding(f"{kind} {token[0]} is missing from the translation{advice}"))
    for token in extra:
        found.append(Finding(f"the translation has {_article(kind)} {kind}, {token[0]}, that "
                             f"{source} does not"))
    return found


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _numeric(value: str) -> tuple[int, str]:
    return (int(value.split(":")[0]), value)


def notes(msgid: str, region: str = "GB") -> list[str]:
    """Reminders for translators about what to keep as it is."""
    out = []
    for phone in phone_numbers(msgid, region):
        out.append(f"Keep the phone number {phone} exactly as it is.")
    for address in emails(msgid):
        out.append(f"Keep the e-mail address {address} exactly as it is.")
    for url in urls(msgid):
        out.append(f"Keep the web address {url} exactly as it is.")
    if link_targets(msgid):
        out.append("Keep each link's target, in (brackets) after [the words], unchanged.")
    if strong_spans(msgid):
        out.append("Keep **bold** around the words that match the bold words here.")
    return out
