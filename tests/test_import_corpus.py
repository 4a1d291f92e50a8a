"""Word files made by other people's tools: pandoc's and mammoth's test documents, vendored
under their licences in fixtures/import/corpus/ (its README names the commits).

Each must import without a traceback and within the time limit: written, with every
word accounted for and a leaflet that parses once a person has filled in what the
import asked for, or refused with one line saying why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leaflet import source
from leaflet.errors import LeafletError
from leaflet.importers import import_library
from leaflet.library import Library

CORPUS = Path(__file__).parent / "fixtures" / "import" / "corpus"
FILES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.docx"))
SECONDS = 20.0  # a file's time limit: reading one of these takes well under a second
NO_TEXT = "there is no leaflet text in this file to import"
# The files refused, and why: no body text once the title is taken (or none at all), or
# a format Word can save but no reader here reads.
REFUSED = {
    "mammoth/empty.docx": NO_TEXT,
    "mammoth/external-picture.docx": NO_TEXT,  # a picture on the web and nothing else
    "mammoth/strict-format.docx": "this Word file is saved as 'Strict Open XML', which "
                                  "cannot be read: open it in Word and save it as 'Word "
                                  "Document (.docx)'",
    "mammoth/underline.docx": NO_TEXT,  # one line, which becomes the title
    "pandoc/diagram.docx": NO_TEXT,
    "pandoc/numbered_header.docx": NO_TEXT,
}
LICENCES = {"pandoc": ("COPYING.md", "GNU GENERAL PUBLIC LICENSE"),
            "mammoth": ("LICENSE", "Redistribution and use in source and binary forms")}


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("corpus-library")
    (root / "leaflet_src").mkdir()
    rows = import_library(Library(root), [CORPUS], seconds=SECONDS)
    return root, {Path(row.file).relative_to(CORPUS).as_posix(): row for row in rows}


def filled_in(path: Path) -> None:
    """Do what the import asks a person to do: write the title, organisation and dates it
    could not find."""
    words = path.read_text(encoding="utf-8")
    words = re.sub(r'^title: ""$', "title: A leaflet", words, flags=re.M)
    words = re.sub(r'^organisation: ""$', "organisation: An NHS Trust", words, flags=re.M)
    words = re.sub(r"^published: .*DD$", "published: 2024-09-01", words, flags=re.M)
    words = re.sub(r"^review: .*DD$", "review: 2027-09-01", words, flags=re.M)
    path.write_text(words, encoding="utf-8")


def test_the_corpus_is_vendored_with_its_licences_and_sources():
    assert 25 <= len(FILES) <= 40
    assert {name.split("/")[0] for name in FILES} == set(LICENCES)
    assert sum(p.stat().st_size for p in CORPUS.rglob("*")) < 2_000_000
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    for project, (licence, words) in LICENCES.items():
        assert words in (CORPUS / project / licence).read_text(encoding="utf-8")
        assert f"`{project}/{licence}`" in readme
    assert "GPL-2.0-or-later" in readme and "BSD-2-Clause" in readme
    assert len(re.findall(r"commit\s+`[0-9a-f]{40}`", readme)) == 2
    assert set(REFUSED) <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_a_third_party_word_file_is_imported_or_refused_in_one_line(name, imported):
    root, rows = imported
    row = rows[name]
    if name in REFUSED:
        assert row.outcome == "refused", row
        assert [p.message for p in row.errors] == [REFUSED[name]]
        assert "\n" not in str(row.errors[0])
        return
    assert row.outcome == "imported", [str(p) for p in row.errors]
    report = row.report
    counted = report.accounts[0]
    assert counted.original > 0
    assert counted.balanced, counted
    assert all("\n" not in str(p) for p in report.problems)
    said = report.reports[0].read_text(encoding="utf-8")
    assert "not accounted for" not in said
    written = report.written[0]
    filled_in(written)
    try:
        source.parse_file(written, root)
    except LeafletError as exc:
        # what is still wrong is a one-line problem at its line, which the import said
        told = {(p.line, p.message) for p in report.problems}
        for problem in exc.problems:
            assert "\n" not in str(problem) and problem.line, str(problem)
            assert (problem.line, problem.message) in told, str(problem)


def test_no_file_of_the_corpus_hangs_or_stops_the_reader(imported):
    _, rows = imported
    assert sorted(rows) == FILES
    stopped = [name for name, row in rows.items() for p in row.errors
               if "was stopped" in p.message or "stopped the reader" in p.message]
    assert stopped == []
    assert sum(row.outcome == "imported" for row in rows.values()) == len(FILES) - len(REFUSED)
