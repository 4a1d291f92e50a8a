"""The builder: the matrix, the cache, parallel workers, atomic writes, shards and the
manifest, as `leaflet build` and `leaflet merge-manifests` use them."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

import formats
from formats import FORMATS, Format, Rendered
from formats.options import DEFAULT_SIZE_PT
from conftest import REPO, SAMPLE_SLUG, run_leaflet, spawn_leaflet
from leaflet import build
from leaflet.build import keys, run
from leaflet.build.plan import Sources
from leaflet.library import Library

SECOND_SLUG = "second-leaflet"


def copy_library(sample_library: Path, tmp_path: Path, second: bool = False) -> Path:
    """A private copy of the sample library; with ``second``, a second leaflet (a copy
    of the sample under another name, with its Polish catalog) so that there is more
    than one leaflet to slice."""
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    if second:
        shutil.copytree(root / "leaflet_src" / SAMPLE_SLUG, root / "leaflet_src" / SECOND_SLUG)
        shutil.copy(root / "locales" / "pl" / f"{SAMPLE_SLUG}.po",
                    root / "locales" / "pl" / f"{SECOND_SLUG}.po")
    return root


def manifest(out: Path) -> dict[str, dict]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {e["path"]: e for e in data["artifacts"]}


def build_json(root: Path, *args: str, env: dict | None = None) -> dict:
    result = run_leaflet("--root", str(root), "build", "--json", *args, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    summary = json.loads(result.stdout)
    summary["returncode"] = result.returncode
    return summary


# A writer for these tests only, registered as a format in this process by one record: it
# fails, crashes or hangs on command, so that the tests can see what the builder does.

FAKE = {"mode": "ok", "lang": None}
FAKE_FORMAT = Format(name="fake", writer=f"{__name__}:fake_write",
                     editions=("standard", "large-print"), extension="fake",
                     label="Fake words", order=99, cost=0.1)


def fake_write(leaflet, options) -> Rendered:
    if FAKE["lang"] in (None, leaflet.meta.language):
        if FAKE["mode"] == "raise":
            raise RuntimeError("the fake writer broke")
        if FAKE["mode"] == "crash":
            os._exit(3)  # as a worker killed by a crash in a C library would
        if FAKE["mode"] == "hang":
            time.sleep(600)  # as a writer stuck in a loop would
        if FAKE["mode"] == "slow":
            time.sleep(1.0)
    words = f"{leaflet.meta.title} {leaflet.meta.language} {options.edition}\n"
    return Rendered(words.encode())


@pytest.fixture
def fake_format(monkeypatch):
    saved = dict(FORMATS)
    formats.register(FAKE_FORMAT)
    monkeypatch.setitem(FAKE, "mode", "ok")
    monkeypatch.setitem(FAKE, "lang", None)
    yield FAKE
    FORMATS.clear()
    FORMATS.update(saved)


# The matrix --------------------------------------------------------------------------------

def test_the_matrix_is_every_language_format_and_edition_and_selectors_narrow_it(
        sample_library, tmp_path):
    library = Library(copy_library(sample_library, tmp_path))
    everything, problems = build.plan_jobs(library, build.Selection())
    assert not problems
    languages = {"en-GB", *library.catalog_languages(SAMPLE_SLUG)}
    assert {j.lang for j in everything} == languages
    assert {j.format for j in everything} == set(FORMATS)
    for job in everything:
        assert job.edition in FORMATS[job.format].editions
        # easy read only where its source and (for a translation) its catalog exist
        if job.edition == "easy-read":
            assert job.lang == "en-GB" or library.catalog(job.lang, SAMPLE_SLUG,
                                                          "easy-read").is_file()
    assert len(everything) == len(set(everything))

    narrowed, _ = build.plan_jobs(library, build.Selection(formats=("text",), langs=("pl",)))
    assert narrowed == [j for j in everything if j.format == "text" and j.lang == "pl"]
    large, _ = build.plan_jobs(library, build.Selection(editions=("large-print",)))
    assert large and all(j.edition == "large-print" for j in large)
    assert {j.format for j in large} == {name for name, f in FORMATS.items()
                                         if "large-print" in f.editions}

    _, problems = build.plan_jobs(library, build.Selection(formats=("rtf",)))
    assert str(problems[0]) == f"unknown format 'rtf' (formats: {', '.join(FORMATS)})"


def test_every_artifact_of_a_leaflet_and_language_shares_one_parse(sample_library, tmp_path,
                                                                     monkeypatch):
    root = copy_library(sample_library, tmp_path)
    calls = []
    original = run.prepare

    def counting_prepare(library, leaflets, group, strict):
        calls.append(group)
        return original(library, leaflets, group, strict)

    monkeypatch.setattr(run, "prepare", counting_prepare)
    selection = build.Selection(formats=("text",), editions=("standard",))
    report = build.build(Library(root), tmp_path / "out", selection, jobs=1)
    assert not report.failed
    assert len(calls) == len(set(calls)) == len({o.job.group for o in report.outcomes})


# The cache ---------------------------------------------------------------------------------

def test_a_second_build_rebuilds_nothing_and_force_rebuilds_everything(sample_library,
                                                                        tmp_path):
    root = copy_library(sample_library, tmp_path)
    first = build_json(root, "-f", "text", "-e", "standard")
    assert first["returncode"] == 0 and first["built"] > 0 and first["failed"] == 0
    before = manifest(root / "build")
    second = build_json(root, "-f", "text", "-e", "standard")
    assert (second["built"], second["skipped"]) == (0, first["built"])
    assert manifest(root / "build") == before
    forced = build_json(root, "-f", "text", "-e", "standard", "--force")
    assert forced["built"] == first["built"]


def test_a_changed_catalog_rebuilds_only_its_language(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    build_json(root, "-f", "text", "-e", "standard")
    before = manifest(root / "build")
    catalog = root / "locales" / "pl" / f"{SAMPLE_SLUG}.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n# a translator's note\n",
                       encoding="utf-8")
    summary = build_json(root, "-f", "text", "-e", "standard")
    after = manifest(root / "build")
    rebuilt = {p for p in after if after[p]["key"] != before[p]["key"]}
    assert rebuilt and {after[p]["lang"] for p in rebuilt} == {"pl"}
    assert summary["built"] == len(rebuilt)
    assert summary["skipped"] == len(after) - len(rebuilt)


def test_a_damaged_output_file_is_rebuilt(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    build_json(root, "-f", "text", "-e", "standard", "-l", "en-GB")
    entry = next(iter(manifest(root / "build").values()))
    target = root / "build" / entry["path"]
    target.write_bytes(b"damaged")
    assert build_json(root, "-f", "text", "-e", "standard", "-l", "en-GB")["built"] == 1
    assert target.read_bytes() != b"damaged"


def test_a_touched_theme_rebuilds_everything_that_uses_it(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    first = build_json(root, "-f", "text", "-e", "standard")
    theme = root / "theme" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
    assert build_json(root, "-f", "text", "-e", "standard")["built"] == first["built"]


def copy_tool(tmp_path: Path) -> Path:
    """A copy of the tool's own files, since the tests must not change the real ones."""
    copy = tmp_path / "tool"
    for package in ("leaflet", "formats"):
        shutil.copytree(REPO / package, copy / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "cli.py", copy / "cli.py")
    return copy


