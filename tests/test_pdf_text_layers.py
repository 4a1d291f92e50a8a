"""A PDF's words read back as written, in poppler (pdftotext) and in PDFium, in each
of the tool's thirty languages (issue 26): the text layer ``formats.pdftext`` orders
for each reader.

The fast tests hold the two readers' orderings (``pdftext.poppler_reading`` and
``pdftext.pdfium_reading``, which follow what poppler 22 and PDFium do) to the
text the layer gives them.  The slow test builds the thirty-languages fixture's
standard PDF and web page in every language and reads the PDF with both readers
themselves: at least 99 % of the web page's words must come back, each as
written (a word missing a vowel mark, or cut in two at a zero-width non-joiner,
is missing); pdftotext must find every marked content closed where it opened;
and the numbers a patient must not misread (the pharmacy's phone number, 999,
111, the doses as the translation writes them) must come back exactly, in both
readers and, in the right-to-left languages, in the tag tree a screen reader
follows.
"""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pytest
from lxml import html as lxml_html

from formats import pdftext, typography

from conftest import FIXTURES
from readers import tag_text

FIXTURE = FIXTURES / "thirty-languages"
SLUG = "new-medicine"
LANGS = ("pl", "ro", "ur", "bn", "ar", "pa", "pt", "lt", "gu", "ta", "so", "tr", "fa", "ckb",
         "zh-Hans", "zh-Hant", "ps", "ti", "sq", "es", "ru", "uk", "cy", "lv", "hi", "it", "fr",
         "prs", "vi", "ne", "am")
SHARE = 0.99

# Lines that have tripped a reader: vowel marks (harakat, Urdu's zer), a zero-width
# non-joiner inside a Persian word, numbers and Latin inside right-to-left text, an
# address, brackets and quotes, a line that ends on a space.
LINES = (
    "مسودة ترجمة، لم تُراجَع بعد",
    "تناول 5 ملغ مرة واحدة في اليوم، في الصباح.",
    "اتصل بالرقم 999 فورًا إذا كنت لا تستطيع التنفس.",
    "البريد الإلكتروني: pharmacy@example-hospital.nhs.uk",
    "پیش‌نویس ترجمه، هنوز بررسی نشده است",
    "اوقاتِ کار: پیر سے جمعہ، صبح 9 بجے سے شام 5 بجے تک ",
    "رمز النشرة: TL-001، الإصدار: 1 (الصفحة 1 من 2) «نقل»",
    "Take 5 mg (کلمه) each day, “not more”",
    "العربية: Druk standardowy, Duży druk, Brajl",
    "DRAFT translation, not yet checked",
)
MARKS = (pdftext.LEFT_TO_RIGHT_MARK, pdftext.RIGHT_TO_LEFT_MARK)


def shown(items: list[tuple[int, str]]) -> str:
    return "".join(char for _index, char in items)


def without_marks(text: str) -> str:
    return "".join(char for char in text if char not in MARKS)


# The orderings ----------------------------------------------------------------------

@pytest.mark.parametrize("line", LINES)
@pytest.mark.parametrize("left_to_right", (True, False), ids=("ltr-page", "rtl-page"))
def test_poppler_reads_a_line_as_written(line, left_to_right):
    given = shown(pdftext.for_poppler(line, left_to_right))
    assert without_marks(pdftext.poppler_reading(given, left_to_right)).split() == line.split()


@pytest.mark.parametrize("line", LINES)
@pytest.mark.parametrize("right_to_left", (True, False), ids=("rtl-document", "ltr-document"))
@pytest.mark.parametrize("backwards", (True, False), ids=("rtl-object", "ltr-object"))
def test_pdfium_reads_a_line_as_written(line, right_to_left, backwards):
    given = shown(pdftext.for_pdfium(line, right_to_left))
    read = pdftext.pdfium_reading([(given[::-1] if backwards else given, backwards)],
                                  right_to_left)
    assert read == line


def test_a_mark_is_put_in_only_where_poppler_would_move_a_space():
    assert pdftext.RIGHT_TO_LEFT_MARK in shown(pdftext.for_poppler("تناول 5 ملغ", False))
    assert shown(pdftext.for_poppler("مسودة ترجمة", False)) == "ةمجرت ةدوسم"
    assert shown(pdftext.for_poppler("Take 5 mg", True)) == "Take 5 mg"


