"""Translations: gettext catalogs per leaflet (extract, merge, apply), coverage, sign-off.

One walk over a leaflet's translatable units, ``_units``, serves extraction and
application alike (as Sphinx's ``extract_messages`` does), so a message id
written into a POT is by construction the one looked up when a build applies
the PO.  Catalogs are read and written with polib, which keeps a catalog's own
header fields and comments as the translator's tool left them.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import polib
import yaml

from . import langs, source, tokens
from .errors import Collector, LeafletError, Problem
from .files import now, write_atomic
from .library import Library, read_leaflet
from .model import Callout, Contacts, Figure, Heading, Leaflet, List, Paragraph, Row, Table

TEMPLATES = "templates"
REVIEWS_FILE = "reviews.yaml"
UI_DOMAIN = "ui"
TOOL_LOCALES = Path(__file__).resolve().parent.parent / "formats" / "locales"
FUZZY_THRESHOLD = 0.6
MAX_CATALOG_BYTES = 5_000_000
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
PSEUDO_LANGUAGE = "xx"  # upper-cases the source in the tests; no real language

# What a translator is told about each kind of unit (a "#." comment).
KIND_NOTES = {
    "title": "The leaflet's title.",
    "subtitle": "The line under the leaflet's title.",
    "requests": "Tells readers how to ask for the leaflet in another language or format.",
    "section heading": "A section heading.",
    "subheading": "A heading inside a section.",
    "list item": "One item of a list.",
    "table heading": "A table's column heading.",
    "table cell": "A table cell.",
    "info box": "Inside a boxed note.",
    "warning box": "Inside a boxed warning.",
    "urgent box": "Inside a boxed urgent warning: keep it as direct as the source.",
    "contact name": "The name of a person or service to contact.",
    "contact about": "What a contact can help with.",
    "contact hours": "When a contact can be reached.",
    "alt text": "Describes a picture for people who cannot see it.",
    "caption": "A caption under a picture.",
    "easy read row": "One short easy read sentence beside its picture: keep it short and plain.",
}


# The one walk over translatable units ----------------------------------------------

@dataclass(frozen=True)
class Unit:
    """One translatable piece of a leaflet: its kind, its text (the msgid) and where it is."""

    kind: str
    text: str
    file: str
    line: int
    markdown: bool


Visit = Callable[[Unit], "str | None"]
Parse = Callable[[Unit, str], tuple]


def _units(leaflet: Leaflet, visit: Visit, parse: Parse | None = None) -> Leaflet:
    """Call ``visit`` on every unit in reading order and return the leaflet with each
    unit replaced by what ``visit`` returned (None keeps the source text).  ``parse``
    turns a replacement of inline Markdown into inline nodes."""
    file = Path(leaflet.path).name or "leaflet.md"

    def text(kind: str, value: str, line: int, markdown: bool = False) -> str | None:
        if not value.strip():
            return None
        return visit(Unit(kind, value, file, line, markdown))

    def inline(node, kind: str):
        new = text(kind, node.markdown, node.line, markdown=True)
        if new is None:
            return node
        children = parse(Unit(kind, node.markdown, file, node.line, True), new) if parse else ()
        return replace(node, children=children, markdown=new)

    def plain(node, kind: str, name: str, line: int):
        new = text(kind, getattr(node, name), line)
        return node if new is None else replace(node, **{name: new})

    def blocks(items, context: str | None) -> tuple:
        return tuple(block(b, context) for b in items)

    def block(b, context: str | None):
        if isinstance(b, Heading):
            return inline(b, "section heading" if b.level == 1 else "subheading")
        if isinstance(b, Paragraph):
            return inline(b, context or "paragraph")
        if isinstance(b, List):
            return replace(b, items=tuple(replace(item, blocks=blocks(item.blocks, "list item"))
                                          for item in b.items))
        if isinstance(b, Figure):
            b = plain(b, "alt text", "alt", b.line)
            return plain(b, "caption", "caption", b.line)
        if isinstance(b, Table):
            head = tuple(inline(c, "table heading") for c in b.head)
            rows = tuple(tuple(inline(c, "table cell") for c in row) for row in b.rows)
            return replace(b, head=head, rows=rows)
        if isinstance(b, Callout):
            return replace(b, blocks=blocks(b.blocks, f"{b.kind} box"))
        if isinstance(b, Contacts):
            contacts = []
            for contact in b.contacts:
                for name in ("name", "about", "hours"):
                    contact = plain(contact, f"contact {name}", name, contact.line)
                contacts.append(contact)
            return replace(b, contacts=tuple(contacts))
        if isinstance(b, Row):
            figure = block(b.figure, None) if b.figure is not None else None
            return replace(b, figure=figure, blocks=blocks(b.blocks, "easy read row"))
        return b

    meta = leaflet.meta
    for name in ("title", "subtitle", "requests"):
        meta = plain(meta, name, name, meta.field_lines.get(name, 1))
    return replace(leaflet, meta=meta, blocks=blocks(leaflet.blocks, None))


@dataclass
class Message:
    """A message of a catalog: one msgid with every place it occurs."""

    msgid: str
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def messages(leaflet: Leaflet, region: str | None = None) -> list[Message]:
    """The leaflet's messages in reading order, one per distinct msgid."""
    region = region or leaflet.meta.region
    found: dict[str, Message] = {}

    def collect(unit: Unit) -> None:
        message = found.setdefault(unit.text, Message(unit.text))
        message.occurrences.append((unit.file, str(unit.line)))
        for note in [KIND_NOTES.get(unit.kind, ""), *tokens.notes(unit.text, region)]:
            if note and note not in message.notes:
                message.notes.append(note)
        return None

    _units(leaflet, collect)
    return list(found.values())


