"""Zip packages (DOCX, EPUB) rewritten so that the same inputs give the same bytes.

The libraries that write them stamp each entry with the clock and pick their own
order; ``restamp`` dates every entry with the source date, puts the entries in a
fixed order and fixes their attributes, each package type as its readers want it.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Callable

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


@dataclass(frozen=True)
class Layout:
    """How one kind of package orders and stores its entries."""

    first: tuple[str, ...]          # entries that lead, in this order, when present
    sort_rest: bool                 # the others sorted by name, or in the writer's order
    stored: tuple[str, ...] = ()    # entries kept uncompressed
    create_system: int = 0          # 0: MS-DOS, 3: Unix (as the writer's readers expect)
    level: int | None = None        # deflate level; None is zlib's default


# Word wants the content types first; OCF wants "mimetype" first and stored, so
# that a reader can sniff the file's type at a fixed offset.
DOCX = Layout(first=("[Content_Types].xml", "_rels/.rels"), sort_rest=True)
EPUB = Layout(first=("mimetype",), sort_rest=False, stored=("mimetype",), create_system=3,
              level=9)


def restamp(data: bytes, when: dt.datetime, layout: Layout,
            rewrite: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The same package, every entry dated ``when`` (in UTC) and laid out by
    ``layout``; ``rewrite(name, content)`` may change an entry on the way."""
    when = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    stamp = max(when.astimezone(dt.timezone.utc).timetuple()[:6], ZIP_EPOCH)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        first = [name for name in layout.first if name in names]
        rest = [name for name in names if name not in first]
        for name in first + (sorted(rest) if layout.sort_rest else rest):
            content = source.read(name)
            if rewrite is not None:
                content = rewrite(name, content)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = layout.create_system
            info.external_attr = 0o644 << 16
            info.compress_type = (zipfile.ZIP_STORED if name in layout.stored
                                  else zipfile.ZIP_DEFLATED)
            target.writestr(info, content, compresslevel=layout.level)
    return out.getvalue()
