"""One artifact: its leaflet parsed once per edition, translated once per language, and
rendered by its format's writer.

Parsing does not depend on the language, so ``Leaflets`` parses each edition of
each leaflet once per build and ``prepare()`` translates the parsed tree into
each language.  ``render()`` runs a writer and may run in a worker process: it
returns the bytes and never writes a file.  ``land()`` runs in the builder: it
writes the file atomically and makes the artifact's manifest entry.
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

from .. import i18n, langs, theme
from .. import settings as library_settings
from ..errors import LeafletError, Problem
from ..files import PICTOGRAM_FOLDER, source_date_epoch, write_atomic
from ..library import Library
from ..model import Leaflet
from . import access
from .plan import Job, Sources


@dataclass
class Outcome:
    """What became of one artifact."""

    job: Job
    status: str  # "built", "skipped" (up to date), "failed", or "unavailable" (no voice)
    seconds: float = 0.0
    error: str = ""
    entry: dict | None = None
    warnings: list[Problem] = field(default_factory=list)  # about this artifact
    traceback: str = ""  # a writer's own bug, for --debug


@dataclass
class Rendered:
    """A writer's answer for one artifact: its bytes, or why there are none."""

    data: bytes | None
    seconds: float = 0.0
    error: str = ""
    traceback: str = ""
    warnings: list[Problem] = field(default_factory=list)
    peak_mb: float = 0.0  # the peak memory of the process that rendered it
    unavailable: bool = False  # not made, and rightly: no voice speaks its language
    extra: dict = field(default_factory=dict)  # more fields for its manifest entry


class Leaflets:
    """Each edition of each leaflet, parsed once per build by ``Sources``."""

    def __init__(self, library: Library, sources: Sources):
        self.library = library
        self.sources = sources

    def get(self, slug: str, edition: str) -> Leaflet:
        return self.sources.leaflet(slug, edition)

    def release(self, slug: str, edition: str) -> None:
        self.sources.release(slug, edition)


def source_date(leaflet: Leaflet) -> dt.datetime:
    """The timestamp stamped into outputs: SOURCE_DATE_EPOCH, else the publication date."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    published = leaflet.meta.published
    return dt.datetime(published.year, published.month, published.day, tzinfo=dt.timezone.utc)


def availability(panel: list[tuple[str, tuple[str, ...], bool]],
                 library: Library | None = None) -> tuple[Availability, ...]:
    """The panel with each language named in itself and its direction, for the writers,
    and (given the library) the braille and audio formats that exist in it."""
    tags = [entry[0] for entry in panel]
    return tuple(Availability(lang, langs.panel_name(lang, tags), editions, langs.direction(lang),
                              access.panel_formats(library, lang) if library else (),
                              draft=draft)
                 for lang, editions, draft in panel)


def prepare(library: Library, leaflets: Leaflets, group: tuple[str, str, str],
            strict: bool) -> tuple[i18n.Translation, WriterOptions]:
    """The translation and the writer options every artifact of one leaflet, language and
    source edition shares (the selection's braille page is set on them by the schedule)."""
    slug, lang, edition = group
    leaflet = leaflets.get(slug, edition)
    translation = i18n.translate(library, leaflet, lang, strict=strict)
    site = library_settings.load(library.root)
    translation = with_web_address(translation, site, slug, lang, edition)
    options = WriterOptions(
        edition=edition,
        available=with_page_links(availability(leaflets.sources.panel(slug) or [], library),
                                  site, slug),
        draft=translation.draft,
        assets=Assets(folder=str(library.folder(slug)), pictograms=str(PICTOGRAM_FOLDER),
                      extra=(str(library.theme),) if library.theme.is_dir() else ()),
        words=i18n.ui_words(library, lang),
        ui_lang=lang,
        source_date=source_date(leaflet),
        theme=theme.load(library.theme, library.root),
    )
    return translation, options


def with_web_address(translation: i18n.Translation, site: library_settings.Settings,
                     slug: str, lang: str, edition: str) -> i18n.Translation:
    """With a site_url, a leaflet that names no ``online:`` address of its own is online
    at its web page there: the PDF's "Read online" QR code and every footer say so."""
    meta = translation.leaflet.meta
    if not site.site_url or meta.online:
        return translation
    page = Job(slug, lang, "html", "easy-read" if edition == "easy-read" else "standard",
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
        Job(slug, a.lang, "html", "standard", DEFAULT_SIZE_PT["standard"]).path()))
        for a in available)


def render_all(jobs: list[Job], leaflet: Leaflet, base: WriterOptions,
               strict: bool = False) -> list[Rendered]:
    """Several artifacts of one leaflet, language and edition, one after another in one
    process: a leaflet's MP3 and read-aloud EPUB are rendered together, so that the
    second reuses the narration the first spoke."""
    return [render(job, leaflet, base, strict) for job in jobs]


def render(job: Job, leaflet: Leaflet, base: WriterOptions, strict: bool = False) -> Rendered:
    """Run the writer for one artifact.  An easy read PDF over the page limit comes back
    with a warning (with ``strict``, as a failure).  Never raises for a writer's failure:
    it comes back as an error, with the traceback when it is the writer's own bug."""
    options = dataclasses.replace(base, edition=job.edition,
                                  size_pt=job.size_pt if job.edition != "standard" else 0.0)
    started = time.perf_counter()
    warnings: list[Problem] = []
    extra: dict = {}
    try:
        with access.voice_warnings(job, warnings), access.font_warnings(warnings):
            data = formats.get(job.format).load()(leaflet, options)
        if not isinstance(data, bytes):
            raise TypeError(f"the writer returned {type(data).__name__}, not bytes")
        if job.format in access.AUDIO_FORMATS:
            from formats import audio  # loaded already: it has just written this

            extra["duration"] = round(audio.duration(data), 3)
        if job.format == "pdf" and job.edition == "easy-read":
            from .. import easyread  # it reads the PDF with pikepdf: loaded only for this

            too_long = easyread.page_count_problem(leaflet, data)
            if too_long is not None:
                if strict:
                    return Rendered(None, error=f"{job.path()}: {too_long.message} (--strict)",
                                    peak_mb=peak_mb())
                warnings.append(too_long)
    except LeafletError as exc:
        if access.no_voice(job, exc):  # that language's audio is skipped, with a warning
            return Rendered(None, unavailable=True, peak_mb=peak_mb(),
                            warnings=[*warnings, Problem("", None, str(exc), warning=True)])
        return Rendered(None, error=str(exc) if exc.path else f"{job.path()}: {exc}",
                        peak_mb=peak_mb())
    except Exception as exc:  # a writer's own bug must not stop the other artifacts
        return Rendered(None, error=f"{job.path()}: could not be written "
                        f"({type(exc).__name__}: {exc})", traceback=traceback.format_exc(),
                        peak_mb=peak_mb())
    return Rendered(data, seconds=round(time.perf_counter() - started, 3), warnings=warnings,
                    peak_mb=peak_mb(), extra=extra)


def land(out, job: Job, rendered: Rendered, key: str,
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
