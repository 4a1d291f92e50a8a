"""The builder: which artifacts to make, which are up to date, where they go, and the manifest.

Writers only turn one leaflet into bytes; everything about files (paths,
atomic writes, the cache, the manifest) happens here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import formats
from formats.options import DEFAULT_SIZE_PT, Assets, Availability, WriterOptions
from formats import index as library_index
from formats import theme

from . import __version__, langs, locale, source
from .errors import Collector, LeafletError, Problem
from .library import Library
from .model import Leaflet

MANIFEST = "manifest.json"
PACKAGE_DIRS = (Path(__file__).resolve().parent, Path(formats.__file__).resolve().parent)


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


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # failures not tied to one artifact
    warnings: list[Problem] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.count("failed") > 0


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
        source_lang = source_language(library, slug)
        if source_lang is None:
            continue  # reported when the leaflet is read
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
                    if edition == "easy-read" and not easy_available(library, slug, lang, source_lang):
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


def source_language(library: Library, slug: str) -> str | None:
    """The language a leaflet is written in, read cheaply from its front matter."""
    try:
        text = source.read_text(library.source_file(slug), slug)
        front, _, _ = source.split_front_matter(text, slug)
        for line in front.split("\n"):
            key, _, value = line.partition(":")
            if key.strip() == "language" and value.strip():
                return langs.normalise(value.strip().strip("'\""))
    except (LeafletError, ValueError):
        return None
    return None


def languages(library: Library, slug: str, source_lang: str) -> list[str]:
    """The source language first, then every language with a catalog."""
    others = [l for l in library.catalog_languages(slug) if l != source_lang]
    return [source_lang, *others]


def easy_available(library: Library, slug: str, lang: str, source_lang: str) -> bool:
    if not library.has_easy_read(slug):
        return False
    return lang == source_lang or library.catalog(lang, slug, "easy-read").is_file()


def availability(library: Library, slug: str, source_lang: str) -> tuple[Availability, ...]:
    """What the "also available" panel lists: every language that exists for the
    leaflet with its editions, whatever this run happens to build."""
    out = []
    for lang in languages(library, slug, source_lang):
        editions = ["standard", "large-print"]
        if easy_available(library, slug, lang, source_lang):
            editions.append("easy-read")
        out.append(Availability(lang, langs.native_name(lang), tuple(editions),
                                langs.direction(lang)))
    return tuple(out)


# Reading and translating ------------------------------------------------------

def read_leaflet(library: Library, slug: str, edition: str = "standard",
                 problems: Collector | None = None) -> Leaflet:
    """Parse one edition of a leaflet; the easy read edition takes code, version
    and dates from the standard one unless it sets its own."""
    defaults = None
    if edition == "easy-read":
        standard = source.parse_file(library.source_file(slug), library.root)
        meta = standard.meta
        defaults = {"title": meta.title, "organisation": meta.organisation,
                    "language": meta.language, "published": meta.published,
                    "review": meta.review, "code": meta.code, "version": meta.version,
                    "requests": meta.requests, "online": meta.online, "owner": meta.owner,
                    "region": meta.region}
    return source.parse_file(library.source_file(slug, edition), library.root, edition,
                             defaults, problems)


def source_date(leaflet: Leaflet) -> dt.datetime:
    """The timestamp stamped into outputs: SOURCE_DATE_EPOCH, else the publication date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    published = leaflet.meta.published
    return dt.datetime(published.year, published.month, published.day, tzinfo=dt.timezone.utc)


# Keys and files -----------------------------------------------------------------

def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _tree_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


_TOOL_HASH: str | None = None


def tool_fingerprint() -> str:
    """The tool's version and a hash of its own code, templates and CSS."""
    global _TOOL_HASH
    if _TOOL_HASH is None:
        files = [p for d in PACKAGE_DIRS for p in _tree_files(d) if p.suffix not in (".pyc",)]
        _TOOL_HASH = f"{__version__}:{_hash_files(files)}"
    return _TOOL_HASH


