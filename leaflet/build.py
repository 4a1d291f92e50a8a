"""The builder: which artifacts to make, which are up to date, where they go, and the manifest.

Writers only turn one leaflet into bytes; everything about files (paths,
atomic writes, the cache, the manifest) and about running many writers at once
(a pool of forked worker processes) happens here.

A build runs in four steps: ``plan()`` lists the matrix (leaflets x languages x
formats x editions) the selection asks for; ``artifact_key()`` hashes each
artifact's inputs, without parsing anything, so that up-to-date artifacts are
skipped at the cost of reading their inputs; each remaining leaflet, language
and source edition is parsed and translated once (``prepare()``) and its
artifacts are rendered (``render()``), in worker processes when that pays; the
manifest is saved, then ``after_manifest()`` writes what is made from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import formats
from formats.options import DEFAULT_SIZE_PT, Assets, Availability, WriterOptions
from formats import theme

from . import __version__, langs, locale, source
from .errors import Collector, LeafletError, Problem
from .files import source_date_epoch, write_atomic
from .library import SLUG_RE, Library, read_leaflet
from .model import Leaflet

MANIFEST = "manifest.json"
PACKAGES = {"leaflet": Path(__file__).resolve().parent,
            "formats": Path(formats.__file__).resolve().parent}


@dataclass(frozen=True, order=True)
class Job:
    """One artifact: a leaflet, in a language, in a format and edition, at a size."""

    slug: str
    lang: str
    format: str
    edition: str
    size_pt: float

    def path(self) -> str:
        """Its path relative to the output folder."""
        parts = [self.slug, self.lang]
        if self.edition != "standard":
            parts.append(self.edition)
        if self.size_pt != DEFAULT_SIZE_PT[self.edition]:
            parts.append(f"{self.size_pt:g}pt")
        parts.append(formats.EXTENSIONS[self.format])
        return f"{self.slug}/{self.lang}/{'.'.join(parts)}"

    @property
    def source_edition(self) -> str:
        """The source file it is made from: large print is the standard text, larger."""
        return "easy-read" if self.edition == "easy-read" else "standard"

    @property
    def group(self) -> tuple[str, str, str]:
        """The artifacts that share one parse and translation."""
        return (self.slug, self.lang, self.source_edition)


@dataclass(frozen=True)
class Selection:
    """What ``leaflet build`` was asked for; empty tuples mean everything."""

    leaflets: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    editions: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    large_print_size: float = DEFAULT_SIZE_PT["large-print"]
    easy_read_size: float = DEFAULT_SIZE_PT["easy-read"]
    ui_lang: str = "en-GB"  # the language of the library index's own words


@dataclass
class Outcome:
    job: Job
    status: str  # "built", "skipped" (up to date) or "failed"
    seconds: float = 0.0
    error: str = ""
    entry: dict | None = None
    warnings: list[Problem] = field(default_factory=list)  # about this artifact


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # failures not tied to one artifact
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0  # wall-clock time of the whole build
    workers: int = 1  # processes that rendered (1: in this process)
    peak_worker_mb: float = 0.0  # largest resident size of a process that rendered

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.count("failed") > 0

    @property
    def render_seconds(self) -> float:
        return sum(o.seconds for o in self.outcomes if o.status == "built")


Progress = Callable[[Outcome, int, int], None]  # (outcome, artifacts done, artifacts in all)


# The matrix -------------------------------------------------------------------

def plan(library: Library, selection: Selection) -> tuple[list[Job], list[Problem]]:
    """Every artifact the selection asks for, and the problems in the asking."""
    problems: list[Problem] = []
    slugs = list(selection.leaflets) or library.slugs()
    wanted_formats = list(selection.formats) or formats.formats()
    for name in wanted_formats:
        if name not in formats.WRITERS:
            problems.append(Problem("", None, f"unknown format '{name}' (formats: "
                                    f"{', '.join(formats.formats())})"))
    wanted_formats = [f for f in wanted_formats if f in formats.WRITERS]
    for edition in selection.editions:
        if edition not in formats.ALL_EDITIONS:
            problems.append(Problem("", None, f"unknown edition '{edition}' (editions: "
                                    f"{', '.join(formats.ALL_EDITIONS)})"))
    jobs: list[Job] = []
    for slug in slugs:
        source_lang, unreadable = read_source_language(library, slug)
        if source_lang is None:
            problems.extend(unreadable)
            continue
        easy = library.has_easy_read(slug)
        if "easy-read" in selection.editions and not easy:
            rel = library.rel(library.source_file(slug, "easy-read"))
            problems.append(Problem(rel, None, "this leaflet has no easy read edition; start "
                                    f"one with 'leaflet easy-read scaffold {slug}'"))
        for lang in languages(library, slug, source_lang):
            if selection.langs and lang not in selection.langs:
                continue
            for fmt in wanted_formats:
                for edition in formats.EDITIONS[fmt]:
                    if selection.editions and edition not in selection.editions:
                        continue
                    if edition == "easy-read" and not easy_available(library, slug, lang,
                                                                     source_lang):
                        continue
                    size = {"large-print": selection.large_print_size,
                            "easy-read": selection.easy_read_size}.get(edition,
                                                                       DEFAULT_SIZE_PT[edition])
                    jobs.append(Job(slug, lang, fmt, edition, float(size)))
    for lang in selection.langs:
        if not any(j.lang == lang for j in jobs) and slugs:
            problems.append(Problem(library.rel(library.locales / lang), None,
                                    f"no catalog for language '{lang}': start one with "
                                    f"'leaflet update -l {lang}'"))
    return sorted(jobs), problems


def read_source_language(library: Library, slug: str) -> tuple[str | None, list[Problem]]:
    """The language a leaflet is written in, read from its front matter by the parser's
    own front matter reader (so that the builder and the parser always agree), or None
    and the problems that stop it being read (each with its file and line)."""
    path = library.source_file(slug)
    rel = library.rel(path)
    try:
        text = source.read_text(path, rel)
        yaml_text, _, _ = source.split_front_matter(text, rel)
        meta = source.parse_meta(yaml_text, rel, Collector())
    except LeafletError as exc:
        return None, list(exc.problems)
    except Exception as exc:  # the parser's own bug: still reported, never a skip
        return None, [Problem(rel, None, f"could not be read ({type(exc).__name__}: {exc})")]
    if not meta.language:
        return None, [Problem(rel, 1, "the front matter has no 'language:'")]
    return meta.language, []


def source_language(library: Library, slug: str) -> str | None:
    """The language a leaflet is written in; None if its front matter cannot be read."""
    return read_source_language(library, slug)[0]


def languages(library: Library, slug: str, source_lang: str) -> list[str]:
    """The source language first, then every language with a catalog."""
    others = [l for l in library.catalog_languages(slug) if l != source_lang]
    return [source_lang, *others]


def easy_available(library: Library, slug: str, lang: str, source_lang: str) -> bool:
    if not library.has_easy_read(slug):
        return False
    return lang == source_lang or library.catalog(lang, slug, "easy-read").is_file()


def panel(library: Library, slug: str, source_lang: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every language that exists for the leaflet, with its editions, whatever this run
    happens to build: what the "also available" panel lists."""
    out = []
    for lang in languages(library, slug, source_lang):
        editions = ["standard", "large-print"]
        if easy_available(library, slug, lang, source_lang):
            editions.append("easy-read")
        out.append((lang, tuple(editions)))
    return out


