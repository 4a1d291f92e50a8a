"""What a build keeps in ``<out>/.cache``: the panel's coverage of each catalog, its
languages' names, the braille and audio records' availability answers, and the index
page's compiled templates.  A build of an unchanged library parses no leaflet, reads no
catalog and loads no braille or audio stack for its panels, and the cache never answers
for inputs it has not seen."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import formats
from conftest import REPO, SAMPLE_SLUG
from formats import braille
from formats import index as index_writer
from leaflet.build import Selection, build
from leaflet.build import index as library_index
from leaflet.build.coverage_cache import CACHE_FOLDER, CACHE_FORMAT, COVERAGE_FILE, CoverageCache
from leaflet.library import Library

from leaflet.build import plan

# the module, not the function of the same name its package exports
coverage_module = importlib.import_module("leaflet.i18n.coverage")
TEXT = Selection(formats=("text",), editions=("standard",))
ENGLISH = Selection(leaflets=(SAMPLE_SLUG,), formats=("text",), editions=("standard",),
                    langs=("en-GB",))
PANEL_LINE = "- English: Standard print, Large print, Easy read, Braille, Audio\n"


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


@pytest.mark.parametrize("content", [
    "not json", "[]", f'{{"format": {CACHE_FORMAT}, "entries": 3, "answers": {{}}}}',
    f'{{"format": {CACHE_FORMAT}, "entries": {{"x": 1}}, "answers": {{}}}}',
    f'{{"format": {CACHE_FORMAT}, "entries": {{}}, "answers": 3}}',
    '{"format": 1, "entries": {}}'])
def test_a_broken_cache_file_is_an_empty_cache(root, tmp_path, content):
    out = tmp_path / "out"
    expected = panel_langs(root, out)
    cache = out / CACHE_FOLDER / COVERAGE_FILE
    cache.write_text(content, encoding="utf-8")
    assert panel_langs(root, out) == expected
    assert json.loads(cache.read_text(encoding="utf-8"))["format"] == CACHE_FORMAT  # made again


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


# The panel's names and formats ------------------------------------------------------------

@pytest.fixture
def asked(monkeypatch) -> list[tuple]:
    """Every language named for a panel and every record's availability hook asked."""
    seen: list[tuple] = []
    panel_name, unavailable = plan.panel_name, formats.Format.unavailable

    def counted_name(tag, others=()):
        seen.append(("name", tag))
        return panel_name(tag, others)

    def counted_unavailable(fmt, lang, options):
        seen.append((fmt.name, lang))
        return unavailable(fmt, lang, options)

    monkeypatch.setattr(plan, "panel_name", counted_name)
    monkeypatch.setattr(formats.Format, "unavailable", counted_unavailable)
    return seen


def english_text(out: Path) -> Path:
    return out / SAMPLE_SLUG / "en-GB" / f"{SAMPLE_SLUG}.en-GB.txt"


def test_a_warm_build_names_the_panel_and_its_braille_and_audio_from_the_cache(
        root, tmp_path, asked):
    library, out = Library(root), tmp_path / "out"
    build(library, out, ENGLISH, jobs=1)
    first = english_text(out).read_bytes()
    assert PANEL_LINE in first.decode("utf-8")
    assert {kind for kind, _ in asked} == {"name", "brf", "audio"}
    asked.clear()
    forced = build(library, out, ENGLISH, force=True, jobs=1)
    assert forced.count("built") == 1 and not forced.failed
    assert asked == []
    assert english_text(out).read_bytes() == first


def test_availability_is_asked_again_when_the_machine_or_the_theme_changes(
        root, tmp_path, asked, monkeypatch):
    library, out = Library(root), tmp_path / "out"
    build(library, out, ENGLISH, jobs=1)
    first = english_text(out).read_bytes()
    asked.clear()
    monkeypatch.setattr(braille, "probe", lambda: "liblouis upgraded")
    build(library, out, ENGLISH, force=True, jobs=1)
    # brf and pef share one hook: asked once per language of the panel, audio not at all
    assert sorted(asked) == [("brf", lang) for lang in ("ar", "bn", "en-GB", "pl")]
    asked.clear()
    (root / "theme" / "voice.yaml").write_text("{}\n", encoding="utf-8")
    build(library, out, ENGLISH, force=True, jobs=1)
    assert {kind for kind, _ in asked} == {"brf", "audio"}
    assert english_text(out).read_bytes() == first


