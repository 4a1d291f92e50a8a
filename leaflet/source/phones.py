"""The one phone-number recogniser: full numbers, short codes (111, 999, 116 123) and
text relay (18001 before a number), for the source and for checking translations.

A number is shown the way its author wrote it: one written internationally
("+44 121 333 9999") stays international so that it can be dialled from abroad,
one written nationally keeps its national standard grouping ("0800 4 70 80 90" is
"0800 470 8090", never "+44 800 470 8090").  An extension is printed after its
number as "ext. 3344", which writers translate (``EXTENSION_WORD``).

Three-digit numbers are common in leaflets ("take 112 mg"), so in running text a
short code is a phone number only when a word before it says so ("call 111",
"NHS 111", "ring the Samaritans on 116 123"); a ``phone:`` field or a ``tel:`` link
is always read as a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import shortnumberinfo

EXTENSION_WORD = "ext."  # a UI word: writers print options.gettext(EXTENSION_WORD)
RELAY_PREFIXES = ("18001", "18002")  # Relay UK: text phone, and text to a hearing person
RELAY_RE = re.compile(r"(?<![\d+])(1800[12])[ \u00a0]*(?=[(+0-9])")
SHORT_RE = re.compile(r"(?<![\w+.,:/-])(\d{3}(?:[ \u00a0]?\d{3})?)(?![\w]|[.,:/-]\d)")
# Words before a short code that say it is dialled; the sentence's last 40 characters.
CUE_RE = re.compile(r"\b(?:call|calling|phone|phoning|ring|ringing|dial|dialling|dialing|text|"
                    r"texting|tel|telephone|contact|nhs)\b[^.!?;]{0,40}$", re.IGNORECASE)


@dataclass(frozen=True)
class PhoneMatch:
    """A phone number found in a text.

    ``raw`` is the text as written (``text[start:end]``); ``display`` is how it is
    printed; ``tel`` its RFC 3966 URI; ``key`` what stays the same however it is
    written (E.164, or the short code's digits, after any relay prefix), for
    comparing a translation with its source; ``kind`` is "number", "short" or "relay".
    """

    start: int
    end: int
    raw: str
    display: str
    tel: str
    key: str
    kind: str = "number"
    extension: str = ""


def find(text: str, region: str = "GB", short_codes: str = "cued") -> list[PhoneMatch]:
    """Every phone number in ``text``, in order, without overlaps.

    ``short_codes`` is "cued" (a short code counts only after a word such as "call",
    or as an emergency number), "all" (every short code standing as a word: for a
    translation, whose words are not English) or "none"."""
    region = region.upper()
    found: list[PhoneMatch] = []
    relays = list(RELAY_RE.finditer(text))
    for i, relay in enumerate(relays):
        after = relay.end()
        # The number follows its prefix, and ends before the next prefix: each part of
        # the text is read once however many prefixes it holds.
        limit = relays[i + 1].start() if i + 1 < len(relays) else len(text)
        number = _first_number(text[after:limit], region)
        if number is None or number[0] != 0:
            continue
        _start, length, parsed = number
        raw = text[relay.start():after + length]
        found.append(_relay(relay.start(), raw, relay.group(1), text[after:after + length],
                            parsed, region))
    masked = _masked(text, found)
    try:
        matches = list(phonenumbers.PhoneNumberMatcher(masked, region,
                                                       leniency=phonenumbers.Leniency.VALID))
    except Exception:  # phonenumbers refuses some regions; then nothing is a number there
        matches = []
    for match in matches:
        found.append(_full(match.start, match.raw_string, match.number, region))
    masked = _masked(text, found)
    if short_codes != "none":
        for short in SHORT_RE.finditer(masked):
            digits = re.sub(r"\D", "", short.group(1))
            if not is_short_code(digits, region):
                continue
            cued = bool(CUE_RE.search(masked[max(0, short.start() - 60):short.start()]))
            if short_codes == "all" or cued:
                found.append(_short(short.start(), short.group(1), region))
    return sorted(found, key=lambda m: m.start)


def parse(raw: str, region: str = "GB") -> PhoneMatch | None:
    """A whole value (a ``phone:`` field, a ``tel:`` link) as one number, or None
    when it is not one: a full number, a short code or a relay number."""
    value = raw.strip()
    region = region.upper()
    digits = re.sub(r"[\s\u00a0]", "", value)
    if digits.isdigit() and is_short_code(digits, region):
        return _short(0, value, region)
    relay = RELAY_RE.match(value)
    if relay:
        rest = value[relay.end():]
        parsed = _valid(rest, region)
        return _relay(0, value, relay.group(1), rest, parsed, region) if parsed else None
    parsed = _valid(value, region)
    return _full(0, value, parsed, region) if parsed else None


def is_short_code(digits: str, region: str = "GB") -> bool:
    """Whether digits are a short number dialled as they are in the region (111, 116 123)."""
    if not digits.isdigit() or len(digits) > 6:
        return False
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return False
    return shortnumberinfo.is_valid_short_number_for_region(number, region)


def problem(raw: str, region: str = "GB") -> str:
    """Why a value is not a phone number, in plain words."""
    return (f"'{raw}' is not a phone number (checked as a number in {region.upper()}, a short "
            "code such as 111, or text relay 18001 before a number)")


# -----------------------------------------------------------------------------------

def _valid(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _first_number(text: str, region: str):
    """(start, length, number) of the first full number in ``text``, or None."""
    try:
        for match in phonenumbers.PhoneNumberMatcher(text, region,
                                                     leniency=phonenumbers.Leniency.VALID):
            return match.start, match.end - match.start, match.number
    except Exception:
        return None
    return None


def _masked(text: str, found: list[PhoneMatch]) -> str:
    """The text with the found numbers blanked out, offsets kept, so nothing finds them
    twice."""
    parts, at = [], 0
    for match in sorted(found, key=lambda m: m.start):
        start = max(match.start, at)
        parts += [text[at:start], " " * max(0, match.end - start)]
        at = max(at, match.end)
    parts.append(text[at:])
    return "".join(parts)


def _grouped(number: phonenumbers.PhoneNumber, raw: str, region: str) -> str:
    """The number without its extension, in its standard grouping, in the author's form."""
    home = phonenumbers.region_code_for_number(number) == region
    international = raw.lstrip("( ").startswith(("+", "00")) or not home
    style = phonenumbers.PhoneNumberFormat.INTERNATIONAL if international else \
        phonenumbers.PhoneNumberFormat.NATIONAL
    plain = phonenumbers.PhoneNumber()
    plain.merge_from(number)
    plain.extension = None
    return phonenumbers.format_number(plain, style)


def _full(start: int, raw: str, number: phonenumbers.PhoneNumber, region: str) -> PhoneMatch:
    extension = number.extension or ""
    display = _grouped(number, raw, region)
    if extension:
        display += f" {EXTENSION_WORD} {extension}"
    formats = phonenumbers.PhoneNumberFormat
    key = phonenumbers.format_number(number, formats.E164) + (f";ext={extension}" if extension
                                                              else "")
    return PhoneMatch(start=start, end=start + len(raw), raw=raw, display=display,
                      tel=phonenumbers.format_number(number, formats.RFC3966), key=key,
                      extension=extension)


def _short(start: int, raw: str, region: str) -> PhoneMatch:
    digits = re.sub(r"\D", "", raw)
    return PhoneMatch(start=start, end=start + len(raw), raw=raw,
                      display=" ".join(raw.split()), tel=f"tel:{digits}", key=digits,
                      kind="short")


def _relay(start: int, raw: str, prefix: str, number_raw: str,
           number: phonenumbers.PhoneNumber, region: str) -> PhoneMatch:
    """Relay UK: the prefix, then the number as dialled at home (the prefix is dialled
    before the national number, never an international one)."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = re.sub(r"\D", "", national)
    return PhoneMatch(start=start, end=start + len(raw), raw=raw, display=f"{prefix} {national}",
                      tel=f"tel:{prefix}{digits}", key=f"{prefix}{digits}", kind="relay")
