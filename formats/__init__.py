"""The writers' registry: format name -> "module:function", imported on first use.

Each writer is ``write(leaflet, options) -> bytes`` and never touches the file
system: pictures come through ``options.assets``.  Importing this package costs
nothing; a format's stack (WeasyPrint, python-docx, ebooklib) loads only when
that format is built.
"""

from __future__ import annotations

import importlib
from typing import Callable

from leaflet.errors import LeafletError

WRITERS = {
    "docx": "formats.docx:write",
    "epub": "formats.epub:write",
    "html": "formats.web:write",
    "pdf": "formats.pdf:write",
    "text": "formats.text:write",
}

# Which editions each format makes, and the file extension it writes.
EDITIONS = {
    "pdf": ("standard", "large-print", "easy-read"),
    "docx": ("standard", "large-print", "easy-read"),
    "epub": ("standard", "easy-read"),
    "text": ("standard", "easy-read"),
    "html": ("standard", "easy-read"),
}
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "epub": "epub", "text": "txt", "html": "html"}
ALL_EDITIONS = ("standard", "large-print", "easy-read")


def formats() -> list[str]:
    """The formats this installation can write, in a stable order."""
    return [name for name in EDITIONS if name in WRITERS]


def writer(name: str) -> Callable:
    """The ``write`` function of a format, imported now."""
    if name not in WRITERS:
        raise LeafletError("", None, f"unknown format '{name}' (formats: {', '.join(formats())})")
    module_name, _, function = WRITERS[name].partition(":")
    return getattr(importlib.import_module(module_name), function)
