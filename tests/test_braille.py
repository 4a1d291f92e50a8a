"""Braille (BRF and PEF): the sample read back through liblouis's own back-translator
(``lou_translate --backward``) and compared with the plain text writer's output of
the same leaflet; page geometry, Braille ASCII, PEF structure and metadata."""

from __future__ import annotations

import difflib
import functools
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from formats import brf, pef
from formats import text as text_writer
from formats.braille import NoBrailleTable, braille, find_table, fingerprint, louis, tables
from formats.braille.words import LeftOut, braille_words, plain_run
from formats.options import Availability, WriterOptions
from leaflet import i18n, source
from leaflet.errors import LeafletError
from leaflet.library import Library, read_leaflet

from conftest import REPO, SAMPLE_SLUG, Built, run_leaflet

BLANK = "\u2800"
PEF_NS = {"p": "http://www.daisy.org/ns/2008/pef", "dc": "http://purl.org/dc/elements/1.1/"}
NUMBER_RE = re.compile(r"\+?\d[\d ]{5,}\d")
ADDRESS_RE = re.compile(r"https?://[^\s()]*[^\s().,]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PANEL = [("en-GB", ("standard", "easy-read")), ("pl", ("standard", "easy-read")),
         ("ar", ("standard", "easy-read")), ("bn", ("standard", "easy-read"))]

FIXTURE = """---
title: Having a blood test
organisation: Gateshead Health NHS Foundation Trust
language: {lang}
code: PATH-007
version: "2"
published: 2025-03-01
review: 2027-03-01
---

# Before the test

Read more at [the NHS website](https://www.nhs.uk/conditions/blood-tests/) or write to
results@example.nhs.uk, or ring 0191 445 8418.

1. Roll up your sleeve.
2. Keep still.

![A nurse taking blood from an arm](pictogram:blood-test)

::: callout warning
Tell the nurse if you feel faint.
:::

## Results

| Test | When |
| --- | --- |
| Full blood count | 2 days |
| Kidney function | 3 days |

::: contacts
- name: Phlebotomy desk
  about: Blood tests without an appointment.
  phone: 0191 445 2180
  email: bloods@example.nhs.uk
  web: https://www.gatesheadhealth.nhs.uk/services/phlebotomy
  hours: Monday to Friday, 8am to 5pm
:::
"""


@pytest.fixture(scope="module", autouse=True)
def liblouis(liblouis):
    """conftest's liblouis, and its own back-translator on the command line."""
    if shutil.which("lou_translate") is None:
        pytest.fail("lou_translate is missing: install Debian's liblouis-bin "
                    "(scripts/system-packages.sh test)", pytrace=False)


@functools.lru_cache(maxsize=None)
def sample(lang: str, **changes) -> tuple:
    """The sample leaflet in a language, with the options the builder would give."""
    library = Library(REPO)
    translation = i18n.translate(library, read_leaflet(library, SAMPLE_SLUG), lang)
    available = tuple(Availability(tag, tag, editions) for tag, editions in PANEL if tag != lang)
    options = WriterOptions(**{"draft": translation.draft, "words": i18n.ui_words(library, lang),
                               "available": available, "ui_lang": lang, **changes})
    return translation.leaflet, options


def fixture(lang: str = "en-GB", **changes) -> tuple:
    text = FIXTURE.format(lang=lang)
    leaflet = source.parse_text(text, "leaflet_src/blood-test/leaflet.md",
                                REPO / "leaflet_src" / "blood-test", "blood-test")
    return leaflet, WriterOptions(ui_lang=lang, **changes)


def brf_pages(data: bytes) -> list[list[str]]:
    """A BRF's pages (each ended by a form feed) and lines (each ended by CR LF)."""
    text = data.decode("ascii")
    assert text.endswith("\r\n\f")
    pages = text.split("\f")[:-1]
    assert all(page.endswith("\r\n") for page in pages)
    return [page[:-2].split("\r\n") for page in pages]


