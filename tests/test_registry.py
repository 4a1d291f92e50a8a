"""A format the tool does not have, added by its records alone: it builds through the real
builder, is skipped with one warning where its engine lacks a language, is rebuilt when
its engine changes, makes a companion in the same render, and lands in the manifest and on
the index page; with a probe of the machine, its availability is kept between builds."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import lxml.html
import pytest

import formats
from conftest import SAMPLE_SLUG
from formats import FORMATS, Format, Rendered
from leaflet import build
from leaflet.build.plan import Sources
from leaflet.errors import LeafletError, Problem
from leaflet.library import Library

# The tally engine: counts a leaflet's title words, in every language but Arabic, and
# writes a summary of its count with the same render.
ENGINE = {"version": "tally 1.0", "renders": [], "asked": [], "machine": "tally 1 here",
          "installed": True}
MISSING = "no tally engine counts Arabic (ar): its tallies are not made"

TALLY = Format(name="tally", writer=f"{__name__}:write_tally", editions=("standard",),
               extension="tally", label="Title tally", order=0, cost=0.01,
               available=f"{__name__}:tally_unavailable",
               fingerprint=f"{__name__}:tally_engines",
               manifest_facts=(("words", "title_words", int),))
SUMMARY = Format(name="tally-summary", writer=f"{__name__}:write_tally",
                 editions=("standard",), extension="tally.txt", label="Tally summary",
                 order=0, cost=0.01, available=f"{__name__}:tally_unavailable",
                 fingerprint=f"{__name__}:tally_engines", made_by="tally")


def write_tally(leaflet, options) -> Rendered:
    ENGINE["renders"].append(leaflet.meta.language)
    words = len(leaflet.meta.title.split())
    summary = Rendered(f"{leaflet.meta.title}: {words} words\n".encode())
    return Rendered(f"{words}\n".encode(), {"title_words": words},
                    (Problem("", None, "the tally counts title words only", warning=True),),
                    companions={"tally-summary": summary})


def tally_unavailable(lang: str, options) -> str | None:
    ENGINE["asked"].append(lang)
    if not ENGINE["installed"]:
        raise LeafletError("", None, "the tally engine is not installed")
    return MISSING if lang.split("-")[0] == "ar" else None


def tally_probe() -> str:
    return ENGINE["machine"]


def tally_engines(lang: str, options) -> str:
    return ENGINE["version"]


@pytest.fixture
def tally(monkeypatch):
    """The tally's two records registered, and the registry as it was afterwards."""
    saved = dict(FORMATS)
    monkeypatch.setitem(ENGINE, "version", "tally 1.0")
    monkeypatch.setitem(ENGINE, "renders", [])
    monkeypatch.setitem(ENGINE, "asked", [])
    monkeypatch.setitem(ENGINE, "machine", "tally 1 here")
    monkeypatch.setitem(ENGINE, "installed", True)
    formats.register(TALLY)
    formats.register(SUMMARY)
    yield ENGINE
    FORMATS.clear()
    FORMATS.update(saved)


def manifest(out: Path) -> dict[str, dict]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {e["path"]: e for e in data["artifacts"]}