def test_pdfium_and_poppler_need_different_text_for_a_word_with_a_vowel_mark():
    word = "تُراجَع"
    assert shown(pdftext.for_poppler(word, False)) != shown(pdftext.for_pdfium(word, True))


@pytest.mark.parametrize("right_to_left", (True, False))
def test_a_line_in_spans_reads_as_written_in_both_readers(right_to_left):
    """An address in pieces beside a right-to-left label, read span by span,
    left to right, as the readers meet them."""
    pieces = ["على الإنترنت: ", "https://www", ".example", "-hospital", ".nhs", ".uk/",
              "medicines/"]
    order = [1, 2, 3, 4, 5, 6, 0]
    backwards = [True] + [False] * 6
    line = "".join(pieces)
    poppler = pdftext.poppler_texts(pieces, order, False)
    read = pdftext.poppler_reading("".join(poppler[number] for number in order), False)
    assert without_marks(read).split() == line.split()
    pdfium = pdftext.pdfium_texts(pieces, order, right_to_left, backwards)
    spans = [(pdfium[number], backwards[number]) for number in order
             if pdfium[number] != pdftext.UNREAD]
    assert pdftext.pdfium_reading(spans, right_to_left).split() == line.split()
    # PDFium would put a space between two spans: the address is in one span's text
    assert pdfium.count(pdftext.UNREAD) >= 5


def test_pdfium_judges_an_object_by_its_first_letter():
    assert pdftext.pdfium_backwards(["ج", "ث", " ", "a", "b", "c", " ", "d"])
    assert not pdftext.pdfium_backwards(["a", " ", "ج", "ث", "ح"])
    assert not pdftext.pdfium_backwards([" ", ":", "1"])


# The readers themselves, on the thirty languages ---------------------------------------

# Characters that stand between words but are none of a word's own: the directional
# embeddings and marks poppler puts around each stretch of one direction (and the
# text layer's invisible ones), and PDFium's own sign for a hyphen it found at the
# end of a line (U+FFFE), read as the hyphen it stands for.
READER_SIGNS = str.maketrans({**dict.fromkeys(map(ord, "\u200e\u200f\u061c"), None),
                              **dict.fromkeys(range(0x202A, 0x202F), None),
                              **dict.fromkeys(range(0x2066, 0x206A), None), 0xFFFE: "-"})
# Han and kana are written without spaces: each character counts as a word.
UNSPACED = re.compile(r"([\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef])")
BLOCKS = {"address", "blockquote", "br", "caption", "dd", "div", "dt", "figcaption", "footer",
          "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "ol", "p", "section",
          "table", "td", "th", "tr", "ul"}


def words(text: str) -> collections.Counter:
    """The words of ``text`` as written (normalised to NFC, so marks in another
    order are the same word), without the punctuation around them."""
    text = UNSPACED.sub(r" \1 ", unicodedata.normalize("NFC", text.translate(READER_SIGNS)))
    found = collections.Counter()
    for word in text.split():
        edges = "".join(char for char in set(word)
                        if unicodedata.category(char)[0] in "PS" and char not in "/@")
        if word := word.strip(edges):
            found[word] += 1
    return found


def web_words(path: Path) -> collections.Counter:
    """The words a reader meets on the web page: its body, without styles, scripts or
    the skip link (which only the web page has)."""
    document = lxml_html.parse(str(path)).getroot()
    for element in document.xpath('//style|//script|//head|//*[contains(@class, "skip-link")]'):
        element.drop_tree()
    for element in document.iter():
        if isinstance(element.tag, str) and element.tag in BLOCKS:
            element.text = " " + (element.text or "")
            element.tail = " " + (element.tail or "")
    return words("".join(document.find("body").itertext()))


def poppler_run(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True)


def poppler_text(path: Path) -> str:
    return poppler_run(path).stdout


def pdfium_text(path: Path) -> str:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(document[number].get_textpage().get_text_range()
                         for number in range(len(document)))
    finally:
        document.close()