# Catalog files ---------------------------------------------------------------------

@dataclass
class Catalog:
    """A PO file as read: polib's entries plus the file's lines, for messages that
    point at a msgstr."""

    path: Path
    rel: str
    po: polib.POFile
    lines: list[str]

    @functools.cached_property
    def entries(self) -> dict[str, polib.POEntry]:
        return {e.msgid: e for e in self.po if not e.obsolete and not e.msgctxt}

    def msgstr_line(self, entry: polib.POEntry) -> int:
        """The line of an entry's msgstr (polib knows only where the entry starts)."""
        start = max(getattr(entry, "linenum", 1) or 1, 1)
        for number in range(start - 1, min(len(self.lines), start + 400)):
            if self.lines[number].startswith("msgstr"):
                return number + 1
        return start


def read_catalog(path: Path, rel: str) -> Catalog:
    """A PO or POT file, or a LeafletError that names the file and line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LeafletError(rel, None, "catalog not found")
    except OSError as exc:
        raise LeafletError(rel, None, f"cannot be read ({exc.strerror})")
    if len(data) > MAX_CATALOG_BYTES:
        raise LeafletError(rel, None, f"the catalog is {len(data) // 1_000_000} MB; a leaflet's "
                           f"catalog must be under {MAX_CATALOG_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LeafletError(rel, line, "the catalog is not UTF-8 text; save it as UTF-8")
    if "\0" in text:
        raise LeafletError(rel, None, "this is not a PO file (it contains binary data)")
    _check_strings(text, rel)
    try:
        # polib takes a string that is not a file name as the catalog's text
        po = polib.pofile(text if text.strip() else 'msgid ""\nmsgstr ""\n', wrapwidth=78)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise LeafletError(rel, int(match.group(1)) if match else None,
                           "this is not a valid PO file (a quote or a msgid/msgstr line is "
                           "missing or out of place)")
    return Catalog(path, rel, po, text.split("\n"))


_KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=\s|\"|$)\s*(.*)$")
_STRING_RE = re.compile(r'^"(?:[^"\\]|\\.)*"$')
_OPEN_STRING_RE = re.compile(r'^"(?:[^"\\]|\\.)*$')


def _check_strings(text: str, rel: str) -> None:
    """Each msgid, msgstr, msgctxt and continuation line must hold one whole "quoted" text:
    polib reads a line that lost its closing quote as if it were there, less its last
    letter, so a translation would be built cut short without a word said."""
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line.startswith("#~") and not line.startswith("#~|"):
            line = line[2:].strip()  # an obsolete message comes back when its msgid does
        if not line or line.startswith("#"):
            continue
        keyword = _KEYWORD_RE.match(line)
        if keyword:
            name, rest = keyword.group(1), keyword.group(2).strip()
        elif line.startswith('"'):
            name, rest = "", line
        else:
            continue  # not a string line: polib says what is wrong with it
        where = f"the text after {name}" if name else "this line"
        if _STRING_RE.match(rest):
            continue
        if not rest.startswith('"'):
            problem = f"{where} must be in double quotes: {name} \"...\""
        elif _OPEN_STRING_RE.match(rest):
            problem = (f"{where} has no closing double quote (\") at its end; add it, or write "
                       "a quote inside the text as \\\"")
        else:
            problem = (f"{where} has a double quote (\") in the middle or something after its "
                       "closing quote; write a quote inside the text as \\\"")
        raise LeafletError(rel, number, f"this is not a valid PO file: {problem}")


_DATE_LINE_RE = re.compile(r'^"POT-Creation-Date: [^"]*"$', re.MULTILINE)


def _save_if_changed(po: polib.POFile, path: Path) -> bool:
    """Write a catalog unless only its creation date would change; True when written."""
    text = str(po)
    if not text.endswith("\n"):
        text += "\n"
    try:
        old = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        old = None
    if old is not None and _DATE_LINE_RE.sub("", old) == _DATE_LINE_RE.sub("", text):
        return False
    write_atomic(path, text.encode("utf-8"))
    return True


def _now() -> str:
    return now().strftime("%Y-%m-%d %H:%M+0000")


def _new_pofile(header: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=78)
    po.header = header
    po.metadata = {
        "Project-Id-Version": "",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": _now(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


# Extract ---------------------------------------------------------------------------

def template_path(library: Library, slug: str, edition: str = "standard") -> Path:
    suffix = ".easy-read.pot" if edition == "easy-read" else ".pot"
    return library.locales / TEMPLATES / f"{slug}{suffix}"


def editions_of(library: Library, slug: str) -> list[str]:
    return ["standard", "easy-read"] if library.has_easy_read(slug) else ["standard"]


def read_source(library: Library, slug: str, edition: str) -> Leaflet:
    return read_leaflet(library, slug, edition)


def template(leaflet: Leaflet) -> polib.POFile:
    """The POT of one edition of a leaflet."""
    meta = leaflet.meta
    edition = " (easy read)" if leaflet.edition == "easy-read" else ""
    po = _new_pofile(
        f"Messages of the leaflet \"{meta.title}\"{edition}, {meta.organisation}.\n"
        "Translate each msgstr; keep phone numbers, e-mail and web addresses exactly as they\n"
        "are, and keep **bold** and [link](targets) as in the msgid.\n"
        "Made by 'leaflet extract' from the leaflet source: do not edit by hand.")
    po.metadata["Project-Id-Version"] = " ".join(
        p for p in (leaflet.slug + (".easy-read" if leaflet.edition == "easy-read" else ""),
                    meta.code, f"version {meta.version}" if meta.version else "") if p)
    po.metadata["Language"] = ""
    po.metadata["X-Source-Language"] = meta.language
    for message in messages(leaflet):
        po.append(polib.POEntry(msgid=message.msgid, msgstr="", occurrences=message.occurrences,
                                comment="\n".join(message.notes)))
    return po


def extract(library: Library, slugs: list[str] | None = None) -> list[tuple[str, bool, int]]:
    """Write ``locales/templates/<slug>[.easy-read].pot``; (path, written, messages) each."""
    results = []
    for slug in slugs or library.slugs():
        for edition in editions_of(library, slug):
            pot = template(read_source(library, slug, edition))
            path = template_path(library, slug, edition)
            results.append((library.rel(path), _save_if_changed(pot, path), len(pot)))
    return results


# Update (msgmerge --previous) ---------------------------------------------------------

def check_language(tag: str) -> str:
    """A language tag as a catalog folder name: ``pl``, ``pt-BR`` (``PL`` and ``pt_br`` are
    written so); a LeafletError for anything babel does not know as a language, such as
    ``backup``.  The pseudo-language ``xx`` of the tests passes too."""
    tag = str(tag).strip()
    if tag == PSEUDO_LANGUAGE:
        return tag
    try:
        return langs.normalise(tag)
    except ValueError:
        raise LeafletError("", None, f"'{tag}' is not a language tag (for example pl, ar, "
                           "bn, pt-BR)") from None


def is_language_folder(name: str) -> bool:
    """True for a folder of locales/ named by a language tag as ``check_language`` writes
    it (``pl``, not ``PL`` or ``backup``)."""
    try:
        return check_language(name) == name
    except LeafletError:
        return False


def plural_forms(lang: str) -> str:
    from babel import UnknownLocaleError
    from babel.messages.plurals import get_plural
    try:
        return get_plural(lang.replace("-", "_")).plural_forms
    except (UnknownLocaleError, ValueError, KeyError, TypeError, LookupError):
        return DEFAULT_PLURAL_FORMS


def _similar(msgid: str, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    best, best_ratio = None, FUZZY_THRESHOLD
    for entry in candidates:
        matcher = difflib.SequenceMatcher(None, msgid, entry.msgid, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio:
            best, best_ratio = entry, ratio
    return best


def merge(old: polib.POFile | None, pot: polib.POFile, lang: str) -> polib.POFile:
    """A catalog for ``lang`` with the POT's messages, as ``msgmerge --previous`` makes it:
    kept translations; a changed message fuzzy with its old msgid as ``#| msgid``;
    messages the POT no longer has obsolete (``#~``)."""
    if old is None:
        name = langs.english_name(lang)
        header = [line for line in pot.header.split("\n") if not line.startswith("Made by")]
        header[0] = header[0].replace("Messages of", f"{name} translation of", 1)
        header.append(f"Kept in step with the source by 'leaflet update -l {lang}'.")
        po = _new_pofile("\n".join(header))
        po.metadata.update({k: v for k, v in pot.metadata.items() if k != "X-Source-Language"})
        po.metadata.update({"Language": lang, "Plural-Forms": plural_forms(lang),
                            "Language-Team": name if name != lang else ""})
        old_entries: list[polib.POEntry] = []
    else:
        po = polib.POFile(wrapwidth=78)
        po.header, po.metadata = old.header, dict(old.metadata)
        po.metadata["POT-Creation-Date"] = pot.metadata.get("POT-Creation-Date", _now())
        po.metadata["Project-Id-Version"] = pot.metadata.get("Project-Id-Version", "")
        po.metadata.setdefault("Language", lang)
        po.metadata.setdefault("Plural-Forms", plural_forms(lang))
        old_entries = [e for e in old if not e.msgctxt]
    current = {e.msgid: e for e in old_entries if not e.obsolete}
    obsolete = {e.msgid: e for e in old_entries if e.obsolete}
    exact = {e.msgid for e in pot if e.msgid in current or e.msgid in obsolete}
    candidates = [e for e in old_entries if e.msgstr and e.msgid not in exact]
    used: set[str] = set(exact)
    for item in pot:
        entry = polib.POEntry(msgid=item.msgid, msgstr="", occurrences=list(item.occurrences),
                              comment=item.comment)
        previous = current.get(item.msgid) or obsolete.get(item.msgid)
        if previous is not None:
            entry.msgstr = previous.msgstr
            entry.tcomment = previous.tcomment
            entry.flags = [f for f in previous.flags]
            if "fuzzy" in entry.flags:
                entry.previous_msgid = previous.previous_msgid
        else:
            similar = _similar(item.msgid, candidates)
            if similar is not None:
                used.add(similar.msgid)
                entry.msgstr = similar.msgstr
                entry.tcomment = similar.tcomment
                entry.flags = ["fuzzy"]
                entry.previous_msgid = similar.msgid
        po.append(entry)
    for entry in old_entries:
        if entry.msgid in used or not entry.msgstr:
            continue
        if entry.obsolete or entry.msgid not in exact:
            gone = polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr, tcomment=entry.tcomment,
                                 flags=[f for f in entry.flags if f == "fuzzy"])
            gone.obsolete = True
            po.append(gone)
    return po


