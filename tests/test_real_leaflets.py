"""A leaflet written the way hospital authors write them, through every format.

Every construct of issue 13 is in one source (short codes, text relay, numbers
written internationally, extensions, a list starting at 5, a link with words, bare
addresses, a quote, a thematic break, a checklist, a table to fill in) and each is
read back from the built files with a reader's tools: the text file, the HTML and
EPUB markup, the DOCX's WordprocessingML, pdftotext and pdfminer for the PDFs.
"""

from __future__ import annotations

import html as html_module
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTCurve, LTTextContainer, LTTextLine

from conftest import run_leaflet

SLUG = "colonoscopy"
HOSPITAL_LEAFLET = """\
---
title: "Colonoscopy: bowel preparation"
organisation: Northtown Hospitals NHS Foundation Trust
language: en-GB
code: GI-044
version: 2
published: 2026-06-01
review: 2028-06-01
owner: Endoscopy Unit, Gastroenterology
online: https://www.northtown.nhs.uk/leaflets/gi-044
requests: Ask the Endoscopy Unit, or phone 0113 243 3144 extension 3344.
---

# Before your test

Read this leaflet **at least a week** before your colonoscopy. For more about the
test, see the [NHS website](https://www.nhs.uk/conditions/colonoscopy/) or
www.nhs.uk/conditions/colonoscopy. Questions? E-mail endoscopy.northtown@nhs.net.

Take 8 tablets (4 g) of senna with 250 ml of water.

## Your bowel preparation schedule

5. Five o'clock: drink the first litre.
6. Six o'clock: drink the second litre.

## What to bring

- [ ] Your appointment letter
- [ ] A list of your medicines
- [ ] A dressing gown and slippers

> Just ask: "Could it be sepsis?"

---

## Your record

| Date | INR | Dose (mg) | Next test |
| --- | --- | --- | --- |
| | | | |
| | | | |

## If you feel unwell

If you feel very unwell, call 999. For advice, call NHS 111 or go to
https://111.nhs.uk. Text relay users: phone 18001 01670 529 500. From abroad,
phone +44 121 333 9999. Freephone 0800 4 70 80 90. You can ring the
Samaritans free on 116 123, or call 119 for vaccinations. The ward is on
0113 243 3144 ext. 26393.

| Medicine | Dose | When |
| --- | --- | --- |
| Paracetamol | 8 tablets (4 g) a day | Every 4 to 6 hours |

::: contacts
- name: NHS 111
  phone: "111"
  hours: 24 hours a day
- name: Endoscopy Unit
  phone: 0113 243 3144 extension 3344
  email: endoscopy.northtown@nhs.net
  web: https://www.northtown.nhs.uk/endoscopy
- name: Text relay
  phone: 18001 0114 271 1900
:::
"""
FORMATS = ("text", "html", "docx", "epub", "pdf")
# What each number becomes in every format: exactly as its author wrote it (issue 25).
NUMBERS = {"999": "tel:999", "111": "tel:111", "116 123": "tel:116123", "119": "tel:119",
           "18001 01670 529 500": "tel:1800101670529500",
           "+44 121 333 9999": "tel:+44-121-333-9999",
           "0800 4 70 80 90": "tel:+44-800-470-8090",
           "0113 243 3144 ext. 26393": "tel:+44-113-243-3144;ext=26393",
           "0113 243 3144 extension 3344": "tel:+44-113-243-3144;ext=3344",
           "18001 0114 271 1900": "tel:1800101142711900"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(format, edition) -> the built file, from the manifest."""
    root = tmp_path_factory.mktemp("hospital")
    folder = root / "leaflet_src" / SLUG
    folder.mkdir(parents=True)
    (folder / "leaflet.md").write_text(HOSPITAL_LEAFLET, encoding="utf-8")
    out = root / "out"
    args = [arg for name in FORMATS for arg in ("-f", name)]
    run_leaflet("--root", str(root), "build", "-o", str(out), *args, check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {(a["format"], a["edition"]): out / a["path"] for a in manifest["artifacts"]}


def docx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/document.xml").decode("utf-8")


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style id, text) of every paragraph of the DOCX body."""
    found = []
    for paragraph in re.findall(r"<w:p[ >].*?</w:p>", docx_xml(path), flags=re.S):
        style = re.search(r'<w:pStyle w:val="([^"]+)"', paragraph)
        words = "".join(html_module.unescape(t) for t in re.findall(r"<w:t[^>]*>([^<]*)</w:t>",
                                                                      paragraph))
        found.append((style.group(1) if style else "Normal", words))
    return found


def epub_xhtml(path: Path) -> str:
    with zipfile.ZipFile(path) as epub:
        return "".join(epub.read(name).decode("utf-8") for name in sorted(epub.namelist())
                       if name.endswith(".xhtml") and "nav" not in name)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def words(markup: str) -> str:
    """What a reader sees of some markup: tags gone, entities read, spaces as one."""
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", markup))
                    .replace("\u00a0", " ").split())


