"""The EPUB writer: EPUBCheck-clean, EPUB Accessibility 1.1 metadata, navigation, languages, easy read, RTL."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import formats
from formats import epub
from formats.options import Assets, WriterOptions
from leaflet import source
from leaflet.build.artifact import source_date
from leaflet.errors import LeafletError
from leaflet.model import Figure, Paragraph, Phone, plain_text, walk

from conftest import REPO, SAMPLE_SLUG, declared_arabic, epubcheck, run_leaflet

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SAMPLE_SOURCE = REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"

EASY_READ = """---
title: Secondary breast cancer
language: en-GB
---

# About this leaflet

::: row
![A doctor](pictogram:doctor)

Your doctor will talk to you.
:::

::: row
![A phone](pictogram:phone)

Phone us on 0191 445 2180.
:::
"""


# Building and checking, once per module ------------------------------------------

@pytest.fixture(scope="module")
def easy_read(sample_library, tmp_path_factory) -> Path:
    """An easy read EPUB from a small easy-read.md with pictogram rows."""
    target = tmp_path_factory.mktemp("easy") / "library"
    shutil.copytree(sample_library, target)
    (target / "leaflet_src" / SAMPLE_SLUG / "easy-read.md").write_text(EASY_READ, encoding="utf-8")
    out = target / "out"
    run_leaflet("build", "-f", "epub", "-e", "easy-read", "-l", "en-GB", "-o", str(out),
                cwd=target, check=True)
    return out / SAMPLE_SLUG / "en-GB" / f"{SAMPLE_SLUG}.en-GB.easy-read.epub"


@pytest.fixture(scope="module")
def arabic(sample_library, tmp_path_factory) -> Path:
    """The sample leaflet declared as Arabic: a right-to-left EPUB."""
    return declared_arabic(sample_library, tmp_path_factory.mktemp("rtl") / "library", "epub")


@pytest.fixture(scope="module")
def checked(built, easy_read, arabic) -> dict[Path, list[str]]:
    """EPUBCheck's complaints for every EPUB the tests make, in one run."""
    paths = [built.out / e["path"] for e in built.artifacts if e["format"] == "epub"]
    paths += [easy_read, arabic]
    return epubcheck(paths)


class Book:
    """An EPUB opened for reading: its files, its package document, its content."""

    def __init__(self, path: Path | bytes):
        self.zip = zipfile.ZipFile(path if isinstance(path, Path) else io.BytesIO(path))
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.base = self.opf_path.rsplit("/", 1)[0] + "/" if "/" in self.opf_path else ""
        self.opf = etree.fromstring(self.zip.read(self.opf_path))

    def xml(self, href: str) -> etree._Element:
        return etree.fromstring(self.zip.read(self.base + href.split("#")[0]))

    def items(self, media_type: str | None = None) -> list[etree._Element]:
        return [i for i in self.opf.findall("opf:manifest/opf:item", NS)
                if media_type is None or i.get("media-type") == media_type]

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.findall(f"opf:metadata/opf:meta[@property='{prop}']", NS)]

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.findall(f"opf:metadata/dc:{name}", NS)]

    def nav(self) -> etree._Element:
        (item,) = [i for i in self.items() if "nav" in (i.get("properties") or "").split()]
        return self.xml(item.get("href"))

    def content(self) -> etree._Element:
        spine = self.opf.find("opf:spine/opf:itemref", NS).get("idref")
        (item,) = [i for i in self.items() if i.get("id") == spine]
        return self.xml(item.get("href"))


def words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def sample_options(**changes) -> WriterOptions:
    assets = Assets(folder=str(SAMPLE_SOURCE.parent), pictograms=str(source.PICTOGRAMS))
    return dataclasses.replace(WriterOptions(assets=assets), **changes)


# The standard EPUB -----------------------------------------------------------------

def test_epub_is_registered_and_built_for_the_sample(built):
    assert "epub" in formats.FORMATS
    path = built.find("epub")
    assert path.relative_to(built.out).as_posix() == \
        f"{SAMPLE_SLUG}/en-GB/{SAMPLE_SLUG}.en-GB.epub"


def test_every_epub_passes_epubcheck_without_errors_or_warnings(checked):
    report = {str(path): messages for path, messages in checked.items() if messages}
    assert report == {}
    assert len(checked) >= 3


def test_package_metadata_and_accessibility(built):
    book = Book(built.find("epub"))
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    assert book.opf.get(XML_LANG) == "en-GB"
    assert book.dc("title") == ["Secondary breast cancer"]
    assert book.dc("language") == ["en-GB"]
    assert book.dc("publisher") == ["Gateshead Health NHS Foundation Trust"]
    (identifier,) = book.dc("identifier")
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier)
    expected = source_date(leaflet).astimezone(dt.timezone.utc)
    assert book.meta("dcterms:modified") == [expected.strftime("%Y-%m-%dT%H:%M:%SZ")]

    # pictures (the theme's logo, figures) make the book visual too, each with its alt text
    images = list(book.content().iterfind(".//x:img", NS))
    assert all(img.get("alt") is not None for img in images)
    features = book.meta("schema:accessibilityFeature")
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(features)
    if images:
        assert book.meta("schema:accessMode") == ["textual", "visual"]
        assert "alternativeText" in features
    else:
        assert book.meta("schema:accessMode") == ["textual"]
        assert "alternativeText" not in features
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    assert book.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert len(summary.split()) > 10
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]