@functools.lru_cache(maxsize=1)
def ascii_dots() -> dict[str, str]:
    """Braille ASCII to Unicode braille, read from liblouis's own en-us-brf.dis, so that
    the writer's table is checked against another's."""
    folder = Path(find_table("en-GB").path).parent
    cells = {}
    for line in (folder / "en-us-brf.dis").read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) >= 3 and words[0] == "display":
            char = " " if words[1] == "\\s" else words[1].replace("\\\\", "\\")
            bits = sum(1 << (int(d) - 1) for d in words[2] if d != "0")
            cells[char] = chr(0x2800 + bits)
    assert len(cells) == 64
    return cells


def unicode_lines(page: list[str]) -> list[str]:
    return ["".join(ascii_dots()[char] for char in line) for line in page]


def back_translate(table_list: str, lines: list[str]) -> list[str]:
    """Unicode braille lines read back by the command-line tool, line for line."""
    result = subprocess.run(["lou_translate", "--backward", f"unicode.dis,{table_list}"],
                            input="".join(line + "\n" for line in lines), capture_output=True,
                            text=True, check=True, timeout=120)
    return result.stdout.split("\n")[:len(lines)]


def words(text: str, own_script_only: bool = False) -> list[str]:
    """Words to compare: case, vowel marks (where Arabic braille writes shadda before its
    letter) and digit scripts aside."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c
                   for c in text if unicodedata.category(c) not in ("Mn", "Cf"))
    found = re.findall(r"\w+", text.lower())
    if own_script_only:
        # An Arabic or Bengali braille table writes a Latin name in the same cells as
        # its own letters, so it reads back in Arabic or Bengali letters: only the
        # words in the leaflet's own script can be compared.
        found = [w for w in found if not w.isascii() or w.isdigit()]
    return found


def in_order(wanted: list[str], found: list[str]) -> bool:
    """Every word wanted, in order, among the words found (and others between)."""
    remaining = iter(found)
    return bool(wanted) and all(word in remaining for word in wanted)


def plain(text: str) -> str:
    """The text writer's output without its rules and banners' stars."""
    return "\n".join(line for line in text.splitlines()
                     if line.strip() and not set(line.strip()) <= set("=-*"))


def compare(expected: list[str], found: list[str]) -> tuple[float, str]:
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    differences = [f"{' '.join(expected[i1:i2])!r} -> {' '.join(found[j1:j2])!r}"
                   for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    return matched / max(len(expected), 1), "\n".join(differences)


def read_back(leaflet, options) -> tuple[list[list[str]], list[str], str]:
    """The BRF's pages, its text read back (page number lines left out) and the table."""
    data = brf.write(leaflet, options).data
    pages = brf_pages(data)
    table = find_table(leaflet.meta.language, options.braille_grade).table_list
    body = [line for page in pages for line in unicode_lines(page)[1:]]
    return pages, back_translate(table, body), table


# Tables -------------------------------------------------------------------------------

def test_tables_come_from_liblouis_metadata():
    assert find_table("en-GB", 2).name == "en-ueb-g2.ctb"
    assert find_table("en-GB", 1).name == "en-ueb-g1.ctb"
    for lang in ("pl", "ar", "bn"):
        table = find_table(lang, 2)
        assert louis.table_info(table.path, "language").strip() == lang
        assert louis.table_info(table.path, "type").strip() == "literary"
    assert find_table("ar", 2).contracted and not find_table("ar", 1).contracted
    assert not find_table("pl", 2).contracted  # liblouis has no contracted Polish
    key = fingerprint("en-GB", 2)
    assert key.startswith(f"liblouis {louis.version()}; en-ueb-g2.ctb; ")
    assert key != fingerprint("en-GB", 1) and key != fingerprint("pl", 2)


def test_a_language_without_a_table_is_one_specific_error():
    leaflet, options = fixture("so")
    for writer in (brf.write, pef.write):
        with pytest.raises(NoBrailleTable) as caught:
            writer(leaflet, options)
        assert isinstance(caught.value, LeafletError)
        assert caught.value.lang == "so"
        assert "no braille table for Somali (so)" in str(caught.value)
    with pytest.raises(NoBrailleTable):
        fingerprint("so")