def seen(built, fmt: str, edition: str = "standard") -> str:
    """The words of one output, whitespace normalised."""
    path = built[(fmt, edition)]
    if fmt == "text":
        return " ".join(path.read_text(encoding="utf-8").split())
    if fmt == "html":
        return words(path.read_text(encoding="utf-8"))
    if fmt == "epub":
        return words(epub_xhtml(path))
    if fmt == "docx":
        return " ".join(" ".join(text for _style, text in docx_paragraphs(path))
                        .replace("\u00a0", " ").split())
    return " ".join(pdf_text(path).replace("\u00a0", " ").split())


def pdf_links(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return [str(a.A.URI) for page in pdf.pages for a in page.obj.get("/Annots", [])
                if a.get("/A") is not None and "/URI" in a.A]


# 1-4: phone numbers -------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_every_number_is_shown_in_the_authors_form_in_every_format(built, fmt):
    editions = ["standard", "large-print"] if fmt in ("pdf", "docx") else ["standard"]
    for edition in editions:
        text = seen(built, fmt, edition)
        for number in NUMBERS:
            assert number in text, (fmt, edition, number)
        assert "x3344" not in text and "x26393" not in text
        assert "+44 800" not in text  # a freephone number written nationally stays national
        assert "0121 333 9999" not in text  # and an international one stays international


def test_every_number_is_a_link_in_html_epub_docx_and_pdf(built):
    html_text = built[("html", "standard")].read_text(encoding="utf-8")
    epub_text = epub_xhtml(built[("epub", "standard")])
    with zipfile.ZipFile(built[("docx", "standard")]) as docx:
        docx_rels = docx.read("word/_rels/document.xml.rels").decode("utf-8")
    links = pdf_links(built[("pdf", "standard")])
    for number, tel in NUMBERS.items():
        shown = number.replace(" ", "\u00a0")
        assert f'href="{tel}">{number}</a>' in html_text.replace("&#34;", '"'), number
        assert f'href="{tel}">' in epub_text, number
        assert f'Target="{tel}"' in docx_rels, number
        assert tel in links, number
        assert shown in "".join(t for _s, t in docx_paragraphs(built[("docx", "standard")]))


def test_numbers_never_split_across_lines_in_the_text_edition(built):
    lines = built[("text", "standard")].read_text(encoding="utf-8").splitlines()
    for number in NUMBERS:
        assert any(number in line for line in lines), number
    assert not any(line.rstrip().endswith(("18001", "ext.", "116")) for line in lines)


def test_the_extension_word_is_the_languages_own_in_every_writer():
    from formats import docx as docx_writer, html, text
    from formats.options import WriterOptions
    from leaflet import source
    leaflet = source.parse_text(HOSPITAL_LEAFLET, "leaflet.md", Path("."), SLUG)
    options = WriterOptions(words={"ext.": "wewn."})
    # "ext." as the author wrote it is the language's word; "extension" stays as written
    written = text.write(leaflet, options).data.decode("utf-8")
    assert "0113 243 3144 wewn. 26393" in written
    assert "0113 243 3144 extension 3344" in written
    assert "0113 243 3144 wewn. 26393" in html.body(leaflet, options, lambda figure: "")
    with zipfile.ZipFile(io.BytesIO(docx_writer.write(leaflet, options).data)) as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    assert "0113\u00a0243\u00a03144\u00a0wewn.\u00a026393" in document


# 5-8, 16: blocks authors write -------------------------------------------------------

@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_a_numbered_list_starting_at_5_keeps_its_numbers_on_paper(built, edition):
    text = seen(built, "pdf", edition)
    assert "5. Five o'clock" in text and "6. Six o'clock" in text
    assert "1. Five" not in text
    assert "5. Five o'clock" in seen(built, "text")
    with zipfile.ZipFile(built[("docx", edition)]) as docx:
        assert '<w:startOverride w:val="5"/>' in docx.read("word/numbering.xml").decode()
    assert 'start="5"' in built[("html", "standard")].read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["pdf", "docx", "text"])