def test_nav_has_one_entry_per_heading_in_order(built):
    book = Book(built.find("epub"))
    content = book.content()
    headings = [(words(h), int(h.tag[-1]), h.get("id"))
                for h in content.iter(*(f"{{{NS['x']}}}h{n}" for n in (2, 3, 4)))]
    assert len(headings) > 10
    toc = book.nav().find(".//x:nav[@epub:type='toc']", NS)
    links = [(words(a), len(a.xpath("ancestor::x:ol", namespaces=NS)) + 1, a.get("href"))
             for a in toc.iterfind(".//x:a", NS)]
    assert [(text, level) for text, level, _ in links] == \
        [(text, level) for text, level, _ in headings]
    content_href = book.opf.find("opf:manifest/opf:item[@id='content']", NS).get("href")
    assert [href for *_, href in links] == [f"{content_href}#{id_}" for *_, id_ in headings]
    assert "This leaflet is also available in other languages and formats" in \
        [text for text, *_ in links]


def test_the_themes_logo_is_packaged_with_its_alt_text(built):
    book = Book(built.find("epub"))
    logo = book.content().find(".//x:header/x:img[@class='logo']", NS)
    assert logo is not None and logo.get("alt") == "Sample hospital logo"
    (item,) = [i for i in book.items() if i.get("href") == logo.get("src")]
    assert item.get("media-type") == "image/svg+xml"


def test_landmarks_point_at_the_contents_and_the_start(built):
    book = Book(built.find("epub"))
    nav = book.nav()
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    kinds = {a.get(f"{{{NS['epub']}}}type"): a.get("href") for a in landmarks.iterfind(".//x:a", NS)}
    assert set(kinds) == {"toc", "bodymatter"}
    assert nav.find(".//x:nav[@id='toc']", NS) is not None and kinds["toc"] == "#toc"


def test_every_content_document_declares_its_language(built, arabic):
    for path, lang in ((built.find("epub"), "en-GB"), (arabic, "ar")):
        book = Book(path)
        documents = book.items("application/xhtml+xml")
        assert len(documents) == 2
        for item in documents:
            root = book.xml(item.get("href"))
            assert root.get("lang") == root.get(XML_LANG) == lang, item.get("href")


def test_content_has_the_leaflets_text_panel_and_dialable_numbers(built):
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    content = Book(built.find("epub")).content()
    text = words(content)
    for block in walk(leaflet.blocks):
        if isinstance(block, Paragraph):
            assert " ".join(plain_text(block.children).split()) in text
    panel = content.find(".//x:section[@class='also-available']", NS)
    assert panel is not None and "also available" in words(panel)
    assert "Ask your breast care nurse, or phone 0191 445 2180." in text
    tel = {a.get("href"): words(a) for a in content.iterfind(".//x:a", NS)
           if a.get("href", "").startswith("tel:")}
    numbers = {b.display for b in _phones(leaflet)}
    assert numbers <= set(tel.values())
    assert "tel:+44-808-808-0000" in tel


def _phones(leaflet):
    from leaflet.model import Contacts
    for block in walk(leaflet.blocks):
        if isinstance(block, Contacts):
            for contact in block.contacts:
                yield from contact.phones
        elif isinstance(block, Paragraph):
            yield from (n for n in block.children if isinstance(n, Phone))


def test_email_becomes_a_mailto_link(tmp_path):
    text = SAMPLE_SOURCE.read_text(encoding="utf-8") + (
        "\n::: contacts\n- name: Breast care nurses\n  email: breast.care@example.nhs.uk\n:::\n")
    leaflet = source.parse_text(text, "leaflet.md", SAMPLE_SOURCE.parent, SAMPLE_SLUG)
    content = Book(epub.write(leaflet, sample_options()).data).content()
    links = [a.get("href") for a in content.iterfind(".//x:a", NS)]
    assert "mailto:breast.care@example.nhs.uk" in links


def test_stylesheet_uses_relative_units_and_colours_in_readable_pairs():
    css = epub.CSS_FILE.read_text(encoding="utf-8")
    bare = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert not re.search(r"\d(px|pt|pc|cm|mm|in|q)\b", bare, re.I)
    pairs = 0
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", bare):
        declarations = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+)", body))
        colour, background = declarations.get("color"), declarations.get("background-color")
        # one without the other breaks a reader's night theme
        assert (colour is None) == (background is None), selector
        if colour:
            assert contrast(colour.strip(), background.strip()) >= 4.5, selector
            pairs += 1
    assert pairs >= 1
    assert ':lang(ar) { font-family: "Noto Naskh Arabic", sans-serif' in bare