def test_a_format_with_availability_an_engine_and_a_companion_builds_by_its_records(
        sample_library, tmp_path, tally):
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    library = Library(root)
    out = tmp_path / "out"
    selection = build.Selection(formats=("tally", "tally-summary", "text"))

    report = build.build(library, out, selection, jobs=1)
    assert not report.failed, report.failure_lines()
    # skipped where its engine lacks the language: one warning for the two formats
    assert [str(w) for w in report.warnings if "tally" in w.message] == \
        [f"warning: {MISSING}", "warning: the tally counts title words only"]
    assert report.count("unavailable") == 2
    # one render makes both: once per language it can count
    assert sorted(tally["renders"]) == ["bn", "en-GB", "pl"]

    entries = manifest(out)
    made = {(e["format"], e["lang"]): e for e in entries.values()}
    for lang in ("en-GB", "pl", "bn"):
        count, summary = made["tally", lang], made["tally-summary", lang]
        assert count["path"] == f"{SAMPLE_SLUG}/{lang}/{SAMPLE_SLUG}.{lang}.tally"
        words = len(count["title"].split())
        assert count["words"] == words  # the writer's fact, where its record puts it
        assert (out / count["path"]).read_text(encoding="utf-8") == f"{words}\n"
        assert (out / summary["path"]).read_text(encoding="utf-8") == \
            f"{count['title']}: {words} words\n"
        assert "words" not in summary
    assert ("tally", "ar") not in made and ("tally-summary", "ar") not in made
    assert ("text", "ar") in made
    # the "also available" panel's formats come from the same records
    hooks = Sources(library).hooks
    assert "tally" in hooks.panel_formats("pl") and "tally" not in hooks.panel_formats("ar")

    page = lxml.html.document_fromstring((out / "index.html").read_bytes())
    english = page.xpath("//section[.//span[@lang='en-GB']]")[0]
    labels = [" ".join(a.text_content().split())
              for a in english.xpath(".//ul[@class='files']/li/a")]
    assert labels[:2] == ["Title tally", "Tally summary"]
    assert {e["path"] for e in entries.values() if e["format"].startswith("tally")} <= \
        set(page.xpath("//main//a/@href"))

    # nothing changed: nothing rendered
    tally["renders"].clear()
    again = build.build(library, out, selection, jobs=1)
    assert (again.count("built"), tally["renders"]) == (0, [])
    # a new engine: its artifacts, and only they, are made again
    tally["version"] = "tally 2.0"
    newer = build.build(library, out, selection, jobs=1)
    assert {o.job.format for o in newer.outcomes if o.status == "built"} == \
        {"tally", "tally-summary"}
    assert newer.count("built") == 6 and sorted(tally["renders"]) == ["bn", "en-GB", "pl"]

    # the companion alone: the render that makes it runs once, and only it lands
    tally["renders"].clear()
    before = manifest(out)
    alone = build.build(library, out, build.Selection(formats=("tally-summary",),
                                                      langs=("pl",)), force=True, jobs=1)
    assert [(o.job.format, o.status) for o in alone.outcomes] == [("tally-summary", "built")]
    assert tally["renders"] == ["pl"]
    after = manifest(out)
    count_path = f"{SAMPLE_SLUG}/pl/{SAMPLE_SLUG}.pl.tally"
    assert after[count_path] == before[count_path]


def test_a_probed_formats_availability_is_kept_between_builds_while_its_probe_holds(
        sample_library, tmp_path, tally):
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    library, out = Library(root), tmp_path / "out"
    del FORMATS["tally-summary"]  # the tally alone asks its hook
    formats.register(dataclasses.replace(TALLY, probe=f"{__name__}:tally_probe"))
    # a build that makes no tally: only the "also available" panel asks for it
    english = build.Selection(formats=("text",), editions=("standard",), langs=("en-GB",))
    panel_languages = ["ar", "bn", "en-GB", "pl"]

    build.build(library, out, english, jobs=1)
    assert sorted(tally["asked"]) == panel_languages
    tally["asked"].clear()
    build.build(library, out, english, jobs=1, force=True)
    assert tally["asked"] == []
    # what the probe says of this machine changed: asked again, and the new answer kept
    tally["installed"], tally["machine"] = False, "tally removed"
    build.build(library, out, english, jobs=1, force=True)
    assert sorted(tally["asked"]) == panel_languages
    tally["asked"].clear()
    report = build.build(library, out, build.Selection(formats=("tally", "text"),
                                                      langs=("en-GB",)), jobs=1)
    assert tally["asked"] == []  # "not installed" came from the cache, and says so again
    assert [p.message for p in report.problems] == ["the tally engine is not installed"]

    # without a probe, the record is asked in every build
    formats.register(TALLY)
    tally["installed"] = True
    for _ in range(2):
        tally["asked"].clear()
        build.build(library, out, english, jobs=1, force=True)
        assert sorted(tally["asked"]) == panel_languages
