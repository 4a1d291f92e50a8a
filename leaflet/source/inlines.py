"""Inline Markdown to inline nodes: emphasis, links, and the phone numbers and e-mail
addresses found in plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from ..errors import Collector, LeafletError
from ..model import Email, Emphasis, Inline, LineBreak, Link, Phone, Strong, Text
from . import emails, phones
from .emails import CJK, WORD

MAX_NESTING = 8
LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")
# Raw HTML where Markdown gives no token for it (alt text, a picture's title, front matter).
HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--|<\?|<!\[CDATA\[|"
                         r"<![A-Za-z]")

# Top-level domains a bare web address ends in ("111.nhs.uk"): without a scheme or
# "www." this is how an address is told from the end of a sentence.
WEB_ENDINGS = ("uk", "com", "org", "net", "gov", "nhs", "scot", "wales", "eu", "info",
               "pl", "ie", "int", "io")
# A web address written out in running text ("www.nhs.uk/111", "https://111.nhs.uk",
# "111.nhs.uk").
WEB_RE = re.compile(rf"(?<![.@/])(?<!{WORD})(?:(?:https?://|www\.)[^\s<>()\[\]\"'{CJK}]+|"
                    rf"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:{'|'.join(WEB_ENDINGS)})"
                    rf"(?:/[^\s<>()\[\]\"'{CJK}]*)?(?![@-]|{WORD}|\.{WORD}))",
                    re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?"
# A number and its unit are read together ("4 g", "10 ml", "2 tablets"): a no-break
# space keeps a line from parting them in any format.
UNIT_RE = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?) (?=(?:mg|g|kg|mcg|µg|micrograms?|ml|mL|l|"
                     r"litres?|mmol(?:/[lL])?|units?|IU|%|mm|cm|hours?|hrs?|minutes?|mins?|"
                     r"days?|weeks?|months?|years?|tablets?|capsules?|puffs?|drops?|sachets?|"
                     r"doses?|times|am|pm|°C)(?![\w]))")


def markdown_parser() -> MarkdownIt:
    # html is switched on only so that raw HTML arrives as tokens we can refuse
    # with a line number; it is never passed on.
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": 64}).enable("table")
    md.disable(["code"])  # an indented line is a slip of the keyboard, not code
    # markdown-it leaves javascript:, vbscript:, file: and data: links as plain text;
    # taking every link lets ``link`` refuse them with their line
    md.validateLink = lambda url: True
    return md


MARKDOWN = markdown_parser()


@dataclass
class Reading:
    """The file being read: its name in messages, its folder (pictures are looked for
    there), the region its phone numbers are read in, and the problems found so far."""

    rel: str
    folder: Path
    region: str
    problems: Collector
    short_codes: str = "cued"  # which short codes are numbers: see leaflet.source.phones.find
    checked: bool = True  # whether a digit run that cannot be dialled is an error


def check_depth(reading: Reading, tokens, first_line: int) -> None:
    """Refuse absurd nesting before building a tree from it (the tree is recursive)."""
    line = first_line
    for token in tokens:
        if token.map:
            line = first_line + token.map[0]
        if token.level > MAX_NESTING * 2:
            raise LeafletError(reading.rel, line, f"lists or quotes are nested more than "
                               f"{MAX_NESTING} levels deep; simplify the structure")
        depth = 0
        for child in token.children or ():
            depth += child.nesting
            if depth > MAX_NESTING * 2:
                raise LeafletError(reading.rel, line, "emphasis or links are nested too deeply; "
                                   "simplify the text")


def parse_inline(markdown: str, rel: str, line: int, region: str = "GB",
                 problems: Collector | None = None,
                 short_codes: str = "cued") -> tuple[Inline, ...]:
    """Inline Markdown (a translated msgstr, say) to inline nodes.  A translation's
    dialling words are not English: ``short_codes="all"`` links every short code in it."""
    problems = problems if problems is not None else Collector()
    reading = Reading(rel, Path("."), region, problems, short_codes)
    tokens = MARKDOWN.parseInline(markdown)
    check_depth(reading, tokens, line)
    tree = SyntaxTreeNode(tokens)
    inline = tree.children[0] if tree.children else None
    if inline is None:
        return ()
    return tuple(inline_children(reading, inline.children, line, 0))


def parse_plain(text: str, rel: str, line: int, region: str = "GB",
                problems: Collector | None = None) -> tuple[Inline, ...]:
    """Plain text (the requests line, a contact's about and hours) to inline nodes: its
    phone numbers and e-mail addresses as in a paragraph, the rest as it is.  Given
    ``problems``, a digit run that looks like a phone number but is none is an error
    there, as in a paragraph."""
    reading = Reading(rel, Path("."), region, problems if problems is not None else Collector())
    return tuple(autolink(reading, text, line, as_written=True))


def recognise(text: str, region: str = "GB") -> tuple[Inline, ...]:
    """Words the model holds as plain strings (a title, a caption, a table's header) with
    their phone numbers, e-mail and web addresses as nodes, found by the recognisers the
    source uses, for a reader that says or marks them by what they are.  Nothing is
    checked: the source has done that."""
    reading = Reading("", Path("."), region, Collector(), checked=False)
    return tuple(autolink(reading, text, 0, as_written=True))


def inline_children(reading: Reading, nodes, line: int, depth: int) -> list[Inline]:
    """markdown-it's inline nodes as ours, all at ``line``."""
    out: list[Inline] = []
    if depth > MAX_NESTING * 2:
        raise LeafletError(reading.rel, line, "emphasis or links are nested too deeply")
    where = dict(path=reading.rel, line=line)
    # Text across a line end is read as one: "ring the Samaritans\non 116 123" is a number.
    pending: list[str] = []
    breaks: list[int] = []  # where a line ended in the pending text, for messages' lines
    for node in (*nodes, None):
        kind = node.type if node is not None else ""
        if kind in ("text", "code_inline", "softbreak"):
            if kind == "softbreak":
                breaks.append(sum(map(len, pending)))
            pending.append(" " if kind == "softbreak" else node.content)
            continue
        if pending:
            out.extend(autolink(reading, "".join(pending), line, breaks=breaks))
            pending, breaks = [], []
        if node is None:
            break
        if kind == "hardbreak":
            out.append(LineBreak(**where))
        elif kind == "strong":
            out.append(Strong(children=tuple(inline_children(reading, node.children, line,
                                                             depth + 1)), **where))
        elif kind == "em":
            out.append(Emphasis(children=tuple(inline_children(reading, node.children, line,
                                                               depth + 1)), **where))
        elif kind == "link":
            out.append(link(reading, node, line, depth))
        elif kind == "html_inline":
            reading.problems.error(reading.rel, line, f"HTML is not allowed in a leaflet "
                                   f"('{node.content}'); write it in Markdown")
        elif kind == "image":
            reading.problems.error(reading.rel, line, "put each picture on a line of its own")
        else:
            reading.problems.error(reading.rel, line, f"this kind of Markdown ({kind}) is not "
                                   "supported")
    return merge_text(out)


def link(reading: Reading, node: SyntaxTreeNode, line: int, depth: int) -> Inline:
    href = str(node.attrs.get("href", ""))
    # a web address in a link's words is the link itself, not a second link inside it
    children = tuple(part for child in inline_children(reading, node.children, line, depth + 1)
                     for part in (child.children if isinstance(child, Link) else (child,)))
    where = dict(path=reading.rel, line=line)
    if href.startswith("mailto:"):
        address = href[len("mailto:"):]
        if not emails.is_email(address):
            reading.problems.error(reading.rel, line, f"link '{href}' is not an e-mail "
                                   "address; write mailto:name@example.org")
        return Email(address=address, **where)
    if href.startswith("tel:"):
        number = phone(reading, href[len("tel:"):], line)
        return number or Text(text=href, **where)
    if not href.startswith(LINK_SCHEMES):
        reading.problems.error(reading.rel, line, f"link '{href}' must be a full web address "
                               "(https://...), an e-mail address or a phone number")
    return Link(href=href, children=children, **where)


def autolink(reading: Reading, text: str, line: int, as_written: bool = False,
             breaks: list[int] | tuple = ()) -> list[Inline]:
    """Plain text with phone numbers and e-mail addresses made into nodes; ``as_written``
    leaves the rest of the text as it is (no no-break space before a unit), so the nodes
    read back as the same text.  In a source (not a translation, whose numbers the
    translation checks compare with the source's), a digit run that looks like a phone
    number but cannot be dialled is an error; ``breaks`` are where the text's lines
    end, so that the error names its own line."""
    where = dict(path=reading.rel, line=line)
    spans: list[tuple[int, int, Inline]] = []
    for match in phones.find(text, reading.region, reading.short_codes):
        spans.append((match.start, match.end, phone_node(match, where)))
    for start, end, address in emails.find(text):
        if not any(s <= start < e for s, e, _ in spans):
            spans.append((start, end, Email(address=address, **where)))
    for match in WEB_RE.finditer(text):
        address = match.group().rstrip(TRAILING_PUNCTUATION)
        if "." not in address.split("//")[-1] or \
                any(s < match.start() + len(address) and match.start() < e for s, e, _ in spans):
            continue
        href = address if "://" in address else f"https://{address}"
        spans.append((match.start(), match.start() + len(address),
                      Link(href=href, children=(Text(text=address, **where),), **where)))
    if reading.short_codes == "cued" and reading.checked:
        for suspect in phones.suspects(text, reading.region, [s[:2] for s in spans]):
            at = line + sum(1 for b in breaks if b < suspect.start)
            reading.problems.error(reading.rel, at,
                                   phones.suspect_problem(suspect.raw, reading.region))
    out: list[Inline] = []
    position = 0

    def words(piece: str) -> Text:
        return Text(text=piece if as_written else UNIT_RE.sub("\\1\u00a0", piece), **where)

    for start, end, node in sorted(spans, key=lambda s: s[0]):
        if start > position:
            out.append(words(text[position:start]))
        out.append(node)
        position = end
    if position < len(text):
        out.append(words(text[position:]))
    return out


def phone(reading: Reading, raw: str, line: int, region: str | None = None,
          use: str = "call") -> Phone | None:
    """A phone number as written, checked; None (and an error) when it is not one.
    ``use`` is what its field says it is for (a contact's ``text:`` is "text")."""
    region = region or reading.region
    match = phones.parse(raw, region, use)
    if match is None:
        reading.problems.error(reading.rel, line, phones.problem(raw, region))
        return None
    return phone_node(match, dict(path=reading.rel, line=line))


def phone_node(match: phones.PhoneMatch, where: dict) -> Phone:
    """A number in the form its author wrote it, linked by what it is for
    (``leaflet.source.phones``)."""
    return Phone(display=match.display, tel=match.tel, extension=match.extension,
                 kind=match.use, **where)


def merge_text(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if out and isinstance(node, Text) and isinstance(out[-1], Text):
            out[-1] = replace(out[-1], text=out[-1].text + node.text)
        else:
            out.append(node)
    return out


def msgid(content: str) -> str:
    """Inline Markdown as a catalog holds it: one line, but for its hard line breaks,
    which stay a backslash at a line's end (two trailing spaces are written so too), so
    that a translation breaks its line where the source does."""
    lines = [part for part in content.split("\n") if part.strip()]
    out = ""
    for number, part in enumerate(lines):
        if number == len(lines) - 1:  # a backslash ending a block is a backslash
            return out + part.strip()
        if part.endswith("\\") or part.endswith("  "):
            out += part.strip().removesuffix("\\").rstrip() + "\\\n"
        else:
            out += part.strip() + " "
    return out