def contrast(foreground: str, background: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# Reproducible -----------------------------------------------------------------------

def test_two_writes_give_the_same_bytes_and_a_well_formed_zip():
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    options = sample_options(source_date=dt.datetime(2025, 1, 6, tzinfo=dt.timezone.utc))
    first, second = epub.write(leaflet, options).data, epub.write(leaflet, options).data
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
        assert {info.date_time for info in infos} == {(2025, 1, 6, 0, 0, 0)}


def test_identifier_is_stable_per_edition_and_version():
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    same = epub.identifier(source.parse_file(SAMPLE_SOURCE, REPO))
    assert epub.identifier(leaflet) == same
    assert epub.identifier(dataclasses.replace(leaflet, edition="easy-read")) != same
    newer = dataclasses.replace(leaflet, meta=dataclasses.replace(leaflet.meta, version="2"))
    assert epub.identifier(newer) != same
    assert Book(epub.write(leaflet, sample_options()).data).dc("identifier") == [same]


def test_draft_banner_comes_first():
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    content = Book(epub.write(leaflet, sample_options(draft=True)).data).content()
    body = content.find("x:body", NS)
    first = body[0]
    assert first.get("class") == "draft-banner"
    assert "DRAFT" in words(first)


def test_a_draft_translation_claims_no_certification():
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    checked_book = Book(epub.write(leaflet, sample_options()).data)
    assert checked_book.meta("a11y:certifiedBy") == [leaflet.meta.organisation]
    draft_book = Book(epub.write(leaflet, sample_options(draft=True)).data)
    assert draft_book.meta("a11y:certifiedBy") == []
    assert draft_book.meta("dcterms:conformsTo")  # what it aims at is still said


def test_the_easy_read_title_names_its_edition(easy_read, built):
    assert Book(easy_read).dc("title") == ["Secondary breast cancer (Easy read)"]
    assert Book(built.find("epub")).dc("title") == ["Secondary breast cancer"]


def test_accessibility_summary_is_in_the_books_language_or_marked_english():
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    arabic = dataclasses.replace(leaflet, meta=dataclasses.replace(leaflet.meta, language="ar",
                                                                  direction="rtl"))
    words = {epub.ACCESSIBILITY_SUMMARY: "ملخص إمكانية الوصول."}
    summary = Book(epub.write(arabic, sample_options(words=words)).data).opf.find(
        "opf:metadata/opf:meta[@property='schema:accessibilitySummary']", NS)
    assert summary.text == "ملخص إمكانية الوصول." and summary.get(XML_LANG) is None
    untranslated = Book(epub.write(arabic, sample_options()).data).opf.find(
        "opf:metadata/opf:meta[@property='schema:accessibilitySummary']", NS)
    assert untranslated.text == epub.ACCESSIBILITY_SUMMARY
    assert untranslated.get(XML_LANG) == "en"


def test_a_picture_type_epub_cannot_carry_is_an_error_at_its_line(tmp_path):
    (tmp_path / "scan.bmp").write_bytes(b"BM")
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    figure = Figure(src="scan.bmp", alt="A scanner", path="leaflet.md", line=7)
    leaflet = dataclasses.replace(leaflet, blocks=(*leaflet.blocks, figure))
    options = sample_options(assets=Assets(folder=str(tmp_path)))
    with pytest.raises(LeafletError) as caught:
        epub.write(leaflet, options)
    assert (caught.value.path, caught.value.line) == ("leaflet.md", 7)
    assert "scan.bmp" in str(caught.value)


# Easy read and right to left ----------------------------------------------------------

def test_easy_read_has_svg_pictograms_before_their_text(easy_read):
    book = Book(easy_read)
    svgs = book.items("image/svg+xml")
    assert {"images/pictogram-doctor.svg", "images/pictogram-phone.svg"} <= \
        {i.get("href") for i in svgs}
    for item in svgs:
        assert book.xml(item.get("href")).tag == "{http://www.w3.org/2000/svg}svg"
    content = book.content()
    rows = content.findall(".//x:div[@class='row']", NS)
    assert len(rows) == 2
    picture, text = rows[0]
    assert picture.find("x:img", NS).get("alt") == "A doctor"
    assert words(text) == "Your doctor will talk to you."
    assert all(img.get("alt") for img in content.iterfind(".//x:img", NS))
    assert "visual" in book.meta("schema:accessMode")
    assert "alternativeText" in book.meta("schema:accessibilityFeature")
    css = book.zip.read(book.base + "style.css").decode()
    assert re.search(r"\.row-picture \{[^}]*float: left", css)


def test_right_to_left_epub(arabic):
    book = Book(arabic)
    assert book.opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert book.opf.get(XML_LANG) == "ar"
    content = book.content()
    assert content.get("dir") == "rtl"
    assert content.find("x:body", NS).get("dir") == "rtl"
    assert book.nav().get("dir") == "rtl"
    assert book.dc("title") == ["سرطان الثدي الثانوي"]
    # phone numbers keep their left-to-right order inside Arabic text
    assert all(a.get("dir") == "ltr" for a in content.iterfind(".//x:a", NS)
               if a.get("href", "").startswith("tel:"))