def test_paper_prints_a_links_address_once(built, fmt):
    for edition in (["standard", "large-print"] if fmt != "text" else ["standard"]):
        text = seen(built, fmt, edition)
        squeezed = re.sub(r"\s", "", text)
        assert "NHSwebsite(https://www.nhs.uk/conditions/colonoscopy/)" in squeezed, edition
        # where the words are the address, or a contact's website, it is not printed twice
        assert squeezed.count("northtown.nhs.uk/endoscopy") == 1, edition
        assert squeezed.count("www.nhs.uk/conditions/colonoscopy") == 2, edition


def test_bare_addresses_in_running_text_are_links(built):
    page = built[("html", "standard")].read_text(encoding="utf-8")
    # an address is set in pieces that break only after a slash: its words, tags aside
    links = {href: re.sub(r"<[^>]+>", "", words) for href, words in
             re.findall(r'<a class="address" href="([^"]+)">(.*?)</a>', page, flags=re.S)}
    assert links["https://www.nhs.uk/conditions/colonoscopy"] == \
        "www.nhs.uk/conditions/colonoscopy"
    assert links["https://111.nhs.uk"] == "https://111.nhs.uk"
    assert 'href="mailto:endoscopy.northtown@nhs.net"' in page
    assert "https://111.nhs.uk" in pdf_links(built[("pdf", "standard")])


QUOTE = 'Just ask: "Could it be sepsis?"'


def test_a_quote_is_a_quotation_in_every_format(built):
    for fmt in ("html", "epub"):
        markup = built[(fmt, "standard")].read_text(encoding="utf-8") if fmt == "html" \
            else epub_xhtml(built[(fmt, "standard")])
        quoted = re.search(r"<blockquote>(.*?)</blockquote>", markup, flags=re.S)
        assert quoted and words(quoted.group(1)) == QUOTE, fmt
    for edition in ("standard", "large-print"):
        assert ("Quote", QUOTE) in docx_paragraphs(built[("docx", edition)])
    assert f"    {QUOTE}" in built[("text", "standard")].read_text(encoding="utf-8")
    for edition in ("standard", "large-print"):
        lines = pdf_lines(built[("pdf", edition)])
        quote_x = next(x for x, text in lines if text.startswith("Just ask"))
        body_x = next(x for x, text in lines if text.startswith("Take 8"))
        assert quote_x > body_x + 10, edition  # indented


def pdf_lines(path: Path) -> list[tuple[float, str]]:
    found = []
    for page in extract_pages(str(path)):
        for element in page:
            if isinstance(element, LTTextContainer):
                found.extend((line.x0, line.get_text().strip()) for line in element
                             if isinstance(line, LTTextLine))
    return found


