"""Read a leaflet source (YAML front matter + CommonMark + ::: containers) into the model.

Everything a user can get wrong is reported as a ``Problem`` with the file and
line, and all problems in one file are reported together.  Nothing here reads
outside the leaflet folder or reaches the network: images are checked to be
files inside the folder, never opened.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import phonenumbers
import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from . import langs
from .errors import Collector, LeafletError
from .model import (
    Block, Callout, Cell, Contact, Contacts, Email, Emphasis, Figure, Heading, Inline,
    Leaflet, LineBreak, Link, List, ListItem, Meta, Paragraph, Phone, Row, Strong, Table,
    Text,
)

MAX_SOURCE_BYTES = 500_000
MAX_NESTING = 8
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg"}
CALLOUT_KINDS = ("info", "warning", "urgent")
CONTAINERS = ("contacts", "callout", "row")
LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")
PICTOGRAMS = Path(__file__).resolve().parent.parent / "formats" / "pictograms"

REQUIRED_FIELDS = ("title", "organisation", "language", "published", "review")
TEXT_FIELDS = ("title", "subtitle", "organisation", "code", "version", "online", "owner",
               "requests", "region", "language")
DATE_FIELDS = ("published", "review")
KNOWN_FIELDS = set(TEXT_FIELDS) | set(DATE_FIELDS)

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
CONTAINER_RE = re.compile(r"^ {0,3}(:{3,})\s*(.*?)\s*$")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
IMAGE_LINE_RE = re.compile(r"^ {0,3}!\[[^\]]*\]\([^)]*\)\s*$")


def markdown_parser() -> MarkdownIt:
    # html is switched on only so that raw HTML arrives as tokens we can refuse
    # with a line number; it is never passed on.
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": 64}).enable("table")
    md.disable(["code"])  # an indented line is a slip of the keyboard, not code
    return md


_MD = markdown_parser()


# Reading the file ------------------------------------------------------------

def read_text(path: Path, rel: str) -> str:
    """The file's text, refusing what is not a reasonable UTF-8 text file."""
    try:
        size = path.stat().st_size
    except OSError:
        raise LeafletError(rel, None, "file not found")
    if size > MAX_SOURCE_BYTES:
        raise LeafletError(rel, None, f"the file is {size / 1_000_000:.1f} MB; a leaflet source "
                           f"must be under {MAX_SOURCE_BYTES // 1000} KB")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LeafletError(rel, None, f"cannot be read ({exc.strerror or exc})")
    if not data.strip():
        raise LeafletError(rel, 1, "the file is empty")
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise LeafletError(rel, line, "this is not a text file (it contains binary data)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LeafletError(rel, line, "the file is not UTF-8 text; save it as UTF-8")
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors and aliases (no "billion laughs")."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="YAML aliases (*name) are not allowed",
                                       problem_mark=mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(problem="YAML anchors (&name) are not allowed",
                                       problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def compose_yaml(text: str, rel: str, first_line: int) -> yaml.Node | None:
    """YAML text composed to nodes that keep their line; ``first_line`` is the
    file line of the text's first line."""
    loader = _NoAliasLoader(text)  # a control character raises ReaderError here
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = (exc.problem or "not valid YAML").rstrip(".")
        raise LeafletError(rel, line, f"{problem} (YAML)")
    except yaml.YAMLError as exc:
        raise LeafletError(rel, first_line, f"not valid YAML: {exc}")
    finally:
        loader.dispose()


def compose_source_yaml(text: str, rel: str, first_line: int) -> yaml.Node | None:
    """``compose_yaml`` for a leaflet's own YAML, a control character included."""
    try:
        return compose_yaml(text, rel, first_line)
    except yaml.reader.ReaderError as exc:
        line = first_line + text[:exc.position if isinstance(exc.position, int) else 0].count("\n")
        code = f" (U+{ord(exc.character):04X})" if isinstance(exc.character, str) else ""
        raise LeafletError(rel, line, f"the text contains an invisible control character{code}; "
                           "delete it or retype the line")


def split_front_matter(text: str, rel: str) -> tuple[str, str, int]:
    """(front matter, body, file line of the body's first line)."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise LeafletError(rel, 1, "the file must start with front matter: a line '---', "
                           "the leaflet's details (title:, organisation: ...), and '---'")
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1:]), number + 2
    raise LeafletError(rel, 1, "the front matter is not closed: add a line '---' after it")


# Front matter --------------------------------------------------------------

def parse_meta(yaml_text: str, rel: str, problems: Collector,
               defaults: dict | None = None) -> Meta:
    node = compose_source_yaml(yaml_text, rel, 2)
    if node is None:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(node, yaml.MappingNode):
        raise LeafletError(rel, 2, "the front matter must be a list of 'field: value' lines")
    values: dict = dict(defaults or {})
    lines: dict[str, int] = {}
    loader = _NoAliasLoader("")
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = 2 + key_node.start_mark.line
        lines[key] = line
        if key not in KNOWN_FIELDS:
            problems.warn(rel, line, f"unknown field '{key}' (known fields: "
                          f"{', '.join(sorted(KNOWN_FIELDS))})")
            continue
        if not isinstance(value_node, yaml.ScalarNode):
            problems.error(rel, line, f"'{key}' must be a single value, not a list or a mapping")
            continue
        if key in DATE_FIELDS:
            try:
                value = loader.construct_object(value_node)
            except ValueError:
                problems.error(rel, line, f"'{key}: {value_node.value}' is not a real date")
                continue
            if isinstance(value, dt.datetime):
                value = value.date()
            if not isinstance(value, dt.date):
                problems.error(rel, line, f"'{key}' must be a date written as YYYY-MM-DD, "
                               f"not '{value_node.value}'")
                continue
            values[key] = value
        else:
            values[key] = str(value_node.value).strip()
    loader.dispose()

    for key in REQUIRED_FIELDS:
        if key not in values or values[key] in ("", None):
            problems.error(rel, lines.get(key, 1), f"the front matter has no '{key}:'")
    language = values.get("language")
    if language:
        try:
            values["language"] = langs.normalise(language)
        except ValueError:
            problems.error(rel, lines.get("language", 1),
                           f"'language: {language}' is not a language tag (for example en-GB, pl, ar)")
    published, review = values.get("published"), values.get("review")
    if isinstance(published, dt.date) and isinstance(review, dt.date) and review <= published:
        problems.error(rel, lines.get("review", 1),
                       f"the review date {review.isoformat()} is not after the publication "
                       f"date {published.isoformat()}")
    online = values.get("online")
    if online and not online.startswith(("https://", "http://")):
        problems.error(rel, lines.get("online", 1), f"'online: {online}' is not a web address")
    region = values.get("region", "GB").upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        problems.error(rel, lines.get("region", 1), f"'region: {region}' is not a country code "
                       "such as GB or IE")
    values["region"] = region
    if problems.errors:
        raise LeafletError(problems=problems.errors)
    return Meta(path=rel, line=1, field_lines=lines,
                direction=langs.direction(values["language"]),
                **{k: v for k, v in values.items() if k in KNOWN_FIELDS})


# The body -------------------------------------------------------------------

class _Segment:
    """A run of Markdown, or one ::: container, with the file line it starts on."""

    def __init__(self, kind: str, args: str, lines: list[str], line: int):
        self.kind, self.args, self.lines, self.line = kind, args, lines, line


def split_containers(body: str, first_line: int, rel: str) -> list[_Segment]:
    segments: list[_Segment] = []
    current = _Segment("markdown", "", [], first_line)
    fence = None
    open_container: _Segment | None = None
    for number, line in enumerate(body.split("\n"), start=first_line):
        fence_match = FENCE_RE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker[0]
            elif marker[0] == fence:
                fence = None
        match = CONTAINER_RE.match(line) if fence is None else None
        if match and match.group(2):
            name, _, args = match.group(2).partition(" ")
            if open_container is not None:
                raise LeafletError(rel, number, f"'::: {name}' starts inside the '::: "
                                   f"{open_container.kind}' of line {open_container.line}; "
                                   "close that one first with ':::'")
            if name not in CONTAINERS:
                raise LeafletError(rel, number, f"unknown block '::: {name}' (known blocks: "
                                   f"{', '.join(CONTAINERS)})")
            segments.append(current)
            open_container = _Segment(name, args.strip(), [], number)
        elif match:
            if open_container is None:
                raise LeafletError(rel, number, "':::' closes a block that was never opened")
            segments.append(open_container)
            open_container = None
            current = _Segment("markdown", "", [], number + 1)
        elif open_container is not None:
            open_container.lines.append(line)
        else:
            current.lines.append(line)
    if open_container is not None:
        raise LeafletError(rel, open_container.line, f"'::: {open_container.kind}' is never "
                           "closed: add a line ':::' after it")
    segments.append(current)
    return [s for s in segments if s.kind != "markdown" or any(l.strip() for l in s.lines)]


class _Reader:
    """Turns one file's Markdown into model blocks, collecting problems."""

    def __init__(self, rel: str, folder: Path, region: str, problems: Collector):
        self.rel, self.folder, self.region, self.problems = rel, folder, region, problems

    # blocks

    def markdown(self, lines: list[str], first_line: int) -> list[Block]:
        tokens = _MD.parse("\n".join(lines))
        self.check_depth(tokens, first_line)
        blocks = []
        for node in SyntaxTreeNode(tokens).children:
            blocks.extend(self.block(node, first_line, depth=0))
        return blocks

    def check_depth(self, tokens, first_line: int) -> None:
        """Refuse absurd nesting before building a tree from it (the tree is recursive)."""
        line = first_line
        for token in tokens:
            if token.map:
                line = first_line + token.map[0]
            if token.level > MAX_NESTING * 2:
                raise LeafletError(self.rel, line, f"lists or quotes are nested more than "
                                   f"{MAX_NESTING} levels deep; simplify the structure")
            depth = 0
            for child in token.children or ():
                depth += child.nesting
                if depth > MAX_NESTING * 2:
                    raise LeafletError(self.rel, line, "emphasis or links are nested too deeply; "
                                       "simplify the text")

    def line_of(self, node: SyntaxTreeNode, first_line: int) -> int:
        while node is not None and not node.map:
            node = node.parent
        return first_line + (node.map[0] if node is not None and node.map else 0)

    def block(self, node: SyntaxTreeNode, first: int, depth: int) -> list[Block]:
        line = self.line_of(node, first)
        where = dict(path=self.rel, line=line)
        if depth > MAX_NESTING:
            raise LeafletError(self.rel, line, f"lists or quotes are nested more than "
                               f"{MAX_NESTING} levels deep; simplify the structure")
        kind = node.type
        if kind == "heading":
            level = int(node.tag[1])
            if level > 3:
                self.problems.error(self.rel, line, "headings go three levels deep at most "
                                    "(#, ## and ###)")
                level = 3
            inline = node.children[0]
            if not inline.content.strip():
                self.problems.error(self.rel, line, "this heading has no words")
                return []
            return [Heading(level=level, children=self.inlines(inline, first, depth),
                            markdown=self.msgid(inline.content), **where)]
        if kind == "paragraph":
            inline = node.children[0]
            images = [c for c in inline.children if c.type == "image"]
            if images:
                others = [c for c in inline.children if c.type not in ("image", "softbreak")
                          and not (c.type == "text" and not c.content.strip())]
                if others or len(images) > 1:
                    self.problems.error(self.rel, line, "put each picture on a line of its own")
                return [self.figure(images[0], line)]
            return [Paragraph(children=self.inlines(inline, first, depth),
                              markdown=self.msgid(inline.content), **where)]
        if kind in ("bullet_list", "ordered_list"):
            items = []
            for item in node.children:
                blocks = []
                for child in item.children:
                    blocks.extend(self.block(child, first, depth + 1))
                items.append(ListItem(blocks=tuple(blocks), path=self.rel,
                                      line=self.line_of(item, first)))
            start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
            return [List(ordered=kind == "ordered_list", items=tuple(items), start=start, **where)]
        if kind == "table":
            head: tuple[Cell, ...] = ()
            rows = []
            for section in node.children:
                for tr in section.children:
                    cells = tuple(self.cell(td, first, depth) for td in tr.children)
                    if section.type == "thead":
                        head = cells
                    else:
                        rows.append(cells)
            return [Table(head=head, rows=tuple(rows), **where)]
        if kind == "html_block":
            self.problems.error(self.rel, line, "HTML is not allowed in a leaflet; "
                                "write it in Markdown")
            return []
        if kind == "blockquote":
            self.problems.error(self.rel, line, "quotes ('>') are not used in leaflets; "
                                "use '::: callout info' for a boxed note")
            return []
        if kind in ("fence", "code_block"):
            self.problems.error(self.rel, line, "code blocks are not used in leaflets")
            return []
        if kind == "hr":
            return []
        self.problems.error(self.rel, line, f"this kind of Markdown ({kind}) is not supported")
        return []

    def cell(self, node: SyntaxTreeNode, first: int, depth: int) -> Cell:
        line = self.line_of(node, first)
        if not node.children:
            return Cell(children=(), markdown="", path=self.rel, line=line)
        inline = node.children[0]
        return Cell(children=self.inlines(inline, first, depth), markdown=self.msgid(inline.content),
                    path=self.rel, line=line)

    @staticmethod
    def msgid(content: str) -> str:
        out = []
        for part in content.split("\n"):
            out.append(part.strip())
        return " ".join(p for p in out if p)

    def figure(self, node: SyntaxTreeNode, line: int) -> Figure:
        # markdown-it percent-encodes the path ("my scan.png" -> "my%20scan.png")
        src = unquote(str(node.attrs.get("src", "")))
        alt = "".join(c.content for c in node.children).strip() if node.children else ""
        title = node.attrs.get("title") or ""
        check_image(src, alt, self.folder, self.rel, line, self.problems)
        return Figure(src=src, alt=alt or default_alt(src), caption=str(title),
                      path=self.rel, line=line)

    # inlines

    def inlines(self, inline: SyntaxTreeNode, first: int, depth: int) -> tuple[Inline, ...]:
        line = self.line_of(inline, first)
        return tuple(self.inline_children(inline.children, line, depth))

    def inline_children(self, nodes, line: int, depth: int) -> list[Inline]:
        out: list[Inline] = []
        if depth > MAX_NESTING * 2:
            raise LeafletError(self.rel, line, "emphasis or links are nested too deeply")
        where = dict(path=self.rel, line=line)
        for node in nodes:
            kind = node.type
            if kind == "text":
                out.extend(self.autolink(node.content, line))
            elif kind == "code_inline":
                out.extend(self.autolink(node.content, line))
            elif kind == "softbreak":
                out.append(Text(text=" ", **where))
            elif kind == "hardbreak":
                out.append(LineBreak(**where))
            elif kind == "strong":
                out.append(Strong(children=tuple(self.inline_children(node.children, line, depth + 1)),
                                  **where))
            elif kind == "em":
                out.append(Emphasis(children=tuple(self.inline_children(node.children, line, depth + 1)),
                                    **where))
            elif kind == "link":
                out.append(self.link(node, line, depth))
            elif kind == "html_inline":
                self.problems.error(self.rel, line, f"HTML is not allowed in a leaflet "
                                    f"('{node.content}'); write it in Markdown")
            elif kind == "image":
                self.problems.error(self.rel, line, "put each picture on a line of its own")
            else:
                self.problems.error(self.rel, line, f"this kind of Markdown ({kind}) is not supported")
        return merge_text(out)

    def link(self, node: SyntaxTreeNode, line: int, depth: int) -> Inline:
        href = str(node.attrs.get("href", ""))
        children = tuple(self.inline_children(node.children, line, depth + 1))
        where = dict(path=self.rel, line=line)
        if href.startswith("mailto:"):
            return Email(address=href[len("mailto:"):], **where)
        if href.startswith("tel:"):
            phone = self.phone(href[len("tel:"):], line)
            return phone or Text(text=href, **where)
        if not href.startswith(LINK_SCHEMES):
            self.problems.error(self.rel, line, f"link '{href}' must be a full web address "
                                "(https://...), an e-mail address or a phone number")
        return Link(href=href, children=children, **where)

    def autolink(self, text: str, line: int) -> list[Inline]:
        """Plain text with phone numbers and e-mail addresses made into nodes."""
        where = dict(path=self.rel, line=line)
        spans: list[tuple[int, int, Inline]] = []
        for match in phonenumbers.PhoneNumberMatcher(text, self.region,
                                                     leniency=phonenumbers.Leniency.VALID):
            spans.append((match.start, match.end, phone_node(match.number, self.region, where)))
        for match in EMAIL_RE.finditer(text):
            if not any(s <= match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), Email(address=match.group(), **where)))
        out: list[Inline] = []
        position = 0
        for start, end, node in sorted(spans, key=lambda s: s[0]):
            if start > position:
                out.append(Text(text=text[position:start], **where))
            out.append(node)
            position = end
        if position < len(text):
            out.append(Text(text=text[position:], **where))
        return out

    def phone(self, raw: str, line: int, region: str | None = None) -> Phone | None:
        region = region or self.region
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            self.problems.error(self.rel, line, f"'{raw}' is not a phone number "
                                f"(checked as a number in {region})")
            return None
        return phone_node(number, region, dict(path=self.rel, line=line))

    # containers

    def contacts(self, segment: _Segment) -> Contacts:
        node = compose_source_yaml("\n".join(segment.lines), self.rel, segment.line + 1)
        if not isinstance(node, yaml.SequenceNode):
            raise LeafletError(self.rel, segment.line, "a '::: contacts' block holds a list of "
                               "contacts, each starting '- name:'")
        contacts = []
        for item in node.value:
            line = segment.line + 1 + item.start_mark.line
            if not isinstance(item, yaml.MappingNode):
                self.problems.error(self.rel, line, "each contact needs 'name:' and a 'phone:' "
                                    "or 'email:'")
                continue
            contacts.append(self.contact(item, line, segment.line + 1))
        if not contacts:
            self.problems.error(self.rel, segment.line, "the '::: contacts' block is empty")
        return Contacts(contacts=tuple(c for c in contacts if c), path=self.rel, line=segment.line)

    def contact(self, item: yaml.MappingNode, line: int, first: int) -> Contact | None:
        fields: dict[str, tuple[list[str], int]] = {}
        for key_node, value_node in item.value:
            key = str(key_node.value)
            key_line = first + key_node.start_mark.line
            if isinstance(value_node, yaml.SequenceNode):
                values = [str(v.value).strip() for v in value_node.value
                          if isinstance(v, yaml.ScalarNode)]
            elif isinstance(value_node, yaml.ScalarNode):
                values = [str(value_node.value).strip()]
            else:
                self.problems.error(self.rel, key_line, f"contact field '{key}' must be text")
                continue
            fields[key] = ([v for v in values if v], key_line)
        known = ("name", "about", "hours", "phone", "email", "web", "region")
        for key, (_, key_line) in fields.items():
            if key not in known:
                self.problems.error(self.rel, key_line, f"unknown contact field '{key}' "
                                    f"(known fields: {', '.join(known)})")

        def one(key: str) -> str:
            return " ".join(fields.get(key, ([], 0))[0])

        name = one("name")
        if not name:
            self.problems.error(self.rel, line, "this contact has no 'name:'")
            return None
        region = (one("region") or self.region).upper()
        phones = []
        raw_phones, phone_line = fields.get("phone", ([], line))
        for raw in raw_phones:
            phone = self.phone(raw, phone_line, region)
            if phone:
                phones.append(phone)
        emails = []
        raw_emails, email_line = fields.get("email", ([], line))
        for raw in raw_emails:
            if EMAIL_RE.fullmatch(raw):
                emails.append(Email(address=raw, path=self.rel, line=email_line))
            else:
                self.problems.error(self.rel, email_line, f"'{raw}' is not an e-mail address")
        web = one("web")
        if web and not web.startswith(("https://", "http://")):
            self.problems.error(self.rel, fields["web"][1], f"'{web}' is not a web address "
                                "(it should start https://)")
        if not raw_phones and not raw_emails and not web:
            self.problems.error(self.rel, line, f'contact "{name}" has no phone or e-mail')
        for key in ("name", "about", "hours"):
            if key in fields and "<" in one(key) and re.search(r"<[A-Za-z/!]", one(key)):
                self.problems.error(self.rel, fields[key][1], "HTML is not allowed in a leaflet")
        return Contact(name=name, about=one("about"), hours=one("hours"), phones=tuple(phones),
                       emails=tuple(emails), web=web, path=self.rel, line=line)

    def callout(self, segment: _Segment) -> Callout:
        kind = segment.args or "info"
        if kind not in CALLOUT_KINDS:
            self.problems.error(self.rel, segment.line, f"'::: callout {kind}': a callout is "
                                f"{', '.join(CALLOUT_KINDS)}")
        blocks = self.markdown(segment.lines, segment.line + 1)
        if not blocks:
            self.problems.error(self.rel, segment.line, "the callout is empty")
        return Callout(kind=kind, blocks=tuple(blocks), path=self.rel, line=segment.line)

    def row(self, segment: _Segment) -> Row:
        lines = segment.lines
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and IMAGE_LINE_RE.match(lines[first]):
            # the picture line may be followed by the sentences without a blank line
            blocks = self.markdown(lines[first:first + 1], segment.line + 1 + first)
            blocks += self.markdown(lines[first + 1:], segment.line + 2 + first)
        else:
            blocks = self.markdown(lines, segment.line + 1)
        figure = None
        if blocks and isinstance(blocks[0], Figure):
            figure, blocks = blocks[0], blocks[1:]
        if any(isinstance(b, Figure) for b in blocks):
            self.problems.error(self.rel, segment.line, "a row has one picture, on its first line")
        if not blocks:
            self.problems.error(self.rel, segment.line, "the row has no sentences")
        return Row(figure=figure, blocks=tuple(b for b in blocks if not isinstance(b, Figure)),
                   path=self.rel, line=segment.line)


