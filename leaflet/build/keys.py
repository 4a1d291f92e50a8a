"""Cache keys: one hash of everything an artifact depends on, made from file hashes.

An artifact is up to date when its key and its file match the manifest.  The key
holds the leaflet's folder, its catalogs and their sign-off, the template words,
the library's theme, the "also available" panel, the job (format, edition, size),
``SOURCE_DATE_EPOCH``, and the tool: its version, one hash of all its installed
files, the versions of the libraries it runs on and the installed fonts, since
each of them can change an output's bytes.  Files only the library index uses
are left out, because the index page is no cached artifact: it is made anew
after every build.

The panel's list is the one part made from parsed files (each catalog's coverage
counted against its leaflet); ``Sources`` takes it from the coverage cache, keyed by
the hashes of the tool, the leaflet's folder, the catalog and its sign-offs, so that a
build of an unchanged library parses no leaflet and reads no catalog.  The braille and
audio formats the panel names come from the same cache (``hooks.py``), so that it loads
neither stack either.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import shutil
import subprocess
from importlib import metadata, util
from pathlib import Path

import formats

from .. import __version__, i18n
from ..errors import LeafletError
from ..files import TOOL_ROOT
from ..library import Library
from .plan import Job, Sources, once, sha256_file  # noqa: F401  (manifest.py's too)

TOOL_PARTS = ("leaflet", "formats", "cli.py")  # the tool's own files, under TOOL_ROOT
INDEX_ONLY = frozenset({  # read only to write the index page or to serve the build
    "formats/index.py", "formats/templates/index.css", "formats/templates/index.html",
    "formats/templates/index.js", "leaflet/build/index.py", "leaflet/serve.py",
    "leaflet/watch.py",
})


def tool_files(root: Path) -> list[Path]:
    """Every installed file of the tool that can change an artifact, in a stable order."""
    found: dict[str, Path] = {}
    for part in TOOL_PARTS:
        top = root / part
        # os.walk, not Path.rglob: a third of the time, and this runs in every build
        for folder, names, files in os.walk(top) if top.is_dir() else [(root, [], [part])]:
            names[:] = [name for name in names if name != "__pycache__"]
            for name in files:
                path = Path(folder, name)
                rel = path.relative_to(root).as_posix()
                if rel not in INDEX_ONLY and path.suffix != ".pyc" and path.is_file():
                    found[rel] = path
    return [found[rel] for rel in sorted(found)]


@functools.lru_cache(maxsize=4)
def tool_fingerprint(root: Path | None = None) -> str:
    """The tool's part of every key, computed once per process: its version, a hash of
    its files (under ``root``, the installed tool by default), the versions of the
    libraries it depends on, and the installed fonts."""
    root = root or TOOL_ROOT
    digest = hashlib.sha256()
    for path in tool_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(b"\0libraries\0" + "\n".join(library_versions()).encode())
    digest.update(b"\0fonts\0" + "\n".join(installed_fonts()).encode())
    return f"{__version__}:{digest.hexdigest()}"


def library_versions() -> list[str]:
    """"name==version" for every library the installed tool requires (WeasyPrint's
    version changes a PDF as surely as our own code does)."""
    try:
        wanted = metadata.requires("leaflet") or []
    except metadata.PackageNotFoundError:
        return []
    found = []
    for requirement in wanted:
        if "extra ==" in requirement:
            continue  # test tools, not what makes the outputs
        name = requirement.split(";")[0].strip()
        for stop in "<>=!~[ ":
            name = name.split(stop)[0]
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} missing")
    return sorted(found)


def installed_fonts() -> list[str]:
    """Every font fontconfig can find, as "file|version": a font installed, removed or
    updated changes how PDFs are set.  Empty where there is no fontconfig."""
    listing = _FONT_LISTINGS.pop() if _FONT_LISTINGS else _list_fonts()
    if listing is None:
        return []
    try:
        listed, _ = listing.communicate(timeout=60)
    except subprocess.SubprocessError:
        listing.kill()
        listing.communicate()
        return []
    return sorted(set(listed.splitlines()))


_FONT_LISTINGS: list[subprocess.Popen] = []  # fc-list started by list_fonts_ahead, unread


def list_fonts_ahead() -> None:
    """Start fc-list now, so that it runs while the build reads the library, and its
    answer is ready when the tool's fingerprint is first made (nothing to do once it is:
    the fingerprint is made once per process)."""
    if not _FONT_LISTINGS and not tool_fingerprint.cache_info().currsize:
        listing = _list_fonts()
        if listing is not None:
            _FONT_LISTINGS.append(listing)


def _list_fonts() -> subprocess.Popen | None:
    command = shutil.which("fc-list")
    if command is None:
        return None
    try:
        return subprocess.Popen([command, "--format", "%{file}|%{fontversion}\n"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return None


def writer_fingerprint(name: str) -> str:
    """The writer of a format registered from outside the tool (a library's own, or a
    test's): its record and a hash of its module's file, which the tool's hash does not
    cover.  The tool's own writers are in the tool's hash already."""
    fmt = formats.get(name)
    module = fmt.writer.partition(":")[0]
    try:
        spec = util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    origin = Path(spec.origin) if spec and spec.origin else None
    if origin is None or not origin.is_file() or origin.resolve().is_relative_to(TOOL_ROOT):
        return fmt.writer
    return f"{fmt.writer}:{hashlib.sha256(origin.read_bytes()).hexdigest()}"


class Inputs:
    """What artifacts depend on, each file read and hashed once per build: a library of
    hundreds of leaflets shares its theme, catalogs and reviews between thousands of
    artifacts."""

    def __init__(self, library: Library, sources: Sources | None = None,
                 settings: dict | None = None):
        self.library = library
        self.sources = sources or Sources(library)
        self.settings = settings or {}  # the writer settings of the selection
        self._memo: dict = {}

    def _once(self, key, make):
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def file(self, path: Path) -> str:
        return self.sources.file_hash(path)

    def tree(self, folder: Path, skip: tuple[str, ...] = ()) -> list:
        return self.sources.tree_hash(folder, skip)

    def tree_digest(self, folder: Path, skip: tuple[str, ...] = ()) -> str:
        """One hash of ``tree(folder, skip)``: the theme and a leaflet's folder are shared
        by many artifacts, and are hashed into their keys once."""
        return self._once(("tree digest", folder, skip), lambda: digest(self.tree(folder, skip)))

    def catalog(self, lang: str, slug: str, edition: str = "standard") -> Path:
        """A catalog's path, checked once (a catalog that is a link out fails each time)."""
        return once(self._memo, ("catalog", lang, slug, edition),
                    lambda: self.library.catalog(lang, slug, edition))

    def review(self, lang: str, catalog: Path):
        """The sign-off recorded for a catalog: it decides the DRAFT banner."""
        def make():
            try:
                return i18n.read_reviews(self.library, lang)
            except LeafletError as exc:
                return {"unreadable": str(exc)}
        reviews = self._once(("reviews", lang), make)
        return reviews.get(catalog.name) or reviews.get("unreadable")

    def words(self, lang: str) -> str:
        """A hash of the template words in a language, from the tool's and the library's
        ui.po (or of why they cannot be read)."""
        def make():
            try:
                return digest(sorted(i18n.ui_words(self.library, lang).items()))
            except LeafletError as exc:
                return digest(str(exc))
        return self._once(("words", lang), make)

    def writer(self, name: str) -> str:
        return self._once(("writer", name), lambda: writer_fingerprint(name))


def digest(value) -> str:
    """The sha256 of a value as JSON (keys sorted; what JSON cannot hold, as text)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def artifact_key(library: Library, job: Job, inputs: Inputs | None = None) -> str:
    """A hash of everything the artifact depends on, read from the inputs themselves (no
    parsing): the leaflet's folder (its source and pictures; the standard edition leaves
    out easy-read.md), the catalogs and their sign-off, the template words, the theme,
    the panel's list, the tool, the writer, the job and SOURCE_DATE_EPOCH; and what its
    format's record gives as its engines' fingerprint (engine versions, data and the
    settings they read).
    The writer's options are made from exactly these, so equal keys mean equal options."""
    inputs = inputs or Inputs(library)
    easy = job.source_edition == "easy-read"
    catalogs = [inputs.catalog(job.lang, job.slug)]
    if easy:
        catalogs.append(inputs.catalog(job.lang, job.slug, "easy-read"))
    skip = () if easy else (library.source_file(job.slug, "easy-read").name,)
    parts = {
        "tool": tool_fingerprint(),
        "writer": inputs.writer(job.format),
        "job": dataclasses.astuple(job),
        "source": inputs.tree_digest(library.folder(job.slug), skip=skip),
        "catalogs": [(c.name, inputs.file(c), inputs.review(job.lang, c)) for c in catalogs],
        "words": inputs.words(job.lang),
        "theme": inputs.tree_digest(library.theme),
        "settings": inputs.file(library.root / "leaflet.yaml"),  # site_url: QR codes, links
        "panel": inputs.sources.panel(job.slug),
        "panel_formats": [inputs.sources.hooks.panel_formats(lang)
                          for lang, *_ in inputs.sources.panel(job.slug) or []],
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "").strip(),
    }
    fmt = formats.get(job.format)
    if fmt.fingerprint:
        parts["engines"] = inputs.sources.hooks.engines(fmt, job.lang,
                                                        tuple(inputs.settings.items()))
    return digest(parts)