def pdf_shapes(path: Path) -> list[tuple[float, float, float, float]]:
    """(x0, y0, width, height) of every drawn line and box on the first page."""
    page = next(iter(extract_pages(str(path))))
    return [(e.x0, e.y0, e.width, e.height) for e in page if isinstance(e, LTCurve)]


def test_a_thematic_break_is_drawn_in_every_format(built):
    for fmt in ("html", "epub"):
        markup = built[(fmt, "standard")].read_text(encoding="utf-8") if fmt == "html" \
            else epub_xhtml(built[(fmt, "standard")])
        assert re.search(r"</blockquote>\s*<hr\s*/>\s*<h3[^>]*>Your record", markup), fmt
    styles = [style for style, _text in docx_paragraphs(built[("docx", "standard")])]
    assert styles.count("ThematicBreak") == 1
    assert styles[styles.index("ThematicBreak") - 1] == "Quote"
    assert "\n* * *\n" in built[("text", "standard")].read_text(encoding="utf-8")
    # a line across the text width (not a table border: the table is further down)
    rules = [s for s in pdf_shapes(built[("pdf", "standard")]) if s[2] > 400 and s[3] < 3]
    assert rules


def test_a_checklist_has_an_empty_box_before_each_item(built):
    items = ["Your appointment letter", "A list of your medicines",
             "A dressing gown and slippers"]
    page = built[("html", "standard")].read_text(encoding="utf-8")
    for item in items:
        assert f'<li><span class="box"></span>{item}</li>' in page
        assert f'<li><span class="box"></span>{item}</li>' in epub_xhtml(built[("epub",
                                                                               "standard")])
        # the box, then a tab (not a w:t) to where the words start
        assert ("Checklist", f"\u2610{item}") in docx_paragraphs(built[("docx", "standard")])
        assert f"- [ ] {item}" in built[("text", "standard")].read_text(encoding="utf-8")
    assert "- [ ]" not in seen(built, "pdf") and "[ ]" not in seen(built, "html")
    boxes = [s for s in pdf_shapes(built[("pdf", "standard")])
             if 9 < s[2] < 14 and 9 < s[3] < 14]
    assert len({round(y + height / 2) for _x, y, _w, height in boxes}) == 3  # one box a line


# 9: a table to fill in -------------------------------------------------------------

def test_a_table_to_fill_in_keeps_room_to_write_and_no_empty_header_cells(built):
    page = built[("html", "standard")].read_text(encoding="utf-8")
    table = re.search(r"<table>.*?</table>", page, flags=re.S).group()
    assert not re.search(r"<th[^>]*>\s*</th>", table)
    assert table.count('<td class="blank"') == 8
    for edition, size in (("standard", 12), ("large-print", 18)):
        lines = [(page_number, line.y0, line.get_text().strip())
                 for page_number, page_layout in enumerate(extract_pages(
                     str(built[("pdf", edition)])))
                 for element in page_layout if isinstance(element, LTTextContainer)
                 for line in element if isinstance(line, LTTextLine)]
        head = next(entry for entry in lines if entry[2].startswith("Date"))
        after = next(entry for entry in lines if entry[2] == "If you feel unwell")
        assert after[0] == head[0], edition  # the table and the next heading share a page
        # two empty rows, each tall enough to write in (2.4 lines), then the heading
        # (without that height the gap is under 5 lines)
        assert head[1] - after[1] > (2 * 2.4 + 2) * size, edition


# The rule test: every CommonMark construct is rendered everywhere or refused -----------

TINY_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
                         "0000000a4944415478da6368000000820081da45083b0000000049454e44ae426082")