def merge_text(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if out and isinstance(node, Text) and isinstance(out[-1], Text):
            out[-1] = replace(out[-1], text=out[-1].text + node.text)
        else:
            out.append(node)
    return out


def phone_node(number: phonenumbers.PhoneNumber, region: str, where: dict) -> Phone:
    home = phonenumbers.region_code_for_number(number) == region
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else \
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
    display = phonenumbers.format_number(number, style)
    tel = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)
    return Phone(display=display, tel=tel, **where)


def pictogram_names() -> list[str]:
    return sorted(p.stem for p in PICTOGRAMS.glob("*.svg"))


@functools.lru_cache(maxsize=1)
def _pictogram_alts() -> dict[str, str]:
    catalogue = PICTOGRAMS / "pictograms.yaml"
    if not catalogue.is_file():
        return {}
    data = yaml.safe_load(catalogue.read_text(encoding="utf-8")) or {}
    return {str(name): str((entry or {}).get("alt", "")) for name, entry in data.items()}


def default_alt(src: str) -> str:
    """The alt text a pictogram brings with it ("" for other images)."""
    if not src.startswith("pictogram:"):
        return ""
    return _pictogram_alts().get(src.split(":", 1)[1], "")


PICTOGRAM_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_IMAGE_BYTES = 5_000_000
SVG_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "audio",
                          "video", "animate", "set", "handler", "listener"}
