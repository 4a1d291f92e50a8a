"""The PDF writer: clear print, UKAAF large print, easy read, tagged PDF/UA, safe fetching, the theme.

Everything is read back from the PDFs as a reader's tools see them: pdfminer
for text sizes, fonts and positions, pdftotext for the words, pikepdf for the
tag tree and metadata.
"""

from __future__ import annotations

import collections
import dataclasses
import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTCurve, LTTextContainer, LTTextLine

from conftest import REPO, SAMPLE_SLUG, run_leaflet

SAMPLE_SOURCE = REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
PHONE_RE = re.compile(r"\b0\d{3} \d{3} \d{4}\b")
ONLINE = "https://www.example.nhs.uk/leaflets/secondary-breast-cancer"

EXTRA_SOURCE = """
# Your appointments

You must come *on time*.

| Appointment | Where | When | Who to phone |
| --- | --- | --- | --- |
| Oncology clinic | Queen Elizabeth Hospital, Gateshead | Every three weeks on a Tuesday | 0191 445 3735 |
| Blood test | Your GP surgery | Two days before each clinic | 0191 445 8353 |

::: callout urgent
If you have a high temperature, phone the acute oncology line *straight away* on 0191 445 2180.
:::
"""

EASY_READ_ROWS = [
    ("doctor", "A doctor", "Your doctor will talk to you about your treatment."),
    ("scan", "A scan", "You may have a scan. A scan takes pictures of the inside of your body."),
    ("tablets", "Tablets", "You may take tablets every day."),
    ("nurse", "A nurse", "A nurse can help you."),
]


# Reading PDFs ------------------------------------------------------------------------

def chars(path: Path) -> list[LTChar]:
    out = []
    for page in extract_pages(str(path)):
        for element in page:
            if isinstance(element, LTTextContainer):
                for line in element:
                    if isinstance(line, LTTextLine):
                        out.extend(c for c in line if isinstance(c, LTChar) and c.get_text().strip())
    return out


def text_lines(path: Path) -> list[str]:
    lines = []
    for page in extract_pages(str(path)):
        for element in page:
            if isinstance(element, LTTextContainer):
                lines.extend(line.get_text().strip() for line in element
                             if isinstance(line, LTTextLine))
    return lines


