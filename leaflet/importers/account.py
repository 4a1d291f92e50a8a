"""An account of every word of an imported file: counted in the original, then found in
the leaflet, its front matter, or the list of what was left out and why.

Words are counted the same way on both sides: a word is a run of characters between
spaces holding a letter or digit; a phone number, however its digits are grouped, is
one word (the importer regroups them); a typed list number ("1.", "2)") is not a word
(it becomes the list's numbering), nor is a note's number standing alone ("[1]": Word
draws it, and the reader writes it out).  Each paragraph, cell or line is counted on its own,
so that digits at the end of one are never read with the start of the next.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from leaflet.model import (
    BlockVisitor, Callout, Contacts, Figure, Heading, List, Paragraph, Quote, Row, Rule,
    Table, plain_text,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_MARKER = re.compile(r"^\(?\d{1,2}[.)]$|^\[\d{1,3}\]$")
# Digit groups parted by spaces or one hyphen are one word: the importer regroups phone
# numbers ("0191 4452000" is printed "0191 445 2000"), drops the "(0)" of "+44 (0)191"
# and the brackets of "(0191) 445 2000".
_DIGIT_GAP = re.compile(r"(?<=\d)(?:\s+|\s*[-\u2011]\s*)(?=\d)")
_TRUNK_ZERO = re.compile(r"(?<=\d)\s*\(0\)\s*(?=\d)")
_AREA_CODE = re.compile(r"\((0\d{2,5})\)")
# Parts of a Word package whose text is the document's: the body, headers, footers,
# footnotes and endnotes (comments are reviewers' notes, not the leaflet's).  They are
# found through the package's relationships, as readers find them; these names are for
# a package without them.
WORD_PARTS = re.compile(r"^word/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                   "officeDocument")
TEXT_PARTS = re.compile(r"/relationships/(?:header|footer|footnotes|endnotes)$")
# Elements of a web page whose contents are not text a reader sees.
NOT_TEXT = {"script", "style", "template", "iframe", "noscript", "head", "title"}
HTML_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "div",
               "section", "article", "main", "header", "footer", "aside", "figure",
               "blockquote", "pre", "hr", "dl", "dt", "dd", "address", "details", "summary",
               "center", "body", "tr", "td", "th", "caption", "figcaption", "fieldset", "nav",
               "form", "button", "select", "option", "label", "legend", "thead", "tbody",
               "tfoot", "img", "br"}
DELETED = {"s", "strike", "del"}


def count(text: str) -> int:
    """The words in one paragraph, cell or line."""
    text = _AREA_CODE.sub(r"\1", _TRUNK_ZERO.sub(" ", text))
    text = _DIGIT_GAP.sub("", text)
    return sum(1 for token in text.split()
               if any(c.isalnum() for c in token) and not _MARKER.match(token))


def count_all(texts) -> int:
    return sum(count(text) for text in texts)


# The original ----------------------------------------------------------------------------

def _xml(package: zipfile.ZipFile, name: str):
    """A part of a package as XML; None when it is missing or damaged (the reader, which
    reads the same parts, says so)."""
    try:
        return etree.fromstring(package.read(name), etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=False))
    except (KeyError, EOFError, zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError):
        return None


def _targets(package: zipfile.ZipFile, part: str, kinds) -> list[str]:
    """The parts that ``part`` (a name in the zip, "" for the package) names in its
    relationships, of the kinds ``kinds(type)`` accepts, as names in the zip."""
    folder, _, base = part.rpartition("/")
    rels = _xml(package, f"{folder}/_rels/{base}.rels" if part else "_rels/.rels")
    found = []
    for rel in [] if rels is None else rels.iter(f"{{{RELATIONSHIPS}}}Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not kinds(rel.get("Type") or ""):
            continue
        path = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(folder, target))
        found.append(path)
    return found


def word_parts(package: zipfile.ZipFile) -> list[str]:
    """The parts of a Word package holding the document's text: its main part first,
    then the headers, footers and notes it names."""
    names = set(package.namelist())
    main = [n for n in _targets(package, "", lambda t: t == OFFICE_DOCUMENT) if n in names]
    if not main:
        return sorted(n for n in names if WORD_PARTS.match(n))
    parts = [main[0]]
    for name in _targets(package, main[0], TEXT_PARTS.search):
        if name in names and name not in parts:
            parts.append(name)
    return parts


def word_texts(path) -> list[str]:
    """The texts of a Word file, one per paragraph and part of a paragraph: live text,
    struck-through text and tracked deletions apart, so that where one stops and the
    next starts is a word's edge on both sides of the account.  A paragraph whose mark
    is a tracked deletion runs on into the next, as it reads once the change is made."""
    texts: list[str] = []
    with zipfile.ZipFile(path) as package:
        for name in word_parts(package):
            root = _xml(package, name)
            if root is None:
                continue
            carried: tuple[str, str] | None = None
            for par in root.iter(f"{{{W}}}p"):
                pieces = paragraph_pieces(par)
                if carried is not None:
                    if pieces and pieces[0][0] == carried[0]:
                        pieces[0] = (carried[0], carried[1] + pieces[0][1])
                    else:
                        pieces.insert(0, carried)
                    carried = None
                if pieces and par.find(f"{{{W}}}pPr/{{{W}}}rPr/{{{W}}}del") is not None:
                    carried = pieces.pop()
                texts.extend(text for _, text in pieces)
            if carried is not None:
                texts.append(carried[1])
    return [t for t in texts if t.strip()]


def paragraph_pieces(par) -> list[tuple[str, str]]:
    """(kind, text) of a Word paragraph's own text, one piece per run of one kind:
    "live", "struck" (struck through) or "deleted" (a tracked deletion or move).
    Nothing, for a paragraph in the part of a drawing that readers replace with its
    fallback (Word writes a text box twice)."""
    if in_replaced_choice(par):
        return []
    pieces: list[tuple[str, list[str]]] = []
    for node in par.iter(f"{{{W}}}t", f"{{{W}}}delText", f"{{{W}}}tab", f"{{{W}}}br",
                         f"{{{W}}}cr", f"{{{W}}}noBreakHyphen"):
        if next(node.iterancestors(f"{{{W}}}p"), None) is not par:
            continue
        kind = "live"
        if node.tag == f"{{{W}}}delText" or any(
                True for _ in node.iterancestors(f"{{{W}}}del", f"{{{W}}}moveFrom")):
            kind = "deleted"
        else:
            run = node.getparent()
            strike = None
            if run is not None:
                strike = run.find(f"{{{W}}}rPr/{{{W}}}strike")
                if strike is None:
                    strike = run.find(f"{{{W}}}rPr/{{{W}}}dstrike")
            if strike is not None and strike.get(f"{{{W}}}val") not in ("0", "false", "off"):
                kind = "struck"
        if node.tag in (f"{{{W}}}t", f"{{{W}}}delText"):
            text = node.text or ""
        elif node.tag == f"{{{W}}}noBreakHyphen":
            text = "\u2011"
        else:
            text = " "
        if not pieces or pieces[-1][0] != kind:
            pieces.append((kind, []))
        pieces[-1][1].append(text)
    return [(kind, "".join(parts)) for kind, parts in pieces]


def in_replaced_choice(element) -> bool:
    """Inside an mc:Choice that has an mc:Fallback beside it (the fallback is read)."""
    for choice in element.iterancestors(f"{{{MC}}}Choice"):
        parent = choice.getparent()
        if parent is not None and parent.find(f"{{{MC}}}Fallback") is not None:
            return True
    return False


def page_texts(element) -> list[str]:
    """The texts of a web page's element (hidden content too), one per block,
    struck-through and deleted text apart."""
    texts: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if "".join(current).strip():
            texts.append("".join(current))
        current.clear()

    def walk(node, tail: bool = True) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if isinstance(node.tag, str) and tag not in NOT_TEXT:
            block = tag in HTML_BLOCKS or tag in DELETED
            if block:
                flush()
            if node.text:
                current.append(node.text)
            for child in node:
                walk(child)
            if block:
                flush()
        if tail and node.tail:
            current.append(node.tail)

    walk(element, tail=False)
    flush()
    return texts


# The leaflet -----------------------------------------------------------------------------

class _Texts(BlockVisitor[list]):
    """The texts of a block, one per paragraph, heading, cell, caption and contact field."""

    def heading(self, node: Heading) -> list:
        return [plain_text(node.children, line_break=" ")]

    def paragraph(self, node: Paragraph) -> list:
        return [plain_text(node.children, line_break=" ")]

    def list(self, node: List) -> list:
        return [t for item in node.items for b in item.blocks for t in self.visit(b)]

    def figure(self, node: Figure) -> list:
        return [node.caption] if node.caption else []

    def table(self, node: Table) -> list:
        return [plain_text(c.children, line_break=" ") for row in (node.head, *node.rows)
                for c in row]

    def callout(self, node: Callout) -> list:
        return [t for b in node.blocks for t in self.visit(b)]

    def contacts(self, node: Contacts) -> list:
        out = []
        for contact in node.contacts:
            out += [contact.name, plain_text(contact.about, line_break=" "),
                    plain_text(contact.hours, line_break=" "), contact.web]
            out += [p.display for p in contact.phones] + [e.address for e in contact.emails]
        return [t for t in out if t]

    def row(self, node: Row) -> list:
        return [t for b in node.blocks for t in self.visit(b)]

    def quote(self, node: Quote) -> list:
        return [t for b in node.blocks for t in self.visit(b)]

    def rule(self, node: Rule) -> list:
        return []


_TEXTS = _Texts()


def block_texts(blocks) -> list[str]:
    return [t for block in blocks for t in _TEXTS.visit(block) if t.strip()]


def block_words(blocks) -> int:
    """Words of model blocks."""
    return count_all(block_texts(blocks))


@dataclass(frozen=True)
class Account:
    """Where the words of one imported file went."""

    file: str
    slug: str
    original: int
    leaflet: int
    front_matter: int
    listed: int
    structure: int = 0  # of ``leaflet``: words the leaflet's structure stands for
    problems: int = 0

    @property
    def balanced(self) -> bool:
        return self.original == self.leaflet + self.front_matter + self.listed

    @property
    def kept(self) -> int:
        return self.leaflet + self.front_matter
