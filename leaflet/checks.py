"""Lint: what `leaflet check` reports about a leaflet beyond what parsing refuses."""

from __future__ import annotations

import datetime as dt

from . import easyread
from .errors import Collector, LeafletError, Problem
from .library import Library, read_leaflet
from .model import Leaflet
from .source import read_text


def check_leaflet(library: Library, slug: str, today: dt.date | None = None) -> list[Problem]:
    """Every problem in one leaflet's sources, errors and warnings together."""

    problems: list[Problem] = []
    editions = ["standard"] + (["easy-read"] if library.has_easy_read(slug) else [])
    for edition in editions:
        collector = Collector()
        try:
            leaflet = read_leaflet(library, slug, edition, collector)
        except LeafletError as exc:
            problems.extend(exc.problems)
            problems.extend(p for p in collector.warnings if p not in exc.problems)
            continue
        problems.extend(collector.warnings)
        problems.extend(review_problems(leaflet, today))
        if edition == "easy-read":
            path = library.source_file(slug, edition)
            problems.extend(easyread.check(leaflet, read_text(path, library.rel(path))))
    return problems


def check_library(library: Library) -> list[Problem]:
    """Problems of the library as a whole, before any leaflet: its theme."""
    from formats import theme

    try:
        loaded = theme.load(library.theme, library.root)
    except LeafletError as exc:
        return list(exc.problems)
    return theme.template_problems(loaded, library.root)


def review_problems(leaflet: Leaflet, today: dt.date | None = None) -> list[Problem]:
    today = today or dt.date.today()
    meta = leaflet.meta
    if meta.review < today:
        return [Problem(meta.path, meta.field_lines.get("review", 1),
                        f"the review date {meta.review.isoformat()} has passed: "
                        "review the leaflet and set a new date", warning=True)]
    return []
