"""The tool's own words (headings, labels, the DRAFT banner): ``ui.po`` per language, read
once per process while the file stays as it is, and ``ui.pot`` extracted from the
writers and their templates."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import polib

from .. import langs, theme
from ..errors import LeafletError
from ..files import TOOL_LOCALES, WRITERS_FOLDER, stamp
from ..library import Library
from .catalogs import new_pofile, read_catalog, save_if_changed
from .merge import merge

UI_DOMAIN = "ui"


def _candidates(lang: str) -> list[str]:
    """``pt-BR`` then ``pt``: the folders a language's words may come from."""
    base = lang.split("-")[0].split("_")[0]
    return [lang, lang.replace("-", "_")] + ([base] if base != lang else [])


@functools.lru_cache(maxsize=64)
def _words_of(path: Path, _stamp: tuple) -> tuple[tuple[str, str], ...]:
    catalog = read_catalog(path, path.as_posix())
    # a word whose {placeholders} differ from the msgid's would break the writer: English
    return tuple((e.msgid, e.msgstr) for e in catalog.po
                 if not e.obsolete and e.msgstr and "fuzzy" not in e.flags
                 and placeholders(e.msgid) == placeholders(e.msgstr))


def placeholders(text: str) -> set[str]:
    """The {names} a word's text has, which the writer fills in."""
    return set(re.findall(r"\{[a-z_]*\}", text))


def _load_words(path: Path, rel: str) -> dict[str, str]:
    try:
        return dict(_words_of(path, stamp(path)))
    except LeafletError as exc:
        raise LeafletError(rel, exc.line, exc.problems[0].message) from exc


def has_tool_words(lang: str) -> bool:
    """True when the tool itself has a ``ui.po`` for the language (or its base language)."""
    return any((TOOL_LOCALES / c / f"{UI_DOMAIN}.po").is_file() for c in _candidates(lang))


def untranslated_ui_words(library: Library, lang: str) -> list[str]:
    """The tool's words that ``lang`` has no translation of, so print in English."""
    words = ui_words(library, lang)
    pot = TOOL_LOCALES / f"{UI_DOMAIN}.pot"
    if not pot.is_file():
        return []
    return [e.msgid for e in _pot_of(pot, stamp(pot)) if e.msgid not in words]


@functools.lru_cache(maxsize=4)
def _pot_of(path: Path, _stamp: tuple) -> tuple:
    return tuple(read_catalog(path, "formats/locales/ui.pot").po)


def ui_words(library: Library, lang: str) -> dict[str, str]:
    """The tool's template words in ``lang``: ``formats/locales/<lang>/ui.po``, overridden
    word by word by the library's ``locales/<lang>/ui.po`` (empty: the English words)."""
    words: dict[str, str] = {}
    for folder, library_file in ((TOOL_LOCALES, False), (library.locales, True)):
        for candidate in _candidates(lang):
            path = folder / candidate / f"{UI_DOMAIN}.po"
            if path.is_file():
                rel = library.rel(path) if library_file else f"formats/locales/{candidate}/ui.po"
                words.update(_load_words(path, rel))
                break
    return words


UI_SOURCES = WRITERS_FOLDER  # where the words are marked: the writers and their templates
UI_KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


_FSTRING_CALL_RE = re.compile(r"""(?<![\w.])(?:self\.)?(?:_|N_|gettext)\(\s*(['"])([^'"\\]+)\1\s*\)""")


def _note_braces(entry: polib.POEntry) -> None:
    if re.search(r"\{[a-z_]*\}", entry.msgid) and not entry.comment:
        entry.comment = "Keep the words in {braces} as they are: the tool fills them in."


