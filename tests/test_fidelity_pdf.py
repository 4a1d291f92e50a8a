"""The PDF as outside tools read it, for what hand-written leaflets hold: nested
lists tagged ``LI -> Lbl, LBody -> (P, L)``, a table across pages with one header,
a numbered checklist whose box stays with its words, and a footer that names the
review date once when the leaflet has no code or version (issue 24, items 2, 3,
10 and 11).  Read back with pikepdf, page-validation, pdftotext and pdfminer."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import page
import pikepdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTCurve, LTTextLine

from conftest import run_leaflet
from readers import kids, marked_text

SLUG = "falls"
ROWS = 80
LEAFLET = """\
---
title: Falls and your medicines
organisation: Northtown Hospitals NHS Foundation Trust
language: en-GB
published: 2026-06-01
review: 2028-06-01
---

# If you fall

1. If you fall:
   - stay calm and check for pain
   - call for help if you cannot get up
2. When you get up:
   - sit down for a while
     1. rest for ten minutes
     2. then stand up slowly
        - hold on to something firm
        - ask someone to stay with you
   - drink some water

# Before you go home

1. [ ] Pack your medicines
   - the tablets in their boxes
   - the list from your pharmacist
2. [ ] Ask for your letter

# Your doses

| Day | Dose | When |
| --- | --- | --- |
""" + "".join(f"| Day {n} | {n * 5} mg | With breakfast |\n" for n in range(1, ROWS + 1))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """edition -> the PDF, from the manifest."""
    root = tmp_path_factory.mktemp("falls")
    folder = root / "leaflet_src" / SLUG
    folder.mkdir(parents=True)
    (folder / "leaflet.md").write_text(LEAFLET, encoding="utf-8")
    out = root / "out"
    run_leaflet("--root", str(root), "build", "-f", "pdf", "-e", "standard", "-e",
                "large-print", "-o", str(out), check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {a["edition"]: out / a["path"] for a in manifest["artifacts"]}


# Reading the tag tree -------------------------------------------------------------

def is_element(node) -> bool:
    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def elements(node) -> list:
    return [kid for kid in kids(node) if is_element(kid)]


def walk(node):
    for kid in elements(node):
        yield kid
        yield from walk(kid)


class Tagged:
    """A PDF's structure tree with the text each element holds (its marked
    content, through /ActualText or the fonts' ToUnicode maps)."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        self.pages = {page_.objgen: number for number, page_ in enumerate(pdf.pages)}
        self.marked = {}  # (page number, MCID) -> text
        for number, pdf_page in enumerate(pdf.pages):
            self.marked.update({(number, mcid): text
                                for mcid, text in marked_text(pdf_page).items()})

    def text(self, node, page_number: int | None = None) -> str:
        if "/Pg" in node:
            page_number = self.pages[node.Pg.objgen]
        found = []
        for kid in kids(node):
            if isinstance(kid, int):
                found.append(self.marked.get((page_number, int(kid)), ""))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                found.append(self.marked.get((self.pages[kid.Pg.objgen], int(kid.MCID)), ""))
            elif is_element(kid):
                found.append(self.text(kid, page_number))
        return " ".join(" ".join(found).split())

    def all(self, tag: str) -> list:
        return [node for node in walk(self.root) if node.S == tag]


def failures(path: Path) -> list[str]:
    report = page.validate_pdf(str(path), profile="ua1")
    return sorted(f"{failure.rule_id}: {failure.message}" for failure in report.failures)


def shape(node) -> list[str]:
    return [str(kid.S) for kid in elements(node)]


# Item 2: nested lists --------------------------------------------------------------

@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_page_validation_finds_nothing(pdfs, edition):
    assert failures(pdfs[edition]) == []


@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_a_nested_list_is_inside_its_items_body(pdfs, edition):
    with pikepdf.open(pdfs[edition]) as pdf:
        tagged = Tagged(pdf)
        # Every item is a label and one body; a list holds only items.
        for item in tagged.all("/LI"):
            assert shape(item) in (["/Lbl", "/LBody"], ["/LBody"]), tagged.text(item)
        for found in tagged.all("/L"):
            assert set(shape(found)) == {"/LI"}, tagged.text(found)
        outer = next(found for found in tagged.all("/L")
                     if tagged.text(found).startswith("1. If you fall:"))
        first, second = elements(outer)
        label, body = elements(first)
        assert tagged.text(label) == "1."
        assert shape(body) == ["/P", "/L"]
        paragraph, inner = elements(body)
        assert tagged.text(paragraph) == "If you fall:"
        assert [tagged.text(elements(item)[-1]) for item in elements(inner)] == [
            "stay calm and check for pain", "call for help if you cannot get up"]
        # Four lists deep, ordered in unordered in ordered: each list in the body of
        # the item it belongs to, up to the first.
        deepest = next(found for found in tagged.all("/L")
                       if tagged.text(found).endswith("ask someone to stay with you")
                       and "then" not in tagged.text(found))
        assert [tagged.text(elements(item)[-1]) for item in elements(deepest)] == [
            "hold on to something firm", "ask someone to stay with you"]
        steps, node = [], deepest
        while node.P.get("/S") == "/LBody":
            body = node.P
            steps.append(tagged.text(elements(body)[0]))
            node = body.P.P
            assert node.S == "/L"
        assert steps == ["then stand up slowly", "sit down for a while", "When you get up:"]
        assert node.objgen == outer.objgen


