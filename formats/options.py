"""What a writer is told besides the leaflet: edition, size, panel, draft state, words, assets."""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from leaflet import svgsafe
from leaflet.errors import LeafletError

from leaflet.lexicon import Lexicon
from leaflet.theme import Theme
from leaflet.voice import VoiceSettings

DEFAULT_SIZE_PT = {"standard": 12.0, "large-print": 18.0, "easy-read": 16.0}

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Availability:
    """One language in the "also available" panel, named in its own language."""

    lang: str
    name: str
    editions: tuple[str, ...]
    direction: str = "ltr"
    formats: tuple[str, ...] = ()  # braille and audio formats that exist in it ("brf", "audio")
    href: str = ""  # its web page's public address, when the library has a site_url
    draft: bool = False  # a translation not yet signed off: the panel says so


@dataclass(frozen=True)
class Assets:
    """Reads pictures for a writer, only from the folders it was given.

    ``folder`` is the leaflet's own folder (where a source's relative paths
    point); ``pictograms`` holds the tool's pictograms (``pictogram:NAME``);
    ``extra`` are other folders writers may read (the theme, templates).
    Anything else, including a path that climbs out with ``..`` or a link that
    points elsewhere, is refused.
    """

    folder: str
    pictograms: str = ""
    extra: tuple[str, ...] = ()

    def roots(self) -> list[Path]:
        return [Path(p).resolve() for p in (self.folder, self.pictograms, *self.extra) if p]

    def path(self, src: str) -> Path:
        if src.startswith("pictogram:"):
            if not self.pictograms:
                raise LeafletError("", None, f"picture '{src}': no pictograms available")
            target = (Path(self.pictograms) / f"{src.split(':', 1)[1]}.svg").resolve()
        elif "://" in src or src.startswith(("//", "data:", "file:")):
            raise LeafletError("", None, f"'{src}' is outside the leaflet's folder; nothing is fetched")
        else:
            target = (Path(self.folder) / src).resolve()
        if not any(target.is_relative_to(root) for root in self.roots()):
            raise LeafletError("", None, f"'{src}' is outside the leaflet's folder")
        if not target.is_file():
            raise LeafletError("", None, f"picture '{src}' does not exist")
        return target

    def read(self, src: str) -> bytes:
        # An SVG arrives rebuilt from its safe parts and a raster checked, so an
        # output carries only what passed leaflet.svgsafe.
        return svgsafe.read_picture(self.path(src), src)

    def media_type(self, src: str) -> str:
        suffix = ".svg" if src.startswith("pictogram:") else Path(src).suffix.lower()
        return MEDIA_TYPES.get(suffix) or mimetypes.guess_type(src)[0] or "application/octet-stream"


@dataclass(frozen=True)
class WriterOptions:
    """Everything a writer needs besides the leaflet.  Picklable, and its
    ``repr`` is part of an artifact's cache key."""

    edition: str = "standard"
    size_pt: float = 0.0
    available: tuple[Availability, ...] = ()
    draft: bool = False
    awaiting_approval: bool = False  # the source changed after its last approval
    assets: Assets | None = None
    words: dict[str, str] = field(default_factory=dict, compare=False)
    ui_lang: str = "en-GB"
    source_date: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    text_width: int = 72
    braille_cells: int = 40  # cells per line, lines per page, grade: 2 contracted, 1 not
    braille_lines: int = 25
    braille_grade: int = 2
    theme: Theme = Theme()  # the library's look: colours, fonts, logo (leaflet/theme.py)
    voice: VoiceSettings = VoiceSettings()  # theme/voice.yaml (leaflet/voice.py)
    lexicon: Lexicon = Lexicon()  # theme/lexicon.yaml (leaflet/lexicon.py)
    # a folder where the audio writer keeps what it spoke and encoded, by content, across
    # builds (<out>/.cache/speech); "" keeps nothing.  Where it is changes no output.
    speech_cache: str = field(default="", compare=False, repr=False)

    @property
    def size(self) -> float:
        """The body text size in points for this edition."""
        return self.size_pt or DEFAULT_SIZE_PT.get(self.edition, 12.0)

    def gettext(self, message: str) -> str:
        """A template word in the leaflet's language (the tool's own catalogs)."""
        return self.words.get(message) or message
