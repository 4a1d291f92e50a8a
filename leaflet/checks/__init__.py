"""Lint: what `leaflet check` reports about a library and its leaflets beyond what parsing
refuses: every library file a build reads, review dates, the easy read rules and plain
English."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import approvals, lexicon, settings, theme, voice
from ..errors import Collector, LeafletError, Problem
from ..i18n.amounts import units_problems
from ..i18n.signoff import reviews_problems
from ..i18n.translate import translate
from ..library import Library, read_leaflet
from ..model import Leaflet
from ..source import read_text
from . import easy_read, pictures, placeholders, plain, sections
from .review import is_overdue, review_problems

__all__ = ["check_leaflet", "check_library", "easy_read", "is_overdue",
           "library_file_problems", "pictures", "plain", "plain_english", "plain_report",
           "review_problems"]


def check_leaflet(library: Library, slug: str, today: dt.date | None = None) -> list[Problem]:
    """Every problem in one leaflet's sources, errors and warnings together."""
    problems: list[Problem] = []

    def add(found) -> None:
        # the easy read edition reads leaflet.md's front matter too: one problem, one message
        problems.extend(p for p in found if p not in problems)

    for edition in library.editions(slug):
        collector = Collector()
        try:
            leaflet = read_leaflet(library, slug, edition, collector)
        except LeafletError as exc:
            add(exc.problems)
            add(collector.warnings)
            continue
        add(collector.warnings)
        add(review_problems(leaflet, today))
        add(pictures.problems(leaflet))
        add(sections.problems(leaflet))
        source_path = library.source_file(slug, edition)
        add(placeholders.problems(leaflet.path, read_text(source_path, leaflet.path)))
        if edition == "standard" and not leaflet.meta.requests:
            add([Problem(leaflet.meta.path, 1, NO_REQUESTS, warning=True)])
        if edition == "standard":
            add(plain_english(library, leaflet))
            add(approvals.problems(library, slug))
        if edition == "easy-read":
            path = library.source_file(slug, edition)
            add(easy_read.check(leaflet, read_text(path, library.rel(path))))
    return problems


def plain_english(library: Library, leaflet: Leaflet) -> list[Problem]:
    """The plain-English warnings of a leaflet's source, then the reading age of each of its
    translations in a language the readability formulas know."""
    try:
        word_lists = plain.lists(library.theme, library.root)
        target = settings.load(library.root).reading_age
    except LeafletError:
        return []  # the library's files are reported on their own
    path = library.source_file(leaflet.slug, leaflet.edition)
    found = plain.check(leaflet, read_text(path, library.rel(path)), target, word_lists)
    for lang in library.languages(leaflet.slug, leaflet.meta.language):
        if lang == leaflet.meta.language or not plain.measurable(lang):
            continue
        try:
            translated = translate(library, leaflet, lang).leaflet
        except LeafletError:
            continue  # the translation's own check says why
        analysis = plain.analyse(translated, "", target, word_lists)
        if analysis.age is not None and analysis.age > target:
            found.append(Problem(leaflet.path, 1, f"in {lang}, the leaflet reads at age "
                                 f"{analysis.age:.0f} ({plain.measures_text(analysis.measures)}); "
                                 f"the library's target is {target}", warning=True))
    return found


def plain_report(library: Library, slug: str,
                 folder: Path | None = None) -> tuple[str, Path | None]:
    """The one-line plain-English measure of a leaflet (reading age, passive sentences) and,
    given a folder, its report page written there ("" and None when it cannot be read)."""
    try:
        leaflet = read_leaflet(library, slug)
        word_lists = plain.lists(library.theme, library.root)
        target = settings.load(library.root).reading_age
    except LeafletError:
        return "", None  # check_leaflet and check_library say why
    path = library.source_file(slug)
    analysis = plain.analyse(leaflet, read_text(path, library.rel(path)), target, word_lists)
    page = None
    if folder is not None:
        from . import report
        page = report.write(analysis, Path(folder) / f"{slug}.plain-english.html")
    return plain.summary(analysis), page


NO_REQUESTS = ("the front matter has no 'requests:', so the 'also available' panel cannot "
               "tell a patient how to ask for another language or format: add one, for "
               "example requests: Ask the ward staff, or phone 0113 496 0000")


def check_library(library: Library) -> list[Problem]:
    """Problems of the library as a whole, before any leaflet: links out of it, and every
    library file a build reads (each against its field table), all at once."""
    return library.outside_links() + library_file_problems(library)


def library_file_problems(library: Library) -> list[Problem]:
    """Everything a build would refuse in the library's files, warnings too: leaflet.yaml,
    theme/theme.yaml and its templates, theme/voice.yaml, theme/lexicon.yaml, each
    language's reviews.yaml, and the tool's own units table."""
    root = library.root
    found = [*settings.problems(root), *theme.problems(library.theme, root),
             *voice.problems(library.theme, root), *lexicon.problems(library.theme, root),
             *plain.problems(library.theme, root)]
    if library.locales.is_dir():
        for folder in sorted(library.locales.iterdir()):
            if folder.is_dir() and folder.resolve() == library.locales.resolve() / folder.name:
                found.extend(reviews_problems(library, folder.name))
    return found + units_problems()
