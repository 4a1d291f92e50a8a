"""Template text a new leaflet still holds: the words ``leaflet new`` writes for its
author to replace, each a warning with its line (an error with ``--strict``)."""

from __future__ import annotations

from ..errors import Problem
from ..library import TEMPLATE_PLACEHOLDERS


def problems(rel: str, text: str) -> list[Problem]:
    """A warning for each line of a source that still holds a placeholder of the
    new-leaflet template."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        for placeholder in TEMPLATE_PLACEHOLDERS:
            if placeholder in line:
                found.append(Problem(rel, number, f'"{placeholder}" is placeholder text from '
                                     "the new-leaflet template: replace it with this "
                                     "leaflet's own", warning=True))
    return found
