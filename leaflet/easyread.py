"""Easy read: the page limit of its PDF, and the scaffold that drafts an easy-read.md from
leaflet.md.  The rules an easy-read.md is checked against are in ``leaflet.checks``.

Easy read is rewritten content: short sentences, one idea a row, a picture
beside every idea, hard words explained; docs/easy-read.md explains it to the
people who write easy read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import source
from .checks.easy_read import MAX_WORDS, explains, jargon_in, sentences, word_count
from .errors import LeafletError, Problem
from .library import Library
from .model import (
    Block, BlockVisitor, Callout, Contacts, Email, Emphasis, Figure, Heading, Inline,
    InlineVisitor, Leaflet, LineBreak, Link, List, Paragraph, Phone, Quote, Row, Rule, Strong,
    Table, Text, plain_text, visit_inlines,
)
from .pictograms import guess as guess_pictogram
from .source import emit

MAX_PAGES = 24          # pages of the easy read PDF


# The page limit, reported by the build ---------------------------------------------------

def page_count_problem(leaflet: Leaflet, pages: int) -> Problem | None:
    """A warning when an easy read edition runs over the page limit, for the build to
    report: ``pages`` is the count its PDF writer gives."""
    if leaflet.edition != "easy-read":
        return None
    if pages <= MAX_PAGES:
        return None
    return Problem(leaflet.path, None, f"the easy read PDF has {pages} pages; easy read keeps to "
                   f"{MAX_PAGES} at most: shorten the text or split the leaflet", warning=True)


# The scaffold ------------------------------------------------------------------------------

SCAFFOLD_HEAD = """\
---
# A first draft of the easy read edition, written by 'leaflet easy-read scaffold'
# from leaflet.md. Rewrite it for people with learning disabilities: short
# sentences (15 words at most), one idea in each row, a picture that fits beside
# it, and every medical word explained. Rewrite each row marked as to do (in
# capitals), then delete the marker. docs/easy-read.md explains the rules;
# 'leaflet pictograms' lists the pictures; 'leaflet check' finds what is left.
# Code, version and dates come from leaflet.md unless you set them here.
title: {title}
subtitle: Easy read
---
"""


def _escape(text: str) -> str:
    """Plain text that Markdown will read back as the same plain text."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _line_start(text: str) -> str:
    """A line that Markdown will not take for a list item or a heading."""
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", re.sub(r"^([-+#>=:])", r"\\\1", text))


def _markdown(inlines: tuple[Inline, ...]) -> str:
    return "".join(visit_inlines(inlines, _MarkdownInlines()))


class _MarkdownInlines(InlineVisitor[str]):
    """Inline nodes written back as Markdown, for a scaffold's rows."""

    def text(self, node: Text) -> str:
        return _escape(node.text)

    def strong(self, node: Strong) -> str:
        return f"**{_markdown(node.children)}**"

    def emphasis(self, node: Emphasis) -> str:
        return f"*{_markdown(node.children)}*"

    def link(self, node: Link) -> str:
        return f"[{_markdown(node.children)}]({node.href})"

    def phone(self, node: Phone) -> str:
        return node.display

    def email(self, node: Email) -> str:
        return node.address

    def line_break(self, node: LineBreak) -> str:
        return " "


def _row(sentence_markdown: str, plain: str, has_phone: bool, picture: Figure | None = None,
         todo: str = "") -> str:
    if picture is not None:
        image = f"![{picture.alt}]({picture.src})"
    else:
        name = guess_pictogram(plain, has_phone)
        image = f"![](pictogram:{name})" if name else \
            "![TODO: choose a picture](pictogram:information)"
    reasons = []
    if word_count(plain) > MAX_WORDS:
        reasons.append("shorten")
    hard = [term for term in jargon_in(plain) if not explains(term, 0, [plain])]
    if hard:
        reasons.append("explain " + ", ".join(f'"{t}"' for t in hard))
    if todo:
        reasons.append(todo)
    marker = f"TODO ({'; '.join(reasons)}): " if reasons else ""
    return f"::: row\n{image}\n{_line_start(marker + sentence_markdown)}\n:::\n"


def _paragraph_rows(children: tuple[Inline, ...], picture: Figure | None = None) -> list[str]:
    rows = []
    phones = {p.display for p in children if isinstance(p, Phone)}
    for sentence in sentences(_markdown(children)):
        plain = re.sub(r"\\(.)", r"\1", sentence)
        rows.append(_row(sentence, plain, any(p in sentence for p in phones), picture))
        picture = None
    return rows


def _contacts_yaml(block: Contacts) -> str:
    long_about = any(word_count(plain_text(c.about)) > MAX_WORDS
                     or len(sentences(plain_text(c.about))) > 1 for c in block.contacts)
    return emit.contacts(block, "TODO: shorten each 'about:' to one short sentence"
                         if long_about else "")


def _blocks(blocks: tuple[Block, ...]) -> list[str]:
    return [row for block in blocks for row in _SCAFFOLD.visit(block)]


class _Scaffold(BlockVisitor[list[str]]):
    """Each block of a standard leaflet as easy read rows, headings and contacts."""

    def heading(self, block: Heading) -> list[str]:
        return [f"{'#' * block.level} {block.markdown}\n"]

    def paragraph(self, block: Paragraph) -> list[str]:
        return _paragraph_rows(block.children)

    def list(self, block: List) -> list[str]:
        return [row for item in block.items for row in _blocks(item.blocks)]

    def figure(self, block: Figure) -> list[str]:
        return [_row("TODO: write a short sentence to go with this picture.", "", False,
                     picture=block)]

    def table(self, block: Table) -> list[str]:
        out = []
        for row in block.rows:
            cells = []
            for number, cell in enumerate(row):
                head = plain_text(block.head[number].children) if number < len(block.head) \
                    else ""
                value = _markdown(cell.children)
                cells.append(f"{_escape(head)}: {value}" if head else value)
            text = "; ".join(cells)
            plain = re.sub(r"\\(.)", r"\1", text)
            out.append(_row(text, plain, any(isinstance(n, Phone) for c in row
                                             for n in c.children),
                            todo="make this table row into sentences"))
        return out

    def callout(self, block: Callout) -> list[str]:
        if block.kind not in ("warning", "urgent"):
            return _blocks(block.blocks)
        out = []
        for child in block.blocks:
            if isinstance(child, Paragraph):
                for sentence in sentences(_markdown(child.children)):
                    plain = re.sub(r"\\(.)", r"\1", sentence)
                    out.append(_row(sentence, plain, False,
                                    Figure(src="pictogram:warning", alt="")))
            else:
                out.extend(_blocks((child,)))
        return out

    def contacts(self, block: Contacts) -> list[str]:
        return [_contacts_yaml(block)]

    def quote(self, block: Quote) -> list[str]:
        out = []
        for child in block.blocks:
            if isinstance(child, Paragraph):
                for sentence in sentences(_markdown(child.children)):
                    plain = re.sub(r"\\(.)", r"\1", sentence)
                    out.append(_row(sentence, plain, False, Figure(src="pictogram:talk", alt=""),
                                    todo="a quote: say who said it"))
            else:
                out.extend(_blocks((child,)))
        return out

    def rule(self, block: Rule) -> list[str]:
        return []  # easy read sets subjects apart with headings, not lines

    def row(self, block: Row) -> list[str]:
        return _blocks(block.blocks)


_SCAFFOLD = _Scaffold()


def draft(leaflet: Leaflet) -> str:
    """A first easy read draft of a standard leaflet: headings kept, each sentence a
    row with a guessed pictogram, TODO where a person must rewrite."""
    head = SCAFFOLD_HEAD.format(title=json.dumps(leaflet.meta.title, ensure_ascii=False))
    body = "\n".join(_blocks(leaflet.blocks))
    return f"{head}\n{body}"


def scaffold(library: Library, slug: str) -> Path:
    """Write leaflet_src/SLUG/easy-read.md from leaflet.md; never overwrite one."""
    target = library.source_file(slug, "easy-read")
    rel = library.rel(target)
    if target.exists():
        raise LeafletError(rel, None, "already exists; it was not changed (the scaffold "
                           "never overwrites an easy read edition)")
    leaflet = source.parse_file(library.source_file(slug), library.root)
    text = draft(leaflet)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise LeafletError(rel, None, "already exists; it was not changed") from None
    return target