def availability(library: Library, slug: str, source_lang: str) -> tuple[Availability, ...]:
    """The panel with each language named in itself and its direction, for the writers."""
    return tuple(Availability(lang, langs.native_name(lang), editions, langs.direction(lang))
                 for lang, editions in panel(library, slug, source_lang))


# Reading and translating ------------------------------------------------------

def source_date(leaflet: Leaflet) -> dt.datetime:
    """The timestamp stamped into outputs: SOURCE_DATE_EPOCH, else the publication date."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    published = leaflet.meta.published
    return dt.datetime(published.year, published.month, published.day, tzinfo=dt.timezone.utc)


# Keys ----------------------------------------------------------------------------------

# The tool's data folders and the module through which code reaches each: an artifact's
# key includes a folder when the code it depends on imports that module.
DATA_FOLDERS = {
    "formats.html": (("formats", "templates"),),  # templates and CSS (PDF, EPUB, web)
    "leaflet.source": (("formats", "pictograms"),),  # pictogram:NAME pictures
    "leaflet.easyread": (("leaflet", "data"),),
}

_FINGERPRINTS: dict[str, str] = {}


def _module_file(name: str) -> Path | None:
    """The file of one of the tool's own modules; None for anything else."""
    top, _, rest = name.partition(".")
    folder = PACKAGES.get(top)
    if folder is None:
        return None
    path = folder.joinpath(*rest.split(".")) if rest else folder
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return None


_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)",
                          re.MULTILINE)
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w. \t,]+)", re.MULTILINE)


