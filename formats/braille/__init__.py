"""Braille for every leaflet: one layout, written out as BRF (formats/brf.py) and PEF
(formats/pef.py), translated by liblouis with the table its metadata names for the
leaflet's language.

For the builder, through the format records of brf and pef: ``unavailable(lang,
options)`` says why a language has no braille (liblouis has no table for it), so that
its braille is skipped with one warning, and raises the LeafletError saying that
liblouis itself is missing; ``engines(lang, options)`` is what an artifact's cache key
must include (liblouis's version, the table and a hash of its files, the page).
"""

from __future__ import annotations

import functools

from leaflet.errors import LeafletError

from ..options import WriterOptions
from .document import Braille, braille
from .tables import NoBrailleTable, Table, fingerprint, has_table
from .tables import find as find_table

# North American Braille ASCII, the characters of BRF: the character for each of the
# 64 six-dot cells, indexed by the cell's dots as bits (dot 1 = 1 ... dot 6 = 32).
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="


def to_ascii(cells: str) -> str:
    """Unicode braille (six-dot) as Braille ASCII."""
    return "".join(BRAILLE_ASCII[ord(cell) - 0x2800] for cell in cells)


def unavailable(lang: str, options: WriterOptions) -> str | None:
    """Why liblouis cannot write the language at the options' grade, or None; raises the
    LeafletError that says liblouis is missing."""
    problem = table_problem(lang, options.braille_grade)
    if problem is None:
        return None
    if isinstance(problem, NoBrailleTable):
        return str(problem)
    raise problem


@functools.lru_cache(maxsize=None)
def table_problem(lang: str, grade: int) -> LeafletError | None:
    """Asked once per process: finding a table loads liblouis and reads its tables."""
    try:
        find_table(lang, grade)
    except LeafletError as exc:
        return exc
    return None


def engines(lang: str, options: WriterOptions) -> str:
    """liblouis's version, the table and its hash, and the braille page: what a BRF or PEF
    depends on beyond the leaflet and the edition."""
    page = f"grade {options.braille_grade}; {options.braille_cells} cells x " \
           f"{options.braille_lines} lines"
    try:
        return f"{fingerprint(lang, options.braille_grade)}; {page}"
    except LeafletError as exc:
        return f"{exc}; {page}"


__all__ = ["BRAILLE_ASCII", "Braille", "NoBrailleTable", "Table", "braille", "find_table",
           "engines", "fingerprint", "has_table", "to_ascii", "unavailable"]
