"""Audio read back by outside tools: the speech cache, loudness (ffmpeg's ebur128), chapter
order and count (ffprobe), silent pieces and quotes in the read-aloud EPUB (EPUBCheck),
and voice markup in text."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from formats.audio import cache as speech_cache
from formats.audio import engine, mp3, readaloud, script
from formats.audio import write as write_audio
from formats.audio.speech import for_language
from leaflet import source

from conftest import REPO, SAMPLE_SLUG, epubcheck
from test_audio import SHORT, options

SMIL = "{http://www.w3.org/ns/SMIL}"
XHTML = "{http://www.w3.org/1999/xhtml}"
needs_ffmpeg = pytest.mark.skipif(not shutil.which("ffprobe"),
                                  reason="ffmpeg is not installed (scripts/system-packages.sh)")


def parse(text: str):
    return source.parse_text(text, "leaflet.md", REPO / "leaflet_src" / SAMPLE_SLUG, "short")


@pytest.fixture
def spoken(monkeypatch) -> list[str]:
    """Every text the voice is asked to say, in this process."""
    said: list[str] = []
    speak = engine.Espeak.speak

    def counting(self, text, rate):
        said.append(text)
        return speak(self, text, rate)

    monkeypatch.setattr(engine.Espeak, "speak", counting)
    return said


# The speech cache ---------------------------------------------------------------------------

EDITED = SHORT.replace("Your GP will tell you if you need to stop eating.",
                       "Your GP will tell you if you need to stop eating or drinking.")


@pytest.mark.slow  # renders speech
def test_a_one_sentence_edit_speaks_one_piece_and_gives_the_bytes_of_a_fresh_build(
        tmp_path, spoken):
    assert EDITED != SHORT
    cached = options(speech_cache=str(tmp_path / "speech"))
    first = write_audio(parse(SHORT), cached)
    assert len(spoken) > 20
    spoken.clear()
    again = write_audio(parse(SHORT), cached)
    assert spoken == [] and again.data == first.data
    edited = write_audio(parse(EDITED), cached)
    assert len(spoken) == 1 and "stop eating or drinking" in spoken[0]
    spoken.clear()
    # the same leaflet spoken from nothing gives the same bytes: the cache changes no output
    fresh = write_audio(parse(EDITED), options())
    assert edited.data == fresh.data
    assert edited.companions["read-aloud"].data == fresh.companions["read-aloud"].data


def test_the_cache_ignores_a_damaged_entry_and_keeps_within_its_limit(tmp_path):
    store = speech_cache.Cache(str(tmp_path), limit=2500)
    names = [speech_cache.key("piece", number) for number in range(4)]
    for number, name in enumerate(names):
        store.put(name, bytes([number]) * 1000)
    assert store.get(names[3]) == bytes([3]) * 1000
    store.trim()  # each entry is 1000 bytes and a header: two fit
    kept = [name for name in names if store.get(name) is not None]
    assert kept == names[2:]
    path = next(tmp_path.glob(f"*/{names[3]}*"))
    damaged = bytearray(path.read_bytes())
    damaged[-1] ^= 0xFF
    path.write_bytes(bytes(damaged))
    assert store.get(names[3]) is None
    path.write_bytes(path.read_bytes()[:20])
    assert store.get(names[3]) is None
    assert not list(tmp_path.glob("*/*.tmp"))  # written by renaming: no temporaries left
    assert speech_cache.Cache("").get(names[0]) is None


# Loudness and chapters, read by ffmpeg -------------------------------------------------------

@pytest.fixture(scope="module")
def short_mp3_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "short.mp3"
    path.write_bytes(write_audio(parse(SHORT), options()).data)
    return path


def ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP), as ffmpeg's ebur128 measures them."""
    log = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af",
                          "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    summary = log[log.rindex("Summary:"):]
    loudness = float(re.search(r"I:\s+(-?[0-9.]+) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[0-9.]+|-inf) dBFS", summary).group(1))
    return loudness, peak


@needs_ffmpeg
@pytest.mark.slow  # renders speech
def test_loudness_is_about_minus_18_lufs_with_true_peaks_under_minus_3(short_mp3_file):
    loudness, peak = ebur128(short_mp3_file)
    assert -19.0 <= loudness <= -17.0, loudness
    assert peak <= -3.0, peak


def ffprobe_chapters(path: Path) -> list[tuple[float, str]]:
    found = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)],
        capture_output=True, text=True, check=True).stdout)["chapters"]
    return [(float(c["start_time"]), c["tags"]["title"]) for c in found]


@needs_ffmpeg
@pytest.mark.slow  # renders speech
def test_ffprobe_lists_the_chapters_in_time_order(short_mp3_file):
    listed = ffprobe_chapters(short_mp3_file)
    assert [title for _start, title in listed] == \
        [c.title for c in mp3.chapters(short_mp3_file.read_bytes())]
    assert listed[0] == (0.0, "Your CT scan") and len(listed) == 4
    assert [start for start, _title in listed] == sorted(start for start, _title in listed)


