"""The easy read edition end to end: the sample in every format, the rules `leaflet check`
applies, the page limit, and `leaflet easy-read scaffold`."""

from __future__ import annotations

import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect, LTTextContainer, \
    LTTextLine

from conftest import REPO, SAMPLE_SLUG, run_leaflet
from leaflet import easyread
from leaflet.library import read_leaflet
from leaflet.library import Library

SOURCE = REPO / "leaflet_src" / SAMPLE_SLUG / "easy-read.md"
REL = f"leaflet_src/{SAMPLE_SLUG}/easy-read.md"
PICTOGRAMS = yaml.safe_load((REPO / "formats" / "pictograms" / "pictograms.yaml")
                            .read_text(encoding="utf-8"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def sample_rows(contacts: bool = True) -> list[tuple[str, list[str]]]:
    """(alt text, sentences) of every row of the sample, read from the file as a person
    would: the picture line, then one sentence a line.  Each contact is a row too, beside
    the phone picture, its "sentences" the lines of its card."""
    rows = []
    text = SOURCE.read_text(encoding="utf-8")
    for kind, body in re.findall(r"^::: (row|contacts)\n(.*?)^:::$", text, re.M | re.S):
        if kind == "contacts":
            if contacts:
                for contact in yaml.safe_load(body):
                    phones = contact.get("phone", [])
                    lines = [contact["name"], contact.get("about")]
                    lines += [f"Phone: {p}" for p in ([phones] if isinstance(phones, str)
                                                       else phones)]
                    lines.append(f"Opening hours: {contact['hours']}" if "hours" in contact
                                 else None)
                    rows.append((PICTOGRAMS["phone"]["alt"], [l for l in lines if l]))
            continue
        lines = [line.strip() for line in body.splitlines() if line.strip()]
        alt, src = re.fullmatch(r"!\[(.*)\]\((.*)\)", lines[0]).groups()
        if not alt:
            alt = PICTOGRAMS[src.removeprefix("pictogram:")]["alt"]
        rows.append((alt, lines[1:]))
    return rows


ROWS = sample_rows()


def entry(built, fmt: str) -> dict:
    path = built.find(fmt, "easy-read")
    return next(e for e in built.artifacts if built.out / e["path"] == path)


# Every format ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,ext", [("pdf", "pdf"), ("docx", "docx"), ("epub", "epub"),
                                     ("text", "txt"), ("html", "html")])
def test_the_sample_easy_read_is_built_in_every_format(built, fmt, ext):
    found = entry(built, fmt)
    assert found["edition"] == "easy-read"
    assert found["size_pt"] == 16.0
    assert found["path"] == f"{SAMPLE_SLUG}/en-GB/{SAMPLE_SLUG}.en-GB.easy-read.{ext}"
    assert (built.out / found["path"]).stat().st_size == found["bytes"] > 0


def test_the_sample_has_rows_and_keeps_every_phone_number_that_matters():
    assert len(ROWS) >= 30
    assert all(1 <= len(sentences) <= 3 for _, sentences in sample_rows(contacts=False))
    text = SOURCE.read_text(encoding="utf-8")
    contacts = "".join(re.findall(r"^::: contacts\n(.*?)^:::$", text, re.M | re.S))
    for number in ("0191 445 3735", "0191 445 8353", "0191 445 2180", "0808 808 0000"):
        assert number in contacts


# PDF -------------------------------------------------------------------------------------

def chars(page):
    stack = list(page)
    while stack:
        item = stack.pop()
        if isinstance(item, LTChar):
            yield item
        elif hasattr(item, "__iter__") and not isinstance(item, LTChar):
            stack.extend(item)


def pictures(page) -> list[tuple[float, float, float, float]]:
    """The pictures on a page: drawn pictograms (their curves and lines, merged where they
    lie within a few points of each other) and embedded images, at least 30 pt each way."""
    gap = 25  # a pictogram's parts lie closer than this; two rows lie much further apart
    merged = [list(item.bbox) for item in page
              if isinstance(item, (LTCurve, LTLine, LTRect, LTFigure, LTImage))
              and item.width < page.width / 2 and item.height < page.height / 2]
    changed = True
    while changed:
        changed = False
        for i, box in enumerate(merged):
            for other in merged[i + 1:]:
                if box[0] <= other[2] + gap and other[0] <= box[2] + gap and \
                        box[1] <= other[3] + gap and other[1] <= box[3] + gap:
                    box[:] = [min(box[0], other[0]), min(box[1], other[1]),
                              max(box[2], other[2]), max(box[3], other[3])]
                    merged.remove(other)
                    changed = True
                    break
            if changed:
                break
    return [tuple(b) for b in merged if b[2] - b[0] >= 30 and b[3] - b[1] >= 30]


