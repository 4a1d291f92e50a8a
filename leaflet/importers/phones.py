"""Phone numbers in imported text: validated with the leaflet's region, never guessed.

Each is written in its standard grouping; a number without its area code is
reported, never completed."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

import phonenumbers

from leaflet.model import Email, Emphasis, Inline, Link, Phone, Strong, Text

Report = Callable[[int, str], None]

# Digits in groups, as people type a number: "445 3735", "0191 4565081", "+44 (0)191 ...".
CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d \u00a0().-]{4,}\d(?![\w])")
# Words that say the digits after them are a phone number.
CUE = re.compile(r"(?:\b(?:tel(?:ephone)?|phone|ring|call|fax|mobile|"
                 r"contact(?:ed)?(?:\s+\w+)?\s+on|"
                 r"number|helpline|line)\b|\btel)\W{0,3}(?:no\b\.?|number\b)?\W{0,3}$", re.I)
RELAY_PREFIXES = ("18001", "18002")
# The lookbehind keeps a long word from being searched again from each letter (quadratic).
EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+"
                      r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def written_form(number: phonenumbers.PhoneNumber, raw: str, region: str) -> str:
    """The number in its standard grouping, international if it was written that way
    or belongs to another country, national otherwise."""
    home = phonenumbers.region_code_for_number(number) == region
    international = raw.lstrip("(").startswith(("+", "00")) or not home
    style = phonenumbers.PhoneNumberFormat.INTERNATIONAL if international else \
        phonenumbers.PhoneNumberFormat.NATIONAL
    return phonenumbers.format_number(number, style)


def phone_node(number: phonenumbers.PhoneNumber, raw: str, region: str, line: int,
               path: str) -> Phone:
    tel = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)
    return Phone(display=written_form(number, raw, region), tel=tel, path=path, line=line)


def parse_valid(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def digits(raw: str) -> str:
    return re.sub(r"\D", "", raw)


def check_unlinked(text: str, region: str, line: int, report: Report) -> None:
    """Report the numbers in ``text`` that could not be made dialable: one without its
    area code, or one with too few or too many digits."""
    text = NOT_A_NUMBER_RE.sub(lambda m: "x" * len(m.group()), text)
    for match in CANDIDATE.finditer(text):
        raw = match.group().strip(" .-()\u00a0")
        count = len(digits(raw))
        if digits(raw).startswith(RELAY_PREFIXES) and parse_valid(digits(raw)[5:], region):
            continue  # text relay before a full number: the source reads it as it is
        cued = bool(CUE.search(text[max(0, match.start() - 40):match.start()]))
        if not cued and not raw.startswith(("0", "+")):
            continue  # digits without a word saying they are a number: a dose, a year
        if 5 <= count <= 8 and not raw.startswith(("0", "+")):
            report(line, f"'{raw}' has no area code: write the number in full (it was left "
                         "as written, not made a phone number)")
        elif count >= 6:
            report(line, f"'{raw}' is not a phone number in {region} (wrong number of digits?): "
                         "check it (it was left as written)")


# A DOI ("doi:10.1136/archdischild-2020-319641") or a web address: its digits are not a
# phone number.
NOT_A_NUMBER_RE = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+|"
                             r"\b(?:https?://|www\.)\S+", re.I)


def link_text(text: str, region: str, line: int, path: str, report: Report) -> list[Inline]:
    """Plain text with its valid phone numbers made into phone nodes."""
    out: list[Inline] = []
    position = 0
    masked = NOT_A_NUMBER_RE.sub(lambda m: "x" * len(m.group()), text)
    matcher = phonenumbers.PhoneNumberMatcher(masked, region,
                                              leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        if digits(text[max(0, match.start - 6):match.start]).endswith(RELAY_PREFIXES):
            continue
        if match.start > position:
            out.append(Text(text=text[position:match.start], path=path, line=line))
            check_unlinked(text[position:match.start], region, line, report)
        out.append(phone_node(match.number, match.raw_string, region, line, path))
        position = match.end
    if position < len(text):
        out.append(Text(text=text[position:], path=path, line=line))
        check_unlinked(text[position:], region, line, report)
    return out


def link_inlines(nodes: tuple[Inline, ...] | list[Inline], region: str, report: Report
                 ) -> tuple[Inline, ...]:
    """Inlines with every phone number found, checked and normalised; text around
    them kept as it was."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            out.extend(link_text(node.text, region, node.line, node.path, report))
        elif isinstance(node, (Strong, Emphasis)):
            out.append(replace(node, children=link_inlines(node.children, region, report)))
        elif isinstance(node, Link) and node.href.startswith("tel:"):
            out.append(tel_link(node, region, report))
        elif isinstance(node, Phone):
            out.append(tel_link(Link(href=node.tel, children=(Text(text=node.display),),
                                     path=node.path, line=node.line), region, report))
        else:
            out.append(node)
    return tuple(merge_text(out))


def tel_link(node: Link, region: str, report: Report) -> Inline:
    """A ``tel:`` link as a phone node, or its words when the number is not valid."""
    from leaflet.model import plain_text

    words = plain_text(node.children).strip()
    raw = node.href[len("tel:"):].split(";")[0]
    number = parse_valid(raw, region) or parse_valid(words, region)
    if number is None:
        report(node.line, f"the link to dial '{raw}' is not a valid phone number in {region}; "
                          "its words were kept")
        return Text(text=words or raw, path=node.path, line=node.line)
    shown = words if digits(words) and parse_valid(words, region) else raw
    return phone_node(number, shown, region, node.line, node.path)


def merge_text(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if out and isinstance(node, Text) and isinstance(out[-1], Text):
            out[-1] = replace(out[-1], text=out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return out


def link_emails(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Plain-text e-mail addresses made into e-mail nodes (as the parser would)."""
    out: list[Inline] = []
    for node in nodes:
        if not isinstance(node, Text):
            out.append(node)
            continue
        position = 0
        for match in EMAIL_RE.finditer(node.text):
            out.append(Text(text=node.text[position:match.start()], path=node.path, line=node.line))
            out.append(Email(address=match.group(), path=node.path, line=node.line))
            position = match.end()
        out.append(Text(text=node.text[position:], path=node.path, line=node.line))
    return tuple(merge_text(out))