def test_the_tool_part_of_a_key_is_every_file_of_the_tool_but_the_index_pages(tmp_path):
    copy = copy_tool(tmp_path)

    def fingerprint():
        keys.tool_fingerprint.cache_clear()
        return keys.tool_fingerprint(copy)

    try:
        first = fingerprint()
        assert first.startswith(f"{build.keys.__version__}:")
        touched = []
        for name in ("formats/templates/body.html", "formats/text.py",
                     "leaflet/source/blocks.py", "cli.py", "formats/pictograms/pictograms.yaml"):
            path = copy / name
            path.write_bytes(path.read_bytes() + b"\n")
            touched.append(fingerprint())
        assert len({first, *touched}) == len(touched) + 1  # each change is a new key
        before = fingerprint()
        for name in sorted(keys.INDEX_ONLY):
            path = copy / name
            path.write_bytes(path.read_bytes() + b"\n")
        assert fingerprint() == before  # the index page is no cached artifact
    finally:
        keys.tool_fingerprint.cache_clear()


def test_the_installed_fonts_are_in_the_tool_part_of_a_key(tmp_path, monkeypatch):
    copy = copy_tool(tmp_path)
    fonts = [["/fonts/a.ttf|1"]]
    monkeypatch.setattr(keys, "installed_fonts", lambda: fonts[0])
    try:
        keys.tool_fingerprint.cache_clear()
        first = keys.tool_fingerprint(copy)
        fonts[0] = ["/fonts/a.ttf|1", "/fonts/b.ttf|2"]
        keys.tool_fingerprint.cache_clear()
        assert keys.tool_fingerprint(copy) != first
    finally:
        keys.tool_fingerprint.cache_clear()
    monkeypatch.undo()
    if shutil.which("fc-list"):  # the real list, as fontconfig gives it: file and version
        assert any(line.split("|")[0].endswith((".ttf", ".otf", ".ttc"))
                   for line in keys.installed_fonts())


