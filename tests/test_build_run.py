"""How a build runs: a format added by one record, work done once, and the worker pool
(timeouts, tracebacks, Ctrl-C, TERM, HUP, kill -9, two builds into one folder)."""

from __future__ import annotations

import importlib
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import lxml.html
import pytest

import formats
from conftest import REPO, SAMPLE_SLUG, run_leaflet
from formats import FORMATS, Format, Rendered
from leaflet import build, i18n, source, theme
from leaflet.build import artifact, manifest as manifests, run
from leaflet.files import write_atomic
from leaflet.library import Library

TESTS = Path(__file__).resolve().parent


def copy_library(sample_library: Path, tmp_path: Path, second: bool = False) -> Path:
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    if second:  # a second leaflet, so that a build has more to do
        shutil.copytree(root / "leaflet_src" / SAMPLE_SLUG, root / "leaflet_src" / "second")
        for lang in ("pl", "ar", "bn"):
            shutil.copy(root / "locales" / lang / f"{SAMPLE_SLUG}.po",
                        root / "locales" / lang / "second.po")
    return root


def manifest(out: Path) -> dict[str, dict]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {e["path"]: e for e in data["artifacts"]}


def all_intact(out: Path) -> bool:
    return all(manifests.intact(out / path, entry) for path, entry in manifest(out).items())


@pytest.fixture
def registry():
    """The registry as it was, restored after the test."""
    saved = dict(FORMATS)
    yield FORMATS
    FORMATS.clear()
    FORMATS.update(saved)


# A format defined only here ------------------------------------------------------------

def shout_write(leaflet, options) -> Rendered:
    """A writer for a format the tool does not have: the title, shouted."""
    return Rendered(f"{leaflet.meta.title.upper()}\n".encode())


def test_a_format_registered_by_one_record_builds_lands_in_the_manifest_and_the_index(
        sample_library, tmp_path, registry):
    formats.register(Format(name="shout", writer=f"{__name__}:shout_write",
                            editions=("standard",), extension="shout", label="Shouted title",
                            order=0, cost=0.01))
    assert list(FORMATS)[0] == "shout"  # kept in order
    with pytest.raises(build.LeafletError, match=r"unknown format 'nope' \(formats: shout, "):
        formats.get("nope")

    library = Library(copy_library(sample_library, tmp_path))
    out = tmp_path / "out"
    report = build.build(library, out, build.Selection(formats=("shout", "text")), jobs=1)
    assert not report.failed, report.problems
    shouted = {p: e for p, e in manifest(out).items() if e["format"] == "shout"}
    assert {e["lang"] for e in shouted.values()} == {"en-GB", "pl", "ar", "bn"}
    for path, entry in shouted.items():
        assert path.endswith(f".{entry['lang']}.shout")
        assert (out / path).read_text(encoding="utf-8") == entry["title"].upper() + "\n"

    page = lxml.html.document_fromstring((out / "index.html").read_bytes())
    english = page.xpath("//section[.//span[@lang='en-GB']]")[0]
    row = english.xpath(".//ul[@class='files']")[0]
    labels = [" ".join(a.text_content().split()) for a in row.xpath("./li/a")]
    assert labels[:2] == ["Shouted title", "Plain text"]  # the record's label, in its order
    assert set(page.xpath("//main//a/@href")) >= set(shouted)


# Work done once ----------------------------------------------------------------------------

def counting(monkeypatch, module, name: str, calls: list):
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


def test_one_build_reads_and_parses_each_source_once_and_translates_once_per_language(
        sample_library, tmp_path, monkeypatch):
    root = copy_library(sample_library, tmp_path)
    library = Library(root)
    languages = ["en-GB", *library.catalog_languages(SAMPLE_SLUG)]
    assert len(languages) == 4
    reads, parses, fronts, translations = [], [], [], []
    counting(monkeypatch, source, "read_text", reads)
    counting(monkeypatch, source, "parse_text", parses)
    counting(monkeypatch, source, "parse_meta", fronts)
    counting(monkeypatch, i18n, "translate", translations)
    selection = build.Selection(formats=("text", "html"))
    report = build.build(library, tmp_path / "out", selection, jobs=1)
    assert not report.failed, report.problems
    assert report.count("built") == 4 * 2 * 2  # languages x editions x formats

    # One read of each source file, one parse of each edition, whatever the languages.
    assert sorted(rel for _path, rel in reads) == [f"leaflet_src/{SAMPLE_SLUG}/easy-read.md",
                                                  f"leaflet_src/{SAMPLE_SLUG}/leaflet.md"]
    assert sorted(args[4] for args in parses) == ["easy-read", "standard"]
    # leaflet.md's front matter once (the planner's reading serves the parse too);
    # easy-read.md's own front matter once, in its parse.
    assert sorted(args[1] for args in fronts) == [f"leaflet_src/{SAMPLE_SLUG}/easy-read.md",
                                                 f"leaflet_src/{SAMPLE_SLUG}/leaflet.md"]
    # One translation per language and edition, shared by both formats.
    translated = sorted((args[1].edition, args[2]) for args in translations)
    assert translated == sorted((edition, lang) for edition in ("easy-read", "standard")
                                for lang in languages)


