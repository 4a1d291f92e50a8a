"""Lint: what `leaflet check` reports about a library and its leaflets beyond what parsing
refuses: the theme and its templates, review dates, and the easy read rules."""

from __future__ import annotations

import datetime as dt

from .. import theme
from ..errors import Collector, LeafletError, Problem
from ..library import Library, read_leaflet
from ..source import read_text
from . import easy_read, pictures
from .review import is_overdue, review_problems

__all__ = ["check_leaflet", "check_library", "easy_read", "is_overdue", "pictures",
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
    """Problems of the library as a whole, before any leaflet: links out of it, its theme."""
    links = library.outside_links()
    try:
        loaded = theme.load(library.theme, library.root)
    except LeafletError as exc:
        return links + list(exc.problems)
    return links + theme.template_problems(loaded, library.root)
