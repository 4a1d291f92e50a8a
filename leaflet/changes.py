"""What changed in a leaflet's text since a version the approval group saw: one HTML page
(``leaflet changes SLUG [--since VERSION|GIT-REF]``) for the group that approves it.

The earlier text is the last approved version's, kept by ``leaflet approve`` in
``approved/<version>.md``, or a version or git revision the reviewer names.  Both texts are
parsed into the model and walked block by block (``_Units``, a ``BlockVisitor``); the
blocks are lined up with difflib, and each changed block's words are compared with difflib
again, shown as Word's "compare documents" shows them: deletions struck through, insertions
underlined, each with a text label.  Every number, dose, time and phone number that changed
is listed before the text (amounts as ``leaflet.i18n.amounts`` finds them, phone numbers
from the model's ``Phone`` nodes), and so is every translation the change leaves with
messages fuzzy, untranslated or missing.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import jinja2

from . import approvals, langs, source
from .errors import LeafletError
from .files import write_atomic
from .i18n.amounts import TIMES, amounts
from .i18n.catalogs import check_catalog, read_catalog
from .i18n.messages import msgids
from .i18n.signoff import history, signed_off
from .library import Library
from .model import (
    Block, BlockVisitor, Callout, Contacts, Email, Emphasis, Figure, Heading, Inline,
    InlineVisitor, Leaflet, LineBreak, Link, List, Paragraph, Phone, Quote, Row, Rule, Strong,
    Table, Text, plain_text, visit_inlines,
)

TEMPLATE = Path(__file__).resolve().parent / "data" / "changes-report.html"
REPORTS = Path("build") / "reports"
# Units whose amounts are doses; times of day, counts ("twice") and other units have
# their own labels.
DOSE_UNITS = frozenset({"mg", "g", "kg", "mcg", "ml", "l", "unit", "tablet", "capsule", "drop",
                        "puff", "sachet", "teaspoon", "percent"})
SIMILAR = 0.5  # how alike two blocks' words must be to show as one block changed
_TOKEN = re.compile(r"(\w+(?:[.,:'’/]\w+)*|[^\w\s])(\s*)")
_CONTEXT_LABELS = {"info": "info box", "warning": "warning box", "urgent": "urgent box"}


# The blocks of a leaflet, as the reviewer sees them ---------------------------------

@dataclass(frozen=True)
class Unit:
    """One block's words: what it is ("paragraph", "list item", "contact"), its text as it
    prints, the line it starts on, and the phone numbers in it, as written."""

    kind: str
    text: str
    line: int
    phones: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.text


class _Phones(InlineVisitor[list]):
    """The phone numbers in some inlines, as written."""

    def all(self, nodes: tuple[Inline, ...]) -> list[str]:
        return [phone for found in visit_inlines(nodes, self) for phone in found]

    def text(self, node: Text) -> list:
        return []

    def strong(self, node: Strong) -> list:
        return self.all(node.children)

    def emphasis(self, node: Emphasis) -> list:
        return self.all(node.children)

    def link(self, node: Link) -> list:
        return self.all(node.children)

    def phone(self, node: Phone) -> list:
        return [node.display]

    def email(self, node: Email) -> list:
        return []

    def line_break(self, node: LineBreak) -> list:
        return []


_PHONES = _Phones()


def _words(nodes: tuple[Inline, ...]) -> str:
    return " ".join(plain_text(nodes).split())


class _Units(BlockVisitor[list]):
    """Each block that holds words as a ``Unit``; ``context`` is what a paragraph sits in
    ("list item", "warning box", "quote")."""

    def blocks(self, blocks: tuple[Block, ...], context: str | None) -> list[Unit]:
        return [unit for block in blocks for unit in self.visit(block, context)]

    def heading(self, node: Heading, context: str | None) -> list:
        kind = "section heading" if node.level == 1 else "subheading"
        return [Unit(kind, _words(node.children), node.line,
                     tuple(_PHONES.all(node.children)))]

    def paragraph(self, node: Paragraph, context: str | None) -> list:
        return [Unit(context or "paragraph", _words(node.children), node.line,
                     tuple(_PHONES.all(node.children)))]

    def list(self, node: List, context: str | None) -> list:
        return [unit for item in node.items for unit in self.blocks(item.blocks, "list item")]

    def figure(self, node: Figure, context: str | None) -> list:
        found = [Unit("picture's description", " ".join(node.alt.split()), node.line)]
        if node.caption.strip():
            found.append(Unit("caption", " ".join(node.caption.split()), node.line))
        return found

    def table(self, node: Table, context: str | None) -> list:
        rows = [node.head, *node.rows] if node.head else list(node.rows)
        return [Unit("table row", " | ".join(_words(c.children) for c in row),
                     row[0].line if row else node.line,
                     tuple(p for c in row for p in _PHONES.all(c.children)))
                for row in rows]

    def callout(self, node: Callout, context: str | None) -> list:
        return self.blocks(node.blocks, _CONTEXT_LABELS.get(node.kind, f"{node.kind} box"))

    def contacts(self, node: Contacts, context: str | None) -> list:
        found = []
        for contact in node.contacts:
            phones = [p.display for p in contact.phones]
            parts = [contact.name, _words(contact.about), *phones, _words(contact.hours),
                     *(e.address for e in contact.emails), contact.web]
            found.append(Unit("contact", "; ".join(p for p in parts if p.strip()),
                              contact.line or node.line,
                              tuple(_PHONES.all(contact.about)) + tuple(phones)
                              + tuple(_PHONES.all(contact.hours))))
        return found

    def quote(self, node: Quote, context: str | None) -> list:
        return self.blocks(node.blocks, "quote")

    def rule(self, node: Rule, context: str | None) -> list:
        return []

    def row(self, node: Row, context: str | None) -> list:
        figure = self.visit(node.figure, None) if node.figure is not None else []
        return figure + self.blocks(node.blocks, "easy read row")


def units(leaflet: Leaflet) -> list[Unit]:
    """The leaflet's words block by block, in reading order, its front matter's first."""
    meta = leaflet.meta
    lines = meta.field_lines
    found = [Unit("title", meta.title, lines.get("title", 1))]
    if meta.subtitle:
        found.append(Unit("subtitle", meta.subtitle, lines.get("subtitle", 1)))
    if meta.requests:
        found.append(Unit("how to ask for other formats", _words(meta.requests),
                          lines.get("requests", 1), tuple(_PHONES.all(meta.requests))))
    return found + _Units().blocks(leaflet.blocks, None)


# Comparing ------------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """A run of a block's words: "same", "deleted" or "inserted"."""

    kind: str
    text: str


