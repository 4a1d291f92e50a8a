"""A leaflet on its way in from another format, before the shared rules and the emitter.

It holds the blocks read, the details found, the pictures to save, and every
problem, each with where in the input it was."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from leaflet.errors import Problem
from leaflet.model import Block, Cell, Heading, Inline, Paragraph, Text

from leaflet.source import emit

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
    title_hint: str = ""
    proofing_language: str = ""  # a Word file's spelling language: a hint, often Word's default
    struck: list[str] = field(default_factory=list)  # deleted (struck-through) text, left out

    def warn(self, line: int | None, message: str) -> None:
        problem = Problem(self.path, line or None, message, warning=True)
        if problem not in self.problems:
            self.problems.append(problem)

    def strike(self, line: int | None, words: str) -> None:
        """Struck-through text is deleted advice: never imported as live text, listed
        for the author at the top of the new file."""
        self.struck.append(words)
        shown = words if len(words) <= 60 else words[:57].rstrip() + "..."
        self.warn(line, f"struck-through (deleted) text was left out: '{shown}'; it is listed "
                  "at the top of the new file for you to check")

    def found(self, key: str, value: str | dt.date, note: str = "") -> None:
        """Record a detail unless one was already found (the first place wins)."""
        if key in self.fields or value in ("", None):
            return
        self.fields[key] = value
        if note:
            self.notes[key] = note

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