def _imports(name: str, path: Path) -> set[str]:
    """Every module a module may import (at the top or inside functions), with the
    packages that importing it runs.  Read with a pattern, not a parser, because it runs
    at every build: a match inside a string only adds a file to hash."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    text = path.read_text(encoding="utf-8", errors="replace")
    found: set[str] = set()
    for match in _IMPORT.finditer(text):
        found.update(part.split()[0] for part in match.group(1).split(",") if part.strip())
    for match in _FROM_IMPORT.finditer(text):
        module = match.group(1)
        level = len(module) - len(module.lstrip("."))
        base = module[level:]
        if level:
            parts = package.split(".")
            parts = parts[: len(parts) - (level - 1)]
            base = ".".join(p for p in [*parts, base] if p)
        found.add(base)
        names = match.group(2).strip("() \t\n").replace("\n", " ")
        found.update(f"{base}.{item.split()[0]}" for item in names.split(",") if item.strip())
    with_parents = set()
    for module in found:
        parts = module.split(".")
        with_parents.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return with_parents


def _import_closure(roots: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(name)
        if path is None:
            continue
        seen.add(name)
        todo.extend(_imports(name, path))
    return seen


def _tool_path(path: Path) -> str:
    """A file of the tool named the same wherever the tool is installed."""
    for package, folder in PACKAGES.items():
        if path.is_relative_to(folder):
            return f"{package}/{path.relative_to(folder).as_posix()}"
    return path.name


def tool_fingerprint(fmt: str | None = None) -> str:
    """The tool's version and a hash of the code and data an artifact of ``fmt`` depends
    on: the builder's modules (reading, translating, options) and the writer's, followed
    through their imports, and the data folders (templates, CSS, pictograms) that code
    reads.  A change to the DOCX writer does not touch a PDF's key; a change to a template
    touches every format that renders through the templates."""
    name = fmt or ""
    if name not in _FINGERPRINTS:
        roots = ["leaflet.build"]
        if fmt in formats.WRITERS:
            roots.append(formats.WRITERS[fmt].partition(":")[0])
        modules = _import_closure(roots)
        files = {_module_file(m) for m in modules}
        for module in modules:
            for package, *rest in DATA_FOLDERS.get(module, ()):
                folder = PACKAGES[package].joinpath(*rest)
                if folder.is_dir():
                    files.update(p for p in folder.rglob("*") if p.is_file())
        digest = hashlib.sha256()
        for path in sorted(p for p in files if p is not None and "__pycache__" not in p.parts):
            digest.update(_tool_path(path).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        _FINGERPRINTS[name] = f"{__version__}:{digest.hexdigest()}"
    return _FINGERPRINTS[name]


class Inputs:
    """What artifacts depend on, each file read and hashed once per build: a library of
    hundreds of leaflets shares its theme, catalogs and reviews between thousands of
    artifacts."""

    def __init__(self, library: Library):
        self.library = library
        self._memo: dict = {}

    def _once(self, key, make):
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def file(self, path: Path) -> str:
        return self._once(("file", path), lambda: sha256_file(path) or "-")

    def tree(self, folder: Path, skip: tuple[str, ...] = ()) -> list:
        def make():
            files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in skip) \
                if folder.is_dir() else []
            return [(p.relative_to(folder).as_posix(), self.file(p)) for p in files]
        return self._once(("tree", folder, skip), make)

    def review(self, lang: str, catalog: Path):
        """The sign-off recorded for a catalog: it decides the DRAFT banner."""
        def make():
            try:
                return locale.read_reviews(self.library, lang)
            except LeafletError as exc:
                return {"unreadable": str(exc)}
        reviews = self._once(("reviews", lang), make)
        return reviews.get(catalog.name) or reviews.get("unreadable")

    def words(self, lang: str):
        """The template words in a language, from the tool's and the library's ui.po."""
        def make():
            try:
                return sorted(locale.ui_words(self.library, lang).items())
            except LeafletError as exc:
                return str(exc)
        return self._once(("words", lang), make)

    def panel(self, slug: str):
        """The "also available" panel: which languages and editions exist for a leaflet
        (their names and directions follow from the language tags)."""
        def make():
            lang = source_language(self.library, slug)
            return panel(self.library, slug, lang) if lang else None
        return self._once(("panel", slug), make)


def artifact_key(library: Library, job: Job, inputs: Inputs | None = None) -> str:
    """A hash of everything the artifact depends on, read from the inputs themselves (no
    parsing): the leaflet's folder (its source and pictures; the standard edition leaves
    out easy-read.md), the catalogs and their sign-off, the template words, the theme,
    the panel's list, the code and templates of the tool that make it, the job (format,
    edition, size) and SOURCE_DATE_EPOCH.  The writer's options are made from exactly
    these, so equal keys mean equal options."""
    inputs = inputs or Inputs(library)
    easy = job.source_edition == "easy-read"
    catalogs = [library.catalog(job.lang, job.slug)]
    if easy:
        catalogs.append(library.catalog(job.lang, job.slug, "easy-read"))
    parts = {
        "tool": tool_fingerprint(job.format),
        "job": dataclasses.astuple(job),
        "source": inputs.tree(library.folder(job.slug),
                              skip=() if easy else (library.source_file(job.slug,
                                                                        "easy-read").name,)),
        "catalogs": [(c.name, inputs.file(c), inputs.review(job.lang, c)) for c in catalogs],
        "words": inputs.words(job.lang),
        "theme": inputs.tree(library.theme),
        "panel": inputs.panel(job.slug),
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "").strip(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


# Files and the manifest ------------------------------------------------------------------

def sha256_file(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _intact(path: Path, entry: dict) -> bool:
    """The file is the one the manifest describes (size first: it costs no reading)."""
    try:
        if path.stat().st_size != entry.get("bytes"):
            return False
    except OSError:
        return False
    return sha256_file(path) == entry.get("sha256")


# The fields of a manifest entry and their types: the first ones every entry must have.
_NUMBER = (int, float)
ENTRY_FIELDS = {"leaflet": str, "lang": str, "format": str, "edition": str,
                "size_pt": _NUMBER, "path": str, "sha256": str, "bytes": int}
OPTIONAL_FIELDS = {"seconds": _NUMBER, "key": str, "title": str, "review": str, "draft": bool}
_LANG_RE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


def entry_job(entry) -> Job | None:
    """The artifact a manifest entry describes, or None if the entry is malformed: a
    field missing or of the wrong type, a leaflet or language that is not a plain name,
    or a path other than the one the builder gives that artifact.  Only such a path is
    ever deleted or copied, so that a crafted manifest cannot reach any other file."""
    if not isinstance(entry, dict):
        return None
    for name, kind in ENTRY_FIELDS.items():
        value = entry.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            return None
    for name, kind in OPTIONAL_FIELDS.items():
        value = entry.get(name)
        if value is not None and (not isinstance(value, kind)
                                  or (kind is _NUMBER and isinstance(value, bool))):
            return None
    if not SLUG_RE.match(entry["leaflet"]) or not _LANG_RE.match(entry["lang"]):
        return None
    if entry["format"] not in formats.EXTENSIONS or entry["edition"] not in DEFAULT_SIZE_PT:
        return None
    size = float(entry["size_pt"])
    if not (0 < size < 1000) or entry["bytes"] < 0:
        return None
    job = Job(entry["leaflet"], entry["lang"], entry["format"], entry["edition"], size)
    return job if entry["path"] == job.path() else None


def read_manifest(path: Path, dropped: list[Problem] | None = None) -> list[dict]:
    """A manifest's well-formed entries; raises LeafletError if it cannot be read.
    Malformed entries are left out, each with a warning added to ``dropped``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["artifacts"]
        if not isinstance(entries, list):
            raise ValueError
    except OSError as exc:
        raise LeafletError(str(path), None, f"cannot be read ({exc.strerror})")
    except (ValueError, KeyError, TypeError):
        raise LeafletError(str(path), None, "is not a leaflet build manifest")
    good = []
    for number, entry in enumerate(entries, start=1):
        if entry_job(entry) is None:
            if dropped is not None:
                dropped.append(Problem(str(path), None, f"artifact {number} is not a valid "
                                       "entry (a field missing, of the wrong type, or a path "
                                       "the builder does not give it); left out",
                                       warning=True))
            continue
        good.append(entry)
    return good


