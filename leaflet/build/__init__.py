"""The builder: which artifacts to make, which are up to date, where they go, and the manifest.

Writers only turn one leaflet into a result (bytes, facts, warnings); everything about
files and about running many writers at once happens here, one job per module:

- ``plan``: the matrix (leaflets x languages x formats x editions) a selection asks
  for, read from the format registry and the leaflets' front matter;
- ``hooks``: what the format records say about this machine (which languages a format
  can be made in, its engines' fingerprints), asked once per build;
- ``keys``: each artifact's cache key, a hash of its inputs, read without parsing;
- ``artifact``: parse once per leaflet and edition, translate per language, render;
- ``run``: the renders, in this process or in a pool of worker processes;
- ``manifest``: ``<out>/manifest.json``, kept true as artifacts land;
- ``index``: ``<out>/index.html``, written from the manifest after every build.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import formats

from .. import approvals
from ..errors import LeafletError, Problem
from ..library import Library
from . import run
from .artifact import Outcome
from .coverage_cache import CoverageCache
from .index import after_manifest, leaflet_details, write_index, write_library_index
from .keys import Inputs, artifact_key, list_fonts_ahead, tool_fingerprint
from .manifest import (MANIFEST, Manifest, check_out, entry_job, intact, load_manifest, locked,
                       prune, read_manifest)
from .plan import (PREPARE_SECONDS, Job, Selection, Sources, estimate, languages, plan_jobs,
                   shard_jobs)
from .run import Interrupted

__all__ = [
    "Interrupted", "Job", "LeafletError", "MANIFEST", "MergeReport", "Outcome", "Report",
    "Selection", "artifact_key", "build", "entry_job", "languages", "leaflet_details",
    "load_manifest", "merge_manifests", "plan_jobs", "read_manifest", "shard_jobs",
    "tool_fingerprint", "write_index", "write_library_index",
]


@dataclass
class Report:
    """What one build did."""

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

    def failure_lines(self, tracebacks: bool = False) -> list[str]:
        """Every failure, one line each (with ``tracebacks``, a writer's own traceback
        after its line)."""
        lines = [str(p) if p.path else f"error: {p.message}" for p in self.problems]
        for outcome in self.outcomes:
            if outcome.status == "failed":
                lines.extend(line for line in outcome.error.splitlines() if line not in lines)
                if tracebacks and outcome.traceback:
                    lines.append(outcome.traceback.rstrip())
        return lines

    def by_format(self) -> dict[str, dict]:
        """Built, skipped and failed artifacts and render seconds per format, in the
        registry's order."""
        rows: dict[str, dict] = {}
        for outcome in self.outcomes:
            row = rows.setdefault(outcome.job.format, {"built": 0, "skipped": 0, "failed": 0,
                                                       "unavailable": 0, "seconds": 0.0})
            row[outcome.status] += 1
            row["seconds"] += outcome.seconds
        order = list(formats.FORMATS)
        return dict(sorted(rows.items(), key=lambda item: (
            order.index(item[0]) if item[0] in order else len(order), item[0])))

    def summary(self, out: Path, tracebacks: bool = False) -> dict:
        """The build in numbers, for scripts (``leaflet build --json``)."""
        return {
            "built": self.count("built"), "skipped": self.count("skipped"),
            "failed": self.count("failed"), "unavailable": self.count("unavailable"),
            "seconds": self.seconds,
            "render_seconds": round(self.render_seconds, 3), "workers": self.workers,
            "peak_worker_mb": self.peak_worker_mb, "out": str(out),
            "failures": self.failure_lines(tracebacks),
            "failed_artifacts": [o.job.path() for o in self.outcomes if o.status == "failed"],
            "warnings": [str(w) for w in self.warnings],
        }


Progress = Callable[[Outcome, int, int], None]  # (outcome, artifacts done, artifacts in all)


