"""The manifest, ``<out>/manifest.json``: what the output folder holds, entry by entry.

The manifest must always tell the truth about the files beside it, even when a
build is killed: entries about to be rebuilt are taken out before their files
change, new entries go in as their files land (saved atomically), and files are
deleted only after the manifest stops naming them.  One build at a time writes
into a folder: ``locked()`` holds it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from pathlib import Path
from typing import Iterator

import formats
from formats.options import DEFAULT_SIZE_PT

from ..errors import LeafletError, Problem
from ..files import write_atomic
from ..library import SLUG_RE, Library
from .keys import sha256_file
from .plan import Job, Sources, easy_available

MANIFEST = "manifest.json"
LOCK = ".leaflet-build.lock"
SAVE_SECONDS = 1.0  # new entries are saved at most this often, and at the end

# The fields of a manifest entry and their types: the first ones every entry must have.
_NUMBER = (int, float)
ENTRY_FIELDS = {"leaflet": str, "lang": str, "format": str, "edition": str,
                "size_pt": _NUMBER, "path": str, "sha256": str, "bytes": int}
OPTIONAL_FIELDS = {"seconds": _NUMBER, "key": str, "title": str, "review": str, "draft": bool,
                   "owner": str, "online": str}


def optional_fields() -> dict[str, type | tuple[type, ...]]:
    """The optional fields and their types: the common ones, and the facts each format's
    record puts in its entries (``manifest_facts``), a number being int or float."""
    fields = dict(OPTIONAL_FIELDS)
    for fmt in formats.FORMATS.values():
        for name, _fact, kind in fmt.manifest_facts:
            fields.setdefault(name, _NUMBER if kind in (int, float) else kind)
    return fields
_LANG_RE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


def entry_job(entry) -> Job | None:
    """The artifact a manifest entry describes, or None if the entry is malformed: a
    field missing or of the wrong type, a leaflet or language that is not a plain name,
    a format the registry does not know, or a path other than the one the builder gives
    that artifact.  Only such a path is ever deleted or copied, so that a crafted
    manifest cannot reach any other file."""
    if not isinstance(entry, dict):
        return None
    for name, kind in ENTRY_FIELDS.items():
        value = entry.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            return None
    for name, kind in optional_fields().items():
        value = entry.get(name)
        if value is not None and (not isinstance(value, kind)
                                  or (kind is _NUMBER and isinstance(value, bool))):
            return None
    if not SLUG_RE.match(entry["leaflet"]) or not _LANG_RE.match(entry["lang"]):
        return None
    if entry["format"] not in formats.FORMATS or entry["edition"] not in DEFAULT_SIZE_PT:
        return None
    size = float(entry["size_pt"])
    if not (0 < size < 1000) or entry["bytes"] < 0:
        return None
    job = Job(entry["leaflet"], entry["lang"], entry["format"], entry["edition"], size)
    return job if entry["path"] == job.path() else None


def intact(path: Path, entry: dict) -> bool:
    """The file is the one the entry describes (size first: it costs no reading)."""
    try:
        if path.stat().st_size != entry.get("bytes"):
            return False
    except OSError:
        return False
    return sha256_file(path) == entry.get("sha256")


def read_manifest(path: Path, dropped: list[Problem] | None = None) -> list[dict]:
    """A manifest's well-formed entries; raises LeafletError if it cannot be read.
    Malformed entries are left out, each with a warning added to ``dropped``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["artifacts"]
        if not isinstance(entries, list):
            raise ValueError
    except OSError as exc:
        raise LeafletError(str(path), None, f"cannot be read ({exc.strerror})") from None
    except (ValueError, KeyError, TypeError):
        raise LeafletError(str(path), None, "is not a leaflet build manifest") from None
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


def save_manifest(out: Path, entries: list[dict]) -> None:
    entries = sorted(entries, key=lambda e: e["path"])
    text = json.dumps({"artifacts": entries}, indent=2, ensure_ascii=False) + "\n"
    write_changed(out / MANIFEST, text.encode("utf-8"))