def load_manifest(out: Path, dropped: list[Problem] | None = None) -> list[dict]:
    """The entries of ``<out>/manifest.json``; none if it is missing or broken, which
    only means that everything is built again."""
    try:
        return read_manifest(out / MANIFEST, dropped)
    except LeafletError:
        return []


def check_out(library: Library, out: Path) -> None:
    """Refuse an output folder that would put the library's own files at risk: the
    library root, a folder holding it, or a folder inside its sources, catalogs or
    theme."""
    out = out.resolve()
    root = library.root.resolve()
    if root.is_relative_to(out):
        raise LeafletError(str(out), None, "the output folder cannot be the library or a "
                           "folder holding it; use a folder such as build/")
    for folder in (library.sources, library.locales, library.theme):
        if out.is_relative_to(folder.resolve()):
            raise LeafletError(str(out), None, f"the output folder cannot be inside "
                               f"{library.rel(folder)}/; use a folder such as build/")


def save_manifest(out: Path, entries: list[dict]) -> None:
    entries = sorted(entries, key=lambda e: e["path"])
    text = json.dumps({"artifacts": entries}, indent=2, ensure_ascii=False) + "\n"
    write_atomic(out / MANIFEST, text.encode("utf-8"))


def prune(library: Library, out: Path, entries: list[dict]) -> list[dict]:
    """Drop entries (and their files) whose leaflet, language or edition no longer
    exists.  A leaflet whose folder is there but whose language cannot be read right now
    keeps all its entries: nothing built is lost to a typo.  Malformed entries are
    dropped and their paths left alone; a file is deleted only at the path the builder
    gives the entry's own artifact."""
    slugs = set(library.slugs())
    kept = []
    cache: dict[str, tuple[str, set[str]] | None] = {}
    for entry in entries:
        job = entry_job(entry)
        if job is None:
            continue
        slug = job.slug
        if slug not in cache:
            lang = source_language(library, slug) if slug in slugs else None
            cache[slug] = (lang, set(languages(library, slug, lang))) if lang else None
        known = cache[slug]
        if known is None:
            if library.folder(slug).is_dir():
                kept.append(entry)  # unreadable for now: keep what was built
                continue
        else:
            source_lang, langs_now = known
            if job.lang in langs_now and (
                    job.edition != "easy-read"
                    or easy_available(library, slug, job.lang, source_lang)):
                kept.append(entry)
                continue
        target = (out / job.path()).resolve()
        if target.is_relative_to(out.resolve()):
            target.unlink(missing_ok=True)
    return kept