def build(library: Library, out: Path, selection: Selection | None = None, force: bool = False,
          strict: bool = False, progress: Progress | None = None, jobs: int | None = None,
          shard: tuple[int, int] | None = None,
          timeout: float | None = run.RENDER_TIMEOUT) -> Report:
    """Build what the selection asks for into ``out`` and update the manifest.

    ``jobs`` is how many artifacts are rendered at once (default: the cores; 1 renders in
    this process); ``timeout`` is how long one render may take in a worker; ``shard``
    (index, count) builds one deterministic slice of the matrix; ``progress`` is called
    in this process with each outcome, the number done and the number in all.  Ctrl-C,
    TERM and HUP stop the build with ``Interrupted``; what was built is kept."""
    selection = selection or Selection()
    started = time.perf_counter()
    list_fonts_ahead()  # for the keys: fc-list runs while the library is read
    check_out(library, out)
    with run.interruptible(), locked(out, library.rel(out)):
        report = _build(library, out, selection, force, strict, progress, jobs, shard, timeout)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def approved_only(library: Library, planned: list[Job], report: Report) -> list[Job]:
    """The jobs of leaflets not awaiting approval; each one that is, an error (--strict)."""
    waiting = sorted({job.slug for job in planned if approvals.awaiting(library, job.slug)})
    for slug in waiting:
        report.problems.append(Problem(library.rel(library.source_file(slug)), 1,
                                       "the text changed after its last approval: --strict "
                                       f"builds only approved text ('leaflet approve {slug}' "
                                       "records an approval)"))
    return [job for job in planned if job.slug not in waiting]


def _build(library, out, selection, force, strict, progress, jobs, shard, timeout) -> Report:
    report = Report()
    report.warnings.extend(library.outside_links())
    sources = Sources(library, CoverageCache.in_output(out, tool_fingerprint))
    unavailable: list[Job] = []  # in a language the format's engine lacks: not made
    planned, problems = plan_jobs(library, selection, sources, unavailable)
    report.problems.extend(p for p in problems if not p.warning)
    report.warnings.extend(p for p in problems if p.warning)
    if strict:
        planned = approved_only(library, planned, report)
    if shard:
        mine = set(shard_jobs(planned + unavailable, *shard))
        planned = [job for job in planned if job in mine]
        unavailable = [job for job in unavailable if job in mine]
    previous = {e["path"]: e for e in load_manifest(out, report.warnings)}
    manifest = Manifest(out, list(previous.values()))

    def record(outcome: Outcome) -> None:
        report.outcomes.append(outcome)
        if outcome.entry is not None and outcome.status == "built":
            manifest.add(outcome.entry)
        if progress:
            progress(outcome, len(report.outcomes), len(planned) + len(unavailable))

    for job in unavailable:
        record(Outcome(job, "unavailable"))
    settings = dict(selection.writer_settings)
    inputs = Inputs(library, sources, settings)
    stale: dict[tuple, list[tuple[Job, str]]] = {}
    for job in planned:
        key = artifact_key(library, job, inputs)
        old = previous.get(job.path())
        if not force and old and old.get("key") == key and intact(out / job.path(), old):
            record(Outcome(job, "skipped", entry=old))
        else:
            stale.setdefault(job.group, []).append((job, key))
    _load_writers(stale, record)

    costs = {job: (previous.get(job.path()) or {}).get("seconds") or estimate(job)
             for group in stale.values() for job, _ in group}
    workers = max(1, min(jobs or run.default_jobs(), len(costs)))
    if sum(costs.values()) + PREPARE_SECONDS * len(stale) < run.POOL_MIN_SECONDS:
        workers = 1
    report.workers = workers
    schedule = run.Schedule(library, out, sources, stale, strict, costs,
                            lookahead=2 * workers, record=record, idle=manifest.flush,
                            settings=settings, changing=manifest.changing)
    try:
        # From here until each lands, the files of these entries may change: their entries
        # go before the first file changes (within the try: a signal just after this must
        # still put back the entries of intact files).
        manifest.forget_before_change([job.path() for group in stale.values()
                                       for job, _ in group])
        if workers == 1:
            report.peak_worker_mb = run.run_here(schedule)
        else:
            report.peak_worker_mb = run.run_pool(schedule, workers, timeout)
    finally:  # also when interrupted: what was built stays built, and in the manifest
        manifest.settle()
        for group in stale.values():  # failed, or never reached: the old file, if intact
            for job, _ in group:
                old = previous.get(job.path())
                if old and job.path() not in manifest.entries and intact(out / old["path"], old):
                    manifest.entries[old["path"]] = old
        kept, gone = prune(library, out, list(manifest.entries.values()), sources)
        manifest.entries = {e["path"]: e for e in kept}
        manifest.save()
        sources.save_cache()  # what was worked out for the keys and the renders' panels
        for path in gone:  # only once the manifest no longer names them
            path.unlink(missing_ok=True)
    report.warnings.extend(schedule.warnings)
    report.problems.extend(after_manifest(library, out, kept, selection.ui_lang, sources))
    return report


