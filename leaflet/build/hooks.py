"""What the format records say about this machine: which languages a format can be made in,
and its engines' fingerprints, each asked once per build.

A record's ``available`` and ``fingerprint`` hooks (formats/__init__.py) load their
format's stack or run a program, so they are asked only for formats a build plans, or
a panel has to name, and each answer is kept.  Both are given writer options holding
what the library's theme folder sets and the build's writer settings, so that the
builder never reads what either means.  With the build's cache, the answers of
``available`` are also kept between builds for the records that have a ``probe``
(``coverage_cache.py``): a build of one leaflet in one light format then loads no
braille or audio stack only to learn what its "also available" panel names.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Callable

import formats
from formats import Format
from formats.options import Assets, WriterOptions

from ..errors import LeafletError, Problem
from ..files import PICTOGRAM_FOLDER
from ..library import Library, theme_options
from .coverage_cache import CoverageCache

Settings = tuple[tuple[str, object], ...]  # writer options a selection sets: (name, value)


class Hooks:
    """The format records' answers for one library, kept for the build (and, given a
    ``cache`` and ``theme``, a function giving the theme folder's files and their hashes,
    between builds)."""

    def __init__(self, library: Library, cache: CoverageCache | None = None,
                 theme: Callable[[], list] | None = None):
        self.library = library
        self.cache = cache if theme is not None else None
        self.theme = theme
        self._base: WriterOptions | None = None
        self._memo: dict = {}

    def options(self, settings: Settings = ()) -> WriterOptions:
        """Writer options with what the library's theme folder sets and the given settings.
        A file there that cannot be read leaves its defaults: the artifacts fail with its
        error when they are prepared."""
        if self._base is None:
            folder = self.library.theme
            extra = (str(folder),) if folder.is_dir() else ()
            self._base = WriterOptions(
                assets=Assets(folder=str(folder), pictograms=str(PICTOGRAM_FOLDER), extra=extra),
                **theme_options(self.library, strict=False))
        return dataclasses.replace(self._base, **dict(settings)) if settings else self._base

    def _once(self, key, make):
        if key not in self._memo:
            try:
                self._memo[key] = make()
            except LeafletError as exc:
                self._memo[key] = exc
        found = self._memo[key]
        if isinstance(found, LeafletError):
            raise found
        return found

    def unavailable(self, fmt: Format, lang: str, settings: Settings = ()) -> str | None:
        """Why the format cannot be made in the language, or None; raises the LeafletError
        that says it cannot be made at all (its engine is missing)."""
        return self._once(("available", fmt.available, lang, settings),
                          lambda: self._kept_answer(fmt, lang, settings))

    def _kept_answer(self, fmt: Format, lang: str, settings: Settings) -> str | None:
        """``available``'s answer, from the cache when the record's probe, the tool, the
        theme and the settings are as they were when it was kept; else asked, and kept."""
        if self.cache is None or not fmt.probe:
            return fmt.unavailable(lang, self.options(settings))
        name = f"available {fmt.available} {lang} {json.dumps(settings, default=str)}"
        key = self.cache.key("available", fmt.available, lang, settings, self._theme_digest(),
                             self._once(("probe", fmt.probe), fmt.machine))
        found = _answer(self.cache.kept(name, key))
        if found is not None:
            why, missing = found
            if missing:
                raise LeafletError(problems=missing)
            return why
        try:
            why = fmt.unavailable(lang, self.options(settings))
        except LeafletError as exc:
            self.cache.keep(name, key, {"why": None, "missing": [
                [p.path, p.line, p.message, p.warning] for p in exc.problems]})
            raise
        self.cache.keep(name, key, {"why": why, "missing": []})
        return why

    def _theme_digest(self) -> str:
        return self._once("theme", lambda: hashlib.sha256(
            json.dumps(self.theme(), default=str).encode()).hexdigest())

    def engines(self, fmt: Format, lang: str, settings: Settings = ()) -> str:
        """The format's engines' fingerprint for the language, for the artifact's key."""
        def make() -> str:
            try:
                return fmt.engines(lang, self.options(settings))
            except LeafletError as exc:  # a key needs no engine: the render says what is wrong
                return str(exc)
        return self._once(("engines", fmt.fingerprint, lang, settings), make)

    def panel_formats(self, lang: str) -> tuple[str, ...]:
        """The formats with an availability of their own that exist in a language,
        whatever this run builds and with the default settings: what the "also available"
        panel names beside the printed editions."""
        def make() -> tuple[str, ...]:
            found = []
            for fmt in formats.FORMATS.values():
                if not fmt.available:
                    continue
                try:
                    if self.unavailable(fmt, lang) is None:
                        found.append(fmt.name)
                except LeafletError:
                    continue  # its engine is missing: it exists in no language
            return tuple(found)
        return self._once(("panel", lang), make)

    def split(self, jobs: list, settings: Settings, asked: tuple[str, ...]
              ) -> tuple[list, list, list[Problem]]:
        """The jobs that can be made, those that cannot (in a language their engine lacks),
        and one warning per reason (one per language and format family, since
        the formats of a family give the same reason).  A format that cannot be made at all
        is a warning too, but an error when one of the formats giving it was ``asked`` for
        by name.  Nothing is loaded for formats without an availability of their own."""
        kept, dropped, reasons = [], [], {}
        for job in jobs:
            fmt = formats.get(job.format)
            if not fmt.available:
                kept.append(job)
                continue
            try:
                why, missing = self.unavailable(fmt, job.lang, settings), False
            except LeafletError as exc:
                why, missing = str(exc), True
            if why is None:
                kept.append(job)
                continue
            dropped.append(job)
            names = reasons.setdefault((why, missing), set())
            names.add(fmt.name)
        problems = [Problem("", None, why, warning=not (missing and names & set(asked)))
                    for (why, missing), names in reasons.items()]
        return kept, dropped, problems


def _answer(kept: dict | None) -> tuple[str | None, list[Problem]] | None:
    """A kept availability answer: why the format cannot be made in the language (None: it
    can) and the problems of the error saying it cannot be made at all (none: it can be
    made somewhere); None for no answer, or one whose fields are not what was kept."""
    if kept is None:
        return None
    why, missing = kept.get("why"), kept.get("missing")
    if not (why is None or isinstance(why, str)) or not isinstance(missing, list):
        return None
    try:
        return why, [Problem(str(path), line if isinstance(line, int) else None, str(message),
                             warning is True) for path, line, message, warning in missing]
    except (TypeError, ValueError):
        return None
