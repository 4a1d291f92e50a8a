"""The library on disk: where leaflets, catalogs and the theme live under a root folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import source
from .errors import Collector, LeafletError
from .model import Leaflet

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
SOURCE_DIR = "leaflet_src"
LOCALES_DIR = "locales"
THEME_DIR = "theme"
STANDARD_FILE = "leaflet.md"
EASY_READ_FILE = "easy-read.md"


@dataclass(frozen=True)
class Library:
    """A leaflet library: ``root/leaflet_src/<slug>/leaflet.md`` and ``root/locales``."""

    root: Path

    @property
    def sources(self) -> Path:
        return self.root / SOURCE_DIR

    @property
    def locales(self) -> Path:
        return self.root / LOCALES_DIR

    @property
    def theme(self) -> Path:
        return self.root / THEME_DIR

    def slugs(self) -> list[str]:
        if not self.sources.is_dir():
            return []
        return sorted(p.parent.name for p in self.sources.glob(f"*/{STANDARD_FILE}")
                      if p.is_file() and SLUG_RE.match(p.parent.name))

    def folder(self, slug: str) -> Path:
        return self.sources / slug

    def source_file(self, slug: str, edition: str = "standard") -> Path:
        name = EASY_READ_FILE if edition == "easy-read" else STANDARD_FILE
        return self.folder(slug) / name

    def has_easy_read(self, slug: str) -> bool:
        return self.source_file(slug, "easy-read").is_file()

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def resolve_leaflet(self, name: str) -> str:
        """A LEAFLET argument, a slug or a path to a leaflet folder, as a slug."""
        path = Path(name)
        if (self.root / path / STANDARD_FILE).is_file():
            path = self.root / path
        if (path / STANDARD_FILE).is_file():
            if path.resolve().parent != self.sources.resolve():
                raise LeafletError(name, None, f"the leaflet folder must be inside "
                                   f"{SOURCE_DIR}/ of the library")
            return path.resolve().name
        if (path.name == STANDARD_FILE or path.name == EASY_READ_FILE) and path.is_file():
            return path.resolve().parent.name
        if (self.sources / name / STANDARD_FILE).is_file():
            return name
        known = ", ".join(self.slugs()) or "none yet: start one with 'leaflet new SLUG'"
        raise LeafletError(name, None, f"no leaflet called '{name}' in {SOURCE_DIR}/ "
                           f"(leaflets: {known})")

    def catalog(self, lang: str, slug: str, edition: str = "standard") -> Path:
        suffix = ".easy-read.po" if edition == "easy-read" else ".po"
        return self.locales / lang / f"{slug}{suffix}"

    def catalog_languages(self, slug: str, edition: str = "standard") -> list[str]:
        """Languages with a translators' catalog for this leaflet and edition (folders
        named by a language tag: not "templates", "backup" or "PL")."""
        from .locale import is_language_folder  # locale reads catalogs through this class
        if not self.locales.is_dir():
            return []
        found = []
        for folder in sorted(self.locales.iterdir()):
            if not folder.is_dir() or not is_language_folder(folder.name):
                continue
            if self.catalog(folder.name, slug, edition).is_file():
                found.append(folder.name)
        return found


def read_leaflet(library: Library, slug: str, edition: str = "standard",
                 problems: Collector | None = None) -> Leaflet:
    """Parse one edition of a leaflet; the easy read edition takes code, version
    and dates from the standard one unless it sets its own."""
    defaults = None
    if edition == "easy-read":
        standard = source.parse_file(library.source_file(slug), library.root)
        meta = standard.meta
        defaults = {"title": meta.title, "organisation": meta.organisation,
                    "language": meta.language, "published": meta.published,
                    "review": meta.review, "code": meta.code, "version": meta.version,
                    "requests": meta.requests, "online": meta.online, "owner": meta.owner,
                    "region": meta.region}
    return source.parse_file(library.source_file(slug, edition), library.root, edition,
                             defaults, problems)
