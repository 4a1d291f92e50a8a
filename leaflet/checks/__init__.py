"""Lint: what `leaflet check` reports about a library and its leaflets beyond what parsing
refuses: every library file a build reads, review dates, and the easy read rules."""

from __future__ import annotations

import datetime as dt

from .. import lexicon, settings, theme, voice
from ..errors import Collector, LeafletError, Problem
from ..i18n.amounts import units_problems
from ..i18n.signoff import reviews_problems
from ..library import Library, read_leaflet
from ..source import read_text
from . import easy_read, pictures
from .review import is_overdue, review_problems

__all__ = ["check_leaflet", "check_library", "easy_read", "is_overdue",
           "library_file_problems", "pictures", "review_problems"]


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
        if edition == "standard" and not leaflet.meta.requests:
            add([Problem(leaflet.meta.path, 1, NO_REQUESTS, warning=True)])
        if edition == "easy-read":
            path = library.source_file(slug, edition)
            add(easy_read.check(leaflet, read_text(path, library.rel(path))))
    return problems


NO_REQUESTS = ("the front matter has no 'requests:', so the 'also available' panel cannot "
               "tell a patient how to ask for another language or format: add one, for "
               "example requests: Ask the ward staff, or phone 0191 445 2180")


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
             *voice.problems(library.theme, root), *lexicon.problems(library.theme, root)]
    if library.locales.is_dir():
        for folder in sorted(library.locales.iterdir()):
            if folder.is_dir() and folder.resolve() == library.locales.resolve() / folder.name:
                found.extend(reviews_problems(library, folder.name))
    return found + units_problems()
