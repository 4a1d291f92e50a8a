"""PDF/UA-1 as outside tools see it: page-validation's 104-rule profile on every PDF, the
words pdftotext reads back, and the tag tree (languages, tables, blocks across pages)."""

from __future__ import annotations

import collections
import html.parser
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import page
import pikepdf
import polib
import pytest

from conftest import REPO, SAMPLE_SLUG, run_leaflet
from readers import kids, marked_text
from formats.shared import RANGE_RE

LANGS = ("en-GB", "pl", "ar", "bn")
EDITIONS = {"standard": "", "large-print": ".large-print", "easy-read": ".easy-read"}
# The web page a PDF edition is compared with (large print has the standard page's words).
WEB_EDITION = {"standard": "", "large-print": "", "easy-read": ".easy-read"}
TABLE_SOURCE = """
# Your appointments

| Clinic | When |
| --- | --- |
| Oncology clinic | Every three weeks on a Tuesday |
| Blood test | Two days before each clinic |
"""


@pytest.fixture(scope="session")
def sample_pdfs(built) -> Path:
    """The sample's PDFs and web pages, every language and edition: the shared build."""
    return built.out / SAMPLE_SLUG


def pdf_path(out: Path, lang: str, edition: str) -> Path:
    return out / lang / f"{SAMPLE_SLUG}.{lang}{EDITIONS[edition]}.pdf"


def web_path(out: Path, lang: str, edition: str) -> Path:
    return out / lang / f"{SAMPLE_SLUG}.{lang}{WEB_EDITION[edition]}.html"


ALL = [(lang, edition) for lang in LANGS for edition in EDITIONS]


def failures(path: Path) -> list[str]:
    report = page.validate_pdf(str(path), profile="ua1")
    return sorted(f"{failure.rule_id}: {failure.message}" for failure in report.failures)


# Reading what the PDF says --------------------------------------------------------

class _PageText(html.parser.HTMLParser):
    """The text of a web page as a reader meets it (no head, scripts or styles,
    nor the skip link, which only the web page has); the lists, with how many
    items each has."""

    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.text: list[str] = []
        self.open_lists: list[int] = []
        self.lists: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style") or (
                tag == "a" and "skip-link" in (dict(attrs).get("class") or "").split()):
            self.hidden += 1
        elif tag in ("ul", "ol"):
            self.open_lists.append(0)
        elif tag == "li" and self.open_lists:
            self.open_lists[-1] += 1

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style") or (tag == "a" and self.hidden):
            self.hidden -= 1
        elif tag in ("ul", "ol"):
            self.lists.append(self.open_lists.pop())

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)


