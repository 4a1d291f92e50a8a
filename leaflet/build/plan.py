"""The matrix: which artifacts a selection asks for, where each one goes, and how to slice it.

Everything here reads the library's front matter only, through ``Sources``, which
reads each source file and parses each front matter once per build, so that the
planner, the cache keys, the pruning of the manifest and the index page agree on
a leaflet's language and details without reading it four times.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import formats
from formats.options import DEFAULT_SIZE_PT

from .. import source
from ..errors import Collector, LeafletError, Problem
from ..i18n.coverage import Coverage
from ..i18n.signoff import reviews_path
from ..langs import direction, panel_name
from ..library import Library, easy_read_defaults
from ..model import Leaflet, Meta
from .hooks import Hooks, Settings
from .coverage_cache import CoverageCache, coverage_key

EDITIONS = tuple(DEFAULT_SIZE_PT)  # every edition any format makes, in reading order
# How much of a catalog must be translated (per cent of its messages) before the panel
# offers the language: complete by default, so that no leaflet advertises a language whose
# readers would get English.  A library setting will be able to lower it.
PANEL_MIN_PERCENT = 100


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
        parts.append(formats.get(self.format).extension)
        return f"{self.slug}/{self.lang}/{'.'.join(parts)}"

    @property
    def source_edition(self) -> str:
        """The source file it is made from: large print is the standard text, larger."""
        return "easy-read" if self.edition == "easy-read" else "standard"

    @property
    def group(self) -> tuple[str, str, str]:
        """The artifacts that share one translation (and, across languages, one parse)."""
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
    # writer options beyond the edition and size, as (name, value) pairs: the command's
    # format options set them, the formats' hooks and writers read them
    writer_settings: Settings = ()


def once(memo: dict, key, make: Callable):
    """``make()``'s value, made once per key; a LeafletError is remembered too and raised
    again, so that a broken file fails the same way for every artifact that needs it."""
    if key not in memo:
        try:
            memo[key] = make()
        except LeafletError as exc:
            memo[key] = exc
    found = memo[key]
    if isinstance(found, LeafletError):
        raise found
    return found


class Sources:
    """A library's source files as one build sees them: each file read and hashed once,
    each leaflet's front matter parsed once, by the parser's own readers (so that the
    builder and the parser always agree), and each catalog's coverage counted once, or
    not at all where ``cache`` holds it for the same inputs."""

    def __init__(self, library: Library, cache: CoverageCache | None = None):
        self.library = library
        self.cache = cache
        self._texts: dict[tuple[str, str], str | LeafletError] = {}
        self._fronts: dict[str, tuple[Meta | None, list[Problem]]] = {}
        self._languages: dict[str, list[str] | None] = {}
        self._panels: dict[str, list | None] = {}
        self._parsed: dict[tuple[str, str], Leaflet | LeafletError] = {}
        self._hashes: dict[tuple, str | list] = {}
        self._names: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        # the format records' answers, asked once per build (or kept in the cache)
        self.hooks = Hooks(library, cache, lambda: self.tree_hash(library.theme))

    def file_hash(self, path: Path) -> str:
        """A file's sha256 in hex, "-" if it cannot be read."""
        key = ("file", path)
        if key not in self._hashes:
            self._hashes[key] = sha256_file(path) or "-"
        return self._hashes[key]

    def tree_hash(self, folder: Path, skip: tuple[str, ...] = ()) -> list:
        """Each file under ``folder`` (but those named in ``skip``) with its hash, in order."""
        key = ("tree", folder, skip)
        if key not in self._hashes:
            files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in skip) \
                if folder.is_dir() else []
            self._hashes[key] = [(p.relative_to(folder).as_posix(), self.file_hash(p))
                                 for p in files]
        return self._hashes[key]

    def text(self, slug: str, edition: str = "standard") -> str:
        """The text of one edition's source; raises LeafletError if it cannot be read."""
        path = self.library.source_file(slug, edition)
        return once(self._texts, (slug, edition),
                    lambda: source.read_text(path, self.library.rel(path)))

    def front(self, slug: str) -> tuple[Meta | None, list[Problem]]:
        """The standard edition's front matter, or None and the problems that stop it
        being read (each with its file and line)."""
        if slug not in self._fronts:
            self._fronts[slug] = self._read_front(slug)
        return self._fronts[slug]

    def _read_front(self, slug: str) -> tuple[Meta | None, list[Problem]]:
        rel = self.library.rel(self.library.source_file(slug))
        try:
            yaml_text, _, _ = source.split_front_matter(self.text(slug), rel)
            meta = source.parse_meta(yaml_text, rel, Collector())
        except LeafletError as exc:
            return None, list(exc.problems)
        except Exception as exc:  # the parser's own bug: still reported, never a skip
            return None, [Problem(rel, None, f"could not be read ({type(exc).__name__}: {exc})")]
        if not meta.language:
            return None, [Problem(rel, 1, "the front matter has no 'language:'")]
        return meta, []

    def language(self, slug: str) -> str | None:
        """The language a leaflet is written in; None if its front matter cannot be read."""
        meta, _ = self.front(slug)
        return meta.language if meta else None

    def languages(self, slug: str) -> list[str] | None:
        """The leaflet's languages (its own first), or None if its front matter cannot be
        read."""
        if slug not in self._languages:
            lang = self.language(slug)
            self._languages[slug] = languages(self.library, slug, lang) if lang else None
        return self._languages[slug]

    def leaflet(self, slug: str, edition: str = "standard") -> Leaflet:
        """One edition of a leaflet, parsed once per build; a source that cannot be parsed
        fails the same way for every language and for the panel."""
        return once(self._parsed, (slug, edition), lambda: self._parse(slug, edition))

    def release(self, slug: str, edition: str) -> None:
        """Forget a parsed leaflet whose artifacts are all done, so that a large library's
        trees are not all held at once."""
        self._parsed.pop((slug, edition), None)

    def _parse(self, slug: str, edition: str) -> Leaflet:
        """The standard edition reuses the front matter already parsed; the easy read
        edition has its own, with the standard one's details as defaults."""
        standard, problems = self.front(slug)
        if standard is None:
            raise LeafletError(problems=problems)
        path = self.library.source_file(slug, edition)
        text, rel = self.text(slug, edition), self.library.rel(path)
        if edition == "easy-read":
            return source.parse_text(text, rel, path.parent, slug, edition,
                                     easy_read_defaults(standard))
        return source.parse_text(text, rel, path.parent, slug, edition, meta=standard)

    def panel(self, slug: str) -> list[tuple[str, tuple[str, ...], bool]] | None:
        """What the leaflet's "also available" panel lists; None if it cannot be read."""
        if slug not in self._panels:
            langs = self.languages(slug)
            self._panels[slug] = panel(
                self.library, slug, langs,
                lambda lang, edition: self.coverage(slug, lang, edition)) if langs else None
        return self._panels[slug]

    def coverage(self, slug: str, lang: str, edition: str) -> Coverage | None:
        """A catalog's coverage as the panel needs it, from the cache when the tool, the
        leaflet's folder, the catalog and the language's sign-offs are as they were; else
        counted (parsing the leaflet) and cached.  None when it cannot be counted (the
        build of that language reports why)."""
        name = f"{slug}/{lang}/{edition}"
        key = None
        if self.cache is not None:
            try:
                catalog = self.library.catalog(lang, slug, edition)
            except LeafletError:
                return None
            key = coverage_key(self.cache.tool, self.tree_hash(self.library.folder(slug)),
                               self.file_hash(catalog),
                               self.file_hash(reviews_path(self.library, lang)))
            found = self.cache.get(name, key)
            if found is not None:
                return found
        counted = _coverage(self.library, slug, lang, edition,
                            lambda edition: self.leaflet(slug, edition))
        if counted is not None and key is not None:
            self.cache.put(name, key, counted)
        return counted

    def panel_names(self, tags: list[str]) -> list[tuple[str, str]]:
        """Each language of a panel (``tags``) named in itself as the panel names it, with
        its direction: from the cache while the tool, and so its CLDR data, is as it was
        (naming a language loads that language's CLDR data)."""
        if tuple(tags) not in self._names:
            entry, key, named = "names " + " ".join(tags), "", None
            if self.cache is not None:
                key = self.cache.key("names", tags)
                named = _names((self.cache.kept(entry, key) or {}).get("names"), len(tags))
            if named is None:
                named = [(panel_name(tag, tags), direction(tag)) for tag in tags]
                if self.cache is not None:
                    self.cache.keep(entry, key, {"names": named})
            self._names[tuple(tags)] = named
        return self._names[tuple(tags)]

    def save_cache(self) -> None:
        """Keep what this build worked out (counts, names, availability) for the next one."""
        if self.cache is not None:
            self.cache.save(self.library.slugs())