@needs_ffmpeg
def test_an_mp3_of_300_chapters_has_a_table_of_tables(tmp_path):
    silence = mp3.encode(bytes(2 * 22050 * 3), 22050, tmp_path)[0]
    chapters = [mp3.Chapter(f"Section {n}", n / 100, (n + 1) / 100) for n in range(300)]
    tags = mp3.Tags(title="Many", artist="Trust", language="en-GB", year=2025)
    path = tmp_path / "many.mp3"
    path.write_bytes(mp3.tag(silence, tags, chapters, "Contents"))
    assert mp3.chapters(path.read_bytes()) == chapters
    listed = ffprobe_chapters(path)
    assert [title for _start, title in listed] == [c.title for c in chapters]


# The read-aloud EPUB: silent pieces and quotes ---------------------------------------------

WRITE_IN = """---
title: Your questions
organisation: Sample NHS Trust
language: en-GB
code: GEN-1
published: 2025-03-01
review: 2027-03-01
---

# Questions to ask

Write your questions here.

.......................................................

.......................................................

> Just ask: "Could it be sepsis?"
>
> A nurse told me to ask, and I am glad I did.

| Question | Answer |
| --- | --- |
| ........ | ........ |

# After your visit

Phone us if you are worried.
"""


@pytest.fixture(scope="module")
def write_in_epub(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("read-aloud") / "write-in.read-aloud.epub"
    path.write_bytes(readaloud.write(parse(WRITE_IN), options()).data)
    return path


@pytest.mark.slow  # renders speech
def test_write_in_lines_make_no_empty_clip_and_the_book_passes_epubcheck(write_in_epub):
    book = zipfile.ZipFile(write_in_epub)
    smil = etree.fromstring(book.read("EPUB/content.smil"))
    clips = [(a.get("clipBegin"), a.get("clipEnd")) for a in smil.iter(f"{SMIL}audio")]
    assert clips and all(begin != end for begin, end in clips)
    assert epubcheck([write_in_epub]) == {write_in_epub: []}


@pytest.mark.slow  # renders speech
def test_every_paragraph_of_a_quote_is_read_aloud(write_in_epub):
    book = zipfile.ZipFile(write_in_epub)
    content = etree.fromstring(book.read("EPUB/content.xhtml"))
    smil = etree.fromstring(book.read("EPUB/content.smil"))
    read = {p.find(f"{SMIL}text").get("src").split("#")[1] for p in smil.iter(f"{SMIL}par")}
    quotes = list(content.iter(f"{XHTML}blockquote"))
    paragraphs = [p for quote in quotes for p in quote.iter(f"{XHTML}p")]
    assert len(paragraphs) == 2
    assert all(p.get("id") in read for p in paragraphs)
    # and every paragraph of the leaflet's body that has words (a write-in line has none)
    (main,) = content.iter(f"{XHTML}main")
    worded = [p for p in main.iter(f"{XHTML}p") if re.search(r"\w", "".join(p.itertext()))]
    assert len(worded) == 4
    assert ["".join(p.itertext()) for p in worded if p.get("id") not in read] == []


# Voice markup in text ----------------------------------------------------------------------

MARKUP = "Take [[h'aI d'oUs]] of it."


def test_voice_markup_in_text_is_given_to_the_voice_as_letters():
    said = engine.voice_text(MARKUP)
    assert "[[" not in said and said.replace(" ", "") == MARKUP.replace(" ", "")
    assert engine.voice_text("a\x01b") == "a b"  # espeak-ng's embedded commands start so


def phonemes(text: str) -> str:
    return subprocess.run(["espeak-ng", "-q", "-x", "-v", "en-gb"], input=text, text=True,
                          capture_output=True, check=True).stdout


def test_espeak_says_brackets_and_letters_not_the_phonemes_written_in_them(monkeypatch,
                                                                          tmp_path):
    # given as it was, espeak-ng would say "high dose": the check can fail
    assert "h'aI d'oUs" in phonemes(MARKUP)
    given: list[str] = []
    run = subprocess.run

    def recording(command, **kwargs):
        if command[0] == engine.ESPEAK and command[-1] == "--stdin":
            given.append(kwargs["input"].decode("utf-8"))
        return run(command, **kwargs)

    monkeypatch.setattr(engine.subprocess, "run", recording)
    leaflet = parse(SHORT.replace("Drink water.", f"Drink water. {MARKUP}"))
    segments = script.segments(leaflet, options(), for_language("en-GB"))
    (segment,) = [s for s in segments if "d'oUs" in s.spoken]
    voice = engine.Espeak("en-gb", tmp_path)
    assert voice.speak(segment.spoken, 150).frames > 0
    assert len(given) == 1 and "[[" not in given[0]
    assert "h'aI d'oUs" not in phonemes(given[0])


def test_the_options_name_no_cache_in_their_repr():
    # where the cache is changes no output, so it is not part of what the key hashes
    assert "speech_cache" not in repr(options(speech_cache="/tmp/x"))
    assert options(speech_cache="/tmp/x") == options()
    assert dataclasses.replace(options(), speech_cache="x").speech_cache == "x"