def web_page(path: Path) -> _PageText:
    parser = _PageText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def words(text: str) -> collections.Counter:
    # Marks (Bengali vowel signs, Arabic vowels) count as part of the word they end.
    return collections.Counter(re.findall(r"[\w\u0981-\u0983\u09bc-\u09d7\u064b-\u065f\u0670"
                                          r"'’-]+", text))


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in reading order."""
    found, stack = [], list(reversed(kids(pdf.Root.StructTreeRoot)))
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            stack.extend(reversed(kids(node)))
    return found


BLOCKS = {"/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/LBody", "/Lbl", "/TH", "/TD",
          "/Caption"}


def tagged_blocks(pdf: pikepdf.Pdf) -> list[str]:
    """The text a tag-based reader gets, one string per block (paragraph, heading,
    list item body): each marked-content span's /ActualText where it has one,
    else its glyphs through the font's ToUnicode map, spans joined with nothing
    between them."""
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    by_key = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    blocks: dict[tuple[int, int], list[str]] = {}
    for pdf_page in pdf.pages:
        owners = by_key[int(pdf_page.StructParents)]
        for mcid, text in marked_text(pdf_page).items():
            element = owners[mcid]
            while element.S not in BLOCKS and "/P" in element and "/S" in element.P:
                element = element.P
            blocks.setdefault(element.objgen, []).append(text)
    return ["".join(texts) for texts in blocks.values()]


# page-validation ------------------------------------------------------------------

@pytest.mark.parametrize("lang, edition", ALL)
def test_page_validation_finds_nothing_in_the_sample(sample_pdfs, lang, edition):
    assert failures(pdf_path(sample_pdfs, lang, edition)) == []


@pytest.fixture(scope="module")
def table_pdf(tmp_path_factory, sample_library) -> Path:
    """The sample in English with a two-column table with a header row."""
    root = tmp_path_factory.mktemp("table-library")
    shutil.copytree(sample_library, root, dirs_exist_ok=True)
    source = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    source.write_text(source.read_text(encoding="utf-8") + TABLE_SOURCE, encoding="utf-8")
    out = root / "out"
    run_leaflet("build", "-f", "pdf", "-e", "standard", "-l", "en-GB", "-o", str(out),
                cwd=root, check=True)
    return out / SAMPLE_SLUG / "en-GB" / f"{SAMPLE_SLUG}.en-GB.pdf"


def test_a_table_has_scoped_headers_found_through_the_id_tree(table_pdf):
    assert failures(table_pdf) == []
    with pikepdf.open(table_pdf) as pdf:
        found = elements(pdf)
        headers = [e for e in found if e.S == "/TH"]
        cells = [e for e in found if e.S == "/TD"]
        # The header row's cells head columns; each row's first cell (a <th
        # scope="row"> in the HTML) heads its row.
        assert [str(h.A.Scope) for h in headers] == ["/Column", "/Column", "/Row", "/Row"]
        names = pdf.Root.StructTreeRoot.IDTree.Names
        ids = {bytes(names[i]): names[i + 1].objgen for i in range(0, len(names), 2)}
        assert sorted(ids.values()) == sorted(h.objgen for h in headers)
        # Each cell names its row's header and its column's, found through the tree.
        assert [[ids[bytes(name)] for name in cell.A.Headers] for cell in cells] == [
            [headers[2].objgen, headers[1].objgen], [headers[3].objgen, headers[1].objgen]]


# Words --------------------------------------------------------------------------

@pytest.mark.parametrize("lang, edition", [(lang, edition) for lang in ("bn", "ar", "pl")
                                           for edition in EDITIONS])
def test_words_read_back_as_the_web_page_has_them(sample_pdfs, lang, edition):
    web_text = " ".join(web_page(web_path(sample_pdfs, lang, edition)).text)
    read_text = pdftotext(pdf_path(sample_pdfs, lang, edition))
    if lang == "ar":
        # An Arabic vowel mark (a fatha, a shadda, a tanween) is drawn raised
        # above its letter, and poppler takes any glyph off the baseline for a
        # word apart ("أحيانًا" reads "أحيا ًنا"; LibreOffice's own PDFs read the
        # same way). The words are compared without their marks, and the marks
        # must all be there, each as often as on the web page.
        assert marks(read_text) == marks(web_text)
        web_text, read_text = without_marks(web_text), without_marks(read_text)
    web, read = words(web_text), words(read_text)
    missing = web - read
    share = 1 - sum(missing.values()) / sum(web.values())
    assert share >= 0.99, f"{share:.3f} of the words; missing: {sorted(missing)[:30]}"


def marks(text: str) -> collections.Counter:
    return collections.Counter(char for char in text if unicodedata.category(char) == "Mn")


def without_marks(text: str) -> str:
    return "".join(char for char in text if unicodedata.category(char) != "Mn")


@pytest.mark.parametrize("lang", ("en-GB", "pl", "bn"))
def test_a_range_of_times_or_numbers_stays_on_one_line(sample_pdfs, lang):
    for edition in EDITIONS:
        web = " ".join(web_page(web_path(sample_pdfs, lang, edition)).text)
        ranges = {match.group() for match in RANGE_RE.finditer(web)}
        lines = pdftotext(pdf_path(sample_pdfs, lang, edition)).splitlines()
        assert all(any(found in line for line in lines) for found in ranges), (edition, ranges)
        if lang == "pl" and edition != "easy-read":
            assert "9:00–20:00" in ranges


def test_soft_line_breaks_keep_the_space_between_words(sample_pdfs):
    for lang in ("en-GB", "pl", "bn"):
        web = set(words(" ".join(web_page(web_path(sample_pdfs, lang, "standard")).text)))
        with pikepdf.open(pdf_path(sample_pdfs, lang, "standard")) as pdf:
            tagged = words("\n".join(tagged_blocks(pdf)))
        run_together = sorted(word for word in tagged if word not in web
                              and any(word.startswith(w) and word[len(w):] in web
                                      for w in web if len(w) < len(word)))
        assert run_together == [], f"{lang}: words run together: {run_together[:20]}"


# The tag tree -------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_text_in_another_language_is_marked_with_it(sample_pdfs, lang):
    others = {other for other in LANGS if other != lang}
    for edition in EDITIONS:
        with pikepdf.open(pdf_path(sample_pdfs, lang, edition)) as pdf:
            assert str(pdf.Root.Lang) == lang
            marked = collections.Counter(str(e.Lang) for e in elements(pdf) if "/Lang" in e)
            # The panel names each other language in that language ...
            assert others <= set(marked), (edition, marked)
            # ... and a draft translation's banner has its English line.
            if lang != "en-GB":
                assert marked["en"] == 1, (edition, marked)
            assert lang not in marked


@pytest.mark.parametrize("lang", LANGS)
def test_a_block_crossing_a_page_is_one_element(sample_pdfs, lang):
    for edition in EDITIONS:
        with pikepdf.open(pdf_path(sample_pdfs, lang, edition)) as pdf:
            found = elements(pdf)
            assert len(pdf.pages) > 1
            assert [e.S for e in found].count("/Part") == 1
            items = sorted(sum(1 for kid in kids(e) if isinstance(kid, pikepdf.Dictionary)
                               and kid.get("/S") == "/LI") for e in found if e.S == "/L")
        web = web_page(web_path(sample_pdfs, lang, edition))
        assert items == sorted(web.lists), edition


def page_word(lang: str) -> str:
    """The word before the page number ("Page", "Strona"), from the tool's words."""
    if lang == "en-GB":
        return "Page"
    po = polib.pofile(str(REPO / "formats" / "locales" / lang / "ui.po"))
    return po.find("Page {page} of {pages}").msgstr.split()[0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_number_ends_the_footer_line_in_every_edition(sample_pdfs, lang):
    """Right in a left-to-right language, left in Arabic; the details start it."""
    word = page_word(lang)
    for edition in EDITIONS:
        path = pdf_path(sample_pdfs, lang, edition)
        layout = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-bbox", str(path), "-"],
                                capture_output=True, text=True, check=True).stdout
        width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))
        found = [(float(x0), float(x1)) for x0, y0, x1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<',
            layout) if float(y0) > 700 and text in (word, word[::-1])]
        assert len(found) == 1, (edition, found)
        x0, x1 = found[0]
        if lang == "ar":
            assert x1 < width / 2, edition
        else:
            assert x0 > width / 2, edition


def test_arabic_reads_right_to_left_in_viewers(sample_pdfs):
    for lang in LANGS:
        with pikepdf.open(pdf_path(sample_pdfs, lang, "standard")) as pdf:
            direction = pdf.Root.ViewerPreferences.get("/Direction")
            assert direction == ("/R2L" if lang == "ar" else None)