def text_lines(page) -> list[LTTextLine]:
    return [line for box in page if isinstance(box, LTTextContainer) for line in box
            if isinstance(line, LTTextLine) and line.get_text().strip()]


def test_pdf_text_is_never_smaller_than_the_easy_read_size(built):
    sizes = [c.size for page in extract_pages(built.find("pdf", "easy-read")) for c in chars(page)]
    assert sizes
    assert min(sizes) >= 16.0 - 0.01


def test_pdf_every_row_has_its_picture_on_the_left_of_its_text(built):
    placed = 0
    found_rows = set()
    for page in extract_pages(built.find("pdf", "easy-read")):
        lines = text_lines(page)
        for x0, y0, x1, y1 in pictures(page):
            if x0 > page.width / 2:
                continue  # the organisation's logo in the title block
            beside = [line for line in lines if line.y0 < y1 and line.y1 > y0]
            assert beside, f"a picture at {x0:.0f},{y0:.0f} has no text beside it"
            assert all(line.x0 >= x1 for line in beside), [l.get_text() for l in beside]
            # large: over 3 cm one way (a drawing need not fill its square box both ways)
            assert max(x1 - x0, y1 - y0) >= 90
            placed += 1
            words = " ".join(" ".join(line.get_text().split()) for line in beside)
            for number, (_alt, sentences) in enumerate(ROWS):
                if any(" ".join(sentence.split()[:4]) in words for sentence in sentences):
                    found_rows.add(number)
    assert placed >= len(ROWS)
    assert found_rows == set(range(len(ROWS)))


def test_pdf_is_within_the_page_limit_and_the_build_hook_checks_its_pages(built, tmp_path):
    data = built.find("pdf", "easy-read").read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        assert 1 < pages <= easyread.MAX_PAGES
        leaflet = read_leaflet(Library(REPO), SAMPLE_SLUG, "easy-read")
        # the build gives the count the PDF writer reports (test_pdf checks that count)
        assert easyread.page_count_problem(leaflet, pages) is None
    problem = easyread.page_count_problem(leaflet, easyread.MAX_PAGES + 1)
    assert problem is not None and problem.warning
    assert problem.path == REL
    assert f"has {easyread.MAX_PAGES + 1} pages" in problem.message


def test_pdf_at_a_chosen_easy_read_size(sample_library, tmp_path):
    out = tmp_path / "out"
    run_leaflet("build", "-f", "pdf", "-e", "easy-read", "-l", "en-GB", "--easy-read-size", "20",
                "-o", str(out), cwd=sample_library, check=True)
    artifacts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    [found] = [e for e in artifacts if e["edition"] == "easy-read"]
    assert found["size_pt"] == 20.0
    sizes = [round(c.size, 1) for page in extract_pages(out / found["path"]) for c in chars(page)]
    assert min(sizes) >= 20.0 - 0.01
    assert max(set(sizes), key=sizes.count) == 20.0  # the sentences are at the chosen size


def test_look_at_two_rendered_pages(built, tmp_path):
    """Rendered as a reader sees them: white pages with dark pictures and text on them."""
    import subprocess
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "2", "-l", "3",
                    str(built.find("pdf", "easy-read")), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 2
    subprocess.run(["pdftoppm", "-gray", "-r", "30", "-f", "2", "-l", "2",
                    str(built.find("pdf", "easy-read")), str(tmp_path / "grey")], check=True)
    data = next(tmp_path.glob("grey-*.pgm")).read_bytes()
    header = data.split(b"\n", 3)
    pixels = header[3]
    white = sum(1 for p in pixels if p >= 250) / len(pixels)
    dark = sum(1 for p in pixels if p < 100) / len(pixels)
    assert white > 0.7  # a white background
    assert dark > 0.01  # with something printed on it


# DOCX -----------------------------------------------------------------------------------

