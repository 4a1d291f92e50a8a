"""The leaflet said aloud: every segment spoken, the pauses between them, and where each lies in time.

Each segment is spoken on its own and its surrounding silence trimmed, so the
writer knows to the sample where every heading and paragraph starts and ends
(for chapters and the read-aloud EPUB's clips), and the pauses are its own.
espeak-ng works in a private temporary folder, removed when the narration is done.
"""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from leaflet.model import Leaflet

from ..options import WriterOptions
from . import engine, script, settings
from .mp3 import Chapter
from .speech import for_language

LEAD_MS = 300          # silence before the first word
TAIL_MS = 800          # and after the last
CHAPTER_PAUSE_MS = 1200  # at least this much silence before a new section
CHAPTER_LEAD_MS = 250  # a chapter starts this much before its heading is said
SLOW = 0.8             # contact details: four fifths of the usual rate
EASY_READ_RATE = 0.9   # the easy read edition is read a little slower throughout


@dataclass(frozen=True)
class Clip:
    """Where one segment is said: from ``start`` to ``end`` seconds."""

    segment: script.Segment
    start: float
    end: float


@dataclass(frozen=True)
class Narration:
    samples: bytes       # 16-bit mono, little-endian
    rate: int
    clips: tuple[Clip, ...]
    chapters: tuple[Chapter, ...]
    voice: str           # engine, version and voice, as the cache key needs it
    duration: float      # seconds


def narrate(leaflet: Leaflet, options: WriterOptions) -> Narration:
    """Speak the whole leaflet.  Raises ``engine.NoVoice`` when no voice speaks its language."""
    voice_settings, lexicon = settings.load(options)
    meta = leaflet.meta
    speech = for_language(meta.language, meta.region, lexicon)
    segments = script.segments(leaflet, options, speech)
    rate = voice_settings.rate * (EASY_READ_RATE if options.edition == "easy-read" else 1.0)
    with tempfile.TemporaryDirectory(prefix="leaflet-audio-") as folder:
        voice = engine.choose(meta.language, voice_settings, options, Path(folder))
        others: dict[str, engine.Engine] = {}
        pieces: list[bytes] = []
        clips: list[Clip] = []
        starts: list[tuple[str, int]] = []
        sample_rate = 0
        position = 0

        def add(data: bytes) -> None:
            nonlocal position
            pieces.append(data)
            position += len(data) // 2

        for number, segment in enumerate(segments):
            speaker = _speaker(segment, voice, others, voice_settings, options, Path(folder))
            words_per_minute = round(rate * (SLOW if segment.slow else 1.0))
            audio = engine.trimmed(speaker.speak(segment.spoken, words_per_minute))
            sample_rate = sample_rate or audio.rate
            if audio.rate != sample_rate:
                raise RuntimeError(f"the voice gave {audio.rate} Hz audio, not {sample_rate} Hz")
            if number == 0:
                add(engine.silence(LEAD_MS, sample_rate))
            elif segment.chapter:
                add(engine.silence(max(0, CHAPTER_PAUSE_MS - segments[number - 1].pause_ms),
                                   sample_rate))
            if segment.chapter:
                lead = min(position, sample_rate * CHAPTER_LEAD_MS // 1000)
                starts.append((segment.chapter, 0 if not starts else position - lead))
            start = position
            add(audio.samples)
            clips.append(Clip(segment, start / sample_rate, position / sample_rate))
            add(engine.silence(segment.pause_ms, sample_rate))
        add(engine.silence(TAIL_MS, sample_rate or engine.SAMPLE_RATE))
        sample_rate = sample_rate or engine.SAMPLE_RATE
        ends = [start for _title, start in starts[1:]] + [position]
        chapters = tuple(Chapter(title, start / sample_rate, end / sample_rate)
                         for (title, start), end in zip(starts, ends))
        return Narration(b"".join(pieces), sample_rate, tuple(clips), chapters,
                         voice.describe(), position / sample_rate)


def _speaker(segment: script.Segment, voice: engine.Engine, others: dict,
             voice_settings: settings.VoiceSettings, options: WriterOptions,
             folder: Path) -> engine.Engine:
    """The voice for a segment: the leaflet's, or for the English DRAFT line espeak-ng's
    English when the leaflet's voice is espeak-ng too (every espeak-ng voice gives the
    same sample rate, so their pieces join without resampling)."""
    if not segment.lang or not isinstance(voice, engine.Espeak):
        return voice
    if segment.lang not in others:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", engine.VoiceWarning)
                other = engine.choose(segment.lang, voice_settings, options, folder)
            others[segment.lang] = other if isinstance(other, engine.Espeak) else voice
        except engine.NoVoice:
            others[segment.lang] = voice
    return others[segment.lang]
