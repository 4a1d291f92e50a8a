"""Catalog files: PO and POT files read (every mistake at its line), written only when
their messages change, and checked message by message against the current source.

Catalogs are read with polib, which keeps a catalog's own header fields and comments as
the translator's tool left them, and written as GNU gettext writes them (``pofile``).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .. import characters, langs
from ..errors import LeafletError, Problem
from ..files import now, write_atomic
from ..model import Leaflet
from . import tokens
from .pofile import write_po
from .messages import msgids

MAX_CATALOG_BYTES = 5_000_000
# A translation rarely runs past three times its source; beyond this, one entry would
# cost every writer minutes (braille and speech work letter by letter) for no leaflet.
MAX_MSGSTR_CHARS = 20_000
MSGSTR_TIMES_MSGID = 4
DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


@dataclass
class Catalog:
    """A PO file as read: polib's entries plus the file's lines, for messages that
    point at a msgstr."""

    path: Path
    rel: str
    po: polib.POFile
    lines: list[str]

    @functools.cached_property
    def entries(self) -> dict[tuple[str, str], polib.POEntry]:
        """The current entries by (msgctxt, msgid), "" standing for no msgctxt."""
        return {(e.msgctxt or "", e.msgid): e for e in self.po if not e.obsolete}

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
        raise LeafletError(rel, None, "catalog not found") from None
    except OSError as exc:
        raise LeafletError(rel, None, f"cannot be read ({exc.strerror})") from exc
    if len(data) > MAX_CATALOG_BYTES:
        raise LeafletError(rel, None, f"the catalog is {len(data) // 1_000_000} MB; a leaflet's "
                           f"catalog must be under {MAX_CATALOG_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LeafletError(rel, line, "the catalog is not UTF-8 text; save it as UTF-8") from exc
    if "\0" in text:
        raise LeafletError(rel, None, "this is not a PO file (it contains binary data)")
    _check_strings(text, rel)
    _check_controls(text, rel)
    try:
        # polib takes a string that is not a file name as the catalog's text
        po = polib.pofile(text if text.strip() else 'msgid ""\nmsgstr ""\n', wrapwidth=78)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise LeafletError(rel, int(match.group(1)) if match else None,
                           "this is not a valid PO file (a quote or a msgid/msgstr line is "
                           "missing or out of place)") from exc
    catalog = Catalog(path, rel, po, text.split("\n"))
    for entry in po:
        for value in (entry.msgid, entry.msgstr, *entry.msgstr_plural.values()):
            control = VALUE_CONTROL_RE.search(value)
            if control:  # written as an escape (\b, \f, \v, \r) in the file
                raise LeafletError(rel, catalog.msgstr_line(entry),
                                   _control_problem(control.group()))
            # and, however they are written (typed, or a reference such as &#x202E;),
            # the characters that would print reordered or garbled
            char = characters.hidden(characters.decode_references(value))
            if char is not None:
                raise LeafletError(rel, catalog.msgstr_line(entry), _hidden_problem(char))
        _check_size(catalog, entry)
    return catalog


def _check_size(catalog: Catalog, entry: polib.POEntry) -> None:
    limit = max(MAX_MSGSTR_CHARS, MSGSTR_TIMES_MSGID * len(entry.msgid))
    longest = max((len(v) for v in (entry.msgstr, *entry.msgstr_plural.values())), default=0)
    if longest > limit:
        raise LeafletError(catalog.rel, catalog.msgstr_line(entry),
                           f"this translation is {longest:,} characters long; a translation "
                           f"can be at most {limit:,} characters (or {MSGSTR_TIMES_MSGID} "
                           "times its msgid); shorten it")


# Unicode's control characters (category Cc) but tab, line feed and, in a file's lines
# (CRLF), carriage return; a catalog's decoded text may hold a tab or a line feed only
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
VALUE_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _control_problem(char: str) -> str:
    return (f"the catalog has a control character (U+{ord(char):04X}) in its text, which "
            "is not a letter and can garble or break the leaflet; delete it")


def _hidden_problem(char: str) -> str:
    if unicodedata.category(char) != "Cf":
        return _control_problem(char)
    name = unicodedata.name(char, "CONTROL").title()
    return (f"the translation has a hidden U+{ord(char):04X} {name} character, which can "
            "show a number or address reversed; delete it (the leaflet keeps numbers and "
            "addresses left-to-right itself; a reference such as &#x202E; is the character)")


def _check_controls(text: str, rel: str) -> None:
    """C0 and C1 control characters (BEL, ESC...) have no place in a leaflet's words."""
    match = CONTROL_RE.search(text)
    if match:
        number = text.count("\n", 0, match.start()) + 1
        raise LeafletError(rel, number, _control_problem(match.group()))


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