def test_the_probes_look_where_the_engines_do_and_see_a_file_change(tmp_path):
    from formats import audio
    from formats.audio import engine
    from formats.braille import tables

    assert audio.ESPEAK == engine.ESPEAK
    assert tables.DEFAULT_TABLE_FOLDER in braille.TABLE_FOLDERS
    assert audio.probe() == audio.probe() and braille.probe() == braille.probe()
    folder = tmp_path / "tables"
    (folder / "more").mkdir(parents=True)
    (folder / "more" / "pl.ctb").write_text("a", encoding="utf-8")
    stamps = [formats.files_stamp(folder, tmp_path / "missing")]
    (folder / "more" / "pl.ctb").write_text("ab", encoding="utf-8")
    stamps.append(formats.files_stamp(folder, tmp_path / "missing"))
    (folder / "cs.ctb").write_text("ab", encoding="utf-8")
    stamps.append(formats.files_stamp(folder, tmp_path / "missing"))
    (tmp_path / "missing").write_text("", encoding="utf-8")
    stamps.append(formats.files_stamp(folder, tmp_path / "missing"))
    assert len(set(stamps)) == 4


def test_a_warm_text_build_of_one_leaflet_loads_no_braille_or_audio_stack(root, tmp_path):
    command = [sys.executable, "-c", (
        "import sys\nfrom cli import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print(sorted(m for m in sys.modules if m.startswith(('formats.braille.', "
        "'formats.audio.', 'mutagen'))))\n"),
        "--root", str(root), "build", SAMPLE_SLUG, "-f", "text", "-l", "en-GB", "-e",
        "standard", "-o", str(tmp_path / "out"), "-q", "--force"]
    cold, warm = (subprocess.run(command, cwd=REPO, capture_output=True, text=True,
                                 timeout=300) for _ in range(2))
    assert cold.returncode == 0 and warm.returncode == 0, cold.stderr + warm.stderr
    assert "formats.braille.tables" in cold.stdout  # the first build asked liblouis
    assert warm.stdout.strip().splitlines()[-1] == "[]"


# The index page's compiled templates ------------------------------------------------------

ENTRIES = [{"leaflet": "ct", "lang": lang, "format": "html", "edition": "standard",
            "size_pt": 12.0, "path": f"ct/{lang}/ct.{lang}.html", "bytes": 100,
            "title": "CT", "review": "2030-01-01", "draft": False} for lang in ("en-GB", "pl")]
TODAY = dt.date(2025, 1, 1)


def test_the_index_is_the_same_from_compiled_templates_and_compiles_once(tmp_path,
                                                                          monkeypatch):
    plain = index_writer.render_library(ENTRIES, today=TODAY)
    folder = tmp_path / "compiled"
    folder.mkdir()
    assert index_writer.render_library(ENTRIES, today=TODAY,
                                       compiled_templates=str(folder)) == plain
    assert [p.suffix for p in folder.iterdir()] == [".cache"]

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(index_writer.jinja2.Environment, "compile", no_compiling)
    assert index_writer.render_library(ENTRIES, today=TODAY,
                                       compiled_templates=str(folder)) == plain
    for kept in folder.iterdir():  # a damaged file is compiled again, not a failure
        kept.write_bytes(b"not bytecode")
    monkeypatch.undo()
    assert index_writer.render_library(ENTRIES, today=TODAY,
                                       compiled_templates=str(folder)) == plain


def test_the_builder_keeps_templates_only_in_a_folder_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "out"
    library_index.write_index(out, ENTRIES, today=TODAY)
    kept = tmp_path / "cache" / "leaflet" / "jinja"
    assert kept.is_dir() and (kept.stat().st_mode & 0o777) == 0o700 and any(kept.iterdir())
    assert not (out / CACHE_FOLDER / "jinja").exists()  # never beside the library's outputs
    page = (out / "index.html").read_bytes()

    for item in kept.iterdir():
        item.unlink()
    kept.chmod(0o770)  # others could put code there: not used
    library_index.write_index(out, ENTRIES, today=TODAY)
    assert not any(kept.iterdir()) and (out / "index.html").read_bytes() == page

    kept.chmod(0o700)
    shutil.rmtree(kept)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    kept.symlink_to(elsewhere)  # a link: not used
    library_index.write_index(out, ENTRIES, today=TODAY)
    assert list(elsewhere.iterdir()) == [] and (out / "index.html").read_bytes() == page


def test_compiled_templates_are_kept_in_the_users_cache_never_in_the_library(tmp_path,
                                                                            monkeypatch):
    # compiled templates are run: a library someone sends could bring its own in build/
    from leaflet.build.coverage_cache import TEMPLATES_FOLDER, private_folder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = private_folder(TEMPLATES_FOLDER)
    assert folder == tmp_path / "cache" / "leaflet" / TEMPLATES_FOLDER
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    folder.chmod(0o777)  # open to others: not used
    assert private_folder(TEMPLATES_FOLDER) is None
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert private_folder(TEMPLATES_FOLDER) is None
