"""Sign-off: who checked a translation, in what role, and what they saw, recorded in
``locales/<lang>/reviews.yaml`` with hashes of the source's messages and structure and of
the catalog's messages, so that any later change makes the outputs DRAFT again.  Each
catalog keeps its history of sign-offs: a new one is appended, never written over."""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from pathlib import Path

import yaml

from .. import __version__, langs, yamlsafe
from ..errors import LeafletError, Problem
from ..files import now, stamp, write_atomic
from ..library import Library, read_leaflet
from ..model import Leaflet
from . import tokens
from .catalogs import Catalog, check_catalog, read_catalog, save_if_changed
from .units import Unit, walk

REVIEWS_FILE = "reviews.yaml"


def messages_hash(catalog: Catalog) -> str:
    """A hash of a catalog's current messages: msgids, msgstrs, fuzzy and accept marks, not
    comments or line numbers, so re-running 'leaflet update' on an unchanged source keeps a
    sign-off."""
    items = sorted((e.msgctxt or "", e.msgid, e.msgid_plural or "", e.msgstr,
                    sorted(e.msgstr_plural.items()) if e.msgstr_plural else [],
                    "fuzzy" in e.flags, tokens.ACCEPT_FLAG in e.flags)
                   for e in catalog.po if not e.obsolete)
    return _hash(items)


def source_hash(leaflet: Leaflet) -> str:
    """A hash of the source's messages and of where each stands (a heading, an urgent
    box...), in order: a sentence moved out of its urgent box voids a sign-off as a
    changed word does."""
    units: list[tuple[str, str]] = []

    def collect(unit: Unit) -> None:
        units.append((unit.kind, unit.text))

    walk(leaflet, collect)
    return _hash(units)