def pdftotext(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element reachable from the structure tree root."""
    found, stack, seen = [], [pdf.Root.StructTreeRoot], set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary) or node.objgen in seen:
            continue
        seen.add(node.objgen)
        if node.get("/Type") == "/StructElem" or "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)
    return found


def sample_phones() -> list[str]:
    return sorted(set(PHONE_RE.findall(SAMPLE_SOURCE.read_text(encoding="utf-8"))))


# A library with what the sample lacks: a wide table, emphasis, a web address,
# an easy read edition.

@pytest.fixture(scope="module")
def extra(tmp_path_factory, sample_library) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pdf-library")
    shutil.copytree(sample_library, root, dirs_exist_ok=True)
    source = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace("\nrequests:", f"\nonline: {ONLINE}\nrequests:", 1)
    source.write_text(text + EXTRA_SOURCE, encoding="utf-8")
    rows = "\n".join(f"::: row\n![{alt}](pictogram:{name})\n\n{sentence}\n:::\n"
                     for name, alt, sentence in EASY_READ_ROWS)
    (source.parent / "easy-read.md").write_text(
        f"---\ntitle: Secondary breast cancer\n---\n\n# About this leaflet\n\n{rows}",
        encoding="utf-8")
    out = root / "out"
    run_leaflet("build", "-f", "pdf", "-l", "en-GB", "-o", str(out), cwd=root, check=True)
    names = {"standard": "", "large-print": ".large-print", "easy-read": ".easy-read"}
    return {edition: out / SAMPLE_SLUG / "en-GB" / f"{SAMPLE_SLUG}.en-GB{suffix}.pdf"
            for edition, suffix in names.items()} | {"root": root}


def broken_library(tmp_path: Path, sample_library: Path) -> Path:
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    return root


# The sample, as built -----------------------------------------------------------------

def test_both_pdfs_are_in_the_manifest_and_a4(built):
    for edition in ("standard", "large-print"):
        path = built.find("pdf", edition)
        assert path.read_bytes().startswith(b"%PDF-")
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
                assert (round(x1 - x0), round(y1 - y0)) == (595, 842)
    assert built.find("pdf", "large-print").name.endswith(".en-GB.large-print.pdf")


def test_standard_text_is_never_below_12_pt_and_headings_are_larger(built):
    sizes = [round(c.size, 1) for c in chars(built.find("pdf"))]
    assert min(sizes) >= 12.0
    assert max(sizes) >= 20.0  # the title stands out
    body = collections.Counter(sizes).most_common(1)[0][0]
    assert 12.0 <= body <= 14.0


def test_large_print_text_is_never_below_18_pt(built):
    sizes = [round(c.size, 1) for c in chars(built.find("pdf", "large-print"))]
    assert min(sizes) >= 18.0


def test_large_print_size_can_be_chosen(tmp_path):
    run_leaflet("build", "-f", "pdf", "-e", "large-print", "-l", "en-GB",
                "--large-print-size", "28", "-o", str(tmp_path), check=True)
    path = next(tmp_path.rglob("*.large-print.28pt.pdf"))
    sizes = [c.size for c in chars(path)]
    assert min(sizes) >= 28.0 - 0.01
    # Every page still has its page number, at the full size.
    pages = page_count(path)
    assert f"Page {pages} of {pages}" in pdftotext(path, pages)


def test_title_block_footer_and_panel(built):
    path = built.find("pdf")
    first = pdftotext(path, 1)
    for words in ("Gateshead Health NHS Foundation Trust", "Secondary breast cancer",
                  "Information for patients"):
        assert words in first
    pages = page_count(path)
    for number in range(1, pages + 1):
        text = " ".join(pdftotext(path, number).split())
        assert f"Page {number} of {pages}" in text
        assert "SAMPLE-ONC-001" in text
        assert "Version: 1" in text
        assert "Review date: 6 January 2027" in text
    last = " ".join(pdftotext(path, pages).split())
    assert "This leaflet is also available in other languages and formats" in last
    assert "English" in last and "Large print" in last
    assert "Ask your breast care nurse, or phone 0191 445 2180." in last


def test_tagged_pdf_ua_with_language_title_and_metadata(built):
    for edition in ("standard", "large-print"):
        with pikepdf.open(built.find("pdf", edition)) as pdf:
            assert pdf.Root.MarkInfo.Marked
            assert str(pdf.Root.Lang) == "en-GB"
            assert pdf.Root.ViewerPreferences.DisplayDocTitle
            info = pdf.docinfo
            assert str(info.Title).startswith("Secondary breast cancer")
            assert str(info.Author) == "Gateshead Health NHS Foundation Trust"
            assert str(info.Subject) == "Information for patients"
            assert "SAMPLE-ONC-001" in str(info.Keywords)
            assert str(info.CreationDate).startswith("D:2025")
            with pdf.open_metadata() as xmp:
                assert xmp.get("pdfuaid:part") == "1"
                assert "Secondary breast cancer" in str(xmp.get("dc:title"))
            kinds = collections.Counter(str(e.S) for e in structure(pdf))
            for tag in ("/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Link", "/Figure"):
                assert kinds[tag] > 0, tag


def test_title_metadata_names_the_edition(built):
    """A reader's list of open files tells the large print and easy read PDFs
    from the standard one, as the web page's title does."""
    titles = {}
    for edition in ("standard", "large-print", "easy-read"):
        with pikepdf.open(built.find("pdf", edition)) as pdf:
            titles[edition] = str(pdf.docinfo.Title)
            with pdf.open_metadata() as xmp:
                assert titles[edition] in str(xmp.get("dc:title"))
    assert titles["standard"] == "Secondary breast cancer: Information for patients"
    assert titles["large-print"].startswith("Secondary breast cancer (Large print)")
    assert titles["easy-read"].startswith("Secondary breast cancer (Easy read)")


@pytest.mark.slow  # a whole build or process: the full tier
def test_every_language_and_edition_keeps_its_size_and_language(built):
    pdfs = [e for e in built.artifacts if e["format"] == "pdf"]
    assert {e["edition"] for e in pdfs} >= {"standard", "large-print"}
    assert len({e["lang"] for e in pdfs}) >= 2  # the translations too
    for entry in pdfs:
        path = built.out / entry["path"]
        smallest = {"standard": 12.0}.get(entry["edition"], entry["size_pt"])
        assert min(c.size for c in chars(path)) >= smallest - 0.01, entry["path"]
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == entry["lang"], entry["path"]
            assert str(pdf.docinfo.Title).strip(), entry["path"]


def test_every_figure_has_alt_text_and_every_font_is_embedded(built):
    for edition in ("standard", "large-print"):
        with pikepdf.open(built.find("pdf", edition)) as pdf:
            figures = [e for e in structure(pdf) if e.S == "/Figure"]
            assert figures and all(str(f.get("/Alt", "")).strip() for f in figures)
            fonts = 0
            for page in pdf.pages:
                for font in page.Resources.get("/Font", {}).values():
                    descendant = font.get("/DescendantFonts", [font])[0]
                    descriptor = descendant.FontDescriptor
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                        str(font.BaseFont)
                    fonts += 1
            assert fonts > 0


def test_running_headers_and_footers_are_artifacts(built):
    """Every piece of marked content on a page belongs to the structure tree
    or is an artifact: no tagged text is left outside the tree."""
    with pikepdf.open(built.find("pdf")) as pdf:
        reachable = {e.objgen for e in structure(pdf)}
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            mapping = parents[int(page.StructParents)]
            # the outermost marked content: inside a tagged span, the text layers' own
            # /Span and /Reading marks (formats/pdftext.py) belong to what holds them
            marked, depth = [], 0
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) in ("BDC", "BMC"):
                    if depth == 0:
                        marked.append(operands if str(op) == "BDC" else [operands[0], None])
                    depth += 1
                elif str(op) == "EMC":
                    depth -= 1
            assert depth == 0
            artifacts = [ops for ops in marked if ops[0] == "/Artifact"]
            assert artifacts
            for operands in marked:
                if operands[0] == "/Artifact":
                    continue
                mcid = int(operands[1].MCID)
                assert mapping[mcid].objgen in reachable


