"""One artifact: its leaflet parsed once per edition, translated once per language, and
rendered by its format's writer.

Parsing does not depend on the language, so ``Sources`` parses each edition of
each leaflet once per build and ``prepare()`` translates the parsed tree into
each language.  ``render()`` runs a writer and may run in a worker process: it
returns the writer's bytes, facts and warnings and never writes a file; a format
that another's render makes (its record's ``made_by``) comes from that render.
``land()`` runs in the builder: it writes the file atomically and makes the
artifact's manifest entry, with the facts its format's record names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import formats
from formats.options import DEFAULT_SIZE_PT, Assets, Availability, WriterOptions

from .. import approvals, i18n
from .. import settings as library_settings
from ..errors import LeafletError, Problem
from ..files import PICTOGRAM_FOLDER, source_date_epoch, write_atomic
from ..library import Library, theme_options
from ..model import Leaflet
from .manifest import holds
from .plan import Job, Sources


@dataclass
class Outcome:
    """What became of one artifact."""

    job: Job
    status: str  # "built", "skipped" (up to date), "failed", or "unavailable" (here)
    seconds: float = 0.0
    error: str = ""
    entry: dict | None = None
    warnings: list[Problem] = field(default_factory=list)  # about this artifact
    traceback: str = ""  # a writer's own bug, for --debug


@dataclass
class Result:
    """A render's answer for one artifact: its bytes, or why there are none."""

    data: bytes | None
    seconds: float = 0.0
    error: str = ""
    traceback: str = ""
    warnings: list[Problem] = field(default_factory=list)
    peak_mb: float = 0.0  # the peak memory of the process that rendered it
    unavailable: bool = False  # not made, and rightly: its engine lacks the language
    extra: dict = field(default_factory=dict)  # more fields for its manifest entry


def source_date(leaflet: Leaflet) -> dt.datetime:
    """The timestamp stamped into outputs: SOURCE_DATE_EPOCH, else the publication date."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    published = leaflet.meta.published
    return dt.datetime(published.year, published.month, published.day, tzinfo=dt.timezone.utc)


def availability(panel: list[tuple[str, tuple[str, ...], bool]],
                 sources: Sources) -> tuple[Availability, ...]:
    """The panel with each language named in itself and its direction, for the writers,
    and the formats with an availability of their own that exist in it."""
    names = sources.panel_names([entry[0] for entry in panel])
    return tuple(Availability(lang, name, editions, direction,
                              sources.hooks.panel_formats(lang), draft=draft)
                 for (lang, editions, draft), (name, direction) in zip(panel, names,
                                                                       strict=True))


def prepare(library: Library, sources: Sources, group: tuple[str, str, str],
            strict: bool) -> tuple[i18n.Translation, WriterOptions]:
    """The translation and the writer options every artifact of one leaflet, language and
    source edition shares (the selection's writer settings are set on them by the
    schedule); the leaflet is parsed once per build, by ``sources``."""
    slug, lang, edition = group
    leaflet = sources.leaflet(slug, edition)
    translation = i18n.translate(library, leaflet, lang, strict=strict)
    site = library_settings.load(library.root)
    translation = with_web_address(translation, site, slug, lang, edition)
    options = WriterOptions(
        edition=edition,
        available=with_page_links(availability(sources.panel(slug) or [], sources), site,
                                  slug),
        draft=translation.draft,
        awaiting_approval=approvals.awaiting(library, slug),
        assets=Assets(folder=str(library.folder(slug)), pictograms=str(PICTOGRAM_FOLDER),
                      extra=(str(library.theme),) if library.theme.is_dir() else ()),
        words=i18n.ui_words(library, lang),
        ui_lang=lang,
        source_date=source_date(leaflet),
        **theme_options(library),
    )
    return translation, options


def with_web_address(translation: i18n.Translation, site: library_settings.Settings,
                     slug: str, lang: str, edition: str) -> i18n.Translation:
    """With a site_url, a leaflet that names no ``online:`` address of its own is online
    at its web page there: the PDF's "Read online" QR code and every footer say so."""
    meta = translation.leaflet.meta
    if not site.site_url or meta.online:
        return translation
    page = Job(slug, lang, formats.web_page().name,
               "easy-read" if edition == "easy-read" else "standard",
               DEFAULT_SIZE_PT["easy-read" if edition == "easy-read" else "standard"])
    leaflet = dataclasses.replace(translation.leaflet, meta=dataclasses.replace(
        meta, online=site.page_url(page.path())))
    return dataclasses.replace(translation, leaflet=leaflet)


def with_page_links(available: tuple[Availability, ...], site: library_settings.Settings,
                    slug: str) -> tuple[Availability, ...]:
    """The panel's languages linked to their web pages, with a site_url."""
    if not site.site_url:
        return available
    return tuple(dataclasses.replace(a, href=site.page_url(
        Job(slug, a.lang, formats.web_page().name, "standard",
            DEFAULT_SIZE_PT["standard"]).path()))
        for a in available)


def render_all(jobs: list[Job], leaflet: Leaflet, base: WriterOptions,
               strict: bool = False) -> list[Result]:
    """Several artifacts of one leaflet, language and edition, one after another in one
    process, in the order given: artifacts that one render makes together (a format and
    its companions, at the same edition and size) are rendered once."""
    units: dict[tuple, list[Job]] = {}
    for job in jobs:
        units.setdefault(unit(job), []).append(job)
    results: dict[Job, Result] = {}
    for together in units.values():
        results.update(zip(together, render(together, leaflet, base, strict), strict=True))
    return [results[job] for job in jobs]