def _load_writers(stale: dict, record: Callable[[Outcome], None]) -> None:
    """Import the writers this build needs now, before any worker is forked, so that every
    worker (and every one that replaces a recycled worker) starts with them loaded; the
    artifacts of a writer that cannot be loaded fail, and leave ``stale``."""
    unusable = {}
    for name in sorted({job.format for group in stale.values() for job, _ in group}):
        try:
            formats.get(name).load()
        except Exception as exc:
            unusable[name] = str(exc) if isinstance(exc, LeafletError) else \
                f"the {name} writer cannot be loaded ({type(exc).__name__}: {exc})"
    for group in list(stale):
        for job, _ in stale[group]:
            if job.format in unusable:
                record(Outcome(job, "failed", error=unusable[job.format]))
        stale[group] = [(job, key) for job, key in stale[group] if job.format not in unusable]
        if not stale[group]:
            del stale[group]


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
    with run.interruptible(), locked(out, library.rel(out)):
        report = MergeReport()
        merged = Manifest(out, load_manifest(out, report.problems))
        origin: dict[str, Path] = {}
        for source_path in sources:
            _merge_one(out, source_path, merged, origin, report)
        merged.save()
        report.artifacts = len(merged.entries)
        report.problems.extend(after_manifest(library, out, list(merged.entries.values()),
                                              ui_lang))
    return report


def _merge_one(out: Path, source_path: Path, merged: Manifest, origin: dict[str, Path],
               report: MergeReport) -> None:
    folder = (source_path.parent if source_path.is_file() else source_path).resolve()
    manifest = source_path if source_path.is_file() else source_path / MANIFEST
    try:
        entries = read_manifest(manifest, report.problems)
    except LeafletError as exc:
        report.problems.extend(exc.problems)
        return
    accepted = []
    for entry in entries:
        rel = entry["path"]
        if entry_job(entry) is None:  # read_manifest keeps none, but never copy one
            continue
        file = (folder / rel).resolve()
        if not file.is_relative_to(folder) or not (out / rel).resolve().is_relative_to(out):
            report.problems.append(Problem(str(manifest), None, f"'{rel}' is outside the "
                                           "build folder; not merged"))
        elif not intact(file, entry):
            report.problems.append(Problem(str(manifest), None, f"{rel}: the file is missing "
                                           "or changed since its shard built it"))
        elif rel in origin and merged.entries[rel].get("sha256") != entry.get("sha256"):
            report.problems.append(Problem(str(manifest), None, f"{rel}: built differently by "
                                           f"{origin[rel]}; that one is kept (were the shards "
                                           "built from the same library?)"))
        else:
            accepted.append((entry, file, folder != out and not intact(out / rel, entry)))
    merged.forget([entry["path"] for entry, _, copy in accepted if copy])  # files to change
    for entry, file, copy in accepted:
        rel = entry["path"]
        if copy:
            try:
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                temporary = (out / rel).with_name(f".{file.name}.merge.tmp")
                shutil.copyfile(file, temporary)
                os.replace(temporary, out / rel)
            except OSError as exc:
                report.problems.append(Problem(f"{manifest}: {rel}", None, f"cannot be copied "
                                               f"({exc.strerror})"))
                continue
            report.copied += 1
        merged.add(entry)
        origin[rel] = manifest
