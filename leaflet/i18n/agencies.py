"""Translation agencies' formats: a language's catalogs exported as XLIFF (1.2 or 2.0,
through translate-toolkit) or PO, all messages or only those changed since a git
revision, and an agency's file imported back into its catalog after the same checks a
build makes; and a translation memory (TMX 1.4, through translate-toolkit, as ``po2tmx``
writes it) of the language's signed-off translations only.

Each unit's id is the hash of its msgctxt and msgid, so an imported unit finds its
message even when the agency's tool rewrote its source text's spacing; the file says
which catalog it belongs to (XLIFF ``<file original="...">``, a PO file's
``X-Leaflet-Catalog`` header) and its language (``target-language``, ``trgLang``,
``Language``).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import polib

from .. import langs
from ..errors import LeafletError, Problem
from ..files import write_atomic
from ..library import Library, read_leaflet
from .catalogs import Catalog, message_hash, read_catalog, save_if_changed
from .extract import template_path
from .pofile import write_po
from .signoff import checked, signed_off

FORMATS = ("xliff", "xliff2", "po", "tmx")
XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
CATALOG_HEADER = "X-Leaflet-Catalog"


def unit_id(entry: polib.POEntry) -> str:
    """A message's id in an exchange file: the start of the hash of its msgctxt and msgid."""
    return "m" + message_hash(entry).split(":", 1)[1][:16]


def export(library: Library, lang: str, slugs: list[str], fmt: str, out: Path,
           changed_since: str | None = None) -> list[tuple[Path, int]]:
    """Write one exchange file per catalog of ``lang`` into ``out``: every current message,
    or with ``changed_since`` (a git revision) those whose msgid the catalog did not have
    then and those not translated now.  Returns each file and how many messages it holds."""
    lang = langs.check(lang)
    if fmt not in FORMATS:
        raise LeafletError("", None, f"unknown format '{fmt}' (formats: {', '.join(FORMATS)})")
    if fmt == "tmx":
        if changed_since:
            raise LeafletError("", None, "--changed-since is for files sent to translators; a "
                               "translation memory holds every signed-off message")
        return [export_tmx(library, lang, slugs, out)]
    written = []
    for slug in slugs:
        for edition in library.editions(slug):
            path = library.catalog(lang, slug, edition)
            if not path.is_file():
                continue
            catalog = read_catalog(path, library.rel(path))
            entries = [e for e in catalog.po if not e.obsolete]
            if changed_since:
                before = _keys_at(library, path, changed_since) | _keys_at(
                    library, template_path(library, slug, edition), changed_since)
                entries = [e for e in entries if message_hash(e) not in before
                           or not e.msgstr or "fuzzy" in e.flags]
            leaflet = read_leaflet(library, slug, edition)
            target = out / f"{path.stem}.{lang}.{'po' if fmt == 'po' else 'xlf'}"
            data = (_po(catalog, entries) if fmt == "po"
                    else _xliff(catalog, entries, leaflet.meta.language, lang, fmt))
            write_atomic(target, data)
            written.append((target, len(entries)))
    if not written:
        raise LeafletError("", None, f"no catalog for '{lang}' to export: start one with "
                           f"'leaflet update -l {lang}'")
    return written


def export_tmx(library: Library, lang: str, slugs: list[str], out: Path) -> tuple[Path, int]:
    """``<out>/translation-memory.<lang>.tmx``: the translated messages of every catalog of
    ``lang`` whose sign-off holds for the catalog and its source as they are now, each
    once (by context, source and translation), with its context and the catalog it came
    from.  A catalog not signed off gives nothing: a translation memory feeds later
    translations, so it holds only what a reviewer has checked."""
    from translate.storage import tmx

    store = None
    seen: set[tuple[str, str, str]] = set()
    catalogs = 0
    for slug in slugs:
        for edition in library.editions(slug):
            path = library.catalog(lang, slug, edition)
            if not path.is_file():
                continue
            catalogs += 1
            leaflet = read_leaflet(library, slug, edition)
            catalog = read_catalog(path, library.rel(path))
            if signed_off(library, catalog, leaflet) is None:
                continue
            result = checked(library, catalog, leaflet)
            if result.errors or result.fallback_count:
                continue
            source_lang = leaflet.meta.language
            if store is None:
                store = tmx.tmxfile(sourcelanguage=source_lang, targetlanguage=lang)
            for (context, msgid), (msgstr, _line) in result.translated.items():
                if (context, msgid, msgstr) in seen:
                    continue
                seen.add((context, msgid, msgstr))
                store.addtranslation(msgid, source_lang, msgstr, lang,
                                     comment=catalog.rel, context=context or None)
    if not catalogs:
        raise LeafletError("", None, f"no catalog for '{lang}' to export: start one with "
                           f"'leaflet update -l {lang}'")
    if store is None:
        raise LeafletError("", None, f"no {lang} catalog is signed off as it now is, so there "
                           "is nothing for a translation memory: a reviewer signs catalogs off "
                           f"with 'leaflet review -l {lang} LEAFLET'")
    target = out / f"translation-memory.{lang}.tmx"
    write_atomic(target, bytes(store))
    return target, len(seen)


