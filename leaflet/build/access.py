"""Braille and audio in the build: which languages can have them, their writers' settings,
their part of the cache key, and what the build says when a language cannot have them.

liblouis (through formats.braille) and the voices (through formats.audio) are
reached only when a build plans braille or audio, or a panel has to say whether
they exist; each question is asked once per process, since each loads a library
or runs a program.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from typing import Iterator

import formats

from ..errors import LeafletError, Problem
from ..library import Library

BRAILLE_FORMATS = ("brf", "pef")
AUDIO_FORMATS = ("audio", "read-aloud")
BRAILLE_DEFAULTS = {"braille_grade": 2, "braille_cells": 40, "braille_lines": 25}
# The grade the panel asks about: a grade 2 request falls back to a language's
# uncontracted table, so it finds braille wherever any grade exists.
PANEL_GRADE = 2


@functools.lru_cache(maxsize=None)
def braille_problem(lang: str, grade: int) -> LeafletError | None:
    """None where liblouis has a table for the language and grade; else why not: a
    ``NoBrailleTable``, or the error saying that liblouis itself is missing."""
    try:
        from formats import braille

        braille.find_table(lang, grade)
    except LeafletError as exc:
        return exc
    return None


def no_table(problem: LeafletError) -> bool:
    """Whether the problem is one language's missing table (not liblouis missing)."""
    from formats.braille import NoBrailleTable

    return isinstance(problem, NoBrailleTable)


def without_braille(jobs: list, grade: int, asked: bool) -> tuple[list, list[Problem]]:
    """The jobs less the braille of languages liblouis cannot write, and one problem per
    language (or one for liblouis missing): warnings, except liblouis missing when
    braille was asked for by name (``asked``), which is an error.  formats.braille is
    not imported unless a braille job is planned."""
    if not any(job.format in BRAILLE_FORMATS for job in jobs):
        return jobs, []
    kept, reasons = [], {}
    for job in jobs:
        if job.format in BRAILLE_FORMATS:
            problem = braille_problem(job.lang, grade)
            if problem is not None:
                reasons.setdefault(str(problem), problem)
                continue
        kept.append(job)
    problems = []
    for message, problem in reasons.items():
        warning = no_table(problem) or not asked
        problems.append(Problem("", None, message, warning=warning))
    return kept, problems


def writer_settings(selection) -> dict:
    """The writer options a selection sets beyond the edition and size: the braille page."""
    return {name: getattr(selection, name, default) for name, default in BRAILLE_DEFAULTS.items()}


def key_part(job, settings: dict, memo: dict) -> dict:
    """What a braille or audio artifact's key holds besides the common parts: the braille
    settings and liblouis's table (version and hash), or the voices' versions."""
    if job.format in BRAILLE_FORMATS:
        grade = settings.get("braille_grade", 2)
        if ("louis", job.lang, grade) not in memo:
            try:
                from formats import braille
                memo["louis", job.lang, grade] = braille.fingerprint(job.lang, grade)
            except LeafletError as exc:
                memo["louis", job.lang, grade] = str(exc)
        return {"braille": sorted(settings.items()), "liblouis": memo["louis", job.lang, grade]}
    if job.format in AUDIO_FORMATS:
        if "voices" not in memo:
            from formats import audio
            memo["voices"] = audio.engine_versions()
        return {"voices": memo["voices"]}
    return {}


# The panel ------------------------------------------------------------------------------

def panel_formats(library: Library, lang: str) -> tuple[str, ...]:
    """The braille and audio formats that exist for a language, whatever this run builds:
    braille where liblouis has a table, audio where a voice speaks it."""
    found = []
    braille = [name for name in BRAILLE_FORMATS if name in formats.FORMATS]
    if braille and braille_problem(lang, PANEL_GRADE) is None:
        found.extend(braille)
    audio = [name for name in AUDIO_FORMATS if name in formats.FORMATS]
    voice_file = library.theme / "voice.yaml"
    named = voice_file.read_text(encoding="utf-8", errors="replace") \
        if voice_file.is_file() else ""
    if audio and has_voice(lang, named):
        found.extend(audio)
    return tuple(found)


@functools.lru_cache(maxsize=None)
def has_voice(lang: str, voice_yaml: str) -> bool:
    """Whether espeak-ng speaks the language or the library's voice.yaml names a voice."""
    from formats.audio import engine, settings

    if engine.espeak_version() and engine.espeak_voice(lang):
        return True
    try:
        return bool(voice_yaml and settings.read_voice(voice_yaml, "theme/voice.yaml")
                    .voice_for(lang))
    except LeafletError:
        return False  # the audio's own build reports the broken file


# Rendering ------------------------------------------------------------------------------

def no_voice(job, exc: LeafletError) -> bool:
    """Whether an audio writer's error means only that no voice speaks the language."""
    if job.format not in AUDIO_FORMATS:
        return False
    from formats.audio import NoVoice

    return isinstance(exc, NoVoice)


@contextlib.contextmanager
def warnings_as_problems(category: type[Warning], into: list[Problem]) -> Iterator[None]:
    """Around a writer: each ``category`` warning it gives becomes a build warning in
    ``into``, once however many artifacts give it; other warnings go on as they would."""
    others = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", category)
        try:
            yield
        finally:
            for warning in caught:
                if issubclass(warning.category, category):
                    problem = Problem("", None, str(warning.message), warning=True)
                    if problem not in into:
                        into.append(problem)
                else:
                    others.append(warning)
    # passed on only once recording has stopped: warned inside, each would be recorded
    # again, and the loop above would never end
    for warning in others:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno, source=warning.source)


@contextlib.contextmanager
def voice_warnings(job, into: list[Problem]) -> Iterator[None]:
    """Around an audio writer: its ``VoiceWarning``s (a named voice unusable, another
    speaking instead) become build warnings in ``into``."""
    if job.format not in AUDIO_FORMATS:
        yield
        return
    from formats.audio import VoiceWarning

    with warnings_as_problems(VoiceWarning, into):
        yield


@contextlib.contextmanager
def font_warnings(into: list[Problem]) -> Iterator[None]:
    """Around a writer: a ``FontWarning`` (a panel name printed in Latin letters, since no
    installed font has its script) becomes one build warning, the same for every PDF."""
    from formats.fonts import FontWarning

    with warnings_as_problems(FontWarning, into):
        yield