"""The one phone-number recogniser: full numbers, short codes (111, 999, 116 123) and
text relay (18001 before a number or a short code), for the source, the importers, the
translation checks and speech; and the digit runs that look like phone numbers but are
none.

A number is printed exactly as its author wrote it: the digits, spaces, brackets and
words ("0800 58 58 58", "+1 212 555 0142", "0113 243 3144 extension 2291") stay as
typed, runs of spaces aside.  Nothing is regrouped or made international: a number
that cannot be dialled as written is an error, never a rewrite.  Regions that share a
country code share a numbering plan (GB, GG, JE and IM all dial +44 numbers
nationally), so a Guernsey mobile in a Sheffield leaflet is as national as its author
wrote it.

What a number is for comes from the words before it: a call ("call", "phone", and by
default), a text message ("text", "SMS": linked ``sms:``), text relay (the 18001
prefix: linked ``tel:`` with the prefix), a textphone, or a fax (not linked).

Three-digit numbers are common in leaflets ("take 112 mg"), so in running text a
short code is a phone number only when a word before it says so ("call 111",
"NHS 111", "ring the Samaritans on 116 123"); a ``phone:`` field or a ``tel:`` link
is always read as a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import phonenumbers
from phonenumbers import shortnumberinfo

EXTENSION_WORD = "ext."  # a UI word: writers print options.gettext(EXTENSION_WORD)
RELAY_PREFIXES = ("18001", "18002")  # Relay UK: text phone, and text to a hearing person
RELAY_RE = re.compile(r"(?<![\d+])(1800[12])[ \u00a0]*(?=[(+0-9])")
SHORT_RE = re.compile(r"(?<![\w+.,:/-])(\d{3}(?:[ \u00a0]?\d{3})?|\d{4,5})(?![\w]|[.,:/-]\d)")
# Words before a short code that say it is dialled; the sentence's last 40 characters.
CUE_RE = re.compile(r"\b(?:call|calling|phone|phoning|ring|ringing|dial|dialling|dialing|text|"
                    r"texting|tel|telephone|contact|nhs|sms)\b[^.!?;]{0,40}$", re.IGNORECASE)
# What a number is for, from the nearest of these words before it in its sentence.
USE_WORDS = (
    ("textphone", r"text ?phone|minicom|typetalk"),
    ("fax", r"fax(?:es|ed|ing)?"),
    ("call", r"text relay|call(?:s|ing)?|phon(?:e|es|ing)|ring(?:s|ing)?|dial(?:s|ling|ing)?|"
             r"tel(?:ephone)?|freephone|helpline|mobile|landline"),
    ("text", r"text(?:s|ing)?(?: message)?|sms"),
)
USE_RE = re.compile(r"\b(?:" + "|".join(f"(?P<{use}>{words})" for use, words in USE_WORDS)
                    + r")\b", re.IGNORECASE)
USES = ("call", "text", "relay", "textphone", "fax")
# A digit run as authors type phone numbers: groups of digits, each group parted from
# the next by one space or hyphen, maybe bracketed, maybe a leading +.
DIGIT_RUN_RE = re.compile(r"(?<![\w.,/:=@#£$€%+-])\+?\(?\d+\)?(?:[ \u00a0-]\(?\d+\)?)*"
                          r"(?![\w%£$€]|[.,:/]\d)")
DATE_RE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
# A dialling word at most three words before a run of digits makes it a phone number
# even without its area code ("Call 243 3144").
DIALLED_RE = re.compile(r"\b(?:call|phone|ring|dial|text|sms|telephone|tel|fax|textphone|"
                        r"minicom|mobile|freephone|helpline|phone ?number)\b[:.]?"
                        r"(?:\s+[^\s\d.!?;]+){0,3}\s*:?\s*$", re.IGNORECASE)
# Numbers that are not for dialling, named as such before them.
NOT_DIALLED_RE = re.compile(r"\b(?:nhs|hospital|patient|reference|ref|case|account|"
                            r"registration)\s+(?:number|no\.?)\s*(?:is|:)?\s*$", re.IGNORECASE)
# Six digits or more, maybe parted by single spaces, brackets, dots or hyphens.
LONG_DIGITS_RE = re.compile(r"\d(?:[ \u00a0().-]?\d){5,}")
MIN_DIGITS_WRITTEN = 9   # a national (0...) or international (+...) number, uncued
MIN_DIGITS_DIALLED = 6   # after a dialling word


@dataclass(frozen=True)
class PhoneMatch:
    """A phone number found in a text.

    ``raw`` is the text as written (``text[start:end]``); ``display`` is how it is
    printed: ``raw`` with its runs of spaces made one space; ``tel`` the URI that
    reaches it for its ``use`` (RFC 3966 ``tel:`` for a call, relay or textphone,
    RFC 5724 ``sms:`` for a text message, empty for a fax, which no link can send);
    ``key`` what stays the same however it is written (E.164, or the short code's
    digits, after any relay prefix), for comparing a translation with its source;
    ``kind`` is its form, "number", "short" or "relay"; ``use`` is what it is for:
    call, text, relay, textphone or fax.
    """

    start: int
    end: int
    raw: str
    display: str
    tel: str
    key: str
    kind: str = "number"
    extension: str = ""
    use: str = "call"


@dataclass(frozen=True)
class Suspect:
    """A digit run that looks like a phone number but is not one of the region."""

    start: int
    end: int
    raw: str


def find(text: str, region: str = "GB", short_codes: str = "cued") -> list[PhoneMatch]:
    """Every phone number in ``text``, in order, without overlaps, each with its use.

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
        rest = text[after:limit]
        number = _first_number(rest, region)
        if number is not None and number[0] == 0:
            _start, length, parsed = number
            found.append(_relay(relay.start(), text[relay.start():after + length],
                                relay.group(1), parsed))
            continue
        short = SHORT_RE.match(rest)
        if short and is_short_code(re.sub(r"\D", "", short.group(1)), region):
            found.append(_relay_short(relay.start(), text[relay.start():after + short.end()],
                                      relay.group(1), short.group(1)))
    masked = _masked(text, found)
    try:
        matches = list(phonenumbers.PhoneNumberMatcher(masked, region,
                                                       leniency=phonenumbers.Leniency.VALID))
    except Exception:  # phonenumbers refuses some regions; then nothing is a number there
        matches = []
    for match in matches:
        found.append(_full(match.start, match.raw_string, match.number))
    masked = _masked(text, found)
    if short_codes != "none":
        for short in SHORT_RE.finditer(masked):
            digits = re.sub(r"\D", "", short.group(1))
            if digits in RELAY_PREFIXES or not is_short_code(digits, region):
                continue
            cued = bool(CUE_RE.search(masked[max(0, short.start() - 60):short.start()]))
            if short_codes == "all" or cued:
                found.append(_short(short.start(), short.group(1)))
    found.sort(key=lambda m: m.start)
    # what each is for, from the words between it and the number before it
    return [match if match.kind == "relay" else
            _for_use(match, _use(text[found[i - 1].end if i else 0:match.start]))
            for i, match in enumerate(found)]


