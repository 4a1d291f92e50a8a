"""Library settings (``leaflet.yaml``): with a ``site_url`` the index shows each web page's QR
code, each PDF carries its own web page's QR code, and the panel links the other languages.

QR codes are decoded with zxing-cpp from what a patient's phone would see: the index
as Chromium draws it, and the PDF page as pdftoppm renders it.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import zxingcpp
from lxml import html as lxml_html
from PIL import Image

from conftest import SAMPLE_SLUG, run_leaflet
from leaflet import settings
from leaflet.errors import LeafletError

SITE = "https://leaflets.example.nhs.uk/trust/"


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)
            if result.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.fixture(scope="module")
def site_build(sample_library, tmp_path_factory):
    """The sample with a site_url, built as PDF and web page in English and Polish."""
    root = tmp_path_factory.mktemp("site") / "library"
    shutil.copytree(sample_library, root)
    (root / "leaflet.yaml").write_text(f"# where build/ is published\nsite_url: {SITE}\n")
    out = root / "out"
    run_leaflet("build", "-f", "pdf", "-f", "html", "-e", "standard", "-l", "en-GB", "-l", "pl",
                "-o", str(out), cwd=root, check=True)
    return out


def pages(out):
    entries = json.loads((out / "manifest.json").read_text())["artifacts"]
    return {(e["lang"], e["format"]): e["path"] for e in entries}


def test_settings_report_every_problem_with_its_line(tmp_path):
    (tmp_path / "leaflet.yaml").write_text("# settings\nsite_url: ftp://example\ncolour: red\n")
    with pytest.raises(LeafletError) as caught:
        settings.load(tmp_path)
    problems = [(p.path, p.line, p.message) for p in caught.value.problems]
    assert sorted((path, line) for path, line, _ in problems) == \
        [("leaflet.yaml", 2), ("leaflet.yaml", 3)]
    messages = " ".join(m for _, _, m in problems)
    assert "unknown setting 'colour'" in messages and "is not a web address" in messages
    (tmp_path / "leaflet.yaml").write_text("site_url: https://example.org/leaflets\n")
    assert settings.load(tmp_path).site_url == "https://example.org/leaflets/"
    (tmp_path / "leaflet.yaml").unlink()
    assert settings.load(tmp_path).site_url == ""


def test_a_bad_settings_file_fails_the_build_with_its_line(sample_library, tmp_path):
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    (root / "leaflet.yaml").write_text("site_url: not an address\n")
    result = run_leaflet("build", "-f", "text", "-l", "en-GB", "-o", str(root / "out"), cwd=root)
    assert result.returncode == 1
    assert "leaflet.yaml:1: 'site_url: not an address' is not a web address" in \
        result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_index_shows_a_qr_code_of_each_web_page(site_build, browser):
    addresses = {lang: SITE + path for (lang, fmt), path in pages(site_build).items()
                 if fmt == "html"}
    tab = browser.new_page()
    try:
        tab.goto((site_build / "index.html").as_uri())
        codes = tab.locator("img.qr")
        assert codes.count() == 2
        for number in range(codes.count()):
            code = codes.nth(number)
            shot = site_build.parent / f"qr-{number}.png"
            code.screenshot(path=str(shot))
            image = Image.open(shot)
            # Enlarged with a white margin, as a phone sees it on the screen at the desk.
            framed = Image.new("RGB", (image.width + 80, image.height + 80), "white")
            framed.paste(image, (40, 40))
            [text] = decode(framed)
            lang = code.locator("xpath=ancestor::section[1]//h3/span[@lang]").get_attribute("lang")
            assert text == addresses[lang]
            assert text in code.get_attribute("alt")
    finally:
        tab.close()


@pytest.mark.slow  # a whole build or process: the full tier
def test_pdf_carries_the_qr_code_of_its_own_web_page(site_build, tmp_path):
    found = {}
    for lang in ("en-GB", "pl"):
        pdf = site_build / pages(site_build)[(lang, "pdf")]
        subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / lang)],
                       check=True)
        found[lang] = [text for png in sorted(tmp_path.glob(f"{lang}-*.png"))
                       for text in decode(Image.open(png))]
    for lang, texts in found.items():
        assert texts == [SITE + pages(site_build)[(lang, "html")]], lang
    text = subprocess.run(["pdftotext", str(site_build / pages(site_build)[("pl", "pdf")]), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert SITE + f"{SAMPLE_SLUG}/pl/" in text.replace("\n", "")


def test_panel_links_the_other_languages_web_pages(site_build):
    doc = lxml_html.fromstring((site_build / pages(site_build)[("en-GB", "html")]).read_bytes())
    links = doc.xpath("//section[@class='also-available']//a[@hreflang]")
    hrefs = {a.get("hreflang"): a.get("href") for a in links}
    assert hrefs["pl"] == SITE + pages(site_build)[("pl", "html")]
    assert "en-GB" not in hrefs  # the page itself is not linked


def test_without_site_url_nothing_changes(sample_library, tmp_path):
    out = tmp_path / "out"
    run_leaflet("build", "-f", "html", "-e", "standard", "-l", "en-GB", "-o", str(out),
                cwd=sample_library, check=True)
    index = lxml_html.fromstring((out / "index.html").read_bytes())
    assert not index.xpath("//img[@class='qr']")
    page = lxml_html.fromstring(next(out.glob(f"{SAMPLE_SLUG}/en-GB/*.html")).read_bytes())
    assert not page.xpath("//section[@class='also-available']//a[@hreflang]")
    assert not page.xpath("//link[@rel='canonical']")
