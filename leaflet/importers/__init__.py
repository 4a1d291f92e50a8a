"""`leaflet import`: Word files, saved web pages and plain text into leaflet_src/<slug>/leaflet.md.

Each reader makes a draft of model blocks and the details it found; the shared
rules (``structure``) turn typed structure into ours; the emitter writes the
source.  Nothing is overwritten and no fact is invented: a detail not found is a
placeholder that ``leaflet check`` reports, and the report says what could not be
carried over.
"""

from __future__ import annotations

import multiprocessing
import re
import signal
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from leaflet import langs
from leaflet.errors import Collector, LeafletError, Problem
from leaflet.library import SLUG_RE, Library

from leaflet.source import emit
from . import structure
from .draft import Draft

READERS = {".docx": "docx:read", ".odt": "docx:read_converted", ".doc": "docx:read_converted",
           ".html": "html:read", ".htm": "html:read", ".xhtml": "html:read", ".txt": "txt:read"}
DEFAULT_LANGUAGE = "en-GB"
FILE_SECONDS = 180.0  # one file's reading and conversion; LibreOffice has less (docx.py)
PLACEHOLDER_DATE = re.compile(r"^\d{4}-(?:\d{2}|MM)-DD$|^YYYY-MM-DD$")
WHAT = {"title": "the leaflet's title", "organisation": "the organisation's name",
        "published": "the date it was published", "review": "the date it must be reviewed by"}


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote, and what it could not carry over or needs a person for."""

    written: tuple[Path, ...]
    images: tuple[Path, ...]
    problems: tuple[Problem, ...]


def import_files(library: Library, paths: list[Path], slug: str | None = None,
                 language: str | None = None, seconds: float = FILE_SECONDS) -> ImportReport:
    """Import each file as a new leaflet; nothing is written if any cannot be.  Each
    file is read in a process of its own, stopped after ``seconds``."""
    if not paths:
        raise LeafletError("", None, "name a file to import (.docx, .odt, .html or .txt)")
    if slug is not None and len(paths) > 1:
        raise LeafletError("", None, "--slug names one leaflet: import one file at a time "
                           "when you choose its name")
    if slug is not None and not SLUG_RE.match(slug):
        raise LeafletError(slug, None, "a leaflet name uses lower-case letters, digits and "
                           "hyphens, such as ct-scan")
    if language is not None:
        try:
            language = langs.normalise(language)
        except ValueError:
            raise LeafletError("", None, f"--language {language}: not a language tag "
                               "(for example en-GB, pl, ar)") from None
    planned = [prepare_within(seconds, library, path, slug, language) for path in paths]
    refuse_clashes(library, planned)
    written, images, problems = [], [], []
    for plan in planned:
        saved = write(library, plan)
        written.append(saved[0])
        images.extend(saved[1])
        problems.extend(sorted(plan.draft.problems, key=lambda p: p.line or 0))
        problems.extend(placeholder_problems(library, plan))
        problems.extend(validate(library, plan))
    return ImportReport(written=tuple(written), images=tuple(images), problems=tuple(problems))


@dataclass
class _Plan:
    draft: Draft
    slug: str
    text: str


def read_draft(path: Path, rel: str, region: str) -> Draft:
    from importlib import import_module

    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise LeafletError(rel, None, f"cannot import '{path.suffix or path.name}' files "
                           "(import .docx, .odt, .html or .txt)")
    module, function = reader.split(":")
    return getattr(import_module(f"{__name__}.{module}"), function)(path, rel, region)


def prepare_within(seconds: float, library: Library, path: Path, slug: str | None,
                   language: str | None) -> _Plan:
    """``prepare`` in a child process stopped after ``seconds``: a file built to take
    hours or all the memory stops one import, not the machine."""
    from concurrent.futures import TimeoutError

    from pebble import ProcessExpired, concurrent

    if "fork" not in multiprocessing.get_all_start_methods():
        return prepare(library, path, slug, language)
    task = concurrent.process(timeout=seconds, context=multiprocessing.get_context("fork"))(
        _prepare_in_child)
    rel = path.as_posix()
    try:
        outcome = task(library, path, slug, language).result()
    except TimeoutError:
        raise LeafletError(rel, None, f"reading this file took over {seconds:g} s and was "
                           "stopped: is it very large, or not a leaflet?") from None
    except ProcessExpired as exc:
        raise LeafletError(rel, None, "reading this file stopped the reader (exit status "
                           f"{exc.exitcode}; out of memory?): is it very large?") from None
    if isinstance(outcome, _Plan):
        return outcome
    raise LeafletError(problems=outcome)


def _prepare_in_child(library: Library, path: Path, slug: str | None,
                      language: str | None) -> _Plan | list[Problem]:
    # Stopped with SIGTERM on time-out: exit through 'finally' blocks, which stop the
    # programs a reader started (LibreOffice).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        return prepare(library, path, slug, language)
    except LeafletError as exc:  # its problems cross the process boundary as they are
        return list(exc.problems)


def prepare(library: Library, path: Path, slug: str | None, language: str | None) -> _Plan:
    rel = path.as_posix()
    if not path.is_file():
        raise LeafletError(rel, None, "file not found")
    region = region_of(language or DEFAULT_LANGUAGE)
    draft = read_draft(path, rel, region)
    fields = settle_language(draft, language)
    region = region_of(str(fields["language"]))
    structure.finish(draft, region)
    if not draft.blocks:
        raise LeafletError(rel, None, "there is no leaflet text in this file to import")
    if region != "GB":
        draft.fields["region"] = region
    for key in ("title", "organisation"):
        if not draft.fields.get(key):
            draft.fields[key] = ""
            draft.notes[key] = f"not found in the document: write {WHAT[key]}"
    for key in ("published", "review"):
        if key not in draft.fields:
            draft.fields[key] = "YYYY-MM-DD"
            draft.notes[key] = f"not found in the document: write {WHAT[key]} as YYYY-MM-DD"
    online = str(draft.fields.get("online", ""))
    if online and not online.startswith(("https://", "http://")):
        draft.warn(None, f"the web address '{online}' was left out: it does not start https://")
        del draft.fields["online"]
    chosen = slug or slug_for(str(draft.fields.get("title", ""))) or slug_for(path.stem) or \
        "imported-leaflet"
    comment = (f"Imported from {path.name} by 'leaflet import'.\n"
               "Check it against the original, fill in what the notes below ask for,\n"
               f"then run 'leaflet check {chosen}'.")
    if draft.struck:
        comment += "\nStruck-through (deleted) text in the original, left out of the leaflet:"
        comment += "".join(f"\n- {' '.join(words.split())}" for words in draft.struck)
    text = emit.document(draft.fields, draft.blocks, comment, draft.notes)
    return _Plan(draft=draft, slug=chosen, text=text)


def settle_language(draft: Draft, language: str | None) -> dict:
    """The leaflet's language: as asked, else as the document says, else English (UK),
    said so in the report."""
    if language:
        draft.fields["language"] = language
        return draft.fields
    found = str(draft.fields.get("language", ""))
    try:
        draft.fields["language"] = langs.normalise(found) if found else ""
    except ValueError:
        draft.warn(None, f"the document's language '{found}' is not a language tag")
        draft.fields["language"] = ""
    if not draft.fields["language"] and draft.proofing_language:
        # Word's spelling language names a language, and its country is most often
        # only the template's (en-US): the language is kept, the country is not.
        primary = draft.proofing_language.replace("_", "-").split("-")[0].lower()
        chosen = DEFAULT_LANGUAGE if primary == DEFAULT_LANGUAGE.split("-")[0] else primary
        try:
            draft.fields["language"] = langs.normalise(chosen)
            draft.warn(None, f"the language {draft.fields['language']} was taken from the Word "
                       f"file's spelling language ({draft.proofing_language}): pass --language "
                       "to choose another")
        except ValueError:
            pass
    if not draft.fields["language"]:
        draft.fields["language"] = DEFAULT_LANGUAGE
        draft.warn(None, f"the document does not say its language: {DEFAULT_LANGUAGE} was "
                   "assumed (pass --language to choose)")
    return draft.fields


def region_of(language: str) -> str:
    """The country phone numbers are read in: the language's, when it names one (en-IE),
    else GB."""
    parts = language.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 2 and part.upper() in phonenumbers.SUPPORTED_REGIONS:
            return part.upper()
    return "GB"


def slug_for(words: str) -> str:
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")
    while len(slug) > 60 and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug if SLUG_RE.match(slug) else ""


def refuse_clashes(library: Library, planned: list[_Plan]) -> None:
    problems = Collector()
    seen: set[str] = set()
    for plan in planned:
        folder = library.folder(plan.slug)
        target = library.source_file(plan.slug)
        if folder.is_symlink():
            problems.error(library.rel(folder), None, "is a link to another folder: import "
                           "writes only inside the library (remove the link or choose another "
                           "name with --slug)")
        elif target.exists() or (folder.exists() and any(folder.iterdir())):
            problems.error(library.rel(target), None, "already exists; it was not changed "
                           "(import never overwrites: choose another name with --slug)")
        elif plan.slug in seen:
            problems.error(plan.draft.path, None, f"another file imports as '{plan.slug}' too: "
                           "import them one at a time with --slug")
        seen.add(plan.slug)
    problems.raise_errors()


def write(library: Library, plan: _Plan) -> tuple[Path, list[Path]]:
    folder = library.folder(plan.slug)
    (folder / "images").mkdir(parents=True, exist_ok=True)
    images = []
    for src, data in sorted(plan.draft.images.items()):
        target = folder / src
        with open(target, "xb") as handle:
            handle.write(data)
        images.append(target)
    target = library.source_file(plan.slug)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(plan.text)
    except FileExistsError:
        raise LeafletError(library.rel(target), None,
                           "already exists; it was not changed") from None
    return target, images


def placeholder_problems(library: Library, plan: _Plan) -> list[Problem]:
    """A line of the new file for each detail a person must fill in."""
    rel = library.rel(library.source_file(plan.slug))
    out = []
    for number, line in enumerate(plan.text.split("\n"), start=1):
        key, _, value = line.partition(": ")
        if key in WHAT and (value in ('""', "") or PLACEHOLDER_DATE.match(value)):
            out.append(Problem(rel, number, f"fill in '{key}:' ({WHAT[key]}): "
                               f"{plan.draft.notes.get(key, 'not found in the document')}",
                               warning=True))
    return out


def validate(library: Library, plan: _Plan) -> list[Problem]:
    """What 'leaflet check' will say of the new file once its details are filled in."""
    from leaflet import source

    stand_in = {"title": "Title", "organisation": "Organisation"}
    lines = []
    for line in plan.text.split("\n"):
        key, _, value = line.partition(": ")
        if key in WHAT and (value in ('""', "") or PLACEHOLDER_DATE.match(value)):
            value = stand_in.get(key) or ("2000-01-01" if key == "published" else "2100-01-01")
            line = f"{key}: {value}"
        lines.append(line)
    target = library.source_file(plan.slug)
    problems = Collector()
    try:
        source.parse_text("\n".join(lines), library.rel(target), target.parent, plan.slug,
                          problems=problems)
    except LeafletError as exc:
        return list(exc.problems)
    return problems.warnings