def artifact_key(library: Library, job: Job, options: WriterOptions) -> str:
    """A hash of everything the artifact depends on."""
    folder = library.folder(job.slug)
    catalogs = [library.catalog(job.lang, job.slug, job.edition),
                library.catalog(job.lang, job.slug), library.locales / job.lang / "ui.po",
                library.locales / job.lang / "reviews.yaml"]
    parts = {
        "tool": tool_fingerprint(),
        "job": dataclasses.astuple(job),
        "sources": _hash_files(_tree_files(folder)),
        "catalogs": _hash_files([p for p in catalogs if p.is_file()]),
        "theme": _hash_files(_tree_files(library.theme)),
        "options": repr(dataclasses.replace(options, assets=None)),
        "words": sorted(options.words.items()),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old one or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def load_manifest(out: Path) -> list[dict]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return [e for e in data.get("artifacts", []) if isinstance(e, dict) and "path" in e]
    except (OSError, ValueError, AttributeError):
        return []


def save_manifest(out: Path, entries: list[dict]) -> None:
    entries = sorted(entries, key=lambda e: e["path"])
    text = json.dumps({"artifacts": entries}, indent=2, ensure_ascii=False) + "\n"
    write_atomic(out / MANIFEST, text.encode("utf-8"))


# The build ------------------------------------------------------------------------

def build(library: Library, out: Path, selection: Selection = Selection(), force: bool = False,
          strict: bool = False, progress=None) -> Report:
    """Build what the selection asks for into ``out`` and update the manifest."""
    report = Report()
    jobs, problems = plan(library, selection)
    report.problems.extend(problems)
    previous = {e["path"]: e for e in load_manifest(out)}

    groups: dict[tuple[str, str, str], list[Job]] = {}
    for job in jobs:
        source_edition = "easy-read" if job.edition == "easy-read" else "standard"
        groups.setdefault((job.slug, job.lang, source_edition), []).append(job)

    for (slug, lang, source_edition), group in groups.items():
        try:
            translation, options_base = prepare(library, slug, lang, source_edition, strict)
        except LeafletError as exc:
            for job in group:
                report.outcomes.append(Outcome(job, "failed", error=str(exc)))
                if progress:
                    progress(report.outcomes[-1])
            continue
        report.warnings.extend(translation.warnings)
        report.warnings.extend(translation.fallbacks)
        for job in group:
            outcome = render(library, out, job, translation, options_base, previous, force)
            report.outcomes.append(outcome)
            if progress:
                progress(outcome)

    entries = dict(previous)
    for outcome in report.outcomes:
        if outcome.entry is not None:
            entries[outcome.entry["path"]] = outcome.entry
    save_manifest(out, prune(library, out, list(entries.values())))
    library_index.write_library_index(library, out, selection.ui_lang)
    return report


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


def render(library: Library, out: Path, job: Job, translation: locale.Translation,
           base: WriterOptions, previous: dict[str, dict], force: bool) -> Outcome:
    options = dataclasses.replace(base, edition=job.edition,
                                  size_pt=job.size_pt if job.edition != "standard" else 0.0)
    key = artifact_key(library, job, options)
    target = out / job.path()
    old = previous.get(job.path())
    if not force and old and old.get("key") == key and sha256_file(target) == old.get("sha256"):
        return Outcome(job, "skipped", entry=old)
    started = time.perf_counter()
    try:
        data = formats.writer(job.format)(translation.leaflet, options)
        write_atomic(target, data)
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
    return Outcome(job, "built", seconds=seconds, entry=entry)


def prune(library: Library, out: Path, entries: list[dict]) -> list[dict]:
    """Drop entries (and their files) whose leaflet or language no longer exists."""
    slugs = set(library.slugs())
    kept = []
    cache: dict[str, set[str]] = {}
    for entry in entries:
        slug = entry.get("leaflet", "")
        if slug in slugs and slug not in cache:
            lang = source_language(library, slug)
            cache[slug] = set(languages(library, slug, lang)) if lang else set()
        if slug in slugs and entry.get("lang") in cache.get(slug, set()):
            kept.append(entry)
            continue
        target = (out / entry["path"]).resolve()
        if target.is_relative_to(out.resolve()):
            target.unlink(missing_ok=True)
    return kept
