"""Context for one occurrence of a repeated string: an author's ``{context="..."}`` at the end
of a heading, paragraph, list item or table cell becomes the message's msgctxt, so "White"
said of a tablet and "White" said of a cream get two translations (Polish makes a colour
agree with its noun), through extraction, update, the checks, the build and the agencies'
files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from leaflet.i18n import agencies

from conftest import REPO
from conftest import SAMPLE_SLUG as SLUG
from test_translation_safety import leaflet as run

COLOURS = """

# Your medicines

| Medicine | Colour |
| --- | --- |
| Letrozole tablet | White {context="tablet colour"} |
| Moisturising cream | White {context="cream colour"} |
"""
POLISH = {
    ("tablet colour", "White"): "Biała",
    ("cream colour", "White"): "Biały",
    ("", "Your medicines"): "Twoje leki",
    ("", "Medicine"): "Lek",
    ("", "Colour"): "Kolor",
    ("", "Letrozole tablet"): "Tabletka letrozolu",
    ("", "Moisturising cream"): "Krem nawilżający",
}


def library(tmp_path: Path, source: str = COLOURS) -> Path:
    root = tmp_path / "library"
    for name in ("leaflet_src", "locales", "theme"):
        shutil.copytree(REPO / name, root / name)
    path = root / "leaflet_src" / SLUG / "leaflet.md"
    path.write_text(path.read_text(encoding="utf-8") + source, encoding="utf-8")
    return root


def catalog(root: Path) -> Path:
    return root / "locales" / "pl" / f"{SLUG}.po"


def translate(root: Path, texts: dict = POLISH) -> None:
    po = polib.pofile(str(catalog(root)))
    for entry in po:
        key = (entry.msgctxt or "", entry.msgid)
        if key in texts:
            entry.msgstr = texts[key]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(catalog(root)))


@pytest.fixture(scope="module")
def translated(tmp_path_factory) -> Path:
    root = library(tmp_path_factory.mktemp("context"))
    run(root, "update", "-l", "pl", SLUG, "-e", "standard")
    translate(root)
    return root


def test_each_context_is_its_own_message_in_the_template_and_catalog(translated):
    pot = polib.pofile(str(translated / "locales" / "templates" / f"{SLUG}.pot"))
    whites = [(e.msgctxt, e.msgid) for e in pot if e.msgid == "White"]
    assert whites == [("tablet colour", "White"), ("cream colour", "White")]
    po = polib.pofile(str(catalog(translated)))
    assert {(e.msgctxt, e.msgstr) for e in po if e.msgid == "White"} == \
        {("tablet colour", "Biała"), ("cream colour", "Biały")}
    assert not any("{context" in e.msgid for e in pot)


def test_white_in_two_contexts_gets_two_translations_in_polish(translated, tmp_path):
    result = run(translated, "check", "-l", "pl", check=False)
    assert result.returncode == 0 and "locales/pl" not in result.stderr, result.stderr
    run(translated, "build", "-f", "text", "-l", "pl", "-o", str(tmp_path / "out"), SLUG)
    (text_file,) = (tmp_path / "out").rglob(f"{SLUG}.pl.txt")
    text = text_file.read_text(encoding="utf-8")
    assert "Biała" in text and "Biały" in text
    assert "{context" not in text and "tablet colour" not in text
    run(translated, "build", "-f", "text", "-l", "en-GB", "-o", str(tmp_path / "en"), SLUG)
    (english,) = (tmp_path / "en").rglob(f"{SLUG}.en-GB.txt")
    assert "{context" not in english.read_text(encoding="utf-8")


def test_giving_a_repeated_string_a_context_starts_it_fuzzy_from_its_translation(tmp_path):
    root = library(tmp_path, COLOURS.replace(' {context="tablet colour"}', "")
                   .replace(' {context="cream colour"}', ""))
    run(root, "update", "-l", "pl", SLUG, "-e", "standard")
    translate(root, {("", "White"): "Biały"})
    source = root / "leaflet_src" / SLUG / "leaflet.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("| Letrozole tablet | White |",
                                   '| Letrozole tablet | White {context="tablet colour"} |'),
                      encoding="utf-8")
    run(root, "update", "-l", "pl", SLUG, "-e", "standard")
    entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(catalog(root)))
               if not e.obsolete}
    kept = entries[(None, "White")]
    assert kept.msgstr == "Biały" and "fuzzy" not in kept.flags
    new = entries[("tablet colour", "White")]
    assert new.msgstr == "Biały" and "fuzzy" in new.flags and new.previous_msgid == "White"


def test_the_catalog_with_contexts_is_as_gnu_msgcat_writes_it(translated):
    msgcat = shutil.which("msgcat")
    if msgcat is None:
        pytest.fail("GNU gettext's msgcat is missing: apt-get install gettext")
    run(translated, "update", "-l", "pl", SLUG, "-e", "standard")  # written by the tool
    text = catalog(translated).read_text(encoding="utf-8")
    assert 'msgctxt "tablet colour"' in text
    result = subprocess.run([msgcat, str(catalog(translated))], capture_output=True, text=True,
                            check=True)
    assert result.stdout == text


def test_an_agencys_units_are_told_apart_by_context_and_come_back(translated, tmp_path):
    agencies.export(_library(translated), "pl", [SLUG], "xliff", tmp_path)
    path = tmp_path / f"{SLUG}.pl.xlf"
    data = path.read_text(encoding="utf-8")
    assert "Context: tablet colour" in data and "Context: cream colour" in data
    data = data.replace(">Biała<", ">Biała (tabletka)<")
    path.write_text(data, encoding="utf-8")
    run(translated, "import-translations", str(path))
    po = polib.pofile(str(catalog(translated)))
    assert {(e.msgctxt, e.msgstr) for e in po if e.msgid == "White"} == \
        {("tablet colour", "Biała (tabletka)"), ("cream colour", "Biały")}
    translate(translated)


def _library(root: Path):
    from leaflet.library import Library
    return Library(root)


@pytest.mark.parametrize("cell, message", [
    ("White {context=tablet colour}", "at the very end of the text, in double quotes"),
    ('White {context="tablet colour"} tablet', "at the very end of the text, in double quotes"),
    ('{context="tablet colour"}', "needs words of its own and words to give them to"),
    ('White {context=""}', "needs words of its own and words to give them to"),
])
def test_a_context_written_wrong_is_an_error_at_its_line(tmp_path, cell, message):
    root = library(tmp_path, COLOURS.replace('White {context="tablet colour"}', cell))
    result = run(root, "check", SLUG, check=False)
    assert result.returncode == 1
    assert f"leaflet.md:{_line_of(root, cell)}: " in result.stderr and message in result.stderr


def _line_of(root: Path, text: str) -> int:
    lines = (root / "leaflet_src" / SLUG / "leaflet.md").read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if text in line)