def suspects(text: str, region: str = "GB",
             taken: list[tuple[int, int]] | tuple = ()) -> list[Suspect]:
    """The digit runs in ``text`` that look like phone numbers but are not valid numbers
    of ``region``: "0113 243 314" (a digit short), "0113 243 31444" (one too many),
    "07700 900123" (no such mobile), or "Call 243 3144" (no area code).  ``taken`` are
    the spans already read as something (numbers, addresses): nothing in them is a
    suspect.

    A run counts when it is written as a phone number is (a leading 0 or +, nine digits
    or more) or follows a dialling word ("call", "phone us on", six digits or more),
    as libphonenumber's matcher at POSSIBLE leniency or as groups of digits; dates,
    doses, times, years, "1 in 1,000" and numbers named as NHS or reference numbers are
    none."""
    region = region.upper()
    spans: list[tuple[int, int]] = [m.span() for m in DIGIT_RUN_RE.finditer(text)]
    # libphonenumber's matcher reads what the groups of digits do not ("0113.243.314");
    # it is given the text with those groups and the taken spans blanked, so that each
    # digit is read once, by one of them.
    blanked = _blanked(text, [*spans, *taken])
    try:
        spans += [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(
            blanked, region, leniency=phonenumbers.Leniency.POSSIBLE)]
    except Exception:  # phonenumbers refuses some regions; then nothing is a number there
        pass
    found = []
    for start, end in _pieces(text, _merged(spans), sorted(taken)):
        raw = text[start:end].strip(" \u00a0-").lstrip(")").rstrip("(").strip(" \u00a0-")
        if not raw:
            continue
        start = text.index(raw, start)
        if _looks_dialled(text, start, raw) and not _dialable(raw, region):
            found.append(Suspect(start, start + len(raw), raw))
    return found


