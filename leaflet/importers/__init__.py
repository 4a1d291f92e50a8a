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

from leaflet import langs
from leaflet.errors import Collector, LeafletError, Problem
from leaflet.library import SLUG_RE, Library
from leaflet.source import emit
from leaflet.source import phones as source_phones
from . import account, structure
from .account import Account
from .draft import Draft

READERS = {".docx": "docx:read", ".odt": "docx:read_converted", ".doc": "docx:read_converted",
           ".html": "html:read", ".htm": "html:read", ".xhtml": "html:read", ".txt": "txt:read"}
DEFAULT_LANGUAGE = "en-GB"
FILE_SECONDS = 180.0  # one file's reading and conversion; LibreOffice has less (docx.py)
REPORT_FILE = "import-report.md"
PLACEHOLDER_DATE = re.compile(r"^\d{4}-(?:\d{2}|MM)-DD$|^YYYY-MM-DD$")
WHAT = {"title": "the leaflet's title", "organisation": "the organisation's name",
        "published": "the date it was published", "review": "the date it must be reviewed by"}


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote, and what it could not carry over or needs a person for."""

    written: tuple[Path, ...]
    images: tuple[Path, ...]
    problems: tuple[Problem, ...]
    accounts: tuple[Account, ...] = ()  # where each file's words went, in file order
    reports: tuple[Path, ...] = ()  # each leaflet's import-report.md


def import_files(library: Library, paths: list[Path], slug: str | None = None,
                 language: str | None = None, seconds: float = FILE_SECONDS,
                 free_slug: bool = False) -> ImportReport:
    """Import each file as a new leaflet; nothing is written if any cannot be.  Each
    file is read in a process of its own, stopped after ``seconds``.  ``free_slug``
    names a leaflet whose title's name is taken after its file, or numbers it."""
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
    planned = [prepare_within(seconds, library, path, slug, language, free_slug)
               for path in paths]
    refuse_clashes(library, planned)
    written, images, problems, accounts, reports = [], [], [], [], []
    for plan in planned:
        saved = write(library, plan)
        written.append(saved[0])
        images.extend(saved[1])
        found = sorted(plan.draft.problems, key=lambda p: p.line or 0)
        found += placeholder_problems(library, plan) + validate(library, plan)
        problems.extend(found)
        counted = Account(**{**plan.account.__dict__, "problems": len(found)})
        accounts.append(counted)
        reports.append(write_report(library, plan, counted, found))
    return ImportReport(written=tuple(written), images=tuple(images), problems=tuple(problems),
                        accounts=tuple(accounts), reports=tuple(reports))


# What `leaflet import FOLDER` looks for: Word files and saved web pages.
BATCH_SUFFIXES = (".docx", ".odt", ".doc", ".html", ".htm", ".xhtml")
SOURCE_MARK = re.compile(r"^<!-- source sha256: ([0-9a-f]{64}) -->$", re.M)


@dataclass(frozen=True)
class BatchRow:
    """One file of a batch import: what became of it."""

    file: str
    slug: str = ""
    kept: int = 0
    listed: int = 0
    problems: int = 0
    outcome: str = "imported"  # imported, skipped (imported before) or refused
    errors: tuple[Problem, ...] = ()
    report: ImportReport | None = None


