"""The leaflet spoken and encoded: the narration and its MP3, which both audio outputs are made of.

One render of the audio format speaks the leaflet once, here, and makes the MP3
and the read-aloud EPUB from what was said.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from leaflet.model import Leaflet

from ..options import WriterOptions
from ..shared import EDITION_NAMES, N_
from . import mp3, narrate
from .cache import Cache
from .narrate import Narration

CONTENTS = N_("Contents")


def spoken(leaflet: Leaflet, options: WriterOptions) -> tuple[Narration, bytes]:
    """The narration (timed as the MP3 plays it; its samples are dropped once encoded)
    and its MP3."""
    narration, audio = _encoded(leaflet, options, narrate.narrate(leaflet, options))
    return dataclasses.replace(narration, samples=b""), audio


def encode(leaflet: Leaflet, options: WriterOptions, narration: Narration) -> bytes:
    """The narration as a tagged, chaptered MP3."""
    return _encoded(leaflet, options, narration)[1]


def _encoded(leaflet: Leaflet, options: WriterOptions,
             narration: Narration) -> tuple[Narration, bytes]:
    meta = leaflet.meta
    title = meta.title
    if options.edition != "standard":
        title = f"{meta.title} ({options.gettext(EDITION_NAMES[options.edition])})"
    tags = mp3.Tags(title=title, artist=meta.organisation, language=meta.language,
                    year=meta.published.year, album=meta.title, code=meta.code,
                    review=meta.review.isoformat())
    cuts = [round(chapter.start * narration.rate) for chapter in narration.chapters]
    cache = Cache(options.speech_cache)
    with tempfile.TemporaryDirectory(prefix="leaflet-audio-") as folder:
        data, placed = mp3.encode(narration.samples, narration.rate, Path(folder), cuts, cache)
    cache.trim()
    timed = retimed(narration, placed)
    return timed, mp3.tag(data, tags, list(timed.chapters), options.gettext(CONTENTS))


def retimed(narration: Narration, placed: mp3.Placed) -> Narration:
    """The narration's times as the MP3 plays them: each part starts on a frame and its
    first sample after the encoder's delay, so times move a little at every chapter."""
    rate = narration.rate

    def at(seconds: float) -> float:
        return placed.seconds(round(seconds * rate))

    starts = [placed.part_start(round(c.start * rate)) for c in narration.chapters]
    ends = starts[1:] + [placed.duration]
    chapters = tuple(dataclasses.replace(c, start=start, end=end)
                     for c, start, end in zip(narration.chapters, starts, ends, strict=True))
    clips = tuple(dataclasses.replace(clip, start=at(clip.start), end=at(clip.end))
                  for clip in narration.clips)
    return dataclasses.replace(narration, clips=clips, chapters=chapters,
                               duration=placed.duration)
