"""The review page: one self-contained HTML file for the checker of a translation (``leaflet
review -l LANG LEAFLET --page``), who is a qualified interpreter, not a programmer.

Message by message, in reading order: the source, the translation and, where one is
supplied, a back-translation, side by side, each in its own language and direction; the
numbers, doses, phone numbers and addresses in each marked in place and named in words;
every finding of the checks a build makes shown at its message, with what the reviewer
has accepted; and at the end the command that signs the translation off.

A back-translation is a PO file, ``locales/<lang>/<slug>[.easy-read].back.po`` unless
``--back FILE`` names another: each entry's msgstr is the translation put back into the
source language.  Its entries are matched to the leaflet's messages by their msgctxt and
msgid (a copy of the catalog, as ``leaflet export-translations --format po`` writes it,
filled in by the back-translator), or else by the translation itself as msgid (for a
back-translator given only the translation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import polib

from .. import langs
from ..errors import LeafletError
from ..files import write_atomic
from ..library import Library, read_leaflet
from . import tokens
from .amounts import amounts
from .catalogs import check_catalog, read_catalog
from .messages import Unit, walk
from .signoff import acceptances, history, messages_hash, signed_off

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "review-page.html"
BACK_SUFFIX = ".back.po"
REVIEW_FOLDER = "reviews"  # under the library's build/ folder

KINDS = {
    "title": "Title", "subtitle": "Subtitle", "owner": "Leaflet owner", "requests": "Other languages and formats",
    "section heading": "Section heading", "subheading": "Subheading",
    "paragraph": "Paragraph", "list item": "List item", "table heading": "Table heading",
    "table cell": "Table cell", "info box": "Information box", "warning box": "Warning box",
    "urgent box": "Urgent box", "contact name": "Contact's name",
    "contact about": "What a contact helps with", "contact hours": "When a contact answers",
    "alt text": "Picture description", "caption": "Picture caption",
    "easy read row": "Easy read sentence", "quote": "Quotation",
}
MARK_NAMES = {
    "phone number": "phone number", "emergency number": "emergency number",
    "e-mail address": "e-mail address", "web address": "web address",
    "amount": "dose or amount", "number": "number",
}
# kept left to right inside right-to-left text, as the writers keep them
LEFT_TO_RIGHT = ("phone number", "emergency number", "e-mail address", "web address")


@dataclass
class Mark:
    """A run of a text: plain, or a marked number or address and what it is."""

    text: str
    kind: str = ""


@dataclass
class Finding:
    label: str  # what it means for the reviewer, said in words
    message: str
    line: int | None = None


@dataclass
class Row:
    """One message of the leaflet, as the page shows it."""

    number: int
    kind: str
    context: str
    source_lines: list[int]
    catalog_line: int | None
    state: str  # "translated", "fuzzy", "untranslated", "missing"
    source: list[Mark]
    translation: list[Mark]
    back: list[Mark] | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def marked(self) -> list[tuple[str, str, str]]:
        """What is marked, in words: (column, kind, as written)."""
        out = []
        for column, marks in (("source", self.source), ("translation", self.translation)):
            out.extend((column, MARK_NAMES.get(m.kind, m.kind), m.text) for m in marks
                       if m.kind)
        return out


def back_path(library: Library, lang: str, slug: str, edition: str = "standard") -> Path:
    """Where a back-translation is looked for unless ``--back`` names a file."""
    suffix = ".easy-read" if edition == "easy-read" else ""
    return library.locales / lang / f"{slug}{suffix}{BACK_SUFFIX}"


def page_path(library: Library, lang: str, slug: str, edition: str = "standard") -> Path:
    """``build/reviews/<slug>[.easy-read].<lang>.review.html``."""
    suffix = ".easy-read" if edition == "easy-read" else ""
    return library.root / "build" / REVIEW_FOLDER / f"{slug}{suffix}.{lang}.review.html"


def marks(text: str, region: str, lang: str, source: str | None = None) -> list[Mark]:
    """The text cut into runs, with its phone numbers, e-mail and web addresses (as the
    checks find them) and its numbers and amounts marked."""
    spans: list[tuple[int, int, str]] = [(t.start, t.end, t.kind)
                                        for t in tokens.tokens(text, region, source)]
    taken = [False] * len(text)
    for start, end, _kind in spans:
        taken[start:end] = [True] * (end - start)
    for amount in amounts(text, lang):
        start, end = amount.start, amount.start + len(amount.written)
        if any(taken[start:end]):
            continue
        taken[start:end] = [True] * (end - start)
        spans.append((start, end, "amount" if amount.unit else "number"))
    out: list[Mark] = []
    at = 0
    for start, end, kind in sorted(spans):
        if start > at:
            out.append(Mark(text[at:start]))
        out.append(Mark(text[start:end], kind))
        at = end
    if at < len(text):
        out.append(Mark(text[at:]))
    return out


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _back_entries(path: Path, rel: str) -> tuple[dict, dict, str]:
    """A back-translation's msgstrs by (msgctxt, msgid) and by msgid alone, and its
    language (its Language header, else empty)."""
    catalog = read_catalog(path, rel)
    by_key, by_text = {}, {}
    for entry in catalog.po:
        if entry.obsolete or not entry.msgstr.strip():
            continue
        by_key[_key(entry)] = entry.msgstr
        by_text.setdefault(entry.msgid, entry.msgstr)
    return by_key, by_text, catalog.po.metadata.get("Language", "")


def rows_and_general(library: Library, slug: str, lang: str, edition: str = "standard",
                     back: Path | None = None) -> dict:
    """Everything the page shows, as values for its template."""
    lang = langs.check(lang)
    leaflet = read_leaflet(library, slug, edition)
    meta = leaflet.meta
    path = library.catalog(lang, slug, edition)
    rel = library.rel(path)
    if lang == meta.language:
        raise LeafletError(rel, None, f"the leaflet is written in {lang}; only translations "
                           "are reviewed")
    if not path.is_file():
        raise LeafletError(rel, None, f"no catalog for '{lang}' to review: start one with "
                           f"'leaflet update -l {lang} {slug}'")
    catalog = read_catalog(path, rel)
    accepted = acceptances(library, catalog)
    result = check_catalog(catalog, leaflet, accepted=accepted)
    entries = {_key(e): e for e in catalog.po if not e.obsolete}

    back_file = back if back is not None else back_path(library, lang, slug, edition)
    back_rel = str(back) if back is not None else library.rel(back_file)
    back_key: dict = {}
    back_text: dict = {}
    back_lang = meta.language
    if back is not None and not back.is_file():
        raise LeafletError(back_rel, None, "no back-translation file here")
    if back_file.is_file():
        back_key, back_text, found_lang = _back_entries(back_file, back_rel)
        back_lang = langs.check(found_lang) if found_lang and langs.is_tag(found_lang) \
            else meta.language
    has_back = bool(back_key or back_text)

    units: dict[tuple[str, str], list[Unit]] = {}

    def collect(unit: Unit) -> None:
        units.setdefault((getattr(unit, "context", "") or "", unit.text), []).append(unit)

    walk(leaflet, collect)

    by_line: dict[int, list[Finding]] = {}
    acceptable_lines = {item.line for item in result.acceptable}
    accepted_messages = {(item.line, item.message) for item in result.accepted}
    for problem in result.errors:
        label = ("Error: the reviewer may accept it" if problem.line in acceptable_lines
                 and any(a.line == problem.line and a.message == problem.message
                         for a in result.acceptable) else "Error: must be corrected")
        by_line.setdefault(problem.line or 0, []).append(Finding(label, problem.message,
                                                                 problem.line))
    for problem in result.warnings:
        message = problem.message
        if message.startswith("accepted by the reviewer: ") and (
                problem.line, message.removeprefix("accepted by the reviewer: ")) \
                in accepted_messages:
            by_line.setdefault(problem.line or 0, []).append(Finding(
                "Accepted by the reviewer", message.removeprefix("accepted by the reviewer: "),
                problem.line))
            continue
        by_line.setdefault(problem.line or 0, []).append(Finding("Warning: check it", message,
                                                                 problem.line))

    region, source_lang = meta.region, meta.language
    rows = []
    shown_lines: set[int] = set()
    for number, (key, found) in enumerate(units.items(), start=1):
        context, msgid = key
        entry = entries.get(key)
        line = catalog.msgstr_line(entry) if entry is not None else None
        if entry is None:
            state, msgstr = "missing", ""
        elif not entry.msgstr.strip():
            state, msgstr = "untranslated", ""
        elif "fuzzy" in entry.flags:
            state, msgstr = "fuzzy", entry.msgstr
        else:
            state, msgstr = "translated", entry.msgstr
        back_msgstr = back_key.get(key) or (back_text.get(msgstr) if msgstr else None)
        row = Row(number=number, kind=KINDS.get(found[0].kind, found[0].kind.capitalize()),
                  context=context, source_lines=sorted({u.line for u in found}),
                  catalog_line=line, state=state,
                  source=marks(msgid, region, source_lang),
                  translation=marks(msgstr, region, lang, source=msgid) if msgstr else [],
                  back=marks(back_msgstr, region, back_lang) if back_msgstr else None)
        if line is not None and line in by_line:
            row.findings = by_line[line]
            shown_lines.add(line)
        rows.append(row)
    general = [f for line, found in sorted(by_line.items()) if line not in shown_lines
               for f in found]
    records = history(library, catalog)
    record = signed_off(library, catalog, leaflet)
    edition_option = " -e easy-read" if edition == "easy-read" else ""
    command = (f"leaflet review -l {lang} {slug}{edition_option} "
               f"--by \"YOUR NAME\" --role \"YOUR ROLE\"")
    return dict(
        title=meta.title, slug=slug, edition=edition, lang=lang,
        lang_name=langs.english_name(lang), direction=langs.direction(lang),
        source_lang=source_lang, source_name=langs.english_name(source_lang),
        source_direction=langs.direction(source_lang),
        back_lang=back_lang, back_name=langs.english_name(back_lang),
        back_direction=langs.direction(back_lang), has_back=has_back,
        back_rel=back_rel if has_back else "", catalog=rel, rows=rows, general=general,
        source_file=leaflet.path or "", messages_hash=messages_hash(catalog),
        errors=len(result.errors), warnings=len(result.warnings) - len(result.accepted),
        accepted=len(result.accepted), acceptable=sorted(acceptable_lines),
        fallbacks=result.fallback_count, records=records, record=record,
        command=command, edition_option=edition_option,
        blocking=[f for f in result.errors if f.line not in acceptable_lines],
    )


def render(values: dict) -> str:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                                     keep_trailing_newline=True, trim_blocks=True,
                                     lstrip_blocks=True)
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(**values, mark_names=MARK_NAMES, ltr_kinds=LEFT_TO_RIGHT)


def write_page(library: Library, slug: str, lang: str, edition: str = "standard",
               back: Path | None = None, target: Path | None = None) -> tuple[Path, dict]:
    """Write the review page; returns where, and what it counted (errors, warnings,
    messages, whether a back-translation was shown)."""
    values = rows_and_general(library, slug, lang, edition, back)
    target = target or page_path(library, values["lang"], slug, edition)
    write_atomic(target, render(values).encode("utf-8"))
    return target, {"messages": len(values["rows"]), "errors": values["errors"],
                    "warnings": values["warnings"], "back": values["has_back"]}