@dataclass(frozen=True)
class Fact:
    """A number, dose, time or phone number that changed: ``before`` is empty when it was
    added, ``after`` when it was taken out."""

    kind: str
    before: str
    after: str
    line: int
    block: int  # the number of the block it is in, for the page's links


@dataclass
class Change:
    """One block that changed ("changed"), was added ("inserted") or taken out
    ("deleted"), with its words as pieces."""

    number: int
    state: str
    kind: str
    line: int
    old_line: int
    pieces: list[Piece]
    facts: list[Fact] = field(default_factory=list)


@dataclass(frozen=True)
class Stale:
    """A translation the change leaves behind: its language, its catalog and the changed
    messages it has fuzzy, untranslated or not at all."""

    lang: str
    name: str
    catalog: str
    fuzzy: tuple[str, ...]
    untranslated: tuple[str, ...]
    missing: tuple[str, ...]
    signed_by: str  # whose sign-off the change voided, or ""
    problem: str = ""  # why the catalog cannot be read, when it cannot

    @property
    def count(self) -> int:
        return len(self.fuzzy) + len(self.untranslated) + len(self.missing)


@dataclass
class Changes:
    """Everything the page shows."""

    slug: str
    title: str
    lang: str
    source: str  # the source file, relative to the library
    since: str  # what the text is compared with, in words
    old_version: str
    new_version: str
    changes: list[Change]
    facts: list[Fact]
    stale: list[Stale]
    unchanged: int
    details: list[tuple[str, str, str]]  # front matter fields that changed: name, was, is

    def counted(self, state: str) -> int:
        return sum(change.state == state for change in self.changes)

    def summary(self) -> str:
        parts = [f"{self.counted('changed')} block{'s' * (self.counted('changed') != 1)} "
                 f"changed, {self.counted('inserted')} inserted, {self.counted('deleted')} "
                 "deleted"]
        facts = len(self.facts)
        parts.append(f"{facts} number{'s' * (facts != 1)}, dose{'s' * (facts != 1)} or phone "
                     f"number{'s' * (facts != 1)} changed")
        if self.stale:
            parts.append("stale translations: " + ", ".join(
                f"{s.name} ({s.lang}, {s.count} message{'s' * (s.count != 1)})"
                for s in self.stale))
        else:
            parts.append("no translation made stale")
        return f"changes since {self.since}: " + "; ".join(parts)


