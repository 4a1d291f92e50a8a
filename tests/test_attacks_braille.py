"""Braille line width at any page width: nested lists (three deep, and deeper, and inside
quotations) once ran past a 12-cell line.  Every line of the BRF output is read."""

from __future__ import annotations

import pytest

from formats import brf
from formats.options import WriterOptions
from leaflet import source

from conftest import REPO

pytestmark = pytest.mark.usefixtures("liblouis")  # fails, not skips, without liblouis
FRONT = """---
title: Taking your tablets
organisation: Example NHS Trust
language: en-GB
published: 2025-01-01
review: 2027-01-01
---

# What to take

"""
WORDS = "Paracetamol tablets with water, see https://www.nhs.uk/medicines/paracetamol-for-adults/"


def nested(depth: int, quotes: int = 0) -> str:
    """A list ``depth`` deep, each item with a second paragraph, in ``quotes`` quotations."""
    lines = []
    for level in range(depth):
        pad = "  " * level
        lines += [f"{pad}- {WORDS}", "", f"{pad}  Another paragraph of the item at level "
                  f"{level + 1}.", ""]
    return "\n".join("> " * quotes + line for line in lines) + "\n"


BODIES = {  # name: (the deepest list's level, the body)
    "three deep": (3, nested(3)),
    "three deep in a quotation": (3, nested(3, quotes=1)),
    "three deep in three quotations": (3, nested(3, quotes=3)),
    "six deep": (6, nested(6)),
    "seven deep": (7, nested(7)),
    "three deep in a callout": (3, "::: callout warning\n" + nested(3) + ":::\n"),
}


@pytest.mark.parametrize("cells", [12, 20, 40])
@pytest.mark.parametrize("name", list(BODIES))
def test_every_brf_line_fits_the_page_width(cells, name):
    leaflet = source.parse_text(FRONT + BODIES[name][1], "leaflet_src/tablets/leaflet.md",
                                REPO / "leaflet_src" / "tablets", "tablets")
    data = brf.write(leaflet, WriterOptions(braille_cells=cells)).data.decode("ascii")
    lines = [line for page in data.split("\f") for line in page.split("\r\n")]
    too_wide = [(len(line), line) for line in lines if len(line) > cells]
    assert not too_wide, f"{len(too_wide)} lines wider than {cells} cells: {too_wide[:3]}"
    # the deepest item is written, not dropped: "level 3" has the number sign and C
    deepest = BODIES[name][0]
    assert f"#{'JABCDEFGHI'[deepest]}" in data
