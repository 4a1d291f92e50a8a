"""Plain-English checks: reading age, long sentences and paragraphs, plainer words, unexplained
medical terms and passive sentences, each finding with its file and line.

What authors of health information are asked for (NHS England's "Standard for creating
health content", the PIF TICK): a reading age of about 9 to 11, short sentences, everyday
words, medical terms explained where they are first used.  The findings are warnings
(errors with ``--strict``); the passive count is a measure, never a warning.  The same
``analyse`` serves ``leaflet check`` and the report page (``leaflet check --report``).

Reading age comes from textstat: SMOG (what health information uses) and the
Flesch-Kincaid grade in English, turned into an age as UK practice does (US school
grade + 5).  Other languages are measured where textstat has a formula calibrated for
them (``MEASURES``); the word lists are English and apply to English text only.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..config import Field, Invalid, Table
from ..errors import LeafletError, Problem
from ..files import relative, stamp
from ..model import (BlockVisitor, Callout, Contacts, Figure, Heading, Leaflet, List, Paragraph,
                     Quote, Row, Rule, Table as TableBlock, plain_text)
from .easy_read import inline_words, jargon, sentences, shown, word_count

MAX_WORDS = 25          # words in one sentence (easy read keeps its own 15)
MAX_SENTENCES = 5       # sentences in one paragraph
MIN_MEASURED = 3        # sentences a section needs before its reading age means anything
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "plain-words.yaml"
LIBRARY_FILE = "plain-words.yaml"  # in the library's theme/ folder
_JOIN = "\u2060"

GLOSSARY_HEADING = re.compile(r"\b(?:glossary|words (?:we use|explained|used)|medical (?:words|"
                              r"terms)|what (?:the|these) words mean)\b", re.IGNORECASE)
_BE = r"(?:am|is|are|was|were|be|been|being|get|gets|got)"
_IRREGULAR = ("given taken done seen made known shown written sent told found held kept left "
              "put set cut run brought bought caught taught thought built felt heard lost meant "
              "met paid read said sold spent understood won worn torn born drawn grown thrown "
              "chosen frozen spoken stolen woken driven eaten fallen forgotten hidden ridden "
              "shaken begun drunk swum rung sung stung hurt shut split spread upset").split()
PASSIVE = re.compile(rf"\b{_BE}\s+(?:(?:not|also|then|often|usually|always|never|only|"
                     rf"\w+ly)\s+)*(?:\w+ed|{'|'.join(_IRREGULAR)})\b", re.IGNORECASE)


# The word lists ---------------------------------------------------------------------

def _words(value: dict, _reading: config.Reading, _at: tuple) -> dict[str, str]:
    out = {}
    for key, plainer in value.items():
        if not config.words(str(key)) or not config.words(plainer):
            raise Invalid(WORDS.refusal("words", value), (str(key),))
        out[" ".join(str(key).lower().split())] = plainer.strip()
    return out


def _terms(value: list, _reading: config.Reading, _at: tuple) -> tuple[str, ...]:
    for index, term in enumerate(value):
        if not config.words(term):
            raise Invalid(TERMS.refusal("terms", term), (index,))
    return tuple(" ".join(term.lower().split()) for term in value)


WORDS = Field("a list of 'word or phrase: plainer word' lines, such as 'commence: start'",
              kind=dict, default={}, check=_words)
TERMS = Field("a list of medical terms to explain where they are first used, one a line, "
              "such as '- lymphoedema'", kind=list, default=(), check=_terms)
TABLE = Table(fields={"words": WORDS, "terms": TERMS},
              shape="theme/plain-words.yaml must hold 'words:' (plainer alternatives) and "
              "'terms:' (medical terms to explain) ({known})")
TOOL_TABLE = Table(names=Field("the plainer word or words, such as 'start'", kind=str,
                               check=lambda value, _r, _a: value.strip() or _empty()),
                   shape="the word list must be 'word: plainer word' lines")


def _empty():
    raise Invalid("a word needs its plainer alternative after the ':'")


@dataclass(frozen=True)
class Lists:
    """The words with plainer alternatives and the medical terms, the tool's and the
    library's together, each longest first so that a phrase matches before its words."""

    plainer: tuple[tuple[str, str], ...]
    terms: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def tool_words() -> dict[str, str]:
    text = DATA_FILE.read_text(encoding="utf-8")
    values = config.read_text(text, "leaflet/data/plain-words.yaml", TOOL_TABLE, "the word list")
    return {" ".join(key.lower().split()): value.strip() for key, value in values.items()}


