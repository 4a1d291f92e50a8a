"""The library on disk: where leaflets, catalogs and the theme live under a root folder."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import langs, source
from .errors import Collector, LeafletError, Problem
from .files import relative, write_atomic
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
        """The leaflets, leaving out any whose folder or source is a link out of the
        library (``outside_links`` says which)."""
        if not self.sources.is_dir():
            return []
        return sorted(p.parent.name for p in self.sources.glob(f"*/{STANDARD_FILE}")
                      if p.is_file() and SLUG_RE.match(p.parent.name)
                      and self._link_out(p.parent) is None)

    def _link_out(self, folder: Path) -> str | None:
        """Why a leaflet folder cannot be read: it, or a source in it, is a link leading
        out of its place in leaflet_src/ (a library reads only its own files)."""
        place = self.sources.resolve() / folder.name
        if folder.resolve() != place:
            return f"is a link to a folder outside {SOURCE_DIR}/; it is ignored"
        for name in (STANDARD_FILE, EASY_READ_FILE):
            path = folder / name
            if path.exists() and path.resolve().parent != place:
                return f"{name} is a link to a file outside its folder; it is ignored"
        return None

    def _catalog_link_out(self, path: Path) -> bool:
        return path.resolve().parent != self.locales.resolve() / path.parent.name

    def outside_links(self) -> list[Problem]:
        """A warning for each leaflet folder, source, language folder or catalog that is a
        link out of its place: these are left out of every command."""
        found = []
        if self.sources.is_dir():
            for folder in sorted(self.sources.iterdir()):
                why = self._link_out(folder) if folder.is_dir() else None
                if why:
                    found.append(Problem(self.rel(folder), None, why, warning=True))
        if self.locales.is_dir():
            for folder in sorted(self.locales.iterdir()):
                if not folder.is_dir():
                    continue
                if folder.resolve() != self.locales.resolve() / folder.name:
                    found.append(Problem(self.rel(folder), None, f"is a link to a "
                                         f"folder outside {LOCALES_DIR}/; it is ignored",
                                         warning=True))
                    continue
                for path in sorted(folder.glob("*.po")):
                    if self._catalog_link_out(path):
                        found.append(Problem(self.rel(path), None, "is a link to a "
                                             "file outside its folder; it is ignored",
                                             warning=True))
        return found


    def folder(self, slug: str) -> Path:
        return self.sources / slug

    def source_file(self, slug: str, edition: str = "standard") -> Path:
        name = EASY_READ_FILE if edition == "easy-read" else STANDARD_FILE
        return self.folder(slug) / name

    def has_easy_read(self, slug: str) -> bool:
        return self.source_file(slug, "easy-read").is_file()

    def editions(self, slug: str) -> list[str]:
        """The editions a leaflet has: standard, and easy read where easy-read.md exists."""
        return ["standard", "easy-read"] if self.has_easy_read(slug) else ["standard"]

    def rel(self, path: Path) -> str:
        """A path as messages name it: relative to the library's root."""
        return relative(path, self.root)

    def resolve_leaflet(self, name: str) -> str:
        """A LEAFLET argument, a slug or a path to a leaflet folder, as a slug."""
        path = Path(name)
        if (self.root / path / STANDARD_FILE).is_file():
            path = self.root / path
        if (path.name == STANDARD_FILE or path.name == EASY_READ_FILE) and path.is_file():
            # a file named: its own folder, which must be the library's leaflet of that name
            path = path.parent
        if (path / STANDARD_FILE).is_file():
            if path.absolute().parent != self.sources.absolute() \
                    and path.resolve().parent != self.sources.resolve():
                raise LeafletError(name, None, f"the leaflet folder must be inside "
                                   f"{SOURCE_DIR}/ of the library")
            why = self._link_out(self.sources / path.absolute().name)
            if why:
                raise LeafletError(self.rel(self.sources / path.absolute().name),
                                   None, why.replace("it is ignored", "it cannot be used"))
            return path.absolute().name
        if (self.sources / name / STANDARD_FILE).is_file():
            why = self._link_out(self.sources / name)
            if why:
                raise LeafletError(f"{SOURCE_DIR}/{name}", None,
                                   why.replace("it is ignored", "it cannot be used"))
            return name
        known = ", ".join(self.slugs()) or "none yet: start one with 'leaflet new SLUG'"
        raise LeafletError(name, None, f"no leaflet called '{name}' in {SOURCE_DIR}/ "
                           f"(leaflets: {known})")

    def catalog(self, lang: str, slug: str, edition: str = "standard") -> Path:
        """A catalog's path; a LeafletError when it is a link out of its language folder,
        or its language folder a link out of locales/ (never read, never written)."""
        path = self._catalog_path(lang, slug, edition)
        if (path.exists() or path.is_symlink()) and self._catalog_link_out(path):
            folder_out = path.parent.resolve() != self.locales.resolve() / path.parent.name
            raise LeafletError(self.rel(path.parent if folder_out else path), None,
                               f"is a link to a {'folder' if folder_out else 'file'} outside "
                               f"{'locales/' if folder_out else 'its folder'}; it cannot "
                               "be used")
        return path

    def _catalog_path(self, lang: str, slug: str, edition: str = "standard") -> Path:
        suffix = ".easy-read.po" if edition == "easy-read" else ".po"
        return self.locales / lang / f"{slug}{suffix}"

    def catalog_languages(self, slug: str, edition: str = "standard") -> list[str]:
        """Languages with a translators' catalog for this leaflet and edition (folders
        named by a language tag: not "templates", "backup" or "PL")."""
        if not self.locales.is_dir():
            return []
        found = []
        for folder in sorted(self.locales.iterdir()):
            if not folder.is_dir() or not langs.is_tag(folder.name):
                continue
            catalog = self._catalog_path(folder.name, slug, edition)
            if catalog.is_file() and not self._catalog_link_out(catalog):
                found.append(folder.name)
        return found

    def languages(self, slug: str, source_lang: str) -> list[str]:
        """The leaflet's languages: the one it is written in first, then every language
        with a catalog."""
        return [source_lang, *(l for l in self.catalog_languages(slug) if l != source_lang)]


