"""The "also available" panel's coverage of each catalog, remembered between builds.

Which languages a leaflet's panel lists depends on how much of each of its catalogs is
translated and whether each is signed off; counting that means parsing the leaflet and
reading every catalog.  The counts are kept in ``<out>/.cache/coverage.json``, one entry
per catalog, each under a key that hashes everything the count is made from: the tool
(its version and files), the leaflet's folder (both editions' sources and their
pictures), the catalog, and the language's sign-offs.  A change to any of them misses
and the catalog is counted again, so the cache never answers for inputs it has not
seen; a cache file that cannot be read is an empty cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from ..files import write_atomic
from ..i18n.coverage import Coverage

CACHE_FOLDER = ".cache"  # inside the output folder; not an artifact, not in the manifest
COVERAGE_FILE = "coverage.json"
CACHE_FORMAT = 1


def coverage_key(tool: str, folder: list, catalog: str, reviews: str) -> str:
    """The hash of a count's inputs: the tool's fingerprint, the leaflet folder's files and
    their hashes, the catalog's hash and the hash of the language's reviews.yaml."""
    data = json.dumps([CACHE_FORMAT, tool, folder, catalog, reviews], separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


class CoverageCache:
    """The counts a build has, by catalog ("slug/lang/edition"): read once when the build
    starts, written once (if anything changed) after its keys are made."""

    def __init__(self, path: Path | None, tool: str):
        self.path = path
        self.tool = tool
        self._entries = self._read()
        self._changed = False

    @classmethod
    def in_output(cls, out: Path, tool: str) -> CoverageCache:
        """The cache of the output folder ``out``; none (every count made again) where its
        folder or file is a link, which would read or write outside ``out``."""
        path = out / CACHE_FOLDER / COVERAGE_FILE
        inside = out.resolve() / CACHE_FOLDER / COVERAGE_FILE
        linked = path.parent.is_symlink() or path.is_symlink() \
            or (path.parent.exists() and path.parent.resolve() != inside.parent)
        return cls(None if linked else path, tool)

    def _read(self) -> dict:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT \
                or not isinstance(data.get("entries"), dict):
            return {}
        return data["entries"]

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

    def save(self, slugs: list[str]) -> None:
        """Write the cache if a count was added or a leaflet is gone (its entries are
        dropped); a cache that cannot be written is only a slower next build."""
        present = set(slugs)
        kept = {name: entry for name, entry in self._entries.items()
                if name.partition("/")[0] in present}
        if self.path is None or not (self._changed or len(kept) != len(self._entries)):
            return
        self._entries, self._changed = kept, False
        data = json.dumps({"format": CACHE_FORMAT, "entries": kept}, sort_keys=True,
                          separators=(",", ":"))
        try:
            write_atomic(self.path, data.encode("utf-8"))
        except OSError:
            pass