@pytest.mark.slow  # a whole build or process: the full tier
def test_a_changed_index_stylesheet_rebuilds_nothing_but_the_index_page(sample_library,
                                                                        tmp_path):
    """Run against a copy of the tool, changed as a developer would change it."""
    copy = copy_tool(tmp_path)
    root = copy_library(sample_library, tmp_path)
    out = tmp_path / "out"

    def build_with_copy():  # a process of its own, so that it runs the copy's code
        result = spawn_leaflet("--root", str(root), "build", "--json", "-f", "text", "-e",
                               "standard", "-o", str(out), cwd=copy)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    first = build_with_copy()
    assert first["built"] > 0 and first["failed"] == 0
    before = manifest(out)
    css = copy / "formats" / "templates" / "index.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.changed-by-the-test { color: red; }\n",
                   encoding="utf-8")
    second = build_with_copy()
    assert (second["built"], second["skipped"]) == (0, first["built"])
    assert manifest(out) == before
    assert ".changed-by-the-test" in (out / "index.html").read_text(encoding="utf-8")

    writer = copy / "formats" / "text.py"
    writer.write_text(writer.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build_with_copy()["built"] == first["built"]  # a writer's change rebuilds


def test_a_vanished_language_is_removed_with_its_files(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    build_json(root, "-f", "text", "-e", "standard")
    polish = [e for e in manifest(root / "build").values() if e["lang"] == "pl"]
    assert polish
    (root / "locales" / "pl" / f"{SAMPLE_SLUG}.po").unlink()
    build_json(root, "-f", "text", "-e", "standard", "-l", "en-GB")
    after = manifest(root / "build")
    assert not any(e["lang"] == "pl" for e in after.values())
    assert not any((root / "build" / e["path"]).exists() for e in polish)
    assert all((root / "build" / p).is_file() for p in after)


# Failures ------------------------------------------------------------------------------

@pytest.mark.parametrize("jobs", [1, 2])
def test_a_writer_that_raises_leaves_the_previous_file_and_the_others_are_built(
        sample_library, tmp_path, fake_format, monkeypatch, jobs):
    monkeypatch.setattr(run, "POOL_MIN_SECONDS", 0.0)  # use the pool even for tiny jobs
    library = Library(copy_library(sample_library, tmp_path))
    out = tmp_path / "out"
    selection = build.Selection(formats=("fake",))
    first = build.build(library, out, selection, jobs=jobs)
    assert not first.failed and first.workers == jobs
    before = manifest(out)
    polish = {p: (out / p).read_bytes() for p, e in before.items() if e["lang"] == "pl"}

    catalog = library.catalog("pl", SAMPLE_SLUG)  # so that everything Polish is rebuilt
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n# note\n", encoding="utf-8")
    (library.theme / "theme.yaml").write_text(
        (library.theme / "theme.yaml").read_text(encoding="utf-8") + "\n# note\n",
        encoding="utf-8")  # and everything else too
    fake_format.update(mode="raise", lang="pl")
    second = build.build(library, out, selection, jobs=jobs)
    assert second.failed
    failed = [o for o in second.outcomes if o.status == "failed"]
    assert {o.job.lang for o in failed} == {"pl"}
    assert all("the fake writer broke" in o.error for o in failed)
    assert {o.status for o in second.outcomes if o.job.lang != "pl"} == {"built"}
    assert {p: (out / p).read_bytes() for p in polish} == polish  # the old files, intact
    after = manifest(out)
    assert set(after) == set(before)
    assert all(after[p] == before[p] for p in polish)  # old entries: rebuilt next time
    assert not list(out.rglob("*.tmp"))


def test_a_worker_that_dies_fails_its_artifact_only(sample_library, tmp_path, fake_format,
                                                    monkeypatch):
    monkeypatch.setattr(run, "POOL_MIN_SECONDS", 0.0)
    library = Library(copy_library(sample_library, tmp_path))
    fake_format.update(mode="crash", lang="ar")
    report = build.build(library, tmp_path / "out", build.Selection(formats=("fake",)), jobs=2)
    failed = [o for o in report.outcomes if o.status == "failed"]
    assert failed and {o.job.lang for o in failed} == {"ar"}
    assert all("stopped" in o.error for o in failed)
    assert {o.status for o in report.outcomes if o.job.lang != "ar"} == {"built"}


def test_workers_are_replaced_after_a_number_of_tasks(sample_library, tmp_path, fake_format,
                                                      monkeypatch):
    monkeypatch.setattr(run, "POOL_MIN_SECONDS", 0.0)
    monkeypatch.setattr(run, "MAX_TASKS_PER_WORKER", 2)
    library = Library(copy_library(sample_library, tmp_path, second=True))
    report = build.build(library, tmp_path / "out", build.Selection(formats=("fake",)), jobs=2)
    assert not report.failed
    assert report.count("built") > 4 * run.MAX_TASKS_PER_WORKER


def test_a_failing_artifact_makes_the_command_exit_1_and_the_rest_are_built(sample_library,
                                                                            tmp_path):
    root = copy_library(sample_library, tmp_path)
    catalog = root / "locales" / "pl" / f"{SAMPLE_SLUG}.po"
    catalog.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       'msgid "broken\nmsgstr "x"\n', encoding="utf-8")
    result = run_leaflet("--root", str(root), "build", "-f", "text", "-e", "standard")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"locales/pl/{SAMPLE_SLUG}.po" in result.stderr
    built = manifest(root / "build")
    assert {e["lang"] for e in built.values()} == \
        {"en-GB", *Library(root).catalog_languages(SAMPLE_SLUG)} - {"pl"}


# Reproducible --------------------------------------------------------------------------

@pytest.mark.slow  # every format twice, audio included
def test_two_builds_of_every_format_are_byte_identical(tmp_path):
    """The whole sample, every format, edition and language, built twice in two places
    (the keys' stability is the no-op rebuild's test)."""
    once, again = tmp_path / "once", tmp_path / "again"
    for out in (once, again):
        run_leaflet("build", "-o", str(out), check=True)
    first, second = manifest(once), manifest(again)
    assert set(first) == set(second)
    assert {e["format"] for e in first.values()} == set(FORMATS)
    for path in first:
        assert (once / path).read_bytes() == (again / path).read_bytes(), path


# Shards --------------------------------------------------------------------------------

def test_shards_cover_the_matrix_once(sample_library, tmp_path):
    library = Library(copy_library(sample_library, tmp_path, second=True))
    everything, _ = build.plan_jobs(library, build.Selection())
    for count in range(1, 6):
        slices = [build.shard_jobs(everything, i, count) for i in range(1, count + 1)]
        union = [job for part in slices for job in part]
        assert sorted(union) == sorted(everything)
        assert len(union) == len(set(union))  # no artifact in two slices
        assert slices == [build.shard_jobs(list(reversed(everything)), i, count)
                          for i in range(1, count + 1)]  # the same slices whatever the order
        for part in slices:  # a leaflet in one language is parsed in one slice only
            groups = {job.group for job in part}
            assert all(job in part for job in everything if job.group in groups)
    assert all(build.shard_jobs(everything, i, 2) for i in (1, 2))


def test_shards_built_apart_merge_into_the_whole_build(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path, second=True)
    whole = tmp_path / "whole"
    run_leaflet("--root", str(root), "build", "-f", "text", "-e", "standard", "-o", str(whole),
                check=True)
    shards = [tmp_path / f"shard{i}" for i in (1, 2, 3)]
    for i, folder in enumerate(shards, 1):
        run_leaflet("--root", str(root), "build", "-f", "text", "-e", "standard", "--shard",
                    f"{i}/3", "-o", str(folder), check=True)
    parts = [set(manifest(folder)) for folder in shards]
    assert all(parts) and sum(map(len, parts)) == len(set().union(*parts))

    merged = tmp_path / "merged"
    result = run_leaflet("--root", str(root), "merge-manifests", "-o", str(merged),
                         *map(str, shards), check=True)
    assert f"{len(manifest(whole))} artifacts" in result.stdout
    expected = {p: (e["sha256"], e["key"]) for p, e in manifest(whole).items()}
    assert {p: (e["sha256"], e["key"]) for p, e in manifest(merged).items()} == expected
    assert all((merged / p).read_bytes() == (whole / p).read_bytes() for p in expected)


def test_merging_refuses_damaged_and_conflicting_shards(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        run_leaflet("--root", str(root), "build", "-f", "text", "-e", "standard", "-l", "en-GB",
                    "-o", str(folder), check=True)
    path = next(iter(manifest(two)))
    (two / path).write_bytes(b"changed after the build")
    result = run_leaflet("--root", str(root), "merge-manifests", "-o", str(tmp_path / "m"),
                         str(one), str(two))
    assert result.returncode == 1
    assert f"{path}: the file is missing or changed" in result.stderr
    assert (tmp_path / "m" / path).read_bytes() == (one / path).read_bytes()

    bad = run_leaflet("--root", str(root), "build", "--shard", "3/2")
    assert bad.returncode == 2 and "I/N" in bad.stderr


# Light when it can be ---------------------------------------------------------------------

def test_building_text_does_not_load_the_pdf_docx_or_epub_stacks(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    code = ("import sys\nfrom cli import main\n"
            "try:\n    main(['--root', sys.argv[1], 'build', '-f', 'text', '-e', 'standard',"
            " '-q'])\n"
            "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
            "heavy = {'weasyprint', 'docx', 'ebooklib', 'pikepdf', 'cairosvg'}\n"
            "print(sorted(heavy & set(sys.modules)))\n")
    result = __import__("subprocess").run([sys.executable, "-c", code, str(root)], cwd=REPO,
                                          capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert (root / "build" / "manifest.json").is_file()


# Manifests that lie, leaflets that cannot be read --------------------------------------------

TEXT = build.Selection(formats=("text",))


def _entry(path: str, leaflet: str = "old", lang: str = "pl", **fields) -> dict:
    entry = {"leaflet": leaflet, "lang": lang, "format": "text", "edition": "standard",
             "size_pt": 11.0, "path": path, "sha256": "0" * 64, "bytes": 1}
    entry.update(fields)
    return entry


def _write_manifest(out: Path, entries: list) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps({"artifacts": entries}), encoding="utf-8")


def test_prune_deletes_only_the_path_the_builder_gives_the_entry(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    out = tmp_path / "out"
    size = DEFAULT_SIZE_PT["standard"]
    stale = build.Job("old", "pl", "text", "standard", size).path()
    (out / "old" / "pl").mkdir(parents=True)
    (out / stale).write_text("stale", encoding="utf-8")
    (out / "precious.txt").write_text("keep me", encoding="utf-8")
    _write_manifest(out, [_entry("precious.txt", size_pt=size),
                          _entry("../library/theme/theme.yaml", size_pt=size),
                          _entry(stale, size_pt=size)])
    report = build.build(Library(root), out, TEXT, jobs=1)
    assert not report.failed, report.problems
    assert (out / "precious.txt").read_text(encoding="utf-8") == "keep me"
    assert (root / "theme").is_dir() and any((root / "theme").iterdir())
    assert not (out / stale).exists()  # a real artifact of a vanished leaflet does go
    paths = set(manifest(out))
    assert "precious.txt" not in paths and stale not in paths
    assert paths and all(e["leaflet"] == SAMPLE_SLUG for e in manifest(out).values())


def test_an_output_folder_holding_or_inside_the_library_is_refused(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    library = Library(root)
    for out in (root, root.parent, root / "theme", root / "locales" / "x",
                root / "leaflet_src" / SAMPLE_SLUG / "build"):
        with pytest.raises(build.LeafletError, match="output folder"):
            build.build(library, out, TEXT, jobs=1)
        with pytest.raises(build.LeafletError, match="output folder"):
            build.merge_manifests(library, out, [])
    result = run_leaflet("--root", str(root), "build", "-f", "text", "-o", str(root))
    assert result.returncode == 1 and "output folder" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not (root / "manifest.json").exists()


@pytest.mark.parametrize("front, line", [
    ("language: en-GBX", 4),          # not a language tag
    (None, 6),                        # a byte that is not UTF-8, on line 6
])
def test_a_leaflet_whose_language_cannot_be_read_is_reported_and_keeps_its_outputs(
        sample_library, tmp_path, front, line):
    root = copy_library(sample_library, tmp_path)
    out = tmp_path / "out"
    assert not build.build(Library(root), out, TEXT, jobs=1).failed
    before = manifest(out)
    source_file = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    lines = source_file.read_text(encoding="utf-8").split("\n")
    if front is None:
        data = "\n".join(lines).encode("utf-8")
        cut = sum(len(l.encode()) + 1 for l in lines[:line - 1])
        source_file.write_bytes(data[:cut] + b"\xff" + data[cut:])
    else:
        index = next(i for i, l in enumerate(lines) if l.startswith("language:"))
        lines[index] = front
        line = index + 1
        source_file.write_text("\n".join(lines), encoding="utf-8")
    report = build.build(Library(root), out, TEXT, jobs=1)
    assert report.failed
    where = f"leaflet_src/{SAMPLE_SLUG}/leaflet.md:{line}"
    assert any(str(p).startswith(where) for p in report.problems), report.problems
    assert manifest(out) == before
    assert all((out / path).is_file() for path in before)


@pytest.mark.parametrize("front", ["language: en-GB  # a comment", "language:\n  en-GB"])
def test_the_language_is_read_as_the_parser_reads_it(sample_library, tmp_path, front):
    root = copy_library(sample_library, tmp_path)
    source_file = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    text = source_file.read_text(encoding="utf-8")
    old = next(l for l in text.split("\n") if l.startswith("language:"))
    source_file.write_text(text.replace(old, front, 1), encoding="utf-8")
    library = Library(root)
    assert Sources(library).language(SAMPLE_SLUG) == "en-GB"
    jobs, problems = build.plan_jobs(library, TEXT)
    assert not problems and {j.lang for j in jobs} >= {"en-GB", "pl"}


def test_malformed_manifest_entries_are_dropped_not_a_crash(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    out = root / "build"
    size = DEFAULT_SIZE_PT["standard"]
    good = build.Job(SAMPLE_SLUG, "pl", "text", "standard", size).path()
    bad = [_entry(5), _entry("."), _entry(good, leaflet=["x"]),
           _entry(good, leaflet=SAMPLE_SLUG, bytes="big"), "not an entry",
           _entry(good, leaflet=SAMPLE_SLUG, size_pt="big")]
    _write_manifest(out, bad)
    report = build.build(Library(root), out, TEXT, jobs=1)
    assert not report.failed, report.problems
    assert len(report.warnings) >= len(bad)
    assert manifest(out)[good]["bytes"] == (out / good).stat().st_size

    shard = tmp_path / "shard"
    _write_manifest(shard, bad)
    result = run_leaflet("--root", str(root), "merge-manifests", str(shard))
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "not a valid entry" in result.stderr
    saved = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    assert all(build.entry_job(e) is not None for e in saved) and good in {
        e["path"] for e in saved}


@pytest.mark.parametrize("removed", ["catalog", "source"])
def test_stale_easy_read_outputs_are_removed(sample_library, tmp_path, removed):
    root = copy_library(sample_library, tmp_path)
    out = tmp_path / "out"
    assert not build.build(Library(root), out, TEXT, jobs=1).failed

    def easy(lang):
        return [p for p, e in manifest(out).items()
                if e["edition"] == "easy-read" and e["lang"] == lang]

    pl_easy = easy("pl")
    assert pl_easy and easy("en-GB")
    if removed == "catalog":
        (root / "locales" / "pl" / f"{SAMPLE_SLUG}.easy-read.po").unlink()
    else:
        (root / "leaflet_src" / SAMPLE_SLUG / "easy-read.md").unlink()
    assert not build.build(Library(root), out, TEXT, jobs=1).failed
    assert easy("pl") == [] and not any((out / p).exists() for p in pl_easy)
    assert bool(easy("en-GB")) == (removed == "catalog")
    assert any(e["lang"] == "pl" and e["edition"] == "standard" for e in manifest(out).values())


@pytest.mark.slow  # a whole build or process: the full tier
def test_an_easy_read_pdf_over_the_page_limit_is_a_warning_or_with_strict_a_failure(
        sample_library, tmp_path, monkeypatch):
    from leaflet import easyread

    root = copy_library(sample_library, tmp_path)
    monkeypatch.setattr(easyread, "MAX_PAGES", 0)
    selection = build.Selection(leaflets=(SAMPLE_SLUG,), formats=("pdf",),
                                editions=("easy-read",), langs=("en-GB",))
    out = tmp_path / "out"
    report = build.build(Library(root), out, selection, jobs=1)
    assert not report.failed
    assert any("easy read PDF has" in str(w) for w in report.warnings), report.warnings
    [entry] = manifest(out).values()
    assert (out / entry["path"]).is_file()

    strict = build.build(Library(root), tmp_path / "strict", selection, jobs=1, strict=True,
                         force=True)
    [outcome] = strict.outcomes
    assert outcome.status == "failed" and "easy read PDF has" in outcome.error
    assert not (tmp_path / "strict" / entry["path"]).exists()

    monkeypatch.setattr(easyread, "MAX_PAGES", 24)
    assert not any("easy read PDF" in str(w) for w in
                   build.build(Library(root), out, selection, jobs=1, force=True).warnings)


def test_an_unknown_format_prints_the_error_and_no_table(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    result = run_leaflet("--root", str(root), "build", "-f", "pfd")
    assert result.returncode == 1
    assert "unknown format 'pfd'" in result.stderr
    assert result.stdout.strip() == ""
