"""Plain text into a draft, as a leaflet copied off a web page reads.

Headings are short lines without a full stop; every other line is a paragraph
(or, in text wrapped by hand, every run of lines)."""

from __future__ import annotations

import re
from pathlib import Path

from leaflet.errors import LeafletError
from leaflet.model import Block, Heading, Text, plain_text

from . import structure
from .draft import Draft, heading, paragraph

MAX_TEXT_BYTES = 2_000_000
# Sections every leaflet may end with, whatever the questions before them.
SECTIONS_RE = re.compile(
    r"^(?:data protection|contacts?|contact us|contact details|useful (?:contacts|numbers|"
    r"information)|further information|more information|references|glossary|feedback|"
    r"your comments|compliments,? (?:and|&) complaints|how to contact us|"
    r"patient advice and liaison service.*|pals)$", re.I)


def decode(data: bytes, draft: Draft) -> str:
    if len(data) > MAX_TEXT_BYTES:
        raise LeafletError(draft.path, None, "the file is over 2 MB; a leaflet is much shorter")
    if b"\0" in data:
        raise LeafletError(draft.path, None, "this is not a text file (it contains binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        draft.warn(None, "the file is not UTF-8: it was read as Windows text; check accented "
                   "letters and quotation marks")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def hard_wrapped(lines: list[str]) -> bool:
    """Whether lines were wrapped by hand (an e-mail), so that a paragraph runs over
    several of them, rather than one line a paragraph (a copied web page)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 4 or max(len(lines[i]) for i in filled) > 100:
        return False
    joined = sum(1 for i in filled if i + 1 < len(lines) and lines[i + 1].strip())
    return joined / len(filled) > 0.5


def paragraphs(lines: list[str]) -> list[tuple[int, str]]:
    """(first line number, words) of each paragraph."""
    out: list[tuple[int, str]] = []
    wrapped = hard_wrapped(lines)
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines + [""], start=1):
        words = " ".join(line.split())
        starts_new = structure.BULLET_RE.match(line) or structure.NUMBER_RE.match(line)
        if current and (not words or not wrapped or starts_new or
                        (len(current) == 1 and structure.heading_like(current[0]))):
            out.append((start, " ".join(current)))
            current = []
        if words:
            if not current:
                start = number
            current.append(words)
    return out


def read(path: Path, rel: str, region: str = "GB") -> Draft:
    draft = Draft(rel)
    lines = decode(path.read_bytes(), draft).split("\n")
    draft.original = [words for _, words in paragraphs(lines)]
    blocks: list[Block] = []
    before_title: list[tuple[int, str]] = []
    questions = False
    for number, words in paragraphs(lines):
        if structure.heading_like(words):
            if "title" not in draft.fields:
                draft.fields["title"] = words
                draft.to_front("title", words)
                continue
            questions = questions or words.endswith("?")
            blocks.append(heading(1, (Text(text=words, path=rel, line=number),), rel, number))
        elif "title" not in draft.fields:
            before_title.append((number, words))
        else:
            blocks.append(paragraph((Text(text=words, path=rel, line=number),), rel, number))
    if "title" not in draft.fields:
        blocks = [paragraph((Text(text=w, path=rel, line=n),), rel, n) for n, w in before_title]
        before_title = []
    if before_title:
        number, words = before_title[0]
        draft.warn(number, f"text before the title was left out ('{structure.short(words)}'): "
                   "a site banner? add it back if it belongs to the leaflet")
        for number, words in before_title:
            draft.leave_out(number, "before the title: a site banner?", words)
    draft.blocks = levels(blocks, questions)
    structure.take_subtitle(draft)
    return draft


def levels(blocks: list[Block], questions: bool) -> list[Block]:
    """Text has no heading levels: where the leaflet asks questions ("What is ...?"),
    they are its sections and the headings after a question are inside it."""
    out: list[Block] = []
    in_section = False
    for block in blocks:
        if isinstance(block, Heading):
            words = plain_text(block.children)
            top = not questions or words.endswith("?") or bool(SECTIONS_RE.match(words)) or \
                not in_section
            if questions and words.endswith("?"):
                in_section = True
            if not top:
                block = heading(2, block.children, block.path, block.line)
        out.append(block)
    return out
