"""Easy read: the rules an easy-read.md is checked against, the page limit, and the scaffold.

Easy read is rewritten content: short sentences, one idea a row, a picture
beside every idea, hard words explained.  The rules here are warnings (errors
with ``--strict``) and apply to the easy read edition only; docs/easy-read.md
explains them to the people who write easy read.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import source
from .errors import LeafletError, Problem
from .library import Library
from .model import (
    Block, Callout, Contacts, Email, Emphasis, Figure, Heading, Inline, Leaflet, LineBreak,
    Link, List, Paragraph, Phone, Row, Strong, Table, Text, plain_text,
)

MAX_WORDS = 15          # words in one sentence
MAX_SENTENCES = 3       # sentences beside one picture
MAX_PAGES = 24          # pages of the easy read PDF
JARGON_FILE = Path(__file__).resolve().parent / "data" / "jargon.txt"
TODO_RE = re.compile(r"\bTODO\b")
_TODO_PREFIX = re.compile(r"^TODO\b(?:\s*\([^)]*\))?\s*:?\s*")
# Phone numbers count as one word: their spaces become this joiner while counting.
_JOIN = "\u2060"
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u2019\u201d)]*\s+(?=\S)")
_WORD = re.compile(r"[0-9A-Za-z\u00c0-\uffff]")
_DEFINES = r"(?:is|are|means|mean|uses|use|was|were)"
_POINTER = re.compile(r"^(?:this|that|these|those|it|they)\b(?:\s+\S+){0,2}?\s+means?\b",
                      re.IGNORECASE)
_THIS_IS = re.compile(r"^(?:this|that|these|those)\s+(?:is|are)\b", re.IGNORECASE)


# Words and sentences -----------------------------------------------------------------

def inline_words(inlines: tuple[Inline, ...]) -> str:
    """The text of some inlines, with each phone number kept as one word."""
    return plain_text(inlines, phone_space=_JOIN, line_break=" ")


def sentences(text: str) -> list[str]:
    """Split at a full stop, question mark or exclamation mark followed by a space;
    a scaffold's TODO marker is not part of the sentence it marks."""
    out = []
    for sentence in _SENTENCE_END.split(text.strip()):
        sentence = _TODO_PREFIX.sub("", sentence.strip())
        if sentence:
            out.append(sentence)
    return out


def word_count(sentence: str) -> int:
    return sum(1 for word in re.split(r"[ \t\n\u00a0]+", sentence) if _WORD.search(word))


def shown(sentence: str, limit: int = 60) -> str:
    """A sentence as quoted in a message: phone numbers as written, cut when long."""
    text = sentence.replace(_JOIN, " ")
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


@lru_cache(maxsize=1)
def jargon() -> tuple[str, ...]:
    """The medical-jargon list, longest phrases first so that they match before their words."""
    words = []
    for line in JARGON_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.append(line)
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def _term_re(term: str) -> str:
    return r"(?<![\w-])" + r"\s+".join(re.escape(part) for part in term.split()) + r"(?![\w-])"


def jargon_in(sentence: str) -> list[str]:
    """The jargon terms a sentence uses, each once, a phrase hiding the words inside it."""
    found = []
    text = sentence.lower()
    for term in jargon():
        if re.search(_term_re(term), text):
            found.append(term)
            text = re.sub(_term_re(term), " ", text)
    return found


def explains(term: str, sentence_index: int, scope: list[str]) -> bool:
    """Whether the sentences of a row explain ``term``, used in its sentence
    ``sentence_index``: see "Hard words" in docs/easy-read.md."""
    word = _term_re(term)
    for index, sentence in enumerate(scope):
        text = sentence.strip()
        if re.search(word + r"\s*\([^)]*\w[^)]*\)", text, re.IGNORECASE):
            return True  # oncologist (a cancer doctor)
        if re.match(r"^(?:(?:a|an|the)\s+)?" + word + r"\s+" + _DEFINES + r"\b", text,
                    re.IGNORECASE):
            return True  # Chemotherapy is medicine that kills cancer cells.
        if re.search(r"\b(?:called|known\s+as)\s+(?:(?:a|an|the)\s+)?" + word, text,
                     re.IGNORECASE):
            return True  # This is called a biopsy.
        if index > sentence_index and (_POINTER.match(text) or _THIS_IS.match(text)):
            return True  # ... metastases. These words mean secondary breast cancer.
    return False


# The checks ---------------------------------------------------------------------------