def test_theme_reviews_and_words_are_loaded_once_per_process(sample_library, tmp_path,
                                                             monkeypatch):
    root = copy_library(sample_library, tmp_path)
    library = Library(root)
    i18n.review(library, SAMPLE_SLUG, "pl", "A Tester, nurse", "standard")  # a reviews.yaml
    signoff = importlib.import_module("leaflet.i18n.signoff")
    ui_words = importlib.import_module("leaflet.i18n.ui_words")
    languages = ["en-GB", *library.catalog_languages(SAMPLE_SLUG)]
    word_files = {path for lang in languages for path in (
        REPO / "formats" / "locales" / lang / "ui.po", root / "locales" / lang / "ui.po")
        if path.is_file()}
    assert word_files

    theme_loads: list = []
    counting(monkeypatch, theme, "_load", theme_loads)
    theme._LOADED.clear()
    signoff._reviews_of.cache_clear()
    ui_words._words_of.cache_clear()
    selection = build.Selection(formats=("text",))
    for _ in range(2):
        report = build.build(library, tmp_path / "out", selection, jobs=1, force=True)
        assert not report.failed and report.count("built") == 8
    assert len(theme_loads) == 1
    assert signoff._reviews_of.cache_info().misses == 1  # locales/pl/reviews.yaml
    assert ui_words._words_of.cache_info().misses == len(word_files)


def test_a_forced_rebuild_that_changes_no_file_saves_the_manifest_once_and_nothing_else(
        sample_library, tmp_path, monkeypatch):
    library, out = Library(copy_library(sample_library, tmp_path)), tmp_path / "out"
    english = build.Selection(formats=("text",), editions=("standard",), langs=("en-GB",))
    assert not build.build(library, out, english, jobs=1).failed
    written: list[str] = []

    def recorded(path, data):
        write_atomic(path, data)
        written.append(path.relative_to(out).as_posix())

    monkeypatch.setattr(manifests, "write_atomic", recorded)
    monkeypatch.setattr(artifact, "write_atomic", recorded)
    index_page = (out / "index.html").read_bytes()
    report = build.build(library, out, english, jobs=1, force=True)
    assert report.count("built") == 1 and not report.failed
    # the text came out as it was, so it was left alone, and so was the index; the
    # manifest was saved at most once (only the render's seconds can differ)
    assert written in ([], ["manifest.json"])
    assert (out / "index.html").read_bytes() == index_page and all_intact(out)


def test_an_entry_leaves_the_manifest_before_its_file_changes_and_only_then(
        sample_library, tmp_path, fake_format, monkeypatch):
    library, out = Library(copy_library(sample_library, tmp_path)), tmp_path / "out"
    english = build.Selection(formats=("fake",), editions=("standard",), langs=("en-GB",))
    fake_format.update(stamp="old")
    assert not build.build(library, out, english, jobs=1).failed
    named: list[bool] = []  # whether the manifest names each file as it is written

    def written(path, data):
        named.append(path.relative_to(out).as_posix() in manifest(out))
        write_atomic(path, data)

    monkeypatch.setattr(artifact, "write_atomic", written)
    fake_format.update(stamp="new")
    assert build.build(library, out, english, jobs=1, force=True).count("built") == 1
    assert named == [False] and all_intact(out) and len(manifest(out)) == 1
    named.clear()  # the same bytes again: the file and its entry are left as they were
    before = (out / next(iter(manifest(out)))).stat().st_mtime_ns
    assert build.build(library, out, english, jobs=1, force=True).count("built") == 1
    assert named == [] and all_intact(out) and len(manifest(out)) == 1
    assert (out / next(iter(manifest(out)))).stat().st_mtime_ns == before


# The pool --------------------------------------------------------------------------------

FAKE = {"mode": "ok", "lang": None, "stamp": "", "pause": 0.0, "rendered": 0}
FAKE_FORMAT = Format(name="fake", writer=f"{__name__}:fake_write",
                     editions=("standard", "large-print"), extension="fake",
                     label="Fake words", order=99, cost=0.1)