EVERY_CONSTRUCT = """\
---
title: Every construct
organisation: Northtown Hospitals NHS Foundation Trust
language: en-GB
published: 2026-06-01
review: 2028-06-01
requests: Ask the ward.
---

# Atxheading words

Setextheading words
-------------------

Plainparagraph words with *emphasised* and **strongword** text, a `backtickword`,
an escaped \\*starword\\*, an entity &amp; ampersandword, a
softbreakword and a hardbreak\\
hardbreakword, a [linkword](https://www.nhs.uk/linkword), a reference
[referenceword][ref] and an autolink <https://www.nhs.uk/autolinkword>.

[ref]: https://www.nhs.uk/referenceword

- Bulletword one
- Bulletword two

1. Orderedword one
2. Orderedword two

> Quotedword words

***

Afterruleword words.

| Tablehead | Othercolumn |
| --- | --- |
| Tablecellword | Secondcellword |

![Pictureword alt text](images/tiny.png)
"""
# Block and inline rules of our markdown-it, and what each gives in the source.
RULES = {
    "table": "rendered", "blockquote": "rendered", "hr": "rendered", "list": "rendered",
    "reference": "rendered", "heading": "rendered", "lheading": "rendered",
    "paragraph": "rendered", "fence": "refused", "html_block": "refused",
    "text": "rendered", "newline": "rendered", "escape": "rendered", "backticks": "rendered",
    "emphasis": "rendered", "link": "rendered", "image": "rendered", "autolink": "rendered",
    "html_inline": "refused", "entity": "rendered",
}
RENDERED_WORDS = ["Atxheading", "Setextheading", "Plainparagraph", "emphasised", "strongword",
                  "backtickword", "*starword*", "& ampersandword", "softbreakword",
                  "hardbreakword", "linkword", "referenceword", "autolinkword", "Bulletword",
                  "Orderedword", "Quotedword", "Afterruleword", "Tablehead", "Tablecellword",
                  "Secondcellword"]
REFUSED = {  # source -> (the line it is on, the words of the refusal)
    "fence": ("# A\n\nText.\n\n```\ncode\n```\n", 14, "code blocks are not used"),
    "html_block": ("# A\n\n<div>Box</div>\n", 12, "HTML is not allowed"),
    "html_inline": ("# A\n\nSome <b>bold</b> words.\n", 12, "HTML is not allowed"),
    "image in a sentence": ("# A\n\nSee ![x](images/tiny.png) here.\n", 12,
                            "put each picture on a line of its own"),
}
TOKENS = {  # every token type the constructs above make, as SyntaxTreeNode names them
    "root", "heading", "inline", "text", "paragraph", "em", "strong", "code_inline",
    "softbreak", "hardbreak", "link", "bullet_list", "ordered_list", "list_item",
    "blockquote", "hr", "table", "thead", "tbody", "tr", "th", "td", "image", "fence",
    "html_block", "html_inline",
}