def after_manifest(library: Library, out: Path, entries: list[dict],
                   ui_lang: str = "en-GB") -> list[Problem]:
    """Write what is made from the whole manifest rather than from one leaflet: the
    library index, ``<out>/index.html``.

    Called once the manifest is saved, by ``build()`` and by ``merge_manifests()``, with
    the manifest's entries; returns problems to report.
    """
    from formats import index as library_index  # Jinja2: not loaded before it is needed

    try:
        library_index.write_library_index(library, out, entries=entries, ui_lang=ui_lang)
    except LeafletError as exc:
        return list(exc.problems)
    return []


# One artifact --------------------------------------------------------------------------

def prepare(library: Library, slug: str, lang: str, edition: str,
            strict: bool) -> tuple[locale.Translation, WriterOptions]:
    """Parse and translate once for every artifact of one leaflet in one language."""
    leaflet = read_leaflet(library, slug, edition)
    translation = locale.translate(library, leaflet, lang, strict=strict)
    options = WriterOptions(
        edition=edition,
        available=availability(library, slug, leaflet.meta.language),
        draft=translation.draft,
        assets=Assets(folder=str(library.folder(slug)), pictograms=str(source.PICTOGRAMS),
                      extra=(str(library.theme),) if library.theme.is_dir() else ()),
        words=locale.ui_words(library, lang),
        ui_lang=lang,
        source_date=source_date(leaflet),
        theme=theme.load(library.theme, library.root),
    )
    return translation, options


def render(out: Path, job: Job, translation: locale.Translation, base: WriterOptions,
           key: str, strict: bool = False) -> Outcome:
    """Make one artifact and write it; a failure comes back as an outcome and leaves the
    file that was there before as it was.  An easy read PDF over the page limit comes
    back with a warning (with ``strict``, as a failure)."""
    options = dataclasses.replace(base, edition=job.edition,
                                  size_pt=job.size_pt if job.edition != "standard" else 0.0)
    started = time.perf_counter()
    warnings: list[Problem] = []
    try:
        data = formats.writer(job.format)(translation.leaflet, options)
        if not isinstance(data, bytes):
            raise TypeError(f"the writer returned {type(data).__name__}, not bytes")
        if job.format == "pdf" and job.edition == "easy-read":
            from . import easyread

            too_long = easyread.page_count_problem(translation.leaflet, data)
            if too_long is not None:
                if strict:
                    return Outcome(job, "failed", error=f"{job.path()}: "
                                   f"{too_long.message} (--strict)")
                warnings.append(too_long)
        write_atomic(out / job.path(), data)
    except LeafletError as exc:
        return Outcome(job, "failed", error=str(exc) if exc.path else f"{job.path()}: {exc}")
    except Exception as exc:  # a writer's own bug must not stop the other artifacts
        return Outcome(job, "failed", error=f"{job.path()}: could not be written "
                       f"({type(exc).__name__}: {exc})")
    seconds = round(time.perf_counter() - started, 3)
    meta = translation.leaflet.meta
    entry = {
        "leaflet": job.slug, "lang": job.lang, "format": job.format, "edition": job.edition,
        "size_pt": job.size_pt, "path": job.path(), "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data), "seconds": seconds, "key": key, "title": meta.title,
        "review": meta.review.isoformat(), "draft": translation.draft,
    }
    return Outcome(job, "built", seconds=seconds, entry=entry, warnings=warnings)


def _prepare_task(library: Library, group: tuple[str, str, str], strict: bool):
    """``prepare()`` as a task: (translation, options, error message)."""
    slug, lang, edition = group
    try:
        translation, options = prepare(library, slug, lang, edition, strict)
    except LeafletError as exc:
        return None, None, str(exc)
    except Exception as exc:
        rel = library.rel(library.source_file(slug, edition))
        return None, None, f"{rel}: could not be read ({type(exc).__name__}: {exc})"
    return translation, options, ""


# Running the artifacts -------------------------------------------------------------------

