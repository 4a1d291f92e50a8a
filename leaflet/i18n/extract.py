"""Extraction: each leaflet edition's messages written as a POT for translators."""

from __future__ import annotations

from pathlib import Path

import polib

from ..library import Library, read_leaflet
from ..model import Leaflet
from .catalogs import new_pofile, save_if_changed
from .messages import messages

TEMPLATES = "templates"


def template_path(library: Library, slug: str, edition: str = "standard") -> Path:
    """``locales/templates/<slug>[.easy-read].pot``."""
    suffix = ".easy-read.pot" if edition == "easy-read" else ".pot"
    return library.locales / TEMPLATES / f"{slug}{suffix}"


def template(leaflet: Leaflet) -> polib.POFile:
    """The POT of one edition of a leaflet."""
    meta = leaflet.meta
    edition = " (easy read)" if leaflet.edition == "easy-read" else ""
    po = new_pofile(
        f"Messages of the leaflet \"{meta.title}\"{edition}, {meta.organisation}.\n"
        "Translate each msgstr; keep phone numbers, e-mail and web addresses exactly as they\n"
        "are, and keep **bold** and [link](targets) as in the msgid.\n"
        "Made by 'leaflet extract' from the leaflet source: do not edit by hand.")
    po.metadata["Project-Id-Version"] = " ".join(
        p for p in (leaflet.slug + (".easy-read" if leaflet.edition == "easy-read" else ""),
                    meta.code, f"version {meta.version}" if meta.version else "") if p)
    po.metadata["Language"] = ""
    po.metadata["X-Source-Language"] = meta.language
    for message in messages(leaflet):
        po.append(polib.POEntry(msgctxt=message.context or None, msgid=message.msgid, msgstr="",
                                occurrences=message.occurrences,
                                comment="\n".join(message.notes)))
    return po


def extract(library: Library, slugs: list[str] | None = None) -> list[tuple[str, bool, int]]:
    """Write ``locales/templates/<slug>[.easy-read].pot``; (path, written, messages) each."""
    results = []
    for slug in slugs or library.slugs():
        for edition in library.editions(slug):
            pot = template(read_leaflet(library, slug, edition))
            path = template_path(library, slug, edition)
            results.append((library.rel(path), save_if_changed(pot, path), len(pot)))
    return results