@pytest.fixture(scope="module")
def every_construct(tmp_path_factory):
    root = tmp_path_factory.mktemp("constructs")
    folder = root / "leaflet_src" / "every"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "tiny.png").write_bytes(TINY_PNG)
    (folder / "leaflet.md").write_text(EVERY_CONSTRUCT, encoding="utf-8")
    out = root / "out"
    args = [arg for name in FORMATS for arg in ("-f", name)]
    run_leaflet("--root", str(root), "build", "-e", "standard", "-o", str(out), *args,
                check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return root, {(a["format"], a["edition"]): out / a["path"] for a in manifest["artifacts"]}


def test_every_markdown_rule_and_token_is_rendered_or_refused(every_construct, tmp_path):
    from markdown_it.tree import SyntaxTreeNode
    from leaflet import source
    from leaflet.errors import LeafletError
    md = source.markdown_parser()
    active = md.get_active_rules()
    assert set(active["block"]) | set(active["inline"]) == set(RULES), \
        "a markdown-it rule is neither rendered nor refused: add it to RULES and the leaflet"
    seen_types: set[str] = set()

    def collect(node):
        seen_types.add(node.type)
        for child in node.children:
            collect(child)

    for text in [EVERY_CONSTRUCT, *(case[0] for case in REFUSED.values())]:
        collect(SyntaxTreeNode(md.parse(text.split("---\n", 2)[-1])))
    assert seen_types == TOKENS, seen_types ^ TOKENS

    root, built = every_construct
    for fmt in FORMATS:
        words_seen = seen(built, fmt)
        for word in RENDERED_WORDS:
            assert word in words_seen, (fmt, word)
    # the picture: alt text where each format keeps it, the image itself everywhere
    assert "Pictureword alt text" in seen(built, "text")
    assert 'alt="Pictureword alt text"' in built[("html", "standard")].read_text()
    assert 'alt="Pictureword alt text"' in epub_xhtml(built[("epub", "standard")])
    assert 'descr="Pictureword alt text"' in docx_xml(built[("docx", "standard")])
    with pikepdf.open(built[("pdf", "standard")]) as pdf:
        assert any(page.get_images() for page in pdf.pages)
    assert re.search(r"<hr\s*/>", built[("html", "standard")].read_text())

    front = EVERY_CONSTRUCT.split("# Atxheading")[0]
    for name, (body, line, message) in REFUSED.items():
        folder = tmp_path / name / "leaflet_src" / "every"
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "tiny.png").write_bytes(TINY_PNG)
        (folder / "leaflet.md").write_text(front + body, encoding="utf-8")
        with pytest.raises(LeafletError) as refused:
            source.parse_file(folder / "leaflet.md", tmp_path / name)
        problem = refused.value.problems[0]
        assert (problem.path, problem.line) == ("leaflet_src/every/leaflet.md", line), name
        assert message in problem.message, name


# 13: who owns the leaflet, and where it is online ------------------------------------

OWNER = "Endoscopy Unit, Gastroenterology"
ONLINE = "https://www.northtown.nhs.uk/leaflets/gi-044"


def test_owner_and_online_are_in_every_formats_metadata_and_text(built):
    for fmt, edition in built:
        text = seen(built, fmt, edition)
        assert ONLINE in re.sub(r"\s", "", text) or ONLINE in text, (fmt, edition)
        assert OWNER in text, (fmt, edition)
    page = built[("html", "standard")].read_text(encoding="utf-8")
    assert f'<meta name="dcterms.contributor" content="{OWNER}"/>' in page
    assert f'<link rel="canonical" href="{ONLINE}"/>' in page
    with zipfile.ZipFile(built[("epub", "standard")]) as epub:
        opf = next(epub.read(n).decode() for n in epub.namelist() if n.endswith(".opf"))
    assert f">{OWNER}</dc:contributor>" in opf and f">{ONLINE}</dc:source>" in opf
    for edition in ("standard", "large-print"):
        with zipfile.ZipFile(built[("docx", edition)]) as docx:
            app = docx.read("docProps/app.xml").decode()
        assert f"<Manager>{OWNER}</Manager>" in app
        assert f"<HyperlinkBase>{ONLINE}</HyperlinkBase>" in app
        with pikepdf.open(built[("pdf", edition)]) as pdf:
            assert (str(pdf.docinfo["/Owner"]), str(pdf.docinfo["/Online"])) == (OWNER, ONLINE)


def test_owner_and_online_are_in_the_manifest_and_the_index(built):
    out = next(iter(built.values())).parents[2]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {(a["owner"], a["online"]) for a in manifest["artifacts"]} == {(OWNER, ONLINE)}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{OWNER}</li>" in index
    assert f'<a href="{ONLINE}">{ONLINE}</a>' in index


# 10: contacts in the DOCX, as LibreOffice lays them out --------------------------------