def _tokens(text: str, atoms: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The words of a text, each with the space after it; each of ``atoms`` (the phone
    numbers in it) is one word, so that a changed number shows whole."""
    if not atoms:
        return [(m.group(1), m.group(2)) for m in _TOKEN.finditer(text)]
    whole = "|".join(re.escape(a) for a in sorted(set(atoms), key=len, reverse=True))
    pattern = re.compile(rf"({whole}|\w+(?:[.,:'’/]\w+)*|[^\w\s])(\s*)")
    return [(m.group(1), m.group(2)) for m in pattern.finditer(text)]


def word_pieces(old: str, new: str, atoms: tuple[str, ...] = ()) -> list[Piece]:
    """The words of ``new`` with those of ``old`` it lost and gained marked, as Word's
    "compare documents" marks them: a replaced word is its deletion, then its insertion.
    Each of ``atoms`` (phone numbers) counts as one word."""
    before, after = _tokens(old, atoms), _tokens(new, atoms)
    matcher = SequenceMatcher(None, [w for w, _ in before], [w for w, _ in after],
                              autojunk=False)
    pieces: list[Piece] = []

    def add(kind: str, tokens: list[tuple[str, str]]) -> None:
        text = "".join(w + s for w, s in tokens)
        words, space = text.rstrip(), text[len(text.rstrip()):]
        if words:
            pieces.append(Piece(kind, words))
        if space:
            pieces.append(Piece("same", " "))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", after[j1:j2])
            continue
        if i2 > i1:
            add("deleted", before[i1:i2])
        if j2 > j1:
            if pieces and pieces[-1].kind == "same" and pieces[-1].text == " " and i2 > i1:
                pieces.pop()  # the deletion and its insertion sit together, as in Word
            add("inserted", after[j1:j2])
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Piece(piece.kind, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def _similarity(old: Unit, new: Unit) -> float:
    a, b = [w for w, _ in _tokens(old.text)], [w for w, _ in _tokens(new.text)]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def align(old: list[Unit], new: list[Unit]) -> list[tuple[Unit | None, Unit | None]]:
    """The blocks of both texts paired in reading order: (old, new) for a block kept or
    changed, (old, None) for one taken out, (None, new) for one added."""
    pairs: list[tuple[Unit | None, Unit | None]] = []
    matcher = SequenceMatcher(None, [u.key for u in old], [u.key for u in new],
                              autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(old[i1:i2], new[j1:j2], strict=True))
            continue
        at = i1
        for j in range(j1, j2):
            best, score = None, SIMILAR
            for i in range(at, i2):
                alike = _similarity(old[i], new[j])
                if alike > score or (best is None and alike >= score):
                    best, score = i, alike
            if best is None:
                pairs.append((None, new[j]))
                continue
            pairs.extend((old[i], None) for i in range(at, best))
            pairs.append((old[best], new[j]))
            at = best + 1
        pairs.extend((old[i], None) for i in range(at, i2))
    return pairs


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def _amounts(unit: Unit, lang: str) -> list:
    text = unit.text
    for phone in unit.phones:  # a phone number's digits are not amounts
        text = text.replace(phone, " " * len(phone))
    return amounts(text, lang, clock=True)


def _kind(value: str, unit: str) -> str:
    if unit in DOSE_UNITS:
        return "dose"
    if unit == TIMES:
        return "how often"
    if not unit and ":" in value:
        return "time"
    return "amount" if unit else "number"


def _written(text: str) -> str:
    return text.strip().rstrip(".,;:")


def _only(found: list, extra: Counter) -> list:
    """The amounts of ``found`` that ``extra`` counts, first ones first."""
    kept = []
    for amount in found:
        if extra[(amount.value, amount.unit)] > 0:
            extra[(amount.value, amount.unit)] -= 1
            kept.append(amount)
    return kept


def facts(old: Unit | None, new: Unit | None, lang: str, number: int) -> list[Fact]:
    """The numbers, doses, times and phone numbers one block lost and gained, a lost one
    paired with a gained one of the same kind and unit ("500 mg" -> "1 g" stays two: a
    change of unit is shown as such)."""
    line = (new or old).line
    before = _amounts(old, lang) if old else []
    after = _amounts(new, lang) if new else []
    lost = Counter((a.value, a.unit) for a in before) - Counter((a.value, a.unit) for a in after)
    gained = Counter((a.value, a.unit) for a in after) - Counter((a.value, a.unit) for a in before)
    lost_list, gained_list = _only(before, lost), _only(after, gained)
    found: list[Fact] = []
    partners: dict[int, object] = {}
    for same_unit in (True, False):  # "5 mg" -> "10 mg" first, then "500 mg" -> "1 g"
        for index, amount in enumerate(lost_list):
            kind = _kind(amount.value, amount.unit)
            partner = next((g for g in gained_list if index not in partners
                            and _kind(g.value, g.unit) == kind
                            and (g.unit == amount.unit or not same_unit)), None)
            if partner is not None:
                gained_list.remove(partner)
                partners[index] = partner
    for index, amount in enumerate(lost_list):
        partner = partners.get(index)
        found.append(Fact(_kind(amount.value, amount.unit), _written(amount.written),
                          _written(partner.written) if partner else "", line, number))
    found.extend(Fact(_kind(a.value, a.unit), "", _written(a.written), line, number)
                 for a in gained_list)
    old_phones = list(old.phones) if old else []
    new_phones = list(new.phones) if new else []
    lost_phones = [p for p in old_phones if _digits(p) not in map(_digits, new_phones)]
    gained_phones = [p for p in new_phones if _digits(p) not in map(_digits, old_phones)]
    for index in range(max(len(lost_phones), len(gained_phones))):
        found.append(Fact("phone number",
                          lost_phones[index] if index < len(lost_phones) else "",
                          gained_phones[index] if index < len(gained_phones) else "",
                          line, number))
    def place(fact: Fact) -> int:
        if fact.after and new is not None:
            return new.text.find(fact.after)
        return old.text.find(fact.before) if old is not None else 0

    return sorted(found, key=place)


def compare(old: Leaflet, new: Leaflet) -> tuple[list[Change], int]:
    """The blocks that changed, in reading order, and how many did not."""
    lang = new.meta.language
    changes: list[Change] = []
    unchanged = 0
    for before, after in align(units(old), units(new)):
        if before is not None and after is not None and before.key == after.key:
            unchanged += 1
            continue
        number = len(changes) + 1
        if before is None:
            state, pieces = "inserted", [Piece("inserted", after.text)]
        elif after is None:
            state, pieces = "deleted", [Piece("deleted", before.text)]
        else:
            state, pieces = "changed", word_pieces(before.text, after.text,
                                                   before.phones + after.phones)
        shown = after or before
        changes.append(Change(number, state, shown.kind, shown.line,
                              before.line if before else 0, pieces,
                              facts(before, after, lang, number)))
    return changes, unchanged


# The earlier text -------------------------------------------------------------------

def _git(library: Library, *args: str) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", "-C", str(library.root), *args], capture_output=True,
                              timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None


def _in_git(library: Library) -> bool:
    result = _git(library, "rev-parse", "--is-inside-work-tree")
    return result is not None and result.returncode == 0 and result.stdout.strip() == b"true"


def _from_git(library: Library, slug: str, revision: str) -> str:
    rel = library.rel(library.source_file(slug))
    if revision.startswith("-") or not revision.strip():
        raise LeafletError("", None, f"--since: '{revision}' is not a version or a git "
                           "revision")
    known = _git(library, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if known is None or known.returncode != 0:
        raise LeafletError("", None, f"--since: '{revision}' is neither an approved version of "
                           f"{slug} ({_versions(library, slug)}) nor a git revision of the "
                           "library")
    shown = _git(library, "show", f"{revision}:./{rel}")
    if shown is None or shown.returncode != 0:
        raise LeafletError(rel, None, f"git revision '{revision}' has no {rel}")
    try:
        return shown.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise LeafletError(rel, None, f"{rel} at git revision '{revision}' is not UTF-8 "
                           "text") from None


def _versions(library: Library, slug: str) -> str:
    records = approvals.read(library, slug) or []
    names = list(dict.fromkeys(r.version for r in records))
    return "approved versions: " + ", ".join(names) if names else "no version approved yet"


def earlier(library: Library, slug: str, since: str | None) -> tuple[str, str, str]:
    """The text to compare with: (its text, what it is in words, its name in messages)."""
    records = approvals.read(library, slug) or []
    if since is None:
        if records:
            last = records[-1]
            kept = approvals.approved_source(library, slug, last.version)
            if not kept.is_file():
                raise LeafletError(library.rel(kept), None, "the approved text of version "
                                   f"{last.version} is missing: 'leaflet approve' keeps it "
                                   "here; name an earlier version or git revision with "
                                   "--since")
            return (kept.read_text(encoding="utf-8"),
                    f"version {last.version}, approved by {last.by} ({last.role}) on "
                    f"{last.date[:10]}", library.rel(kept))
        if _in_git(library):
            return _from_git(library, slug, "HEAD"), "the last commit (HEAD): no version " \
                "is approved yet", f"{library.rel(library.source_file(slug))} at HEAD"
        raise LeafletError(library.rel(library.source_file(slug)), None, "no version of "
                           f"{slug} is approved yet, so there is nothing to compare with: "
                           f"approve one ('leaflet approve {slug} --by NAME --role ROLE'), "
                           "or name a git revision with --since in a library kept in git")
    kept = approvals.approved_source(library, slug, since)
    if kept.is_file():
        record = next((r for r in reversed(records) if r.version == since), None)
        said = f"version {since}" + (f", approved by {record.by} ({record.role}) on "
                                     f"{record.date[:10]}" if record else "")
        return kept.read_text(encoding="utf-8"), said, library.rel(kept)
    if not _in_git(library):
        raise LeafletError("", None, f"--since: '{since}' is not an approved version of {slug} "
                           f"({_versions(library, slug)}), and the library is not a git "
                           "repository")
    rel = library.rel(library.source_file(slug))
    return _from_git(library, slug, since), f"git revision {since}", f"{rel} at {since}"


# Stale translations ------------------------------------------------------------------

def stale(library: Library, old: Leaflet, new: Leaflet) -> list[Stale]:
    """Each translation with a changed message it has fuzzy, untranslated or missing."""
    before = set(msgids(old))
    changed = [m for m in msgids(new) if m not in before]
    if not changed:
        return []
    found = []
    for lang in library.catalog_languages(new.slug):
        if lang == new.meta.language:
            continue
        try:
            path = library.catalog(lang, new.slug)
            catalog = read_catalog(path, library.rel(path))
        except LeafletError as exc:
            problem = str(exc.problems[0]) if exc.problems else str(exc)
            found.append(Stale(lang, langs.english_name(lang), "", (), (), tuple(changed), "",
                               problem))
            continue
        result = check_catalog(catalog, new, protected=False)
        fuzzy = {m for m, _ in result.fuzzy}
        untranslated = {m for m, _ in result.untranslated}
        missing = set(result.missing)
        records = history(library, catalog)
        voided = bool(records) and signed_off(library, catalog, new) is None
        item = Stale(lang, langs.english_name(lang), library.rel(path),
                     tuple(m for m in changed if m in fuzzy),
                     tuple(m for m in changed if m in untranslated),
                     tuple(m for m in changed if m in missing),
                     str(records[-1].get("reviewer") or records[-1].get("by") or "")
                     if voided else "")
        if item.count:
            found.append(item)
    return found


# The report --------------------------------------------------------------------------

def changes(library: Library, slug: str, since: str | None = None) -> Changes:
    """What changed in the leaflet's text since ``since`` (an approved version or a git
    revision; by default the last approved version)."""
    new = source.parse_file(library.source_file(slug), library.root)
    text, said, name = earlier(library, slug, since)
    try:
        old = source.parse_text(text, name, library.folder(slug), slug)
    except LeafletError as exc:
        raise LeafletError(name, None, f"the earlier text ({said}) cannot be read: "
                           f"{exc.problems[0] if exc.problems else exc}") from None
    found, unchanged = compare(old, new)
    details = [(label, str(getattr(old.meta, name_)), str(getattr(new.meta, name_)))
               for name_, label in (("version", "Version"), ("code", "Code"),
                                    ("published", "Published"), ("review", "Review date"),
                                    ("organisation", "Organisation"),
                                    ("language", "Language"))
               if getattr(old.meta, name_) != getattr(new.meta, name_)]
    return Changes(slug, new.meta.title, new.meta.language,
                   library.rel(library.source_file(slug)), said, old.meta.version,
                   new.meta.version, found, [f for c in found for f in c.facts],
                   stale(library, old, new), unchanged, details)


def render(report: Changes) -> str:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                                     keep_trailing_newline=True)
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(r=report)


def write(library: Library, slug: str, since: str | None = None,
          target: Path | None = None) -> tuple[Changes, Path]:
    """Compare, and write the page (by default ``build/reports/SLUG.changes.html``)."""
    report = changes(library, slug, since)
    target = target or library.root / REPORTS / f"{slug}.changes.html"
    write_atomic(target, render(report).encode("utf-8"))
    return report, target