@dataclass(frozen=True)
class Coverage:
    """How much of one catalog a build can use, counted against the current source."""

    slug: str
    edition: str
    lang: str
    catalog: str
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int = 0
    warnings: int = 0
    errors: int = 0
    draft: bool = True
    signed_by: str = ""

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> int:
        return int(100 * self.translated / self.total) if self.total else 100


def update(library: Library, lang: str, slugs: list[str] | None = None,
           editions: tuple[str, ...] = ()) -> list[Coverage]:
    """Create or merge ``locales/<lang>/<slug>[.easy-read].po`` from the current source (the
    POTs are written on the way).  An easy read catalog is created only when asked for with
    ``editions``; an existing one is always merged."""
    lang = check_language(lang)
    results = []
    for slug in slugs or library.slugs():
        for edition in editions_of(library, slug):
            path = library.catalog(lang, slug, edition)
            if editions and edition not in editions:
                continue
            if not editions and edition == "easy-read" and not path.is_file():
                continue
            leaflet = read_source(library, slug, edition)
            if lang == leaflet.meta.language:
                raise LeafletError(library.rel(library.source_file(slug, edition)), None,
                                   f"the leaflet is written in {lang}; there is nothing to "
                                   "translate into it")
            pot = template(leaflet)
            _save_if_changed(pot, template_path(library, slug, edition))
            old = read_catalog(path, library.rel(path)).po if path.is_file() else None
            _save_if_changed(merge(old, pot, lang), path)
            results.append(coverage(library, slug, lang, edition, leaflet))
    if editions and "easy-read" in editions and not results:
        raise LeafletError("", None, "no leaflet here has an easy read edition (easy-read.md)")
    return results