def unit(job: Job) -> tuple:
    """What one render makes: the artifacts with the same unit come from the same render
    (a format whose record is ``made_by`` another comes from that one's render)."""
    return (job.group, formats.get(job.format).maker().name, job.edition, job.size_pt)


def render(jobs: list[Job], leaflet: Leaflet, base: WriterOptions,
           strict: bool = False) -> list[Result]:
    """Run the writer once for artifacts of one unit (usually one artifact; a format and
    its companions together): one answer per artifact, in order.  An easy read edition
    over the page limit comes back with a warning (with ``strict``, as a failure).  Never
    raises for a writer's failure: it comes back as an error, with the traceback when it
    is the writer's own bug."""
    first = jobs[0]
    maker = formats.get(first.format).maker()
    options = dataclasses.replace(base, edition=first.edition,
                                  size_pt=first.size_pt if first.edition != "standard" else 0.0)
    started = time.perf_counter()
    try:
        made = maker.load()(leaflet, options)
        if not isinstance(made, formats.Rendered):
            raise TypeError(f"the writer returned {type(made).__name__}, not Rendered")
    except formats.Unavailable as exc:  # rightly not made, as a language its engine lacks
        warning = Problem("", None, str(exc), warning=True)
        return [Result(None, unavailable=True, peak_mb=peak_mb(), warnings=[warning])
                for _ in jobs]
    except LeafletError as exc:
        return [Result(None, error=str(exc) if exc.path else f"{job.path()}: {exc}",
                       peak_mb=peak_mb()) for job in jobs]
    except Exception as exc:  # a writer's own bug must not stop the other artifacts
        return [Result(None, error=f"{job.path()}: could not be written "
                       f"({type(exc).__name__}: {exc})", traceback=traceback.format_exc(),
                       peak_mb=peak_mb()) for job in jobs]
    seconds = round(time.perf_counter() - started, 3)
    # the render's time is the first artifact's (the maker's when it was asked for), so
    # that the artifacts' seconds add up to the time spent
    order = sorted(jobs, key=lambda job: job.format != maker.name)
    return [answer(job, made, leaflet, seconds if job == order[0] else 0.0, strict)
            for job in jobs]


def answer(job: Job, made: formats.Rendered, leaflet: Leaflet, seconds: float,
           strict: bool) -> Result:
    """One artifact of a render: its bytes (the render's own, or a companion's), the facts
    its record puts in the manifest, its warnings, and the easy read page limit."""
    fmt = formats.get(job.format)
    rendered = made if job.format == fmt.maker().name else made.companions.get(job.format)
    if rendered is None:
        return Result(None, error=f"{job.path()}: could not be written (the "
                      f"{fmt.maker().name} writer did not make it)", peak_mb=peak_mb())
    warnings = list(rendered.warnings)
    if "pages" in rendered.facts:
        from .. import easyread  # its scaffold's imports: loaded only when pages are counted

        too_long = easyread.page_count_problem(leaflet, rendered.facts["pages"])
        if too_long is not None:
            if strict:
                return Result(None, error=f"{job.path()}: {too_long.message} (--strict)",
                              peak_mb=peak_mb())
            warnings.append(too_long)
    extra = {name: kind(rendered.facts[fact]) for name, fact, kind in fmt.manifest_facts
             if fact in rendered.facts}
    return Result(rendered.data, seconds=seconds, warnings=warnings, peak_mb=peak_mb(),
                  extra=extra)


def land(out, job: Job, rendered: Result, key: str,
         translation: i18n.Translation) -> Outcome:
    """Write a rendered artifact into the output folder (atomically) and make its
    manifest entry; a failure leaves the file that was there before as it was."""
    if rendered.unavailable:
        return Outcome(job, "unavailable", warnings=rendered.warnings)
    if rendered.data is None:
        return Outcome(job, "failed", error=rendered.error, traceback=rendered.traceback)
    target = out / job.path()
    if not target.parent.resolve().is_relative_to(Path(out).resolve()):
        # a link such as build/<slug> -> elsewhere would send the write out of the folder
        return Outcome(job, "failed", error=f"{job.path()}: a folder on the way is a link out "
                       "of the output folder; delete the link, nothing was written there")
    try:
        if not holds(target, rendered.data):  # the same bytes again: the file is left alone
            write_atomic(target, rendered.data)
    except OSError as exc:
        return Outcome(job, "failed", error=f"{job.path()}: cannot be written into the output "
                       f"folder ({exc.strerror or exc})")
    meta = translation.leaflet.meta
    entry = {
        "leaflet": job.slug, "lang": job.lang, "format": job.format, "edition": job.edition,
        "size_pt": job.size_pt, "path": job.path(),
        "sha256": hashlib.sha256(rendered.data).hexdigest(), "bytes": len(rendered.data),
        "seconds": rendered.seconds, "key": key, "title": meta.title,
        "review": meta.review.isoformat(), "draft": translation.draft,
        "owner": meta.owner, "online": meta.online, **rendered.extra,
    }
    return Outcome(job, "built", seconds=rendered.seconds, entry=entry,
                   warnings=rendered.warnings)


def peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports kB); 0 where the system
    does not say (Windows has no ``resource`` module)."""
    try:
        import resource
    except ImportError:
        return 0.0
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
