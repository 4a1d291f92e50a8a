"""Nothing silently dropped: the every-construct leaflet (tests/fixtures/every-construct),
built into every format, edition and language, read back with tools we did not write,
and every word of the source found, in order, in every output.

Readers: pdftotext for PDFs, pandoc for DOCX, EPUB and HTML, ``lou_translate --backward``
for BRF and PEF, the read-aloud EPUB's SMIL (what is highlighted while it is read) and the
narration script for the MP3.  The words expected come from the parsed source (the
translated one for a language), listed by a walk with a case for every node type; each
translation is also checked message by message against its catalog's msgstr.  Numbers,
phone numbers and addresses must all be found (a longest-common-subsequence ratio of
1.0); so must every other word, except in braille, where liblouis's back-translation of
contracted braille is not exact.  page-validation, EPUBCheck and Ace check the PDFs and
EPUBs.  ``pytest -s`` prints the words checked per format.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import page
import polib
import pytest
from lxml import etree

from formats.options import WriterOptions
from leaflet import i18n, langs, model
from leaflet.library import Library, read_leaflet

from conftest import FIXTURES, REPO, epubcheck, run_leaflet
from test_braille import back_translate, brf_pages, unicode_lines

FIXTURE = FIXTURES / "every-construct"
SLUG = "every-construct"
SOURCE_LANG = "en-GB"
LANGS = (SOURCE_LANG, "pl", "ar", "xx")
FAST_LANGS = (SOURCE_LANG, "xx")
FAST_FORMATS = {"text": ("standard",), "html": ("standard",), "docx": ("standard",),
                "brf": ("standard",)}
SLOW_FORMATS = {"text": ("standard", "easy-read"), "html": ("standard", "easy-read"),
                "pdf": ("standard", "large-print", "easy-read"),
                "docx": ("standard", "large-print", "easy-read"),
                "epub": ("standard", "easy-read"), "brf": ("standard",), "pef": ("standard",)}
AUDIO_LANG = SOURCE_LANG
BRAILLE_WORDS_MIN = 0.97  # contracted braille reads back ambiguously; never a number
# ... and per sentence of a translation, where one misread word in two ("اسأل فقط:") is
# 50 %: liblouis 3.24 reads Arabic contractions before punctuation and emphasis indicators
# back as other letters ("فقط:" as "ط:").  A sentence left in the source language finds
# none of its words; every word is counted, at BRAILLE_WORDS_MIN, in the whole output.
BRAILLE_SENTENCE_MIN = 0.5
BLANK_CELL = "\u2800"
SMIL = "{http://www.w3.org/ns/SMIL}"
PEF = "{http://www.daisy.org/ns/2008/pef}"
# DAISY Ace, installed by `make test` (package.json) and run with the system's Chromium
ACE_INSTALLED = REPO / "node_modules" / ".bin" / "ace-puppeteer"
ACE = os.environ.get("LEAFLET_ACE") or \
    (str(ACE_INSTALLED) if ACE_INSTALLED.is_file() else shutil.which("ace-puppeteer") or "")

WORDS_CHECKED: dict[str, int] = collections.Counter()
BUILD_OUTPUT: dict[Path, str] = {}
ORDINALS = {
    "decimal": str,
    "letter": lambda n: "abcdefghijklmnopqrstuvwxyz"[n - 1],
    "roman": lambda n: ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"][n - 1],
}


# What each format shows of the source ------------------------------------------------------

@dataclass(frozen=True)
class Form:
    """What a reader of one format meets: pictures' alt text among the words (a PDF
    shows only the picture and its caption; pandoc 2.17 reads a web page's captioned
    picture by its caption alone, and no alt text of a picture anchored beside an easy
    read row in Word: alt texts are checked where they are kept, in the PDF's tags and
    the markup), link addresses printed after their words (paper), tables
    as a grid (the head once) or row by row with each cell's heading (text, braille,
    speech), ordered lists' numbers as text."""

    alt: bool = True
    addresses: bool = True
    labelled_tables: bool = False
    numbers: bool = True
    nested_numbers: tuple[str, ...] = ("decimal", "decimal", "decimal")

    def ordinal(self, level: int, number: int) -> str:
        return ORDINALS[self.nested_numbers[min(level, 2)]](number)