def fake_write(leaflet, options) -> Rendered:
    """Takes FAKE's pause over every artifact, and fails or hangs on command for the
    language FAKE names (or all); "stall" renders one artifact in each process, then
    hangs."""
    time.sleep(FAKE["pause"])
    FAKE["rendered"] += 1
    if FAKE["mode"] == "stall" and FAKE["rendered"] > 1:
        time.sleep(600)
    if FAKE["lang"] in (None, leaflet.meta.language):
        if FAKE["mode"] == "raise":
            raise RuntimeError("the fake writer broke")
        if FAKE["mode"] == "hang":
            time.sleep(600)
    return Rendered(f"{leaflet.meta.title} {leaflet.meta.language} {options.edition} "
                    f"{FAKE['stamp']}\n".encode())


@pytest.fixture
def fake_format(registry, monkeypatch):
    formats.register(FAKE_FORMAT)
    monkeypatch.setattr(run, "POOL_MIN_SECONDS", 0.0)
    for name, value in {"mode": "ok", "lang": None, "stamp": "", "pause": 0.0}.items():
        monkeypatch.setitem(FAKE, name, value)
    return FAKE


@pytest.mark.slow  # a whole build or process: the full tier
def test_a_hung_render_fails_alone_after_its_timeout(sample_library, tmp_path, fake_format):
    library = Library(copy_library(sample_library, tmp_path))
    fake_format.update(mode="hang", lang="ar")
    started = time.monotonic()
    report = build.build(library, tmp_path / "out", build.Selection(formats=("fake",)), jobs=2,
                         timeout=2)
    assert time.monotonic() - started < 60
    failed = [o for o in report.outcomes if o.status == "failed"]
    assert {o.job.lang for o in failed} == {"ar"} and len(failed) == 2
    assert all("took longer than 2 s" in o.error and o.job.path() in o.error for o in failed)
    assert {o.status for o in report.outcomes if o.job.lang != "ar"} == {"built"}
    assert all(e["lang"] != "ar" for e in manifest(tmp_path / "out").values())


RUNNER = """
import sys
sys.path.insert(0, {tests!r})
import formats
from leaflet.build import run
import test_build_run as here
here.FAKE.update(mode={mode!r}, lang={lang!r}, stamp={stamp!r}, pause={pause!r})
formats.register(here.FAKE_FORMAT)
run.POOL_MIN_SECONDS = 0.0
from cli import main
main(sys.argv[1:])
"""


def fake_command(mode: str, lang: str | None = None, stamp: str = "",
                 pause: float = 0.0) -> list[str]:
    """`leaflet` in a fresh process, with the fake format registered in it."""
    code = RUNNER.format(tests=str(TESTS), mode=mode, lang=lang, stamp=stamp, pause=pause)
    return [sys.executable, "-c", code]


