"""A translation memory from signed-off catalogs only: `leaflet export-translations -l LANG
--format tmx` writes TMX 1.4 through translate-toolkit, read back here with its tmxfile,
holding each message of every catalog whose sign-off holds (contexts kept) and nothing
of a catalog not signed off, or whose sign-off a later change voided."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from translate.storage import tmx

from conftest import SAMPLE_SLUG as SLUG
from test_context import POLISH, library, translate
from test_translation_safety import leaflet as run


def sign_off(root: Path, lang: str = "pl") -> None:
    run(root, "review", "-l", lang, SLUG, "--by", "Ada Lovelace", "--role",
        "clinical translator")


def memory(root: Path, out: Path, lang: str = "pl") -> dict:
    result = run(root, "export-translations", "-l", lang, "--format", "tmx", "-o", str(out))
    path = out / f"translation-memory.{lang}.tmx"
    assert f"wrote {path}" in result.stdout
    store = tmx.tmxfile.parsestring(path.read_bytes())
    assert store.getsourcelanguage() == "en-GB"
    return {(unit.getcontext(), str(unit.source)): str(unit.target)
            for unit in store.getunits()}


@pytest.fixture(scope="module")
def signed(tmp_path_factory) -> Path:
    root = library(tmp_path_factory.mktemp("tmx"))
    run(root, "update", "-l", "pl", SLUG, "-e", "standard")
    translate(root)
    sign_off(root)
    return root


def test_the_memory_holds_every_signed_off_message_with_its_context(signed, tmp_path):
    found = memory(signed, tmp_path)
    po = polib.pofile(str(signed / "locales" / "pl" / f"{SLUG}.po"))
    expected = {(e.msgctxt or "", e.msgid): e.msgstr for e in po
                if not e.obsolete and e.msgstr}
    assert found == expected
    for key, text in POLISH.items():
        assert found[key] == text
    assert found[("tablet colour", "White")] != found[("cream colour", "White")]


def test_a_catalog_not_signed_off_gives_nothing(signed, tmp_path):
    # the Polish easy read catalog is not signed off: none of its messages are there
    easy = polib.pofile(str(signed / "locales" / "pl" / f"{SLUG}.easy-read.po"))
    only_easy = {e.msgid for e in easy if e.msgstr} - {
        e.msgid for e in polib.pofile(str(signed / "locales" / "pl" / f"{SLUG}.po"))}
    assert only_easy
    assert not only_easy & {msgid for _context, msgid in memory(signed, tmp_path)}
    result = run(signed, "export-translations", "-l", "ar", "--format", "tmx", "-o",
                 str(tmp_path), check=False)
    assert result.returncode == 1 and "no ar catalog is signed off" in result.stderr


def test_a_change_after_the_sign_off_takes_the_catalog_out(signed, tmp_path):
    translate(signed, {("tablet colour", "White"): "Biała!"})
    try:
        result = run(signed, "export-translations", "-l", "pl", "--format", "tmx", "-o",
                     str(tmp_path), check=False)
        assert result.returncode == 1 and "no pl catalog is signed off" in result.stderr
    finally:
        translate(signed)
    assert memory(signed, tmp_path)[("tablet colour", "White")] == "Biała"