# Rough seconds per artifact, before a manifest has measured them: used to decide whether
# a pool pays, and to hand out the heaviest renders first.
EXPECTED_SECONDS = {"pdf": 0.6, "docx": 0.1, "epub": 0.06, "html": 0.05, "text": 0.01}
PREPARE_SECONDS = 0.05
POOL_MIN_SECONDS = 1.0  # below this much work, forking workers costs more than it saves
# After this many tasks a worker is replaced, so that its memory cannot creep.  Not much
# fewer: a new worker's first renders pay again for compiling templates and loading fonts
# (about 0.3 s), which at 40 tasks cost a tenth of a large build's time.
MAX_TASKS_PER_WORKER = 150


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports kB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


@dataclass
class _Failure:
    """A task that could not run: its worker died, or it raised past its own handler."""

    reason: str


class _Schedule:
    """The work left: one parse-and-translate task per leaflet, language and source
    edition, and the renders it makes possible.  Renders are handed out heaviest first,
    so that a build does not end with one PDF on one core while the others idle; groups
    are prepared only a little ahead of the renders, so their parsed leaflets are not all
    held at once."""

    def __init__(self, library: Library, out: Path, stale: dict, strict: bool,
                 costs: dict[Job, float], lookahead: int):
        self.library, self.out, self.strict = library, out, strict
        self.pending = deque(stale.items())
        self.costs = costs
        self.lookahead = lookahead
        self.ready: list = []  # (cost, sequence, job, key, group)
        self.prepared: dict = {}  # group -> (translation, options, renders left)
        self.warnings: list[Problem] = []
        self.keys: dict[tuple, list] = {}

    def next(self):
        """The next task as (function, arguments, tag), or None if nothing can start now."""
        if self.pending and (len(self.ready) < self.lookahead or not self.ready):
            group, jobs = self.pending.popleft()
            self.keys[group] = jobs
            return _prepare_task, (self.library, group, self.strict), ("prepare", group)
        if self.ready:
            self.ready.sort(key=lambda r: (r[0], -r[1]))
            _, _, job, key, group = self.ready.pop()
            translation, options, _ = self.prepared[group]
            return render, (self.out, job, translation, options, key, self.strict), \
                ("render", job, group)
        return None

    def done(self, tag, result) -> list[Outcome]:
        """Record a finished task; the outcomes it settles."""
        if isinstance(result, _Failure):
            return self.failed(tag, result.reason)
        if tag[0] == "prepare":
            group = tag[1]
            translation, options, error = result
            jobs = self.keys.pop(group)
            if error:
                return [Outcome(job, "failed", error=error) for job, _ in jobs]
            self.warnings.extend(translation.warnings)
            self.warnings.extend(translation.fallbacks)
            self.prepared[group] = [translation, options, len(jobs)]
            for job, key in jobs:
                self.ready.append((self.costs[job], len(self.ready), job, key, group))
            return []
        _, job, group = tag
        self._rendered(group)
        self.warnings.extend(result.warnings)
        return [result]

    def failed(self, tag, reason: str) -> list[Outcome]:
        if tag[0] == "prepare":
            slug, _, edition = tag[1]
            rel = self.library.rel(self.library.source_file(slug, edition))
            return [Outcome(job, "failed", error=f"{rel}: could not be read ({reason})")
                    for job, _ in self.keys.pop(tag[1])]
        _, job, group = tag
        self._rendered(group)
        return [Outcome(job, "failed", error=f"{job.path()}: could not be written ({reason})")]

    def _rendered(self, group) -> None:
        self.prepared[group][2] -= 1
        if not self.prepared[group][2]:
            del self.prepared[group]  # its parsed leaflet is no longer needed


def _run_here(schedule: _Schedule, record: Callable[[list[Outcome]], None]) -> float:
    """Run every task in this process, one after another."""
    while (task := schedule.next()) is not None:
        function, arguments, tag = task
        try:
            result = function(*arguments)
        except Exception as exc:
            result = _Failure(f"{type(exc).__name__}: {exc}")
        record(schedule.done(tag, result))
    return _peak_mb()


def _worker_main(connection) -> None:
    """A worker: run the tasks the parent sends until it sends None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C for everyone
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        function, arguments = task
        try:
            result = function(*arguments)
        except Exception as exc:
            result = _Failure(f"{type(exc).__name__}: {exc}")
        connection.send((result, _peak_mb()))


class _Worker:
    """One forked worker process and the pipe the parent talks to it through.

    Workers are forked from the builder, which has imported the writers the build needs
    (WeasyPrint alone takes over a second to import), so a new worker starts warm; each
    is replaced after MAX_TASKS_PER_WORKER tasks, so that no worker's memory grows with
    the size of the library."""

    def __init__(self, context):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.tasks = 0

    def receive(self):
        """The worker's answer, or None if it died without one."""
        try:
            if self.connection.poll():
                return self.connection.recv()
        except (EOFError, OSError):
            pass
        return None

    def stop(self, now: bool = False) -> None:
        if not now:
            try:
                self.connection.send(None)
            except OSError:
                pass
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        why = ": out of memory?" if -exitcode == signal.SIGKILL else ""
        return f"the worker rendering it was stopped by {name}{why}"
    return f"the worker rendering it stopped (exit status {exitcode})"