def ui_template() -> polib.POFile:
    """ui.pot: the words marked in the writers (``_``, ``N_``, ``options.gettext``) and in
    their Jinja2 templates (``{{ _("...") }}``)."""
    from babel.messages.extract import extract_from_file
    from jinja2.ext import babel_extract

    found: dict[str, polib.POEntry] = {}
    files = sorted(p for p in UI_SOURCES.rglob("*.py") if "locales" not in p.parts)
    templates = sorted(p for p in UI_SOURCES.rglob("*")
                       if p.suffix in (".html", ".xhtml", ".xml", ".j2", ".jinja")
                       and "templates" in p.parts)
    jinja_options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                     "lstrip_blocks": "true"}
    for path in [*files, *templates]:
        method = "python" if path.suffix == ".py" else babel_extract
        rel = path.relative_to(UI_SOURCES.parent).as_posix()
        options = {} if method == "python" else jinja_options
        for lineno, message, _comments, _context in extract_from_file(
                method, str(path), keywords=UI_KEYWORDS, options=options,
                strip_comment_tags=True):
            msgid = message if isinstance(message, str) else message[0]
            if not msgid or not isinstance(msgid, str):
                continue
            entry = found.get(msgid)
            if entry is None:
                entry = found[msgid] = polib.POEntry(msgid=msgid, msgstr="")
                if isinstance(message, tuple) and len(message) > 1 and message[1]:
                    entry.msgid_plural = message[1]
                    entry.msgstr_plural = {0: "", 1: ""}
            entry.occurrences.append((rel, str(lineno)))
            _note_braces(entry)
        if path.suffix == ".py":
            # babel's extractor does not look inside f-strings (before Python 3.12)
            text = path.read_text(encoding="utf-8")
            for match in _FSTRING_CALL_RE.finditer(text):
                msgid = match.group(2)
                lineno = str(text.count("\n", 0, match.start()) + 1)
                entry = found.setdefault(msgid, polib.POEntry(msgid=msgid, msgstr=""))
                if (rel, lineno) not in entry.occurrences:
                    entry.occurrences.append((rel, lineno))
                    _note_braces(entry)
    po = new_pofile("The leaflet tool's own words: headings, labels and the DRAFT banner.\n"
                     "Made by 'leaflet extract --ui': do not edit by hand.")
    po.metadata["Project-Id-Version"] = "leaflet ui"
    for msgid in sorted(found, key=lambda m: (found[m].occurrences[0][0],
                                              int(found[m].occurrences[0][1]), m)):
        po.append(found[msgid])
    return po


def extract_ui() -> list[tuple[str, bool, int]]:
    """Write ``formats/locales/ui.pot`` and merge it into each ``<lang>/ui.po`` there."""
    pot = ui_template()
    results = [("formats/locales/ui.pot", save_if_changed(pot, TOOL_LOCALES / "ui.pot"),
                len(pot))]
    for path in sorted(TOOL_LOCALES.glob(f"*/{UI_DOMAIN}.po")):
        rel = f"formats/locales/{path.parent.name}/ui.po"
        merged = merge(read_catalog(path, rel).po, pot, path.parent.name)
        results.append((rel, save_if_changed(merged, path), len(merged)))
    return results


def library_words(library: Library) -> list[polib.POEntry]:
    """The library's own words that every leaflet prints: the logo's alt text."""
    loaded = theme.load(library.theme, library.root)
    if not loaded.logo_alt:
        return []
    entry = polib.POEntry(msgid=loaded.logo_alt, msgstr="",
                          occurrences=[(library.rel(library.theme / theme.THEME_FILE), "")])
    entry.comment = ("What a screen reader says for the logo (theme/theme.yaml, logo: alt:): "
                     "usually the organisation's name.")
    return [entry]


def update_ui(library: Library, lang: str) -> Path | None:
    """The library's ``locales/<lang>/ui.po``: the library's own words (the logo's alt
    text) and, when the tool has no translation of its own for the language, the tool's
    words (the DRAFT banner, "Page 1 of 8", the panel); a tool word the file already
    translates stays, overriding the tool's.  Returns the path when there is one."""
    path = library.locales / lang / f"{UI_DOMAIN}.po"
    if lang == langs.PSEUDO_LANGUAGE and not path.is_file():
        return None
    tool = read_catalog(TOOL_LOCALES / f"{UI_DOMAIN}.pot", "formats/locales/ui.pot").po
    old = read_catalog(path, library.rel(path)).po if path.is_file() else None
    if has_tool_words(lang):
        kept = {e.msgid for e in old if e.msgstr and not e.obsolete} if old else set()
        entries = [e for e in tool if e.msgid in kept]
    else:
        entries = list(tool)
    present = {e.msgid for e in entries}
    entries += [e for e in library_words(library) if e.msgid not in present]
    if not entries and old is None:
        return None
    pot = new_pofile(tool.header)
    pot.metadata.update(tool.metadata)
    pot.extend(entries)
    merged = merge(old, pot, lang)
    if old is None:
        merged.header = (f"{langs.english_name(lang)} translation of this library's own words "
                         "(the logo's alt text) and of the\nleaflet tool's words it has no "
                         "translation of (headings, labels, the DRAFT banner).\nKept in step "
                         f"by 'leaflet update -l {lang}'.")
    save_if_changed(merged, path, revised=True)
    return path
