"""The web edition and the library index, read as HTML (no browser): structure, links, safety, serve."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest

import formats
from formats import index, web
from formats.options import Assets, WriterOptions
from leaflet.theme import Theme
from leaflet import build, langs, source
from leaflet.build import index as library_index
from leaflet.errors import LeafletError

from conftest import REPO, SAMPLE_SLUG

SAMPLE_SOURCE = REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
EASY_SOURCE = REPO / "leaflet_src" / SAMPLE_SLUG / "easy-read.md"


def sample_options(**changes) -> WriterOptions:
    assets = Assets(folder=str(SAMPLE_SOURCE.parent), pictograms=str(source.PICTOGRAMS))
    return dataclasses.replace(WriterOptions(assets=assets), **changes)


def parse(data: bytes | str | Path) -> lxml.html.HtmlElement:
    if isinstance(data, Path):
        data = data.read_bytes()
    return lxml.html.document_fromstring(data)


def words(element) -> str:
    return " ".join(element.text_content().split())


def html_entries(built) -> list[dict]:
    return [e for e in built.artifacts if e["format"] == "html"]


# The web page ------------------------------------------------------------------------

def test_html_is_registered_and_built_for_every_language_and_edition(built):
    assert "html" in formats.FORMATS
    assert formats.get("html").load() is web.write
    languages = {e["lang"] for e in built.artifacts}
    pages = {(e["lang"], e["edition"]) for e in html_entries(built)}
    assert {lang for lang, edition in pages if edition == "standard"} == languages
    # Wherever an easy read edition was built in another format, it has a web page too.
    easy = {e["lang"] for e in built.artifacts if e["edition"] == "easy-read"}
    assert {lang for lang, edition in pages if edition == "easy-read"} == easy
    page = built.find("html")
    assert page.relative_to(built.out).as_posix() == \
        f"{SAMPLE_SLUG}/en-GB/{SAMPLE_SLUG}.en-GB.html"


def test_page_declares_its_language_direction_and_viewport(built):
    for entry in html_entries(built):
        doc = parse(built.out / entry["path"])
        assert doc.get("lang") == entry["lang"]
        assert doc.get("dir") == langs.direction(entry["lang"])
        assert doc.xpath("//meta[@name='viewport']/@content") == \
            ["width=device-width, initial-scale=1"]
        assert len(doc.xpath("//h1")) == 1
        assert entry["title"] in doc.findtext(".//title")


def test_skip_link_comes_first_and_points_at_the_main_text(built):
    doc = parse(built.find("html"))
    first = doc.body[0]
    assert first.tag == "a" and first.get("class") == "skip-link"
    assert first.get("href") == "#content"
    target = doc.get_element_by_id("content")
    assert target.tag == "main"
    assert words(first)


def test_page_is_self_contained_and_has_no_script(built):
    for entry in html_entries(built):
        doc = parse(built.out / entry["path"])
        assert doc.xpath("//script") == []
        assert doc.xpath("//link[@rel='stylesheet']") == []
        assert all(src.startswith("data:") for src in doc.xpath("//@src"))
        csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
        assert "default-src 'none'" in csp and "script-src" not in csp


def test_dialable_numbers_and_mailto_links(built, tmp_path):
    doc = parse(built.find("html"))
    tel = doc.xpath("//a[starts-with(@href, 'tel:')]")
    assert tel and all(re.fullmatch(r"tel:\+[0-9-]+", a.get("href")) for a in tel)
    assert any(words(a) == "0191 445 2180" for a in tel)
    text = SAMPLE_SOURCE.read_text(encoding="utf-8") + (
        "\n::: contacts\n- name: Breast care nurses\n  email: breast.care@example.nhs.uk\n:::\n")
    leaflet = source.parse_text(text, "leaflet.md", SAMPLE_SOURCE.parent, SAMPLE_SLUG)
    doc = parse(web.write(leaflet, sample_options()).data)
    assert doc.xpath("//a[@href='mailto:breast.care@example.nhs.uk']")


def test_stylesheet_has_screen_print_reflow_and_script_fonts(built):
    css = "\n".join(parse(built.find("html")).xpath("//style/text()"))
    assert "@media print" in css
    assert ":lang(ar) { font-family: \"Noto Naskh Arabic\", sans-serif; }" in css
    assert ":lang(ur) { font-family: \"Noto Nastaliq Urdu\", sans-serif;" in css
    assert ":lang(bn) { font-family: \"Noto Sans Bengali\", sans-serif; }" in css
    assert re.search(r"\.page \{[^}]*max-width: 40em", css)
    # The theme's checked colours reach the page.
    theme_colours = dict(Theme().colours)
    assert f"--text: {theme_colours['text']};" in css
    # No fixed widths that would force sideways scrolling.
    bare = re.sub(r"/\*.*?\*/", "", web.CSS_FILE.read_text(encoding="utf-8"), flags=re.S)
    screen = bare.split("@media print")[0]
    # (a header row kept for screen readers but clipped out of sight takes no room)
    shown = [rule for rule in re.findall(r"[^{}]*\{[^{}]*\}", screen)
             if "clip: rect(0 0 0 0)" not in rule]
    assert shown and not any(re.search(r"width:\s*\d+(\.\d+)?(px|pt|cm|mm|in)", rule)
                             for rule in shown)


def test_easy_read_page_has_picture_rows_inlined(built):
    doc = parse(built.find("html", "easy-read"))
    assert "edition-easy-read" in doc.body.get("class")
    rows = doc.xpath("//div[@class='row']")
    assert rows
    for row in rows:
        picture, text = row.xpath("./figure[@class='row-picture']"), row.xpath("./div[@class='row-text']")
        assert text and words(text[0])
        if picture:
            image = picture[0].find("img")
            assert image.get("src").startswith("data:image/svg+xml;base64,")
            assert image.get("alt")
            assert row.index(picture[0]) < row.index(text[0])


def test_pictures_are_the_files_bytes_as_data_uris(tmp_path):
    folder = tmp_path / SAMPLE_SLUG
    (folder / "images").mkdir(parents=True)
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
                           "YAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
    (folder / "images" / "dot.png").write_bytes(png)
    text = SAMPLE_SOURCE.read_text(encoding="utf-8") + "\n![A dot](images/dot.png)\n"
    leaflet = source.parse_text(text, "leaflet.md", folder, SAMPLE_SLUG)
    options = dataclasses.replace(sample_options(), assets=Assets(folder=str(folder)))
    doc = parse(web.write(leaflet, options).data)
    [image] = doc.xpath("//figure[@class='figure']/img")
    assert image.get("src") == "data:image/png;base64," + base64.b64encode(png).decode()
    assert image.get("alt") == "A dot"


def test_draft_banner_only_where_not_signed_off(built):
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    draft = parse(web.write(leaflet, sample_options(draft=True)).data)
    banner = draft.xpath("//div[@class='page']/*[1]")[0]
    assert banner.get("class") == "draft-banner" and "DRAFT" in words(banner)
    assert not parse(web.write(leaflet, sample_options()).data).xpath("//*[@class='draft-banner']")
    for entry in html_entries(built):
        has_banner = bool(parse(built.out / entry["path"]).xpath("//*[@class='draft-banner']"))
        assert has_banner == entry["draft"], entry["path"]


def test_right_to_left_page(built, tmp_path):
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    arabic = dataclasses.replace(leaflet, meta=dataclasses.replace(
        leaflet.meta, language="ar", direction="rtl", title="سرطان الثدي الثانوي"))
    doc = parse(web.write(arabic, sample_options()).data)
    assert (doc.get("lang"), doc.get("dir")) == ("ar", "rtl")
    # Phone numbers keep their digits in order inside right-to-left text.
    assert all(a.get("dir") == "ltr" for a in doc.xpath("//a[starts-with(@href, 'tel:')]"))


def test_source_text_and_template_words_are_escaped():
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    hostile = dataclasses.replace(leaflet, meta=dataclasses.replace(
        leaflet.meta, title="<script>alert(1)</script>", organisation="A & B <i>"))
    words_ = {web.SKIP_LINK: "<img src=x onerror=alert(2)>"}
    page = web.write(hostile, sample_options(words=words_)).data.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_theme_css_that_would_fetch_is_refused(tmp_path):
    (tmp_path / "theme.css").write_text("body { color: #000 }\nh1 { background: url(x.png) }\n")
    theme = Theme(css=("theme.css",), folder=str(tmp_path))
    options = sample_options(theme=theme, assets=Assets(folder=str(SAMPLE_SOURCE.parent),
                                                        extra=(str(tmp_path),)))
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    with pytest.raises(LeafletError) as caught:
        web.write(leaflet, options)
    assert str(caught.value).startswith("theme/theme.css:2: 'url(' cannot be used")
    (tmp_path / "theme.css").write_text("h1 { letter-spacing: 0.01em }\n")
    assert b"letter-spacing: 0.01em" in web.write(leaflet, options).data


# The library index ---------------------------------------------------------------------

def index_links(doc) -> list[str]:
    return doc.xpath("//main//a/@href")


def test_build_writes_the_index_listing_every_artifact(built):
    doc = parse(built.out / "index.html")
    links = index_links(doc)
    assert set(links) == {e["path"] for e in built.artifacts}
    # Every artifact has one link: one clear action per file, no second "Print" to the PDF.
    for entry in built.artifacts:
        assert links.count(entry["path"]) == 1, entry["path"]


def test_every_index_link_resolves_inside_the_build(built):
    doc = parse(built.out / "index.html")
    for link in doc.xpath("//@href"):
        if link.startswith("#"):
            assert doc.xpath(f"//*[@id='{link[1:]}']"), link
            continue
        assert "://" not in link and not link.startswith("/"), link
        target = (built.out / unquote(link)).resolve()
        assert target.is_relative_to(built.out.resolve()) and target.is_file(), link


def test_index_shows_title_code_version_review_and_sizes(built):
    doc = parse(built.out / "index.html")
    meta = source.parse_file(SAMPLE_SOURCE, REPO).meta
    [article] = doc.xpath(f"//article[@id='leaflet-{SAMPLE_SLUG}']")
    assert words(article.find(".//h2")) == meta.title
    facts = words(article.xpath(".//ul[@class='facts']")[0])
    assert f"Code: {meta.code}" in facts and f"Version: {meta.version}" in facts
    assert f"Review date: {meta.review.day} {meta.review:%B %Y}" in facts
    for entry in built.artifacts:
        [link] = article.xpath(f".//ul[@class='files']/li/a[@href='{entry['path']}']")
        size = words(link.getparent().xpath("./span[@class='size']")[0])
        assert re.fullmatch(r"[0-9.,]+ (KB|MB)", size), size


def test_index_names_each_language_in_its_own_script_and_marks_drafts(built):
    doc = parse(built.out / "index.html")
    by_lang: dict[str, list[dict]] = {}
    for entry in built.artifacts:
        by_lang.setdefault(entry["lang"], []).append(entry)
    sections = doc.xpath("//section[contains(@class, 'language')]")
    assert len(sections) == len(by_lang)
    for section in sections:
        name = section.xpath("./h3/span[@lang]")[0]
        lang = name.get("lang")
        assert words(name) == langs.native_name(lang)
        assert name.get("dir") == langs.direction(lang)
        draft = all(e["draft"] for e in by_lang[lang])
        assert bool(section.xpath("./p[@class='draft']")) == draft, lang
        if draft:
            assert "not yet checked" in words(section)


def test_each_edition_has_one_link_per_file_and_no_second_print_button(built):
    doc = parse(built.out / "index.html")
    assert not doc.xpath("//a[@class='print-link']") and "Print" not in words(doc.find("body"))
    for edition in doc.xpath("//li[@class='edition']"):
        hrefs = edition.xpath(".//a/@href")
        assert len(hrefs) == len(set(hrefs)) and hrefs
    pdfs = sorted(e["path"] for e in built.artifacts if e["format"] == "pdf")
    assert sorted(doc.xpath("//a[@data-format='pdf']/@href")) == pdfs


def test_index_script_is_the_only_one_and_its_hash_is_allowed(built):
    doc = parse(built.out / "index.html")
    [script] = doc.xpath("//script")
    assert script.get("src") is None
    digest = base64.b64encode(hashlib.sha256(script.text.encode()).digest()).decode()
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert doc.xpath("//form[@class='filter']")[0].get("hidden") is not None
    assert not doc.xpath("//link") and not doc.xpath("//img[not(starts-with(@src, 'data:'))]")


ENTRIES = [
    {"leaflet": "ct-scan", "lang": "en-GB", "format": "pdf", "edition": "standard",
     "size_pt": 12.0, "path": "ct-scan/en-GB/ct-scan.en-GB.pdf", "bytes": 150_000,
     "title": "CT scan", "review": "2024-02-01", "draft": False},
    {"leaflet": "ct-scan", "lang": "pl", "format": "html", "edition": "standard",
     "size_pt": 12.0, "path": "ct-scan/pl/ct-scan.pl.html", "bytes": 3_500_000,
     "title": "Tomografia", "review": "2024-02-01", "draft": True},
    {"leaflet": "ct-scan", "lang": "en-GB", "format": "pdf", "edition": "large-print",
     "size_pt": 24.0, "path": "ct-scan/en-GB/ct-scan.en-GB.large-print.24pt.pdf",
     "bytes": 200_000, "title": "CT scan", "review": "2024-02-01", "draft": False},
]


def test_index_from_the_manifest_alone(tmp_path):
    path = library_index.write_index(tmp_path, ENTRIES, today=dt.date(2025, 1, 1))
    assert path == tmp_path / "index.html"
    doc = parse(path)
    assert words(doc.xpath("//article//h2")[0]) == "CT scan"
    facts = words(doc.xpath("//ul[@class='facts']")[0])
    assert "Review date: 1 February 2024" in facts and "Review overdue" in facts
    assert "Code" not in facts  # the manifest has no code; nothing is made up
    sizes = [words(s) for s in doc.xpath("//span[@class='size']")]
    assert sorted(sizes) == ["146 KB", "195 KB", "3.3 MB"]
    assert "Large print, 24 pt" in words(doc)
    polish = doc.xpath("//section[.//span[@lang='pl']]")[0]
    assert "Polski (Polish)" in words(polish) and polish.xpath("./p[@class='draft']")
    assert "Tomografia" in words(polish)
    not_overdue = parse(index.render_library(ENTRIES, today=dt.date(2024, 1, 1))
                        [index.INDEX_PAGE])
    assert "Review overdue" not in words(not_overdue)


def test_index_words_come_from_the_ui_catalog(tmp_path):
    words_ = {"Patient leaflets": "Ulotki dla pacjentów", "PDF": "Plik PDF",
              "Leaflets shown: {shown} of {total}": "Pokazano: {shown} z {total}"}
    doc = parse(index.render_library(ENTRIES, "pl", words_)[index.INDEX_PAGE])
    assert (doc.get("lang"), doc.get("dir")) == ("pl", "ltr")
    assert doc.findtext(".//title") == "Ulotki dla pacjentów"
    assert [words(a) for a in doc.xpath("//a[@data-format='pdf']")] == ["Plik PDF"] * 2
    status = doc.get_element_by_id("filter-status")
    assert status.get("data-template") == "Pokazano: {shown} z {total}"
    assert words(status) == "Pokazano: 1 z 1"
    # Languages are named for a Polish reader as well as in their own script.
    assert "English (angielski)" in words(doc)
    assert parse(index.render_library(ENTRIES, "ar")[index.INDEX_PAGE]).get("dir") == "rtl"
    with pytest.raises(LeafletError, match="unknown language 'xx'"):
        index.render_library(ENTRIES, "xx")


def test_index_escapes_what_the_manifest_says(tmp_path):
    hostile = [dict(ENTRIES[0], title="<script>alert(1)</script>",
                    path="ct-scan/en-GB/\"><script>alert(2)</script>.pdf")]
    page = index.render_library(hostile, words={"PDF": "<b>PDF</b>"})[index.INDEX_PAGE]
    assert page.count("<script") == 1  # only the filter's own
    assert "<b>PDF" not in page
    doc = parse(page)
    assert all(not h.startswith(("/", "javascript:")) and "://" not in h
               for h in doc.xpath("//@href"))
    climbing = [dict(ENTRIES[0], path="../../etc/passwd")]
    climbed = parse(index.render_library(climbing)[index.INDEX_PAGE])
    assert climbed.xpath("//a[@data-format='pdf']/@href") == ["etc/passwd"]


def test_index_stylesheet_is_the_css_file_unescaped(tmp_path):
    page = index.render_library(ENTRIES)[index.INDEX_PAGE]
    [style] = parse(page).xpath("//style")
    css = (Path(index.__file__).parent / "templates" / "index.css").read_text(encoding="utf-8")
    assert style.text.strip() == css.strip()
    assert 'font-family: "Noto Sans", "DejaVu Sans", sans-serif;' in page
    assert "&#34;" not in style.text and "&quot;" not in style.text


def test_index_stylesheet_cannot_end_its_style_element():
    css = 'a::after { content: "</style><script>alert(1)</script>"; }\n/* </STYLE > */'
    text = str(index.style_text(css))
    assert "</style" not in text.lower()
    assert text == 'a::after { content: "<\\/style><script>alert(1)</script>"; }\n/* <\\/STYLE > */'
    doc = parse(f"<html><head><style>{text}</style></head><body><p>x</p></body></html>")
    assert doc.xpath("//style")[0].text == text and not doc.xpath("//script")


def test_index_text_in_every_script_is_upright(tmp_path, browser):
    # Arabic and Bengali have no italic: a slanted imitation is hard to read.
    entries = ENTRIES + [
        dict(ENTRIES[1], lang="ar", title="سرطان الثدي الثانوي", path="ct-scan/ar/ct-scan.ar.html"),
        dict(ENTRIES[1], lang="bn", title="সেকেন্ডারি স্তন ক্যান্সার",
             path="ct-scan/bn/ct-scan.bn.html"),
    ]
    page = library_index.write_index(tmp_path, entries, today=dt.date(2025, 1, 1))
    doc = parse(page)
    assert not doc.xpath("//main//i | //main//em | //main//cite | //main//var")
    tab = browser.new_page()
    try:
        tab.goto(page.as_uri())
        styles = tab.eval_on_selector_all(
            "main *", "els => els.map(e => [e.lang || '', e.textContent.trim().slice(0, 20),"
                      " getComputedStyle(e).fontStyle])")
    finally:
        tab.close()
    slanted = [s for s in styles if s[2] != "normal"]
    assert not slanted
    texts = {text for _lang, text, _style in styles}
    assert {"سرطان الثدي الثانوي", "সেকেন্ডারি স্তন ক্যা", "Tomografia"} <= texts


def test_index_of_an_empty_build_says_so(tmp_path):
    doc = parse(library_index.write_index(tmp_path, []))
    assert "No leaflets have been built yet." in words(doc)


def test_partial_build_keeps_the_whole_library_in_the_index(sample_library, tmp_path):
    out = tmp_path / "out"
    from conftest import run_leaflet
    run_leaflet("build", "-f", "text", "-l", "en-GB", "-o", str(out), cwd=sample_library,
                check=True)
    run_leaflet("build", "-f", "html", "-e", "standard", "-l", "en-GB", "-o", str(out),
                cwd=sample_library, check=True)
    links = set(index_links(parse(out / "index.html")))
    manifest = build.load_manifest(out)
    assert {e["format"] for e in manifest} == {"text", "html"}
    assert links == {e["path"] for e in manifest}


def billion_laughs(levels: int = 9, field: str = "code") -> str:
    """YAML whose last alias stands for 10 ** (levels - 1) copies of one string."""
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + f"\n{field}: *a{levels - 1}\n"


def test_index_details_refuse_yaml_aliases_quickly(tmp_path):
    import shutil
    import time

    from leaflet.library import Library

    root = tmp_path / "library"
    shutil.copytree(REPO / "leaflet_src", root / "leaflet_src")
    bomb = root / "leaflet_src" / "bomb"
    shutil.copytree(root / "leaflet_src" / SAMPLE_SLUG, bomb)
    text = (bomb / "leaflet.md").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^code: .*\n", lambda _m: billion_laughs(), text, count=1)
    (bomb / "leaflet.md").write_text(text, encoding="utf-8")
    started = time.monotonic()
    details = library_index.leaflet_details(Library(root))
    assert time.monotonic() - started < 5
    # The leaflet whose front matter cannot be read is left out; the others keep theirs.
    assert "bomb" not in details
    meta = source.parse_file(SAMPLE_SOURCE, REPO).meta
    assert details[SAMPLE_SLUG]["code"] == meta.code
    assert details[SAMPLE_SLUG]["version"] == meta.version
    assert details[SAMPLE_SLUG]["review"] == meta.review.isoformat()
    assert details[SAMPLE_SLUG]["language"] == meta.language


# leaflet serve ------------------------------------------------------------------------

def test_serve_answers_with_the_index_on_localhost(built):
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "-o", str(built.out), "--port", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        first_line: list[str] = []
        reader = threading.Thread(target=lambda: first_line.append(process.stdout.readline()))
        reader.start()
        reader.join(timeout=30)
        assert first_line, "leaflet serve printed nothing"
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", first_line[0])
        assert match, first_line[0]
        base = match.group(0)
        with urllib.request.urlopen(base, timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            page = response.read()
        assert page == (built.out / "index.html").read_bytes()
        entry = next(e for e in built.artifacts if e["format"] == "epub")
        with urllib.request.urlopen(base + entry["path"], timeout=10) as response:
            assert response.headers["Content-Type"] == "application/epub+zip"
            assert hashlib.sha256(response.read()).hexdigest() == entry["sha256"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def test_serve_without_a_build_says_what_to_do(tmp_path):
    from conftest import run_leaflet
    result = run_leaflet("serve", "-o", str(tmp_path / "nothing"))
    assert result.returncode == 1
    assert "run 'leaflet build' first" in result.stderr


@pytest.mark.parametrize("lang", ["en-GB", "ar"])
def test_printed_easy_read_page_is_at_least_16_pt_in_every_language(built, browser, lang):
    """Printed from Chromium, the easy read page keeps 16 pt: the Arabic step up
    (html:lang(ar) body) must not outrank the easy read rule on paper."""
    page = browser.new_page()
    try:
        page.goto(built.find("html", "easy-read", lang).as_uri())
        page.emulate_media(media="print")
        size_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        screen = page.evaluate("matchMedia('print').matches")
    finally:
        page.close()
    assert screen  # the print stylesheet is the one measured
    assert size_px * 72 / 96 >= 16 - 0.01


@pytest.mark.parametrize("lang", ["pl", "ar"])
def test_a_printed_web_page_carries_the_leaflet_code_and_page_numbers(built, browser, lang,
                                                                       tmp_path):
    """Printed from Chromium, every page ends as the PDF's do: the code and version at
    the start of the footer line, "Page 1 of N" (in the leaflet's language) at its end."""
    page = browser.new_page()
    try:
        page.goto(built.find("html", "standard", lang).as_uri())
        page.pdf(path=str(tmp_path / "printed.pdf"), prefer_css_page_size=True)
    finally:
        page.close()
    layout = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "printed.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout
    pages = layout.split("<page ")[1:]
    assert len(pages) > 1
    page_word = {"pl": "Strona", "ar": "ةحفصلا"}[lang]
    for number, text in enumerate(pages, start=1):
        width = float(re.search(r'width="([\d.]+)"', text).group(1))
        footer = [(float(x0), word) for x0, y0, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]+)<', text)
            if float(y0) > 770]
        words = [word for _x, word in footer]
        assert any("SAMPLE-ONC-001" in word for word in words), (number, words)
        assert str(len(pages)) in words and str(number) in words, (number, words)
        [x] = [x for x, word in footer if word == page_word]
        assert (x < width / 2) if lang == "ar" else (x > width / 2), (number, x)