def parse(raw: str, region: str = "GB", use: str = "call") -> PhoneMatch | None:
    """A whole value (a ``phone:`` field, a ``tel:`` link) as one number, or None
    when it is not one: a full number, a short code or a relay number.  ``use`` is
    what the field says it is for: call, text or textphone."""
    value = raw.strip()
    region = region.upper()
    digits = re.sub(r"[\s\u00a0]", "", value)
    if digits.isdigit() and is_short_code(digits, region):
        return _short(0, value, use)
    relay = RELAY_RE.match(value)
    if relay:
        rest = value[relay.end():]
        parsed = _valid(rest, region)
        if parsed:
            return _relay(0, value, relay.group(1), parsed)
        rest_digits = re.sub(r"[\s\u00a0]", "", rest)
        if rest_digits.isdigit() and is_short_code(rest_digits, region):
            return _relay_short(0, value, relay.group(1), rest)
        return None
    parsed = _valid(value, region)
    return _full(0, value, parsed, use) if parsed else None


def is_short_code(digits: str, region: str = "GB") -> bool:
    """Whether digits are a short number dialled as they are in the region (111, 116 123)."""
    if not digits.isdigit() or len(digits) > 6:
        return False
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return False
    return shortnumberinfo.is_valid_short_number_for_region(number, region)


def is_emergency(digits: str, region: str = "GB") -> bool:
    """Whether digits are an emergency number of the region (999, 112)."""
    try:
        return shortnumberinfo.is_emergency_number(digits, region.upper())
    except Exception:  # phonenumbers refuses some regions; then it is an ordinary number
        return False


def standard_form(match: PhoneMatch, region: str = "GB") -> str:
    """A full number in its standard grouping, for the importer, which writes a new source
    from an old document: international if it was written that way or belongs to a
    numbering plan other than the region's, national otherwise.  A short code or relay
    number stays as written."""
    if match.kind != "number":
        return match.display
    number = phonenumbers.parse(match.key.split(";")[0])
    number.extension = match.extension or None
    # regions that share a country code share a numbering plan: a Guernsey mobile is
    # national in a Sheffield leaflet
    home = number.country_code == phonenumbers.country_code_for_region(region.upper())
    international = match.raw.lstrip("(").startswith(("+", "00")) or not home
    style = phonenumbers.PhoneNumberFormat.INTERNATIONAL if international else \
        phonenumbers.PhoneNumberFormat.NATIONAL
    return phonenumbers.format_number(number, style)


def is_region(code: str) -> bool:
    """Whether ``code`` is a region whose numbers can be read (GB, IE, IM)."""
    return code.upper() in phonenumbers.SUPPORTED_REGIONS


def looks_like_number(text: str) -> bool:
    """Whether a text holds six digits or more written together, as a number to dial is
    (a line holding one is not a heading)."""
    return bool(LONG_DIGITS_RE.search(text))


def problem(raw: str, region: str = "GB") -> str:
    """Why a value is not a phone number, in plain words."""
    return (f"'{raw}' is not a phone number (checked as a number in {region.upper()}, a short "
            "code such as 111, or text relay 18001 before a number)")


def suspect_problem(raw: str, region: str = "GB") -> str:
    """Why a digit run in running text is refused, in plain words."""
    return (f"'{raw}' looks like a phone number but cannot be dialled as written in "
            f"{region.upper()} (a digit too many or too few, or no area code?): correct it, "
            "or write it so that it does not look like one")


# -----------------------------------------------------------------------------------