def _keys_at(library: Library, path: Path, revision: str) -> set[str]:
    """The message hashes of a catalog as git has it at ``revision`` (none if it had no
    such file then)."""
    try:
        shown = subprocess.run(["git", "-C", str(library.root), "show",
                                f"{revision}:./{library.rel(path)}"],
                               capture_output=True, timeout=60)
        known = subprocess.run(["git", "-C", str(library.root), "rev-parse", "--verify",
                                "--quiet", f"{revision}^{{commit}}"],
                               capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        raise LeafletError("", None, "--changed-since needs git, and the library in a git "
                           "repository") from None
    if known.returncode != 0:
        raise LeafletError("", None, f"--changed-since: '{revision}' is not a git revision of "
                           "the library")
    if shown.returncode != 0:
        return set()
    try:
        po = polib.pofile(shown.stdout.decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return set()
    return {message_hash(e) for e in po if not e.obsolete}


def _po(catalog: Catalog, entries: list[polib.POEntry]) -> bytes:
    po = polib.POFile(wrapwidth=78)
    po.header = catalog.po.header
    po.metadata = dict(catalog.po.metadata)
    po.metadata[CATALOG_HEADER] = catalog.path.name
    for entry in entries:
        po.append(entry)
    return write_po(po).encode("utf-8")


def _xliff(catalog: Catalog, entries: list[polib.POEntry], source_lang: str, lang: str,
           fmt: str) -> bytes:
    from translate.storage import xliff, xliff2

    if fmt == "xliff2":
        store = xliff2.Xliff2File(sourcelanguage=source_lang)
        store.settargetlanguage(lang)
        for entry in entries:
            unit = store.UnitClass(entry.msgid)
            unit.setid(unit_id(entry))
            _fill(unit, entry)
            store.addunit(unit)
        store.document.getroot().find(f"{{{store.namespace}}}file").set(
            "original", catalog.path.name)
        return bytes(store)
    store = xliff.xlifffile(sourcelanguage=source_lang)
    store.settargetlanguage(lang)
    for entry in entries:
        unit = store.addsourceunit(entry.msgid, filename=catalog.path.name, createifmissing=True)
        unit.setid(unit_id(entry))
        _fill(unit, entry)
    # translate-toolkit writes XLIFF 1.1; the elements used are the same in 1.2
    return bytes(store).replace(store.namespace.encode(), XLIFF_12.encode()).replace(
        b'version="1.1"', b'version="1.2"', 1)


def _fill(unit, entry: polib.POEntry) -> None:
    if entry.comment:
        unit.addnote(entry.comment, origin="developer")
    if entry.msgctxt:
        unit.addnote(f"Context: {entry.msgctxt}", origin="developer")
    if entry.msgstr:
        unit.target = entry.msgstr
        if "fuzzy" in entry.flags:
            unit.markfuzzy(True)
        else:
            unit.marktranslated()


def import_file(library: Library, file: Path) -> tuple[str, list[Problem], int]:
    """An agency's XLIFF (1.x or 2.x) or PO file merged into its catalog, after the checks a
    build makes on the catalog as it would be: any error refuses the whole file, naming the
    file's line.  Returns the catalog written, the warnings, and how many messages changed."""
    rel = str(file)
    units, catalog_name, lang = _units(file, rel)
    lang = langs.check(lang)
    path = library.locales / lang / catalog_name
    if not path.is_file() or path.parent != library.locales / lang:
        raise LeafletError(rel, None, f"names the catalog {lang}/{catalog_name}, which this "
                           "library does not have")
    catalog = read_catalog(path, library.rel(path))
    by_id = {unit_id(e): e for e in catalog.po if not e.obsolete}
    problems, changed, places = [], 0, {}
    for ident, source, target, fuzzy, line in units:
        entry = by_id.get(ident) or next((e for e in catalog.po if not e.obsolete
                                          and e.msgid == source and not e.msgctxt), None)
        if entry is None:
            problems.append(Problem(rel, line, "this unit is no message of the catalog now (the "
                                    "source changed since the export?): export again"))
            continue
        if " ".join(source.split()) != " ".join(entry.msgid.split()):
            problems.append(Problem(rel, line, "this unit's source text is not the catalog's: "
                                    "translate the source as exported"))
            continue
        places[id(entry)] = line
        if not target:
            continue
        flags = [f for f in entry.flags if f != "fuzzy"] + (["fuzzy"] if fuzzy else [])
        if entry.msgstr != target or flags != entry.flags:
            entry.msgstr, entry.flags = target, flags
            entry.previous_msgid = entry.previous_msgid if fuzzy else None
            changed += 1
    if problems:
        raise LeafletError(problems=problems)
    warnings = _check_as_built(library, catalog, places, rel)
    if changed:
        save_if_changed(catalog.po, path, revised=True)
    return library.rel(path), warnings, changed


def _check_as_built(library: Library, catalog: Catalog, places: dict[int, int],
                    rel: str) -> list[Problem]:
    """The catalog with the imported translations read and checked as a build would (from
    its text, so hidden characters and broken strings are found as in a file), each
    problem moved to the imported file's line; errors raise."""
    slug, _, edition = catalog.path.name.removesuffix(".po").partition(".")
    leaflet = read_leaflet(library, slug, edition or "standard")
    text = write_po(catalog.po)
    starts = sorted((e.linenum, places.get(id(_same(catalog, e))))
                    for e in polib.pofile(text, wrapwidth=78))

    def moved(problem: Problem) -> Problem:
        line = next((place for start, place in reversed(starts)
                     if problem.line and start <= problem.line), None)
        return Problem(rel, line, problem.message, problem.warning)

    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / catalog.path.parent.name / catalog.path.name
        trial.parent.mkdir()
        trial.write_text(text, encoding="utf-8")
        try:
            merged = read_catalog(trial, catalog.rel)
        except LeafletError as exc:
            raise LeafletError(problems=[moved(p) for p in exc.problems]) from None
        result = checked(library, merged, leaflet)
    if result.errors:
        raise LeafletError(problems=[moved(p) for p in result.errors])
    return [moved(p) for p in result.warnings]


def _same(catalog: Catalog, entry: polib.POEntry) -> polib.POEntry | None:
    return next((e for e in catalog.po if e.msgid == entry.msgid and e.msgctxt == entry.msgctxt
                 and e.obsolete == entry.obsolete), None)


def _units(file: Path, rel: str) -> tuple[list[tuple], str, str]:
    """(id, source, target, fuzzy, line) of each unit, the catalog's file name and the
    language, from an XLIFF or PO file."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise LeafletError(rel, None, f"cannot be read ({exc.strerror})") from None
    if file.suffix.lower() == ".po":
        po = read_catalog(file, rel)
        units = [(unit_id(e), e.msgid, e.msgstr, "fuzzy" in e.flags, po.msgstr_line(e))
                 for e in po.po if not e.obsolete]
        return units, po.po.metadata.get(CATALOG_HEADER, ""), po.po.metadata.get("Language", "")
    from lxml import etree
    from translate.storage import xliff, xliff2
    try:
        if b"urn:oasis:names:tc:xliff:document:2." in data[:2000]:
            store = xliff2.Xliff2File.parsestring(data)
            name_node = store.document.getroot().find(f"{{{store.namespace}}}file")
        else:
            store = xliff.xlifffile.parsestring(data)
            name_node = store.document.getroot().find(f".//{{{store.namespace}}}file")
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise LeafletError(rel, getattr(exc, "lineno", None), "this is not an XLIFF file "
                           "translate-toolkit can read") from None
    units = []
    for unit in store.getunits():
        element = unit.getunitelement() if hasattr(unit, "getunitelement") else unit.xmlelement
        units.append((element.get("id", ""), str(unit.source or ""), str(unit.target or ""),
                      unit.isfuzzy(), unit.xmlelement.sourceline))
    name = name_node.get("original", "") if name_node is not None else ""
    return units, name, store.gettargetlanguage() or ""
