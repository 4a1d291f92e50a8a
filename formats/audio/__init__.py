"""Audio: the leaflet spoken, as a chaptered MP3 (this module's ``write``) and as a read-aloud EPUB.

``speech`` turns printed text into words a voice cannot misread, from data per
language (``speech/<lang>.yaml``) and the library's ``theme/lexicon.yaml``;
``script`` decides what is said and in what order; ``engine`` is the voice
(espeak-ng, or a library's Piper model named in ``theme/voice.yaml``);
``narrate`` speaks it all and knows where each part lies in time; ``loudness``
brings every piece to -18 LUFS under a -3 dBTP ceiling (ffmpeg); ``cache`` keeps
spoken pieces and encoded chapters by content in the folder the options name, so an
edit re-speaks only what changed; ``mp3`` encodes and tags; ``readaloud`` builds the
EPUB 3 with media overlays.

One render speaks the leaflet once and returns the MP3 with the read-aloud EPUB as
its companion (the read-aloud record is ``made_by`` audio).  For the builder, through
the two format records: ``unavailable`` says which languages no voice speaks (their
audio is skipped with one warning), ``engines`` is the voices' and the encoder's part
of the key, ``probe`` what the first depends on, told without running espeak-ng; a
voice named but unusable comes back as a warning in ``Rendered.warnings`` while another
voice speaks.  The modules below are imported when first used, so that a build that
only asks whether audio exists loads none of them.
"""

from __future__ import annotations

import glob
import importlib
import importlib.util
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.errors import LeafletError

from .. import Rendered, Unavailable, files_stamp, warnings_of

if TYPE_CHECKING:
    from leaflet.model import Leaflet

    from ..options import WriterOptions
    from . import mp3

__all__ = ["NoVoice", "VoiceWarning", "chapters", "duration", "engine_versions", "engines",
           "probe", "spoken", "unavailable", "write"]

READ_ALOUD = "read-aloud"  # the format name of the companion
# Imported when first used, so that a build that only asks whether audio exists (for
# the "also available" panel) loads neither the voices nor the MP3 stack.
_LAZY = {"NoVoice": ("engine", "NoVoice"), "VoiceWarning": ("engine", "VoiceWarning"),
         "engine_versions": ("engine", "versions"), "spoken": ("recording", "spoken")}
ESPEAK = "espeak-ng"  # the program engine.py runs (engine.ESPEAK)
# Where espeak-ng keeps its voices, besides $ESPEAK_DATA_PATH: beside its library (Debian),
# or under the prefix it is installed in.
ESPEAK_DATA = ("/usr/lib/*/espeak-ng-data", "/usr/lib/espeak-ng-data",
               "/usr/share/espeak-ng-data", "/usr/local/share/espeak-ng-data")


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)


def write(leaflet: Leaflet, options: WriterOptions) -> Rendered:
    """The leaflet as a chaptered MP3 (one chapter for its title, one per section, one
    for the "also available" panel) and, made from the same narration, its read-aloud
    EPUB.  A language no voice speaks raises ``Unavailable``."""
    from .engine import NoVoice, VoiceWarning
    from .recording import spoken

    with warnings_of(VoiceWarning) as voice_warnings:
        try:
            narration, audio = spoken(leaflet, options)
        except NoVoice as exc:
            raise Unavailable(problems=exc.problems) from None
    from . import readaloud  # the EPUB stack: not loaded by a build that only asks for voices

    seconds = round(narration.duration, 3)
    book = readaloud.book(leaflet, options, narration, audio)
    facts = {"duration_seconds": seconds, "voice": narration.voice}
    return Rendered(audio, {**facts, "chapters": narration.chapters}, tuple(voice_warnings),
                    companions={READ_ALOUD: Rendered(book, facts, tuple(voice_warnings))})


def unavailable(lang: str, options: WriterOptions) -> str | None:
    """Why no voice speaks the language (espeak-ng has none, or is missing, and
    theme/voice.yaml names none), or None."""
    from . import engine, settings
    from .engine import NoVoice, VoiceWarning

    try:
        voice_settings, _lexicon = settings.load(options)
    except LeafletError:
        return None  # the render reports the broken file
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VoiceWarning)  # the render reports them
        try:
            engine.choose(lang, voice_settings, options, Path(tempfile.gettempdir()))
        except NoVoice as exc:
            return str(exc)
        except LeafletError:
            return None  # a voice named that espeak-ng lacks: the render reports it
    return None


def engines(lang: str, options: WriterOptions) -> str:
    """The voices' and the encoder's versions: a new espeak-ng (or Piper, or LAME) says or
    encodes the same text differently.  Which voice speaks follows from these and
    theme/voice.yaml, which the key holds already."""
    from .engine import versions

    return versions()


def probe() -> str:
    """What ``unavailable`` would find here, told without running espeak-ng: the program
    on PATH, its data folders (voices and dictionaries), the system's library index (its
    library installed, upgraded or removed changes it), and whether Piper is installed."""
    program = shutil.which(ESPEAK)
    folders = [os.path.join(os.environ["ESPEAK_DATA_PATH"], "espeak-ng-data")] \
        if os.environ.get("ESPEAK_DATA_PATH") else []
    if program:
        folders.append(os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(
            program))), "share", "espeak-ng-data"))
    for pattern in ESPEAK_DATA:
        folders.extend(sorted(glob.glob(pattern)))
    # the whole data folders: a voice reads its language by its compiled dictionary
    # (espeak-ng's *_dict files) as much as by its voice file
    voices = list(dict.fromkeys(folders))
    piper = importlib.util.find_spec("piper")
    return "; ".join([f"{ESPEAK} at {program}", f"piper at {piper and piper.origin}",
                      files_stamp(*filter(None, [program]), "/etc/ld.so.cache", *voices)])


def duration(data: bytes) -> float:
    """Seconds of audio in a built MP3, as a player reads it."""
    from . import mp3

    return mp3.duration(data)


def chapters(data: bytes) -> list[mp3.Chapter]:
    """The chapters of a built MP3, in order."""
    from . import mp3

    return mp3.chapters(data)