def test_every_phone_number_is_whole_on_one_line(built):
    phones = sample_phones()
    assert len(phones) >= 8
    for edition in ("standard", "large-print"):
        path = built.find("pdf", edition)
        words = " ".join(pdftotext(path).split())
        lines = text_lines(path)
        joined = " ".join(" ".join(lines).split())
        for phone in phones:
            assert phone in words, (edition, phone)
            # A number split over two lines is in the joined text but on no line.
            assert joined.count(phone) == sum(line.count(phone) for line in lines), (edition, phone)


def prepared(root: Path):
    """The sample's English standard leaflet and its writer options, as a build makes them."""
    from leaflet.build.artifact import prepare
    from leaflet.build.plan import Sources
    from leaflet.library import Library

    library = Library(root)
    return prepare(library, Sources(library), (SAMPLE_SLUG, "en-GB", "standard"), False)


def test_same_input_gives_the_same_bytes(sample_library):
    from formats import pdf

    translation, options = prepared(sample_library)
    first = pdf.write(translation.leaflet, options)
    second = pdf.write(translation.leaflet, options)
    assert first.data == second.data
    # the writer counts the pages it laid out, as the PDF's page tree counts them
    with pikepdf.open(io.BytesIO(first.data)) as document:
        assert first.facts["pages"] == len(document.pages) > 1


def test_draft_mark_on_every_page(sample_library):
    from formats import pdf

    translation, options = prepared(sample_library)
    data = pdf.write(translation.leaflet, dataclasses.replace(options, draft=True)).data
    path = Path(options.assets.folder).parent.parent / "draft.pdf"
    path.write_bytes(data)
    try:
        assert "DRAFT translation, not yet checked" in pdftotext(path, 1)
        for number in range(1, page_count(path) + 1):
            assert "DRAFT" in pdftotext(path, number)
    finally:
        path.unlink()


