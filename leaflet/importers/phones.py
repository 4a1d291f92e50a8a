"""Phone numbers and e-mail addresses in imported text, found by the source's recognisers
(``leaflet.source.phones``, ``leaflet.source.emails``) with the leaflet's region, never
guessed.

Each full number is written in its standard grouping; a number without its area code is
reported, never completed.  Short codes and text relay numbers stay as words: the source
reads them when the written leaflet is parsed."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from leaflet.model import Email, Emphasis, Inline, Link, Phone, Strong, Text, plain_text
from leaflet.source import emails
from leaflet.source import phones as source_phones

Report = Callable[[int, str], None]


def phone_node(match: source_phones.PhoneMatch, region: str, line: int, path: str) -> Phone:
    return Phone(display=source_phones.standard_form(match, region), tel=match.tel,
                 extension=match.extension, kind=match.use, path=path, line=line)


def check_unlinked(text: str, region: str, line: int, report: Report,
                   taken: list[tuple[int, int]] | tuple = ()) -> None:
    """Report the numbers in ``text`` that could not be made dialable: one without its
    area code, or one with too few or too many digits."""
    for suspect in source_phones.suspects(text, region, taken):
        raw = suspect.raw
        count = sum(c.isdigit() for c in raw)
        if 5 <= count <= 8 and not raw.lstrip("(").startswith(("0", "+")):
            report(line, f"'{raw}' has no area code: write the number in full (it was left "
                         "as written, not made a phone number)")
        else:
            report(line, f"'{raw}' is not a phone number in {region} (wrong number of digits?): "
                         "check it (it was left as written)")


def link_text(text: str, region: str, line: int, path: str, report: Report) -> list[Inline]:
    """Plain text with its valid phone numbers made into phone nodes."""
    out: list[Inline] = []
    position = 0
    found = source_phones.find(text, region)
    for match in found:
        if match.kind != "number":
            continue
        if match.start > position:
            out.append(Text(text=text[position:match.start], path=path, line=line))
        out.append(phone_node(match, region, line, path))
        position = match.end
    if position < len(text):
        out.append(Text(text=text[position:], path=path, line=line))
    check_unlinked(text, region, line, report, [(m.start, m.end) for m in found])
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
    words = plain_text(node.children).strip()
    raw = node.href[len("tel:"):].split(";")[0]
    by_words = source_phones.parse(words, region) if words else None
    match = by_words or source_phones.parse(raw, region)
    if match is None:
        report(node.line, f"the link to dial '{raw}' is not a valid phone number in {region}; "
                          "its words were kept")
        return Text(text=words or raw, path=node.path, line=node.line)
    return phone_node(match, region, node.line, node.path)


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
        for start, end, address in emails.find(node.text):
            out.append(Text(text=node.text[position:start], path=node.path, line=node.line))
            out.append(Email(address=address, path=node.path, line=node.line))
            position = end
        out.append(Text(text=node.text[position:], path=node.path, line=node.line))
    return tuple(merge_text(out))
