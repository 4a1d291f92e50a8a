"""A contact's number labelled by what it is for (issue 25): "Text:" before a number for
text messages, "Textphone:" before a textphone's, "Phone:" before a number to call, in
every writer, read back from the built files with a reader's tools."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, SAMPLE_SLUG, run_leaflet
from formats.audio import script
from formats.audio.speech import for_language
from formats.options import Assets, WriterOptions
from leaflet import source
from test_fidelity_braille import read_pages
from test_numbers import FRONT, words_of

CONTACTS = """
# Who to contact

::: contacts
- name: Crisis text line
  text: "85258"
- name: Deaf service
  textphone: 0113 496 0124
- name: Ward 4
  phone: 0113 496 0001
:::
"""
LABELLED = ("Text: 85258", "Textphone: 0113 496 0124", "Phone: 0113 496 0001")
MISLABELLED = ("Phone: 85258", "Phone: 0113 496 0124")
FORMATS = ("text", "html", "docx", "epub", "pdf")


def leaflet_text() -> str:
    return FRONT.format(title="Contacts", extra="") + CONTACTS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("labels")
    folder = root / "leaflet_src" / "contacts"
    folder.mkdir(parents=True)
    (folder / "leaflet.md").write_text(leaflet_text(), encoding="utf-8")
    out = root / "out"
    run_leaflet("--root", str(root), "build", "-e", "standard", "-o", str(out),
                *[arg for name in FORMATS for arg in ("-f", name)], check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {a["format"]: out / a["path"] for a in manifest["artifacts"]}


@pytest.mark.parametrize("format", FORMATS)
def test_every_writer_labels_a_number_by_what_it_is_for(built, format):
    words = " ".join(words_of(built[format], format).split())
    assert [label for label in LABELLED if label not in words] == [], words
    assert [label for label in MISLABELLED if label in words] == [], words


def parsed():
    return source.parse_text(leaflet_text(), "t.md", REPO / "leaflet_src" / SAMPLE_SLUG,
                             "contacts")


def test_braille_labels_a_number_by_what_it_is_for():
    pages = read_pages(parsed(), WriterOptions(), join_cut_words=True)
    read = " ".join(" ".join(line.strip() for line in page) for page in pages)
    read = " ".join(read.split())
    assert "Text: 85258" in read and "Textphone: 0113 496 0124" in read, read
    assert "Phone: 0113 496 0001" in read and "Phone: 85258" not in read, read


def test_audio_labels_a_number_by_what_it_is_for():
    options = WriterOptions(assets=Assets(folder=str(REPO / "leaflet_src" / SAMPLE_SLUG),
                                          pictograms=str(source.PICTOGRAMS)))
    said = [s.spoken for s in script.segments(parsed(), options, for_language("en-GB"))]
    assert "Text: eight five two five eight." in said
    assert "Textphone: oh one one three, four nine six, oh one two four." in said
    assert "Phone: oh one one three, four nine six, oh oh oh one." in said