FORMS = {
    "text": Form(labelled_tables=True),
    "html": Form(alt=False, addresses=False),
    "epub": Form(alt=False, addresses=False),
    "pdf": Form(alt=False),
    # Word's convention, a list in a list numbered a, b and one in that i, ii
    "docx": Form(alt=False, nested_numbers=("decimal", "letter", "roman")),
    "brf": Form(labelled_tables=True),
    "pef": Form(labelled_tables=True),
    # the highlighted text: an item's number and a cell's heading are said, not shown
    "read-aloud": Form(addresses=False, numbers=False),
    "audio": Form(addresses=False),
}


@dataclass(frozen=True)
class Word:
    text: str
    unit: str        # where in the source: "paragraph, line 22"
    kept: bool       # a number, phone number or address: never to be lost


WORD = re.compile(r"\d+|[^\W\d_]+")


def fold(text: str) -> str:
    """Case, accents, format characters and digit scripts aside, character by character."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c
                   for c in text if unicodedata.category(c) not in ("Mn", "Cf")).casefold()


def normalise(text: str) -> list[str]:
    """Words as compared: case, accents and digit scripts aside; "9am" is "9 am" and
    "1,000" is "1 000" (every output keeps the digits, not always the separators)."""
    return WORD.findall(fold(text))


def words_of(text: str, unit: str, kept: bool = False) -> list[Word]:
    return [Word(w, unit, kept or w.isdigit()) for w in normalise(text)]


class _Inlines(model.InlineVisitor[list]):
    """Inline nodes as the pieces they print, ``(text, kept)``, joined before they are cut
    into words: a word printed across two nodes (Arabic's "and", و, written onto the
    emphasised word after it: ``و*كلمات*``) is one word, as a reader meets it."""

    def __init__(self, form: Form, unit: str):
        self.form, self.unit = form, unit

    def pieces(self, nodes) -> list[tuple[str, bool]]:
        return [piece for found in model.visit_inlines(nodes, self) for piece in found]

    def all(self, nodes) -> list[Word]:
        folded, kept = "", []
        for text, keep in self.pieces(nodes):
            text = fold(text)
            folded += text
            kept += [keep] * len(text)
        return [Word(m.group(), self.unit, m.group().isdigit() or any(kept[m.start():m.end()]))
                for m in WORD.finditer(folded)]

    def text(self, node):
        return [(node.text, False)]

    def strong(self, node):
        return self.pieces(node.children)

    emphasis = strong

    def link(self, node):
        found = self.pieces(node.children)
        if self.form.addresses and not model.shows_address(node):
            found += [(" ", False), (node.href.removeprefix("mailto:"), True), (" ", False)]
        return found

    def phone(self, node):
        return [(node.display, True)]

    def email(self, node):
        return [(node.address, True)]

    def line_break(self, node):
        return [("\n", False)]


def inline_words(nodes, form: Form, node) -> list[Word]:
    return _Inlines(form, f"{type(node).__name__.lower()}, line {node.line}").all(nodes)


def block_words(blocks, form: Form, level: int = 0) -> list[Word]:
    found: list[Word] = []
    for block in blocks:
        found += _list(block, form, level) if isinstance(block, model.List) \
            else BLOCKS[type(block)](block, form)
    return found


def _list(node: model.List, form: Form, level: int = 0) -> list[Word]:
    found = []
    for number, item in enumerate(node.items, start=node.start):
        if node.ordered and form.numbers:
            found += words_of(form.ordinal(level, number), f"list item {number}, line "
                              f"{item.line}", kept=True)
        found += block_words(item.blocks, form, level + 1)
    return found


def _figure(node: model.Figure, form: Form) -> list[Word]:
    unit = f"picture, line {node.line}"
    return (words_of(node.alt, unit) if form.alt else []) + words_of(node.caption, unit)


def _table(node: model.Table, form: Form) -> list[Word]:
    def cell(c):
        return inline_words(c.children, form, c)

    if not form.labelled_tables:
        return [w for c in node.head for w in cell(c)] + \
            [w for row in node.rows for c in row for w in cell(c)]
    return [w for row in node.rows for head, c in zip(node.head, row, strict=True)
            for w in cell(head) + cell(c)]


def _contacts(node: model.Contacts, form: Form) -> list[Word]:
    found = []
    for contact in node.contacts:
        unit = f"contact {contact.name!r}, line {contact.line}"
        found += words_of(contact.name, unit)
        found += _Inlines(form, unit).all(contact.about)
        for phone in contact.phones:
            found += words_of(phone.display, unit, kept=True)
        for email in contact.emails:
            found += words_of(email.address, unit, kept=True)
        found += words_of(contact.web, unit, kept=True)
        found += _Inlines(form, unit).all(contact.hours)
    return found


def _row(node: model.Row, form: Form) -> list[Word]:
    return (_figure(node.figure, form) if node.figure else []) + block_words(node.blocks, form)


# One entry per block type, checked complete below: a new node type fails here at once.
BLOCKS = {
    model.Heading: lambda node, form: inline_words(node.children, form, node),
    model.Paragraph: lambda node, form: inline_words(node.children, form, node),
    model.List: _list,
    model.Figure: _figure,
    model.Table: _table,
    model.Callout: lambda node, form: block_words(node.blocks, form),
    model.Contacts: _contacts,
    model.Quote: lambda node, form: block_words(node.blocks, form),
    model.Rule: lambda node, form: [],
    model.Row: _row,
}


def test_the_expected_words_know_every_node_type():
    assert set(BLOCKS) == set(model.BLOCK_TYPES)
    assert {name for name in dir(_Inlines) if not name.startswith("_")} >= \
        {m for m in dir(model.InlineVisitor) if getattr(getattr(model.InlineVisitor, m),
                                                         "__isabstractmethod__", False)}


def expected(leaflet: model.Leaflet, form: Form) -> tuple[list[Word], list[list[Word]]]:
    """The words in reading order (title, subtitle, body), and the leaflet's details,
    each of which every format prints once somewhere (a header, a footer, the end)."""
    meta = leaflet.meta
    ordered = words_of(meta.title, "title") + words_of(meta.subtitle, "subtitle") + \
        block_words(leaflet.blocks, form)
    details = [words_of(meta.organisation, "organisation"),
               _Inlines(form, "requests").all(meta.requests)]
    return ordered, [d for d in details if d]


# Reading outputs back ----------------------------------------------------------------------

def run(command: list[str], **kwargs) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=300,
                          **kwargs).stdout


def uncut(lines: list[str], table) -> list[str]:
    """Lines as a braille reader takes them: where a braille code has no continuation sign,
    a word too long for any line (a web address) is cut where its line is full, and goes
    on at the start of the next line.  Such a line holds that one word alone."""
    if table.continuation:
        return lines  # the cut is marked, after a slash or dot: lou_translate reads it
    width = WriterOptions().braille_cells
    out: list[str] = []
    carry = False
    for line in lines:
        if carry:
            out[-1] += line.lstrip(BLANK_CELL)
        else:
            out.append(line)
        word = line.lstrip(BLANK_CELL)
        # a box's top or bottom line (one cell repeated across the page) is no word
        carry = len(line) == width and BLANK_CELL not in word and len(set(word)) > 1
    return out


# A number's digits after its decimal comma or point: braille writes them on in the same
# number (4,50 is ⠼⠙⠂⠑⠚), which liblouis 3.24's Polish table reads back as letters (4,ej)
NUMBER_GOES_ON = re.compile("(⠼[⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚]+[⠂⠄])(?=[⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚])")


def braille_text(pages: list[list[str]], lang: str) -> str:
    """The lines read back as liblouis reads them; where it misreads numbers, each braille
    word also as it reads the same cells another way, the readings side by side: a word
    is found in either, in its place."""
    from formats.braille import find_table
    lines = [line for page_lines in pages for line in page_lines[1:]]  # page number lines
    table = find_table(lang)
    lines = uncut(lines, table)
    words = [line.split(BLANK_CELL) for line in lines]
    readings = [(table.table_list, words)]
    if lang == "ar":
        # liblouis 3.24's contracted Arabic table reads digits (3, 5, 7) back as
        # contractions: numbers are read with the uncontracted table too (the same cells)
        readings.append((find_table(lang, 1).table_list, words))
    numbered = [[NUMBER_GOES_ON.sub("\\1⠼", word) for word in line] for line in words]
    if numbered != words:
        readings.append((table.table_list, numbered))
    if len(readings) == 1:
        return "\n".join(back_translate(table.table_list, lines))
    read = [iter(back_translate(tables, [w for line in cells for w in line]))
            for tables, cells in readings]
    return "\n".join(" ".join(" ".join(dict.fromkeys(next(r) for r in read)) for _word in line)
                     for line in words)


def rtl_pdf_text(path: Path) -> str:
    """A right-to-left PDF's lines in reading order, from pdftotext's layout: its
    text layer gives poppler every line in order (``formats.pdftext``), and a line of
    the layout whose pieces stand apart (a table's cells, a list item's number, the
    footer's two ends) is read from its right-hand piece.  The directional marks
    pdftotext puts around each stretch of one direction (and the invisible ones the
    text layer keeps a space in place with) go."""
    lines = BIDI_MARKS.sub("", run(["pdftotext", "-layout", str(path), "-"])).splitlines()
    return "\n".join(" ".join(reversed(re.split(r" {3,}", line.strip()))) for line in lines)


BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")


def read_back(path: Path, fmt: str, lang: str) -> str:
    if fmt == "text":
        return path.read_text(encoding="utf-8")
    if fmt == "pdf" and langs.direction(lang) == "rtl":
        return rtl_pdf_text(path)
    if fmt == "pdf":
        # -layout: a table's empty write-in column keeps its place in the row
        return run(["pdftotext", "-layout", str(path), "-"])
    if fmt in ("docx", "epub", "html"):
        # pandoc takes the title and subtitle as the document's metadata: the template
        # prints them before the body
        template = path.parent / "fidelity-template.plain"
        template.write_text("$title$\n$subtitle$\n$body$\n", encoding="utf-8")
        return run(["pandoc", "-f", fmt, "-t", "plain", "--wrap=none", "--template",
                    str(template), str(path)])
    if fmt == "brf":
        return braille_text([unicode_lines(p) for p in brf_pages(path.read_bytes())], lang)
    if fmt == "pef":
        pages = [[row.text or "" for row in p.iter(f"{PEF}row")]
                 for p in etree.fromstring(path.read_bytes()).iter(f"{PEF}page")]
        return braille_text(pages, lang)
    if fmt == "read-aloud":
        book = zipfile.ZipFile(path)
        content = etree.fromstring(book.read("EPUB/content.xhtml"))
        smil = etree.fromstring(book.read("EPUB/content.smil"))
        by_id = {e.get("id"): e for e in content.iter() if e.get("id")}

        def said(element) -> str:  # in document order: a picture's alt text where it stands
            words = [element.get("alt") or "" if str(element.tag).endswith("img") else "",
                     element.text or ""]
            for child in element:
                words += [said(child), child.tail or ""]
            return " ".join(words)
        return "\n".join(said(by_id[par.find(f"{SMIL}text").get("src").split("#")[1]])
                         for par in smil.iter(f"{SMIL}par"))
    raise AssertionError(fmt)


def alt_texts(path: Path, fmt: str) -> str:
    """The alt texts a PDF's tags, a Word file's drawings or a web page's or EPUB's
    markup give its pictures."""
    if fmt == "pdf":
        import pikepdf

        found = []
        with pikepdf.open(path) as pdf:
            pending = [pdf.Root.StructTreeRoot]
            while pending:
                node = pending.pop()
                if isinstance(node, pikepdf.Dictionary):
                    if "/Alt" in node:
                        found.append(str(node.Alt))
                    kids = node.get("/K")
                    if kids is not None:
                        pending.extend(reversed(list(kids)) if isinstance(kids, pikepdf.Array)
                                       else [kids])
        return "\n".join(found)
    if fmt == "docx":
        document = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
        return "\n".join(e.get("descr") or "" for e in document.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    if fmt == "epub":
        book = zipfile.ZipFile(path)
        documents = [book.read(n) for n in sorted(book.namelist()) if n.endswith(".xhtml")
                     and not n.endswith("nav.xhtml")]
    else:
        documents = [path.read_bytes()]
    parser = etree.HTMLParser()
    return "\n".join(e.get("alt") or e.get("aria-label") or ""
                     for d in documents for e in etree.fromstring(d, parser).iter()
                     if e.tag in ("img", "svg") or str(e.tag).endswith("}img"))


def figure_alts(leaflet: model.Leaflet) -> list[Word]:
    return [w for b in model.walk(leaflet.blocks) if isinstance(b, model.Figure)
            for w in words_of(b.alt, f"picture's alt text, line {b.line}")]


def lcs_missing(wanted: list[str], found: list[str]) -> list[int]:
    """The indexes of ``wanted`` left out of a longest common subsequence with ``found``
    (bit-parallel LCS; the rows kept to trace the alignment back)."""
    positions: dict[str, int] = collections.defaultdict(int)
    for j, word in enumerate(found):
        positions[word] |= 1 << j
    full = (1 << len(found)) - 1
    rows, v = [full], full
    for word in wanted:
        u = v & positions.get(word, 0)
        v = ((v + u) | (v - u)) & full
        rows.append(v)

    def length(i: int, j: int) -> int:  # LCS of wanted[:i] and found[:j]
        return j - (rows[i] & ((1 << j) - 1)).bit_count()

    missing, i, j = [], len(wanted), len(found)
    while i > 0:
        if j > 0 and wanted[i - 1] == found[j - 1] and length(i, j) == length(i - 1, j - 1) + 1:
            i, j = i - 1, j - 1
        elif j > 0 and length(i, j - 1) == length(i, j):
            j -= 1
        else:
            missing.append(i - 1)
            i -= 1
    return missing[::-1]


def own_script(words: list[Word]) -> list[Word]:
    """Arabic braille writes Latin letters in the cells of its own letters, so they read
    back in Arabic letters: only Arabic words and digits can be compared."""
    return [w for w in words if not w.text.isascii() or w.text.isdigit()]


def check_words(label: str, wanted: list[Word], output: str, braille: bool, lang: str) -> str:
    """Every word wanted, in order, in the output; returns what is missing, by name."""
    if braille and lang == "ar":
        wanted = own_script(wanted)
    found = normalise(output)
    missing = [wanted[i] for i in lcs_missing([w.text for w in wanted], found)]
    lost = [w for w in missing if w.kept]
    ratio = 1 - len(missing) / max(len(wanted), 1)
    WORDS_CHECKED[label.split(" ")[0]] += len(wanted)
    problems = []
    if lost:
        problems.append(f"{len(lost)} numbers, phone numbers or addresses lost: " +
                        "; ".join(f"{w.text!r} ({w.unit})" for w in lost))
    if missing and (not braille or ratio < BRAILLE_WORDS_MIN):
        problems.append(f"{ratio:.2%} of {len(wanted)} words found in order; missing: " +
                        "; ".join(f"{w.text!r} ({w.unit})" for w in missing[:60]))
    return "\n".join(problems)


# The catalogs: every sentence of every msgstr -------------------------------------------

MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
MARKDOWN_EMPHASIS = re.compile(r"\*+")


def msgstr_units(lang: str, edition: str, form: Form) -> list[tuple[str, list[Word]]]:
    suffix = ".easy-read" if edition == "easy-read" else ""
    catalog = polib.pofile(str(FIXTURE / "locales" / lang / f"{SLUG}{suffix}.po"))
    alt_note = i18n.KIND_NOTES["alt text"]
    units = []
    for entry in catalog.translated_entries():
        if alt_note in entry.comment and not form.alt:
            continue
        text = MARKDOWN_LINK.sub(lambda m: m.group(1) + (f" {m.group(2)}" if form.addresses
                                                         else ""), entry.msgstr)
        # emphasis marks go, as they do in print: "و*كلمات*" is the one word "وكلمات"
        text = MARKDOWN_EMPHASIS.sub("", text)
        for sentence in re.split(r"(?<=[.!?؟:])\s+", text):
            units.append((f"{entry.msgid[:40]!r} (line {entry.linenum})",
                          words_of(sentence, f"msgstr line {entry.linenum}")))
    return [(where, found) for where, found in units if found]


def check_sentences(lang: str, edition: str, fmt: str, output: str, braille: bool) -> str:
    found = normalise(output)
    missing = []
    for where, sentence in msgstr_units(lang, edition, FORMS[fmt]):
        if braille and lang == "ar":
            sentence = own_script(sentence)
        wanted = [w.text for w in sentence]
        lost = lcs_missing(wanted, found)
        if lost and (not braille or any(sentence[i].kept for i in lost)
                     or 1 - len(lost) / len(wanted) < BRAILLE_SENTENCE_MIN):
            missing.append(f"{where}: {' '.join(wanted[i] for i in lost)}")
    return "\n".join(missing)


# The builds --------------------------------------------------------------------------------

def library_copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("every-construct")
    for name in ("leaflet_src", "locales"):
        shutil.copytree(FIXTURE / name, root / name)
    return root


def build(root: Path, formats: dict, langs: tuple, out: Path) -> list[dict]:
    selectors = [a for f in formats for a in ("-f", f)] + \
        [a for e in {e for es in formats.values() for e in es} for a in ("-e", e)] + \
        [a for lang in langs for a in ("-l", lang)]
    # one language refused stops none of the others: its outputs' tests fail with why
    result = run_leaflet("--root", str(root), "build", *selectors, "-o", str(out))
    artifacts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    for entry in artifacts:
        entry["file"] = out / entry["path"]
    BUILD_OUTPUT[out] = result.stdout + result.stderr
    return artifacts


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return library_copy(tmp_path_factory)


@pytest.fixture(scope="module")
def fast_build(root, tmp_path_factory) -> list[dict]:
    return build(root, FAST_FORMATS, FAST_LANGS, tmp_path_factory.mktemp("fast"))


@pytest.fixture(scope="module")
def full_build(root, tmp_path_factory) -> list[dict]:
    return build(root, SLOW_FORMATS, LANGS, tmp_path_factory.mktemp("full"))


@pytest.fixture(scope="module")
def audio_build(root, tmp_path_factory) -> list[dict]:
    return build(root, {"audio": ("standard", "easy-read"),
                        "read-aloud": ("standard", "easy-read")},
                 (AUDIO_LANG,), tmp_path_factory.mktemp("audio"))


@pytest.fixture(scope="module", autouse=True)
def words_checked_report():
    yield
    if WORDS_CHECKED:
        print("\nwords checked per format (every edition and language):")
        for fmt, count in sorted(WORDS_CHECKED.items()):
            print(f"  {fmt:<12}{count:>8,}")


def source_leaflet(root: Path, edition: str, lang: str) -> model.Leaflet:
    library = Library(root)
    leaflet = read_leaflet(library, SLUG, edition)
    return i18n.translate(library, leaflet, lang).leaflet


def artifact(artifacts: list[dict], fmt: str, edition: str, lang: str) -> Path:
    for entry in artifacts:
        if (entry["format"], entry["edition"], entry["lang"]) == (fmt, edition, lang):
            return entry["file"]
    raise AssertionError(f"no {fmt} {edition} {lang} output in the manifest; the build "
                         f"said:\n" + "\n".join(BUILD_OUTPUT.values()))


def has_output(fmt: str, lang: str) -> bool:
    return not (fmt in ("brf", "pef") and lang == "xx")  # liblouis has no table for xx


# What the source's Markdown may leave in an output that prints it as written: emphasis
# marks against a word, a link's "](", a fenced block's ":::", a line break's backslash, a
# message's {context=...}.  The text edition's own "* * *" and "*** DRAFT ***" stand apart.
STRAY_MARKDOWN = re.compile(r"(?<![*\w])\*{1,3}\w|\w\*{1,3}(?![*\w])|\]\(|^\s*:::|\\$|\{context=",
                            re.MULTILINE)


def check_output(root: Path, artifacts: list[dict], fmt: str, edition: str, lang: str) -> None:
    path = artifact(artifacts, fmt, edition, lang)
    output = read_back(path, fmt, lang)
    braille = fmt in ("brf", "pef")
    leaflet = source_leaflet(root, edition, lang)
    ordered, details = expected(leaflet, FORMS[fmt])
    label = f"{fmt} {edition} {lang}"
    problems = [check_words(label, ordered, output, braille, lang)]
    problems += [check_words(label, d, output, braille, lang) for d in details]
    if not FORMS[fmt].alt:
        problems.append(check_words(label, figure_alts(leaflet), alt_texts(path, fmt),
                                    braille, lang))
    if lang != SOURCE_LANG:
        problems.append(check_sentences(lang, edition, fmt, output, braille))
    if not braille:  # braille's ASCII writes cells as * [ ] \\
        problems += [f"Markdown printed as written: {m.group()!r} in "
                     f"{output[max(m.start() - 30, 0):m.end() + 30]!r}"
                     for m in STRAY_MARKDOWN.finditer(output)]
    problems = [p for p in problems if p]
    assert not problems, f"{label} ({path.name}):\n" + "\n".join(problems)


FAST_CASES = [(f, e, lang) for f, es in FAST_FORMATS.items() for e in es for lang in FAST_LANGS
              if has_output(f, lang)]
SLOW_CASES = [(f, e, lang) for f, es in SLOW_FORMATS.items() for e in es for lang in LANGS
              if has_output(f, lang)]


@pytest.mark.parametrize("fmt,edition,lang", FAST_CASES)
def test_every_word_reaches_the_output(root, fast_build, fmt, edition, lang):
    check_output(root, fast_build, fmt, edition, lang)


@pytest.mark.slow  # every format, edition and language
@pytest.mark.parametrize("fmt,edition,lang", SLOW_CASES)
def test_every_word_reaches_every_output(root, full_build, fmt, edition, lang):
    check_output(root, full_build, fmt, edition, lang)


@pytest.mark.slow  # renders speech
@pytest.mark.parametrize("edition", ["standard", "easy-read"])
def test_every_word_is_read_aloud_and_highlighted(root, audio_build, edition):
    check_output(root, audio_build, "read-aloud", edition, AUDIO_LANG)


@pytest.mark.slow  # renders speech
@pytest.mark.parametrize("edition", ["standard", "easy-read"])
def test_every_word_is_in_the_narration_script(root, audio_build, edition):
    from formats.audio import script
    from formats.audio.speech import for_language

    assert artifact(audio_build, "audio", edition, AUDIO_LANG).stat().st_size > 0
    leaflet = source_leaflet(root, edition, AUDIO_LANG)
    options = WriterOptions(words=i18n.ui_words(Library(root), AUDIO_LANG), ui_lang=AUDIO_LANG)
    # what is said (an item's number, a cell's heading) then the printed words it stands
    # for ("5 milligrams", then "5 mg")
    said = "\n".join(f"{s.spoken}\n{s.display}" for s in script.segments(
        leaflet, options, for_language(AUDIO_LANG)))
    ordered, details = expected(leaflet, FORMS["audio"])
    label = f"audio {edition} {AUDIO_LANG}"
    problems = [p for p in [check_words(label, ordered, said, False, AUDIO_LANG)] +
                [check_words(label, d, said, False, AUDIO_LANG) for d in details] if p]
    assert not problems, f"{label}:\n" + "\n".join(problems)


# What the words are checked against must hold every construct --------------------------

def test_the_fixture_holds_every_construct_and_passes_check(root):
    result = run_leaflet("--root", str(root), "check", check=False)
    # plain-English warnings are the only ones it may have: it is written to hold every
    # construct, not for a reader
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "no errors" in output, output
    assert all("reads at age" in line or "medical term" in line
               for line in output.splitlines() if ": warning: " in line), output
    leaflet = read_leaflet(Library(root), SLUG)
    blocks = list(model.walk(leaflet.blocks))
    kinds = {type(b) for b in blocks}
    assert kinds >= set(model.BLOCK_TYPES) - {model.Row}
    assert model.Row in {type(b) for b in model.walk(read_leaflet(Library(root), SLUG,
                                                                  "easy-read").blocks)}
    lists = [b for b in blocks if isinstance(b, model.List)]
    assert any(b.checklist and b.ordered and b.start == 3 for b in lists)
    assert any(b.checklist and not b.ordered for b in lists)
    assert any(isinstance(inner, model.List) for quote in blocks if isinstance(quote, model.Quote)
               for inner in quote.blocks)

    def depth(node) -> int:
        inner = [b for item in node.items for b in item.blocks if isinstance(b, model.List)]
        return 1 + max((depth(b) for b in inner), default=0)
    assert max(depth(b) for b in lists) == 3
    assert {b.ordered for b in lists if depth(b) == 3} == {True}
    assert any(len(b.rows) >= 40 for b in blocks if isinstance(b, model.Table))
    assert any(not c.children for b in blocks if isinstance(b, model.Table)
               for row in b.rows for c in row)
    assert {b.kind for b in blocks if isinstance(b, model.Callout)} == {"info", "warning", "urgent"}
    figures = [b for b in blocks if isinstance(b, model.Figure)]
    assert {f.src.split(":")[0] for f in figures} == {"pictogram", "images/site-map.svg"} \
        and all(f.caption for f in figures)
    text = (FIXTURE / "leaflet_src" / SLUG / "leaflet.md").read_text(encoding="utf-8")
    for construct in ("+44 ", "18001 ", "999", "111", "5 mg", "1,000 ml",
                      "12 micrograms/hour", "£4.50", "9am to 5pm", "8–12 weeks", "1 in 1,000",
                      "15%", "\n---\n", "....", "pharmacy-and-medicines"):
        assert construct in text, construct


# Outside checkers -------------------------------------------------------------------------

@pytest.mark.slow
def test_page_validation_finds_nothing_in_any_pdf(full_build):
    pdfs = [e["file"] for e in full_build if e["format"] == "pdf"]
    found = {}
    for path in pdfs:
        report = page.validate_pdf(str(path), profile="ua1")
        failures = sorted(f"{f.rule_id}: {f.message}" for f in report.failures)
        if failures:
            found[path.name] = failures
    assert found == {}
    assert len(pdfs) == 12, "\n".join(BUILD_OUTPUT.values())


@pytest.mark.slow
def test_epubcheck_finds_nothing_in_any_epub(full_build, audio_build):
    epubs = [e["file"] for e in full_build + audio_build
             if e["file"].suffix == ".epub"]
    assert {p.name: m for p, m in epubcheck(epubs).items() if m} == {}
    assert len(epubs) == 10, "\n".join(BUILD_OUTPUT.values())


# "xx" is the tests' pseudo-language, which no language list holds: the "also available"
# panel of every output names it with lang="xx", which Ace rightly calls invalid.
PSEUDO_LANGUAGE_MARK = 'lang="xx"'


@pytest.mark.slow
def test_ace_finds_nothing_in_any_epub(full_build, audio_build, tmp_path):
    if not ACE or not Path(ACE).is_file() and not shutil.which(ACE):
        pytest.skip(f"Ace is not installed ({ACE_INSTALLED}): make setup-test installs it, "
                    "or set LEAFLET_ACE to an ace-puppeteer")
    epubs = [e["file"] for e in full_build + audio_build if e["file"].suffix == ".epub"]
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=os.environ.get(
        "PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium"))
    found = {}
    for number, path in enumerate(epubs):
        report_dir = tmp_path / str(number)
        subprocess.run([ACE, "-s", "-o", str(report_dir), str(path)], env=env,
                       capture_output=True, text=True, timeout=600, check=True)
        report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
        failures = [f"{a['earl:testSubject']['url']}: {b['earl:test']['dct:title']} "
                    f"{b['earl:result'].get('html', '')[:200]}"
                    for a in report["assertions"] for b in a.get("assertions", [])
                    if b["earl:result"]["earl:outcome"] == "fail"
                    and PSEUDO_LANGUAGE_MARK not in b["earl:result"].get("html", "")]
        if failures:
            found[path.name] = failures
    assert found == {}
    assert len(epubs) == 10, "\n".join(BUILD_OUTPUT.values())