def test_docx_has_one_picture_with_alt_text_per_row_left_of_its_text(built):
    with zipfile.ZipFile(built.find("docx", "easy-read")) as docx:
        body = ET.fromstring(docx.read("word/document.xml"))
    assert not list(body.iter(f"{W}tbl"))  # rows are laid out without layout tables
    rows = []
    for paragraph in body.iter(f"{W}p"):
        drawings = list(paragraph.iter(f"{WP}docPr"))
        # a row's picture is anchored at the margin beside its text (the theme's logo in
        # the title block is the one picture set in the line)
        if not drawings or not list(paragraph.iter(f"{WP}anchor")):
            continue
        assert len(drawings) == 1
        indent = paragraph.find(f"{W}pPr/{W}ind")
        assert indent is not None and int(indent.get(f"{W}left") or indent.get(f"{W}start")) > 0
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
        rows.append((drawings[0].get("descr"), text))
    assert [alt for alt, _ in rows] == [alt for alt, _ in ROWS]
    assert len(list(body.iter(f"{WP}inline"))) <= 1  # the logo alone
    for (_, text), (_, sentences) in zip(rows, ROWS, strict=True):
        assert text.startswith(sentences[0])


# EPUB -----------------------------------------------------------------------------------
# EPUBCheck runs on every EPUB of the `built` fixture, the easy read one included, in
# tests/test_epub.py: it is not run twice.

def test_epub_rows_put_each_picture_before_its_sentences(built):
    with zipfile.ZipFile(built.find("epub", "easy-read")) as epub:
        name = next(n for n in epub.namelist() if n.endswith("content.xhtml"))
        content = ET.fromstring(epub.read(name))
    rows = [div for div in content.iter(f"{XHTML}div") if div.get("class") == "row"]
    assert len(rows) == len(ROWS)
    for div, (alt, sentences) in zip(rows, ROWS, strict=True):
        picture, text = list(div)
        assert picture.find(f"{XHTML}img").get("alt") == alt
        paragraphs = [" ".join("".join(p.itertext()).split()) for p in text.iter(f"{XHTML}p")]
        assert paragraphs == sentences


# Plain text and the web page ------------------------------------------------------------

def test_text_has_each_pictures_alt_text_in_brackets_before_its_sentences(built):
    text = " ".join(built.find("text", "easy-read").read_text(encoding="utf-8").split())
    position = 0
    for alt, sentences in ROWS:
        expected = f"[{alt}] {' '.join(sentences)}"
        found = text.find(expected, position)
        assert found >= 0, expected
        position = found + len(expected)


def test_web_page_rows_have_their_pictures_and_alt_texts_in_order(built):
    html = built.find("html", "easy-read").read_text(encoding="utf-8")
    alts = re.findall(r'<figure class="row-picture"><img [^>]*alt="([^"]*)"', html)
    assert alts == [alt.replace("'", "&#39;") for alt, _ in ROWS]


# The rules ------------------------------------------------------------------------------

def library_copy(sample_library: Path, tmp_path: Path) -> Path:
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    return root


BROKEN = """\
---
title: Secondary breast cancer
---

# About this leaflet

::: row
![](pictogram:information)

This sentence has exactly sixteen words in it so that the easy read check flags it.

This sentence has exactly fifteen words in it so that the check lets it pass.
:::

::: row
You can phone the breast care nurses on 0191 445 2180.
:::

::: row
![](pictogram:doctor)

Your oncologist will look after you.
:::

::: row
![](pictogram:tablets)

TODO (shorten): You may have bisphosphonates.

Bisphosphonates are medicines for your bones.
:::
"""


def test_check_warns_about_each_easy_read_rule_with_file_and_line(sample_library, tmp_path):
    root = library_copy(sample_library, tmp_path)
    (root / REL).write_text(BROKEN, encoding="utf-8")
    result = run_leaflet("check", cwd=root)
    assert result.returncode == 0, result.stderr  # warnings only
    lines = result.stderr.splitlines()

    def at(line: int) -> list[str]:
        return [l for l in lines if l.startswith(f"{REL}:{line}: warning: ")]

    assert any("this sentence has 16 words" in l for l in at(10))
    assert not at(12)  # fifteen words pass
    assert any("this row has no picture" in l and "pictogram:phone" in l for l in at(15))
    assert any("'oncologist' is a medical word" in l for l in at(22))
    assert any("TODO marker" in l for l in at(28))
    assert not any("bisphosphonates" in l for l in lines)  # explained in its row
    # the rules are for easy read only: leaflet.md has the plain-English checks instead
    assert not any("leaflet.md" in l and "easy read" in l for l in lines)
    rules = [l for l in lines if l.startswith(REL)]
    assert len(rules) == 4
    # the rest: each language's easy read catalog, now behind the changed source, and
    # the plain-English warnings of leaflet.md
    assert all(l.startswith("locales/") and "not translated" in l
               or l.startswith(f"leaflet_src/{SAMPLE_SLUG}/leaflet.md:")
               for l in lines if l not in rules)

    strict = run_leaflet("check", "--strict", cwd=root)
    assert strict.returncode == 1
    problems = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert [line for line in strict.stderr.splitlines() if "warning:" in line] == problems
    assert f"0 errors, {len(problems)} warnings" in strict.stderr


