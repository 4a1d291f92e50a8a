"""Writing files so that a reader sees the old one or the new one, never half; and the clock."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def source_date_epoch() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a time, when it is set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc) if epoch.isdigit() else None


def now() -> dt.datetime:
    """The time to record: ``SOURCE_DATE_EPOCH`` when set, else the clock."""
    return source_date_epoch() or dt.datetime.now(dt.timezone.utc)