@functools.lru_cache(maxsize=16)
def _library_lists(path: Path, rel: str, _stamp: tuple) -> dict:
    return config.read_text(config.file_text(path, rel, "the word list"), rel, TABLE,
                            "the word list")


def lists(theme: Path | None = None, root: Path | None = None) -> Lists:
    """The word lists a library's leaflets are checked against."""
    words = dict(tool_words())
    terms = set(jargon())
    path = Path(theme) / LIBRARY_FILE if theme else None
    if path is not None and path.is_file():
        own = _library_lists(path, relative(path, Path(root or theme)), stamp(path))
        words.update(own["words"])
        terms.update(own["terms"])
    order = sorted(words, key=lambda w: (-len(w), w))
    return Lists(tuple((w, words[w]) for w in order),
                 tuple(sorted(terms, key=lambda t: (-len(t), t))))


def problems(theme: Path, root: Path) -> list[Problem]:
    """Everything ``lists`` would refuse in theme/plain-words.yaml, for ``leaflet check``."""
    try:
        lists(theme, root)
    except LeafletError as exc:
        return list(exc.problems)
    return []


# Reading age ---------------------------------------------------------------------------

def _flesch_age(ease: float) -> float:
    """Flesch's own table from reading ease to school grade, as a reading age (grade + 5)."""
    for floor, grade in ((90, 5), (80, 6), (70, 7), (60, 8.5), (50, 11), (30, 14)):
        if ease >= floor:
            return grade + 5
    return 16 + 5


def _english(text: str, textstat) -> tuple[float, dict[str, float]]:
    smog = textstat.smog_index(text)
    grade = textstat.flesch_kincaid_grade(text)
    return (smog or grade) + 5, {"SMOG grade": smog, "Flesch-Kincaid grade": grade}


def _german(text: str, textstat) -> tuple[float, dict[str, float]]:
    grade = textstat.wiener_sachtextformel(text, 1)
    return grade + 5, {"Wiener Sachtextformel": grade}


def _flesch(text: str, textstat) -> tuple[float, dict[str, float]]:
    ease = textstat.flesch_reading_ease(text)
    return _flesch_age(ease), {"Flesch reading ease": ease}


# textstat's formulas by language: English SMOG and Flesch-Kincaid; German the Wiener
# Sachtextformel; Flesch reading ease with the constants textstat has for Spanish
# (Fernandez Huerta), French (Kandel and Moles), Italian (Vacca), Dutch (Douma), Russian and
# Hungarian.  Others (Polish, Arabic, Bengali among them) have no calibrated grade there.
MEASURES = {"en": _english, "de": _german, "es": _flesch, "fr": _flesch, "it": _flesch,
            "nl": _flesch, "ru": _flesch, "hu": _flesch}


def measurable(lang: str) -> bool:
    return lang.split("-")[0].lower() in MEASURES


def reading_age(text: str, lang: str) -> tuple[float, dict[str, float]] | None:
    """The reading age of some text in ``lang`` and the measures it comes from; None for a
    language textstat cannot measure."""
    measure = MEASURES.get(lang.split("-")[0].lower())
    if measure is None or not text.strip():
        return None
    import textstat  # loaded only where something is measured

    textstat.set_lang(lang.split("-")[0].lower())
    age, measures = measure(text, textstat)
    return round(age, 1), {name: round(value, 1) for name, value in measures.items()}


# The analysis ----------------------------------------------------------------------------

@dataclass
class Mark:
    """A word or phrase in a sentence to point at: a plainer word, or an unexplained term."""

    start: int
    end: int
    kind: str  # "plain" or "term"
    note: str  # "start" (the plainer word), or "" for a term
    line: int = 0


