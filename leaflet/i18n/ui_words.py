"""The tool's own words (headings, labels, the DRAFT banner): ``ui.po`` per language, read
once per process while the file stays as it is, and ``ui.pot`` extracted from the
writers and their templates."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import polib

from .. import langs, theme
from ..errors import LeafletError
from ..files import TOOL_LOCALES, WRITERS_FOLDER, stamp
from ..library import Library
from .catalogs import new_pofile, read_catalog, save_if_changed
from .merge import merge

UI_DOMAIN = "ui"


@functools.lru_cache(maxsize=256)
def _candidates(lang: str) -> tuple[str, ...]:
    """The folders a language's words may come from, in order: ``pt-BR`` then ``pt``;
    ``zh-TW`` then ``zh-Hant`` (the script CLDR gives the language there), never ``zh``,
    written in another script; ``fa-AF`` then ``prs`` (the tag CLDR files it under)."""
    from babel.core import get_global

    base = lang.split("-")[0].split("_")[0]
    found = [lang, lang.replace("-", "_")]
    script = _script(lang)
    if script and f"{base}-{script}" not in found:
        found.append(f"{base}-{script}")
    locale = langs.babel_locale(lang)
    if locale is not None and locale.territory and locale.language == base:
        cldr = f"{locale.language}_{locale.territory}"
        found += sorted(alias for alias, target in get_global("language_aliases").items()
                        if target == cldr and langs.registered(alias) is not None)
    if base != lang and (script is None or _script(base) in (None, script)):
        found.append(base)
    return tuple(dict.fromkeys(found))


def _script(lang: str) -> str | None:
    """The script a language is written in, as CLDR's likely subtags give it."""
    from babel.core import get_global

    locale = langs.babel_locale(lang)
    if locale is None:
        return None
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags")
    for key in (f"{locale.language}_{locale.territory}" if locale.territory else None,
                locale.language):
        if key and key in likely:
            parts = likely[key].split("_")
            return next((p for p in parts[1:] if len(p) == 4), None)
    return None


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


def tool_catalog(lang: str) -> Path | None:
    """The tool's own ``ui.po`` a language's words come from, if it has one."""
    for candidate in _candidates(lang):
        path = TOOL_LOCALES / candidate / f"{UI_DOMAIN}.po"
        if path.is_file():
            return path
    return None


@dataclass(frozen=True)
class ToolWords:
    """The state of the tool's words in one language, as ``leaflet stats`` shows it."""

    lang: str
    total: int  # the words of ui.pot
    translated: int  # those with a translation, the tool's or the library's
    from_library: int  # those the library's own locales/<lang>/ui.po gives
    catalog: str  # the tool's file the others come from, or ""
    signed_by: str = ""  # who signed them off for the library, while that holds
    signed_on: str = ""

    @property
    def state(self) -> str:
        if self.signed_by:
            return f"signed off by {self.signed_by} on {self.signed_on}"
        return "awaiting a qualified check"


def tool_words(library: Library, lang: str) -> ToolWords:
    """How many of the tool's words ``lang`` prints translated, where they come from, and
    whether the library has signed them off as they now are."""
    from .signoff import reviewer

    pot = _pot_ids()
    words = ui_words(library, lang)
    own = _library_words(library, lang)
    path = tool_catalog(lang)
    record = ui_signed_off(library, lang)
    return ToolWords(
        lang=lang, total=len(pot), translated=sum(1 for m in pot if m in words),
        from_library=sum(1 for m in pot if m in own),
        catalog=f"formats/locales/{path.parent.name}/{path.name}" if path else "",
        signed_by=reviewer(record) if record else "",
        signed_on=str(record.get("date", ""))[:10] if record else "")


def _pot_ids() -> list[str]:
    pot = TOOL_LOCALES / f"{UI_DOMAIN}.pot"
    return [e.msgid for e in _pot_of(pot, stamp(pot))] if pot.is_file() else []


def _library_words(library: Library, lang: str) -> dict[str, str]:
    for candidate in _candidates(lang):
        path = library.locales / candidate / f"{UI_DOMAIN}.po"
        if path.is_file():
            return _load_words(path, library.rel(path))
    return {}


def _words_hashes(library: Library, lang: str) -> tuple[str, str]:
    """The hashes a sign-off of the tool's words records: of the words ``lang`` prints
    for each msgid of ui.pot, and of those msgids."""
    from .signoff import _hash

    pot = _pot_ids()
    words = ui_words(library, lang)
    return _hash([[m, words.get(m, "")] for m in pot]), _hash(pot)


def ui_signed_off(library: Library, lang: str) -> dict | None:
    """The library's last sign-off of the tool's words in ``lang`` (``ui.po`` in
    ``locales/<lang>/reviews.yaml``), if it holds for the words as they now are."""
    from .signoff import read_reviews

    records = read_reviews(library, lang).get(f"{UI_DOMAIN}.po")
    records = [records] if isinstance(records, dict) else records or []
    if not records or not isinstance(records[-1], dict):
        return None
    messages, source = _words_hashes(library, lang)
    record = records[-1]
    return record if (record.get("messages"), record.get("source")) == (messages, source) \
        else None


def review_ui(library: Library, lang: str, by: str, role: str = "") -> dict:
    """Record that ``by`` (in ``role``) checked the tool's words in ``lang`` as the library
    prints them (the tool's ``ui.po`` with the library's overrides); any change to a word
    or to ui.pot voids it.  Refused while a word would print in English."""
    import yaml

    from .. import __version__
    from ..files import now, write_atomic
    from .signoff import REVIEWS_HEADER, _reviewer_and_role, read_reviews, reviews_path

    by, role = _reviewer_and_role(by, role)
    lang = langs.check(lang)
    missing = untranslated_ui_words(library, lang)
    if missing:
        rel = library.rel(library.locales / lang / f"{UI_DOMAIN}.po")
        raise LeafletError(rel, None, f"cannot be signed off: {len(missing)} of the tool's "
                           f"words (such as \"{missing[0]}\") are not translated into "
                           f"{langs.english_name(lang)}; translate them here ('leaflet update "
                           f"-l {lang}' makes the file)")
    messages, source = _words_hashes(library, lang)
    record = {"reviewer": by, "role": role, "date": now().strftime("%Y-%m-%dT%H:%M:%SZ"),
              "tool": f"leaflet {__version__}", "source": source, "messages": messages}
    reviews = read_reviews(library, lang)
    old = reviews.get(f"{UI_DOMAIN}.po")
    old = [old] if isinstance(old, dict) else [r for r in old or [] if isinstance(r, dict)]
    reviews[f"{UI_DOMAIN}.po"] = [*old, record]
    text = REVIEWS_HEADER + yaml.safe_dump(reviews, allow_unicode=True, sort_keys=True,
                                           default_flow_style=False, width=100)
    path = reviews_path(library, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return record


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
