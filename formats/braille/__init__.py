"""Braille for every leaflet: one layout, written out as BRF (formats/brf.py) and PEF
(formats/pef.py), translated by liblouis with the table its metadata names for the
leaflet's language.

For the builder: ``find_table(lang, grade)`` raises ``NoBrailleTable`` (a
LeafletError) for a language liblouis has no table for, so that its braille can be
skipped with one warning; ``fingerprint(lang, grade)`` is the string an artifact's
cache key must include (liblouis's version, the table and a hash of its files).
"""

from __future__ import annotations

from .document import Braille, braille
from .tables import NoBrailleTable, Table, fingerprint, has_table
from .tables import find as find_table

# North American Braille ASCII, the characters of BRF: the character for each of the
# 64 six-dot cells, indexed by the cell's dots as bits (dot 1 = 1 ... dot 6 = 32).
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="


def to_ascii(cells: str) -> str:
    """Unicode braille (six-dot) as Braille ASCII."""
    return "".join(BRAILLE_ASCII[ord(cell) - 0x2800] for cell in cells)


__all__ = ["BRAILLE_ASCII", "Braille", "NoBrailleTable", "Table", "braille", "find_table",
           "fingerprint", "has_table", "to_ascii"]
