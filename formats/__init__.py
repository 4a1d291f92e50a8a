"""The one table of output formats: each format is one ``Format`` record.

The planner, the manifest reader, the index page, the scheduler and the
command's ``-f`` choices all read ``FORMATS``; adding a format is one writer
module plus one record here (or one ``register`` call).  Each writer is
``write(leaflet, options) -> Rendered`` and never touches the file system:
pictures come through ``options.assets``.  Importing this package costs
nothing; a format's stack (WeasyPrint, python-docx, ebooklib) loads only when
that format is built.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator

from leaflet.errors import LeafletError, Problem

if TYPE_CHECKING:
    from leaflet.model import Leaflet

    from .options import WriterOptions


def N_(message: str) -> str:
    """Marks a template word for extraction into ui.pot without translating it here."""
    return message


@dataclass(frozen=True)
class Rendered:
    """What a writer returns: the file's bytes, the facts the builder needs about them
    (``pages``, ``duration_seconds``, ``chapters``...), so that nothing re-reads an
    output, and what it could not do, as warnings.  ``companions`` are the other
    formats' files made by the same render (the audio writer's read-aloud EPUB),
    by format name."""

    data: bytes
    facts: dict = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    companions: dict[str, Rendered] = field(default_factory=dict)


class Unavailable(LeafletError):
    """Raised by a writer that finds, as it renders, what ``available`` could not know: the
    artifact is rightly not made (no voice speaks its language), and the build goes on
    with one warning."""


@contextlib.contextmanager
def warnings_of(category: type[Warning]) -> Iterator[list[Problem]]:
    """Around the part of a writer that warns through Python's ``warnings`` (a library
    of its own, such as the voices): each ``category`` warning becomes a warning Problem
    in the list yielded, once however often it is given, for ``Rendered.warnings``;
    other warnings go on as they would."""
    found: list[Problem] = []
    others = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", category)
        try:
            yield found
        finally:
            for warning in caught:
                if issubclass(warning.category, category):
                    problem = Problem("", None, str(warning.message), warning=True)
                    if problem not in found:
                        found.append(problem)
                else:
                    others.append(warning)
    # given again only once recording has stopped: inside, each would be recorded again
    for warning in others:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno, source=warning.source)


@dataclass(frozen=True)
class Format:
    """One output format: where its writer is, what it makes, how it is shown, and what
    the builder must know about it without naming it.

    The optional hooks are "module:function" names, imported on first use:

    - ``available(lang, options) -> str | None``: why the format cannot be made in a
      language on this machine (no braille table, no voice), or None; it raises a
      LeafletError when the format cannot be made at all (its engine is missing);
    - ``fingerprint(lang, options) -> str``: the versions of the engines and data it
      uses (liblouis and its table, espeak-ng, lame) and the settings it reads beyond
      the edition and size, part of every artifact's key.

    Both are given ``WriterOptions`` holding the library's theme and the build's writer
    settings, and are asked once per language and build.  One more is optional:

    - ``probe() -> str``: what ``available``'s answers depend on beyond the tool, the
      theme and the settings (the programs, libraries and data it would find on this
      machine), told without loading the format's stack or running a program, as
      ``files_stamp`` tells it.  While the probe's answer and those inputs are as they
      were, a build takes ``available``'s answers from the one before (kept in the
      output folder); a record without a probe is asked in every build.

    ``made_by`` names the format whose render also makes this one (its writer returns
    it in ``Rendered.companions``): the read-aloud EPUB comes with the MP3's render.
    ``manifest_facts`` are the facts copied into the artifact's manifest entry: each is
    (the entry's field, the writer's fact, the JSON type it has), as
    ``("duration", "duration_seconds", float)``."""

    name: str                   # the -f name and the manifest's "format"
    writer: str                 # "module:function", imported on first use
    editions: tuple[str, ...]   # the editions it makes, e.g. ("standard", "easy-read")
    extension: str              # the file extension, without the dot
    label: str                  # the index page's and panel's name for it (a UI word)
    order: int                  # its place on the index page and in summaries
    cost: float                 # expected seconds per artifact (the scheduler's estimate)
    available: str = ""         # "module:function", see above; "" for always
    fingerprint: str = ""       # "module:function", see above; "" for none
    probe: str = ""             # "module:function", see above; "" for none
    made_by: str = ""           # the format whose render makes this one too
    manifest_facts: tuple[tuple[str, str, type], ...] = ()
    panel_word: str = ""        # how the "also available" panel names it ("Braille"), if it does
    web_page: bool = False      # its file is a leaflet's public web page (QR codes, links)

    def load(self) -> Callable[[Leaflet, WriterOptions], Rendered]:
        """The writer's ``write`` function, imported now."""
        return _function(self.writer)

    def maker(self) -> Format:
        """The format whose render makes this one: itself, or the one it comes with."""
        return get(self.made_by) if self.made_by else self

    def unavailable(self, lang: str, options: WriterOptions) -> str | None:
        """Why it cannot be made in ``lang`` here, or None (see ``available`` above)."""
        return _function(self.available)(lang, options) if self.available else None

    def engines(self, lang: str, options: WriterOptions) -> str:
        """Its engines' fingerprint for ``lang`` (see ``fingerprint`` above), or ""."""
        return _function(self.fingerprint)(lang, options) if self.fingerprint else ""

    def machine(self) -> str:
        """What its availability depends on here (see ``probe`` above), or "" without a probe."""
        return _function(self.probe)() if self.probe else ""


