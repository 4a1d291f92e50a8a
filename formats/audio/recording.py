"""The leaflet spoken once and encoded: the narration and its MP3, kept for the next writer.

Both audio writers (the MP3 and the read-aloud EPUB) start here, so a worker that
renders both speaks the leaflet once.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from leaflet.model import Leaflet

from ..options import WriterOptions
from ..shared import EDITION_NAMES, N_
from . import mp3, narrate, settings
from .narrate import Narration

CONTENTS = N_("Contents")

# The last few narrations this process made, with their MP3s: a worker that renders a
# leaflet's MP3 and, later, its read-aloud EPUB speaks it once; speaking is the slow
# part.  The key holds everything the words and the voice depend on; an entry is the
# MP3 and the timings, a few MB.
_RECENT: dict[object, tuple[Narration, bytes]] = {}
RECENT_SIZE = 4


def spoken(leaflet: Leaflet, options: WriterOptions) -> tuple[Narration, bytes]:
    """The narration (timings; its samples are dropped) and the MP3 made from it."""
    key = (leaflet, options, tuple(sorted(options.words.items())),
           settings.theme_text(options, settings.VOICE_FILE),
           settings.theme_text(options, settings.LEXICON_FILE))
    try:
        if key in _RECENT:
            return _RECENT[key]
    except TypeError:  # something in the options cannot be hashed: no reuse
        key = None
    narration = narrate.narrate(leaflet, options)
    made = (dataclasses.replace(narration, samples=b""), encode(leaflet, options, narration))
    if key is not None:
        while len(_RECENT) >= RECENT_SIZE:
            del _RECENT[next(iter(_RECENT))]
        _RECENT[key] = made
    return made


def encode(leaflet: Leaflet, options: WriterOptions, narration: Narration) -> bytes:
    meta = leaflet.meta
    title = meta.title
    if options.edition != "standard":
        title = f"{meta.title} ({options.gettext(EDITION_NAMES[options.edition])})"
    tags = mp3.Tags(title=title, artist=meta.organisation, language=meta.language,
                    year=meta.published.year, album=meta.title, code=meta.code,
                    review=meta.review.isoformat())
    with tempfile.TemporaryDirectory(prefix="leaflet-audio-") as folder:
        data = mp3.encode(narration.samples, narration.rate, Path(folder))
    return mp3.tag(data, tags, list(narration.chapters), options.gettext(CONTENTS))