def test_arabic_page_furniture_is_in_the_languages_font_with_its_comma(built):
    """The footer, page numbers and DRAFT mark (page margin boxes, which
    :lang() does not reach) take the Arabic stack, as the body does; fields
    are joined with the Arabic comma."""
    path = built.find("pdf", "standard", "ar")
    page = next(iter(extract_pages(str(path), page_numbers=[0])))
    furniture = []
    for element in page:
        if isinstance(element, LTTextContainer) and (element.y1 < 100
                                                    or element.y0 > page.height - 80):
            for line in element:
                if isinstance(line, LTTextLine):
                    furniture.extend(c for c in line
                                     if isinstance(c, LTChar) and c.get_text().strip())
    arabic = [c for c in furniture if "\u0600" <= c.get_text() <= "\u06ff"]
    assert len(arabic) > 20  # "رمز النشرة…", "الصفحة 1 من 5", "مسودة"
    assert {re.sub(r"^[A-Z]{6}\+", "", c.fontname) for c in arabic} <= {
        "Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold"}
    assert not any("DejaVu" in c.fontname for c in chars(path))
    footer_text = "".join(c.get_text() for c in furniture)
    assert "\u060c" in footer_text and "," not in footer_text


# What the sample lacks ---------------------------------------------------------------

def test_large_print_has_no_italic_and_stacks_a_wide_table(extra):
    standard_fonts = {c.fontname for c in chars(extra["standard"])}
    assert any("Italic" in f for f in standard_fonts)  # the source has emphasis
    large_fonts = {c.fontname for c in chars(extra["large-print"])}
    assert not any("Italic" in f or "Oblique" in f for f in large_fonts)
    with pikepdf.open(extra["standard"]) as pdf:
        assert any(e.S == "/Table" for e in structure(pdf))
    with pikepdf.open(extra["large-print"]) as pdf:
        assert not any(e.S == "/Table" for e in structure(pdf))
    words = " ".join(pdftotext(extra["large-print"]).split())
    assert "Who to phone: 0191 445 3735" in words
    assert "Where: Queen Elizabeth Hospital, Gateshead" in words


def test_qr_code_and_web_address_on_the_last_page(extra):
    for edition in ("standard", "large-print"):
        path = extra[edition]
        last = pdftotext(path, page_count(path))
        assert ONLINE in "".join(last.split())
        with pikepdf.open(path) as pdf:
            alts = [str(e.get("/Alt", "")) for e in structure(pdf) if e.S == "/Figure"]
            assert any(ONLINE in alt for alt in alts)


def test_easy_read_rows_picture_left_of_text_at_full_size(extra):
    path = extra["easy-read"]
    assert min(c.size for c in chars(path)) >= 16.0 - 0.01
    found = 0
    for page in extract_pages(str(path)):
        curves = [e for e in page if isinstance(e, LTCurve)]
        lines = [line for box in page if isinstance(box, LTTextContainer) for line in box
                 if isinstance(line, LTTextLine)]
        for _name, _alt, sentence in EASY_READ_ROWS:
            first_words = " ".join(sentence.split()[:3])
            line = next((l for l in lines if l.get_text().strip().startswith(first_words)), None)
            if line is None:
                continue
            found += 1
            beside = [c for c in curves if c.y0 < line.y1 + 40 and c.y1 > line.y0 - 40
                      and c.x1 - c.x0 < page.width * 0.5]
            assert beside, sentence
            assert max(c.x1 for c in beside) <= line.x0, sentence
            width = max(c.x1 for c in beside) - min(c.x0 for c in beside)
            assert width >= 90, sentence  # a picture, not an icon
    assert found == len(EASY_READ_ROWS)


# Safety and the theme -----------------------------------------------------------------

def test_theme_css_reaching_outside_or_to_the_network_is_refused(tmp_path, sample_library):
    for line, expected in (('@import url("https://example.org/evil.css");', "never the network"),
                           ('body { background: url("../../../../etc/hostname"); }', "outside")):
        root = broken_library(tmp_path / str(len(expected)), sample_library)
        (root / "theme" / "extra.css").write_text(f"/* hospital colours */\n{line}\n",
                                                  encoding="utf-8")
        with (root / "theme" / "theme.yaml").open("a", encoding="utf-8") as handle:
            handle.write("css: extra.css\n")
        result = run_leaflet("build", "-f", "pdf", "-e", "standard", "-l", "en-GB",
                             "-o", str(root / "out"), cwd=root)
        assert result.returncode == 1
        output = result.stdout + result.stderr
        assert "theme/extra.css:2:" in output
        assert expected in output
        assert "Traceback" not in output


