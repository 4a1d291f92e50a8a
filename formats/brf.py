"""Braille Ready Format: the braille pages in North American Braille ASCII, what
embossers, braille displays and notetakers read.

One character per cell (0x20 to 0x5F), lines ended by CR LF, each page ended by a
form feed.  The layout is formats/braille/, shared with the PEF writer.
"""

from __future__ import annotations

from leaflet.model import Leaflet

from . import Rendered
from .braille import Braille, braille, to_ascii
from .options import WriterOptions


def write(leaflet: Leaflet, options: WriterOptions) -> Rendered:
    document = braille(leaflet, options)
    return Rendered(encode(document), {"pages": len(document.pages)}, document.warnings)


def encode(document: Braille) -> bytes:
    pages = ("".join(to_ascii(line) + "\r\n" for line in page) + "\f"
             for page in document.pages)
    return "".join(pages).encode("ascii")
