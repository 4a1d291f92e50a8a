"""Portable Embosser Format (PEF 2008-1, DAISY): the braille pages as XML rows of
Unicode braille, in one volume of one section, with Dublin Core metadata.

The rows are the BRF's lines cell for cell (the layout is formats/braille/).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from leaflet.model import Leaflet

from . import Rendered
from .braille import Braille, braille
from .options import WriterOptions

PEF_NS = "http://www.daisy.org/ns/2008/pef"
DC_NS = "http://purl.org/dc/elements/1.1/"


def write(leaflet: Leaflet, options: WriterOptions) -> Rendered:
    document = braille(leaflet, options)
    return Rendered(encode(leaflet, options, document), {"pages": len(document.pages)},
                    document.warnings)


def identifier(leaflet: Leaflet, document: Braille) -> str:
    """Stable for the same leaflet, version, language and braille table."""
    meta = leaflet.meta
    table = document.table.name.rsplit(".", 1)[0]
    return f"leaflet:{meta.code or leaflet.slug}:{meta.version or '0'}:{meta.language}:{table}"


def encode(leaflet: Leaflet, options: WriterOptions, document: Braille) -> bytes:
    meta = leaflet.meta
    fields = [("format", "application/x-pef+xml"), ("identifier", identifier(leaflet, document)),
              ("title", meta.title)]
    if meta.subtitle:
        fields.append(("description", meta.subtitle))
    fields += [("publisher", meta.organisation), ("language", meta.language),
               ("date", options.source_date.date().isoformat())]
    if meta.code:
        fields.append(("source", f"{meta.code} {meta.version}".strip()))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<pef version="2008-1" xmlns="{PEF_NS}">',
           "  <head>",
           f'    <meta xmlns:dc="{DC_NS}">']
    out += [f"      <dc:{name}>{escape(value)}</dc:{name}>" for name, value in fields]
    out += ["    </meta>", "  </head>", "  <body>",
            f'    <volume cols="{document.cells}" rows="{document.lines}" rowgap="0" '
            'duplex="false">',
            "      <section>"]
    for page in document.pages:
        out.append("        <page>")
        out += [f"          <row>{line}</row>" if line else "          <row/>" for line in page]
        out.append("        </page>")
    out += ["      </section>", "    </volume>", "  </body>", "</pef>", ""]
    return "\n".join(out).encode("utf-8")