def files_stamp(*paths: str | os.PathLike) -> str:
    """Files as the system describes them, for a record's ``probe``: each path (a file, or
    a folder and every file under it) with each file's size, modification time and inode,
    or "missing"; a package upgrade replaces files and so changes it.  Nothing is read or
    run: a folder of a few hundred files costs about a millisecond."""
    found = []
    for path in map(os.fspath, paths):
        if os.path.isdir(path):
            for folder, names, files in os.walk(path):
                names.sort()
                found.extend(_file_stamp(os.path.join(folder, name)) for name in sorted(files))
        else:
            found.append(_file_stamp(path))
    return hashlib.sha256("\n".join(found).encode("utf-8", "surrogateescape")).hexdigest()


def _file_stamp(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return f"{path} missing"
    return f"{path} {info.st_size} {info.st_mtime_ns} {info.st_ino}"


def _function(name: str) -> Callable:
    module_name, _, function = name.partition(":")
    return getattr(importlib.import_module(module_name), function)


FORMATS: dict[str, Format] = {}


def get(name: str) -> Format:
    """The record of a format; an unknown name is an error naming the valid ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise LeafletError("", None, f"unknown format '{name}' (formats: {', '.join(FORMATS)})") \
            from None


def web_page() -> Format:
    """The format whose file is a leaflet's public web page: what QR codes and the links
    between languages point to, and what a live preview rebuilds."""
    return next(fmt for fmt in FORMATS.values() if fmt.web_page)


def panel_words() -> dict[str, str]:
    """The "also available" panel's word for each format it names, by format name."""
    return {fmt.name: fmt.panel_word for fmt in FORMATS.values() if fmt.panel_word}


def register(fmt: Format) -> None:
    """Add a format (or replace the one of that name), keeping ``FORMATS`` in ``order``."""
    records = {**FORMATS, fmt.name: fmt}
    FORMATS.clear()
    FORMATS.update(sorted(records.items(), key=lambda item: (item[1].order, item[0])))


# What the audio records put in the manifest: how long it is and the voice that speaks it.
AUDIO_FACTS = (("duration", "duration_seconds", float), ("voice", "voice", str))

for _record in (
    Format("pdf", "formats.pdf:write", ("standard", "large-print", "easy-read"), "pdf",
           N_("PDF"), 1, 0.6),
    Format("docx", "formats.docx:write", ("standard", "large-print", "easy-read"), "docx",
           N_("Word"), 2, 0.1),
    Format("epub", "formats.epub:write", ("standard", "easy-read"), "epub",
           N_("EPUB e-book"), 3, 0.06),
    Format("html", "formats.web:write", ("standard", "easy-read"), "html",
           N_("Web page"), 4, 0.05, web_page=True),
    Format("text", "formats.text:write", ("standard", "easy-read"), "txt",
           N_("Plain text"), 5, 0.01),
    Format("brf", "formats.brf:write", ("standard",), "brf", N_("Braille (BRF)"), 6, 0.15,
           available="formats.braille:unavailable", fingerprint="formats.braille:engines",
           probe="formats.braille:probe", panel_word=N_("Braille")),
    Format("pef", "formats.pef:write", ("standard",), "pef", N_("Braille (PEF)"), 7, 0.15,
           available="formats.braille:unavailable", fingerprint="formats.braille:engines",
           probe="formats.braille:probe", panel_word=N_("Braille")),
    Format("audio", "formats.audio:write", ("standard", "easy-read"), "mp3", N_("Audio (MP3)"),
           8, 4.0, available="formats.audio:unavailable", fingerprint="formats.audio:engines",
           probe="formats.audio:probe", manifest_facts=AUDIO_FACTS, panel_word=N_("Audio")),
    # its own format, not an edition of epub: editions are standard and easy read, and
    # both have a read-aloud book; the extension keeps it beside the plain EPUB.  The
    # MP3's render makes it: the narration is spoken once for both.
    Format("read-aloud", "formats.audio.readaloud:write", ("standard", "easy-read"),
           "read-aloud.epub", N_("Read-aloud EPUB"), 9, 4.5,
           available="formats.audio:unavailable", fingerprint="formats.audio:engines",
           probe="formats.audio:probe", made_by="audio",
           manifest_facts=AUDIO_FACTS, panel_word=N_("Audio")),
):
    FORMATS[_record.name] = _record