def files_to_import(paths: list[Path]) -> list[Path]:
    """The files named, and every Word file and web page under each folder named (not in
    hidden folders, nor Word's "~$" lock files), in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in BATCH_SUFFIXES
                and not p.name.startswith(("~$", ".")) and
                not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])))
        else:
            found.append(path)
    return found


def imported_before(library: Library) -> dict[str, str]:
    """The sources the library's leaflets were imported from, by their SHA-256: the
    slug each became."""
    known: dict[str, str] = {}
    if library.sources.is_dir():
        for report in sorted(library.sources.glob(f"*/{REPORT_FILE}")):
            try:
                text = report.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            for match in SOURCE_MARK.finditer(text):
                known.setdefault(match.group(1), report.parent.name)
    return known


def file_digest(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_library(library: Library, paths: list[Path], language: str | None = None,
                   seconds: float = FILE_SECONDS, each=None) -> list[BatchRow]:
    """Import many files, each on its own: one that cannot be imported is refused with
    its problems and the others still are; a file imported before (the same bytes) is
    skipped.  ``each(path)`` is called before each file (a progress bar)."""
    files = files_to_import(paths)
    if not files:
        raise LeafletError("", None, "no Word files or web pages to import were found "
                           f"(looked for {', '.join(BATCH_SUFFIXES)})")
    known = imported_before(library)
    rows: list[BatchRow] = []
    for path in files:
        if each is not None:
            each(path)
        rel = path.as_posix()
        try:
            digest = file_digest(path)
        except OSError as exc:
            rows.append(BatchRow(rel, outcome="refused", errors=(
                Problem(rel, None, f"cannot be read ({exc.strerror})"),)))
            continue
        if digest in known:
            rows.append(BatchRow(rel, slug=known[digest], outcome="skipped"))
            continue
        try:
            report = import_files(library, [path], language=language, seconds=seconds,
                                  free_slug=True)
        except LeafletError as exc:
            rows.append(BatchRow(rel, outcome="refused", errors=tuple(exc.problems)))
            continue
        counted = report.accounts[0]
        known[digest] = counted.slug
        rows.append(BatchRow(rel, slug=counted.slug, kept=counted.kept, listed=counted.listed,
                             problems=counted.problems, report=report))
    return rows


@dataclass
class _Plan:
    draft: Draft
    slug: str
    text: str
    account: Account | None = None


def read_draft(path: Path, rel: str, region: str) -> Draft:
    from importlib import import_module

    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise LeafletError(rel, None, f"cannot import '{path.suffix or path.name}' files "
                           "(import .docx, .odt, .html or .txt)")
    module, function = reader.split(":")
    return getattr(import_module(f"{__name__}.{module}"), function)(path, rel, region)


def prepare_within(seconds: float, library: Library, path: Path, slug: str | None,
                   language: str | None, free_slug: bool = False) -> _Plan:
    """``prepare`` in a child process stopped after ``seconds``: a file built to take
    hours or all the memory stops one import, not the machine."""
    from concurrent.futures import TimeoutError

    from pebble import ProcessExpired, concurrent

    if "fork" not in multiprocessing.get_all_start_methods():
        return prepare(library, path, slug, language, free_slug)
    task = concurrent.process(timeout=seconds, context=multiprocessing.get_context("fork"))(
        _prepare_in_child)
    rel = path.as_posix()
    try:
        outcome = task(library, path, slug, language, free_slug).result()
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
                      language: str | None, free_slug: bool = False) -> _Plan | list[Problem]:
    # Stopped with SIGTERM on time-out: exit through 'finally' blocks, which stop the
    # programs a reader started (LibreOffice).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        return prepare(library, path, slug, language, free_slug)
    except LeafletError as exc:  # its problems cross the process boundary as they are
        return list(exc.problems)


def prepare(library: Library, path: Path, slug: str | None, language: str | None,
            free_slug: bool = False) -> _Plan:
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
    if free_slug and not slug:
        chosen = free_name(library, [chosen, slug_for(path.stem) or chosen])
    comment = (f"Imported from {path.name} by 'leaflet import'.\n"
               "Check it against the original, fill in what the notes below ask for,\n"
               f"then run 'leaflet check {chosen}'.")
    if draft.struck:
        comment += "\nStruck-through (deleted) text in the original, left out of the leaflet:"
        comment += "".join(f"\n- {' '.join(words.split())}" for words in draft.struck)
    text = emit.document(draft.fields, draft.blocks, comment, draft.notes)
    return _Plan(draft=draft, slug=chosen, text=text, account=account_of(draft, rel, chosen))


def account_of(draft: Draft, rel: str, slug: str) -> Account:
    """Where the words of the original went: the leaflet (with the words its structure
    stands for), the front matter, or the list of what was left out."""
    return Account(file=rel, slug=slug, original=account.count_all(draft.original),
                   leaflet=account.block_words(draft.blocks) +
                   account.count_all(draft.structure),
                   front_matter=account.count_all(words for _, words in draft.front),
                   listed=account.count_all(t for item in draft.left_out for t in item.texts),
                   structure=account.count_all(draft.structure))


def write_report(library: Library, plan: _Plan, counted: Account,
                 problems: list[Problem]) -> Path:
    """``import-report.md`` beside the new leaflet: where every word went, every word
    left out with where it was and why, and what a person must check."""
    draft = plan.draft

    def cell(words: str) -> str:
        return " ".join(str(words).split()).replace("|", "\\|") or " "

    lines = [f"# Import report: {plan.slug}", "",
             f"<!-- source sha256: {file_digest(Path(counted.file))} -->", "",
             f"Imported from `{Path(counted.file).name}` by 'leaflet import' into "
             f"`{library.rel(library.source_file(plan.slug))}`.", ""]
    title = draft.fields.get("title") or ""
    lines += [f"The title, '{title}', was taken {draft.notes.get('title', 'as written')}."
              if title else f"No title was found: {draft.notes.get('title', '')}.", ""]
    lines += ["## Every word of the original", "",
              "| where the words went | words |", "| --- | ---: |",
              f"| in the original | {counted.original} |",
              f"| into the leaflet | {counted.leaflet} |",
              f"| (of which the leaflet's structure stands for: column headings, labels) "
              f"| {counted.structure} |",
              f"| into the front matter | {counted.front_matter} |",
              f"| left out, listed below | {counted.listed} |", ""]
    missing = counted.original - counted.kept - counted.listed
    if missing:
        lines += [f"**{abs(missing)} words are not accounted for** ("
                  f"{'fewer' if missing > 0 else 'more'} found than the original holds): "
                  "compare the leaflet with the original, and report this.", ""]
    if draft.front:
        lines += ["## Read into the front matter", "", "| field | the original's words |",
                  "| --- | --- |"]
        lines += [f"| {key} | {cell(words)} |" for key, words in draft.front]
        lines.append("")
    lines += ["## Left out", ""]
    if draft.left_out:
        lines += ["| where in the original | why | words |", "| --- | --- | --- |"]
        lines += [f"| {cell(item.where)} | {cell(item.why)} | {cell(item.words)} |"
                  for item in draft.left_out]
    else:
        lines.append("Nothing: every word is in the leaflet or its front matter.")
    lines.append("")
    if problems:
        lines += ["## To check", ""]
        lines += [f"- {' '.join(str(p).split())}" for p in problems]
        lines.append("")
    target = library.folder(plan.slug) / REPORT_FILE
    with open(target, "x", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines))
    return target


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
            said = langs.normalise(draft.proofing_language.replace("_", "-"))
            if said == draft.fields["language"]:
                draft.warn(None, f"the language {said} was taken from the Word file's "
                           "spelling language: pass --language to choose another")
            else:
                draft.warn(None, f"the Word file's spelling language is {said}; its language, "
                           f"not its country (most often only the template's), was kept: "
                           f"{draft.fields['language']} was chosen (pass --language {said} "
                           "if the leaflet is written for that country)")
        except ValueError:
            pass
    if not draft.fields["language"]:
        draft.fields["language"] = DEFAULT_LANGUAGE
        draft.warn(None, f"the document does not say its language: {DEFAULT_LANGUAGE} was "
                   "assumed (pass --language to choose)")
    return draft.fields


def free_name(library: Library, names: list[str]) -> str:
    """The first of ``names`` no leaflet has, else the first numbered: ct-scan-2."""
    def free(name: str) -> bool:
        folder = library.folder(name)
        return not folder.is_symlink() and not (folder.exists() and any(folder.iterdir()))

    for name in names:
        if free(name):
            return name
    number = 2
    while not free(f"{names[0][:56]}-{number}"):
        number += 1
    return f"{names[0][:56]}-{number}"


def region_of(language: str) -> str:
    """The country phone numbers are read in: the language's, when it names one (en-IE),
    else GB."""
    parts = language.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 2 and source_phones.is_region(part):
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