# Reading back -------------------------------------------------------------------------

def check_reads_back(lang: str, grade: int, data: bytes, text: str, headings: list[str]):
    """A BRF read back by lou_translate against the plain text of the same leaflet:
    every phone number identical and on one line, at least 97 % of the words equal,
    every heading on lines of its own."""
    lines = [line for page in brf_pages(data) for line in unicode_lines(page)[1:]]
    back = back_translate(find_table(lang, grade).table_list, lines)
    back_text = "\n".join(back)
    text = plain(text)
    own_script = lang in ("ar", "bn")
    if lang != "bn":
        # liblouis 3.24 reads Bengali braille back without its vowel signs: no words
        ratio, differences = compare(words(text, own_script), words(back_text, own_script))
        assert ratio >= 0.97, f"{ratio:.1%} of the words read back; differences:\n{differences}"
        for heading in headings:
            wanted = words(plain(heading), own_script)
            # a heading has lines of its own, one or two; in Arabic a Latin abbreviation
            # in it reads back as Arabic letters, so its words are looked for in order
            assert any(in_order(wanted, words(" ".join(back[i:i + size]), own_script))
                       for size in (1, 2) for i in range(len(back))), wanted
    if (lang, grade) == ("ar", 2):
        # liblouis 3.24's contracted Arabic table reads the digit 3 (dots 14) back as
        # the contraction "ال" even after the number sign: the numbers are read back
        # with the uncontracted table, whose digits are the same cells.
        back_text = "\n".join(back_translate(find_table("ar", 1).table_list, lines))
    numbers = [words(n) for n in NUMBER_RE.findall(text)]
    found = [words(n) for n in NUMBER_RE.findall(
        "".join(str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c
                for c in back_text))]
    assert numbers and all(number in found for number in numbers), (numbers, found)


def headings_of(leaflet) -> list[str]:
    return [text_writer.inline_text(b.children) for b in leaflet.blocks if hasattr(b, "level")]


@pytest.mark.parametrize("lang,grade", [("en-GB", 2), ("en-GB", 1), ("pl", 2), ("ar", 1),
                                        ("ar", 2), ("bn", 2)])
def test_brf_reads_back_as_the_plain_text(lang, grade):
    leaflet, options = sample(lang, braille_grade=grade)
    check_reads_back(lang, grade, brf.write(leaflet, options).data,
                     text_writer.write(leaflet, options).data.decode("utf-8"), headings_of(leaflet))


def test_the_build_makes_brf_and_pef_for_every_language(tmp_path):
    """Through the command, as `make demo` builds them: listed in the manifest, each BRF
    read back against the text output the same build made."""
    out = tmp_path / "out"
    run_leaflet("build", "-f", "brf", "-f", "pef", "-f", "text", "-e", "standard", "-o",
                str(out), check=True)
    built = Built(out, None)
    for lang in ("en-GB", "pl", "ar", "bn"):
        data = built.find("brf", lang=lang).read_bytes()
        rows = [[row.text or "" for row in page.iter(f"{{{PEF_NS['p']}}}row")]
                for page in etree_pages(built.find("pef", lang=lang).read_bytes())]
        assert rows == [unicode_lines(page) for page in brf_pages(data)]
        leaflet = sample(lang)[0]
        check_reads_back(lang, 2, data, built.find("text", lang=lang).read_text("utf-8"),
                         headings_of(leaflet))


def etree_pages(data: bytes) -> list:
    from lxml import etree

    return etree.fromstring(data).findall(".//p:page", PEF_NS)


