"""The DOCX as readers' tools see it, for what hand-written leaflets hold: contact
tables whose words never break in LibreOffice at large print, numbered checklists
that keep their numbers with nested lists after the box, and a footer that names the
review date once when the leaflet has no code or version (issue 24, items 7, 10
and 11).  Read back with python-docx and lxml, pandoc, and LibreOffice with pdftotext."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import run_leaflet

NBSP = "\u00a0"
CONTACTS = """\
---
title: Your anticoagulation clinic
organisation: Royal Devon University Healthcare NHS Foundation Trust
language: en-GB
code: ANT-001
version: "2"
published: 2026-06-01
review: 2028-06-01
---

# Who to contact

::: contacts
- name: Anticoagulation Service
  about: Advice about warfarin and your INR results.
  phone: 01392 402 024
  email: rduh.anticoagulation@nhs.net
  hours: Monday to Friday, 9am to 5pm
- name: Endoscopy Unit
  phone: 01392 406 000
  email: rduh.endoscopy@nhs.net
  hours: Wednesday and Friday, 8am to 6pm
- name: Pharmacy Medicines Helpline
  phone: 01392 402 093
  hours: Friday
:::
"""
CHECKLIST = """\
---
title: Going home
organisation: Northtown Hospitals NHS Foundation Trust
language: en-GB
published: 2026-06-01
review: 2028-06-01
---

# Before you go home

1. [ ] Pack your medicines
   - the tablets in their boxes
   - the list from your pharmacist
2. [ ] Ask for your letter

# On the day

