"""The plain text writer, checked against a reviewed golden file and for leaks of markup."""

from __future__ import annotations

import os
import re

from formats.text import display_width, wrap

from conftest import REPO

GOLDEN = REPO / "tests" / "golden" / "secondary-breast-cancer.en-GB.txt"
SEED_NUMBERS = ["0191 445 3735", "0191 445 8353", "0191 445 2180", "0808 808 0000",
                "0808 800 6000", "0191 456 5081", "0191 442 0833", "0191 280 5610",
                "0191 233 6600", "0191 445 8418"]


def test_sample_text_matches_the_golden_file(built):
    """Regenerate with UPDATE_GOLDEN=1 and review the diff like code."""
    text = built.find("text").read_text(encoding="utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_text_holds_every_section_and_phone_number(built):
    text = built.find("text").read_text(encoding="utf-8")
    for number in SEED_NUMBERS:
        assert number in text
    for heading in ["What is secondary breast cancer?", "Chemotherapy", "Bisphosphonates",
                    "Hormonal (endocrine) therapy", "Data protection"]:
        underline = "=" if heading[0] in "WD" and heading.endswith(("?", "protection")) else "-"
        assert f"{heading}\n{underline * len(heading)}\n" in text


def test_text_has_no_markdown_and_fits_the_width(built):
    text = built.find("text").read_text(encoding="utf-8")
    for leak in ["**", "](", ":::", "<", ">"]:
        assert leak not in text
    assert not re.search(r"^#", text, re.M)
    assert max(display_width(line) for line in text.splitlines()) <= 72
    assert text.endswith("\n") and "\r" not in text


def test_text_footer_and_header(built):
    text = built.find("text").read_text(encoding="utf-8")
    assert text.startswith("Gateshead Health NHS Foundation Trust\n")
    assert "Leaflet code: SAMPLE-ONC-001" in text
    assert "Published: 6 January 2025" in text
    assert "Review date: 6 January 2027" in text
    assert "Phone: 0808 808 0000" in text


def test_wrap_counts_display_width_and_breaks_between_wide_characters():
    lines = wrap("这是一个很长的中文句子需要在两个字符之间换行才能放进窄栏", 20)
    assert len(lines) > 1
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(lines) == "这是一个很长的中文句子需要在两个字符之间换行才能放进窄栏"


def test_wrap_keeps_a_phone_number_whole():
    lines = wrap("Ring the ward on 0191\u00a0445\u00a02180 at any time of the day", 24)
    assert any("0191\u00a0445\u00a02180" in line for line in lines)


def test_phone_numbers_stay_left_to_right_in_arabic_text(built):
    text = built.find("text", lang="ar").read_text(encoding="utf-8")
    for number in ["0191 445 3735", "0808 808 0000", "0191 445 8418"]:
        assert f"\u2066{number}\u2069" in text  # isolated: a bidi display keeps the order
    english = built.find("text").read_text(encoding="utf-8")
    assert "\u2066" not in english