@dataclass
class Sentence:
    text: str
    line: int
    words: int
    passive: bool = False
    marks: list[Mark] = field(default_factory=list)
    anchor: str = ""  # its id on the report page, when it has something to show

    @property
    def long(self) -> bool:
        return self.words > MAX_WORDS


@dataclass
class Unit:
    """Text that reads as one piece: a heading, a paragraph, a list item's paragraph, a
    table cell, a contact's details."""

    kind: str  # heading, paragraph, cell, contact, caption
    line: int
    sentences: list[Sentence]
    level: int = 0

    @property
    def too_many(self) -> bool:
        return self.kind == "paragraph" and len(self.sentences) > MAX_SENTENCES


@dataclass
class Section:
    title: str
    line: int
    units: list[Unit] = field(default_factory=list)
    age: float | None = None
    measures: dict[str, float] = field(default_factory=dict)

    def text(self) -> str:
        return measured_text(self.units)

    @property
    def sentence_count(self) -> int:
        return sum(len(u.sentences) for u in self.units if u.kind != "heading")


@dataclass
class Analysis:
    leaflet: Leaflet
    target: int
    sections: list[Section]
    age: float | None
    measures: dict[str, float]

    @property
    def units(self) -> list[Unit]:
        return [unit for section in self.sections for unit in section.units]

    @property
    def sentences(self) -> list[Sentence]:
        return [s for unit in self.units if unit.kind != "heading" for s in unit.sentences]

    @property
    def passive(self) -> int:
        return sum(s.passive for s in self.sentences)


def measured_text(units: list[Unit]) -> str:
    """The running text of some units for a readability formula: each sentence closed by
    a full stop so that list items and cells count as the sentences they are."""
    said = []
    for unit in units:
        if unit.kind == "heading":
            continue
        for sentence in unit.sentences:
            text = sentence.text.replace(_JOIN, " ").strip()
            said.append(text if text[-1:] in ".!?" else text + ".")
    return " ".join(said)