def _hash(items) -> str:
    data = json.dumps(items, ensure_ascii=False, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def reviews_path(library: Library, lang: str) -> Path:
    return library.locales / lang / REVIEWS_FILE


def read_reviews(library: Library, lang: str) -> dict:
    """``locales/<lang>/reviews.yaml``: catalog file name -> its sign-off record.  Read once
    per process while the file stays as it is; the caller gets its own copy."""
    path = reviews_path(library, lang)
    if not path.is_file():
        return {}
    return copy.deepcopy(_reviews_of(path, library.rel(path), stamp(path)))


@functools.lru_cache(maxsize=64)
def _reviews_of(path: Path, rel: str, _stamp: tuple) -> dict:
    try:
        _node, data = yamlsafe.load(path.read_text(encoding="utf-8"), rel)
    except LeafletError as exc:
        raise LeafletError(rel, exc.line, "not valid YAML; it is written by 'leaflet review', "
                           "so fix or delete the broken entry") from None
    except (UnicodeDecodeError, OSError):
        raise LeafletError(rel, None, "cannot be read; it is written by 'leaflet review'")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LeafletError(rel, 1, "must map catalog file names to sign-offs")
    return data


def history(library: Library, catalog: Catalog) -> list[dict]:
    """Every sign-off of a catalog, oldest first (a record of the older, one-record form
    counts as one)."""
    lang = catalog.path.parent.name
    records = read_reviews(library, lang).get(catalog.path.name)
    if isinstance(records, dict):
        records = [records]
    return [r for r in records or [] if isinstance(r, dict)]


def signed_off(library: Library, catalog: Catalog, leaflet: Leaflet | None = None) -> dict | None:
    """The catalog's last sign-off, if it holds for the catalog as it now is and (given
    the leaflet) for its source's messages and structure as they now are."""
    records = history(library, catalog)
    if not records:
        return None
    record = records[-1]
    if record.get("messages") != messages_hash(catalog):
        return None
    if leaflet is not None and "source" in record and record["source"] != source_hash(leaflet):
        return None
    return record


def reviewer(record: dict) -> str:
    """Who signed a record off, as ``stats`` shows it: "name (role)"."""
    name = str(record.get("reviewer") or record.get("by") or "")
    role = str(record.get("role") or "")
    return f"{name} ({role})" if role else name


REVIEWS_HEADER = """\
# Sign-offs of the translations in this folder, written by 'leaflet review'.
# A catalog's last sign-off holds while its messages (msgids, msgstrs, fuzzy and accept
# marks) and the source's messages and structure hash to the values recorded there: any
# change voids it, and outputs show DRAFT again.  Older sign-offs are kept as history.
"""


def review(library: Library, slug: str, lang: str, by: str, edition: str = "standard",
           role: str = "", accept: tuple[int, ...] = ()) -> tuple[dict, list[Problem]]:
    """Record that ``by`` (in ``role``) checked the catalog as it now is, appended to the
    catalog's history of sign-offs; refused while anything would fall back to the source
    or break a protected token.  ``accept`` names catalog lines whose acceptable problems
    (an amount written differently, numbers in another order) the reviewer accepts: their
    entries get the ``#, leaflet-accept`` flag.  Returns the record and the warnings the
    reviewer acknowledged."""
    by, role = _reviewer_and_role(by, role)
    lang = langs.check(lang)
    leaflet = read_leaflet(library, slug, edition)
    path = library.catalog(lang, slug, edition)
    rel = library.rel(path)
    if lang == leaflet.meta.language:
        raise LeafletError(rel, None, f"the leaflet is written in {lang}; only translations "
                           "are signed off")
    if not path.is_file():
        raise LeafletError(rel, None, f"no catalog for '{lang}' to sign off")
    catalog = read_catalog(path, rel)
    if accept:
        _mark_accepted(catalog, accept)
        catalog = read_catalog(path, rel)
    result = check_catalog(catalog, leaflet)
    problems = list(result.errors)
    if result.fallback_count:
        problems.append(Problem(rel, None, f"cannot be signed off: {len(result.untranslated)} "
                                f"untranslated, {len(result.fuzzy)} fuzzy and "
                                f"{len(result.missing)} missing messages (see 'leaflet stats'; "
                                f"run 'leaflet update -l {lang} {slug}' first if the source "
                                "changed)"))
    if problems:
        raise LeafletError(problems=problems)
    meta = leaflet.meta
    record = {
        "reviewer": by, "role": role, "date": now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "leaflet": slug, "edition": edition, "code": meta.code or "",
        "version": str(meta.version or ""), "tool": f"leaflet {__version__}",
        "source": source_hash(leaflet), "messages": messages_hash(catalog),
        "accepted": [f"line {p.line}: {p.message}" for p in result.warnings
                     if p.message.startswith("accepted by the reviewer")],
        "warnings": [f"line {p.line}: {p.message}" for p in result.warnings
                     if not p.message.startswith("accepted by the reviewer")],
    }
    reviews = read_reviews(library, lang)
    reviews[path.name] = [*history(library, catalog), record]
    text = REVIEWS_HEADER + yaml.safe_dump(reviews, allow_unicode=True, sort_keys=True,
                                           default_flow_style=False, width=100)
    write_atomic(reviews_path(library, lang), text.encode("utf-8"))
    return record, result.warnings


def _reviewer_and_role(by: str, role: str) -> tuple[str, str]:
    """The reviewer's name and role, both required; ``--by "name, role"`` still gives both."""
    by, role = " ".join(str(by).split()), " ".join(str(role or "").split())
    if not role and "," in by:
        by, role = (part.strip() for part in by.split(",", 1))
    if sum(c.isalpha() for c in by) < 2:
        raise LeafletError("", None, "say who signed the translation off, by name: "
                           "--by NAME --role ROLE")
    if sum(c.isalpha() for c in role) < 2:
        raise LeafletError("", None, f"say in what role {by} signed the translation off: "
                           "--role ROLE (for example --role \"clinical translator\")")
    return by, role


def _mark_accepted(catalog: Catalog, lines: tuple[int, ...]) -> None:
    """Flag the entries at these catalog lines ``#, leaflet-accept``; a line that is no
    entry's is refused."""
    starts = sorted(((getattr(e, "linenum", 0) or 0), i) for i, e in enumerate(catalog.po))
    entries = list(catalog.po)
    for line in lines:
        chosen = None
        for start, index in starts:
            if start <= line and not entries[index].obsolete:
                chosen = entries[index]
        if chosen is None or not chosen.msgid or catalog.msgstr_line(chosen) < line - 50:
            raise LeafletError(catalog.rel, line, "--accept names a line of no message")
        if tokens.ACCEPT_FLAG not in chosen.flags:
            chosen.flags.append(tokens.ACCEPT_FLAG)
    save_if_changed(catalog.po, catalog.path)


def is_draft(library: Library, slug: str, lang: str, edition: str = "standard",
             leaflet: Leaflet | None = None) -> bool:
    """True unless the catalog is signed off as it now is and covers the current source
    (``leaflet``, when already read): what the DRAFT banner, ``list``, ``stats`` and the
    index show."""
    path = library.catalog(lang, slug, edition)
    try:
        leaflet = leaflet or read_leaflet(library, slug, edition)
        if lang == leaflet.meta.language:
            return False
        if not path.is_file():
            return True
        catalog = read_catalog(path, library.rel(path))
        if check_catalog(catalog, leaflet).fallback_count:
            return True
        return signed_off(library, catalog, leaflet) is None
    except LeafletError:
        return True


def language_states(library: Library, leaflet: Leaflet) -> list[tuple[str, bool]]:
    """Each language of an already-read leaflet, its own first, and whether it is draft:
    what ``list`` shows."""
    own = leaflet.meta.language
    return [(lang, lang != own and is_draft(library, leaflet.slug, lang, leaflet.edition,
                                            leaflet))
            for lang in library.languages(leaflet.slug, own)]
