"""Sign-off: who checked a translation, in what role, and what they saw, recorded in
``locales/<lang>/reviews.yaml`` with hashes of the source's messages and structure and of
the catalog's messages, so that any later change makes the outputs DRAFT again.  Each
catalog keeps its history of sign-offs: a new one is appended, never written over.

A sign-off also records each finding the reviewer accepted (a dose written another way,
numbers in another order) by the hashes of its msgid and msgstr and the values accepted,
so an acceptance holds for that translation only.  Nothing is kept in the PO file, so what
translators' tools rewrite (flags, wrapping, comments, an XLIFF round trip) changes
neither a sign-off nor an acceptance."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import json
import re
from pathlib import Path

import yaml

from .. import __version__, config, langs, yamlsafe
from ..config import Field, Invalid, Table
from ..errors import Collector, LeafletError, Problem
from ..files import now, stamp, write_atomic
from ..library import Library, read_leaflet
from ..model import Leaflet
from . import tokens
from .catalogs import Acceptable, Acceptance, Catalog, CatalogCheck, check_catalog, read_catalog
from .messages import Unit, walk

REVIEWS_FILE = "reviews.yaml"


def messages_hash(catalog: Catalog) -> str:
    """A hash of a catalog's current messages: msgctxts, msgids, msgstrs and fuzzy marks,
    not comments, other flags, wrapping or line numbers, so re-running 'leaflet update' on
    an unchanged source, or a round trip through a translator's tool, keeps a sign-off."""
    return _hash(sorted(_message_items(catalog, legacy=False)))


def _message_items(catalog: Catalog, legacy: bool) -> list:
    items = []
    for e in catalog.po:
        if e.obsolete:
            continue
        item = [e.msgctxt or "", e.msgid, e.msgid_plural or "", e.msgstr,
                sorted(e.msgstr_plural.items()) if e.msgstr_plural else [], "fuzzy" in e.flags]
        if legacy:  # records written before acceptances moved out of the catalog
            item.append(tokens.ACCEPT_FLAG in e.flags)
        items.append(tuple(item))
    return items


def _messages_match(record: dict, catalog: Catalog) -> bool:
    recorded = record.get("messages")
    return recorded == messages_hash(catalog) or (
        recorded == _hash(sorted(_message_items(catalog, legacy=True))))


def source_hash(leaflet: Leaflet) -> str:
    """A hash of the source's messages and of where each stands (a heading, an urgent
    box...), in order: a sentence moved out of its urgent box voids a sign-off as a
    changed word does."""
    units: list[tuple[str, ...]] = []

    def collect(unit: Unit) -> None:
        # a context joins only where given, so sign-offs of leaflets without one hold
        units.append((unit.kind, unit.text, unit.context) if unit.context
                     else (unit.kind, unit.text))

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
    data, found = _checked(path, rel)
    found.raise_errors()
    return data


def _checked(path: Path, rel: str) -> tuple[dict, Collector]:
    """The file's values as written, and what its field table finds wrong with them."""
    try:
        node, data = yamlsafe.load(path.read_text(encoding="utf-8"), rel)
    except LeafletError as exc:
        raise LeafletError(rel, exc.line, "not valid YAML; it is written by 'leaflet review', "
                           "so fix or delete the broken entry") from None
    except (UnicodeDecodeError, OSError):
        raise LeafletError(rel, None, "cannot be read; it is written by 'leaflet review'") from None
    _values, reading = config.validate(node, data, rel, REVIEWS)
    return data or {}, reading.problems


def reviews_problems(library: Library, lang: str) -> list[Problem]:
    """Everything wrong in ``locales/<lang>/reviews.yaml``, warnings too, for ``leaflet
    check``."""
    path = reviews_path(library, lang)
    if not path.is_file():
        return []
    try:
        return _checked(path, library.rel(path))[1].problems
    except LeafletError as exc:
        return list(exc.problems)


# The field table of reviews.yaml -----------------------------------------------------------

HASH_RE = re.compile(r"^sha256:[0-9a-f]{64}$")


def _hash_value(value: str, _reading: config.Reading, at: tuple) -> str:
    if not HASH_RE.match(value):
        raise Invalid(HASH_MESSAGE.format(name=at[-1]))
    return value


HASH_MESSAGE = ("'{name}' must be a hash written by 'leaflet review' (sha256:...); run "
                "'leaflet review' again rather than editing it")