def read_leaflet(library: Library, slug: str, edition: str = "standard",
                 problems: Collector | None = None) -> Leaflet:
    """Parse one edition of a leaflet; the easy read edition takes code, version
    and dates from the standard one unless it sets its own."""
    defaults = None
    if edition == "easy-read":
        defaults = easy_read_defaults(source.parse_file(library.source_file(slug),
                                                        library.root).meta)
    return source.parse_file(library.source_file(slug, edition), library.root, edition,
                             defaults, problems)


def easy_read_defaults(meta) -> dict:
    """What an easy read edition takes from its standard edition's front matter (``meta``)
    unless it sets its own."""
    return {"title": meta.title, "organisation": meta.organisation,
            "language": meta.language, "published": meta.published,
            "review": meta.review, "code": meta.code, "version": meta.version,
            "requests": meta.requests, "online": meta.online, "owner": meta.owner,
            "region": meta.region}


NEW_LEAFLET = """\
---
# Fill in the details below. Lines starting with # in this block are comments.
title: {title}
subtitle: Information for patients
organisation: Your NHS Trust
language: en-GB
# The leaflet's code and version, as your trust's patient information policy sets them.
code: ""
version: "1"
published: {today}
# When the leaflet must next be reviewed (YYYY-MM-DD), after 'published'.
review: {review}
# How a patient asks for another language or format (printed at the end).
requests: Ask a member of staff.
---

# What is this leaflet about?

Write a short introduction here. Each line starting with # is a section heading;
a line starting ## is a heading inside a section.

# Who can I contact?

::: contacts
- name: The department's reception
  about: Questions about your appointment.
  phone: {phone}
  hours: Monday to Friday, 9am to 5pm
:::
"""
# The template's words that mean "fill me in": ``leaflet check`` warns while any is left.
# The phone number is from Ofcom's range for drama (0113 496 0000 to 0999): valid, and
# never anyone's number.
TEMPLATE_PHONE = "0113 496 0000"
TEMPLATE_PLACEHOLDERS = ("Your NHS Trust", "Write a short introduction here",
                         "What is this leaflet about?", "The department's reception",
                         TEMPLATE_PHONE)
# Initialisms a slug's words keep in capitals in a title ("ct-scan" is "CT scan").
INITIALISMS = {"ae": "A&E", "adhd": "ADHD", "bcg": "BCG", "copd": "COPD", "covid": "COVID",
               "ct": "CT", "dvt": "DVT", "ecg": "ECG", "eeg": "EEG", "ent": "ENT", "gp": "GP",
               "hdu": "HDU", "hiv": "HIV", "hpv": "HPV", "ibs": "IBS", "icu": "ICU",
               "inr": "INR", "itu": "ITU", "iud": "IUD", "ivf": "IVF", "mmr": "MMR",
               "mri": "MRI", "mrsa": "MRSA", "nhs": "NHS", "ppi": "PPI", "sti": "STI",
               "tb": "TB", "uti": "UTI", "uk": "UK"}


def title_from_slug(slug: str) -> str:
    """A first title for a new leaflet: "ct-scan" is "CT scan", "seeing-your-gp" is
    "Seeing your GP"."""
    words = [INITIALISMS.get(word, word) for word in slug.split("-") if word]
    if words and words[0] == words[0].lower():
        words[0] = words[0].capitalize()
    return " ".join(words)


def new_leaflet(library: Library, slug: str, today: dt.date | None = None) -> Path:
    """Start ``leaflet_src/<slug>/leaflet.md`` from a template to fill in, published
    ``today`` and due for review three years later; never overwrite one."""
    if not SLUG_RE.match(slug):
        raise LeafletError(slug, None, "a leaflet name uses lower-case letters, digits and "
                           "hyphens, such as ct-scan")
    target = library.source_file(slug)
    if target.exists():
        raise LeafletError(library.rel(target), None, "already exists; it was not changed")
    today = today or dt.date.today()
    try:
        review = today.replace(year=today.year + 3)
    except ValueError:  # 29 February, three years on
        review = today.replace(year=today.year + 3, day=28)
    text = NEW_LEAFLET.format(title=title_from_slug(slug), today=today.isoformat(),
                              review=review.isoformat(), phone=TEMPLATE_PHONE)
    (library.folder(slug) / "images").mkdir(parents=True, exist_ok=True)
    write_atomic(target, text.encode("utf-8"))
    return target


def theme_options(library: Library, strict: bool = True) -> dict:
    """The writer options the library's theme folder sets, by option name, each file read
    and checked: its look (theme.yaml), its voices (voice.yaml) and its lexicon
    (lexicon.yaml).  Not ``strict``, a file that cannot be read is left out, so that its
    default stands (the build reports the file where it prepares a leaflet)."""
    from . import lexicon, theme, voice

    found = {}
    for name, load in (("theme", theme.load), ("voice", voice.load), ("lexicon", lexicon.load)):
        try:
            found[name] = load(library.theme, library.root)
        except LeafletError:
            if strict:
                raise
    return found