class _Texts(BlockVisitor[list]):
    """The units of text in a block, in reading order, each with its line."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def _unit(self, kind: str, text: str, line: int, level: int = 0) -> Unit:
        said = [Sentence(s, _locate(s, line, self.lines), word_count(s))
                for s in sentences(text)]
        return Unit(kind, line, said, level)

    def heading(self, node: Heading) -> list:
        return [Unit("heading", node.line, [Sentence(inline_words(node.children).strip(),
                                                    node.line, 0)], node.level)]

    def paragraph(self, node: Paragraph) -> list:
        return [self._unit("paragraph", inline_words(node.children), node.line)]

    def list(self, node: List) -> list:
        return [u for item in node.items for child in item.blocks for u in self.visit(child)]

    def figure(self, node: Figure) -> list:
        return [self._unit("caption", node.caption, node.line)] if node.caption else []

    def table(self, node: TableBlock) -> list:
        cells = [*node.head, *(cell for row in node.rows for cell in row)]
        return [self._unit("cell", inline_words(c.children), c.line) for c in cells
                if inline_words(c.children).strip()]

    def callout(self, node: Callout) -> list:
        return [u for child in node.blocks for u in self.visit(child)]

    def contacts(self, node: Contacts) -> list:
        out = []
        for contact in node.contacts:
            for inlines in (contact.about, contact.hours):
                text = plain_text(inlines, phone_space=_JOIN, line_break=" ")
                if text.strip():
                    out.append(self._unit("contact", text, contact.line))
        return out

    def quote(self, node: Quote) -> list:
        return [u for child in node.blocks for u in self.visit(child)]

    def rule(self, node: Rule) -> list:
        return []

    def row(self, node: Row) -> list:
        return [u for child in node.blocks for u in self.visit(child)]


def _locate(sentence: str, start: int, lines: list[str]) -> int:
    """The file line a sentence (or phrase) starts on: a paragraph may run over lines."""
    words = sentence.replace(_JOIN, " ").split()[:2]
    if not lines or not words:
        return start
    probe = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    for number in range(start, min(start + 60, len(lines) + 1)):
        here = lines[number - 1]
        joined = here + " " + (lines[number] if number < len(lines) else "")
        found = probe.search(joined)
        if found and found.start() < len(here):
            return number
        if number > start and not lines[number - 1].strip():
            break
    return start


def _phrase(term: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + r"\s+".join(re.escape(p) for p in term.split())
                      + r"(?![\w-])", re.IGNORECASE)


_EXPLAINED_AFTER = re.compile(r"^\s*(?:\(|,?\s*(?:which|that)\s+(?:means|is|are)\b|,?\s*"
                              r"meaning\b|\s+means?\b|,?\s*(?:or|also called)\s+\S+\s*\()",
                              re.IGNORECASE)
_DEFINES = re.compile(r"^(?:(?:a|an|the)\s+)?$", re.IGNORECASE)
_DEFINITION = re.compile(r"\s+(?:means?\b|(?:is|are)\s+(?:a|an|the|when|where|what|how|"
                         r"used|medicines?|drugs?|something|one|some)\b|uses?\b)",
                         re.IGNORECASE)
_CALLED = re.compile(r"\b(?:called|known\s+as|described\s+as)\s+(?:[\w-]+(?:,|\s+or)\s+)*"
                     r"(?:(?:a|an|the)\s+)?$", re.IGNORECASE)
_POINTER = re.compile(r"^(?:this|that|these|those|it|they)\b(?:\s+\S+){0,2}?\s+(?:means?|is|are)"
                      r"\b", re.IGNORECASE)


def _explained(term: str, match: re.Match, sentence: str, following: list[str]) -> bool:
    """Whether a term's first use explains it: a bracket after it ("CT (computerised
    tomography)"), "which means", a definition ("A biopsy is ..."), or inside the bracket
    that explains another word."""
    after = sentence[match.end():]
    if _EXPLAINED_AFTER.match(after):
        return True
    before = sentence[:match.start()]
    if before.count("(") > before.count(")"):
        return True  # the explanation of the word before the bracket
    if _DEFINES.match(before) and _DEFINITION.match(after):
        return True
    if _CALLED.search(before):
        return True  # "... is called a biopsy": the words before explain it
    return any(_POINTER.match(s.strip()) for s in following[:1])


def analyse(leaflet: Leaflet, text: str = "", target: int = 11,
            word_lists: Lists | None = None) -> Analysis:
    """Everything the plain-English checks find in one leaflet, by section."""
    lines = text.split("\n") if text else []
    walker = _Texts(lines)
    sections = [Section(leaflet.meta.title, 1)]
    for block in leaflet.blocks:
        if isinstance(block, Heading) and block.level == 1:
            sections.append(Section(inline_words(block.children).replace(_JOIN, " "),
                                    block.line))
        sections[-1].units.extend(walker.visit(block))
    if not sections[0].units:
        sections.pop(0)
    lang = leaflet.meta.language
    english = lang.split("-")[0].lower() == "en"
    if english:
        _mark_words(sections, word_lists or lists(), lines)
    for sentence in (s for section in sections for u in section.units if u.kind != "heading"
                     for s in u.sentences):
        sentence.passive = english and bool(PASSIVE.search(sentence.text))
    for section in sections:
        if section.sentence_count >= MIN_MEASURED:
            found = reading_age(section.text(), lang)
            if found:
                section.age, section.measures = found
    whole = reading_age(measured_text([u for s in sections for u in s.units]), lang)
    age, measures = whole if whole else (None, {})
    return Analysis(leaflet, target, sections, age, measures)


def _mark_words(sections: list[Section], word_lists: Lists, lines: list[str]) -> None:
    # a glossary section explains every term it names, and a heading names what its
    # section is about ("## Chemotherapy")
    glossary = " ".join(s.text for section in sections for u in section.units
                        if u.kind == "heading" or GLOSSARY_HEADING.search(section.title)
                        for s in u.sentences).lower()
    seen: set[str] = set(t for t in word_lists.terms if _phrase(t).search(glossary))
    for section in sections:
        in_glossary = bool(GLOSSARY_HEADING.search(section.title))
        for index, unit in enumerate(section.units):
            for number, sentence in enumerate(unit.sentences):
                taken: list[tuple[int, int]] = []
                for word, plainer in word_lists.plainer:
                    for match in _phrase(word).finditer(sentence.text):
                        if _free(taken, match):
                            taken.append(match.span())
                            sentence.marks.append(Mark(*match.span(), "plain", plainer,
                                                       _locate(match.group(), sentence.line,
                                                               lines)))
                if in_glossary:
                    continue
                following = [s.text for s in unit.sentences[number + 1:]]
                if unit.kind == "heading" and index + 1 < len(section.units):
                    following = [s.text for s in section.units[index + 1].sentences]
                for term in word_lists.terms:
                    match = _phrase(term).search(sentence.text)
                    if match is None or term in seen or not _free(taken, match):
                        continue
                    seen.add(term)
                    taken.append(match.span())
                    if unit.kind == "heading" and _defined_in(term, following):
                        continue
                    if not _explained(term, match, sentence.text, following):
                        sentence.marks.append(Mark(*match.span(), "term", "",
                                                   _locate(match.group(), sentence.line, lines)))
                sentence.marks.sort(key=lambda mark: mark.start)


def _free(taken: list[tuple[int, int]], match: re.Match) -> bool:
    return all(match.end() <= start or match.start() >= end for start, end in taken)


def _defined_in(term: str, scope: list[str]) -> bool:
    """A heading's term explained by the paragraph under it ("A bone scan looks for ...")."""
    for sentence in scope[:2]:
        match = _phrase(term).search(sentence)
        if match and _explained(term, match, sentence, scope[1:]):
            return True
    return False


