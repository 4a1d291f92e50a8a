"""Braille and audio in the build: languages liblouis or the voices lack, the braille page
options, the audio's length in the manifest and on the index page, the panel."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from leaflet import build
from leaflet.errors import LeafletError
from leaflet.library import Library

from conftest import SAMPLE_SLUG, run_leaflet


def library_with(sample_library: Path, tmp_path: Path, *langs: str) -> Path:
    """A copy of the sample with a catalog for each of ``langs`` (the Polish one, copied:
    what matters here is the language's code, not its words)."""
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    for lang in langs:
        (root / "locales" / lang).mkdir()
        shutil.copy(root / "locales" / "pl" / f"{SAMPLE_SLUG}.po",
                    root / "locales" / lang / f"{SAMPLE_SLUG}.po")
    return root


def build_json(root: Path, out: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict]:
    result = run_leaflet("build", "-o", str(out), "--json", *args, cwd=root)
    return result, json.loads(result.stdout)


def manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]


def brf_lines(path: Path) -> list[list[str]]:
    """The BRF's pages, each a list of lines."""
    pages = path.read_bytes().decode("ascii").split("\f")[:-1]
    return [page.split("\r\n")[:-1] for page in pages]


def test_a_language_without_a_braille_table_is_one_warning_and_the_rest_is_built(
        sample_library, tmp_path):
    root = library_with(sample_library, tmp_path, "so")
    out = tmp_path / "out"
    result, summary = build_json(root, out, "-f", "brf", "-f", "pef", "-f", "text",
                                 "-l", "en-GB", "-l", "so", "-e", "standard")
    assert result.returncode == 0, result.stderr
    braille = [w for w in summary["warnings"] if "braille" in w]
    assert braille == ["warning: no braille table for Somali (so) in liblouis "
                       f"{braille[0].split('liblouis ')[1].split(':')[0]}: its braille "
                       "(brf, pef) is not built"], summary["warnings"]
    built = {(e["lang"], e["format"]) for e in manifest(out)}
    assert built == {("en-GB", "brf"), ("en-GB", "pef"), ("en-GB", "text"), ("so", "text")}
    assert summary["failed"] == 0
    # the panel names braille and audio only where they exist: not for Somali
    text = (out / SAMPLE_SLUG / "en-GB" / f"{SAMPLE_SLUG}.en-GB.txt").read_text("utf-8")
    assert "- English: Standard print, Large print, Easy read, Braille, Audio\n" in text
    somali = next(line for line in text.splitlines() if line.startswith("- Soomaali"))
    assert "Braille" not in somali and "Audio" not in somali


def test_liblouis_missing_warns_when_braille_is_implied_and_fails_when_asked(
        sample_library, tmp_path, monkeypatch):
    root = library_with(sample_library, tmp_path)
    from formats import braille

    def missing(lang, grade=2):
        raise LeafletError("", None, "braille needs the liblouis library: install it")

    monkeypatch.setattr(braille, "find_table", missing)
    braille.table_problem.cache_clear()
    try:
        library = Library(root)
        implied, implied_problems = build.plan_jobs(library, build.Selection(langs=("en-GB",)))
        asked, asked_problems = build.plan_jobs(library, build.Selection(formats=("brf", "text"),
                                                                    langs=("en-GB",)))
    finally:
        braille.table_problem.cache_clear()
    assert [(p.message, p.warning) for p in implied_problems] == \
        [("braille needs the liblouis library: install it", True)]
    assert [(p.message, p.warning) for p in asked_problems] == \
        [("braille needs the liblouis library: install it", False)]
    assert not any(j.format in ("brf", "pef") for j in implied + asked)
    assert {j.format for j in asked} == {"text"}
    assert "pdf" in {j.format for j in implied}


