"""The plain text writer, checked against a reviewed golden file and for leaks of markup."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from formats.text import display_width, wrap

from conftest import REPO, run_leaflet

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


def test_numbers_in_contact_details_are_the_parsers_phone_numbers():
    """The hours' phone number (as libphonenumber reads it) is kept whole and left to
    right in Arabic text; a dose that only looks like digits is left alone."""
    import dataclasses
    from pathlib import Path

    from formats import text
    from formats.options import WriterOptions
    from leaflet import source

    leaflet = source.parse_text(
        "---\ntitle: T\norganisation: O\nlanguage: en-GB\npublished: 2025-01-01\n"
        "review: 2027-01-01\nrequests: Ring +44 (0)191 445 2180 to ask.\n---\n\n# Contacts\n\n"
        "::: contacts\n- name: Ward 5\n  phone: 0191 445 8418\n"
        "  hours: Doses of 250 500 750 mg are given at 9am; else ring 0191-445-2180\n:::\n",
        "leaflet.md", Path("."), "t")
    rtl = dataclasses.replace(leaflet, meta=dataclasses.replace(leaflet.meta, direction="rtl"))
    written = text.write(rtl, WriterOptions()).data.decode("utf-8")
    assert "\u2066+44 (0)191 445 2180\u2069" in written
    assert "\u20660191-445-2180\u2069" in written
    assert "Doses of 250 500 750 mg" in written and "\u2066250" not in written


def test_the_registry_holds_one_record_per_format(monkeypatch):
    import formats
    from formats import text
    from leaflet.errors import LeafletError

    record = formats.get("text")
    assert (record.extension, record.editions, record.label) == \
        ("txt", ("standard", "easy-read"), "Plain text")
    assert record.load() is text.write
    assert list(formats.FORMATS)[:5] == ["pdf", "docx", "epub", "html", "text"]
    orders = [fmt.order for fmt in formats.FORMATS.values()]
    assert orders == sorted(orders)
    with pytest.raises(LeafletError) as caught:
        formats.get("rtf")
    assert str(caught.value) == f"unknown format 'rtf' (formats: {', '.join(formats.FORMATS)})"
    assert "pdf, docx, epub, html, text" in str(caught.value)
    monkeypatch.setattr(formats, "FORMATS", dict(formats.FORMATS))
    formats.register(formats.Format("shout", "formats.text:write", ("standard",), "shout",
                                    "Shouted text", 3, 0.01))
    assert list(formats.FORMATS)[:4] == ["pdf", "docx", "epub", "shout"]


@pytest.mark.parametrize("lang, label", [("fr", "Téléphone : 0191 445 2180"),
                                         ("zh-Hans", "电话：0191 445 2180"),
                                         ("pl", "Telefon: 0191 445 2180")])
def test_a_label_is_followed_by_its_languages_colon(tmp_path, lang, label):
    # French sets a space before the colon, Chinese a full-width colon; neither is in CLDR
    root = tmp_path / "library"
    shutil.copytree(REPO / "tests" / "fixtures" / "thirty-languages", root)
    result = run_leaflet("--root", str(root), "build", "-l", lang, "-f", "text", "-e",
                         "standard", "-q")
    assert result.returncode == 0, result.stderr
    text = next((root / "build").rglob(f"*.{lang}.txt")).read_text(encoding="utf-8")
    assert label in [line.strip() for line in text.splitlines()], text