def write_changed(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, unless the file ``holds`` it already."""
    if not holds(path, data):
        write_atomic(path, data)


def holds(path: Path, data: bytes) -> bool:
    """The file holds exactly ``data``, and is not a link (which a write would replace)."""
    try:
        return not path.is_symlink() and path.stat().st_size == len(data) \
            and path.read_bytes() == data
    except OSError:
        return False


class Manifest:
    """The manifest as a build changes it, keyed by path."""

    def __init__(self, out: Path, entries: list[dict]):
        self.out = out
        self.entries = {e["path"]: e for e in entries}
        self.dirty = False
        self._saved_at = time.monotonic()  # as read, the manifest is as saved
        self._leaving: set[str] = set()  # entries to take out before a file changes

    def forget(self, paths: list[str]) -> None:
        """Take out the entries of files about to be rewritten, and save at once: from
        here until each is added back, its file may change."""
        for path in paths:
            self.entries.pop(path, None)
        self.save()

    def forget_before_change(self, paths: list[str]) -> None:
        """``forget`` these entries, but only just before the first of their files changes
        (``changing``): a build whose files come out as they were saves the manifest once.
        Until then they stay, true to files that have not changed."""
        self._leaving.update(path for path in paths if path in self.entries)

    def changing(self, path: str, data: bytes) -> None:
        """A file is about to be written with ``data``: unless these are the bytes its
        entry names already, the entries given to ``forget_before_change`` are taken out
        now, and saved, before the file changes."""
        if not self._leaving:
            return
        entry = self.entries.get(path) if path in self._leaving else None
        if entry and entry.get("bytes") == len(data) \
                and entry.get("sha256") == hashlib.sha256(data).hexdigest():
            return
        self.settle()
        self.save()

    def settle(self) -> None:
        """Take out the entries still waiting to be forgotten (their files never changed),
        without saving: the build decides which of them to put back."""
        for path in self._leaving:
            self.entries.pop(path, None)
        self._leaving.clear()

    def add(self, entry: dict) -> None:
        """Record a file that has landed; saved within SAVE_SECONDS (a library of thousands
        of artifacts would spend its time rewriting the manifest if each were saved at
        once)."""
        self._leaving.discard(entry["path"])
        self.entries[entry["path"]] = entry
        self.dirty = True
        self.flush()

    def flush(self) -> None:
        """Save what was added, unless the last save is less than SAVE_SECONDS old; called
        again while the build waits, so nothing waits long."""
        if self.dirty and time.monotonic() - self._saved_at >= SAVE_SECONDS:
            self.save()

    def save(self) -> None:
        save_manifest(self.out, list(self.entries.values()))
        self.dirty = False
        self._saved_at = time.monotonic()


def check_out(library: Library, out: Path) -> None:
    """Make the output folder, refusing one that would put the library's own files at risk
    (the library root, a folder holding it, a folder inside its sources, catalogs or
    theme), one that cannot be written, and one holding an index page the tool did not
    write."""
    out = out.resolve()
    root = library.root.resolve()
    if root.is_relative_to(out):
        raise LeafletError(str(out), None, "the output folder cannot be the library or a "
                           "folder holding it; use a folder such as build/")
    for folder in (library.sources, library.locales, library.theme):
        if out.is_relative_to(folder.resolve()):
            raise LeafletError(str(out), None, f"the output folder cannot be inside "
                               f"{library.rel(folder)}/; use a folder such as build/")
    name = library.rel(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LeafletError(name, None, f"the output folder cannot be made "
                           f"({exc.strerror or exc})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise LeafletError(name, None, "the output folder is read-only; build into a folder "
                           "you can write to (-o DIR)")
    # a page of someone else's, where the index would go, is not ours to overwrite
    if (out / "index.html").exists() and not (out / MANIFEST).is_file():
        raise LeafletError(f"{name}/index.html", None, "is not a leaflet build's index page "
                           f"(there is no {MANIFEST} beside it), so it was not overwritten; "
                           "build into another folder or delete it")


@contextlib.contextmanager
def locked(out: Path, name: str) -> Iterator[None]:
    """Hold the output folder for one build or merge: a second one at the same time is
    refused, since two writers would each save a manifest missing the other's files.
    ``name`` is how messages call the folder.  Where the system has no ``flock``
    (Windows) the folder is not locked."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LeafletError(name, None, "another 'leaflet build' (or merge-manifests) is "
                               "writing into this folder; wait for it to finish, or build "
                               "into another folder with -o") from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def prune(library: Library, out: Path, entries: list[dict],
          sources: Sources | None = None) -> tuple[list[dict], list[Path]]:
    """The entries to keep, and the files to delete once the manifest no longer names
    them: those whose leaflet, language or edition no longer exists.  A leaflet whose
    folder is there but whose language cannot be read right now keeps all its entries:
    nothing built is lost to a typo.  Malformed entries are dropped and their paths left
    alone; a file is deleted only at the path the builder gives the entry's own artifact."""
    sources = sources or Sources(library)
    slugs = set(library.slugs())
    kept, gone = [], []
    for entry in entries:
        job = entry_job(entry)
        if job is None:
            continue
        langs_now = sources.languages(job.slug) if job.slug in slugs else None
        if langs_now is None:
            if library.folder(job.slug).is_dir():
                kept.append(entry)  # unreadable for now: keep what was built
                continue
        elif job.lang in langs_now and (
                job.edition != "easy-read"
                or easy_available(library, job.slug, job.lang, langs_now[0])):
            kept.append(entry)
            continue
        target = (out / job.path()).resolve()
        if target.is_relative_to(out.resolve()):
            gone.append(target)
    return kept, gone
