"""Every library file is read against its field table: `leaflet check` reports what a build
would refuse in any of them, each problem at its line, all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from leaflet import config, lexicon, voice
from leaflet.config import Field, Invalid, Table
from leaflet.errors import LeafletError
from leaflet.i18n import amounts

from conftest import run_leaflet


@pytest.fixture
def library(sample_library, tmp_path) -> Path:
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    return root


SIGN_OFF = "secondary-breast-cancer.po:\n- reviewer: A Tester\n  role: nurse\n"

# (library file, its text, the line at fault, words of the message)
BROKEN = [
    ("leaflet.yaml", "# where build/ is published\nsite_url: https://example.org/\n"
     "colour: red\n", 3, "unknown setting 'colour' (settings: site_url, reading_age)"),
    ("leaflet.yaml", "site_url: leaflets.example.org\n", 1,
     "'site_url: leaflets.example.org' is not a web address"),
    ("theme/theme.yaml", 'colours:\n  text: "#1a1a1a"\n  link: "#bbbbbb"\n', 3,
     "colour 'link' #bbbbbb is too faint on 'background'"),
    ("theme/theme.yaml", "fonts:\n  body: Noto Sans\ncss: 12\n", 3, "'css' must name a CSS file"),
    ("theme/voice.yaml", "voices:\n  en-GB: en-gb\nrate: fast\n", 3,
     "'rate' is words per minute, a whole number from 80 to 250"),
    ("theme/voice.yaml", "rate: 140\nspeed: 2\n", 2, "unknown voice setting 'speed'"),
    ("theme/lexicon.yaml", "en:\n  say:\n    BCN: breast care nurse\n  spell: {NHS: 1}\n", 4,
     "'spell' must be a list of words"),
    ("theme/lexicon.yaml", "english:\n  spell: [NHS]\n", 1, "'english' is not a language tag"),
    ("locales/pl/reviews.yaml", SIGN_OFF + "  edition: large\n", 4,
     "'edition' must be standard or easy-read"),
    ("locales/pl/reviews.yaml", SIGN_OFF + "  messages: 12345\n", 4,
     "'messages' must be a hash written by 'leaflet review'"),
]


@pytest.mark.parametrize("name, text, line, words", BROKEN,
                         ids=[f"{name}:{line}" for name, _t, line, _w in BROKEN])
def test_a_broken_value_in_any_library_file_fails_check_at_its_line(library, name, text,
                                                                     line, words):
    (library / name).write_text(text, encoding="utf-8")
    result = run_leaflet("check", cwd=library)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{name}:{line}: {words}" in result.stderr, result.stderr
    assert result.stderr.count(f"{name}:{line}: {words}") == 1
    assert "Traceback" not in result.stderr


def test_check_reports_every_problem_of_every_file_at_once(library):
    (library / "leaflet.yaml").write_text("site_url: https://example.org/\nsite: x\n")
    (library / "theme" / "voice.yaml").write_text("rate: fast\nspeed: 2\nvoices: [en]\n")
    (library / "theme" / "lexicon.yaml").write_text("en:\n  sing: [A]\n")
    result = run_leaflet("check", cwd=library)
    assert result.returncode == 1
    for expected in ("leaflet.yaml:2: unknown setting 'site'",
                     "theme/voice.yaml:1: 'rate' is words per minute",
                     "theme/voice.yaml:2: unknown voice setting 'speed'",
                     "theme/voice.yaml:3: 'voices' must be 'language: voice' lines",
                     "theme/lexicon.yaml:2: unknown setting 'sing' (settings: say, spell)"):
        assert expected in result.stderr, result.stderr
    assert "5 errors, 0 warnings" in result.stderr


def test_a_piper_model_missing_from_the_theme_is_a_warning_in_check(library):
    (library / "theme" / "voice.yaml").write_text("voices:\n  en-GB: voices/gone.onnx\n")
    result = run_leaflet("check", cwd=library)
    assert "theme/voice.yaml:2: warning: the Piper model 'voices/gone.onnx' for en-GB is not "\
        "in theme/, so espeak-ng speaks instead" in result.stderr, result.stderr
    assert run_leaflet("check", "--strict", cwd=library).returncode == 1


def test_a_broken_units_table_fails_check_at_its_line(library, tmp_path, monkeypatch):
    broken = tmp_path / "units.yaml"
    text = amounts.UNITS_FILE.read_text(encoding="utf-8")
    broken.write_text(text.replace("    twice: 2\n", "    twice: two\n"), encoding="utf-8")
    line = text.split("\n").index("    twice: 2") + 1
    monkeypatch.setattr(amounts, "UNITS_FILE", broken)
    amounts._tables.cache_clear()
    try:
        result = run_leaflet("check", "-l", "pl", cwd=library)
    finally:
        monkeypatch.undo()
        for cached in (amounts._tables, amounts._units, amounts._counts, amounts._not_counts):
            cached.cache_clear()
    assert result.returncode == 1
    assert f"leaflet/data/units.yaml:{line}: count 'twice' must be a whole number" in \
        result.stderr, result.stderr


def test_the_sample_librarys_files_and_the_units_table_have_no_problem(library):
    from leaflet.checks import library_file_problems
    from leaflet.library import Library

    assert library_file_problems(Library(library)) == []


def test_writers_get_the_voice_and_lexicon_parsed(tmp_path):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "voice.yaml").write_text("rate: 120\nvoices:\n  pl: pl\n")
    (theme / "lexicon.yaml").write_text("all:\n  say:\n    BCN: B C N\nen-GB:\n  spell: [NHS]\n")
    settings = voice.load(theme, tmp_path)
    assert settings.rate == 120 and settings.voice_for("pl-PL") == "pl"
    assert voice.load(theme, tmp_path) is settings  # read once while the file stays as it is
    words = lexicon.load(theme, tmp_path)
    assert words.get("all").say == {"BCN": "B C N"} and words.get("en-gb").spell == ("NHS",)
    assert hash(settings) == hash(voice.parse("rate: 120\nvoices:\n  pl: pl\n"))
    assert voice.load(tmp_path / "none", tmp_path) == voice.VoiceSettings()


# The field table itself ---------------------------------------------------------------------

def _even(value: int, _reading, _at) -> int:
    if value % 2:
        raise Invalid("'size' must be even")
    return value


TABLE = Table(fields={
    "size": Field("a whole number from 1 to 10", kind=int, range=(1, 10), default=4,
                  check=_even),
    "shape": Field("round or square", kind=str, choices=("round", "square"), default="round"),
    "name": Field("a name", kind=str, required=True),
    "inner": Field("inner settings", table=Table(fields={"flag": Field("yes or no", kind=bool)},
                                                 unknown_is_warning=True)),
})


def test_a_table_checks_type_range_choice_default_and_its_own_rule_all_at_once():
    assert config.read_text("name: x\n", "f.yaml", TABLE, "the file") == \
        {"size": 4, "shape": "round", "name": "x", "inner": None}
    with pytest.raises(LeafletError) as caught:
        config.read_text("size: true\nshape: oval\ninner:\n  flag: 1\n  spare: 2\nextra: 1\n",
                         "f.yaml", TABLE, "the file")
    assert [str(p) for p in caught.value.problems] == [
        "f.yaml:1: 'size' must be a whole number from 1 to 10",
        "f.yaml:1: 'name' must be a name",
        "f.yaml:2: 'shape' must be round or square",
        "f.yaml:4: 'flag' must be yes or no",
        "f.yaml:6: unknown setting 'extra' (settings: size, shape, name, inner)",
    ]
    found = config.text_problems("name: x\nsize: 3\ninner:\n  spare: 2\n", "f.yaml", TABLE,
                                 "the file")
    assert [str(p) for p in found] == [
        "f.yaml:2: 'size' must be even",
        "f.yaml:4: warning: unknown setting 'spare' (settings: flag)"]
    with pytest.raises(LeafletError) as caught:
        config.read_text("- a\n", "f.yaml", TABLE, "the file")
    assert str(caught.value).startswith("f.yaml:1: expected 'name: value' settings")
