"""MP3 from samples (LAME), with ID3v2 tags and one chapter per section (mutagen).

Mono at 22.05 kHz and a constant 48 kbit/s: clear for speech, about 21 MB an
hour, small enough to e-mail a leaflet's audio or play it on a phone; constant
bit rate because players seek in it exactly, which chapters and the read-aloud
EPUB's clips rely on.  LAME and mutagen add no clock or random value of their
own, and the tags hold only what the leaflet says (its year, not today's), so
the same samples always give the same bytes.
"""

from __future__ import annotations

import functools
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from babel.core import get_global
from mutagen.id3 import CHAP, CTOC, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1, TPUB, TXXX, \
    CTOCFlags
from mutagen.mp3 import MP3

from leaflet.errors import LeafletError

LAME = "lame"
BITRATE_KBPS = 48
SAMPLE_RATE = 22050
ID3_VERSION = 3    # ID3v2.3: read by more players (Windows, car stereos) than v2.4
NO_OFFSET = 0xFFFFFFFF  # CHAP frames give times, not byte offsets


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float   # seconds
    end: float


@functools.lru_cache(maxsize=1)
def lame_version() -> str:
    try:
        result = subprocess.run([LAME, "--version"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    match = re.search(r"version\s+(\S+)", result.stdout)
    return match.group(1) if match else ""


def encode(samples: bytes, rate: int, folder: Path) -> bytes:
    """16-bit mono samples as a constant-bit-rate MP3.  LAME writes to a file, not to a
    pipe, so that it can go back and write the header that tells players the exact
    length and the encoder's delay."""
    if not lame_version():
        raise LeafletError("", None, "LAME, the MP3 encoder, is not installed (Debian's lame "
                           "package: scripts/system-packages.sh runtime)")
    out = folder / "audio.mp3"
    command = [LAME, "--quiet", "-r", "-s", f"{rate / 1000:g}", "--bitwidth", "16",
               "--signed", "--little-endian", "-m", "m", "-b", str(BITRATE_KBPS), "--cbr",
               "--resample", f"{SAMPLE_RATE / 1000:g}", "-q", "7", "--noreplaygain",
               "-", str(out)]
    result = subprocess.run(command, input=samples, capture_output=True, timeout=600,
                            check=False)
    if result.returncode != 0 or not out.is_file():
        raise RuntimeError(f"LAME failed: {result.stderr.decode(errors='replace')}")
    return out.read_bytes()


def iso639_2(lang: str) -> str:
    """The three-letter code ID3 wants for a language ("pol" for pl), or "und"."""
    base = lang.split("-")[0].lower()
    if len(base) == 3:
        return base
    codes = sorted(code for code, target in get_global("language_aliases").items()
                   if target == base and len(code) == 3 and code.startswith(base))
    return codes[0] if codes else "und"


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str           # the organisation
    language: str         # the leaflet's language tag
    year: int
    album: str = ""       # the leaflet's title when the title names an edition
    code: str = ""
    review: str = ""      # ISO date


def tag(mp3: bytes, tags: Tags, chapters: list[Chapter], toc_title: str) -> bytes:
    """The MP3 with ID3v2 tags: title, artist, language, year, and CHAP/CTOC chapters."""
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    id3.add(TPE1(encoding=3, text=[tags.artist]))
    id3.add(TPUB(encoding=3, text=[tags.artist]))
    id3.add(TALB(encoding=3, text=[tags.album or tags.title]))
    id3.add(TLAN(encoding=3, text=[iso639_2(tags.language)]))
    id3.add(TDRC(encoding=3, text=[str(tags.year)]))
    id3.add(TCON(encoding=3, text=["Speech"]))
    if tags.code:
        id3.add(TXXX(encoding=3, desc="Leaflet code", text=[tags.code]))
    if tags.review:
        id3.add(TXXX(encoding=3, desc="Review date", text=[tags.review]))
    ids = [f"chp{number}" for number in range(1, len(chapters) + 1)]
    id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                 child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=[toc_title])]))
    for element_id, chapter in zip(ids, chapters):
        id3.add(CHAP(element_id=element_id, start_time=round(chapter.start * 1000),
                     end_time=round(chapter.end * 1000), start_offset=NO_OFFSET,
                     end_offset=NO_OFFSET,
                     sub_frames=[TIT2(encoding=3, text=[chapter.title])]))
    out = io.BytesIO(mp3)
    id3.save(out, v2_version=ID3_VERSION, padding=lambda info: 0)
    return out.getvalue()


def duration(mp3: bytes) -> float:
    """The length of an MP3 in seconds (for the index's "length in minutes")."""
    return MP3(io.BytesIO(mp3)).info.length


def chapters(mp3: bytes) -> list[Chapter]:
    """The chapters of an MP3, in the order of its table of contents."""
    id3 = ID3(io.BytesIO(mp3))
    frames = {frame.element_id: frame for frame in id3.getall("CHAP")}
    order: list[str] = []
    for toc in id3.getall("CTOC"):
        if toc.flags & CTOCFlags.TOP_LEVEL:
            order = list(toc.child_element_ids)
    result = []
    for element_id in order or sorted(frames):
        frame = frames[element_id]
        titles = [sub.text[0] for sub in frame.sub_frames.values() if sub.FrameID == "TIT2"]
        result.append(Chapter(titles[0] if titles else "", frame.start_time / 1000,
                              frame.end_time / 1000))
    return result