@pytest.mark.parametrize("lang", ["en-GB", "pl"])
def test_addresses_and_numbers_read_back_exactly(lang):
    leaflet, options = fixture(lang)
    pages = brf_pages(brf.write(leaflet, options).data)
    table = find_table(lang)
    lines = [line for page in pages for line in unicode_lines(page)[1:]]
    # An address longer than a line is cut: UEB ends the line with its continuation
    # indicator (dot 5); elsewhere the cut fills the line.  A reader joins the pieces.
    joined = []
    for line in lines:
        if joined and (joined[-1].endswith("\u2810") if table.continuation
                       else len(joined[-1]) == options.braille_cells):
            joined[-1] = joined[-1].removesuffix(table.continuation) + line.lstrip(BLANK)
        else:
            joined.append(line)
    assert len(joined) < len(lines), "the long address was cut"
    back_text = "\n".join(back_translate(table.table_list, joined))  # each on one line
    for address in ["https://www.nhs.uk/conditions/blood-tests/", "results@example.nhs.uk",
                    "bloods@example.nhs.uk",
                    "https://www.gatesheadhealth.nhs.uk/services/phlebotomy"]:
        assert address in back_text, (address, back_text)
    for number in ["0191 445 8418", "0191 445 2180"]:
        assert number in back_text


def test_arabic_reads_in_logical_order():
    leaflet, options = sample("ar", braille_grade=1)
    pages, back, table = read_back(leaflet, options)
    heading = next(b for b in leaflet.blocks if hasattr(b, "level"))
    expected = text_writer.inline_text(heading.children)
    line = next(text for text in back if words(text) == words(expected))
    # the first cell of the heading's braille is its first letter, meem (dots 134)
    cells = unicode_lines(pages[0])[back.index(line) + 1].lstrip(BLANK)
    assert cells[0] == "\u280d"


# Layout -------------------------------------------------------------------------------

@pytest.mark.parametrize("cells,lines", [(40, 25), (32, 20)])
def test_lines_pages_and_page_numbers_keep_to_the_page(cells, lines):
    leaflet, options = sample("en-GB", braille_cells=cells, braille_lines=lines)
    data = brf.write(leaflet, options).data
    assert all(0x20 <= byte <= 0x5F for byte in data.replace(b"\r\n", b"").replace(b"\f", b""))
    pages = brf_pages(data)
    assert len(pages) > 3
    table = find_table("en-GB").table_list
    numbers = back_translate(table, [unicode_lines(page)[0] for page in pages])
    for number, (page, read) in enumerate(zip(pages, numbers, strict=True), start=1):
        assert len(page) <= lines and all(len(line) <= cells for line in page)
        assert len(page[0]) == cells and read.strip() == str(number)
        assert page[1].strip(), "a page never begins with a blank line"


def test_pef_rows_are_the_brf_cells_and_metadata_is_complete():
    from lxml import etree

    leaflet, options = sample("pl")
    document = etree.fromstring(pef.write(leaflet, options).data)
    assert document.get("version") == "2008-1"
    meta = {child.tag.split("}")[1]: child.text for child in document.find("p:head/p:meta",
                                                                          PEF_NS)}
    assert meta["format"] == "application/x-pef+xml"
    assert meta["title"] == leaflet.meta.title and meta["language"] == "pl"
    assert meta["date"] == options.source_date.date().isoformat()
    assert meta["identifier"] == "leaflet:SAMPLE-ONC-001:1:pl:pl"
    volume = document.find("p:body/p:volume", PEF_NS)
    assert (volume.get("cols"), volume.get("rows")) == ("40", "25")
    rows = [[row.text or "" for row in page.findall("p:row", PEF_NS)]
            for page in volume.findall("p:section/p:page", PEF_NS)]
    assert rows == [unicode_lines(page) for page in brf_pages(brf.write(leaflet, options).data)]
    assert all(re.fullmatch("[\u2800-\u28ff]*", row) for page in rows for row in page)


def test_pef_is_valid_against_the_pef_schema():
    """Against DAISY's RELAX NG schema of PEF 1.0, kept in tests/fixtures/pef/."""
    from lxml import etree

    validator = etree.RelaxNG(etree.parse(str(REPO / "tests" / "fixtures" / "pef" /
                                              "pef-2008-1.rng")))
    for lang in ("en-GB", "ar"):
        document = etree.fromstring(pef.write(*sample(lang)).data)
        assert validator.validate(document), validator.error_log


