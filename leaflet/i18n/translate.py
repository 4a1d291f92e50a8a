"""Applying a catalog: an already-parsed leaflet in another language.  Parsing does not
depend on the language, so a build parses once and translates per language."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import langs
from ..errors import Collector, LeafletError, Problem
from ..library import Library
from ..model import Leaflet
from ..source import parse_inline, parse_plain
from .catalogs import read_catalog, short
from .signoff import checked, signed_off
from .ui_words import untranslated_ui_words
from .messages import Unit, walk


@dataclass(frozen=True)
class Translation:
    """A leaflet in one language, with what the catalog could not supply."""

    leaflet: Leaflet
    draft: bool = False
    fallbacks: tuple[Problem, ...] = field(default=())
    warnings: tuple[Problem, ...] = field(default=())


def translate(library: Library, leaflet: Leaflet, lang: str, strict: bool = False) -> Translation:
    """The leaflet in ``lang`` from its catalog.  Untranslated and fuzzy messages keep the
    source text and are reported (errors with ``strict``); a broken protected token is an
    error for the whole language."""
    if lang == leaflet.meta.language:
        return Translation(leaflet)
    path = library.catalog(lang, leaflet.slug, leaflet.edition)
    rel = library.rel(path)
    if not langs.is_tag(lang):
        raise LeafletError(rel, None, f"'{lang}' is not a language tag, so this is no "
                           "translation (name the folder by its language, for example pl, ar, "
                           "bn, pt-BR)")
    if not path.is_file():
        raise LeafletError(rel, None, f"no catalog for '{lang}': start one with "
                           f"'leaflet update -l {lang} {leaflet.slug}'")
    catalog = read_catalog(path, rel)
    result = checked(library, catalog, leaflet)
    problems = Collector()
    problems.problems.extend(result.errors)

    def parse(unit: Unit, msgstr: str) -> tuple:
        line = result.translated[unit.key][1]
        if not unit.markdown:
            return parse_plain(msgstr, rel, line, leaflet.meta.region)
        return parse_inline(msgstr, rel, line, leaflet.meta.region, problems)

    # what keeps the source text is marked as the source language, which writers tag
    # (lang="en-GB" dir="ltr" inside an Urdu page) so it is read, voiced and set as such
    translated = walk(leaflet, lambda unit: result.translated.get(unit.key, (None,))[0],
                      parse, kept_lang=leaflet.meta.language)
    if not result.translated:
        problems.error(rel, None, "nothing is translated yet, so there is no "
                       f"{langs.english_name(lang)} leaflet to build")
    source_name = langs.english_name(leaflet.meta.language)
    fallbacks = []
    for (_context, msgid), line in result.untranslated:
        fallbacks.append(Problem(rel, line, f"untranslated, the {source_name} text is used: "
                                 f"\"{short(msgid)}\"", warning=True))
    for (_context, msgid), line in result.fuzzy:
        fallbacks.append(Problem(rel, line, f"fuzzy (needs checking), the {source_name} text is "
                                 f"used: \"{short(msgid)}\"", warning=True))
    for _context, msgid in result.missing:
        fallbacks.append(Problem(rel, None, f"not in the catalog (run 'leaflet update -l {lang} "
                                 f"{leaflet.slug}'), the {source_name} text is used: "
                                 f"\"{short(msgid)}\"", warning=True))
    if fallbacks:
        total = len(result.translated) + result.fallback_count
        fallbacks.insert(0, Problem(rel, None, f"{len(fallbacks)} of {total} messages are not "
                                    f"translated ({len(result.untranslated)} untranslated, "
                                    f"{len(result.fuzzy)} fuzzy, {len(result.missing)} not in "
                                    f"the catalog); they stay in {source_name}", warning=True))
        if strict:
            problems.problems.extend(replace(p, warning=False) for p in fallbacks)
    problems.raise_errors()
    meta = replace(translated.meta, language=lang, direction=langs.direction(lang))
    translated = replace(translated, meta=meta)
    draft = bool(fallbacks) or not signed_off(library, catalog, leaflet)
    warnings = list(result.warnings)
    untranslated_words = untranslated_ui_words(library, lang) if lang != langs.PSEUDO_LANGUAGE \
        else []
    if untranslated_words:
        ui_rel = library.rel(library.locales / lang / "ui.po")
        warnings.append(Problem(ui_rel, None, f"{len(untranslated_words)} of the tool's own "
                                f"words (such as \"{short(untranslated_words[0], 30)}\") are "
                                f"not translated into {langs.english_name(lang)}, so they print "
                                f"in English: translate them here ('leaflet update -l {lang}' "
                                "makes the file)", warning=True))
    return Translation(translated, draft=draft, fallbacks=tuple(fallbacks),
                       warnings=tuple(warnings))


def check_translations(library: Library, slugs: list[str],
                       lang_filter: tuple[str, ...] = ()) -> list[Problem]:
    """What a build would say about each catalog of the leaflets (all languages, or those
    of ``lang_filter``), read and checked exactly as the build does, so that an
    up-to-date build's warnings are never lost: what ``leaflet check`` reports.  A leaflet
    whose source cannot be read is left to the source checks."""
    from ..library import read_leaflet
    from .coverage import folder_problems

    wanted = tuple(langs.check(lang) for lang in lang_filter)
    problems: list[Problem] = folder_problems(library)
    for slug in slugs:
        for edition in library.editions(slug):
            try:
                leaflet = read_leaflet(library, slug, edition)
            except LeafletError:
                continue
            for lang in library.catalog_languages(slug, edition):
                if wanted and lang not in wanted:
                    continue
                try:
                    translation = translate(library, leaflet, lang)
                except LeafletError as exc:
                    problems.extend(exc.problems)
                    continue
                problems.extend(translation.warnings)
                problems.extend(translation.fallbacks[:1])  # the count, not every message
    return problems
