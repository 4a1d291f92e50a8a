"""A library's voice settings, ``theme/voice.yaml``: which voice speaks each language, and how fast.

The file is optional and lives in the library's theme folder, beside its logo.
It is read and checked here, before any writer runs, and handed to the audio
writers as ``options.voice``::

    rate: 150                      # words per minute, 80 to 250 (contacts are read slower)
    voices:                        # per language tag; the rest get espeak-ng's own voice
      en-GB: en-gb-x-rp            # an espeak-ng voice name (espeak-ng --voices)
      pl: voices/pl_PL-gosia-medium.onnx   # a Piper model in theme/ (its .onnx.json beside it)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from . import config, langs
from .config import Field, Invalid, Table
from .errors import LeafletError, Problem
from .files import relative, stamp

VOICE_FILE = "voice.yaml"
VOICE_REL = f"theme/{VOICE_FILE}"
DEFAULT_RATE = 150   # espeak-ng's own 175 is brisk for a patient hearing it once
RATE_RANGE = (80, 250)


@dataclass(frozen=True)
class VoiceSettings:
    """How the library's audio speaks."""

    rate: int = DEFAULT_RATE
    voices: tuple[tuple[str, str], ...] = ()   # (language tag, voice name or model file)

    def voice_for(self, lang: str) -> str:
        """The voice the library names for a language (its tag, else its base), or ""."""
        named = {tag.lower(): voice for tag, voice in self.voices}
        return named.get(lang.lower()) or named.get(lang.split("-")[0].lower(), "")

    def models(self) -> tuple[tuple[str, str], ...]:
        """(language tag, model file) of every Piper model named."""
        return tuple((lang, voice) for lang, voice in self.voices if voice.endswith(".onnx"))


VOICES_MESSAGE = ("'voices' must be 'language: voice' lines (an espeak-ng voice name, or a "
                  "Piper .onnx file in theme/)")


def _voices(voices: dict, reading: config.Reading, at: tuple) -> tuple[tuple[str, str], ...]:
    if not all(config.words(voice) for voice in voices.values()):
        raise Invalid(VOICES_MESSAGE)
    chosen = []
    for lang, voice in voices.items():
        lang, voice = str(lang), voice.strip()
        try:
            langs.check(lang)
        except LeafletError as exc:
            reading.error(at + (lang,), exc.problems[0].message)
            continue
        if voice.endswith(".onnx") and (Path(voice).is_absolute() or ".." in Path(voice).parts):
            reading.error(at + (lang,), f"the Piper model '{voice}' must be a file inside "
                          "theme/")
            continue
        chosen.append((lang, voice))
    return tuple(chosen)


TABLE = Table(
    fields={
        "rate": Field(f"words per minute, a whole number from {RATE_RANGE[0]} to "
                      f"{RATE_RANGE[1]}", kind=int, range=RATE_RANGE, default=DEFAULT_RATE,
                      message=f"'rate' is words per minute, a whole number from "
                      f"{RATE_RANGE[0]} to {RATE_RANGE[1]}"),
        "voices": Field("the voice of each language: an espeak-ng voice name, or a Piper "
                        ".onnx model in theme/", kind=dict, default=(), check=_voices,
                        message=VOICES_MESSAGE),
    },
    unknown="unknown voice setting '{key}' (settings: {known})",
    shape="the voice settings must be 'rate:' and 'voices:'",
)


def parse(text: str, rel: str = VOICE_REL) -> VoiceSettings:
    """Voice settings from the text of a voice.yaml; a LeafletError holds every problem."""
    return VoiceSettings(**config.read_text(text, rel, TABLE, "the voice settings"))


def load(theme: Path, root: Path) -> VoiceSettings:
    """The library's voice settings; the defaults when it has no voice.yaml."""
    path = Path(theme) / VOICE_FILE
    if not path.is_file():
        return VoiceSettings()
    return _parsed(path, relative(path, Path(root)), stamp(path))


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, rel: str, _stamp: tuple) -> VoiceSettings:
    return parse(config.file_text(path, rel, "the voice settings"), rel)


def problems(theme: Path, root: Path) -> list[Problem]:
    """Everything ``load`` would refuse, and a warning for each Piper model that is not
    in theme/ (the build then speaks with espeak-ng), for ``leaflet check``."""
    try:
        settings = load(theme, root)
    except LeafletError as exc:
        return list(exc.problems)
    if not settings.models():
        return []
    path = Path(theme) / VOICE_FILE
    rel = relative(path, Path(root))
    lines = config.lines_of(path.read_text(encoding="utf-8"), rel)
    found = []
    for lang, model in settings.models():
        target = (Path(theme) / model).resolve()
        if not target.is_relative_to(Path(theme).resolve()) or not target.is_file():
            found.append(Problem(rel, lines.get(("voices", lang)), f"the Piper model "
                                 f"'{model}' for {lang} is not in theme/, so espeak-ng "
                                 "speaks instead", warning=True))
    return found