def test_a_picture_without_alt_text_is_an_error(sample_library, tmp_path):
    root = library_copy(sample_library, tmp_path)
    (root / "leaflet_src" / SAMPLE_SLUG / "images").mkdir(exist_ok=True)
    (root / "leaflet_src" / SAMPLE_SLUG / "images" / "ward.png").write_bytes(
        (REPO / "formats" / "pictograms" / "phone.svg").read_bytes())
    (root / REL).write_text(BROKEN.replace("![](pictogram:doctor)", "![](images/ward.png)"),
                            encoding="utf-8")
    result = run_leaflet("check", cwd=root)
    assert result.returncode == 1
    assert f"{REL}:20: the picture has no alt text" in result.stderr


def test_the_sample_passes_check_strict_but_for_plain_english():
    """The sample is a real trust's leaflet, written above the target reading age: its
    only warnings are the plain-English ones on leaflet.md, none on its easy read."""
    result = run_leaflet("check", SAMPLE_SLUG)
    assert result.returncode == 0, result.stderr
    plain = ("reads at age", "sentence has", "plainer alternative", "is a medical term")
    for line in result.stderr.splitlines():
        assert "/leaflet.md:" in line and any(words in line for words in plain), line


# The scaffold ---------------------------------------------------------------------------

def test_scaffold_drafts_an_easy_read_edition_from_the_standard_leaflet(sample_library, tmp_path):
    root = library_copy(sample_library, tmp_path)
    target = root / REL
    target.unlink()
    result = run_leaflet("easy-read", "scaffold", SAMPLE_SLUG, cwd=root)
    assert result.returncode == 0, result.stderr
    assert REL in result.stdout
    draft = target.read_text(encoding="utf-8")

    standard = (root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md").read_text(encoding="utf-8")
    headings = [l for l in standard.split("\n---\n", 1)[1].splitlines() if l.startswith("#")]
    assert len(headings) >= 10
    for heading in headings:
        assert f"\n{heading}\n" in draft

    rows = re.findall(r"^::: row\n(.*?)\n(.*?)\n:::$", draft, re.M)
    assert len(rows) > 40
    assert all(picture.startswith("![") for picture, _ in rows)
    by_sentence = {sentence: picture for picture, sentence in rows}
    [phone_row] = [s for s in by_sentence if "0191 445 8418" in s]
    assert by_sentence[phone_row] == "![](pictogram:phone)"
    [ct_row] = [s for s in by_sentence if "uses X-rays to take pictures" in s]
    assert by_sentence[ct_row] == "![](pictogram:scan)"
    assert sum(1 for s in by_sentence if s.startswith("TODO")) >= 10

    # it parses, and what is left to do is listed, each at its line
    check = run_leaflet("check", cwd=root)
    assert check.returncode == 0, check.stderr
    todo_lines = {n for n, l in enumerate(draft.splitlines(), start=1) if "TODO" in l}
    reported = {int(m) for m in re.findall(rf"^{re.escape(REL)}:(\d+): warning: a TODO marker",
                                           check.stderr, re.M)}
    assert reported == todo_lines
    assert run_leaflet("check", "--strict", cwd=root).returncode == 1
    run_leaflet("build", "-f", "text", "-e", "easy-read", "-l", "en-GB", "-o",
                str(tmp_path / "out"), cwd=root, check=True)

    # never overwritten
    again = run_leaflet("easy-read", "scaffold", SAMPLE_SLUG, cwd=root)
    assert again.returncode == 1
    assert f"{REL}: already exists" in again.stderr
    assert target.read_text(encoding="utf-8") == draft


def test_pictograms_lists_every_pictogram_with_its_alt_text():
    result = run_leaflet("pictograms", check=True)
    listed = dict(line.split(None, 1) for line in result.stdout.splitlines())
    svgs = {p.stem for p in (REPO / "formats" / "pictograms").glob("*.svg")}
    assert set(listed) == svgs
    assert listed["phone"] == PICTOGRAMS["phone"]["alt"]
