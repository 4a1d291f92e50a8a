"""Sections that say nothing, and section headings that repeat the leaflet's title: both
are what an import leaves when a web page's sidebar links or its repeated title come in."""

from __future__ import annotations

import re

from ..errors import Problem
from ..model import Heading, Leaflet, plain_text


def problems(leaflet: Leaflet) -> list[Problem]:
    """A warning at each heading with nothing under it before the next heading of its
    level or above, and at each heading whose words are the title's."""
    found: list[Problem] = []
    blocks = list(leaflet.blocks)
    title = _words(leaflet.meta.title)
    for index, block in enumerate(blocks):
        if not isinstance(block, Heading):
            continue
        words = plain_text(block.children).strip()
        if title and _words(words) == title:
            found.append(Problem(block.path, block.line, f"the section heading '{words}' "
                                 "repeats the leaflet's title: remove it, or give the section "
                                 "a heading of its own", warning=True))
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is None or (isinstance(following, Heading) and
                                 following.level <= block.level):
            found.append(Problem(block.path, block.line, f"the section '{words}' is empty: "
                                 "write what belongs under it, or remove the heading",
                                 warning=True))
    return found


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
