"""`leaflet update -l LANG`: a language's catalogs merged from the current sources, and its
catalog of the tool's own words created or kept in step."""

from __future__ import annotations

from .. import langs
from ..errors import LeafletError
from ..library import Library, read_leaflet
from .catalogs import read_catalog, save_if_changed
from .coverage import Coverage, coverage, misnamed_folders
from .extract import template, template_path
from .merge import merge
from .ui_words import update_ui


def update(library: Library, lang: str, slugs: list[str] | None = None,
           editions: tuple[str, ...] = ()) -> list[Coverage]:
    """Create or merge ``locales/<lang>/<slug>[.easy-read].po`` from the current source (the
    POTs are written on the way).  An easy read catalog is created only when asked for with
    ``editions``; an existing one is always merged."""
    lang = langs.check(lang)
    for name, tag in misnamed_folders(library).items():
        if tag == lang and not (library.locales / lang).is_dir():
            # a second, empty folder beside the translator's would hide their work
            raise LeafletError(library.rel(library.locales / name), None,
                               f"the {lang} catalogs are in a folder the tool does not read: "
                               f"rename it to {library.rel(library.locales / lang)}")
    results = []
    for slug in slugs or library.slugs():
        for edition in library.editions(slug):
            path = library.catalog(lang, slug, edition)
            if editions and edition not in editions:
                continue
            if not editions and edition == "easy-read" and not path.is_file():
                continue
            leaflet = read_leaflet(library, slug, edition)
            if lang == leaflet.meta.language:
                raise LeafletError(library.rel(library.source_file(slug, edition)), None,
                                   f"the leaflet is written in {lang}; there is nothing to "
                                   "translate into it")
            pot = template(leaflet)
            save_if_changed(pot, template_path(library, slug, edition))
            old = read_catalog(path, library.rel(path)).po if path.is_file() else None
            save_if_changed(merge(old, pot, lang), path, revised=True)
            results.append(coverage(library, slug, lang, edition, leaflet))
    if editions and "easy-read" in editions and not results:
        raise LeafletError("", None, "no leaflet here has an easy read edition (easy-read.md)")
    update_ui(library, lang)
    return results
