"""What was spoken and encoded before, kept by content: the same piece of text in the same
voice is spoken once, however many builds ask for it.

Entries are named by the hash of everything that makes them (the text, the voice and its
version, the rate, the processing that follows), so an entry never goes stale: a change
gives another name.  The folder is the one the options name (``speech_cache``, beside the
build, ``<out>/.cache/speech``); without one nothing is kept.

Each entry is written to a temporary file and renamed into place, so a reader sees a whole
entry or none, also while other builds write.  An entry carries a checksum of its bytes:
one that is cut short or changed is ignored (and spoken again).  Past ``LIMIT_BYTES`` the
entries used longest ago are removed (a hit renews an entry's time).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

MAGIC = b"leaflet-cache 1\n"
LIMIT_BYTES = 1 << 30  # about five hours of spoken pieces at 22.05 kHz
SUFFIX = ".bin"


def key(*parts: object) -> str:
    """The name of an entry: a hash of what made it."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class Cache:
    """A folder of entries by key; ``Cache("")`` keeps nothing."""

    def __init__(self, folder: str, limit: int | None = None):
        self.folder = Path(folder) if folder else None
        self.limit = LIMIT_BYTES if limit is None else limit
        self.written = 0

    def _path(self, name: str) -> Path:
        assert self.folder is not None
        return self.folder / name[:2] / f"{name}{SUFFIX}"

    def get(self, name: str) -> bytes | None:
        """The entry's bytes, or None when there is none or it is damaged."""
        if self.folder is None:
            return None
        path = self._path(name)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head = len(MAGIC) + 32
        if len(data) < head or not data.startswith(MAGIC):
            return None
        body = data[head:]
        if hashlib.sha256(body).digest() != data[len(MAGIC):head]:
            return None
        try:
            os.utime(path)  # used now: the last to be evicted
        except OSError:
            pass
        return body

    def put(self, name: str, body: bytes) -> None:
        """Keep an entry.  A folder that cannot be written keeps nothing, silently: the
        cache saves time, and the output is the same without it."""
        if self.folder is None:
            return
        path = self._path(name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(MAGIC + hashlib.sha256(body).digest() + body)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return
        self.written += 1

    def trim(self) -> None:
        """Remove the entries used longest ago until the folder is within its limit."""
        if self.folder is None or not self.written:
            return
        entries = []
        for path in self.folder.glob(f"*/*{SUFFIX}"):
            try:
                stat = path.stat()
            except OSError:
                continue  # removed by another build meanwhile
            entries.append((stat.st_mtime_ns, path.name, stat.st_size, path))
        total = sum(size for _time, _name, size, _path in entries)
        for _time, _name, size, path in sorted(entries):
            if total <= self.limit:
                break
            path.unlink(missing_ok=True)
            total -= size
