"""A leaflet on its way in from another format, before the shared rules and the emitter.

It holds the blocks read, the details found, the pictures to save, and every
problem, each with where in the input it was."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from leaflet.errors import Problem
from leaflet.model import Block, Cell, Heading, Inline, Paragraph, Text

from leaflet.source import emit

@dataclass(frozen=True)
class LeftOut:
    """Words of the original that are not in the leaflet: where they were and why."""

    where: str
    why: str
    texts: tuple[str, ...]

    @property
    def words(self) -> str:
        return " / ".join(" ".join(t.split()) for t in self.texts if t.strip())


IMAGE_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif",
                    "image/svg+xml": "svg"}


@dataclass
class Draft:
    """What a reader found in one input file.

    ``blocks`` become the body; ``margins`` are what sits around it (a Word file's
    headers and footers, a web page outside its main content): searched for the
    leaflet's details, never written into the body.  ``fields`` are front matter
    values found; ``notes`` say, as comments above a field, where a value came from
    or what to fill in.
    """

    path: str
    blocks: list[Block] = field(default_factory=list)
    margins: list[Block] = field(default_factory=list)
    fields: dict[str, str | dt.date] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    title_hint: str = ""  # a web page's <title>: the title when nothing better is found
    title_property: str = ""  # a Word file's title property: before its headings
    proofing_language: str = ""  # a Word file's spelling language: a hint, often Word's default
    struck: list[str] = field(default_factory=list)  # deleted (struck-through) text, left out
    # The word account: the original's texts, what went into the front matter (field,
    # words), what the leaflet's structure stands for (a callout's label, a contacts
    # table's column headings) and what was left out.
    original: list[str] = field(default_factory=list)
    front: list[tuple[str, str]] = field(default_factory=list)
    structure: list[str] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    margin_place: str = "around the leaflet"
    margin_why: str = "site furniture around the leaflet"

    def warn(self, line: int | None, message: str) -> None:
        """A problem for a person to check: one line, however many lines a quote spans."""
        message = re.sub(r"\s*[\r\n\u2028\u2029]+\s*", " ", message)
        problem = Problem(self.path, line or None, message, warning=True)
        if problem not in self.problems:
            self.problems.append(problem)

    def leave_out(self, where: str | int | None, why: str, *texts: str) -> None:
        """Words of the original left out of the leaflet, listed in the import report."""
        texts = tuple(t for t in texts if t and t.strip())
        if texts:
            self.left_out.append(LeftOut(place(where), why, texts))

    def to_front(self, key: str, words: str) -> None:
        """Words of the original read into the front matter's ``key``."""
        if words and words.strip():
            self.front.append((key, words))

    def strike(self, line: int | None, words: str, where: str | None = None) -> None:
        """Struck-through text is deleted advice: never imported as live text, listed
        for the author at the top of the new file."""
        self.struck.append(words)
        self.leave_out(where or line, "struck through: deleted advice, never printed as "
                       "live text", words)
        shown = words if len(words) <= 60 else words[:57].rstrip() + "..."
        self.warn(line, f"struck-through (deleted) text was left out: '{shown}'; it is listed "
                  "at the top of the new file for you to check")

    def found(self, key: str, value: str | dt.date, note: str = "", words: str = "",
              where: str | int | None = None) -> bool:
        """Record a detail unless one was already found (the first place wins).
        ``words`` are the original's words it was read from: into the front matter's
        account when recorded, else listed as a repeat."""
        if key in self.fields or value in ("", None):
            if words:
                self.leave_out(where, f"the {key} again (the first place it is written "
                               "was taken)", words)
            return False
        self.fields[key] = value
        if note:
            self.notes[key] = note
        self.to_front(key, words)
        return True

    def add_image(self, data: bytes, media_type: str) -> str | None:
        """Keep a picture for images/; returns its path in the leaflet folder, or None
        when leaflets cannot show that kind of file."""
        extension = IMAGE_EXTENSIONS.get(media_type.split(";")[0].strip().lower())
        if extension is None:
            return None
        digest = hashlib.sha256(data).hexdigest()
        for src, existing in self.images.items():
            if hashlib.sha256(existing).hexdigest() == digest:
                return src  # the same picture used twice is saved once
        src = f"images/picture-{len(self.images) + 1}.{extension}"
        self.images[src] = data
        return src


def place(where: str | int | None) -> str:
    """Where in the original: a line of a page or text file, or words saying where."""
    if isinstance(where, int) and where:
        return f"line {where}"
    return str(where) if where else "in the body"


def where(draft: Draft, line: int | None) -> dict:
    return dict(path=draft.path, line=line or 0)


def paragraph(children: tuple[Inline, ...], path: str = "", line: int = 0) -> Paragraph:
    return Paragraph(children=tuple(children), markdown=emit.inline(tuple(children)),
                     path=path, line=line)


def heading(level: int, children: tuple[Inline, ...], path: str = "", line: int = 0) -> Heading:
    return Heading(level=level, children=tuple(children), markdown=emit.inline(tuple(children)),
                   path=path, line=line)


def cell(children: tuple[Inline, ...], path: str = "", line: int = 0) -> Cell:
    return Cell(children=tuple(children), markdown=emit.inline(tuple(children)),
                path=path, line=line)


def text(words: str, path: str = "", line: int = 0) -> tuple[Inline, ...]:
    return (Text(text=words, path=path, line=line),) if words else ()
