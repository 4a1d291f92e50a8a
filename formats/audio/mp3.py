"""MP3 from samples (LAME), with ID3v2 tags and one chapter per section (mutagen).

Mono at 22.05 kHz and a constant 48 kbit/s: clear for speech, about 21 MB an
hour, small enough to e-mail a leaflet's audio or play it on a phone; constant
bit rate because players seek in it exactly, which chapters and the read-aloud
EPUB's clips rely on.  LAME and mutagen add no clock or random value of their
own, and the tags hold only what the leaflet says (its year, not today's), so
the same samples always give the same bytes.

The audio is encoded in parts, one per chapter, cut in the silence before it, and the
parts' frames joined: a part whose samples were encoded before comes from the cache, so
a one-sentence edit encodes one chapter again.  Each part starts on a frame of its own
(no bit reservoir reaches back into the part before), its encoder delay and padding fall
in that silence, and where every sample lies in the joined file is known to the sample
(``Placed``).  The parts carry no LAME tag: at a constant bit rate a player finds the
length and any moment from the file's size.

Chapters are written in the order of the table of contents, which is time order: players
built on FFmpeg list CHAP frames in the order they are stored.  The table counts its
entries in one byte, so past 255 chapters the top table lists tables of 255.
"""

from __future__ import annotations

import functools
import hashlib
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

from .cache import Cache, key

LAME = "lame"
BITRATE_KBPS = 48
SAMPLE_RATE = 22050
ID3_VERSION = 3    # ID3v2.3: read by more players (Windows, car stereos) than v2.4
NO_OFFSET = 0xFFFFFFFF  # CHAP frames give times, not byte offsets
FRAME_SAMPLES = 576     # samples per frame of MPEG-2 layer III
ENCODER_DELAY = 576     # LAME's delay: where a part's first sample lies in its frames
TOC_ENTRIES = 255       # a CTOC frame counts its entries in one byte


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


def lame_command(rate: int, out: Path) -> list[str]:
    return [LAME, "--quiet", "-r", "-s", f"{rate / 1000:g}", "--bitwidth", "16", "--signed",
            "--little-endian", "-m", "m", "-b", str(BITRATE_KBPS), "--cbr", "--resample",
            f"{SAMPLE_RATE / 1000:g}", "-q", "7", "--noreplaygain", "-t", "-", str(out)]


def encode_part(samples: bytes, rate: int, folder: Path) -> bytes:
    """16-bit mono samples as constant-bit-rate MP3 frames, without a LAME tag."""
    if not lame_version():
        raise LeafletError("", None, "LAME, the MP3 encoder, is not installed (Debian's lame "
                           "package: scripts/system-packages.sh runtime)")
    out = folder / "audio.mp3"
    result = subprocess.run(lame_command(rate, out), input=samples, capture_output=True,
                            timeout=600, check=False)
    if result.returncode != 0 or not out.is_file():
        raise RuntimeError(f"LAME failed: {result.stderr.decode(errors='replace')}")
    return out.read_bytes()


def frame_count(data: bytes) -> int:
    """The frames of an MP3 made by ``encode_part``, counted by their headers."""
    position = count = 0
    size = 72 * BITRATE_KBPS * 1000 // SAMPLE_RATE
    while position < len(data):
        if data[position] != 0xFF or data[position + 1] & 0xE0 != 0xE0:
            raise RuntimeError(f"LAME's output has no frame header at byte {position}")
        position += size + ((data[position + 2] >> 1) & 1)
        count += 1
    return count


@dataclass(frozen=True)
class Placed:
    """Where the samples of the narration lie in the MP3: each part's first sample and,
    in the MP3's samples (at ``SAMPLE_RATE``), where its frames begin."""

    rate: int                        # the narration's sample rate
    cuts: tuple[int, ...]            # each part's first sample in the narration
    frames_at: tuple[int, ...]       # each part's first sample in the MP3
    length: int                      # the MP3's samples

    def seconds(self, sample: int) -> float:
        """Where the narration's sample is heard in the MP3, in seconds."""
        part = max(i for i, cut in enumerate(self.cuts) if cut <= sample) if sample else 0
        inside = (sample - self.cuts[part]) * SAMPLE_RATE / self.rate
        return (self.frames_at[part] + ENCODER_DELAY + inside) / SAMPLE_RATE

    def part_start(self, sample: int) -> float:
        """Where the part that starts at the narration's sample begins in the MP3."""
        return self.frames_at[self.cuts.index(sample)] / SAMPLE_RATE

    @property
    def duration(self) -> float:
        return self.length / SAMPLE_RATE


