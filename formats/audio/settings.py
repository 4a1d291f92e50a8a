"""The library's voice settings and lexicon as the audio writers use them.

``theme/voice.yaml`` and ``theme/lexicon.yaml`` are read and checked before any
writer runs (``leaflet/voice.py``, ``leaflet/lexicon.py``) and arrive parsed, as
``options.voice`` and ``options.lexicon``; a Piper model file named there is read
through ``options.assets``, as the logo is.
"""

from __future__ import annotations

from pathlib import Path

from leaflet.errors import LeafletError
from leaflet.lexicon import Lexicon
from leaflet.voice import DEFAULT_RATE, VOICE_REL, VoiceSettings

from ..options import WriterOptions

__all__ = ["DEFAULT_RATE", "VOICE_REL", "VoiceSettings", "load", "model_path"]


def load(options: WriterOptions) -> tuple[VoiceSettings, Lexicon]:
    """The library's voice settings and lexicon, as the options carry them."""
    return options.voice, options.lexicon


def model_path(options: WriterOptions, model: str) -> Path | None:
    """A Piper model named in voice.yaml, as a file inside theme/, or None when missing."""
    theme = options.theme
    if not theme.folder or options.assets is None or not Path(theme.file(model)).is_file():
        return None
    try:
        return options.assets.path(theme.file(model))
    except LeafletError as exc:
        raise LeafletError(VOICE_REL, None, exc.problems[0].message) from None