# Item 3: a table across pages -----------------------------------------------------

def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_a_table_across_pages_has_one_header_that_heads_every_cell(pdfs, edition):
    with pikepdf.open(pdfs[edition]) as pdf:
        tagged = Tagged(pdf)
        [table] = tagged.all("/Table")
        rows = [row for row in walk(table) if row.S == "/TR"]
        pages = {tagged.pages[row.Pg.objgen] for row in rows}
        assert len(pages) >= 2  # it does cross a page
        assert shape(table).count("/THead") == 1
        [head] = [group for group in elements(table) if group.S == "/THead"]
        assert tagged.text(head) == "Day Dose When"
        assert len(rows) == ROWS + 1
        names = pdf.Root.StructTreeRoot.IDTree.Names
        ids = {bytes(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        reachable = {node.objgen for node in walk(tagged.root)}
        cells = [cell for cell in walk(table) if cell.S == "/TD"]
        assert len(cells) == 2 * ROWS
        for row in rows[1:]:
            day, *data = elements(row)
            for cell, column in zip(data, ("Dose", "When"), strict=True):
                headers = [ids[bytes(name)] for name in cell.A.Headers]
                assert all(header.objgen in reachable for header in headers)
                assert sorted(tagged.text(header) for header in headers) == \
                    sorted([tagged.text(day), column])
    # Sighted readers still see the header at the top of each page the table is on.
    for number in sorted(pages):
        text = pdftotext(pdfs[edition], "-f", str(number + 1), "-l", str(number + 1))
        assert {"Dose", "When"} <= set(text.split()), number


# Item 10: a numbered checklist --------------------------------------------------------

@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_a_numbered_checklist_keeps_number_box_and_first_words_on_one_line(pdfs, edition):
    layout = pdftotext(pdfs[edition], "-layout")
    for number, words in ((1, "Pack your medicines"), (2, "Ask for your letter")):
        assert re.search(rf"^[ \t\f]*{number}\.[ \t]+{words}[ \t]*$", layout, flags=re.M), words
    size = 12 if edition == "standard" else 18
    lines, boxes = [], []
    for pdf_page in extract_pages(str(pdfs[edition])):
        stack = list(pdf_page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTTextLine):
                lines.append((pdf_page.pageid, item))
            elif isinstance(item, LTCurve) and 0.7 * size < item.width < 1.1 * size \
                    and abs(item.width - item.height) < 1:
                boxes.append((pdf_page.pageid, item))
            else:
                stack.extend(getattr(item, "_objs", []))
    # A box's border may be drawn as two rectangles, one inside the other.
    assert len({(p, round((box.y0 + box.y1) / 2)) for p, box in boxes}) == 2
    for words in ("Pack your medicines", "Ask for your letter"):
        [(page_id, line)] = [(p, line) for p, line in lines if words in line.get_text()]
        beside = [box for p, box in boxes if p == page_id
                  and line.y0 <= (box.y0 + box.y1) / 2 <= line.y1 and box.x1 < line.x0]
        assert beside, f"the box of {words!r} is not on its line"


# Item 11: the footer without a code or version --------------------------------------

A4_HEIGHT_PT = 842


def footer_text(path: Path, page_number: int) -> str:
    """The text of a page's bottom margin, under the body's last line."""
    return pdftotext(path, "-f", str(page_number), "-l", str(page_number), "-x", "0",
                     "-y", str(A4_HEIGHT_PT - 70), "-W", "595", "-H", "70")


def test_the_footer_names_the_review_date_once_on_every_page(pdfs):
    path = pdfs["standard"]
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
    assert count > 1
    for number in range(1, count + 1):
        footer = footer_text(path, number)
        assert footer.count("Review date") == 1, (number, footer)
        assert "Review date: 1 June 2028" in footer
        assert f"Page {number} of {count}" in footer
    # The large print footer has room for the page only; the dates end the leaflet, once.
    path = pdfs["large-print"]
    text = pdftotext(path)
    assert text.count("Review date: 1 June 2028") == 1
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
    assert all("Review date" not in footer_text(path, number) for number in range(1, count + 1))
