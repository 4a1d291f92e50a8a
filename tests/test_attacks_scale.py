"""Inputs that were quadratic: many text relay prefixes in one paragraph, and many equal
headings.  Each is read at 10,000 within a budget of processor time (not the wall clock,
which a busy machine stretches); the old code needed minutes to hours for these."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from leaflet import source, transforms
from leaflet.errors import LeafletError
from leaflet.model import Heading, Paragraph, Phone, Text
from leaflet.source import phones

FRONT = """\
---
title: CT scan
organisation: Example NHS Trust
language: en-GB
published: 2025-01-01
review: 2027-01-01
---
"""
COUNT = 10_000
CPU_BUDGET = 5.0  # seconds of processor time; linear code needs under half of it


def _timed(work):
    start = time.process_time()
    result = work()
    return result, time.process_time() - start


def _phones(leaflet) -> list[Phone]:
    return [node for block in leaflet.blocks if isinstance(block, Paragraph)
            for node in block.children if isinstance(node, Phone)]


def _parse(body: str, tmp_path: Path):
    return source.parse_text(FRONT + body, "leaflet_src/ct-scan/leaflet.md", tmp_path,
                             "ct-scan")


def test_relay_prefixes_before_no_number_are_linear(tmp_path):
    # The smallest case: a relay prefix followed by too few digits, over and over.  Each
    # prefix used to search the whole rest of the paragraph for its number.  Each is a
    # number that cannot be dialled, so each is an error (issue 25), found in linear time.
    body = "# Contact\n\nText relay " + "18001 0191 445 218 " * COUNT + "\n"

    def refused():
        with pytest.raises(LeafletError) as error:
            _parse(body, tmp_path)
        return error.value

    error, seconds = _timed(refused)
    assert len(error.problems) == COUNT
    assert all("'18001 0191 445 218' looks like a phone number" in p.message
               for p in error.problems)
    assert seconds < CPU_BUDGET, f"{COUNT} relay prefixes took {seconds:.1f} s of CPU"


def test_many_relay_numbers_are_all_found_in_linear_time(tmp_path):
    body = "# Contact\n\n" + "Text relay 18001 0191 445 2180, " * COUNT + "\n"
    leaflet, seconds = _timed(lambda: _parse(body, tmp_path))
    numbers = _phones(leaflet)
    assert len(numbers) == COUNT
    assert {n.tel for n in numbers} == {"tel:1800101914452180"}
    assert seconds < CPU_BUDGET, f"{COUNT} relay numbers took {seconds:.1f} s of CPU"


def test_relay_number_ends_before_the_next_prefix():
    found = phones.find("Text relay 18001 0191 445 2180 or 18001 0191 445 2181.")
    assert [(m.kind, m.display) for m in found] == [
        ("relay", "18001 0191 445 2180"), ("relay", "18001 0191 445 2181")]
    # a prefix with no number after it is no phone, and hides none after it
    found = phones.find("18001 or call 0191 445 2180")
    assert [(m.kind, m.raw) for m in found] == [("number", "0191 445 2180")]


def test_many_equal_headings_get_unique_anchors_in_linear_time(tmp_path):
    body = "# Same\n\nWords.\n\n" + "## Same\n\n" * COUNT
    leaflet, seconds = _timed(lambda: _parse(body, tmp_path))
    anchors = [b.anchor for b in leaflet.blocks if isinstance(b, Heading)]
    assert len(anchors) == COUNT + 1 == len(set(anchors))
    assert anchors[:3] == ["same", "same-2", "same-3"] and anchors[-1] == f"same-{COUNT + 1}"
    assert seconds < CPU_BUDGET, f"{COUNT} equal headings took {seconds:.1f} s of CPU"


def test_anchors_skip_numbers_a_heading_took_for_itself():
    def heading(words: str) -> Heading:
        return Heading(level=2, children=(Text(text=words, path="x", line=1),),
                       markdown=words, path="x", line=1)

    titles = ["Same", "Same 2", "Same", "Same", "Same 3 ", "Top", "Same", "Same 2"]
    anchors = [b.anchor for b in transforms.add_anchors([heading(t) for t in titles])]
    assert anchors == ["same", "same-2", "same-3", "same-4", "same-3-2", "top-2", "same-5",
                       "same-2-2"]