@pytest.mark.slow  # through LibreOffice
def test_docx_contact_details_are_never_broken_inside_and_large_print_has_cards(built,
                                                                              tmp_path):
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(built[("docx", "standard")])], capture_output=True, timeout=300,
                   check=True)
    pdf = tmp_path / built[("docx", "standard")].with_suffix(".pdf").name
    laid_out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout.replace("\u00a0", " ")
    for whole in ("https://www.northtown.nhs.uk/endoscopy", "endoscopy.northtown@nhs.net",
                  "0113 243 3144 extension 3344", "18001 0114 271 1900"):
        assert any(whole in line for line in laid_out.splitlines()), whole
    # large print: each contact a block of paragraphs, no table to squeeze them into
    document = docx_xml(built[("docx", "large-print")])
    tables = "".join(re.findall(r"<w:tbl>.*?</w:tbl>", document, flags=re.S))
    assert "Endoscopy Unit" not in tables
    paragraphs = [text for _style, text in docx_paragraphs(built[("docx", "large-print")])]
    start = paragraphs.index("Endoscopy Unit")
    assert paragraphs[start + 1:start + 4] == [
        "Phone: 0113\u00a0243\u00a03144\u00a0extension\u00a03344",
        "Email: endoscopy.northtown@nhs.net", "Website: https://www.northtown.nhs.uk/endoscopy"]


# 12: headings stay with what follows them --------------------------------------------

HEADINGS = ["Before your test", "Your bowel preparation schedule", "What to bring",
            "Your record", "If you feel unwell"]


@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_no_heading_is_left_at_the_foot_of_a_page(built, edition):
    for page in extract_pages(str(built[("pdf", edition)])):
        lines = sorted(((line.y0, line.get_text().strip()) for element in page
                        if isinstance(element, LTTextContainer) for line in element
                        if isinstance(line, LTTextLine) and line.get_text().strip()),
                       reverse=True)
        # the last line of the body, above the page footer (code, page number)
        body = [text for _y, text in lines if not text.startswith(("Page ", "Leaflet code",
                                                                    "Review date"))]
        assert body and body[-1] not in HEADINGS, body[-3:]
    # DOCX: every heading style keeps with the next paragraph
    with zipfile.ZipFile(built[("docx", edition)]) as docx:
        styles = docx.read("word/styles.xml").decode()
    for level in (1, 2, 3):
        style = re.search(rf'<w:style [^>]*w:styleId="Heading{level}".*?</w:style>', styles,
                          flags=re.S).group()
        assert "<w:keepNext/>" in style


# 11: tables on a phone ---------------------------------------------------------------

def test_on_a_phone_tables_stack_and_no_word_is_broken(built, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(built[("html", "standard")].as_uri())
        cell = page.locator("th", has_text="Paracetamol")
        assert cell.evaluate("e => getComputedStyle(e).display") == "block"
        # one line: the word is whole, and its row's header is said before the value
        height = cell.evaluate("e => e.getBoundingClientRect().height")
        line = cell.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        assert height < 1.6 * line
        dose = page.locator("td", has_text="8 tablets")
        assert dose.evaluate("e => getComputedStyle(e, '::before').content") == '"Dose: "'
        page.set_viewport_size({"width": 700, "height": 800})
        assert cell.evaluate("e => getComputedStyle(e).display") == "table-cell"
        for element in page.locator("td, th").all():
            assert element.evaluate("e => e.scrollWidth <= e.clientWidth")
    finally:
        context.close()


def test_a_dose_and_its_unit_never_part(built):
    page = built[("html", "standard")].read_text(encoding="utf-8")
    assert "8\u00a0tablets (4\u00a0g) of senna with 250\u00a0ml" in re.sub(r"<[^>]+>", "", page)
    assert "(4\u00a0g)" in docx_xml(built[("docx", "large-print")])
    assert "(4\u00a0g)" in re.sub(r"<[^>]+>", "", epub_xhtml(built[("epub", "standard")]))
    for edition in ("standard", "large-print"):
        lines = pdf_text(built[("pdf", edition)]).replace("\u00a0", " ").splitlines()
        assert not any(line.rstrip().endswith(("(4", " 8", "250")) for line in lines)
