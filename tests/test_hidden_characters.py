"""The rule against hidden characters holds however a character is written.

Every character class the source refuses (C0 and C1 controls, DEL, line and paragraph
separators, non-characters, direction embeddings, overrides and isolates, and direction
marks beside a number) is tried in every place text comes from (front matter, a contacts
block, the Markdown body, a translation, the theme), written in every way that place
decodes: typed, as a YAML escape, as a hex, decimal or named Markdown character reference.
Each try must be refused by ``leaflet check`` at its file and line, or, where the way of
writing does not decode to the character (markdown-it leaves "&#7;" as text), the built
text and web page must not hold the character.
"""

from __future__ import annotations

import html.entities
import shutil

import polib
import pytest
from click.testing import CliRunner

import cli

LEAFLET = """---
title: Blood tests
organisation: Example NHS Trust
language: en-GB
published: 2024-01-01
review: 2030-01-01
requests: Ask the clinic staff.
---

# Before the test

Phone the clinic on 0114 271 1900 if you cannot come.

::: contacts
- name: Blood test clinic
  phone: 0114 271 1900
:::
"""
SENTENCE = "Phone the clinic on 0114 271 1900 if you cannot come."
POLISH = "Zadzwoń do przychodni pod numer 0114 271 1900, jeśli nie możesz przyjść."

CLASSES = {
    "bell": "\u0007", "escape": "\u001b", "null": "\u0000", "delete": "\u007f",
    "next line": "\u0085", "line separator": "\u2028", "paragraph separator": "\u2029",
    "non-character": "\ufffe", "left-to-right embedding": "\u202a",
    "right-to-left embedding": "\u202b", "pop directional formatting": "\u202c",
    "left-to-right override": "\u202d", "right-to-left override": "\u202e",
    "left-to-right isolate": "\u2066", "right-to-left isolate": "\u2067",
    "first strong isolate": "\u2068", "pop directional isolate": "\u2069",
    "left-to-right mark": "\u200e", "right-to-left mark": "\u200f",
    "arabic letter mark": "\u061c",
}
# Marks and isolates are ordinary in right-to-left words; in a translation they are
# refused beside a number, and every try puts them right before one.
NAMED = {char: name for name, char in html.entities.html5.items()
         if name.endswith(";") and len(char) == 1}


def ways(char: str, yaml: bool) -> dict[str, str]:
    """Each way a place can write the character: how it is spelt in the file."""
    spelt = {"typed": char, "hex reference": f"&#x{ord(char):X};",
             "decimal reference": f"&#{ord(char)};"}
    if char in NAMED:
        spelt["named reference"] = f"&{NAMED[char]}"
    if yaml:
        spelt["YAML escape"] = f"\\u{ord(char):04x}"
    return spelt


def library(tmp_path):
    root = tmp_path / "library"
    (root / "leaflet_src" / "blood-tests").mkdir(parents=True)
    (root / "leaflet_src" / "blood-tests" / "leaflet.md").write_text(LEAFLET, encoding="utf-8")
    return root


