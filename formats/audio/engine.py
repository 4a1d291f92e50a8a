"""The voices: one small interface, espeak-ng by default, a library's Piper model where it names one.

An engine turns one piece of text into 16-bit mono samples.  espeak-ng runs as a
program (Debian's ``espeak-ng``), is deterministic, and speaks about a hundred
languages offline.  Piper (``pip install 'leaflet[piper]'``) sounds far more
natural but needs a model file per voice, which a library supplies in theme/;
its random variation is turned off so that the same text gives the same samples.

Where no voice speaks a language, ``NoVoice`` is raised: the builder skips that
language's audio with one warning.  A Piper model that is named but missing, or
Piper not installed, is a ``VoiceWarning`` (Python's warnings), and espeak-ng
speaks instead.
"""

from __future__ import annotations

import array
import functools
import importlib.util
import io
import re
import subprocess
import sys
import warnings
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from leaflet import langs
from leaflet.errors import LeafletError

from ..options import WriterOptions
from . import settings as audio_settings

ESPEAK = "espeak-ng"
SAMPLE_RATE = 22050
# Languages espeak-ng knows by another code than the leaflet's tag.
ESPEAK_ALIASES = {"zh": "cmn", "zh-hans": "cmn", "zh-hant": "yue", "nb": "nb", "no": "nb",
                  "fil": "tl", "tl": "tl"}
SILENCE_LEVEL = 64   # below this (of 32767) a sample counts as silence when trimming
EDGE_MS = 25         # silence kept at each end of a piece, so no word is clipped
CHUNK = 256          # samples looked at together when finding where the sound starts
TRIM = f"trim {SILENCE_LEVEL} {EDGE_MS}"  # how pieces are trimmed, for the keys of cached pieces
# espeak-ng (and Piper, through it) reads "[[...]]" in text as phonemes, so a leaflet
# could make the voice say words the print does not: the brackets are kept apart.  Control characters (which
# start espeak-ng's embedded commands) become spaces.
PHONEME_OPEN = re.compile(r"\[(?=\[)")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class NoVoice(LeafletError):
    """No voice speaks this language: its audio is skipped, with one warning."""

    def __init__(self, lang: str, reason: str = ""):
        self.lang = lang
        name = langs.english_name(lang)
        super().__init__("", None, reason or f"no voice speaks {name} ({lang}), so its audio "
                         "is not made (espeak-ng has no voice for it, and theme/voice.yaml "
                         "names none)")


class VoiceWarning(UserWarning):
    """A named voice could not be used; another speaks instead."""


@dataclass(frozen=True)
class Audio:
    """Samples: 16-bit signed, little-endian, mono."""

    samples: bytes
    rate: int

    @property
    def frames(self) -> int:
        return len(self.samples) // 2


class Engine(Protocol):
    """What the writers need of a voice."""

    def describe(self) -> str:
        """Engine, version and voice: part of the artifact's cache key."""

    def speak(self, text: str, rate: int) -> Audio:
        """``text`` said at ``rate`` words per minute."""


