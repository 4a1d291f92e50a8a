"""Which liblouis table writes a language's braille: found through the tables' own metadata.

Every liblouis table declares what it is (``#+language:pl``, ``#+type:literary``,
``#+grade:2``, ``#+dots:6``...), and ``lou_findTables`` scores the tables against a
query of such features.  We ask for the language (its full tag, then its primary
subtag, as most tables name only that), literary braille and the grade, and relax
the query step by step, so that a language liblouis gains next year needs no code
here.  The preferences we state: the braille code where one language has several
(English is Unified English Braille, the UK's code since 2015, and the one UKAAF and
BANA transcribe in, not the older British or American codes liblouis still ships);
literary braille over the variants for program source (``ru-litbrl.ctb``, not
``ru-compbrl.ctb``); a table that writes digits in six dots over one that needs dots
7 and 8 for them, which BRF cannot hold; and, for tables liblouis ships without
metadata a query can find, a short list by file name (``FALLBACK_TABLES``).

What a language's table cannot write (Latin letters in Urdu braille, Romanian digits,
which ro.ctb has only in eight dots) is written with ``foreign``: English braille,
uncontracted, the code of the addresses and names a leaflet prints.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from typing import Iterator

from leaflet import langs
from leaflet.errors import LeafletError

from . import louis

# Extra query features per primary language subtag: the braille code to prefer.
CODE_FEATURES = {"en": "system:ueb"}
# Tables of ours added after liblouis's, per braille system: back-translation rules
# only (``nofor``), so that our braille reads back as exactly as it was written.
ADDITIONS = {"ueb": ("ueb-addresses.cti",)}
# The sign that ends a line where a word too long for any line (a web address) was
# cut, per braille system: UEB's line continuation indicator, dot 5.  Elsewhere the
# cut is unmarked.
CONTINUATION = {"ueb": "\u2810"}
HERE = os.path.dirname(os.path.abspath(__file__))
# Tables liblouis ships with no metadata (or none a language's tag finds), by language
# and script, each with whether it is contracted: asked for after the metadata.
FALLBACK_TABLES = {
    "ro": (("ro.ctb", False),),
    "tr": (("tr-g2.ctb", True), ("tr-g1.ctb", False)),
    "zh-Hans": (("zh_CHN.tbl", False), ("zhcn-g1.ctb", False)),
    "zh-Hant": (("zh_HK.tbl", False), ("zh-hk.ctb", False)),
    "am": (("ethio-g1.ctb", False),),
    "ti": (("ethio-g1.ctb", False),),
}
# The language and grade of the table for what a language's own table cannot write.
FOREIGN = ("en", 1)
# Variants a table declares for braille that is not for reading prose.
PROGRAM_VARIANTS = ("for-source-code", "computer")
DEFAULT_TABLE_FOLDER = "/usr/share/liblouis/tables"


class NoBrailleTable(LeafletError):
    """liblouis has no table for a language: the builder skips that language's braille
    with one warning and builds everything else."""

    def __init__(self, lang: str, grade: int):
        self.lang, self.grade = lang, grade
        name = f"{langs.english_name(lang)} ({lang})" if langs.babel_locale(lang) else lang
        super().__init__("", None, f"no braille table for {name} in liblouis {_version()}: "
                         "its braille (brf, pef) is not built")

    def __reduce__(self):  # to cross from a build worker to the parent
        return NoBrailleTable, (self.lang, self.grade)


@dataclass(frozen=True)
class Table:
    """The table chosen for a language and grade."""

    lang: str
    grade: int        # the grade asked for
    path: str         # the table file, as liblouis found it
    contracted: bool  # what the table is (a language with no contracted code gets grade 1)

    additions: tuple[str, ...] = ()
    continuation: str = ""

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    @property
    def table_list(self) -> str:
        """The table list to give liblouis: the table, then our additions."""
        return ",".join((self.path, *self.additions))


def _version() -> str:
    try:
        return louis.version()
    except LeafletError:
        return "(not installed)"


def _queries(lang: str, grade: int) -> list[str]:
    """Metadata queries for a language, most specific first; a language CLDR files under
    another (prs, Dari, is fa-AF) is asked for as that one too."""
    primary = lang.split("-")[0].lower()
    locale = langs.babel_locale(lang)
    tags = list(dict.fromkeys([lang, primary, *([locale.language] if locale else [])]))
    extra = CODE_FEATURES.get(primary, "")
    queries = []
    for tag in tags:
        base = f"language:{tag} type:literary"
        if extra:
            queries.append(f"{base} grade:{grade} {extra}")
        queries.append(f"{base} grade:{grade}")
        if grade == 1:
            queries.append(f"{base} contraction:no")
        queries.append(base)
    return queries


def _contracted(path: str) -> bool:
    contraction = louis.table_info(path, "contraction").strip().lower()
    grade = louis.table_info(path, "grade").strip()
    return contraction in ("full", "partial") or grade not in ("", "0", "1")


def _usable(path: str, grade: int) -> bool:
    """A table for six-dot literary braille that translates forwards; an uncontracted
    request never gets a contracted table."""
    if louis.table_info(path, "dots").strip() == "8":
        return False  # BRF has only 64 cells; eight-dot braille is for displays
    if louis.table_info(path, "direction").strip().lower() == "backward":
        return False
    return not (grade == 1 and _contracted(path))


def _program_variant(path: str) -> bool:
    """A table for program source or computer braille, not for reading prose."""
    variant = louis.table_info(path, "variant").strip().lower()
    kind = louis.table_info(path, "type").strip().lower()
    return any(v in variant for v in PROGRAM_VARIANTS) or kind == "computer"


def _fallback_key(lang: str) -> str:
    """The key of ``FALLBACK_TABLES``: the primary language, and for Chinese its script
    (typed, or the one CLDR's likely subtags give: zh-TW is Hant, zh is Hans)."""
    from babel.core import get_global

    parts = lang.replace("_", "-").split("-")
    primary = parts[0].lower()
    if primary != "zh":
        return primary
    script = next((p.title() for p in parts[1:] if len(p) == 4), "")
    if not script:
        region = next((p.upper() for p in parts[1:] if len(p) in (2, 3)), "")
        likely = get_global("likely_subtags")
        script = (likely.get(f"zh_{region}") or likely.get("zh") or "").split("_")[1:2]
        script = script[0] if script else "Hans"
    return f"zh-{script}"


def _table_folders() -> list[str]:
    folders = [p for p in os.environ.get("LOUIS_TABLEPATH", "").split(",") if p]
    folders += sorted({os.path.dirname(p) for p in louis.find_tables("language:en")})
    return [*folders, DEFAULT_TABLE_FOLDER]


def _fallbacks(lang: str, grade: int) -> list[tuple[str, bool]]:
    """The listed tables liblouis has for a language, as paths, a contracted one only
    for grade 2."""
    found = []
    for name, contracted in FALLBACK_TABLES.get(_fallback_key(lang), ()):
        if grade == 1 and contracted:
            continue
        path = next((os.path.join(folder, name) for folder in _table_folders()
                     if os.path.isfile(os.path.join(folder, name))), None)
        if path is not None:
            found.append((path, contracted))
    return found


def _table(lang: str, grade: int, path: str, contracted: bool) -> Table:
    system = louis.table_info(path, "system").strip().lower()
    additions = tuple(os.path.join(HERE, name) for name in ADDITIONS.get(system, ()))
    table = Table(lang, grade, path, contracted, additions, CONTINUATION.get(system, ""))
    louis.check_table(table.table_list)
    return table


def _candidates(lang: str, grade: int) -> Iterator[tuple[str, bool, bool]]:
    """The tables for a language, best first: (path, contracted, listed), ``listed`` for
    those of ``FALLBACK_TABLES``, which this liblouis may fail to compile."""
    program = None
    for query in _queries(lang, grade):
        for path in louis.find_tables(query):
            if not _usable(path, grade):
                continue
            if _program_variant(path):
                program = program or path
                continue
            yield path, _contracted(path), False
    for path, contracted in _fallbacks(lang, grade):
        yield path, contracted, True
    if program is not None:
        yield program, _contracted(program), False


def _eight_dot_numbers(table: Table) -> bool:
    """Whether the table writes digits with dots 7 or 8 (ro.ctb gives each digit a letter
    with dot 8 and no number sign), which six-dot braille cannot hold."""
    cells, _ = louis.translate(table.table_list, "0123456789")
    return any(ord(cell) > 0x283F for cell in cells)


@functools.lru_cache(maxsize=None)
def find(lang: str, grade: int = 2) -> Table:
    """The table for a language and grade (2 contracted, 1 uncontracted); a language
    with no contracted code in liblouis gets its uncontracted table for grade 2.  Found
    by metadata, literary tables before those for program source, then by the list of
    tables shipped without metadata; the first that writes digits in six dots, or else
    the first (its digits are written with ``foreign``).  NoBrailleTable when liblouis
    has no table for the language at all."""
    if grade not in (1, 2):
        raise LeafletError("", None, f"braille grade {grade}: use 1 (uncontracted) or 2 "
                           "(contracted)")
    first = None
    for path, contracted, listed in _candidates(lang, grade):
        try:
            table = _table(lang, grade, path, contracted)
        except LeafletError:
            if listed:
                continue  # a listed table this liblouis cannot compile
            raise
        if not _eight_dot_numbers(table):
            return table
        first = first or table
    if first is not None:
        return first
    raise NoBrailleTable(lang, grade)


def foreign(table: Table) -> Table | None:
    """The table that writes what a language's table cannot (Latin letters and an
    address's punctuation in Urdu braille, a hyphen in Italian, digits in Romanian):
    uncontracted UEB, English braille, letter for letter as it writes addresses.  None
    for that table itself, or where liblouis has no English."""
    try:
        english = find(*FOREIGN)
    except NoBrailleTable:
        return None
    return None if english.table_list == table.table_list else english


def has_table(lang: str, grade: int = 2) -> bool:
    try:
        find(lang, grade)
    except NoBrailleTable:
        return False
    return True


def _table_files(path: str) -> list[str]:
    """A table and every table it includes, followed through ``include`` lines."""
    folder = os.path.dirname(path)
    seen: list[str] = []
    pending = [path]
    while pending:
        current = pending.pop()
        if current in seen or not os.path.isfile(current):
            continue
        seen.append(current)
        with open(current, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                words = line.split()
                if len(words) >= 2 and words[0] == "include":
                    pending.append(os.path.join(os.path.dirname(current) or folder, words[1]))
    return sorted(seen)


@functools.lru_cache(maxsize=None)
def fingerprint(lang: str, grade: int = 2) -> str:
    """What a braille artifact's cache key must include: the liblouis version, the table
    chosen and a hash of it, the tables it includes and the foreign table's.
    NoBrailleTable as ``find``."""
    table = find(lang, grade)
    other = foreign(table)
    digest = hashlib.sha256()
    paths = [*_table_files(table.path), *table.additions]
    if other is not None:
        paths += [*_table_files(other.path), *other.additions]
    for path in paths:
        digest.update(os.path.basename(path).encode() + b"\0")
        with open(path, "rb") as handle:
            digest.update(hashlib.sha256(handle.read()).digest())
    return f"liblouis {louis.version()}; {table.name}; {digest.hexdigest()[:16]}"