def _names(kept, count: int) -> list[tuple[str, str]] | None:
    """Kept panel names, if they are ``count`` pairs of a name and a direction."""
    if not isinstance(kept, list) or len(kept) != count or not all(
            isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
            and pair[1] in ("ltr", "rtl") for pair in kept):
        return None
    return [(name, way) for name, way in kept]


def sha256_file(path: Path) -> str | None:
    """The file's sha256 in hex; None if it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def languages(library: Library, slug: str, source_lang: str) -> list[str]:
    """The source language first, then every language with a catalog."""
    others = [l for l in library.catalog_languages(slug) if l != source_lang]
    return [source_lang, *others]


def easy_available(library: Library, slug: str, lang: str, source_lang: str) -> bool:
    """Whether the easy read edition exists in ``lang``: its source, and for a
    translation its own catalog."""
    if not library.has_easy_read(slug):
        return False
    return lang == source_lang or library.catalog(lang, slug, "easy-read").is_file()


def panel(library: Library, slug: str, langs: list[str],
          coverage: Callable[[str, str], Coverage | None],
          min_percent: int = PANEL_MIN_PERCENT) -> list[tuple[str, tuple[str, ...], bool]]:
    """Every language of ``langs`` (the source language first) whose catalog is translated
    at least ``min_percent``, with its editions and whether it is a draft (not signed off),
    whatever this run happens to build: what the "also available" panel lists.
    ``coverage(lang, edition)`` gives a catalog's coverage (the build's own, counted once),
    or None when it cannot be counted."""
    source_lang = langs[0]
    out = []
    for lang in langs:
        standard = lang == source_lang or coverage(lang, "standard")
        if not standard or (standard is not True and standard.percent < min_percent):
            continue
        editions = ["standard", "large-print"]
        if easy_available(library, slug, lang, source_lang):
            easy = lang == source_lang or coverage(lang, "easy-read")
            if easy is True or (easy and easy.percent >= min_percent):
                editions.append("easy-read")
        out.append((lang, tuple(editions), standard is not True and standard.draft))
    return out


def _coverage(library: Library, slug: str, lang: str, edition: str,
              parse: Callable[[str], Leaflet]) -> Coverage | None:
    """A catalog's coverage as the panel needs it (how much is translated, whether it is
    signed off: its protected tokens are checked by its own language's build), or None
    when it cannot be counted (its errors are the build's to report, for that language
    alone)."""
    from ..i18n.coverage import coverage

    try:
        return coverage(library, slug, lang, edition, parse(edition), protected=False)
    except LeafletError:
        return None


def plan_jobs(library: Library, selection: Selection, sources: Sources | None = None,
         unavailable: list[Job] | None = None) -> tuple[list[Job], list[Problem]]:
    """Every artifact the selection asks for that can be made here, and the problems in
    the asking; the artifacts of a language a format's engine lacks are left out, with
    one warning per language and format family, and added to ``unavailable``."""
    sources = sources or Sources(library)
    problems: list[Problem] = []
    slugs = list(selection.leaflets) or library.slugs()
    wanted = []
    for name in selection.formats or formats.FORMATS:
        try:
            wanted.append(formats.get(name))
        except LeafletError as exc:
            problems.extend(exc.problems)
    for edition in selection.editions:
        if edition not in EDITIONS:
            problems.append(Problem("", None, f"unknown edition '{edition}' (editions: "
                                    f"{', '.join(EDITIONS)})"))
    sizes = {"large-print": selection.large_print_size, "easy-read": selection.easy_read_size}
    jobs: list[Job] = []
    for slug in slugs:
        meta, unreadable = sources.front(slug)
        if meta is None:
            problems.extend(unreadable)
            continue
        if "easy-read" in selection.editions and not library.has_easy_read(slug):
            rel = library.rel(library.source_file(slug, "easy-read"))
            problems.append(Problem(rel, None, "this leaflet has no easy read edition; start "
                                    f"one with 'leaflet easy-read scaffold {slug}'"))
        jobs.extend(_leaflet_jobs(library, selection, slug, meta.language, wanted, sizes))
    for lang in selection.langs:
        if not any(j.lang == lang for j in jobs) and slugs:
            problems.append(Problem(library.rel(library.locales / lang), None,
                                    f"no catalog for language '{lang}': start one with "
                                    f"'leaflet update -l {lang}'"))
    jobs, dropped, unwritable = sources.hooks.split(jobs, selection.writer_settings,
                                                    asked=selection.formats)
    if unavailable is not None:
        unavailable.extend(sorted(dropped))
    return sorted(jobs), problems + unwritable


def _leaflet_jobs(library: Library, selection: Selection, slug: str, source_lang: str,
                  wanted: list, sizes: dict[str, float]) -> list[Job]:
    """The artifacts of one leaflet the selection asks for, in every language it has."""
    jobs = []
    for lang in languages(library, slug, source_lang):
        if selection.langs and lang not in selection.langs:
            continue
        for fmt in wanted:
            for edition in fmt.editions:
                if selection.editions and edition not in selection.editions:
                    continue
                if edition == "easy-read" and not easy_available(library, slug, lang,
                                                                 source_lang):
                    continue
                size = float(sizes.get(edition, DEFAULT_SIZE_PT[edition]))
                jobs.append(Job(slug, lang, fmt.name, edition, size))
    return jobs


PREPARE_SECONDS = 0.05  # parsing and translating one group, before any render


def estimate(job: Job) -> float:
    """The registry's expected seconds for one artifact, before a manifest has measured it."""
    return formats.get(job.format).cost


def shard_jobs(jobs: list[Job], index: int, count: int) -> list[Job]:
    """Slice ``index`` (1 to ``count``) of the matrix, for spreading a build over machines.

    Whole groups go to one slice (each leaflet and language is translated once), balanced
    by the registry's fixed estimate of their cost, never by timings, so that every
    machine computes the same slices from the same library and selection; together the
    slices are the whole matrix, and no artifact is in two."""
    if not 1 <= index <= count:
        raise LeafletError("", None, f"shard {index}/{count}: the slice must be 1 to {count}")
    groups: dict[tuple, list[Job]] = {}
    for job in sorted(jobs):
        groups.setdefault(job.group, []).append(job)

    def weight(group):
        return sum(estimate(j) for j in groups[group]) + PREPARE_SECONDS

    loads = [0.0] * count
    mine: list[Job] = []
    for group in sorted(groups, key=lambda g: (-weight(g), g)):
        target = min(range(count), key=lambda i: (loads[i], i))
        loads[target] += weight(group)
        if target == index - 1:
            mine.extend(groups[group])
    return sorted(mine)