# espeak-ng ----------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def espeak_version() -> str:
    """"1.51", or "" when espeak-ng is not installed."""
    try:
        result = subprocess.run([ESPEAK, "--version"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    match = re.search(r"text-to-speech:\s*(\S+)", result.stdout)
    return match.group(1) if match else result.stdout.strip()


@functools.lru_cache(maxsize=1)
def espeak_voices() -> dict[str, str]:
    """espeak-ng's voices by lower-case language code ("en-gb", "pl", "ar")."""
    try:
        result = subprocess.run([ESPEAK, "--voices"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    voices: dict[str, str] = {}
    for line in result.stdout.splitlines()[1:]:
        columns = line.split()
        if len(columns) >= 2:
            voices.setdefault(columns[1].lower(), columns[1])
    return voices


def espeak_voice(lang: str, region: str = "GB") -> str:
    """The espeak-ng voice for a language tag, or "" when it has none.  The tag's own
    voice, else one of the same language in another region both ways: ``fr`` gets
    ``fr-fr`` (the language's own region, from CLDR's likely subtags), ``en`` the
    English of the library's region (``en-gb``), ``fr-CA`` the French one; a language
    CLDR files under another (prs is fa-AF) gets that language's voice."""
    voices = espeak_voices()
    tag = lang.lower()
    primary = tag.split("-")[0]
    for candidate in (tag, ESPEAK_ALIASES.get(tag, ""), primary, ESPEAK_ALIASES.get(primary, "")):
        if candidate and candidate in voices:
            return voices[candidate]
    locale = langs.babel_locale(lang)
    languages = dict.fromkeys([primary, *([locale.language] if locale is not None else [])])
    regions = [locale.territory if locale is not None else "", region, _likely_region(primary)]
    for language in languages:
        regional = {v: name for v, name in voices.items()
                    if v.startswith(f"{language}-") and _is_regional(v)}
        for wanted in dict.fromkeys(r.lower() for r in regions if r):
            if f"{language}-{wanted}" in regional:
                return regional[f"{language}-{wanted}"]
        if language in voices:
            return voices[language]
        if len(regional) == 1:
            return next(iter(regional.values()))
    return ""


def _is_regional(voice: str) -> bool:
    """"fr-fr", "es-419": a language and a region, not a script or a variant."""
    parts = voice.split("-")
    return len(parts) == 2 and (len(parts[1]) == 2 and parts[1].isalpha() or
                                len(parts[1]) == 3 and parts[1].isdigit())


def _likely_region(language: str) -> str:
    from babel.core import get_global

    likely = get_global("likely_subtags").get(language, "")
    return likely.split("_")[-1] if likely.count("_") >= 1 else ""


@dataclass(frozen=True)
class Espeak:
    voice: str
    folder: Path   # the writer's private temporary folder

    def describe(self) -> str:
        return f"espeak-ng {espeak_version()} voice {self.voice}"

    def speak(self, text: str, rate: int) -> Audio:
        out = self.folder / "piece.wav"
        # the text goes in on standard input, so nothing in it is read as an option; no
        # -m, so no SSML, and no phoneme input
        result = subprocess.run([ESPEAK, "-v", self.voice, "-s", str(rate), "-b", "1",
                                 "-w", str(out), "--stdin"],
                                input=voice_text(text).encode("utf-8"),
                                capture_output=True, timeout=300, check=False)
        if result.returncode != 0 or not out.is_file():
            raise RuntimeError(f"espeak-ng failed: {result.stderr.decode(errors='replace')}")
        return read_wav(out.read_bytes())


def voice_text(text: str) -> str:
    """Text as a voice is given it: said as written, never read as voice markup
    ("[[h'aI]]" is letters and brackets, not phonemes)."""
    return PHONEME_OPEN.sub("[ ", CONTROL.sub(" ", text))


# Piper ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Piper:
    model: Path
    name: str      # as voice.yaml names it, for the cache key

    def describe(self) -> str:
        from importlib.metadata import version
        return f"piper-tts {version('piper-tts')} model {self.name}"

    def speak(self, text: str, rate: int) -> Audio:
        from piper import SynthesisConfig

        voice = _piper_voice(str(self.model))
        # no random variation: the same text gives the same samples
        config = SynthesisConfig(length_scale=audio_settings.DEFAULT_RATE / rate,
                                 noise_scale=0.0, noise_w_scale=0.0)
        chunks = list(voice.synthesize(voice_text(text), syn_config=config))
        rate_hz = chunks[0].sample_rate if chunks else SAMPLE_RATE
        return Audio(b"".join(chunk.audio_int16_bytes for chunk in chunks), rate_hz)


@functools.lru_cache(maxsize=2)
def _piper_voice(model: str):
    from piper import PiperVoice
    return PiperVoice.load(model)


def versions() -> str:
    """The voices', the loudness filter's and the encoder's versions: the builder's key part
    for audio, since a new espeak-ng (or Piper, ffmpeg or LAME) says, levels or encodes the
    same text differently.  Which
    voice speaks a language follows from these and theme/voice.yaml, already in the key."""
    from importlib.metadata import PackageNotFoundError, version

    from .mp3 import lame_version
    from .loudness import ffmpeg_version
    try:
        piper = f"; piper-tts {version('piper-tts')}"
    except PackageNotFoundError:
        piper = ""
    return (f"espeak-ng {espeak_version() or 'missing'}; lame {lame_version() or 'missing'}"
            f"; ffmpeg {ffmpeg_version() or 'missing'}{piper}")


def piper_installed() -> bool:
    return importlib.util.find_spec("piper") is not None


# Choosing -------------------------------------------------------------------------------

def choose(lang: str, voice: audio_settings.VoiceSettings, options: WriterOptions,
           folder: Path, region: str = "GB") -> Engine:
    """The engine that speaks a language: the library's named voice, else espeak-ng's
    (for a tag without a region, the voice of the library's ``region`` where it has one)."""
    named = voice.voice_for(lang)
    rel = audio_settings.VOICE_REL
    if named.endswith(".onnx"):
        model = audio_settings.model_path(options, named)
        if model is None:
            warnings.warn(VoiceWarning(f"{rel}: the Piper model '{named}' for {lang} is not "
                                       "in theme/, so espeak-ng speaks instead"), stacklevel=2)
        elif not piper_installed():
            warnings.warn(VoiceWarning(f"{rel}: Piper is not installed (pip install "
                                       "'leaflet[piper]'), so espeak-ng speaks instead"),
                          stacklevel=2)
        else:
            return Piper(model, named)
        named = ""
    if not espeak_version():
        raise NoVoice(lang, "espeak-ng is not installed, so no audio is made (install "
                      "Debian's espeak-ng package: scripts/system-packages.sh runtime)")
    if named:
        if named.lower() not in espeak_voices():
            raise LeafletError(rel, None, f"espeak-ng has no voice '{named}' (see "
                               "espeak-ng --voices)")
        return Espeak(espeak_voices()[named.lower()], folder)
    found = espeak_voice(lang, region)
    if not found:
        raise NoVoice(lang)
    if not reads_its_language(found, lang):
        name = langs.english_name(lang)
        raise NoVoice(lang, f"no voice speaks {name} ({lang}), so its audio is not made: "
                      f"espeak-ng's voice '{found}' cannot read it (it says the language's "
                      "own name in another language), and theme/voice.yaml names none")
    return Espeak(found, folder)


@functools.lru_cache(maxsize=64)
def reads_its_language(voice: str, lang: str) -> bool:
    """Whether an espeak-ng voice reads the language as it is written: asked to say the
    language's own name (CLDR's), it does not switch to another language, as Mandarin's
    voice does for characters its dictionary lacks and the Gurmukhi Punjabi voice for
    Punjabi written in the Arabic script."""
    locale = langs.babel_locale(lang)
    name = locale.display_name if locale is not None else ""
    if not name:
        return True
    try:
        result = subprocess.run([ESPEAK, "-q", "-x", "-v", voice, name], capture_output=True,
                                text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return True  # the render reports what is wrong with espeak-ng
    return not re.search(r"\([a-z]{2,3}(?:-[a-z0-9]+)?\)", result.stdout)


# Samples --------------------------------------------------------------------------------

def read_wav(data: bytes) -> Audio:
    with wave.open(io.BytesIO(data)) as wav:
        if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
            raise RuntimeError("the voice did not give 16-bit mono audio")
        return Audio(wav.readframes(wav.getnframes()), wav.getframerate())


def trimmed(audio: Audio) -> Audio:
    """The audio without the silence a voice leaves around what it says, so that the
    pauses between sentences are the writer's own, and exact."""
    samples = array.array("h", audio.samples)
    if sys.byteorder == "big":
        samples.byteswap()
    start = _first_loud(samples, range(0, len(samples), CHUNK))
    if start is None:
        return Audio(b"", audio.rate)
    end = _first_loud(samples, range(len(samples) - CHUNK, -CHUNK, -CHUNK), last=True) + 1
    edge = audio.rate * EDGE_MS // 1000
    start, end = max(0, start - edge), min(len(samples), end + edge)
    # the bytes are cut from the original, so their byte order stays little-endian
    return Audio(audio.samples[2 * start:2 * end], audio.rate)


def _first_loud(samples: array.array, chunks: range, last: bool = False) -> int | None:
    """The first (or, going backwards, last) sample above the silence level: whole
    chunks are ruled out by their max and min, which array computes in C."""
    for begin in chunks:
        begin = max(begin, 0)
        chunk = samples[begin:begin + CHUNK]
        if max(chunk) > SILENCE_LEVEL or min(chunk) < -SILENCE_LEVEL:
            order = range(len(chunk) - 1, -1, -1) if last else range(len(chunk))
            return begin + next(i for i in order if abs(chunk[i]) > SILENCE_LEVEL)
    return None


def silence(ms: int, rate: int) -> bytes:
    return bytes(2 * (rate * ms // 1000))