def _lines(value: list, _reading: config.Reading, at: tuple) -> list:
    if not all(isinstance(item, str) for item in value):
        raise Invalid(f"'{at[-1]}' must be a list of lines of text")
    return value


def _acceptances(value: list, reading: config.Reading, at: tuple) -> list:
    """Each accepted finding: a mapping as 'leaflet review --accept' writes it, or a line of
    text (older records, whose acceptances were flags in the catalog and accept nothing)."""
    return [item if isinstance(item, str)
            else config.read_field(ACCEPTED_FIELD, "accepted", item, reading, at + (n,))
            for n, item in enumerate(value)]


def _values(value: list, _reading: config.Reading, at: tuple) -> list:
    if not all(isinstance(item, str) for item in value):
        raise Invalid("'values' must list the source's value and the translation's, as text")
    return value


ACCEPTED = Table(
    fields={
        "msgid": Field("the hash of the message's msgid (and msgctxt)", kind=str,
                       check=_hash_value, message=HASH_MESSAGE, required=True),
        "msgstr": Field("the hash of the msgstr the reviewer saw", kind=str, check=_hash_value,
                        message=HASH_MESSAGE, required=True),
        "finding": Field("what was accepted: amount or order", kind=str,
                         choices=("amount", "order"), required=True),
        "values": Field("the source's value and the translation's", kind=list, check=_values,
                        required=True),
        "message": Field("what the reviewer was told, with its catalog line", kind=str),
    },
    unknown="unknown field '{key}' of an accepted finding (fields: {known})",
    unknown_is_warning=True,
    shape="an accepted finding must be 'field: value' lines written by 'leaflet review' "
          "({known})",
)
ACCEPTED_FIELD = Field("one accepted finding", table=ACCEPTED)


def _records(value: dict | list, reading: config.Reading, at: tuple) -> list:
    records = [value] if isinstance(value, dict) else value
    places = [at] if isinstance(value, dict) else [at + (n,) for n in range(len(value))]
    return [config.read_field(RECORD_FIELD, "sign-off", record, reading, place)
            for record, place in zip(records, places, strict=True)]


def _catalog_name(name: str) -> str:
    if name.endswith(".po") and "/" not in name and "\\" not in name:
        return ""
    return (f"'{name}' is not a catalog file name of this folder (such as "
            "secondary-breast-cancer.po)")


TEXT = (str, int, float)
RECORD = Table(
    fields={
        "reviewer": Field("who signed the translation off", kind=TEXT),
        "by": Field("who signed the translation off (older records)", kind=TEXT),
        "role": Field("in what role they signed it off", kind=TEXT),
        "date": Field("when, as 2025-01-31T09:00:00Z", kind=(str, dt.date)),
        "leaflet": Field("the leaflet's folder name", kind=str),
        "edition": Field("standard or easy-read", kind=str, choices=("standard", "easy-read")),
        "code": Field("the leaflet's code", kind=TEXT),
        "version": Field("the leaflet's version", kind=TEXT),
        "tool": Field("the tool and version that wrote the record", kind=str),
        "source": Field("the hash of the source's messages and structure", kind=str,
                        check=_hash_value, message=HASH_MESSAGE),
        "messages": Field("the hash of the catalog's messages", kind=str, check=_hash_value,
                          message=HASH_MESSAGE),
        "accepted": Field("the findings the reviewer accepted", kind=list, check=_acceptances),
        "warnings": Field("the warnings the reviewer saw", kind=list, check=_lines),
    },
    unknown="unknown sign-off field '{key}' (fields: {known})",
    unknown_is_warning=True,
    shape="a sign-off must be 'field: value' lines written by 'leaflet review' ({known})",
)
RECORD_FIELD = Field("one sign-off", table=RECORD)
REVIEWS = Table(
    names=Field("a catalog's sign-offs, oldest first", kind=(dict, list), check=_records,
                message="'{name}' must hold the catalog's sign-offs, as 'leaflet review' "
                "writes them"),
    name_check=_catalog_name,
    shape="must map catalog file names to sign-offs",
)


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
    if not _messages_match(record, catalog):
        return None
    # a record without the source's hash would hold whatever the source became: void
    if not record.get("source") or (leaflet is not None
                                    and record["source"] != source_hash(leaflet)):
        return None
    return record