def test_a_bad_css_property_in_the_theme_is_an_error_with_its_line(tmp_path, sample_library):
    root = broken_library(tmp_path, sample_library)
    (root / "theme" / "extra.css").write_text("h1 { color: #000000; }\nh2 { colr: red; }\n",
                                              encoding="utf-8")
    with (root / "theme" / "theme.yaml").open("a", encoding="utf-8") as handle:
        handle.write("css: extra.css\n")
    result = run_leaflet("build", "-f", "pdf", "-e", "standard", "-l", "en-GB",
                         "-o", str(root / "out"), cwd=root)
    assert result.returncode == 1
    assert "theme/extra.css:2:" in result.stdout + result.stderr


def test_a_faint_theme_colour_is_refused(tmp_path, sample_library):
    root = broken_library(tmp_path, sample_library)
    theme = root / "theme" / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    text = re.sub(r'heading: "#[0-9a-fA-F]+"', 'heading: "#aaaaaa"', text)
    theme.write_text(text, encoding="utf-8")
    line = next(n for n, l in enumerate(text.split("\n"), 1) if "#aaaaaa" in l)
    result = run_leaflet("build", "-f", "pdf", "-e", "standard", "-l", "en-GB",
                         "-o", str(root / "out"), cwd=root)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert f"theme/theme.yaml:{line}:" in output
    assert "too faint" in output and "4.5:1" in output


def load_theme_text(tmp_path: Path, text: str | bytes):
    from leaflet import theme

    folder = tmp_path / "theme"
    folder.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / "theme.yaml").write_bytes(data)
    return theme.load(folder, tmp_path)


def test_a_theme_with_yaml_aliases_is_refused_at_once(tmp_path):
    import time

    from leaflet.errors import LeafletError

    lines = ["a0: &a0 {x: 1}"] + [f"a{n}: &a{n} {{x: *a{n - 1}, y: *a{n - 1}}}"
                                  for n in range(1, 21)]
    started = time.process_time()
    with pytest.raises(LeafletError) as caught:
        load_theme_text(tmp_path, "\n".join(lines) + "\n")
    assert time.process_time() - started < 5
    assert str(caught.value) == ("theme/theme.yaml:1: the theme file: YAML anchors (&name) "
                                 "are not allowed (YAML)")


@pytest.mark.parametrize("text, line, words", [
    ('colours:\n  text: "\x07"\n', 2, "control character (U+0007)"),
    ('# colours\ncolours:\n\n  heading: "#000000\x1b"\n', 4, "control character (U+001B)"),
    ("- colours\n- fonts\n", 1, "not a list"),
    ("# the theme\njust some words\n", 2, "not plain text"),
    ("colours:\n  text: [\n", 3, "the theme file:"),
])
def test_an_unreadable_theme_is_one_plain_error_with_its_line(tmp_path, text, line, words):
    from leaflet.errors import LeafletError

    with pytest.raises(LeafletError) as caught:
        load_theme_text(tmp_path, text)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("theme/theme.yaml", line)
    assert words in problem.message and "\n" not in problem.message


def test_a_control_character_in_the_theme_is_blamed_on_the_theme(tmp_path, sample_library):
    root = broken_library(tmp_path, sample_library)
    (root / "theme" / "theme.yaml").write_text('colours:\n  text: "\x07"\n', encoding="utf-8")
    result = run_leaflet("build", "-f", "text", "-o", str(root / "out"), cwd=root)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "theme/theme.yaml:2: the theme file contains an invisible control character" in output
    assert "AttributeError" not in output and "leaflet.md" not in output


def test_every_link_is_described_in_words(built):
    with pikepdf.open(built.find("pdf")) as pdf:
        contents = [str(a.get("/Contents", "")) for page in pdf.pages
                    for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    assert len(contents) >= len(sample_phones())
    assert "Phone 0808 808 0000" in contents
    assert all(c and not c.startswith(("tel:", "mailto:")) for c in contents)


def test_arabic_script_is_set_larger_than_latin_text(built):
    """Naskh letters are small for their point size: Arabic text reads as large as the
    English only when set larger (and so never below the edition's minimum)."""
    def body_size(path: Path) -> float:
        sizes = collections.Counter(round(c.size, 1) for c in chars(path))
        return sizes.most_common(1)[0][0]

    english, arabic = built.find("pdf"), built.find("pdf", lang="ar")
    assert body_size(arabic) >= round(body_size(english) * 1.15, 1) - 0.1
    assert min(c.size for c in chars(arabic)) >= 12 * 1.15 - 0.05
