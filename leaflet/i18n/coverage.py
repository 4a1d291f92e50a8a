"""Coverage: how much of each catalog is translated, and whether it is signed off, as
``leaflet stats`` shows it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import langs
from ..errors import LeafletError, Problem
from ..library import Library, read_leaflet
from ..model import Leaflet
from .catalogs import read_catalog
from .signoff import checked, reviewer, signed_off
from .messages import msgids


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
    # source words, as translate-toolkit's pocount counts them
    words: int = 0
    words_fuzzy: int = 0
    words_untranslated: int = 0  # untranslated or not yet in the catalog
    words_new: int = 0  # of those, in messages no earlier catalog of the language repeats

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> int:
        return int(100 * self.translated / self.total) if self.total else 100


def coverage(library: Library, slug: str, lang: str, edition: str = "standard",
             leaflet: Leaflet | None = None, protected: bool = True) -> Coverage:
    """One catalog counted against the current source (``leaflet``, when already read).
    With ``protected`` False the protected tokens (phone numbers, amounts, links) are not
    checked, so ``warnings`` and ``errors`` count only the catalog's own mistakes: the
    "also available" panel needs only how much is translated and whether it is signed
    off, and the build of the catalog's own language checks the rest."""
    leaflet = leaflet or read_leaflet(library, slug, edition)
    path = library.catalog(lang, slug, edition)
    catalog = read_catalog(path, library.rel(path))
    result = checked(library, catalog, leaflet, protected=protected)
    record = signed_off(library, catalog, leaflet)
    to_translate = [key for key, _line in result.untranslated] + result.missing
    untranslated_words = sum(word_count(msgid) for _context, msgid in to_translate)
    return Coverage(slug=slug, edition=edition, lang=lang, catalog=catalog.rel,
                    translated=len(result.translated), fuzzy=len(result.fuzzy),
                    untranslated=len(result.untranslated) + len(result.missing),
                    obsolete=sum(1 for e in catalog.po if e.obsolete),
                    warnings=len(result.warnings), errors=len(result.errors),
                    draft=bool(result.fallback_count) or record is None,
                    signed_by=reviewer(record) if record else "",
                    signed_on=str(record.get("date", ""))[:10] if record else "",
                    words=sum(word_count(msgid) for _context, msgid in msgids(leaflet)),
                    words_fuzzy=sum(word_count(msgid) for (_context, msgid), _line
                                    in result.fuzzy),
                    words_untranslated=untranslated_words, words_new=untranslated_words)


def word_count(text: str) -> int:
    """The words of a message as translate-toolkit's ``pocount`` counts them."""
    from translate.tools.pocount import wordcount
    return wordcount(text)


def stats(library: Library, slugs: list[str] | None = None,
          lang_filter: tuple[str, ...] = ()) -> list[Coverage]:
    """Coverage of every catalog of the leaflets, by leaflet, edition and language."""
    lang_filter = tuple(langs.check(lang) for lang in lang_filter)
    rows = []
    # per language, the messages (by context and msgid) already counted as new
    seen: dict[str, set[tuple[str, str]]] = {}
    for slug in slugs or library.slugs():
        for edition in library.editions(slug):
            leaflet = read_leaflet(library, slug, edition)
            for lang in library.catalog_languages(slug, edition):
                if not langs.is_tag(lang) or (lang_filter and lang not in lang_filter):
                    continue
                row = coverage(library, slug, lang, edition, leaflet)
                done = seen.setdefault(lang, set())
                fresh = set(msgids(leaflet)) - done
                done.update(msgids(leaflet))
                rows.append(replace(row, words_new=row.words_untranslated - _repeated(
                    library, slug, lang, edition, leaflet, fresh)))
    return rows


def _repeated(library: Library, slug: str, lang: str, edition: str, leaflet: Leaflet,
              fresh: set[tuple[str, str]]) -> int:
    """Words of the catalog's untranslated messages an earlier catalog already counted."""
    path = library.catalog(lang, slug, edition)
    entries = read_catalog(path, library.rel(path)).entries
    return sum(word_count(key[1]) for key in msgids(leaflet) if key not in fresh
               and (key not in entries or not entries[key].msgstr.strip()))



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
