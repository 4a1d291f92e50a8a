"""What a build works out from files it need not read again, remembered between builds.

Three kinds of answer are kept in ``<out>/.cache/coverage.json``, each under a key that
hashes everything the answer is made from, so that the cache never answers for inputs
it has not seen; a cache file that cannot be read is an empty cache.

- The "also available" panel's coverage of each catalog: which languages a leaflet's
  panel lists depends on how much of each of its catalogs is translated and whether
  each is signed off, and counting that means parsing the leaflet and reading every
  catalog.  One entry per catalog, keyed by the tool (its version and files), the
  leaflet's folder (both editions' sources and their pictures), the catalog, and the
  language's sign-offs.
- The format records' availability answers (``available``: is there braille or a voice
  for this language here?), which load a format's stack and run its programs.  Only
  formats whose record has a ``probe`` are kept, keyed by the tool, the theme, the
  writer settings and what the probe says of this machine.
- The panel's languages named in themselves, which loads each language's CLDR data,
  keyed by the tool (whose fingerprint holds babel's version) and the languages.

Beside it, ``private_folder`` gives the index page's templates a folder to be kept
compiled in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Callable

from ..files import write_atomic
from ..i18n.coverage import Coverage

CACHE_FOLDER = ".cache"  # inside the output folder; not an artifact, not in the manifest
COVERAGE_FILE = "coverage.json"
CACHE_FORMAT = 2
TEMPLATES_FOLDER = "jinja"  # the index page's templates, compiled, in the user's cache


def private_folder(name: str) -> Path | None:
    """``leaflet/<name>`` in this user's cache folder (``$XDG_CACHE_HOME``, else
    ``~/.cache``), made if it is missing, for what is run and not only read (compiled
    templates): never inside a library or its output, which anyone who sends a library
    could fill, and None unless it and its parent are real folders of this user's own,
    open to no one else.  None where the system has no owners to check, or the folder
    cannot be made."""
    if not hasattr(os, "getuid"):
        return None
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(root):
        return None
    folder = Path(root) / "leaflet" / name
    try:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        for part in (folder.parent, folder):
            own = os.lstat(part)
            if not stat.S_ISDIR(own.st_mode) or own.st_uid != os.getuid() \
                    or stat.S_IMODE(own.st_mode) & 0o077:
                return None
    except OSError:
        return None
    return folder


def coverage_key(tool: str, folder: list, catalog: str, reviews: str) -> str:
    """The hash of a count's inputs: the tool's fingerprint, the leaflet folder's files and
    their hashes, the catalog's hash and the hash of the language's reviews.yaml."""
    return _key([CACHE_FORMAT, tool, folder, catalog, reviews])


def _key(parts: list) -> str:
    data = json.dumps(parts, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode()).hexdigest()


class CoverageCache:
    """The answers a build has: counts by catalog ("slug/lang/edition"), and other answers
    by name (``kept``); read once when the build starts, written once (if anything
    changed) when its artifacts are made."""

    def __init__(self, path: Path | None, tool: str | Callable[[], str]):
        self.path = path
        self._tool = tool  # the tool's fingerprint, or the function making it when needed
        self._entries, self._answers = self._read()
        self._changed = False

    @property
    def tool(self) -> str:
        if callable(self._tool):
            self._tool = self._tool()
        return self._tool

    @classmethod
    def in_output(cls, out: Path, tool: str | Callable[[], str]) -> CoverageCache:
        """The cache of the output folder ``out``; none (every count made again) where its
        folder or file is a link, which would read or write outside ``out``."""
        path = out / CACHE_FOLDER / COVERAGE_FILE
        inside = out.resolve() / CACHE_FOLDER / COVERAGE_FILE
        linked = path.parent.is_symlink() or path.is_symlink() \
            or (path.parent.exists() and path.parent.resolve() != inside.parent)
        return cls(None if linked else path, tool)

    def _read(self) -> tuple[dict, dict]:
        if self.path is None:
            return {}, {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}, {}
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT \
                or not isinstance(data.get("entries"), dict) \
                or not isinstance(data.get("answers"), dict):
            return {}, {}
        return data["entries"], data["answers"]

    def get(self, name: str, key: str) -> Coverage | None:
        """The count stored for ``name`` under exactly ``key``; None otherwise."""
        entry = self._entries.get(name)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            return Coverage(**entry["coverage"])
        except (TypeError, KeyError):
            return None

    def put(self, name: str, key: str, coverage: Coverage) -> None:
        self._entries[name] = {"key": key, "coverage": dataclasses.asdict(coverage)}
        self._changed = True

    def key(self, *inputs) -> str:
        """The key of an answer made from the tool and ``inputs`` (anything JSON holds)."""
        return _key([CACHE_FORMAT, self.tool, *inputs])

    def kept(self, name: str, key: str) -> dict | None:
        """The answer kept for ``name`` under exactly ``key``; None otherwise.  Its reader
        checks its fields: the file is anyone's to edit."""
        entry = self._answers.get(name)
        if not isinstance(entry, dict) or entry.get("key") != key \
                or not isinstance(entry.get("answer"), dict):
            return None
        return entry["answer"]

    def keep(self, name: str, key: str, answer: dict) -> None:
        self._answers[name] = {"key": key, "answer": answer}
        self._changed = True

    def save(self, slugs: list[str]) -> None:
        """Write the cache if an answer was added or a leaflet is gone (its entries are
        dropped); a cache that cannot be written is only a slower next build."""
        present = set(slugs)
        kept = {name: entry for name, entry in self._entries.items()
                if name.partition("/")[0] in present}
        if self.path is None or not (self._changed or len(kept) != len(self._entries)):
            return
        self._entries, self._changed = kept, False
        data = json.dumps({"format": CACHE_FORMAT, "entries": kept, "answers": self._answers},
                          sort_keys=True, separators=(",", ":"))
        try:
            write_atomic(self.path, data.encode("utf-8"))
        except OSError:
            pass