- [ ] Your coat
- [ ] Your keys
"""
SOURCES = {"contacts": CONTACTS, "checklist": CHECKLIST}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(leaflet, edition) -> the DOCX, from the manifest."""
    root = tmp_path_factory.mktemp("docx-fidelity")
    for slug, text in SOURCES.items():
        folder = root / "leaflet_src" / slug
        folder.mkdir(parents=True)
        (folder / "leaflet.md").write_text(text, encoding="utf-8")
    out = root / "out"
    run_leaflet("--root", str(root), "build", "-f", "docx", "-o", str(out), check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {(a["leaflet"], a["edition"]): out / a["path"] for a in manifest["artifacts"]}


@pytest.fixture(scope="module")
def as_pdf(outputs, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every output laid out by LibreOffice, in one run with its own profile."""
    work = tmp_path_factory.mktemp("soffice")
    inputs = {}
    for (slug, edition), path in outputs.items():
        copy = work / f"{slug}.{edition}.docx"
        shutil.copyfile(path, copy)
        inputs[(slug, edition)] = copy
    profile = (work / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work / "pdf"),
                    *map(str, inputs.values())], capture_output=True, timeout=300, check=True)
    return {key: work / "pdf" / path.with_suffix(".pdf").name for key, path in inputs.items()}


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout.replace(NBSP, " ")


# Item 7: contacts at large print ---------------------------------------------------

def contact_words(path: Path) -> list[str]:
    """Every word the DOCX's contacts hold, as Word stores them (table cells or
    the paragraphs between the heading and the panel)."""
    document = docx.Document(str(path))
    texts = [cell.text for table in document.tables for row in table.rows
             for cell in row.cells]
    inside = False
    for paragraph in document.paragraphs:
        if paragraph.text == "Who to contact":
            inside = True
        elif paragraph.style.name.startswith("heading"):
            inside = False
        elif inside:
            texts.append(paragraph.text)
    return [word for text in texts for word in text.replace(NBSP, " ").split()]


@pytest.mark.slow  # through LibreOffice
@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_no_word_of_the_contacts_breaks_in_libreoffice(outputs, as_pdf, edition):
    expected = contact_words(outputs[("contacts", edition)])
    assert {"Anticoagulation", "rduh.anticoagulation@nhs.net", "Wednesday",
            "01392", "402", "024"} <= set(expected)  # printed as written
    printed = set(pdftotext(as_pdf[("contacts", edition)]).split())
    broken = sorted({word for word in expected if word not in printed})
    assert broken == [], f"words broken across lines: {broken}"


def test_contacts_table_columns_fit_the_page_or_become_blocks(outputs):
    standard = docx.Document(str(outputs[("contacts", "standard")]))
    [table] = standard.tables
    widths = [int(column.width.twips) for column in table.columns]
    section = standard.sections[0]
    text_width = section.page_width.twips - section.left_margin.twips \
        - section.right_margin.twips
    assert sum(widths) == text_width and min(widths) > text_width // 6
    # At 18 pt the three columns cannot each hold their longest word: one block a contact.
    large = docx.Document(str(outputs[("contacts", "large-print")]))
    assert large.tables == []
    assert "Email: rduh.endoscopy@nhs.net" in [p.text for p in large.paragraphs]


# Item 10: checklists ------------------------------------------------------------------

def body_paragraphs(path: Path) -> list:
    return list(docx.Document(str(path)).element.body.iter(qn("w:p")))


def text_of(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def level_of(paragraph, numbering):
    """The numbering level (``w:lvl``) a list paragraph uses, or None."""
    numpr = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if numpr is None:
        return None
    num_id = numpr.find(qn("w:numId")).get(qn("w:val"))
    level = numpr.find(qn("w:ilvl")).get(qn("w:val"))
    num = next(n for n in numbering.iterfind(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.iterfind(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == abstract_id)
    return next(lvl for lvl in abstract.iterfind(qn("w:lvl")) if lvl.get(qn("w:ilvl")) == level)


def indent(paragraph, numbering) -> tuple[int, int]:
    """(where the text starts, where the first line starts) in twips: the
    paragraph's own indent, else its numbering level's."""
    ind = paragraph.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    if ind is None:
        ind = level_of(paragraph, numbering).find(f"{qn('w:pPr')}/{qn('w:ind')}")
    left = int(ind.get(qn("w:left")))
    return left, left - int(ind.get(qn("w:hanging"), 0))


@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_a_numbered_checklist_is_numbered_with_its_nested_list_after_the_box(outputs,
                                                                             edition):
    path = outputs[("checklist", edition)]
    document = docx.Document(str(path))
    numbering = document.part.numbering_part.element
    paragraphs = {text_of(p): p for p in body_paragraphs(path)}
    first, second = paragraphs["\u2610Pack your medicines"], paragraphs["\u2610Ask for your letter"]
    for item in (first, second):
        assert level_of(item, numbering).find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
        assert level_of(item, numbering).get(qn("w:ilvl")) == "0"
        # The box is followed by a tab to where the words start.
        assert item.find(f"{qn('w:r')}/{qn('w:tab')}") is not None
    numbers = {item.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
               for item in (first, second)}
    assert len(numbers) == 1  # one list, counting 1 and 2
    words_start, number_start = indent(first, numbering)
    for nested in ("the tablets in their boxes", "the list from your pharmacist"):
        paragraph = paragraphs[nested]
        assert level_of(paragraph, numbering).find(qn("w:numFmt")).get(qn("w:val")) == "bullet"
        text_start, marker_start = indent(paragraph, numbering)
        # The nested bullet stands under the item's words, not under its box or number.
        assert marker_start == words_start > number_start
        assert text_start > words_start
    # An unnumbered checklist keeps its box and has no number.
    for item in ("\u2610Your coat", "\u2610Your keys"):
        assert paragraphs[item].find(f"{qn('w:pPr')}/{qn('w:numPr')}") is None


@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_pandoc_reads_the_checklist_numbers(outputs, edition):
    plain = subprocess.run(["pandoc", "-f", "docx", "-t", "plain",
                            str(outputs[("checklist", edition)])],
                           capture_output=True, text=True, check=True).stdout
    assert re.search(r"^1\.\s+\u2610\s+Pack your medicines$", plain, flags=re.M), plain
    assert re.search(r"^2\.\s+\u2610\s+Ask for your letter$", plain, flags=re.M), plain
    assert re.search(r"^\s+-\s+the tablets in their boxes$", plain, flags=re.M), plain
    assert re.search(r"^\u2610\s+Your coat$", plain, flags=re.M), plain


@pytest.mark.slow  # through LibreOffice
@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_libreoffice_prints_the_number_box_and_words_on_one_line(as_pdf, edition):
    layout = pdftotext(as_pdf[("checklist", edition)], "-layout")
    lines = layout.splitlines()
    item = next(n for n, line in enumerate(lines) if "Pack your medicines" in line)
    assert re.fullmatch(r"\f?\s*1\.\s+\u2610\s+Pack your medicines\s*", lines[item])
    words_at = lines[item].index("Pack")
    nested = next(line for line in lines if "the tablets in their boxes" in line)
    # The nested item's bullet is no further left than the item's words.
    assert len(nested) - len(nested.lstrip()) >= words_at - 1


# Item 11: the footer without a code or version -------------------------------------

def test_the_footer_names_the_review_date_once(outputs):
    standard = docx.Document(str(outputs[("checklist", "standard")]))
    footer = "\n".join(p.text for p in standard.sections[0].footer.paragraphs)
    assert footer.replace(NBSP, " ").count("Review date") == 1
    assert "Review date: 1 June 2028" in footer.replace(NBSP, " ")
    large = docx.Document(str(outputs[("checklist", "large-print")]))
    footer = "\n".join(p.text for p in large.sections[0].footer.paragraphs)
    assert "Review date" not in footer
    body = [p.text for p in large.paragraphs]
    assert body.count("Review date: 1 June 2028") == 1