def _valid(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _dialable(raw: str, region: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if is_short_code(digits, region):
        return True
    relay = RELAY_RE.match(raw)
    if relay and _dialable(raw[relay.end():], region):
        return True
    return _valid(raw, region) is not None


def _looks_dialled(text: str, start: int, raw: str) -> bool:
    """Whether a digit run reads as a phone number where it stands."""
    if DATE_RE.fullmatch(raw) or NOT_DIALLED_RE.search(text[max(0, start - 40):start]):
        return False
    relay = RELAY_RE.match(raw)
    if relay:  # a relay prefix is itself a dialling word
        raw = raw[relay.end():]
    digits = sum(c.isdigit() for c in raw)
    if digits >= MIN_DIGITS_DIALLED and (relay or DIALLED_RE.search(text[max(0, start - 60):
                                                                             start])):
        return True
    return digits >= MIN_DIGITS_WRITTEN and raw.lstrip("(").startswith(("0", "+"))


def _pieces(text: str, runs: list[tuple[int, int]],
            taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs without what is taken, each cut before a relay prefix inside it: every
    piece is read on its own ("0191 445 218" between two found numbers)."""
    pieces = []
    at = 0  # taken spans are sorted, and so are the runs: one pass over both
    for start, end in runs:
        while at < len(taken) and taken[at][1] <= start:
            at += 1
        cuts, edge = [], start
        for s, e in taken[at:]:
            if s >= end:
                break
            cuts.append((edge, min(s, end)))
            edge = max(edge, e)
        cuts.append((edge, end))
        for piece_start, piece_end in cuts:
            starts = [m.start() for m in RELAY_RE.finditer(text, piece_start, piece_end)]
            bounds = [piece_start, *[s for s in starts if s > piece_start], piece_end]
            pieces += [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if a < b]
    return pieces


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans as one ("0113" and "243 31444" are one run)."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(start, end) for start, end in out]


def _use(before: str) -> str:
    """What a number is for, from the nearest word before it in its sentence (``before``:
    the text since the number before it): "text SHOUT to 85258" is a text message,
    "Fax: ..." a fax; "call or text" is a call, which a phone can always make."""
    before = re.split(r"[.!?;\n]", before[-60:])[-1]
    uses = [next(use for use, value in m.groupdict().items() if value)
            for m in USE_RE.finditer(before)]
    if not uses:
        return "call"
    if uses[-1] == "text" and "call" in uses[-2:-1] and \
            re.search(r"\b(?:or|and)\s+(?:text|sms)\b\W*$", before, re.IGNORECASE):
        return "call"
    return uses[-1]


def _for_use(match: PhoneMatch, use: str) -> PhoneMatch:
    """The match linked for ``use``: its ``tel`` becomes that use's URI."""
    if use == match.use:
        return match
    e164 = match.key.split(";")[0] if match.kind == "number" else ""
    return replace(match, use=use, tel=_target(use, match.tel, e164))


def _first_number(text: str, region: str):
    """(start, length, number) of the first full number in ``text``, or None."""
    try:
        for match in phonenumbers.PhoneNumberMatcher(text, region,
                                                     leniency=phonenumbers.Leniency.VALID):
            return match.start, match.end - match.start, match.number
    except Exception:
        return None
    return None


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans made spaces, offsets kept."""
    parts, at = [], 0
    for start, end in sorted(spans):
        start = max(start, at)
        parts += [text[at:start], " " * max(0, end - start)]
        at = max(at, end)
    parts.append(text[at:])
    return "".join(parts)


def _masked(text: str, found: list[PhoneMatch]) -> str:
    """The text with the found numbers blanked out, offsets kept, so nothing finds them
    twice."""
    return _blanked(text, [(match.start, match.end) for match in found])


def _as_written(raw: str) -> str:
    return " ".join(raw.split())


def _target(use: str, dialled: str, e164: str = "") -> str:
    """The URI a tap follows: ``sms:`` for a text message, nothing for a fax, else
    ``dialled`` (a ``tel:`` URI)."""
    if use == "fax":
        return ""
    if use == "text":
        return f"sms:{e164 or dialled.removeprefix('tel:')}"
    return dialled


def _full(start: int, raw: str, number: phonenumbers.PhoneNumber,
          use: str = "call") -> PhoneMatch:
    extension = number.extension or ""
    formats = phonenumbers.PhoneNumberFormat
    plain = phonenumbers.PhoneNumber()
    plain.merge_from(number)
    plain.extension = None
    e164 = phonenumbers.format_number(plain, formats.E164)
    key = e164 + (f";ext={extension}" if extension else "")
    dialled = phonenumbers.format_number(number, formats.RFC3966)
    return PhoneMatch(start=start, end=start + len(raw), raw=raw, display=_as_written(raw),
                      tel=_target(use, dialled, e164), key=key, extension=extension, use=use)


def _short(start: int, raw: str, use: str = "call") -> PhoneMatch:
    digits = re.sub(r"\D", "", raw)
    return PhoneMatch(start=start, end=start + len(raw), raw=raw, display=_as_written(raw),
                      tel=_target(use, f"tel:{digits}"), key=digits, kind="short", use=use)


def _relay(start: int, raw: str, prefix: str, number: phonenumbers.PhoneNumber) -> PhoneMatch:
    """Relay UK: the prefix, then the number as dialled at home (the prefix is dialled
    before the national number, never an international one)."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    digits = re.sub(r"\D", "", national)
    return PhoneMatch(start=start, end=start + len(raw), raw=raw, display=_as_written(raw),
                      tel=f"tel:{prefix}{digits}", key=f"{prefix}{digits}", kind="relay",
                      use="relay")


def _relay_short(start: int, raw: str, prefix: str, short: str) -> PhoneMatch:
    """Relay UK before a short code: "18001 111" is one number, dialled whole."""
    digits = prefix + re.sub(r"\D", "", short)
    return PhoneMatch(start=start, end=start + len(raw), raw=raw, display=_as_written(raw),
                      tel=f"tel:{digits}", key=digits, kind="relay", use="relay")
