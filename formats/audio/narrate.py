"""The leaflet said aloud: every segment spoken, the pauses between them, and where each lies in time.

Each segment is spoken on its own and its surrounding silence trimmed, so the
writer knows to the sample where every heading and paragraph starts and ends
(for chapters and the read-aloud EPUB's clips), and the pauses are its own.
espeak-ng works in a private temporary folder, removed when the narration is done.

A piece is spoken once: what the voice made of a text (at a rate, in a voice and
version, brought to the loudness ``loudness`` sets) is kept in the options' speech
cache by all of these, so a leaflet whose one paragraph changed has one paragraph
spoken again.  A piece the voice says nothing for (a write-in line of dots) gets no
clip and no pause: a clip must last.
"""

from __future__ import annotations

import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from leaflet.model import Leaflet
from leaflet.voice import VoiceSettings

from ..options import WriterOptions
from . import engine, loudness, script
from .cache import Cache, key
from .mp3 import Chapter
from .speech import for_language

LEAD_MS = 300          # silence before the first word
TAIL_MS = 800          # and after the last
CHAPTER_PAUSE_MS = 1200  # at least this much silence before a new section
CHAPTER_LEAD_MS = 250  # a chapter starts this much before its heading is said
SLOW = 0.8             # contact details: four fifths of the usual rate
EASY_READ_RATE = 0.9   # the easy read edition is read a little slower throughout
PIECE_FORMAT = 1       # what a cached piece holds and how it was made


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
    voice_settings, lexicon = options.voice, options.lexicon
    meta = leaflet.meta
    speech = for_language(meta.language, meta.region, lexicon)
    segments = script.segments(leaflet, options, speech)
    rate = voice_settings.rate * (EASY_READ_RATE if options.edition == "easy-read" else 1.0)
    cache = Cache(options.speech_cache)
    with tempfile.TemporaryDirectory(prefix="leaflet-audio-") as folder:
        voice = engine.choose(meta.language, voice_settings, options, Path(folder), meta.region)
        others: dict[str, engine.Engine] = {}
        said = []
        for segment in segments:
            speaker = _speaker(segment, voice, others, voice_settings, options, Path(folder))
            said.append((speaker, round(rate * (SLOW if segment.slow else 1.0))))
        pieces = _pieces(segments, said, cache)
    cache.trim()
    return _joined(segments, pieces, voice.describe())


def _pieces(segments: list[script.Segment], said: list[tuple[engine.Engine, int]],
            cache: Cache) -> list[engine.Audio]:
    """Each segment's audio: from the cache, or spoken now, all the new pieces brought to
    the same loudness together, and kept."""
    names = [key(PIECE_FORMAT, speaker.describe(), words_per_minute, segment.spoken,
                 engine.TRIM, loudness.settings())
             for segment, (speaker, words_per_minute) in zip(segments, said, strict=True)]
    found = {name: _unpacked(cache.get(name)) for name in dict.fromkeys(names)}
    missing = [name for name, audio in found.items() if audio is None]
    first = {name: names.index(name) for name in missing}  # each new text is spoken once
    fresh = [engine.trimmed(said[first[name]][0].speak(segments[first[name]].spoken,
                                                       said[first[name]][1]))
             for name in missing]
    for sample_rate in sorted({audio.rate for audio in fresh}):
        group = [(name, audio) for name, audio in zip(missing, fresh, strict=True)
                 if audio.rate == sample_rate]
        loud = loudness.normalise([audio.samples for _name, audio in group], sample_rate)
        for (name, _audio), samples in zip(group, loud, strict=True):
            found[name] = engine.Audio(samples, sample_rate)
            cache.put(name, sample_rate.to_bytes(4, "big") + samples)
    return [found[name] for name in names]


def _unpacked(entry: bytes | None) -> engine.Audio | None:
    if entry is None or len(entry) < 4 or len(entry) % 2:
        return None
    return engine.Audio(entry[4:], int.from_bytes(entry[:4], "big"))


def _joined(segments: list[script.Segment], pieces: list[engine.Audio], voice: str) -> Narration:
    """The pieces one after another with their pauses, and where each lies in time."""
    sample_rate = next((p.rate for p in pieces if p.samples), 0) or engine.SAMPLE_RATE
    parts: list[bytes] = []
    clips: list[Clip] = []
    starts: list[tuple[str, int]] = []
    position = 0
    last_pause = 0

    def add(data: bytes) -> None:
        nonlocal position
        parts.append(data)
        position += len(data) // 2

    for number, (segment, audio) in enumerate(zip(segments, pieces, strict=True)):
        if audio.samples and audio.rate != sample_rate:
            raise RuntimeError(f"the voice gave {audio.rate} Hz audio, not {sample_rate} Hz")
        if number == 0:
            add(engine.silence(LEAD_MS, sample_rate))
        elif segment.chapter:
            add(engine.silence(max(0, CHAPTER_PAUSE_MS - last_pause), sample_rate))
        if segment.chapter:
            lead = min(position, sample_rate * CHAPTER_LEAD_MS // 1000)
            starts.append((segment.chapter, 0 if not starts else position - lead))
        if not audio.samples:
            continue  # nothing said: no clip, and no pause after nothing
        start = position
        add(audio.samples)
        clips.append(Clip(segment, start / sample_rate, position / sample_rate))
        add(engine.silence(segment.pause_ms, sample_rate))
        last_pause = segment.pause_ms
    add(engine.silence(TAIL_MS, sample_rate))
    ends = [start for _title, start in starts[1:]] + [position]
    chapters = tuple(Chapter(title, start / sample_rate, end / sample_rate)
                     for (title, start), end in zip(starts, ends, strict=True))
    return Narration(b"".join(parts), sample_rate, tuple(clips), chapters, voice,
                     position / sample_rate)


def _speaker(segment: script.Segment, voice: engine.Engine, others: dict,
             voice_settings: VoiceSettings, options: WriterOptions,
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