SVG_URL_RE = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)|@import", re.I)


def svg_problem(data: bytes) -> str | None:
    """Why an SVG may not go into a leaflet (script, outside references), or None.

    SVG is XML that can run script and fetch other files; the outputs (an EPUB
    above all) carry the file as it is, so only a plain drawing is accepted."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return "it declares a DOCTYPE or entities"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f"it is not valid SVG ({exc})"
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in SVG_FORBIDDEN_ELEMENTS:
            return f"it contains a <{name}> element"
        for attribute, value in element.attrib.items():
            attribute = attribute.rsplit("}", 1)[-1]
            if attribute.lower().startswith("on"):
                return f"it has a script attribute ({attribute})"
            if attribute == "href" and not value.strip().startswith(("#", "data:image/png",
                                                                      "data:image/jpeg")):
                return f"it refers to another file ({value[:60]})"
        texts = [element.text or ""] + [v for k, v in element.attrib.items() if k == "style"]
        for text in texts:
            for match in SVG_URL_RE.finditer(text):
                if match.group(0).lower() == "@import" or not match.group(1).startswith("#"):
                    return "its styles refer to another file"
    return None


def check_image(src: str, alt: str, folder: Path, rel: str, line: int, problems: Collector) -> None:
    """An image must be a picture file inside the leaflet folder (or one of our
    pictograms) and have alt text.  Nothing is opened or fetched."""
    if src.startswith("pictogram:"):
        name = src.split(":", 1)[1]
        if not PICTOGRAM_NAME_RE.match(name) or not (PICTOGRAMS / f"{name}.svg").is_file():
            problems.error(rel, line, f"there is no pictogram '{name}' (see 'leaflet pictograms')")
        elif not alt and not default_alt(src):
            problems.error(rel, line, "the picture has no alt text: describe it in the [brackets]")
        return
    if not alt:
        problems.error(rel, line, "the picture has no alt text: describe it in the [brackets]")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src) or src.startswith("//"):
        problems.error(rel, line, f"picture '{src}' is a web address; put the picture file in "
                       "the leaflet's folder (nothing is downloaded)")
        return
    if src.startswith("/") or "\\" in src:
        problems.error(rel, line, f"picture '{src}' must be a path inside the leaflet's folder, "
                       "such as images/scan.png")
        return
    target = (folder / src).resolve()
    if not target.is_relative_to(folder.resolve()):
        problems.error(rel, line, f"picture '{src}' is outside the leaflet's folder")
        return
    if target.suffix.lower() not in IMAGE_TYPES:
        problems.error(rel, line, f"picture '{src}' must be a PNG, JPEG, GIF or SVG file")
    elif not target.is_file():
        problems.error(rel, line, f"picture '{src}' does not exist")
    elif target.stat().st_size > MAX_IMAGE_BYTES:
        problems.error(rel, line, f"picture '{src}' is over {MAX_IMAGE_BYTES // 1_000_000} MB; "
                       "use a smaller file")
    elif target.suffix.lower() == ".svg":
        why = svg_problem(target.read_bytes())
        if why:
            problems.error(rel, line, f"picture '{src}' cannot be used: {why}")


def contacts_beside_phone(blocks: list[Block]) -> list[Block]:
    """In easy read every idea has its picture: each contact becomes a row with
    the phone pictogram beside it."""
    out: list[Block] = []
    src = "pictogram:phone"
    for block in blocks:
        if not isinstance(block, Contacts):
            out.append(block)
            continue
        for contact in block.contacts:
            where = dict(path=contact.path, line=contact.line)
            figure = Figure(src=src, alt=default_alt(src), **where)
            out.append(Row(figure=figure, blocks=(Contacts(contacts=(contact,), **where),),
                           **where))
    return out


def check_headings(blocks: list[Block], rel: str, problems: Collector) -> None:
    level = 0
    for block in blocks:
        if isinstance(block, Heading):
            if block.level > level + 1:
                problems.error(rel, block.line, f"heading level skipped: a level-{block.level} "
                               f"heading ({'#' * block.level}) needs a level-{block.level - 1} "
                               "heading before it")
            level = block.level


# ids the templates give their own parts; a heading never takes one of them
RESERVED_IDS = {"title", "content", "also-available", "draft-banner", "toc", "toc-heading",
                "landmarks", "landmarks-heading", "details", "top"}


def add_anchors(blocks: list[Block]) -> list[Block]:
    seen: set[str] = set(RESERVED_IDS)
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            from .model import plain_text
            base = re.sub(r"[^a-z0-9]+", "-", plain_text(block.children).lower()).strip("-") or "section"
            anchor, n = base, 2
            while anchor in seen:
                anchor, n = f"{base}-{n}", n + 1
            seen.add(anchor)
            block = replace(block, anchor=anchor)
        out.append(block)
    return out


def parse_text(text: str, rel: str, folder: Path, slug: str, edition: str = "standard",
               defaults: dict | None = None, problems: Collector | None = None) -> Leaflet:
    """Parse source text; ``rel`` names the file in messages."""
    problems = problems if problems is not None else Collector()
    yaml_text, body, body_line = split_front_matter(text, rel)
    meta = parse_meta(yaml_text, rel, problems, defaults)
    reader = _Reader(rel, folder, meta.region, problems)
    blocks: list[Block] = []
    for segment in split_containers(body, body_line, rel):
        if segment.kind == "markdown":
            blocks.extend(reader.markdown(segment.lines, segment.line))
        elif segment.kind == "contacts":
            blocks.append(reader.contacts(segment))
        elif segment.kind == "callout":
            blocks.append(reader.callout(segment))
        elif segment.kind == "row":
            blocks.append(reader.row(segment))
    if not blocks:
        problems.error(rel, body_line, "the leaflet has no text after its front matter")
    check_headings(blocks, rel, problems)
    problems.raise_errors()
    if edition == "easy-read":
        blocks = contacts_beside_phone(blocks)
    return Leaflet(slug=slug, edition=edition, meta=meta, blocks=tuple(add_anchors(blocks)),
                   folder=str(folder), path=rel, line=1)


def parse_file(path: Path, root: Path, edition: str = "standard", defaults: dict | None = None,
               problems: Collector | None = None) -> Leaflet:
    """Parse ``leaflet.md`` or ``easy-read.md``; messages name it relative to ``root``."""
    rel = relative(path, root)
    text = read_text(path, rel)
    return parse_text(text, rel, path.parent, path.parent.name, edition, defaults, problems)


def parse_inline(markdown: str, rel: str, line: int, region: str = "GB",
                 problems: Collector | None = None) -> tuple[Inline, ...]:
    """Inline Markdown (a translated msgstr, say) to inline nodes."""
    problems = problems if problems is not None else Collector()
    reader = _Reader(rel, Path("."), region, problems)
    tokens = _MD.parseInline(markdown)
    reader.check_depth(tokens, line)
    tree = SyntaxTreeNode(tokens)
    inline = tree.children[0] if tree.children else None
    if inline is None:
        return ()
    return tuple(reader.inline_children(inline.children, line, 0))


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
