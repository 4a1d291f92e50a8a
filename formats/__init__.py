"""The one table of output formats: each format is one ``Format`` record.

The planner, the manifest reader, the index page, the scheduler and the
command's ``-f`` choices all read ``FORMATS``; adding a format is one writer
module plus one record here (or one ``register`` call).  Each writer is
``write(leaflet, options) -> bytes`` and never touches the file system:
pictures come through ``options.assets``.  Importing this package costs
nothing; a format's stack (WeasyPrint, python-docx, ebooklib) loads only when
that format is built.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from leaflet.errors import LeafletError

if TYPE_CHECKING:
    from leaflet.model import Leaflet

    from .options import WriterOptions


def N_(message: str) -> str:
    """Marks a template word for extraction into ui.pot without translating it here."""
    return message


@dataclass(frozen=True)
class Format:
    """One output format: where its writer is, what it makes, how it is shown."""

    name: str                   # the -f name and the manifest's "format"
    writer: str                 # "module:function", imported on first use
    editions: tuple[str, ...]   # the editions it makes, e.g. ("standard", "easy-read")
    extension: str              # the file extension, without the dot
    label: str                  # the index page's and panel's name for it (a UI word)
    order: int                  # its place on the index page and in summaries
    cost: float                 # expected seconds per artifact (the scheduler's estimate)

    def load(self) -> Callable[[Leaflet, WriterOptions], bytes]:
        """The writer's ``write`` function, imported now."""
        module_name, _, function = self.writer.partition(":")
        return getattr(importlib.import_module(module_name), function)


FORMATS: dict[str, Format] = {}


def get(name: str) -> Format:
    """The record of a format; an unknown name is an error naming the valid ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise LeafletError("", None, f"unknown format '{name}' (formats: {', '.join(FORMATS)})") \
            from None


def register(fmt: Format) -> None:
    """Add a format (or replace the one of that name), keeping ``FORMATS`` in ``order``."""
    records = {**FORMATS, fmt.name: fmt}
    FORMATS.clear()
    FORMATS.update(sorted(records.items(), key=lambda item: (item[1].order, item[0])))


for _record in (
    Format("pdf", "formats.pdf:write", ("standard", "large-print", "easy-read"), "pdf",
           N_("PDF"), 1, 0.6),
    Format("docx", "formats.docx:write", ("standard", "large-print", "easy-read"), "docx",
           N_("Word"), 2, 0.1),
    Format("epub", "formats.epub:write", ("standard", "easy-read"), "epub",
           N_("EPUB e-book"), 3, 0.06),
    Format("html", "formats.web:write", ("standard", "easy-read"), "html",
           N_("Web page"), 4, 0.05),
    Format("text", "formats.text:write", ("standard", "easy-read"), "txt",
           N_("Plain text"), 5, 0.01),
    Format("brf", "formats.brf:write", ("standard",), "brf", N_("Braille (BRF)"), 6, 0.15),
    Format("pef", "formats.pef:write", ("standard",), "pef", N_("Braille (PEF)"), 7, 0.15),
    Format("audio", "formats.audio:write", ("standard", "easy-read"), "mp3", N_("Audio (MP3)"),
           8, 4.0),
    # its own format, not an edition of epub: editions are standard and easy read, and
    # both have a read-aloud book; the extension keeps it beside the plain EPUB
    Format("read-aloud", "formats.audio.readaloud:write", ("standard", "easy-read"),
           "read-aloud.epub", N_("Read-aloud EPUB"), 9, 4.5),
):
    FORMATS[_record.name] = _record
