"""The panel's coverage cache: a build of an unchanged library parses no leaflet and reads
no catalog for its panels, and the cache never answers for inputs it has not seen."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import polib
import pytest

from conftest import SAMPLE_SLUG
from leaflet.build import Selection, build
from leaflet.build.coverage_cache import CACHE_FOLDER, COVERAGE_FILE, CoverageCache
from leaflet.library import Library

from leaflet.build import plan

# the module, not the function of the same name its package exports
coverage_module = importlib.import_module("leaflet.i18n.coverage")
TEXT = Selection(formats=("text",), editions=("standard",))


@pytest.fixture
def root(sample_library, tmp_path) -> Path:
    target = tmp_path / "library"
    shutil.copytree(sample_library, target)
    return target


@pytest.fixture
def reads(monkeypatch) -> list[tuple]:
    """Every leaflet parsed and every catalog read for a coverage count, as they happen."""
    seen: list[tuple] = []
    parse_text, read_catalog = plan.source.parse_text, coverage_module.read_catalog

    def counted_parse(text, rel, *args, **kwargs):
        seen.append(("parse", rel))
        return parse_text(text, rel, *args, **kwargs)

    def counted_read(path, rel):
        seen.append(("catalog", rel))
        return read_catalog(path, rel)

    monkeypatch.setattr(plan.source, "parse_text", counted_parse)
    monkeypatch.setattr(coverage_module, "read_catalog", counted_read)
    return seen


def sources(root: Path, out: Path, tool: str = "tool 1") -> plan.Sources:
    return plan.Sources(Library(root), CoverageCache.in_output(out, tool))


def panel_langs(root: Path, out: Path, tool: str = "tool 1") -> list[str]:
    found = sources(root, out, tool)
    langs = [lang for lang, *_ in found.panel(SAMPLE_SLUG)]
    found.save_cache()
    return langs


def untranslate_one(catalog: Path) -> None:
    po = polib.pofile(str(catalog))
    entry = next(e for e in po if e.msgstr and not e.obsolete)
    entry.msgstr = ""
    po.save(str(catalog))


def test_a_warm_cache_gives_the_same_panel_without_parsing_or_reading_a_catalog(
        root, tmp_path, reads):
    out = tmp_path / "out"
    first = sources(root, out)
    listed = first.panel(SAMPLE_SLUG)
    first.save_cache()
    assert {lang for lang, *_ in listed} == {"en-GB", "ar", "bn", "pl"}
    assert ("parse", f"leaflet_src/{SAMPLE_SLUG}/easy-read.md") in reads
    assert (out / CACHE_FOLDER / COVERAGE_FILE).is_file()
    reads.clear()
    assert sources(root, out).panel(SAMPLE_SLUG) == listed
    assert reads == []


def test_an_edited_catalog_changes_the_panel_at_once(root, tmp_path):
    out = tmp_path / "out"
    assert "pl" in panel_langs(root, out)
    catalog = root / "locales" / "pl" / f"{SAMPLE_SLUG}.po"
    kept = catalog.read_bytes()
    untranslate_one(catalog)
    assert "pl" not in panel_langs(root, out)  # no longer complete: not offered
    catalog.write_bytes(kept)
    assert "pl" in panel_langs(root, out)


def test_an_edited_source_changes_the_panel_at_once(root, tmp_path):
    out = tmp_path / "out"
    assert panel_langs(root, out) == ["en-GB", "ar", "bn", "pl"]
    leaflet = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    leaflet.write_text(leaflet.read_text(encoding="utf-8") + "\nA sentence no one has "
                       "translated yet.\n", encoding="utf-8")
    assert panel_langs(root, out) == ["en-GB"]


def test_a_changed_sign_off_file_is_counted_again(root, tmp_path, reads):
    out = tmp_path / "out"
    panel_langs(root, out)
    reviews = root / "locales" / "pl" / "reviews.yaml"
    reviews.write_text("{}\n", encoding="utf-8")
    reads.clear()
    panel_langs(root, out)
    assert {rel for kind, rel in reads if kind == "catalog"} == {
        f"locales/pl/{SAMPLE_SLUG}.po", f"locales/pl/{SAMPLE_SLUG}.easy-read.po"}


def test_another_tool_counts_again(root, tmp_path, reads):
    out = tmp_path / "out"
    panel_langs(root, out, tool="tool 1")
    reads.clear()
    panel_langs(root, out, tool="tool 2")
    assert ("catalog", f"locales/ar/{SAMPLE_SLUG}.po") in reads


@pytest.mark.parametrize("content", ["not json", "[]", '{"format": 1, "entries": 3}',
                                     '{"format": 1, "entries": {"x": 1}}'])
def test_a_broken_cache_file_is_an_empty_cache(root, tmp_path, content):
    out = tmp_path / "out"
    expected = panel_langs(root, out)
    cache = out / CACHE_FOLDER / COVERAGE_FILE
    cache.write_text(content, encoding="utf-8")
    assert panel_langs(root, out) == expected
    assert json.loads(cache.read_text(encoding="utf-8"))["format"] == 1  # made again


def test_a_cache_entry_with_another_key_is_not_used(root, tmp_path):
    out = tmp_path / "out"
    panel_langs(root, out)
    cache = out / CACHE_FOLDER / COVERAGE_FILE
    data = json.loads(cache.read_text(encoding="utf-8"))
    entry = data["entries"][f"{SAMPLE_SLUG}/pl/standard"]
    entry["coverage"]["untranslated"] = 50  # a forged count under a stale key
    entry["key"] = "0" * 64
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert "pl" in panel_langs(root, out)


def test_a_linked_cache_folder_is_neither_read_nor_written(root, tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / CACHE_FOLDER).symlink_to(elsewhere)
    panel_langs(root, out)
    assert list(elsewhere.iterdir()) == []


def test_a_no_op_build_parses_no_leaflet_and_reads_no_catalog(root, tmp_path, reads):
    library, out = Library(root), tmp_path / "out"
    first = build(library, out, TEXT, jobs=1)
    assert first.count("built") == 4 and not first.failed
    reads.clear()
    again = build(library, out, TEXT, jobs=1)
    assert again.count("skipped") == 4 and again.count("built") == 0
    assert reads == []


def test_a_one_language_build_reads_only_what_it_builds(root, tmp_path, reads):
    library, out = Library(root), tmp_path / "out"
    english = Selection(leaflets=(SAMPLE_SLUG,), formats=("text",), editions=("standard",),
                        langs=("en-GB",))
    build(library, out, english, jobs=1)
    reads.clear()
    forced = build(library, out, english, force=True, jobs=1)
    assert forced.count("built") == 1 and not forced.failed
    assert reads == [("parse", f"leaflet_src/{SAMPLE_SLUG}/leaflet.md")]
