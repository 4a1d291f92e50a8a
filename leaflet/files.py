"""Files: writing them so that a reader sees the old one or the new one, never half; paths
as messages name them; the tool's own data folders; and the clock."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

# The tool's data lives beside its writers; these are the only paths into formats/ the
# engine knows, and it reads them as data, never as code.
TOOL_ROOT = Path(__file__).resolve().parent.parent
WRITERS_FOLDER = TOOL_ROOT / "formats"
PICTOGRAM_FOLDER = WRITERS_FOLDER / "pictograms"
TOOL_LOCALES = WRITERS_FOLDER / "locales"


def relative(path: Path, root: Path) -> str:
    """``path`` as messages name it: relative to ``root`` (the library) when inside it,
    else as given.  A link in the library is named where it is, not where it leads."""
    for place, base in ((Path(os.path.normpath(path.absolute())), Path(os.path.normpath(
            root.absolute()))), (path.resolve(), root.resolve())):
        try:
            return place.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def stamp(*paths: Path) -> tuple:
    """What changes when any of ``paths`` is written, replaced, created or deleted: the
    key of a per-process cache of what was read from them."""
    found = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            found.append(None)
        else:
            found.append((info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(found)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place; the file and
    then its folder are synced, so that after a power cut the name holds the old bytes or
    the new ones, never an empty file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows cannot open a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is synced
    finally:
        os.close(descriptor)


def source_date_epoch() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a time, when it is set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc) if epoch.isdigit() else None


def now() -> dt.datetime:
    """The time to record: ``SOURCE_DATE_EPOCH`` when set, else the clock."""
    return source_date_epoch() or dt.datetime.now(dt.timezone.utc)
