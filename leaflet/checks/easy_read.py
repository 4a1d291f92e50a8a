"""Easy read rules: what an easy-read.md is checked against (short sentences, few of them
beside each picture, a picture beside every idea, hard words explained).

The rules are warnings (errors with ``--strict``) and apply to the easy read
edition only; docs/easy-read.md explains them to the people who write easy read.
The scaffold (``leaflet.easyread``) counts words and finds hard words with the
same functions, so a draft is marked where ``check`` would warn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import Problem
from ..model import Block, Callout, Contacts, Figure, Heading, Inline, Leaflet, List, Paragraph, \
    Row, Table, plain_text
from ..pictograms import guess as guess_pictogram

MAX_WORDS = 15          # words in one sentence
MAX_SENTENCES = 3       # sentences beside one picture
JARGON_FILE = Path(__file__).resolve().parent.parent / "data" / "jargon.txt"
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
                said = [(s, contact.line) for field in (contact.name, plain_text(contact.about),
                                                        plain_text(contact.hours))
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