@dataclass
class _Unit:
    """Some text checked together: a heading, a row, a paragraph or a contact."""

    sentences: list[tuple[str, int]]  # (sentence, line)
    scope: list[str]  # its sentences, then those that may also explain its hard words


def _block_sentences(block: Block, lines: list[str]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    if isinstance(block, Paragraph):
        for sentence in sentences(inline_words(block.children)):
            out.append((sentence, _locate(sentence, block.line, lines)))
    elif isinstance(block, List):
        for item in block.items:
            for child in item.blocks:
                out.extend(_block_sentences(child, lines))
    elif isinstance(block, Callout):
        for child in block.blocks:
            out.extend(_block_sentences(child, lines))
    elif isinstance(block, Table):
        for cell in [*block.head, *(c for row in block.rows for c in row)]:
            for sentence in sentences(inline_words(cell.children)):
                out.append((sentence, cell.line))
    return out


def _locate(sentence: str, start: int, lines: list[str]) -> int:
    """The file line a sentence starts on: a paragraph may run over several lines."""
    words = sentence.replace(_JOIN, " ").split()[:2]
    if not lines or not words:
        return start
    probe = " ".join(words)
    for number in range(start, min(start + 40, len(lines) + 1)):
        if probe in lines[number - 1]:
            return number
        if number > start and not lines[number - 1].strip():
            break
    return start


def _units(leaflet: Leaflet, lines: list[str], problems: list[Problem]) -> list[_Unit]:
    """The text of an easy read leaflet in reading order; problems of structure on the way."""
    rel = leaflet.path
    units: list[_Unit] = []
    pending_headings: list[_Unit] = []
    for block in leaflet.blocks:
        if isinstance(block, Heading):
            unit = _Unit([(inline_words(block.children), block.line)], [])
            unit.scope = [s for s, _ in unit.sentences]
            units.append(unit)
            pending_headings.append(unit)
            continue
        if isinstance(block, Row):
            said = [s for b in block.blocks for s in _block_sentences(b, lines)]
            unit = _Unit(said, [s for s, _ in said])
            if block.figure is None:
                guess = guess_pictogram(" ".join(s for s, _ in said))
                problems.append(Problem(rel, block.line, "this row has no picture: put one on "
                                        f"the row's first line, such as ![](pictogram:{guess})",
                                        warning=True))
            if len(said) > MAX_SENTENCES:
                problems.append(Problem(rel, block.line, f"this row has {len(said)} sentences; "
                                        f"easy read keeps to {MAX_SENTENCES} at most beside one "
                                        "picture: split it into two rows", warning=True))
        elif isinstance(block, Contacts):
            for contact in block.contacts:
                said = [(s, contact.line) for field in (contact.name, contact.about, contact.hours)
                        for s in sentences(field)]
                units.append(_Unit(said, [s for s, _ in said]))
            continue
        elif isinstance(block, Figure):
            problems.append(Problem(rel, block.line, "this picture stands alone: put it in a "
                                    "'::: row' with the sentences it goes with", warning=True))
            continue
        else:
            said = _block_sentences(block, lines)
            unit = _Unit(said, [s for s, _ in said])
            problems.append(Problem(rel, block.line, "this text is not in a '::: row', so it "
                                    "has no picture beside it: put it in a row with a picture",
                                    warning=True))
        for heading in pending_headings:
            heading.scope = heading.scope + unit.scope  # a heading is explained by what follows
        pending_headings = []
        units.append(unit)
    return units


def check(leaflet: Leaflet, text: str = "") -> list[Problem]:
    """Every easy read problem in an easy-read.md, as warnings with file and line.

    ``text`` is the file's text, where TODO markers are looked for (they may be
    in comments and alt text, which the model does not keep).
    """
    rel = leaflet.path
    lines = text.split("\n") if text else []
    problems: list[Problem] = []
    units = _units(leaflet, lines, problems)
    explained: set[str] = set()
    for unit in units:
        for index, (sentence, line) in enumerate(unit.sentences):
            count = word_count(sentence)
            if count > MAX_WORDS:
                problems.append(Problem(rel, line, f"this sentence has {count} words; easy read "
                                        f"keeps to {MAX_WORDS} at most: \"{shown(sentence)}\"",
                                        warning=True))
            for term in jargon_in(sentence):
                if term in explained:
                    continue
                explained.add(term)  # reported once: explain it where it is first used
                if not explains(term, index, unit.scope):
                    problems.append(Problem(rel, line, f"'{term}' is a medical word: explain it "
                                            f"in the same row, for example \"{term.capitalize()} "
                                            "means ...\" or \"This means ...\", or use a plainer "
                                            "word", warning=True))
    for number, line in enumerate(lines, start=1):
        if TODO_RE.search(line):
            problems.append(Problem(rel, number, "a TODO marker is left: rewrite this part "
                                    "for easy read, then delete the marker", warning=True))
    return sorted(problems, key=lambda p: (p.line or 0, p.message))


# The page limit, reported by the build ---------------------------------------------------

_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def page_count(pdf: bytes) -> int:
    """The pages in a PDF, found by their page objects (also inside compressed object streams)."""
    count = len(_PAGE.findall(pdf))
    for match in _STREAM.finditer(pdf):
        try:
            data = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        if b"/Type" in data:
            count += len(_PAGE.findall(data))
    return count


def page_count_problem(leaflet: Leaflet, pdf: bytes) -> Problem | None:
    """A warning when an easy read PDF runs over the page limit, for the build to report."""
    if leaflet.edition != "easy-read":
        return None
    pages = page_count(pdf)
    if pages <= MAX_PAGES:
        return None
    return Problem(leaflet.path, None, f"the easy read PDF has {pages} pages; easy read keeps to "
                   f"{MAX_PAGES} at most: shorten the text or split the leaflet", warning=True)


# Pictograms ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def pictograms() -> dict[str, dict]:
    """Every pictogram: name -> {"alt": ..., "keywords": [...]}, in name order."""
    catalogue = source.PICTOGRAMS / "pictograms.yaml"
    data = yaml.safe_load(catalogue.read_text(encoding="utf-8")) or {}
    out = {}
    for name in source.pictogram_names():
        entry = data.get(name) or {}
        out[name] = {"alt": str(entry.get("alt", "")),
                     "keywords": [str(k).lower() for k in entry.get("keywords") or ()]}
    return out


# Pictures whose keywords are common words ("need", "people", "care"): a more
# particular picture in the same sentence is the better guess.
GENERIC_PICTOGRAMS = {"heart-care", "help", "information", "no", "question", "talk", "team",
                      "yes"}


def guess_pictogram(text: str, has_phone: bool = False) -> str:
    """The pictogram whose keywords a sentence uses most ("phone" for a phone number);
    "" when none fits."""
    if has_phone:
        return "phone"
    words = re.findall(r"[a-z0-9]+(?:['-][a-z0-9]+)*", text.lower().replace("\u2019", "'"))
    best, best_score, best_first = "", 0.0, len(words)
    for name, entry in pictograms().items():
        keywords = set(entry["keywords"])
        hits = [i for i, word in enumerate(words) if word in keywords]
        if not hits:
            continue
        score = len(hits) * (0.5 if name in GENERIC_PICTOGRAMS else 1.0)
        first = hits[0]
        if score > best_score or (score == best_score and first < best_first):
            best, best_score, best_first = name, score, first
    return best


# The scaffold ------------------------------------------------------------------------------

SCAFFOLD_HEAD = """\
---
# A first draft of the easy read edition, written by 'leaflet easy-read scaffold'
# from leaflet.md. Rewrite it for people with learning disabilities: short
# sentences (15 words at most), one idea in each row, a picture that fits beside
# it, and every medical word explained. Rewrite each row marked as to do (in
# capitals), then delete the marker. docs/easy-read.md explains the rules;
# 'leaflet pictograms' lists the pictures; 'leaflet check' finds what is left.
# Code, version and dates come from leaflet.md unless you set them here.
title: {title}
subtitle: Easy read
---
"""


def _escape(text: str) -> str:
    """Plain text that Markdown will read back as the same plain text."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def _line_start(text: str) -> str:
    """A line that Markdown will not take for a list item or a heading."""
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", re.sub(r"^([-+#>=:])", r"\\\1", text))


def _markdown(inlines: tuple[Inline, ...]) -> str:
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(_escape(node.text))
        elif isinstance(node, Strong):
            out.append(f"**{_markdown(node.children)}**")
        elif isinstance(node, Emphasis):
            out.append(f"*{_markdown(node.children)}*")
        elif isinstance(node, Link):
            out.append(f"[{_markdown(node.children)}]({node.href})")
        elif isinstance(node, Phone):
            out.append(node.display)
        elif isinstance(node, Email):
            out.append(node.address)
        elif isinstance(node, LineBreak):
            out.append(" ")
    return "".join(out)


def _row(sentence_markdown: str, plain: str, has_phone: bool, picture: Figure | None = None,
         todo: str = "") -> str:
    if picture is not None:
        image = f"![{picture.alt}]({picture.src})"
    else:
        name = guess_pictogram(plain, has_phone)
        image = f"![](pictogram:{name})" if name else \
            "![TODO: choose a picture](pictogram:information)"
    reasons = []
    if word_count(plain) > MAX_WORDS:
        reasons.append("shorten")
    hard = [term for term in jargon_in(plain) if not explains(term, 0, [plain])]
    if hard:
        reasons.append("explain " + ", ".join(f'"{t}"' for t in hard))
    if todo:
        reasons.append(todo)
    marker = f"TODO ({'; '.join(reasons)}): " if reasons else ""
    return f"::: row\n{image}\n{_line_start(marker + sentence_markdown)}\n:::\n"


def _paragraph_rows(children: tuple[Inline, ...], picture: Figure | None = None) -> list[str]:
    rows = []
    phones = {p.display for p in children if isinstance(p, Phone)}
    for sentence in sentences(_markdown(children)):
        plain = re.sub(r"\\(.)", r"\1", sentence)
        rows.append(_row(sentence, plain, any(p in sentence for p in phones), picture))
        picture = None
    return rows


def _contacts_yaml(block: Contacts) -> str:
    items = []
    for contact in block.contacts:
        item: dict = {"name": contact.name}
        if contact.about:
            item["about"] = contact.about
        if contact.phones:
            numbers = [p.display for p in contact.phones]
            item["phone"] = numbers[0] if len(numbers) == 1 else numbers
        if contact.emails:
            addresses = [e.address for e in contact.emails]
            item["email"] = addresses[0] if len(addresses) == 1 else addresses
        if contact.web:
            item["web"] = contact.web
        if contact.hours:
            item["hours"] = contact.hours
        items.append(item)
    dumped = yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=1000)
    long_about = any(word_count(c.about) > MAX_WORDS or len(sentences(c.about)) > 1
                     for c in block.contacts)
    note = "# TODO: shorten each 'about:' to one short sentence\n" if long_about else ""
    return f"::: contacts\n{note}{dumped}:::\n"


def _blocks(blocks: tuple[Block, ...], picture_hint: str = "") -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {block.markdown}\n")
        elif isinstance(block, Paragraph):
            out.extend(_paragraph_rows(block.children))
        elif isinstance(block, List):
            for item in block.items:
                out.extend(_blocks(item.blocks))
        elif isinstance(block, Figure):
            out.append(_row("TODO: write a short sentence to go with this picture.",
                            "", False, picture=block))
        elif isinstance(block, Table):
            for row in block.rows:
                cells = []
                for number, cell in enumerate(row):
                    head = plain_text(block.head[number].children) if number < len(block.head) else ""
                    value = _markdown(cell.children)
                    cells.append(f"{_escape(head)}: {value}" if head else value)
                text = "; ".join(cells)
                plain = re.sub(r"\\(.)", r"\1", text)
                out.append(_row(text, plain, any(isinstance(n, Phone) for c in row
                                                 for n in c.children),
                                todo="make this table row into sentences"))
        elif isinstance(block, Callout):
            if block.kind in ("warning", "urgent"):
                for child in block.blocks:
                    if isinstance(child, Paragraph):
                        for sentence in sentences(_markdown(child.children)):
                            plain = re.sub(r"\\(.)", r"\1", sentence)
                            out.append(_row(sentence, plain, False,
                                            Figure(src="pictogram:warning", alt="")))
                    else:
                        out.extend(_blocks((child,)))
            else:
                out.extend(_blocks(block.blocks))
        elif isinstance(block, Contacts):
            out.append(_contacts_yaml(block))
        elif isinstance(block, Row):
            out.extend(_blocks(block.blocks))
    return out


def draft(leaflet: Leaflet) -> str:
    """A first easy read draft of a standard leaflet: headings kept, each sentence a
    row with a guessed pictogram, TODO where a person must rewrite."""
    head = SCAFFOLD_HEAD.format(title=json.dumps(leaflet.meta.title, ensure_ascii=False))
    body = "\n".join(_blocks(leaflet.blocks))
    return f"{head}\n{body}"


def scaffold(library: Library, slug: str) -> Path:
    """Write leaflet_src/SLUG/easy-read.md from leaflet.md; never overwrite one."""
    target = library.source_file(slug, "easy-read")
    rel = library.rel(target)
    if target.exists():
        raise LeafletError(rel, None, "already exists; it was not changed (the scaffold "
                           "never overwrites an easy read edition)")
    leaflet = source.parse_file(library.source_file(slug), library.root)
    text = draft(leaflet)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise LeafletError(rel, None, "already exists; it was not changed")
    return target
