"""The plain-English report page: one self-contained HTML file an author reads instead of the
warnings, with each section's reading age as a bar against the target and the leaflet's text
marked in place (``leaflet check SLUG --report``)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..files import write_atomic
from .plain import MAX_SENTENCES, MAX_WORDS, Analysis, Sentence, measures_text

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "plain-report.html"
BAR_MAX_AGE = 22  # the widest bar: a reading age past university


def pieces(sentence: Sentence) -> list[tuple[str, object]]:
    """A sentence as runs of text and its marks, in order: ("text", words) or
    ("mark", (Mark, words)); a phone number's joiners become no-break spaces."""
    text = sentence.text.replace("\u2060", "\u00a0")
    out: list[tuple[str, object]] = []
    at = 0
    for mark in sentence.marks:
        if mark.start > at:
            out.append(("text", text[at:mark.start]))
        out.append(("mark", (mark, text[mark.start:mark.end])))
        at = mark.end
    if at < len(text):
        out.append(("text", text[at:]))
    return out


def render(analysis: Analysis) -> str:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                                     keep_trailing_newline=True)
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    numbered = 0
    findings = []
    for section in analysis.sections:
        for unit in section.units:
            for sentence in unit.sentences:
                if sentence.long or sentence.marks:
                    numbered += 1
                    sentence.anchor = f"s{numbered}"
                    findings.append(sentence)
    return template.render(
        a=analysis, title=analysis.leaflet.meta.title, lang=analysis.leaflet.meta.language,
        target=analysis.target, pieces=pieces, bar_max=BAR_MAX_AGE, max_words=MAX_WORDS,
        max_sentences=MAX_SENTENCES, measures_text=measures_text, findings=findings,
        long_count=sum(s.long for s in analysis.sentences),
        plain_count=sum(m.kind == "plain" for s in analysis.sentences for m in s.marks)
        + sum(m.kind == "plain" for u in analysis.units if u.kind == "heading"
              for s in u.sentences for m in s.marks),
        term_count=sum(m.kind == "term" for u in analysis.units for s in u.sentences
                       for m in s.marks),
        paragraph_count=sum(u.too_many for u in analysis.units),
        width=lambda age: max(2.0, min(100.0, 100.0 * age / BAR_MAX_AGE)))


def write(analysis: Analysis, target: Path) -> Path:
    write_atomic(target, render(analysis).encode("utf-8"))
    return target
