"""Braille for every leaflet: one layout, written out as BRF (formats/brf.py) and PEF
(formats/pef.py), translated by liblouis with the table its metadata names for the
leaflet's language.

For the builder, through the format records of brf and pef: ``unavailable(lang,
options)`` says why a language has no braille (liblouis has no table for it), so that
its braille is skipped with one warning, and raises the LeafletError saying that
liblouis itself is missing; ``engines(lang, options)`` is what an artifact's cache key
must include (liblouis's version, the table and a hash of its files, the page);
``probe()`` is what the first depends on, told without loading liblouis.  The layout
(``Braille``, ``braille``) and the tables are imported when first used, so that a build
that only asks whether braille exists loads no more than it needs.
"""

from __future__ import annotations

import functools
import importlib
import os
from typing import TYPE_CHECKING

from leaflet.errors import LeafletError

from .. import files_stamp

if TYPE_CHECKING:
    from ..options import WriterOptions
    from .tables import Table

# North American Braille ASCII, the characters of BRF: the character for each of the
# 64 six-dot cells, indexed by the cell's dots as bits (dot 1 = 1 ... dot 6 = 32).
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
_LAZY = {"Braille": ("document", "Braille"), "braille": ("document", "braille"),
         "NoBrailleTable": ("tables", "NoBrailleTable"), "Table": ("tables", "Table"),
         "has_table": ("tables", "has_table")}
# Where liblouis keeps its tables: Debian's package (tables.DEFAULT_TABLE_FOLDER), and a
# liblouis built from source.
TABLE_FOLDERS = ("/usr/share/liblouis/tables", "/usr/local/share/liblouis/tables")


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)


def to_ascii(cells: str) -> str:
    """Unicode braille (six-dot) as Braille ASCII."""
    return "".join(BRAILLE_ASCII[ord(cell) - 0x2800] for cell in cells)


def find_table(lang: str, grade: int = 2) -> Table:
    """The table liblouis writes a language's braille with (``tables.find``)."""
    from .tables import find

    return find(lang, grade)


def fingerprint(lang: str, grade: int = 2) -> str:
    """liblouis's version, the table and a hash of its files (``tables.fingerprint``)."""
    from . import tables

    return tables.fingerprint(lang, grade)


def unavailable(lang: str, options: WriterOptions) -> str | None:
    """Why liblouis cannot write the language at the options' grade, or None; raises the
    LeafletError that says liblouis is missing."""
    from .tables import NoBrailleTable

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


def probe() -> str:
    """What ``unavailable`` would find here, told without loading liblouis: the system's
    library index (liblouis installed, upgraded or removed changes it), the folders
    liblouis reads tables from, and the variables that move either."""
    tablepath = [p for p in os.environ.get("LOUIS_TABLEPATH", "").split(",") if p]
    return "; ".join([f"LOUIS_TABLEPATH={','.join(tablepath)}",
                      f"LD_LIBRARY_PATH={os.environ.get('LD_LIBRARY_PATH', '')}",
                      files_stamp("/etc/ld.so.cache", *tablepath, *TABLE_FOLDERS)])


__all__ = ["BRAILLE_ASCII", "Braille", "NoBrailleTable", "Table", "braille", "find_table",
           "engines", "fingerprint", "has_table", "probe", "to_ascii", "unavailable"]
