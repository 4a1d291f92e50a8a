"""Agencies' formats: `export-translations` writes a language's catalogs as XLIFF 1.2, XLIFF
2.0 or PO (all messages, or those changed since a git revision), `import-translations`
brings an agency's file back through the checks a build makes, and `stats` counts words as
pocount does."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from lxml import etree

from conftest import SAMPLE_SLUG as SLUG
from conftest import add_to_sample, leaflet, library_copy
from test_translation_safety import REQUESTS

XLIFF = {"xliff": "urn:oasis:names:tc:xliff:document:1.2",
         "xliff2": "urn:oasis:names:tc:xliff:document:2.0"}
NEW = "A new paragraph of exactly eight words here."


def add(root, paragraph: str) -> None:
    """A paragraph added to the sample leaflet and merged into the Polish catalog."""
    add_to_sample(root, f"\n{paragraph}\n")
    leaflet(root, "update", "-l", "pl", SLUG, "-e", "standard")


def catalog(root):
    return root / "locales" / "pl" / f"{SLUG}.po"


def export(root, tmp_path, fmt: str, *args: str):
    out = tmp_path / "out"
    leaflet(root, "export-translations", "-l", "pl", SLUG, "--format", fmt, "-o", str(out),
            *args)
    return out / f"{SLUG}.pl.{'po' if fmt == 'po' else 'xlf'}"


def target_of(path, source: str, fmt: str):
    """The XML element of the unit whose source is ``source`` (its target, made if needed)."""
    tree = etree.parse(str(path))
    ns = {"x": XLIFF[fmt]}
    unit = "x:trans-unit" if fmt == "xliff" else "x:unit/x:segment"
    for element in tree.iterfind(f".//{unit}", ns):
        if element.find("x:source", ns).text == source:
            target = element.find("x:target", ns)
            if target is None:
                target = etree.SubElement(element, f"{{{XLIFF[fmt]}}}target")
            return tree, element, target
    raise AssertionError(source)


@pytest.mark.parametrize("fmt", ["xliff", "xliff2", "po"])
def test_an_unchanged_round_trip_changes_nothing(tmp_path, fmt):
    root = library_copy(tmp_path / "library")
    before = catalog(root).read_bytes()
    exported = export(root, tmp_path, fmt)
    if fmt != "po":
        assert f'xmlns="{XLIFF[fmt]}"'.encode() in exported.read_bytes()
    result = leaflet(root, "import-translations", str(exported))
    assert "0 messages changed" in result.stdout
    assert catalog(root).read_bytes() == before


@pytest.mark.parametrize("fmt", ["xliff", "xliff2"])
def test_an_agencys_translation_is_imported_and_builds(tmp_path, fmt):
    root = library_copy(tmp_path / "library")
    add(root, NEW)
    exported = export(root, tmp_path, fmt)
    tree, unit, target = target_of(exported, NEW, fmt)
    target.text = "Nowy akapit z dokładnie ośmioma słowami tutaj."
    tree.write(str(exported), xml_declaration=True, encoding="UTF-8")
    result = leaflet(root, "import-translations", str(exported))
    assert "1 message changed" in result.stdout
    assert 'msgstr "Nowy akapit z dokładnie ośmioma słowami tutaj."' in \
        catalog(root).read_text(encoding="utf-8")
    assert "PO-Revision-Date: YEAR" not in catalog(root).read_text(encoding="utf-8")
    assert leaflet(root, "check", "-l", "pl").returncode == 0


@pytest.mark.parametrize("fmt", ["xliff", "xliff2"])
@pytest.mark.parametrize("translation, message", [
    ("Zapytaj pielęgniarkę lub zadzwoń pod numer 0191 445 2181.",
     "phone number 0191 445 2180 is missing from the translation, which has 0191 445 2181"),
    ("Zapytaj pielęgniarkę lub zadzwoń &#x202E;0191 445 2180.", "U+202E Right-To-Left Override"),
    ("Zapytaj pielęgniarkę lub zadzwoń pod numer 0191 445 2180.\n\n# Nagłówek",
     "the translation starts a heading"),
])
def test_an_import_gets_the_checks_of_a_build_and_is_refused_whole(tmp_path, fmt, translation,
                                                                   message):
    root = library_copy(tmp_path / "library")
    add(root, NEW)
    before = catalog(root).read_bytes()
    exported = export(root, tmp_path, fmt)
    tree, _unit, target = target_of(exported, NEW, fmt)
    target.text = "Nowy akapit z dokładnie ośmioma słowami tutaj."
    unit, target = target_of_in(tree, REQUESTS, fmt)
    target.text = translation
    tree.write(str(exported), xml_declaration=True, encoding="UTF-8")
    result = leaflet(root, "import-translations", str(exported), check=False)
    assert result.returncode == 1
    assert f"{exported}:{unit.sourceline}: " in result.stderr and message in result.stderr
    assert catalog(root).read_bytes() == before


def target_of_in(tree, source: str, fmt: str):
    ns = {"x": XLIFF[fmt]}
    unit = "x:trans-unit" if fmt == "xliff" else "x:unit/x:segment"
    for element in tree.iterfind(f".//{unit}", ns):
        if element.find("x:source", ns).text == source:
            return element, element.find("x:target", ns)
    raise AssertionError(source)


def test_a_unit_whose_source_changed_is_refused(tmp_path):
    root = library_copy(tmp_path / "library")
    exported = export(root, tmp_path, "xliff")
    tree, unit, _target = target_of(exported, REQUESTS, "xliff")
    unit.find(f"{{{XLIFF['xliff']}}}source").text = "Something else."
    tree.write(str(exported), xml_declaration=True, encoding="UTF-8")
    result = leaflet(root, "import-translations", str(exported), check=False)
    assert result.returncode == 1
    assert f"{exported}:{unit.sourceline}: this unit's source text is not the catalog's" \
        in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_changed_since_exports_only_new_and_untranslated_messages(tmp_path):
    root = library_copy(tmp_path / "library")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "sample"], check=True)
    add(root, NEW)
    exported = export(root, tmp_path, "po", "--changed-since", "HEAD")
    import polib
    assert [e.msgid for e in polib.pofile(str(exported))] == [NEW]
    refused = leaflet(root, "export-translations", "-l", "pl", "--changed-since", "no-such-ref",
                      "-o", str(tmp_path / "x"), check=False)
    assert refused.returncode == 1 and "is not a git revision" in refused.stderr


def test_stats_counts_words_as_pocount_does(tmp_path):
    from translate.tools.pocount import wordcount

    import polib
    root = library_copy(tmp_path / "library")
    add(root, NEW)
    rows = json.loads(leaflet(root, "stats", "-l", "pl", "--json", check=False).stdout)
    row = next(r for r in rows if r["edition"] == "standard")
    pot = polib.pofile(str(root / "locales" / "templates" / f"{SLUG}.pot"))
    assert row["words"] == sum(wordcount(e.msgid) for e in pot) > 500
    assert (row["words_untranslated"], row["words_new"], row["words_fuzzy"]) == (8, 8, 0)
    table = leaflet(root, "stats", "-l", "pl", "--words", check=False).stdout
    assert "new words" in table.splitlines()[0]
    assert re.search(r"standard\s+pl\s+64\s+0\s+1\s+98%\s+0\s+0\s+\d+\s+8\s+0\s+8\s+DRAFT",
                     table), table