def _run_pool(schedule: _Schedule, size: int, record: Callable[[list[Outcome]], None]) -> float:
    """Run the tasks in ``size`` forked worker processes; the peak memory of a worker."""
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context("fork")
    idle = [_Worker(context) for _ in range(size)]
    busy: dict[_Worker, tuple] = {}
    peak = 0.0
    try:
        while True:
            while idle and (task := schedule.next()) is not None:
                worker = idle.pop()
                function, arguments, tag = task
                try:
                    worker.connection.send((function, arguments))
                except Exception as exc:  # it could not be pickled, or the worker is gone
                    record(schedule.failed(tag, f"{type(exc).__name__}: {exc}"))
                    if worker.process.is_alive():
                        idle.append(worker)
                    else:
                        worker.stop(now=True)
                        idle.append(_Worker(context))
                    continue
                busy[worker] = tag
            if not busy:
                return peak
            by_handle = {}
            for worker in busy:
                by_handle[worker.connection] = worker
                by_handle[worker.process.sentinel] = worker
            for worker in {by_handle[h] for h in wait(list(by_handle))}:
                tag = busy.pop(worker)
                answer = worker.receive()
                if answer is None:
                    worker.process.join(1)
                    record(schedule.failed(tag, _death(worker.process.exitcode)))
                    worker.stop(now=True)
                    idle.append(_Worker(context))
                    continue
                result, worker_mb = answer
                peak = max(peak, worker_mb)
                record(schedule.done(tag, result))
                worker.tasks += 1
                if worker.tasks >= MAX_TASKS_PER_WORKER:
                    worker.stop()
                    idle.append(_Worker(context))
                else:
                    idle.append(worker)
    finally:
        for worker in idle:
            worker.stop()
        for worker, tag in busy.items():  # interrupted: stop at once, remove half-written files
            worker.stop(now=True)
            if tag[0] == "render":
                target = schedule.out / tag[1].path()
                for temporary in target.parent.glob(f".{target.name}.*.tmp"):
                    temporary.unlink(missing_ok=True)


# The build -------------------------------------------------------------------------------

def shard_jobs(jobs: list[Job], index: int, count: int) -> list[Job]:
    """Slice ``index`` (1 to ``count``) of the matrix, for spreading a build over machines.

    Whole groups go to one slice (each leaflet and language is parsed once), balanced by a
    fixed estimate of their cost, never by timings, so that every machine computes the same
    slices from the same library and selection; together the slices are the whole matrix,
    and no artifact is in two."""
    if not 1 <= index <= count:
        raise LeafletError("", None, f"shard {index}/{count}: the slice must be 1 to {count}")
    groups: dict[tuple, list[Job]] = {}
    for job in sorted(jobs):
        groups.setdefault(job.group, []).append(job)

    def weight(group):
        return sum(EXPECTED_SECONDS.get(j.format, 0.1) for j in groups[group]) + PREPARE_SECONDS

    loads = [0.0] * count
    mine: list[Job] = []
    for group in sorted(groups, key=lambda g: (-weight(g), g)):
        target = min(range(count), key=lambda i: (loads[i], i))
        loads[target] += weight(group)
        if target == index - 1:
            mine.extend(groups[group])
    return sorted(mine)


