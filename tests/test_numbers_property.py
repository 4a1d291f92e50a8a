"""A property of every valid UK number (issue 25): however its author groups it, every
output shows the author's text unchanged and links it to the same number.

Hypothesis writes the numbers: a valid national number of a geographic, non-geographic,
freephone or mobile range (or of a region sharing +44: Jersey, Guernsey, the Isle of
Man), then written with its digits parted into groups of any size, with the area code
bracketed, hyphenated or as an international +44 number.  The text, HTML, DOCX and PDF
writers render a leaflet holding them; each file is read back with a reader's tools
(``test_numbers.words_of`` and ``links_of``: lxml, python-docx, pdftotext, pikepdf).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import phonenumbers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, SAMPLE_SLUG
from formats import FORMATS
from formats.options import Assets, WriterOptions
from leaflet import source
from leaflet.errors import Collector
from test_numbers import links_of, words_of

# The first digits of ranges in use; the rest are drawn at random and kept when valid.
PREFIXES = ("0113", "0114", "0116", "0117", "0118", "0121", "0131", "0141", "0151", "0161",
            "0191", "01223", "01632", "020", "023", "028", "029", "0300", "0330", "0345",
            "0800", "0808", "071", "073", "074", "075", "077", "078", "079",
            "01534", "01481", "01624", "07624", "07781", "07911")
WRITERS = {"text": "txt", "html": "html", "docx": "docx", "pdf": "pdf"}
FRONT = """\
---
title: Numbers
organisation: Example NHS Trust
language: en-GB
published: 2025-01-01
review: 2027-01-01
---
"""


def national(prefix: str, rest: str) -> str:
    return (prefix + rest)[:11]


def is_valid(number: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(number, "GB"))


valid_numbers = st.builds(
    national, st.sampled_from(PREFIXES),
    st.text(alphabet="0123456789", min_size=9, max_size=9)).filter(is_valid)


@st.composite
def written(draw) -> str:
    """A valid number as an author might write it."""
    digits = draw(valid_numbers)
    first = draw(st.integers(3, 5))
    groups, at = [digits[:first]], first
    while at < len(digits):
        size = draw(st.integers(2, 4))
        if len(digits) - at - size == 1:
            size += 1  # no group of one digit at the end
        groups.append(digits[at:at + size])
        at += size
    style = draw(st.sampled_from(("spaces", "bracketed", "international", "hyphens")))
    if style == "bracketed":
        return f"({groups[0]}) " + " ".join(groups[1:])
    if style == "international":
        return " ".join(["+44", groups[0][1:], *groups[1:]]).replace("  ", " ")
    return ("-" if style == "hyphens" else " ").join(groups)


def e164(written_number: str) -> str:
    return phonenumbers.format_number(phonenumbers.parse(written_number, "GB"),
                                      phonenumbers.PhoneNumberFormat.E164)


def dialled(target: str) -> str:
    """The number a tel: link dials, as E.164."""
    assert target.startswith("tel:"), target
    return phonenumbers.format_number(phonenumbers.parse(target[len("tel:"):], "GB"),
                                      phonenumbers.PhoneNumberFormat.E164)


def render(numbers: list[str], folder: Path) -> dict[str, Path]:
    body = "\n# Numbers\n\n" + "".join(f"Call the ward on {number} today.\n\n"
                                       for number in numbers)
    problems = Collector()
    leaflet = source.parse_text(FRONT + body,
                                "leaflet_src/numbers/leaflet.md",
                                REPO / "leaflet_src" / SAMPLE_SLUG, "numbers",
                                problems=problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    options = WriterOptions(assets=Assets(folder=str(REPO / "leaflet_src" / SAMPLE_SLUG),
                                          pictograms=str(source.PICTOGRAMS)),
                            source_date=dt.datetime(2025, 1, 6, tzinfo=dt.timezone.utc))
    paths = {}
    for name, extension in WRITERS.items():
        path = folder / f"numbers.{extension}"
        path.write_bytes(FORMATS[name].load()(leaflet, options).data)
        paths[name] = path
    return paths


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(written(), min_size=1, max_size=6, unique_by=lambda n: re.sub(r"\D", "", n)))
def test_any_valid_number_grouped_any_way_prints_as_written_and_dials_the_same(numbers):
    with tempfile.TemporaryDirectory() as folder:
        paths = render(numbers, Path(folder))
        for name, path in paths.items():
            words = words_of(path, name)
            for number in numbers:
                assert f"Call the ward on {number} today." in words, (name, number)
            if name == "text":
                continue  # plain text has no links
            links = links_of(path, name)
            targets = sorted(dialled(t) for t, _words in links if t.startswith("tel:"))
            assert targets == sorted(e164(number) for number in numbers), (name, links)
            if name in ("html", "docx"):  # a link's words are the number as written
                assert sorted(w for t, w in links if t.startswith("tel:")) == sorted(numbers)


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.filter_too_much])
@given(written(), st.sampled_from(("Call {} today.", "Phone us on {}.", "Ring {} (Monday to Friday).",
                                   "{}", "Freephone: {}")))
def test_the_source_reads_any_grouping_as_one_number_as_written(number, sentence):
    """The same property where the writers get it from, many more times: the source
    makes one Phone node, printed as written, dialling the number, and finds no fault."""
    from leaflet.model import Phone

    problems = Collector()
    nodes = source.parse_inline(sentence.format(number), "t.md", 1, "GB", problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    [phone] = [node for node in nodes if isinstance(node, Phone)]
    assert phone.display == number
    assert dialled(phone.tel) == e164(number)