def test_same_input_same_bytes():
    leaflet, options = sample("en-GB")
    assert brf.write(leaflet, options).data == brf.write(leaflet, options).data
    assert pef.write(leaflet, options).data == pef.write(leaflet, options).data


def test_page_one_has_the_draft_notice_then_the_title_centred():
    leaflet, options = sample("pl", draft=True)
    pages, back, _table = read_back(leaflet, options)
    first = pages[0]
    assert words(back[0])[:2] == ["draft", "translation"] or "draft" in back[0].lower()
    assert "wersja robocza" in " ".join(back[:4]).lower()
    title = next(i for i, line in enumerate(back) if words(line) == words(leaflet.meta.title))
    line = first[title + 1]
    left = len(line) - len(line.lstrip())
    assert abs(left - (40 - len(line.strip())) // 2) <= 1 and left >= 3
    leaflet, options = sample("en-GB")
    assert "draft" not in " ".join(read_back(leaflet, options)[1][:6]).lower()


def test_paragraphs_break_only_between_words_in_cell_3_then_cell_1():
    leaflet, options = sample("en-GB")
    table = find_table("en-GB").table_list
    paragraph = next(b for b in leaflet.blocks if type(b).__name__ == "Paragraph")
    whole, _ = louis.translate(table, text_writer.inline_text(paragraph.children))
    lines = [line for page in brf_pages(brf.write(leaflet, options).data)
             for line in unicode_lines(page)[1:]]
    start = next(i for i, line in enumerate(lines) if line.startswith(BLANK * 2 + whole[:8]))
    joined, index = lines[start][2:], start + 1
    while len(joined) < len(whole):
        assert not lines[index].startswith(BLANK), "a paragraph runs over in cell 1"
        joined += BLANK + lines[index]
        index += 1
    assert joined == whole  # every line break fell on a space of the print


def test_headings_lists_tables_contacts_pictures_and_the_closing():
    leaflet, options = fixture("en-GB")
    pages = brf_pages(brf.write(leaflet, options).data)
    table = find_table("en-GB").table_list
    read = [back_translate(table, unicode_lines(page)) for page in pages]
    text = "\n".join(line for page in read for line in page)

    def where(wanted: str) -> tuple[list[str], int]:
        for page, back in zip(pages, read, strict=True):
            for index, line in enumerate(back):
                if line.strip() == wanted:
                    return page, index
        raise AssertionError(f"{wanted!r} is not read back on a line of its own:\n{text}")

    page, index = where("Before the test")  # a section: centred, a blank line around it
    assert page[index - 1] == "" and page[index + 1] == ""
    assert len(page[index]) - len(page[index].lstrip()) >= 3
    page, index = where("Results")  # a subsection: at the margin, after a blank line
    assert (index == 1 or page[index - 1] == "") and not page[index].startswith(" ")
    page, index = where("1. Roll up your sleeve.")  # list items in cell 1
    assert page[index].startswith("#A4 ,") and page[index + 1].startswith("#B4 ,")
    assert "[Picture: A nurse taking blood from an arm]" in " ".join(text.split())
    page, index = where("Warning:")
    assert page[index - 1] == "7" * options.braille_cells  # the box line above a note
    assert "G" * options.braille_cells in page[index:]  # ... and below it
    where("Test: Full blood count")  # a table row as "Header: value" lines
    where("When: 2 days")
    page, index = where("Phone: 0191 445 2180")  # in cell 3, on a line of its own
    assert page[index].startswith('  ,PH"O3 #')
    where("Email: bloods@example.nhs.uk")
    closing = [line.strip() for line in read[-1]]
    assert "Leaflet code: PATH-007" in closing and "Review date: 1 March 2027" in closing


def test_a_contact_is_never_split_across_pages():
    leaflet, options = sample("en-GB", braille_lines=12)
    pages = brf_pages(brf.write(leaflet, options).data)
    phones = [line for page in pages for line in page if line.lstrip().startswith(',PH"O3')]
    assert len(phones) == 9  # every contact's phone, each on a line of its own
    for page in pages:
        # a phone or hours line at the top of a page would have left its contact's
        # name on the page before
        assert not page[1].startswith(("  ,PH\"O3", "  ,OP5+ H\\RS3")), page


@pytest.mark.parametrize("lang", ["en-GB", "pl", "ar"])
def test_a_phone_number_is_one_braille_word(lang):
    from formats.braille.words import inline_runs
    from leaflet.source import parse_inline

    # the number is the source's Phone node: braille reads nodes, it finds nothing in text
    nodes = parse_inline("Ring 0191 445 2180 today.", "t.md", 1)
    [run] = inline_runs(nodes)
    cells = braille_words(run, find_table(lang).table_list)
    number = [word for word in cells if "\u283c" in word]  # the number sign
    assert len(number) == 1 and len(cells) == 3, cells
    # read back by liblouis's own command-line tool, not by our binding
    assert back_translate(find_table(lang, 1).table_list, [number[0]])[0].translate(
        {ord(d): str(unicodedata.digit(d)) for d in "٠١٢٣٤٥٦٧٨٩"}) == "0191 445 2180"


def test_no_page_begins_with_a_blank_line_or_ends_with_a_lone_heading():
    from formats.braille.layout import Block, paginate

    pages = paginate([Block(("a", "b", "c")), Block(("",)), Block(("d",)),
                      Block(("H",), space=True, with_next=True), Block(("e", "f"))], 3)
    assert pages == [["a", "b", "c"], ["d"], ["H", "e", "f"]]
    pages = paginate([Block(("a", "b")), Block(("H",), space=True, with_next=True),
                      Block(("e", "f"), whole=True)], 4)
    assert pages == [["a", "b"], ["H", "e", "f"]]


# What a table cannot write --------------------------------------------------------------

PROBE_NUMBERS = "0191 445 2180 999 111"
# Tables whose own back-translator (liblouis 3.24) cannot read their digits, though the
# braille is the table's own (the number sign and a to j that UEB shares): the digits
# are read back with UEB's table instead.  Romanian's are written in UEB.
DIGITS_READ_BY_UEB = {
    "bn.tbl": "reads 111 (number sign, a, a, a) as ণঅঅ",
    "es-g2.ctb": "reads the number sign as the contraction 'ion'",
    "fa-ir-g1.utb": "reads the digits as Persian letters",
    "ro.ctb": "writes digits only with dot 8: they are written in UEB",
    "ta-ta-g1.ctb": "reads the number sign as ண",
    "vi-vn-g2.ctb": "joins digit groups with dot 5, UEB's numeric space, and cannot read "
                    "them back",
}
DIGITS_UNREAD = {
    "zh_HK.tbl": "liblouis's zh_HK.tbl writes digits in the lower cells (0191 is dots 356, "
                 "2, 35, 2) and reads 445 back as 44噏; UEB does not know those digits",
}


def chosen_langs() -> list:
    from test_languages import CHOSEN

    return [pytest.param(lang, marks=pytest.mark.xfail(strict=True, reason=DIGITS_UNREAD[table]))
            if table in DIGITS_UNREAD else lang
            for lang, (table, _voice) in sorted(CHOSEN.items()) if table]


def words_of(lang: str, text: str) -> tuple[list[str], LeftOut]:
    """A plain text in the language's braille, as its writer writes it, and what it left
    out."""
    table = find_table(lang)
    foreign = tables.foreign(table)
    left_out = LeftOut()
    found = braille_words(plain_run(text), table.table_list,
                          foreign.table_list if foreign else "", left_out)
    return found, left_out


def ascii_numbers(text: str) -> list[str]:
    return re.findall(r"\d+", "".join(str(unicodedata.decimal(c, "")) or c for c in text))


@pytest.mark.parametrize("lang", chosen_langs())
def test_every_chosen_table_writes_digits_in_six_dots_that_read_back(lang):
    found, left_out = words_of(lang, PROBE_NUMBERS)
    cells = BLANK.join(found)
    assert cells and max(cells) < "\u2840", cells  # six dots: what BRF and embossers hold
    assert not left_out.characters and not left_out.capitals
    table = find_table(lang)
    read = ascii_numbers(back_translate(table.table_list, [cells])[0])
    if read != PROBE_NUMBERS.split() and table.name in DIGITS_READ_BY_UEB:
        read = ascii_numbers(back_translate(tables.foreign(table).table_list, [cells])[0])
    assert read == PROBE_NUMBERS.split(), (table.name, cells)


def test_romanian_digits_and_page_numbers_are_six_dot_and_its_capitals_said():
    assert tables._eight_dot_numbers(find_table("ro"))
    assert not tables._eight_dot_numbers(find_table("pl"))
    found, left_out = words_of("ro", "Sunați la 999 sau 0191 445 2180.")
    assert "\u283c\u280a\u280a\u280a" in found  # 999 with the number sign, in six dots
    assert left_out.capitals == 1 and not left_out.characters
    document = braille(*fixture("ro"))
    assert [page[0].strip(BLANK) for page in document.pages][:2] == ["\u283c\u2801",
                                                                       "\u283c\u2803"]
    [warning] = document.warnings
    assert warning.warning and "Romanian (ro)" in warning.message
    assert "capital letters as small letters" in warning.message


def test_what_urdu_braille_lacks_is_written_in_ueb_and_reads_back():
    document = braille(*fixture("ur"))  # its text is English: every letter is foreign
    assert document.warnings == ()
    lines = [line for page in document.pages for line in page[1:]]
    back = " ".join(" ".join(back_translate(tables.foreign(document.table).table_list,
                                            lines)).split())
    for printed in ("results@example.nhs.uk", "bloods@example.nhs.uk", "PATH-007",
                    "Gateshead Health NHS Foundation Trust", "0191 445 2180"):
        assert printed in back, (printed, back)


def test_an_italian_address_keeps_its_hyphen():
    found, left_out = words_of("it", "blood-tests E-mail")
    hyphen = "\u2824"  # dots 36: UEB's, as it.tbl has none
    assert found[0] == "\u2803\u2807\u2815\u2815\u2819" + hyphen + "\u281e\u2811\u280e\u281e\u280e"
    assert hyphen in found[1]
    assert not left_out.characters


def test_bengali_letters_with_nukta_are_written_as_their_letters():
    # NFC keeps ড় as ড and the nukta ়, which bn.tbl lacks; bn.tbl writes ড় (dots 12456)
    found, left_out = words_of("bn", "বড় সময়।")
    assert found == ["\u2803\u283b", "\u280e\u280d\u2822"]
    assert left_out.characters == {"।": 1}  # the danda, which no table here writes


def test_what_no_table_writes_is_left_out_with_one_warning_saying_what_and_how_often():
    text = FIXTURE.format(lang="am").replace("Having a blood test", "ከዚያ በኋላ ኋ")
    leaflet = source.parse_text(text, "leaflet_src/blood-test/leaflet.md",
                                REPO / "leaflet_src" / "blood-test", "blood-test")
    options = WriterOptions(ui_lang="am")
    document = braille(leaflet, options)
    [warning] = document.warnings
    assert warning.warning and warning.path == "leaflet_src/blood-test/leaflet.md"
    assert "(am)" in warning.message and "braille" in warning.message
    assert '"ኋ"' in warning.message and "2 times" in warning.message, warning.message
    assert all("\u2840" > cell for page in document.pages for line in page for cell in line)
    for writer in (brf.write, pef.write):  # the build reports it once for both
        assert writer(leaflet, options).warnings == document.warnings


# Signs a table writes only with dots 7 or 8 -------------------------------------------

# Printable ASCII and a few signs a leaflet prints ("½ tablet", "37°", "± 5 mg", "€ 10").
PROBE_SIGNS = [chr(code) for code in range(0x21, 0x7F)] + list("½¼°±×÷€£µ")


def eight_dot_signs(table_list: str) -> set[str]:
    """The probe's characters the table writes, standing alone, with a dot-7 or dot-8
    cell: asked of liblouis directly, not of the writer's own check."""
    return {char for char in PROBE_SIGNS
            if any(cell >= "\u2840" for cell in louis.translate(table_list, char)[0])}


def reads_as(char: str, read: str) -> bool:
    def plain(text: str) -> str:
        return unicodedata.normalize("NFKC", text).replace("\u2044", "/").strip()
    return plain(read) == plain(char)


def langs_with_a_table() -> list[str]:
    from test_languages import CHOSEN

    return [lang for lang, (table, _voice) in sorted(CHOSEN.items()) if table]


@pytest.mark.parametrize("lang", langs_with_a_table())
def test_every_sign_a_chosen_table_writes_with_dot_7_or_8_is_written_in_ueb_or_said(lang):
    """Each probe character is written in six dots, never as nothing or a blank cell
    unsaid; one the language's table writes with dot 7 or 8 (Lithuanian's ½ is dot 7
    alone, Persian's & and / are ⠯ and ⠌ with dot 8) is written in UEB and reads back
    through it, or is named in the warning; a capital the table marks only with dot 7
    is its small letter, and counted."""
    table = find_table(lang)
    foreign = tables.foreign(table)
    eight = eight_dot_signs(table.table_list)
    written, signs = [], []
    for char in PROBE_SIGNS:
        found, left_out = words_of(lang, char)
        cells = BLANK.join(found)
        assert all(cell < "\u2840" for cell in cells), (table.name, char, cells)
        if left_out.characters:
            assert left_out.characters == {char: 1}, (table.name, char, left_out)
            continue
        assert cells.strip(BLANK), (table.name, char, "written as nothing, unsaid")
        assert len(found) == 1, (table.name, char, found)  # no blank cell inside it
        if left_out.capitals:
            assert char.isupper() and left_out.capitals == 1, (table.name, char)
            char = char.lower()
        if char in eight:
            written.append(cells)
            signs.append(char)
    if not signs:
        return
    # what needs dot 7 or 8 is written in UEB (or, lowered, in the table's small
    # letter): read back through UEB or the table, by liblouis's command-line tool
    assert foreign is not None
    by_ueb = back_translate(foreign.table_list, written)
    by_own = back_translate(table.table_list, written)
    unread = [(char, cells, ueb, own)
              for char, cells, ueb, own in zip(signs, written, by_ueb, by_own, strict=True)
              if not reads_as(char, ueb) and not reads_as(char, own)]
    assert not unread, (table.name, unread)


def test_lithuanian_half_is_written_not_a_blank_cell():
    assert eight_dot_signs(find_table("lt").table_list) >= {"½", "¼"}  # dot 7 alone
    found, left_out = words_of("lt", "Gerkite ½ tabletės")
    assert len(found) == 3 and not left_out.characters and not left_out.capitals, found
    assert all(cell < "\u2840" for word in found for cell in word)
    english = tables.foreign(find_table("lt")).table_list
    assert reads_as("½", back_translate(english, [found[1]])[0]), found[1]


@pytest.mark.parametrize("lang", ["fa", "prs"])
def test_persian_ampersand_slash_and_degree_are_written_in_ueb(lang):
    assert eight_dot_signs(find_table(lang).table_list) >= {"&", "/", "°", "_"}
    english = tables.foreign(find_table(lang)).table_list
    for sign in "&/°_":
        found, left_out = words_of(lang, f"قرص {sign} آب")
        assert len(found) == 3 and not left_out.characters, (sign, found)
        assert all(cell < "\u2840" for word in found for cell in word)
        # dot 8 dropped, "&" would be ⠯ and "_" a blank cell; written in UEB instead
        assert reads_as(sign, back_translate(english, [found[1]])[0]), (sign, found[1])


def test_a_sign_the_table_writes_with_dot_7_is_written_in_ueb_in_an_address():
    # ro.ctb writes "@" as dot 4 with dot 7; dropped, ⠈ alone would not say "@"
    found, left_out = words_of("ro", "scrieți la rezultate@spital.ro")
    assert not left_out.characters and not left_out.capitals
    assert "\u2808\u2801" in found[-1]  # UEB's @