def build(library: Library, out: Path, selection: Selection = Selection(), force: bool = False,
          strict: bool = False, progress: Progress | None = None, jobs: int | None = None,
          shard: tuple[int, int] | None = None) -> Report:
    """Build what the selection asks for into ``out`` and update the manifest.

    ``jobs`` is how many artifacts are rendered at once (default: the cores); ``shard``
    (index, count) builds one deterministic slice of the matrix; ``progress`` is called
    in this process with each outcome, the number done and the number in all."""
    started = time.perf_counter()
    check_out(library, out)
    report = Report()
    planned, problems = plan(library, selection)
    report.problems.extend(problems)
    if shard:
        planned = shard_jobs(planned, *shard)
    previous = {e["path"]: e for e in load_manifest(out, report.warnings)}
    total = len(planned)

    def record(outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            report.outcomes.append(outcome)
            if progress:
                progress(outcome, len(report.outcomes), total)

    inputs = Inputs(library)
    stale: dict[tuple, list[tuple[Job, str]]] = {}
    for job in planned:
        key = artifact_key(library, job, inputs)
        old = previous.get(job.path())
        if not force and old and old.get("key") == key and _intact(out / job.path(), old):
            record([Outcome(job, "skipped", entry=old)])
        else:
            stale.setdefault(job.group, []).append((job, key))

    # Import the writers this build needs now, before any worker is forked, so that every
    # worker (and every one that replaces a recycled worker) starts with them loaded.
    unusable = {}
    for name in sorted({job.format for group in stale.values() for job, _ in group}):
        try:
            formats.writer(name)
        except Exception as exc:
            unusable[name] = str(exc) if isinstance(exc, LeafletError) else \
                f"the {name} writer cannot be loaded ({type(exc).__name__}: {exc})"
    for group in list(stale):
        record([Outcome(job, "failed", error=unusable[job.format])
                for job, _ in stale[group] if job.format in unusable])
        stale[group] = [(job, key) for job, key in stale[group] if job.format not in unusable]
        if not stale[group]:
            del stale[group]

    costs = {job: (previous.get(job.path()) or {}).get("seconds")
             or EXPECTED_SECONDS.get(job.format, 0.1)
             for group in stale.values() for job, _ in group}
    workers = max(1, min(jobs or default_jobs(), len(costs)))
    if sum(costs.values()) + PREPARE_SECONDS * len(stale) < POOL_MIN_SECONDS:
        workers = 1
    report.workers = workers
    schedule = _Schedule(library, out, stale, strict, costs, lookahead=2 * workers)
    entries = dict(previous)
    try:
        if workers == 1:
            report.peak_worker_mb = _run_here(schedule, record)
        else:
            report.peak_worker_mb = _run_pool(schedule, workers, record)
    finally:  # also when interrupted: what was built stays built, and in the manifest
        for outcome in report.outcomes:
            if outcome.entry is not None:
                entries[outcome.entry["path"]] = outcome.entry
        kept = prune(library, out, list(entries.values()))
        save_manifest(out, kept)
    report.warnings.extend(schedule.warnings)
    report.problems.extend(after_manifest(library, out, kept, selection.ui_lang))
    report.seconds = round(time.perf_counter() - started, 3)
    return report


# Joining shards ------------------------------------------------------------------------

@dataclass
class MergeReport:
    artifacts: int = 0  # entries in the merged manifest
    copied: int = 0  # files copied into the output folder
    problems: list[Problem] = field(default_factory=list)


def merge_manifests(library: Library, out: Path, sources: list[Path],
                    ui_lang: str = "en-GB") -> MergeReport:
    """Join the builds of several shards into ``out`` and its one manifest.

    Each source is a shard's output folder (or its manifest.json).  Every file is checked
    against the hash its shard recorded and copied into ``out`` unless it is there
    already; entries already in ``out`` are kept unless a shard replaces them.  Two shards
    that made the same path differently are a conflict: the first is kept and it is
    reported."""
    out = out.resolve()
    check_out(library, out)
    report = MergeReport()
    merged = {e["path"]: e for e in load_manifest(out, report.problems)}
    origin: dict[str, Path] = {}
    for source_path in sources:
        folder = (source_path.parent if source_path.is_file() else source_path).resolve()
        manifest = source_path if source_path.is_file() else source_path / MANIFEST
        try:
            entries = read_manifest(manifest, report.problems)
        except LeafletError as exc:
            report.problems.extend(exc.problems)
            continue
        for entry in entries:
            rel = entry["path"]
            if entry_job(entry) is None:  # read_manifest keeps none, but never copy one
                continue
            file = (folder / rel).resolve()
            where = f"{manifest}: {rel}"
            if not file.is_relative_to(folder) or not (out / rel).resolve().is_relative_to(out):
                report.problems.append(Problem(str(manifest), None, f"'{rel}' is outside "
                                               "the build folder; not merged"))
                continue
            if not _intact(file, entry):
                report.problems.append(Problem(str(manifest), None, f"{rel}: the file is "
                                               "missing or changed since its shard built it"))
                continue
            if rel in origin and merged[rel].get("sha256") != entry.get("sha256"):
                report.problems.append(Problem(str(manifest), None, f"{rel}: built differently "
                                               f"by {origin[rel]}; that one is kept "
                                               "(were the shards built from the same "
                                               "library?)"))
                continue
            if folder != out and not _intact(out / rel, entry):
                try:
                    (out / rel).parent.mkdir(parents=True, exist_ok=True)
                    temporary = (out / rel).with_name(f".{file.name}.merge.tmp")
                    shutil.copyfile(file, temporary)
                    os.replace(temporary, out / rel)
                except OSError as exc:
                    report.problems.append(Problem(where, None, f"cannot be copied "
                                                   f"({exc.strerror})"))
                    continue
                report.copied += 1
            merged[rel] = entry
            origin[rel] = manifest
    save_manifest(out, list(merged.values()))
    report.artifacts = len(merged)
    report.problems.extend(after_manifest(library, out, list(merged.values()), ui_lang))
    return report
