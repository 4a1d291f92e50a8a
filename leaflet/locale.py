"""Translations: turning a leaflet into another language from its catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import LeafletError, Problem
from .library import Library
from .model import Leaflet


@dataclass(frozen=True)
class Translation:
    """A leaflet in one language, with what the catalog could not supply."""

    leaflet: Leaflet
    draft: bool = False
    fallbacks: tuple[Problem, ...] = field(default=())
    warnings: tuple[Problem, ...] = field(default=())


def translate(library: Library, leaflet: Leaflet, lang: str, strict: bool = False) -> Translation:
    if lang == leaflet.meta.language:
        return Translation(leaflet)
    raise LeafletError(library.rel(library.catalog(lang, leaflet.slug, leaflet.edition)), None,
                       "translated builds are not available in this version")


def ui_words(library: Library, lang: str) -> dict[str, str]:
    """The tool's template words in a language (empty: English)."""
    return {}
