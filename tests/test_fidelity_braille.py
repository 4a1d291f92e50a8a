"""Braille keeps what print keeps, read back with liblouis's own lou_translate: the
leaflet's details (owner and online copy), a heading with the lines that follow it,
and a number with its unit."""

from __future__ import annotations

import itertools
import re

import pytest

from formats import brf
from formats import text as text_writer
from formats.braille import find_table
from formats.options import WriterOptions
from leaflet import source

from conftest import REPO
from test_braille import back_translate, brf_pages, headings_of, liblouis, sample, unicode_lines

__all__ = ["liblouis"]  # the fixture that fails the module when liblouis is missing

BLANK, CONTINUATION = "\u2800", "\u2810"

DOSES = """---
title: Omeprazole
organisation: Gateshead Health NHS Foundation Trust
language: en-GB
code: PHARM-040
version: "3"
published: 2025-03-01
review: 2027-03-01
owner: Pharmacy medicines information
online: https://www.gatesheadhealth.nhs.uk/leaflets/omeprazole-capsules/
---

# How to take it

Each day take 40 mg of omeprazole before breakfast.

A patch gives 12 micrograms/hour through the skin.
"""


def dose_leaflet():
    return source.parse_text(DOSES, "leaflet_src/omeprazole/leaflet.md",
                             REPO / "leaflet_src" / "omeprazole", "omeprazole")


def read_pages(leaflet, options, join_cut_words: bool = False) -> list[list[str]]:
    """Each BRF page's lines as lou_translate reads them back, the page number line
    left out; ``join_cut_words`` joins a word cut at a line's end (UEB ends the line
    with its continuation indicator, dot 5) as a reader does."""
    table = find_table(leaflet.meta.language, options.braille_grade)
    pages = []
    for page in brf_pages(brf.write(leaflet, options).data):
        lines: list[str] = []
        for line in unicode_lines(page)[1:]:
            if join_cut_words and lines and lines[-1].endswith(CONTINUATION):
                lines[-1] = lines[-1].removesuffix(CONTINUATION) + line.lstrip(BLANK)
            else:
                lines.append(line)
        pages.append(back_translate(table.table_list, lines))
    return pages


def test_braille_closes_with_the_owner_and_online_lines_the_text_edition_prints():
    leaflet = dose_leaflet()
    options = WriterOptions()
    printed = text_writer.write(leaflet, options).data.decode()
    wanted = ["Leaflet owner: Pharmacy medicines information",
              "Online: https://www.gatesheadhealth.nhs.uk/leaflets/omeprazole-capsules/"]
    assert all(line in printed.splitlines() for line in wanted)
    pages = read_pages(leaflet, options, join_cut_words=True)
    closing = " ".join(" ".join(line.strip() for line in pages[-1]).split())
    for line in wanted:
        assert line in closing, closing
    # the address is one word, cut only where a line cannot hold it: read back whole
    assert closing.index("Leaflet owner") < closing.index("Online: https://")


@pytest.mark.parametrize("lines", range(8, 26))
def test_a_heading_keeps_two_lines_of_what_follows_on_its_page(lines):
    leaflet, options = sample("en-GB", braille_lines=lines)
    headings = {" ".join(h.split()) for h in headings_of(leaflet)}
    pages = read_pages(leaflet, options)
    checked = 0
    for number, page in enumerate(pages[:-1], 1):
        text = [" ".join(line.split()) for line in page]
        for index, line in enumerate(text):
            if line not in headings:
                continue
            checked += 1
            after = [rest for rest in text[index + 1:] if rest]
            assert len(after) >= 2, (f"page {number} of {len(pages)} ends with the heading "
                                     f"{line!r} and {len(after)} line after it: {text}")
    assert checked


def test_a_number_and_its_unit_share_a_braille_line():
    leaflet = dose_leaflet()
    options = WriterOptions(braille_cells=20)
    lines = [" ".join(line.split()) for page in read_pages(leaflet, options) for line in page]
    text = " ".join(lines)
    # at 20 cells "Each day take 40" fills the paragraph's first line
    assert "Each day take 40 mg" in text and "12 micrograms/hour" in text, lines
    for line, following in itertools.pairwise(lines):
        assert not (re.search(r"\b(40|12)$", line) and
                    re.match(r"(mg|micrograms)\b", following)), (line, following)