def invoke(root, *args):
    return CliRunner().invoke(cli.main, ["--root", str(root), *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    """A library whose Polish catalog is complete, correct and clean."""
    root = library(tmp_path_factory.mktemp("translated"))
    assert invoke(root, "update", "-l", "pl", "blood-tests").exit_code == 0
    path = root / "locales" / "pl" / "blood-tests.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = {SENTENCE: POLISH, "Blood tests": "Badania krwi",
                        "Before the test": "Przed badaniem",
                        "Blood test clinic": "Przychodnia pobrań"}.get(entry.msgid, entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(path))
    result = invoke(root, "check", "-l", "pl")
    assert result.exit_code == 0, result.output
    return root


def put(root, place: str, spelt: str) -> tuple[str, int]:
    """The library with ``spelt`` written in ``place``; the file and line it is on."""
    source = root / "leaflet_src" / "blood-tests" / "leaflet.md"
    text = LEAFLET
    if place == "front matter":
        text = text.replace("requests: Ask the clinic staff.",
                            f'requests: "Ask the clinic staff on {spelt}0114 271 1900."')
        line = 7
    elif place == "contacts":
        text = text.replace("phone: 0114 271 1900", f'phone: "{spelt}0114 271 1900"')
        line = text.split("\n").index(f'  phone: "{spelt}0114 271 1900"') + 1
    elif place == "body":
        text = text.replace("on 0114 271 1900 if", f"on {spelt}0114 271 1900 if")
        line = text.split("\n").index(SENTENCE.replace("on 0114", f"on {spelt}0114")) + 1
    source.write_text(text, encoding="utf-8")
    return "leaflet_src/blood-tests/leaflet.md", line


def translate(root, spelt: str) -> tuple[str, tuple[int, ...]]:
    """The Polish sentence with ``spelt`` before its number; the catalog and the lines its
    msgstr takes (polib wraps it, and a typed character is reported on its own line)."""
    path = root / "locales" / "pl" / "blood-tests.po"
    po = polib.pofile(str(path))
    po.find(SENTENCE).msgstr = POLISH.replace("numer 0114", f"numer {spelt}0114")
    po.save(str(path))
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(n for n, text in enumerate(lines, start=1)
                 if text.startswith("msgid") and "Phone the clinic" in text
                 or text.startswith('"Phone the clinic'))
    while not lines[first - 1].startswith("msgstr"):
        first += 1
    last = first
    while last < len(lines) and lines[last].startswith('"'):
        last += 1
    return "locales/pl/blood-tests.po", tuple(range(first, last + 1))


CASES = [(name, place, way)
         for name, char in CLASSES.items()
         for place in ("front matter", "contacts", "body", "translation")
         for way in ways(char, yaml=place in ("front matter", "contacts"))]


@pytest.mark.parametrize("name, place, way", CASES)
def test_a_hidden_character_is_refused_however_it_is_written(tmp_path, translated, name,
                                                             place, way):
    char = CLASSES[name]
    spelt = ways(char, yaml=place in ("front matter", "contacts"))[way]
    root = tmp_path / "library"
    shutil.copytree(translated, root)
    if place == "translation":
        if char == "\u0000" and way == "typed":
            pytest.skip("a PO file cannot hold NUL; it is refused as binary data")
        rel, lines = translate(root, spelt)
    else:
        rel, line = put(root, place, spelt)
        lines = (line,)
    result = invoke(root, "check", "-l", "pl")
    if result.exit_code == 1:
        assert any(f"{rel}:{line}:" in result.output for line in lines), result.output
        assert "Traceback" not in result.output
        return
    # not refused: only right where the way of writing does not decode to the character
    assert result.exit_code == 0, result.output
    assert way.endswith("reference") or way == "YAML escape", result.output
    out = tmp_path / "out"
    built = invoke(root, "build", "-f", "text", "-f", "html", "-l", "en-GB", "-l", "pl",
                   "-o", str(out))
    assert built.exit_code == 0, built.output
    printed = [p for p in out.rglob("*") if p.suffix in (".txt", ".html")]
    assert printed
    for path in printed:
        assert char not in path.read_text(encoding="utf-8"), (path, way)


@pytest.mark.parametrize("spelt", ["\\u202e", "\\0", "\\e", "\\u0007", "\\L"])
def test_a_yaml_escape_in_a_library_file_is_refused_with_its_line(tmp_path, spelt):
    root = library(tmp_path)
    (root / "theme").mkdir()
    (root / "theme" / "theme.yaml").write_text(
        f'colours:\n  text: "#000000"\nlogo:\n  alt: "Example{spelt} Trust"\n',
        encoding="utf-8")
    result = invoke(root, "check")
    assert result.exit_code == 1, result.output
    assert "theme/theme.yaml:4:" in result.output, result.output