def test_planning_without_braille_does_not_load_it(sample_library, tmp_path):
    root = library_with(sample_library, tmp_path)
    code = ("import sys\nfrom pathlib import Path\nfrom leaflet import build\n"
            "from leaflet.library import Library\n"
            f"jobs, _ = build.plan_jobs(Library(Path({str(root)!r})), "
            "build.Selection(formats=('text',)))\n"
            "assert jobs\nprint('formats.braille' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).resolve().parent.parent)
    assert result.stdout.strip() == "False"


def test_the_braille_options_reach_the_brf_and_its_key(sample_library, tmp_path):
    root = library_with(sample_library, tmp_path)
    out = tmp_path / "out"
    brf = out / SAMPLE_SLUG / "en-GB" / f"{SAMPLE_SLUG}.en-GB.brf"
    args = ("-f", "brf", "-l", "en-GB")
    result, summary = build_json(root, out, *args, "--braille-cells", "32",
                                 "--braille-lines", "20")
    assert result.returncode == 0, result.stderr
    narrow = brf_lines(brf)
    assert max(len(line) for page in narrow for line in page) == 32
    assert max(len(page) for page in narrow) == 20
    # other options: a new key, so rebuilt, and the default page of 40 cells x 25 lines
    result, summary = build_json(root, out, *args)
    assert (summary["built"], summary["skipped"]) == (1, 0)
    wide = brf_lines(brf)
    assert max(len(line) for page in wide for line in page) == 40
    assert max(len(page) for page in wide) == 25
    assert len(wide) < len(narrow)
    result, summary = build_json(root, out, *args)
    assert (summary["built"], summary["skipped"]) == (0, 1)
    contracted = brf.read_bytes()
    result, summary = build_json(root, out, *args, "--braille-grade", "1")
    assert summary["built"] == 1
    assert len(brf.read_bytes()) > len(contracted)  # uncontracted braille is longer
    assert run_leaflet("build", "-o", str(out), *args, "--braille-cells", "11",
                       cwd=root).returncode == 2


def decoded_seconds(path: Path, tmp_path: Path) -> float:
    """The MP3's length as LAME's decoder hears it (not our own reading of its headers)."""
    wav_path = tmp_path / "decoded.wav"
    subprocess.run(["lame", "--quiet", "--decode", str(path), str(wav_path)], check=True)
    with wave.open(str(wav_path)) as wav:
        return wav.getnframes() / wav.getframerate()


@pytest.mark.slow  # renders speech
def test_audio_length_is_in_the_manifest_and_on_the_index_page(sample_library, tmp_path):
    root = library_with(sample_library, tmp_path)
    # a Piper model named but missing: espeak-ng speaks, and the build says so once
    (root / "theme").mkdir(exist_ok=True)
    (root / "theme" / "voice.yaml").write_text("voices:\n  en-GB: voices/missing.onnx\n",
                                               encoding="utf-8")
    out = tmp_path / "out"
    result, summary = build_json(root, out, "-f", "audio", "-f", "read-aloud", "-l", "en-GB",
                                 "-e", "standard", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert summary["built"] == 2
    voice = [w for w in summary["warnings"] if "missing.onnx" in w]
    assert len(voice) == 1 and "espeak-ng speaks instead" in voice[0], summary["warnings"]
    entries = {e["format"]: e for e in manifest(out)}
    mp3, book = entries["audio"], entries["read-aloud"]
    assert mp3["duration"] == pytest.approx(decoded_seconds(out / mp3["path"], tmp_path),
                                            abs=0.5)
    assert mp3["duration"] > 60
    assert book["duration"] == pytest.approx(mp3["duration"], abs=1.0)
    # rendered one after the other in one worker: the book reuses the MP3's narration
    assert book["seconds"] < mp3["seconds"] / 3, (book["seconds"], mp3["seconds"])
    index = (out / "index.html").read_text(encoding="utf-8")
    minutes = round(mp3["duration"] / 60)
    link = re.search(r'<li><a href="[^"]*\.en-GB\.mp3" data-format="audio">[^<]*</a>'
                     r'.*?</li>', index)
    assert link and f'<span class="length">{minutes} min</span>' in link.group(0)


def test_a_language_no_voice_speaks_is_one_warning_and_no_failure(sample_library, tmp_path):
    root = library_with(sample_library, tmp_path, "ti")
    out = tmp_path / "out"
    result, summary = build_json(root, out, "-f", "audio", "-f", "read-aloud", "-f", "text",
                                 "-l", "ti")
    assert result.returncode == 0, result.stderr
    voiceless = [w for w in summary["warnings"] if "voice" in w]
    assert len(voiceless) == 1 and "Tigrinya (ti)" in voiceless[0], summary["warnings"]
    assert (summary["failed"], summary["unavailable"], summary["built"]) == (0, 2, 1)
    assert [e["format"] for e in manifest(out)] == ["text"]