def acceptances(library: Library, catalog: Catalog) -> frozenset[Acceptance]:
    """Every finding a reviewer has accepted in the catalog's sign-offs; each holds only
    for the msgid, msgstr and values it names."""
    found = set()
    for record in history(library, catalog):
        for item in record.get("accepted") or []:
            if isinstance(item, dict) and isinstance(item.get("values"), list):
                found.add(Acceptance(str(item.get("msgid")), str(item.get("msgstr")),
                                     str(item.get("finding")),
                                     tuple(str(v) for v in item["values"])))
    return frozenset(found)


def checked(library: Library, catalog: Catalog, leaflet: Leaflet,
            protected: bool = True) -> CatalogCheck:
    """The catalog checked against the leaflet, with the reviewer's acceptances."""
    return check_catalog(catalog, leaflet, protected, acceptances(library, catalog))


def reviewer(record: dict) -> str:
    """Who signed a record off, as ``stats`` shows it: "name (role)"."""
    name = str(record.get("reviewer") or record.get("by") or "")
    role = str(record.get("role") or "")
    return f"{name} ({role})" if role else name


REVIEWS_HEADER = """\
# Sign-offs of the translations in this folder, written by 'leaflet review'.
# A catalog's last sign-off holds while its messages (msgids, msgstrs and fuzzy marks) and
# the source's messages and structure hash to the values recorded there: any change voids
# it, and outputs show DRAFT again.  Older sign-offs are kept as history.  An accepted
# finding holds while the msgid and msgstr hash as recorded and the values are the same.
"""


def review(library: Library, slug: str, lang: str, by: str, edition: str = "standard",
           role: str = "", accept: tuple[int, ...] = ()) -> tuple[dict, list[Problem]]:
    """Record that ``by`` (in ``role``) checked the catalog as it now is, appended to the
    catalog's history of sign-offs; refused while anything would fall back to the source
    or break a protected token.  ``accept`` names catalog lines whose acceptable findings
    (an amount written differently, numbers in another order) the reviewer accepts: each is
    recorded with the hashes of its msgid and msgstr and its values; the catalog is not
    touched.  Returns the record and the warnings the reviewer acknowledged."""
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
    accepted = acceptances(library, catalog)
    result = check_catalog(catalog, leaflet, accepted=accepted)
    if accept:
        chosen = _chosen(catalog, result, accept)
        accepted = accepted | {item.acceptance for item in chosen}
        result = check_catalog(catalog, leaflet, accepted=accepted)
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
        "accepted": [_accepted_record(item) for item in result.accepted],
        "warnings": [f"line {p.line}: {p.message}" for p in result.warnings
                     if not p.message.startswith("accepted by the reviewer")],
    }
    reviews = read_reviews(library, lang)
    reviews[path.name] = [*history(library, catalog), record]
    text = REVIEWS_HEADER + yaml.safe_dump(reviews, allow_unicode=True, sort_keys=True,
                                           default_flow_style=False, width=100)
    write_atomic(reviews_path(library, lang), text.encode("utf-8"))
    return record, result.warnings


def _accepted_record(item: Acceptable) -> dict:
    acceptance = item.acceptance
    return {"msgid": acceptance.msgid, "msgstr": acceptance.msgstr, "finding": acceptance.rule,
            "values": list(acceptance.values), "message": f"line {item.line}: {item.message}"}


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


def _chosen(catalog: Catalog, result: CatalogCheck, lines: tuple[int, ...]) -> list[Acceptable]:
    """The acceptable findings of the entries at these catalog lines (a line anywhere in an
    entry names it); a line of no message, or of one with nothing to accept, is refused."""
    starts = sorted(((getattr(e, "linenum", 0) or 0), i) for i, e in enumerate(catalog.po))
    entries = list(catalog.po)
    chosen: list[Acceptable] = []
    problems = []
    for line in lines:
        entry = None
        for start, index in starts:
            if start <= line and not entries[index].obsolete:
                entry = entries[index]
        if entry is None or not entry.msgid or catalog.msgstr_line(entry) < line - 50:
            problems.append(Problem(catalog.rel, line, "--accept names a line of no message"))
            continue
        msgstr_line = catalog.msgstr_line(entry)
        found = [item for item in result.acceptable if item.line == msgstr_line]
        if not found and not any(item.line == msgstr_line for item in result.accepted):
            problems.append(Problem(catalog.rel, line, "--accept names a message with nothing "
                                    "to accept (only a changed amount, or numbers in another "
                                    "order, can be accepted)"))
        chosen.extend(found)
    if problems:
        raise LeafletError(problems=problems)
    return chosen


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
        if check_catalog(catalog, leaflet, protected=False).fallback_count:
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