def encode(samples: bytes, rate: int, folder: Path, cuts: list[int] | None = None,
           cache: Cache | None = None) -> tuple[bytes, Placed]:
    """16-bit mono samples as a constant-bit-rate MP3, encoded in parts that start at the
    ``cuts`` (sample numbers in silence), each part taken from the cache when its samples
    were encoded before."""
    cache = cache or Cache("")
    total = len(samples) // 2
    starts = sorted({0, *(cut for cut in cuts or () if 0 < cut < total)})
    frames, frames_at = [], []
    length = 0
    for start, end in zip(starts, [*starts[1:], total], strict=True):
        part = samples[2 * start:2 * end]
        name = key("mp3 part", lame_version(), " ".join(lame_command(rate, Path("-"))), rate,
                   hashlib.sha256(part).digest())
        data = cache.get(name)
        if data is None:
            data = encode_part(part, rate, folder)
            cache.put(name, data)
        frames_at.append(length)
        length += frame_count(data) * FRAME_SAMPLES
        frames.append(data)
    return b"".join(frames), Placed(rate, tuple(starts), tuple(frames_at), length)


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
    tables = [ids[i:i + TOC_ENTRIES] for i in range(0, len(ids), TOC_ENTRIES)] or [[]]
    top = CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    if len(tables) == 1:
        id3.add(CTOC(element_id="toc", flags=top, child_element_ids=ids,
                     sub_frames=[TIT2(encoding=3, text=[toc_title])]))
        order = ["toc"]
    else:  # a table of tables, each of at most 255 chapters
        order = [f"toc{number}" for number in range(1, len(tables) + 1)]
        id3.add(CTOC(element_id="toc", flags=top, child_element_ids=order,
                     sub_frames=[TIT2(encoding=3, text=[toc_title])]))
        for number, (element_id, children) in enumerate(zip(order, tables, strict=True), 1):
            id3.add(CTOC(element_id=element_id, flags=CTOCFlags.ORDERED,
                         child_element_ids=children,
                         sub_frames=[TIT2(encoding=3, text=[f"{toc_title} {number}"])]))
        order = ["toc", *order]
    for element_id, chapter in zip(ids, chapters, strict=True):
        id3.add(CHAP(element_id=element_id, start_time=round(chapter.start * 1000),
                     end_time=round(chapter.end * 1000), start_offset=NO_OFFSET,
                     end_offset=NO_OFFSET,
                     sub_frames=[TIT2(encoding=3, text=[chapter.title])]))
    out = io.BytesIO(mp3)
    id3.save(out, v2_version=ID3_VERSION, padding=lambda info: 0)
    return in_order(out.getvalue(), [*order, *ids])


def in_order(data: bytes, elements: list[str]) -> bytes:
    """The MP3 with its tag's CTOC and CHAP frames after the others, in the order of
    ``elements`` (mutagen stores frames by size)."""
    if data[:3] != b"ID3" or data[3] != ID3_VERSION:
        return data
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    body, rest = data[10:10 + size], data[10 + size:]
    frames: list[bytes] = []
    position = 0
    while position + 10 <= len(body) and body[position:position + 4] != bytes(4):
        length = int.from_bytes(body[position + 4:position + 8], "big")
        frames.append(body[position:position + 10 + length])
        position += 10 + length
    rank = {element.encode("latin-1"): number for number, element in enumerate(elements)}

    def place(frame: bytes) -> tuple[int, int]:
        if frame[:4] not in (b"CHAP", b"CTOC"):
            return (0, 0)
        element_id = frame[10:].split(b"\0", 1)[0]
        return (1, rank.get(element_id, len(rank)))

    ordered = b"".join(sorted(frames, key=place)) + body[position:]
    return data[:10] + ordered + rest


def duration(mp3: bytes) -> float:
    """The length of an MP3 in seconds (for the index's "length in minutes")."""
    return MP3(io.BytesIO(mp3)).info.length


def chapters(mp3: bytes) -> list[Chapter]:
    """The chapters of an MP3, in the order of its table of contents (a table that lists
    tables is read through)."""
    id3 = ID3(io.BytesIO(mp3))
    frames = {frame.element_id: frame for frame in id3.getall("CHAP")}
    tables = {toc.element_id: toc for toc in id3.getall("CTOC")}

    def expand(element_ids, seen) -> list[str]:
        found = []
        for element_id in element_ids:
            if element_id in tables and element_id not in seen:
                found += expand(tables[element_id].child_element_ids, seen | {element_id})
            elif element_id in frames:
                found.append(element_id)
        return found

    order: list[str] = []
    for toc in tables.values():
        if toc.flags & CTOCFlags.TOP_LEVEL:
            order = expand(toc.child_element_ids, {toc.element_id})
    result = []
    for element_id in order or sorted(frames):
        frame = frames[element_id]
        titles = [sub.text[0] for sub in frame.sub_frames.values() if sub.FrameID == "TIT2"]
        result.append(Chapter(titles[0] if titles else "", frame.start_time / 1000,
                              frame.end_time / 1000))
    return result
