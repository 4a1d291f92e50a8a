"""After parsing: heading levels checked, headings given anchors, and easy read contacts
made into rows with their picture."""

from __future__ import annotations

import re
from dataclasses import replace

from .errors import Collector
from .model import Block, Contacts, Figure, Heading, Row, plain_text
from .pictograms import PREFIX, default_alt

# ids the templates give their own parts; a heading never takes one of them
RESERVED_IDS = {"title", "content", "also-available", "draft-banner", "toc", "toc-heading",
                "landmarks", "landmarks-heading", "details", "top"}


def check_headings(blocks: list[Block], rel: str, problems: Collector) -> None:
    """A heading may go one level deeper than the one before it, not more."""
    level = 0
    for block in blocks:
        if isinstance(block, Heading):
            if block.level > level + 1:
                problems.error(rel, block.line, f"heading level skipped: a level-{block.level} "
                               f"heading ({'#' * block.level}) needs a level-{block.level - 1} "
                               "heading before it")
            level = block.level


def add_anchors(blocks: list[Block]) -> list[Block]:
    """Each heading with an id made from its words, unique in the leaflet: the second
    "Side effects" is ``side-effects-2``.  Each word's count goes on from where it
    stopped (every number below it is taken), so many equal headings cost no more than
    different ones."""
    seen: set[str] = set(RESERVED_IDS)
    next_number: dict[str, int] = {}
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            words = plain_text(block.children).lower()
            base = re.sub(r"[^a-z0-9]+", "-", words).strip("-") or "section"
            anchor, n = base, next_number.get(base, 2)
            if anchor in seen:
                anchor = f"{base}-{n}"
                while anchor in seen:
                    n += 1
                    anchor = f"{base}-{n}"
                next_number[base] = n + 1
            seen.add(anchor)
            block = replace(block, anchor=anchor)
        out.append(block)
    return out


def contacts_beside_phone(blocks: list[Block]) -> list[Block]:
    """In easy read every idea has its picture: each contact becomes a row with
    the phone pictogram beside it."""
    out: list[Block] = []
    src = PREFIX + "phone"
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