@pytest.fixture(scope="module")
def thirty(thirty_languages_build) -> dict[tuple[str, str], Path]:
    """(format, language) -> the standard edition's file, from the one build of the
    fixture in every format (conftest)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = thirty_languages_build.out
    built = {(entry["format"], entry["lang"]): out / entry["path"]
             for entry in thirty_languages_build.artifacts if entry["edition"] == "standard"}
    built["said"] = thirty_languages_build.result.stdout + thirty_languages_build.result.stderr
    return built


def installed(face: str) -> bool:
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                              check=False).stdout
    return any(face in line.split(",") for line in families.splitlines())


def built_pair(thirty: dict, lang: str) -> tuple[Path, Path]:
    """The language's PDF and web page from the shared build, skipping a language whose
    face is not installed here."""
    face = typography.print_font(lang) or "Noto Sans"
    if shutil.which("fc-list") and not installed(face):
        pytest.skip(f"{face}, the font {lang} is printed in, is not installed")
    pdf, web = thirty.get(("pdf", lang)), thirty.get(("html", lang))
    assert pdf is not None and web is not None, \
        f"the {lang} PDF or web page was not built:\n{thirty['said']}"
    return pdf, web


@pytest.mark.slow
@pytest.mark.parametrize("reader", ("pdftotext", "pdfium"))
@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_reads_back_the_web_pages_words(thirty, lang, reader):
    pdf, web = built_pair(thirty, lang)
    wanted = web_words(web)
    read = words(poppler_text(pdf) if reader == "pdftotext" else pdfium_text(pdf))
    missing = wanted - read
    share = 1 - sum(missing.values()) / sum(wanted.values())
    assert share >= SHARE, (f"{reader} reads {share:.1%} of the {lang} web page's "
                            f"{sum(wanted.values())} words from the PDF; missing: "
                            f"{' '.join(sorted(missing.elements()))}")


# Numbers that must read back exactly ---------------------------------------------------

RIGHT_TO_LEFT = ("ar", "ur", "fa", "prs", "ps", "ckb")
PHONE = "0191 445 2180"
# What pdftotext says of marked content it finds unbalanced ("Mismatched EMC operator").
MARKED_CONTENT_ERROR = re.compile(r"\b(?:EMC|BDC|BMC)\b|marked.content", re.I)


def flat(text: str) -> str:
    """``text`` without the readers' own signs, in NFC, its white space one space."""
    return " ".join(unicodedata.normalize("NFC", text.translate(READER_SIGNS)).split())


def translated(lang: str, source: str) -> str:
    """The catalog's translation of ``source`` (a table cell's dose), or ``source``."""
    catalog = (FIXTURE / "locales" / lang / f"{SLUG}.po").read_text(encoding="utf-8")
    found = re.search(rf'^msgid "{re.escape(source)}"\nmsgstr "(.+)"$', catalog, re.M)
    return found.group(1) if found else source


def exact(number: str, text: str) -> int:
    """How often ``number`` stands in ``text`` whole (no digit either side)."""
    return len(re.findall(rf"(?<!\d){re.escape(flat(number))}(?!\d)", flat(text)))


def numbers(lang: str) -> tuple[str, ...]:
    return (PHONE, "999", "111", translated(lang, "5 mg"), translated(lang, "10 mg"))


def page_text(path: Path) -> str:
    document = lxml_html.parse(str(path)).getroot()
    for element in document.xpath('//style|//script|//head'):
        element.drop_tree()
    return " ".join(document.find("body").itertext())


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_reads_back_numbers_exactly_and_its_marked_content_balances(thirty, lang):
    pdf, web = built_pair(thirty, lang)
    poppler = poppler_run(pdf)
    errors = [line for line in poppler.stderr.splitlines() if MARKED_CONTENT_ERROR.search(line)]
    assert not errors, f"pdftotext finds the {lang} PDF's marked content unbalanced: " \
        f"{len(errors)} errors, first {errors[0]}"
    written = page_text(web)
    readers = {"pdftotext": poppler.stdout, "PDFium": pdfium_text(pdf)}
    if lang in RIGHT_TO_LEFT:
        with pikepdf.open(pdf) as document:
            readers["the tag tree"] = "".join(tag_text(document))
    for number in numbers(lang):
        wanted = exact(number, written)
        assert wanted, f"the {lang} web page does not have {number!r}"
        for reader, text in readers.items():
            assert exact(number, text) >= wanted, \
                (f"{reader} reads {number!r} {exact(number, text)} times in the {lang} PDF, "
                 f"the web page has it {wanted} times")
