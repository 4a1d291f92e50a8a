"""Review dates: a leaflet past its review date is still built, with a warning."""

from __future__ import annotations

import datetime as dt

from ..errors import Problem
from ..model import Leaflet


def review_problems(leaflet: Leaflet, today: dt.date | None = None) -> list[Problem]:
    """A warning when the leaflet's review date has passed."""
    if is_overdue(leaflet, today):
        meta = leaflet.meta
        return [Problem(meta.path, meta.field_lines.get("review", 1),
                        f"the review date {meta.review.isoformat()} has passed: "
                        "review the leaflet and set a new date", warning=True)]
    return []


def is_overdue(leaflet: Leaflet, today: dt.date | None = None) -> bool:
    """Whether the leaflet's review date is before ``today``: what ``check`` warns of and
    ``list`` marks OVERDUE."""
    return leaflet.meta.review < (today or dt.date.today())
