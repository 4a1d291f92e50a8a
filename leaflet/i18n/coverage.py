"""Coverage: how much of each catalog is translated, and whether it is signed off, as
``leaflet stats`` shows it."""

from __future__ import annotations

from dataclasses import dataclass

from .. import langs
from ..errors import LeafletError, Problem
from ..library import Library, read_leaflet
from ..model import Leaflet
from .catalogs import check_catalog, read_catalog
from .signoff import reviewer, signed_off


@dataclass(frozen=True)
class Coverage:
    """How much of one catalog a build can use, counted against the current source."""

    slug: str
    edition: str
    lang: str
    catalog: str
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int = 0
    warnings: int = 0
    errors: int = 0
    draft: bool = True
    signed_by: str = ""
    signed_on: str = ""

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> int:
        return int(100 * self.translated / self.total) if self.total else 100


def coverage(library: Library, slug: str, lang: str, edition: str = "standard",
             leaflet: Leaflet | None = None) -> Coverage:
    """One catalog counted against the current source (``leaflet``, when already read)."""
    leaflet = leaflet or read_leaflet(library, slug, edition)
    path = library.catalog(lang, slug, edition)
    catalog = read_catalog(path, library.rel(path))
    result = check_catalog(catalog, leaflet)
    record = signed_off(library, catalog, leaflet)
    return Coverage(slug=slug, edition=edition, lang=lang, catalog=catalog.rel,
                    translated=len(result.translated), fuzzy=len(result.fuzzy),
                    untranslated=len(result.untranslated) + len(result.missing),
                    obsolete=sum(1 for e in catalog.po if e.obsolete),
                    warnings=len(result.warnings), errors=len(result.errors),
                    draft=bool(result.fallback_count) or record is None,
                    signed_by=reviewer(record) if record else "",
                    signed_on=str(record.get("date", ""))[:10] if record else "")


def stats(library: Library, slugs: list[str] | None = None,
          lang_filter: tuple[str, ...] = ()) -> list[Coverage]:
    """Coverage of every catalog of the leaflets, by leaflet, edition and language."""
    lang_filter = tuple(langs.check(lang) for lang in lang_filter)
    rows = []
    for slug in slugs or library.slugs():
        for edition in library.editions(slug):
            leaflet = read_leaflet(library, slug, edition)
            for lang in library.catalog_languages(slug, edition):
                if not langs.is_tag(lang) or (lang_filter and lang not in lang_filter):
                    continue
                rows.append(coverage(library, slug, lang, edition, leaflet))
    return rows



def misnamed_folders(library: Library) -> dict[str, str]:
    """Folders of locales/ named by a language the way gettext names them (``pt_BR``,
    ``PL``), which the tool does not read: folder -> the name to use (``pt-BR``)."""
    found = {}
    if library.locales.is_dir():
        for folder in sorted(library.locales.iterdir()):
            if not folder.is_dir() or langs.is_tag(folder.name):
                continue
            try:
                found[folder.name] = langs.check(folder.name)
            except LeafletError:
                continue  # "templates", "backup": not a language
    return found


def folder_problems(library: Library) -> list[Problem]:
    """Each misnamed language folder, as an error saying what to rename it to."""
    return [Problem(library.rel(library.locales / name), None,
                    f"this folder is not read: a language's folder is named by its tag, so "
                    f"rename it to {library.rel(library.locales / tag)}")
            for name, tag in misnamed_folders(library).items()]