_DATE_LINE_RE = re.compile(r'^"(?:POT-Creation|PO-Revision)-Date: [^"]*"$', re.MULTILINE)


def save_if_changed(po: polib.POFile, path: Path, revised: bool = False) -> bool:
    """Write a catalog unless only its dates would change; True when written.  With
    ``revised`` (a translation, not a template), ``PO-Revision-Date`` becomes now when
    the catalog is written."""
    text = write_po(po)
    try:
        old = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        old = None
    if old is not None and _DATE_LINE_RE.sub("", old) == _DATE_LINE_RE.sub("", text):
        return False
    if revised:
        po.metadata["PO-Revision-Date"] = creation_date()
        text = write_po(po)
    write_atomic(path, text.encode("utf-8"))
    return True


def creation_date() -> str:
    """The time a catalog is made, as gettext writes it."""
    return now().strftime("%Y-%m-%d %H:%M+0000")


def new_pofile(header: str) -> polib.POFile:
    """An empty catalog with the header fields gettext's tools expect."""
    po = polib.POFile(wrapwidth=78)
    po.header = header
    po.metadata = {
        "Project-Id-Version": "",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": creation_date(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


# Where babel's formula differs from the one GNU gettext's documentation gives, gettext's
# wins: translators' tools compare the header with it.
GETTEXT_PLURAL_FORMS = {
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
          ": n%100>=11 ? 4 : 5;",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 "
          ": 2);",
}


def plural_forms(lang: str) -> str:
    """The Plural-Forms header of a language: gettext's standard formula where it has
    one of its own, else babel's."""
    if lang.split("-")[0] in GETTEXT_PLURAL_FORMS:
        return GETTEXT_PLURAL_FORMS[lang.split("-")[0]]
    return babel_plural_forms(lang)


def babel_plural_forms(lang: str) -> str:
    """The Plural-Forms header babel's tables give a language."""
    from babel import UnknownLocaleError
    from babel.messages.plurals import get_plural
    try:
        return get_plural(lang.replace("-", "_")).plural_forms
    except (UnknownLocaleError, ValueError, KeyError, TypeError, LookupError):
        return DEFAULT_PLURAL_FORMS


# Checking a catalog against the source ----------------------------------------------

def text_hash(text: str) -> str:
    """The hash a reviewer's record keeps of a text, so the record never copies it."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def message_hash(entry: polib.POEntry) -> str:
    """The hash of what identifies a message: its msgid, and its msgctxt if it has one
    (joined as gettext joins them, with U+0004)."""
    key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
    return text_hash(key)


@dataclass(frozen=True)
class Acceptance:
    """A finding the reviewer accepted, for one message and one msgstr: a changed msgstr
    or a changed value is another finding."""

    msgid: str  # message_hash of the entry
    msgstr: str  # text_hash of the msgstr
    rule: str  # "amount" or "order"
    values: tuple[str, ...]


@dataclass(frozen=True)
class Acceptable:
    """An error the reviewer may accept: where it is, what accepting it records, and
    what it says."""

    line: int
    acceptance: Acceptance
    message: str


@dataclass
class CatalogCheck:
    """The outcome of checking a catalog against the current source, message by message."""

    # each message by its (msgctxt, msgid), as ``messages.msgids`` gives them
    translated: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    fuzzy: list[tuple[tuple[str, str], int | None]] = field(default_factory=list)
    untranslated: list[tuple[tuple[str, str], int | None]] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    acceptable: list[Acceptable] = field(default_factory=list)  # errors a reviewer may accept
    accepted: list[Acceptable] = field(default_factory=list)  # accepted, so warnings

    @property
    def fallback_count(self) -> int:
        return len(self.fuzzy) + len(self.untranslated) + len(self.missing)


def check_catalog(catalog: Catalog, leaflet: Leaflet, protected: bool = True,
                  accepted: Collection[Acceptance] = ()) -> CatalogCheck:
    """Each of the leaflet's messages looked up in the catalog: translated, fuzzy,
    untranslated or missing, and (unless ``protected`` is False, for a count that only
    needs how much is translated) every broken protected token.  A finding the reviewer
    has ``accepted`` (their records in reviews.yaml) is a warning; a translator's
    ``#, leaflet-accept`` flag accepts nothing."""
    region = leaflet.meta.region
    source_name = f"the {langs.english_name(leaflet.meta.language)}"
    result = CatalogCheck()
    seen: set[tuple[str, str]] = set()
    lang = catalog.path.parent.name
    for entry in catalog.po:
        if entry.obsolete:
            continue
        key = (entry.msgctxt or "", entry.msgid)
        if key in seen:
            where = f" (context \"{short(entry.msgctxt, 30)}\")" if entry.msgctxt else ""
            result.errors.append(Problem(catalog.rel, catalog.msgstr_line(entry),
                                         f"\"{short(entry.msgid)}\"{where} is in the catalog "
                                         "twice; keep one translation"))
        seen.add(key)
    keys = msgids(leaflet)
    wanted, words = set(keys), {msgid for _context, msgid in keys}
    for key, entry in catalog.entries.items():
        if key not in wanted and key[1] in words and entry.msgstr.strip():
            given = f"the context \"{short(key[0], 30)}\"" if key[0] else "no context"
            result.warnings.append(Problem(
                catalog.rel, catalog.msgstr_line(entry),
                f"\"{short(key[1])}\" has {given} here, which the source does not give it, so "
                "this translation is not used; run 'leaflet update' (contexts are set in the "
                "source, as {context=\"...\"})", warning=True))
    for key in keys:
        msgid = key[1]
        entry = catalog.entries.get(key)
        if entry is None:
            result.missing.append(key)
            continue
        line = catalog.msgstr_line(entry)
        if not entry.msgstr.strip():
            result.untranslated.append((key, line))
        elif "fuzzy" in entry.flags:
            result.fuzzy.append((key, line))
        else:
            result.translated[key] = (entry.msgstr, line)
            if not protected:
                continue
            for finding in tokens.compare(msgid, entry.msgstr, region, source_name,
                                          leaflet.meta.language, lang):
                if finding.acceptable and not finding.warning:
                    _acceptable(catalog, entry, line, finding, accepted, result)
                    continue
                target = result.warnings if finding.warning else result.errors
                target.append(Problem(catalog.rel, line, finding.message, finding.warning))
            if not re.search(r"<[A-Za-z/!]", msgid) and re.search(r"<[A-Za-z/!]", entry.msgstr):
                result.errors.append(Problem(catalog.rel, line, "HTML is not allowed in a "
                                             "translation; write it in Markdown"))
    return result


def _acceptable(catalog: Catalog, entry: polib.POEntry, line: int, finding: tokens.Finding,
                accepted: Collection[Acceptance], result: CatalogCheck) -> None:
    """An error a reviewer may accept: a warning if they have, for this msgstr and these
    values; else an error, which says so when the translator asked for acceptance."""
    acceptance = Acceptance(message_hash(entry), text_hash(entry.msgstr), finding.rule,
                            tuple(finding.values))
    item = Acceptable(line, acceptance, finding.message)
    if acceptance in accepted:
        result.accepted.append(item)
        result.warnings.append(Problem(catalog.rel, line,
                                       f"accepted by the reviewer: {finding.message}", True))
        return
    result.acceptable.append(item)
    message = finding.message
    if tokens.ACCEPT_FLAG in entry.flags:
        message += (f"; the catalog's '#, {tokens.ACCEPT_FLAG}' flag asks the reviewer to "
                    "accept it, which only the reviewer can do")
    result.errors.append(Problem(catalog.rel, line, message))


def short(text: str, width: int = 60) -> str:
    """A message as quoted in a problem: cut when long."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