# Apply ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Translation:
    """A leaflet in one language, with what the catalog could not supply."""

    leaflet: Leaflet
    draft: bool = False
    fallbacks: tuple[Problem, ...] = field(default=())
    warnings: tuple[Problem, ...] = field(default=())


@dataclass
class _Check:
    """The outcome of checking a catalog against the current source, message by message."""

    translated: dict[str, tuple[str, int]] = field(default_factory=dict)
    fuzzy: list[tuple[str, int | None]] = field(default_factory=list)
    untranslated: list[tuple[str, int | None]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def fallback_count(self) -> int:
        return len(self.fuzzy) + len(self.untranslated) + len(self.missing)


def _check(catalog: Catalog, leaflet: Leaflet) -> _Check:
    region = leaflet.meta.region
    source_name = f"the {langs.english_name(leaflet.meta.language)}"
    result = _Check()
    seen: set[str] = set()
    for entry in catalog.po:
        if entry.obsolete or entry.msgctxt:
            continue
        if entry.msgid in seen:
            result.errors.append(Problem(catalog.rel, catalog.msgstr_line(entry),
                                         f"\"{_short(entry.msgid)}\" is in the catalog twice; "
                                         "keep one translation"))
        seen.add(entry.msgid)
    for message in messages(leaflet):
        entry = catalog.entries.get(message.msgid)
        if entry is None:
            result.missing.append(message.msgid)
            continue
        line = catalog.msgstr_line(entry)
        if not entry.msgstr.strip():
            result.untranslated.append((message.msgid, line))
        elif "fuzzy" in entry.flags:
            result.fuzzy.append((message.msgid, line))
        else:
            result.translated[message.msgid] = (entry.msgstr, line)
            for finding in tokens.compare(message.msgid, entry.msgstr, region, source_name):
                target = result.warnings if finding.warning else result.errors
                target.append(Problem(catalog.rel, line, finding.message, finding.warning))
            if not re.search(r"<[A-Za-z/!]", message.msgid) and \
                    re.search(r"<[A-Za-z/!]", entry.msgstr):
                result.errors.append(Problem(catalog.rel, line, "HTML is not allowed in a "
                                             "translation; write it in Markdown"))
    return result


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def translate(library: Library, leaflet: Leaflet, lang: str, strict: bool = False) -> Translation:
    """The leaflet in ``lang`` from its catalog.  Untranslated and fuzzy messages keep the
    source text and are reported (errors with ``strict``); a broken protected token is an
    error for the whole language."""
    if lang == leaflet.meta.language:
        return Translation(leaflet)
    path = library.catalog(lang, leaflet.slug, leaflet.edition)
    rel = library.rel(path)
    if not is_language_folder(lang):
        raise LeafletError(rel, None, f"'{lang}' is not a language tag, so this is no "
                           "translation (name the folder by its language, for example pl, ar, "
                           "bn, pt-BR)")
    if not path.is_file():
        raise LeafletError(rel, None, f"no catalog for '{lang}': start one with "
                           f"'leaflet update -l {lang} {leaflet.slug}'")
    catalog = read_catalog(path, rel)
    result = _check(catalog, leaflet)
    problems = Collector()
    problems.problems.extend(result.errors)

    def parse(unit: Unit, msgstr: str) -> tuple:
        line = result.translated[unit.text][1]
        return source.parse_inline(msgstr, rel, line, leaflet.meta.region, problems)

    translated = _units(leaflet, lambda unit: result.translated.get(unit.text, (None,))[0],
                        parse)
    if not result.translated:
        problems.error(rel, None, "nothing is translated yet, so there is no "
                       f"{langs.english_name(lang)} leaflet to build")
    source_name = langs.english_name(leaflet.meta.language)
    fallbacks = []
    for msgid, line in result.untranslated:
        fallbacks.append(Problem(rel, line, f"untranslated, the {source_name} text is used: "
                                 f"\"{_short(msgid)}\"", warning=True))
    for msgid, line in result.fuzzy:
        fallbacks.append(Problem(rel, line, f"fuzzy (needs checking), the {source_name} text is "
                                 f"used: \"{_short(msgid)}\"", warning=True))
    for msgid in result.missing:
        fallbacks.append(Problem(rel, None, f"not in the catalog (run 'leaflet update -l {lang} "
                                 f"{leaflet.slug}'), the {source_name} text is used: "
                                 f"\"{_short(msgid)}\"", warning=True))
    if fallbacks:
        total = len(result.translated) + result.fallback_count
        fallbacks.insert(0, Problem(rel, None, f"{len(fallbacks)} of {total} messages are not "
                                    f"translated ({len(result.untranslated)} untranslated, "
                                    f"{len(result.fuzzy)} fuzzy, {len(result.missing)} not in "
                                    f"the catalog); they stay in {source_name}", warning=True))
        if strict:
            problems.problems.extend(replace(p, warning=False) for p in fallbacks)
    problems.raise_errors()
    meta = replace(translated.meta, language=lang, direction=langs.direction(lang))
    translated = replace(translated, meta=meta)
    draft = bool(fallbacks) or not _signed_off(library, catalog, leaflet.slug, leaflet.edition)
    return Translation(translated, draft=draft, fallbacks=tuple(fallbacks),
                       warnings=tuple(result.warnings))


# Sign-off ----------------------------------------------------------------------------

def messages_hash(catalog: Catalog) -> str:
    """A hash of a catalog's current messages: msgids, msgstrs and fuzzy marks, not comments
    or line numbers, so re-running 'leaflet update' on an unchanged source keeps a sign-off."""
    items = sorted((e.msgctxt or "", e.msgid, e.msgid_plural or "", e.msgstr,
                    sorted(e.msgstr_plural.items()) if e.msgstr_plural else [],
                    "fuzzy" in e.flags) for e in catalog.po if not e.obsolete)
    data = json.dumps(items, ensure_ascii=False, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


def reviews_path(library: Library, lang: str) -> Path:
    return library.locales / lang / REVIEWS_FILE


def read_reviews(library: Library, lang: str) -> dict:
    path = reviews_path(library, lang)
    if not path.is_file():
        return {}
    rel = library.rel(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise LeafletError(rel, mark.line + 1 if mark else None, "not valid YAML; it is "
                           "written by 'leaflet review', so fix or delete the broken entry")
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        raise LeafletError(rel, None, "cannot be read; it is written by 'leaflet review'")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LeafletError(rel, 1, "must map catalog file names to sign-offs")
    return data


def _signed_off(library: Library, catalog: Catalog, slug: str, edition: str) -> dict | None:
    lang = catalog.path.parent.name
    record = read_reviews(library, lang).get(catalog.path.name)
    if isinstance(record, dict) and record.get("messages") == messages_hash(catalog):
        return record
    return None


REVIEWS_HEADER = """\
# Sign-offs of the translations in this folder, written by 'leaflet review'.
# A sign-off holds while the catalog's messages (msgids, msgstrs, fuzzy marks) hash to
# the value recorded here: any change voids it, and outputs show DRAFT again.
"""


def review(library: Library, slug: str, lang: str, by: str,
           edition: str = "standard") -> tuple[dict, list[Problem]]:
    """Record that ``by`` checked the catalog as it now is; refused while anything would
    fall back to the source or break a protected token.  Returns the record and the
    number warnings the reviewer should have looked at."""
    by = " ".join(str(by).split())
    if not by:
        raise LeafletError("", None, "say who signed the translation off: --by \"name, role\"")
    lang = check_language(lang)
    leaflet = read_source(library, slug, edition)
    path = library.catalog(lang, slug, edition)
    rel = library.rel(path)
    if lang == leaflet.meta.language:
        raise LeafletError(rel, None, f"the leaflet is written in {lang}; only translations "
                           "are signed off")
    if not path.is_file():
        raise LeafletError(rel, None, f"no catalog for '{lang}' to sign off")
    catalog = read_catalog(path, rel)
    result = _check(catalog, leaflet)
    problems = list(result.errors)
    if result.fallback_count:
        problems.append(Problem(rel, None, f"cannot be signed off: {len(result.untranslated)} "
                                f"untranslated, {len(result.fuzzy)} fuzzy and "
                                f"{len(result.missing)} missing messages (see 'leaflet stats'; "
                                f"run 'leaflet update -l {lang} {slug}' first if the source "
                                "changed)"))
    if problems:
        raise LeafletError(problems=problems)
    record = {"by": by, "date": now().strftime("%Y-%m-%dT%H:%M:%SZ"),
              "messages": messages_hash(catalog)}
    reviews = read_reviews(library, lang)
    reviews[path.name] = record
    text = REVIEWS_HEADER + yaml.safe_dump(reviews, allow_unicode=True, sort_keys=True,
                                           default_flow_style=False)
    write_atomic(reviews_path(library, lang), text.encode("utf-8"))
    return record, result.warnings


def is_draft(library: Library, slug: str, lang: str, edition: str = "standard") -> bool:
    """True unless the catalog is signed off as it now is and covers the current source:
    what the DRAFT banner, ``list``, ``stats`` and the index show."""
    path = library.catalog(lang, slug, edition)
    try:
        leaflet = read_source(library, slug, edition)
        if lang == leaflet.meta.language:
            return False
        if not path.is_file():
            return True
        catalog = read_catalog(path, library.rel(path))
        if _check(catalog, leaflet).fallback_count:
            return True
        return _signed_off(library, catalog, slug, edition) is None
    except LeafletError:
        return True


# Coverage ------------------------------------------------------------------------------

def coverage(library: Library, slug: str, lang: str, edition: str = "standard",
             leaflet: Leaflet | None = None) -> Coverage:
    leaflet = leaflet or read_source(library, slug, edition)
    path = library.catalog(lang, slug, edition)
    catalog = read_catalog(path, library.rel(path))
    result = _check(catalog, leaflet)
    record = _signed_off(library, catalog, slug, edition)
    return Coverage(slug=slug, edition=edition, lang=lang, catalog=catalog.rel,
                    translated=len(result.translated), fuzzy=len(result.fuzzy),
                    untranslated=len(result.untranslated) + len(result.missing),
                    obsolete=sum(1 for e in catalog.po if e.obsolete),
                    warnings=len(result.warnings), errors=len(result.errors),
                    draft=bool(result.fallback_count) or record is None,
                    signed_by=str(record.get("by", "")) if record else "")


def stats(library: Library, slugs: list[str] | None = None,
          lang_filter: tuple[str, ...] = ()) -> list[Coverage]:
    """Coverage of every catalog of the leaflets, by leaflet, edition and language."""
    lang_filter = tuple(check_language(lang) for lang in lang_filter)
    rows = []
    for slug in slugs or library.slugs():
        for edition in editions_of(library, slug):
            leaflet = read_source(library, slug, edition)
            for lang in library.catalog_languages(slug, edition):
                if not is_language_folder(lang) or (lang_filter and lang not in lang_filter):
                    continue
                rows.append(coverage(library, slug, lang, edition, leaflet))
    return rows


# The tool's own words ------------------------------------------------------------------

def _candidates(lang: str) -> list[str]:
    """``pt-BR`` then ``pt``: the folders a language's words may come from."""
    base = lang.split("-")[0].split("_")[0]
    return [lang, lang.replace("-", "_")] + ([base] if base != lang else [])


@functools.lru_cache(maxsize=64)
def _words_of(path: Path, mtime_ns: int) -> tuple[tuple[str, str], ...]:
    catalog = read_catalog(path, path.as_posix())
    # a word whose {placeholders} differ from the msgid's would break the writer: English
    return tuple((e.msgid, e.msgstr) for e in catalog.po
                 if not e.obsolete and e.msgstr and "fuzzy" not in e.flags
                 and placeholders(e.msgid) == placeholders(e.msgstr))


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[a-z_]*\}", text))


def _load_words(path: Path, rel: str) -> dict[str, str]:
    try:
        return dict(_words_of(path, path.stat().st_mtime_ns))
    except LeafletError as exc:
        raise LeafletError(rel, exc.line, exc.problems[0].message)


def ui_words(library: Library, lang: str) -> dict[str, str]:
    """The tool's template words in ``lang``: ``formats/locales/<lang>/ui.po``, overridden
    word by word by the library's ``locales/<lang>/ui.po`` (empty: the English words)."""
    words: dict[str, str] = {}
    for folder, library_file in ((TOOL_LOCALES, False), (library.locales, True)):
        for candidate in _candidates(lang):
            path = folder / candidate / f"{UI_DOMAIN}.po"
            if path.is_file():
                rel = library.rel(path) if library_file else f"formats/locales/{candidate}/ui.po"
                words.update(_load_words(path, rel))
                break
    return words


UI_SOURCES = Path(__file__).resolve().parent.parent / "formats"
UI_KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


_FSTRING_CALL_RE = re.compile(r"""(?<![\w.])(?:self\.)?(?:_|N_|gettext)\(\s*(['"])([^'"\\]+)\1\s*\)""")


def _note_braces(entry: polib.POEntry) -> None:
    if re.search(r"\{[a-z_]*\}", entry.msgid) and not entry.comment:
        entry.comment = "Keep the words in {braces} as they are: the tool fills them in."


def ui_template() -> polib.POFile:
    """ui.pot: the words marked in the writers (``_``, ``N_``, ``options.gettext``) and in
    their Jinja2 templates (``{{ _("...") }}``)."""
    from babel.messages.extract import extract_from_file
    from jinja2.ext import babel_extract

    found: dict[str, polib.POEntry] = {}
    files = sorted(p for p in UI_SOURCES.rglob("*.py") if "locales" not in p.parts)
    templates = sorted(p for p in UI_SOURCES.rglob("*")
                       if p.suffix in (".html", ".xhtml", ".xml", ".j2", ".jinja")
                       and "templates" in p.parts)
    jinja_options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                     "lstrip_blocks": "true"}
    for path in [*files, *templates]:
        method = "python" if path.suffix == ".py" else babel_extract
        rel = path.relative_to(UI_SOURCES.parent).as_posix()
        options = {} if method == "python" else jinja_options
        for lineno, message, comments, _context in extract_from_file(
                method, str(path), keywords=UI_KEYWORDS, options=options,
                strip_comment_tags=True):
            msgid = message if isinstance(message, str) else message[0]
            if not msgid or not isinstance(msgid, str):
                continue
            entry = found.get(msgid)
            if entry is None:
                entry = found[msgid] = polib.POEntry(msgid=msgid, msgstr="")
                if isinstance(message, tuple) and len(message) > 1 and message[1]:
                    entry.msgid_plural = message[1]
                    entry.msgstr_plural = {0: "", 1: ""}
            entry.occurrences.append((rel, str(lineno)))
            _note_braces(entry)
        if path.suffix == ".py":
            # babel's extractor does not look inside f-strings (before Python 3.12)
            text = path.read_text(encoding="utf-8")
            for match in _FSTRING_CALL_RE.finditer(text):
                msgid = match.group(2)
                lineno = str(text.count("\n", 0, match.start()) + 1)
                entry = found.setdefault(msgid, polib.POEntry(msgid=msgid, msgstr=""))
                if (rel, lineno) not in entry.occurrences:
                    entry.occurrences.append((rel, lineno))
                    _note_braces(entry)
    po = _new_pofile("The leaflet tool's own words: headings, labels and the DRAFT banner.\n"
                     "Made by 'leaflet extract --ui': do not edit by hand.")
    po.metadata["Project-Id-Version"] = "leaflet ui"
    for msgid in sorted(found, key=lambda m: (found[m].occurrences[0][0],
                                              int(found[m].occurrences[0][1]), m)):
        po.append(found[msgid])
    return po


def extract_ui() -> list[tuple[str, bool, int]]:
    """Write ``formats/locales/ui.pot`` and merge it into each ``<lang>/ui.po`` there."""
    pot = ui_template()
    results = [("formats/locales/ui.pot", _save_if_changed(pot, TOOL_LOCALES / "ui.pot"),
                len(pot))]
    for path in sorted(TOOL_LOCALES.glob(f"*/{UI_DOMAIN}.po")):
        rel = f"formats/locales/{path.parent.name}/ui.po"
        merged = merge(read_catalog(path, rel).po, pot, path.parent.name)
        results.append((rel, _save_if_changed(merged, path), len(merged)))
    return results
