"""Audio: the leaflet spoken, as a chaptered MP3 (this module's ``write``) and as a read-aloud EPUB.

``speech`` turns printed text into words a voice cannot misread, from data per
language (``speech/<lang>.yaml``) and the library's ``theme/lexicon.yaml``;
``script`` decides what is said and in what order; ``engine`` is the voice
(espeak-ng, or a library's Piper model named in ``theme/voice.yaml``);
``narrate`` speaks it all and knows where each part lies in time; ``mp3``
encodes and tags; ``readaloud`` builds the EPUB 3 with media overlays.

For the builder: a language no voice speaks raises ``NoVoice`` (skip that
artifact with one warning, do not fail the build); a voice named but unusable is
a ``VoiceWarning`` through Python's warnings while another voice speaks;
``engine_versions()`` belongs in the artifact key of both audio formats;
``duration`` reads the length of a built MP3 or read-aloud EPUB for the index.
"""

from __future__ import annotations

from leaflet.model import Leaflet

from ..options import WriterOptions
from . import mp3
from .engine import NoVoice, VoiceWarning
from .engine import versions as engine_versions
from .recording import spoken

__all__ = ["NoVoice", "VoiceWarning", "chapters", "duration", "engine_versions", "spoken",
           "write"]


def write(leaflet: Leaflet, options: WriterOptions) -> bytes:
    """The leaflet as a chaptered MP3: one chapter for its title, one per section, one
    for the "also available" panel."""
    return spoken(leaflet, options)[1]


def duration(data: bytes) -> float:
    """Seconds of audio in a built MP3 or read-aloud EPUB: what the index shows as its
    length in minutes."""
    if data[:2] == b"PK":
        from .readaloud import book_duration
        return book_duration(data)
    return mp3.duration(data)


def chapters(data: bytes) -> list[mp3.Chapter]:
    """The chapters of a built MP3, in order."""
    return mp3.chapters(data)