# The warnings --------------------------------------------------------------------------

def check(leaflet: Leaflet, text: str = "", target: int = 11,
          word_lists: Lists | None = None) -> list[Problem]:
    """The plain-English warnings of one leaflet in its own language."""
    return findings(analyse(leaflet, text, target, word_lists))


def findings(analysis: Analysis) -> list[Problem]:
    rel = analysis.leaflet.path
    target = analysis.target
    out: list[Problem] = []

    def warn(line: int, message: str) -> None:
        out.append(Problem(rel, line, message, warning=True))

    if analysis.age is not None and analysis.age > target:
        warn(1, f"the leaflet reads at age {_age(analysis.age)} ({measures_text(analysis.measures)})"
             f"; the library's target is {target}: shorter sentences and everyday words "
             "bring it down")
    for section in analysis.sections:
        if section.age is not None and section.age > target:
            warn(section.line, f"the section \"{shown(section.title, 50)}\" reads at age "
                 f"{_age(section.age)} ({measures_text(section.measures)}); the target is {target}")
        for unit in section.units:
            if unit.too_many:
                warn(unit.line, f"this paragraph has {len(unit.sentences)} sentences; plain "
                     f"English keeps to {MAX_SENTENCES} at most: split it")
            for sentence in unit.sentences:
                if sentence.long:
                    warn(sentence.line, f"this sentence has {sentence.words} words; plain "
                         f"English keeps to {MAX_WORDS} at most: \"{shown(sentence.text)}\"")
                for mark in sentence.marks:
                    word = sentence.text[mark.start:mark.end].replace(_JOIN, " ")
                    line = mark.line or sentence.line
                    if mark.kind == "plain":
                        warn(line, f"'{word}' has a plainer alternative: {mark.note}")
                    else:
                        warn(line, f"'{word}' is a medical term, not explained where it is "
                             "first used: follow it with an explanation in brackets or "
                             "\"which means ...\", or add it to a glossary section")
    return sorted(out, key=lambda p: (p.line or 0, p.message))


def _age(age: float) -> str:
    return f"{age:.0f}"


def measures_text(measures: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.1f}" for name, value in measures.items())


def summary(analysis: Analysis) -> str:
    """One line for ``leaflet check``: the reading age and the passive count, a measure
    and not a rule."""
    said = len(analysis.sentences)
    age = f"reading age {_age(analysis.age)}" if analysis.age is not None else \
        "no reading age measure for this language"
    return (f"{analysis.leaflet.path}: {age} (target {analysis.target}); "
            f"{analysis.passive} of {said} sentence{'s' * (said != 1)} passive")