def default_signals() -> None:
    """In the child: Ctrl-C and hang-ups as a terminal delivers them, even when the tests
    run where they are ignored (a background job)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


@pytest.mark.slow  # a whole build or process: the full tier
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_writers_traceback_is_shown_with_debug_only(sample_library, tmp_path, jobs):
    root = copy_library(sample_library, tmp_path)
    args = ["--root", str(root), "build", "-f", "fake", "-l", "pl", "-j", jobs]
    plain = subprocess.run(fake_command("raise") + args, cwd=REPO, capture_output=True,
                           text=True, timeout=300)
    assert plain.returncode == 1
    assert "could not be written (RuntimeError: the fake writer broke)" in plain.stderr
    assert "Traceback" not in plain.stderr
    debug = subprocess.run(fake_command("raise") + ["--debug", *args], cwd=REPO,
                           capture_output=True, text=True, timeout=300)
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr
    assert 'in fake_write\n    raise RuntimeError("the fake writer broke")' in debug.stderr


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` and that run the same command (its workers)."""
    found = set()
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and \
                    (entry / "cmdline").read_bytes() == command:
                found.add(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def alive(pids: set[int]) -> set[int]:
    """Those still running (a zombie waiting for its new parent to reap it has ended)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            running.add(pid)
    return running


def start_slow_build(root: Path, out: Path, stamp: str, mode: str = "ok",
                     landing: int = 1) -> tuple[subprocess.Popen, set]:
    """A parallel build of the fake format, half a second a render: returns it and its
    workers once ``landing`` artifacts are in the manifest."""
    process = subprocess.Popen(fake_command(mode, stamp=stamp, pause=0.5)
                               + ["--root", str(root), "build", "-f", "fake", "-j", "2",
                                  "-o", str(out), "--force"],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=default_signals)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            landed = [e for e in manifest(out).values() if e["key"] and stamp in
                      (out / e["path"]).read_text(encoding="utf-8")]
        except (OSError, ValueError, KeyError):
            landed = []
        workers = children(process.pid)
        if len(landed) >= landing and len(workers) == 2:
            return process, workers
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    process.kill()
    raise AssertionError("the build never got going")


def build_fake(root: Path, out: Path, stamp: str) -> None:
    """Every artifact of the fake format, at once, each file saying ``stamp``."""
    done = subprocess.run(fake_command("ok", stamp=stamp) + ["--root", str(root), "build", "-f",
                                                              "fake", "-o", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(manifest(out)) == 16 and all_intact(out)  # 2 leaflets x 4 languages x 2 editions


@pytest.mark.slow  # a whole build or process: the full tier
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_stops_a_parallel_build_and_keeps_what_it_built(sample_library, tmp_path,
                                                                 signum):
    root = copy_library(sample_library, tmp_path, second=True)
    out = tmp_path / "out"
    build_fake(root, out, "old")
    process, workers = start_slow_build(root, out, "new")
    process.send_signal(signum)
    _stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, stderr
    assert "interrupted; files already built are kept" in stderr
    assert "Traceback" not in stderr
    assert not alive(workers)
    # what was rebuilt is there, and what was not yet rebuilt is still there as it was
    stamps = {(out / p).read_text(encoding="utf-8").split()[-1] for p in manifest(out)}
    assert len(manifest(out)) == 16 and all_intact(out) and stamps == {"old", "new"}
    assert not list(out.rglob("*.tmp"))


def test_a_signal_as_an_artifact_lands_waits_until_its_entry_is_in_the_manifest(
        sample_library, tmp_path, fake_format, monkeypatch):
    # The system hands a signal that the main thread blocks to another thread (a pool's
    # threads do not block it) and Python runs the handler in the main thread wherever it
    # is: here just after a rebuilt file has replaced the old one, before its entry is made.
    library = Library(copy_library(sample_library, tmp_path, second=True))
    out = tmp_path / "out"
    selection = build.Selection(formats=("fake",))
    fake_format.update(stamp="old")
    assert not build.build(library, out, selection, jobs=1).failed
    asked, sent = threading.Event(), threading.Event()

    def signal_this_thread():
        asked.wait(60)
        signal.pthread_kill(threading.get_ident(), signal.SIGTERM)
        sent.set()

    other = threading.Thread(target=signal_this_thread, daemon=True)
    other.start()
    landed = []

    def write_then_signal(path, data):
        write_atomic(path, data)
        landed.append(path.relative_to(out).as_posix())
        if len(landed) == 3:
            asked.set()
            assert sent.wait(60)

    monkeypatch.setattr(artifact, "write_atomic", write_then_signal)
    fake_format.update(stamp="new")
    with pytest.raises(build.Interrupted) as stopped:
        build.build(library, out, selection, jobs=1, force=True)
    other.join(60)
    assert stopped.value.signum == signal.SIGTERM and len(landed) == 3
    entries = manifest(out)
    assert len(entries) == 16 and all_intact(out)
    rebuilt = [p for p in entries if (out / p).read_text(encoding="utf-8").split()[-1] == "new"]
    assert sorted(rebuilt) == sorted(landed)
    assert not list(out.rglob("*.tmp"))


@pytest.mark.slow  # a whole build or process: the full tier
def test_after_kill_9_no_worker_survives_and_the_manifest_matches_every_file(
        sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path, second=True)
    out = tmp_path / "out"
    build_fake(root, out, "old")
    # each worker renders one artifact, then is stuck in the next: killed, the builder
    # leaves them nothing to notice on their pipe
    process, workers = start_slow_build(root, out, "new", mode="stall", landing=2)
    process.kill()
    process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(workers)
    process.stdout.close()
    process.stderr.close()
    entries = manifest(out)
    assert all_intact(out)  # the entries being rebuilt were taken out before their files changed
    assert len(entries) == 2 and all("new" in (out / p).read_text(encoding="utf-8")
                                      for p in entries)
    build_fake(root, out, "new")  # the next build repairs the rest


def test_a_second_build_into_a_folder_in_use_is_refused(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    out = tmp_path / "out"
    run_leaflet("--root", str(root), "build", "-f", "text", "-l", "en-GB", "-o", str(out),
                check=True)
    before = (out / "manifest.json").read_bytes()
    with manifests.locked(out, "out"):
        result = run_leaflet("--root", str(root), "build", "-f", "text", "-o", str(out),
                             "--force")
        merged = run_leaflet("--root", str(root), "merge-manifests", "-o", str(out), str(out))
    assert result.returncode == 1 and merged.returncode == 1
    assert "another 'leaflet build' (or merge-manifests) is writing into this folder" in \
        result.stderr
    assert "Traceback" not in result.stderr + merged.stderr
    assert (out / "manifest.json").read_bytes() == before
    # once the folder is free, building into it works again
    run_leaflet("--root", str(root), "build", "-f", "text", "-o", str(out), check=True)


def test_the_builder_imports_without_posix_only_modules():
    code = ("import sys\nsys.modules['resource'] = None\nsys.modules['fcntl'] = None\n"
            "from leaflet import build\nprint(build.run.peak_mb())\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0.0"
