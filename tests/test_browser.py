"""The web pages and the library index in a real browser: headless Chromium driven by Playwright,
with axe-core injected for an accessibility audit.

One browser serves the whole session.  Chromium comes from Debian's ``chromium``
package and axe-core from npm; ``make test`` installs both, and without them
these tests fail and say so rather than skip.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from leaflet import serve
from leaflet.build import index
from leaflet import source

from conftest import AXE, REPO, SAMPLE_SLUG, declared_arabic

PHONE = {"width": 375, "height": 740}
# 400% zoom of a 1280 pixel wide window lays the page out in 320 CSS pixels.
ZOOM_400 = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


# The browser, once per session ---------------------------------------------------

@pytest.fixture
def open_page(browser):
    """Opens a URL in a fresh context; ``audit=True`` lets axe-core be injected past
    the page's Content-Security-Policy, which rightly forbids any other script."""
    contexts = []

    def opener(url: str, viewport: dict = DESKTOP, audit: bool = False, script: bool = True):
        context = browser.new_context(viewport=viewport, bypass_csp=audit,
                                      java_script_enabled=script)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def served(built):
    """The built sample on http://127.0.0.1:<free port>/, as ``leaflet serve`` serves it."""
    server = serve.server(built.out, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def arabic_page(built, sample_library, tmp_path_factory) -> Path:
    """The Arabic web page: the sample's own translation, or the sample declared Arabic
    when the library has no Arabic catalog."""
    if any(e["lang"] == "ar" and e["format"] == "html" for e in built.artifacts):
        return built.find("html", "standard", "ar")
    return declared_arabic(sample_library, tmp_path_factory.mktemp("arabic") / "library",
                           "html")


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const results = await axe.run(document, {resultTypes: ["violations"]});
        return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)}));
    }""")


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


# The library index ----------------------------------------------------------------

def test_index_lists_every_artifact_and_every_link_resolves_when_served(built, served,
                                                                        open_page):
    page = open_page(served)
    assert page.title() == "Patient leaflets"
    links = page.eval_on_selector_all("main a", "links => links.map(a => a.href)")
    assert {unquote(urlsplit(link).path.lstrip("/")) for link in links} == \
        {e["path"] for e in built.artifacts}
    by_path = {e["path"]: e for e in built.artifacts}
    for link in sorted(set(links)):
        response = page.request.get(link)
        assert response.status == 200, link
        entry = by_path[unquote(urlsplit(link).path.lstrip("/"))]
        assert hashlib.sha256(response.body()).hexdigest() == entry["sha256"], link


def test_index_links_resolve_opened_from_disk(built, open_page):
    page = open_page((built.out / "index.html").as_uri())
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert len(links) > len(built.artifacts)
    for link in links:
        parts = urlsplit(link)
        if parts.fragment and parts.path.endswith("/index.html"):
            assert page.locator(f"#{parts.fragment}").count() == 1, link
            continue
        assert parts.scheme == "file", link
        assert Path(unquote(parts.path)).is_file(), link


FILTER_ENTRIES = [
    {"leaflet": "ct-scan", "lang": "en-GB", "format": "pdf", "edition": "standard",
     "size_pt": 12.0, "path": "ct-scan/en-GB/ct-scan.en-GB.pdf", "bytes": 90_000,
     "title": "CT scan", "review": "2030-01-01", "draft": False},
    {"leaflet": "ct-scan", "lang": "pl", "format": "pdf", "edition": "standard",
     "size_pt": 12.0, "path": "ct-scan/pl/ct-scan.pl.pdf", "bytes": 95_000,
     "title": "Tomografia komputerowa", "review": "2030-01-01", "draft": True},
    {"leaflet": "secondary-breast-cancer", "lang": "en-GB", "format": "html",
     "edition": "standard", "size_pt": 12.0,
     "path": "secondary-breast-cancer/en-GB/secondary-breast-cancer.en-GB.html",
     "bytes": 20_000, "title": "Secondary breast cancer", "review": "2030-01-01",
     "draft": False},
    {"leaflet": "secondary-breast-cancer", "lang": "ar", "format": "html",
     "edition": "standard", "size_pt": 12.0,
     "path": "secondary-breast-cancer/ar/secondary-breast-cancer.ar.html",
     "bytes": 22_000, "title": "سرطان الثدي الثانوي", "review": "2030-01-01", "draft": True},
]


def visible_languages(page) -> list[str]:
    return page.eval_on_selector_all(
        ".language", "sections => sections.filter(s => s.offsetParent !== null)"
        ".map(s => s.querySelector('h3 [lang]').getAttribute('lang'))")


def test_typing_in_the_filter_narrows_the_list(tmp_path, open_page):
    # The page's own Content-Security-Policy stays on: the script's hash must let it run.
    path = index.write_index(tmp_path, FILTER_ENTRIES,
                             details={"ct-scan": {"code": "RAD-007", "language": "en-GB"}})
    page = open_page(path.as_uri())
    box = page.get_by_label("Filter the list")
    assert box.is_visible()
    status = page.locator("#filter-status")
    articles = page.locator("article.leaflet")
    assert articles.count() == 2

    box.press_sequentially("rad-0")
    assert [a.is_visible() for a in articles.all()] == [True, False]
    assert visible_languages(page) == ["en-GB", "pl"]
    assert status.inner_text() == "Leaflets shown: 1 of 2"

    box.fill("")
    box.press_sequentially("Arabic")
    assert [a.is_visible() for a in articles.all()] == [False, True]
    assert visible_languages(page) == ["ar"]

    box.fill("")
    box.press_sequentially("polski tomo")
    assert visible_languages(page) == ["pl"]

    box.fill("")
    box.press_sequentially("العربية")
    assert visible_languages(page) == ["ar"]

    box.fill("")
    box.press_sequentially("no such leaflet")
    assert articles.locator("visible=true").count() == 0
    assert status.inner_text() == "Leaflets shown: 0 of 2"

    box.fill("")
    box.press("Backspace")
    assert visible_languages(page) == ["en-GB", "pl", "en-GB", "ar"]
    assert status.inner_text() == "Leaflets shown: 2 of 2"


def test_filter_finds_the_sample_by_its_code(built, open_page):
    page = open_page((built.out / "index.html").as_uri())
    box = page.get_by_label("Filter the list")
    code = source.parse_file(REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md", REPO).meta.code
    box.press_sequentially(code.lower())
    assert page.locator("article.leaflet").first.is_visible()
    box.press_sequentially("-no-such-code")
    assert not page.locator("article.leaflet").first.is_visible()


def test_index_works_without_script(built, open_page):
    page = open_page((built.out / "index.html").as_uri(), script=False)
    assert not page.locator("form.filter").is_visible()
    sections = page.locator("section.language")
    assert sections.count() == len({e["lang"] for e in built.artifacts})
    assert all(section.is_visible() for section in sections.all())


def test_index_has_no_accessibility_violations(built, open_page):
    page = open_page((built.out / "index.html").as_uri(), audit=True)
    assert axe_violations(page) == []


# The web pages ---------------------------------------------------------------------

def test_leaflet_pages_have_no_accessibility_violations(built, arabic_page, open_page):
    pages = [built.find("html"), built.find("html", "easy-read"), arabic_page]
    for path in pages:
        page = open_page(path.as_uri(), audit=True)
        assert axe_violations(page) == [], path.name


def test_arabic_page_reads_right_to_left(arabic_page, open_page):
    page = open_page(arabic_page.as_uri())
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The title's text sits against the right edge of its box, not the left.
    edges = page.evaluate("""() => {
        const h1 = document.querySelector("h1");
        const range = document.createRange();
        range.selectNodeContents(h1);
        const text = range.getBoundingClientRect(), box = h1.getBoundingClientRect();
        return {textLeft: text.left, textRight: text.right, boxLeft: box.left, boxRight: box.right};
    }""")
    assert abs(edges["textRight"] - edges["boxRight"]) < 2
    assert edges["textLeft"] - edges["boxLeft"] > 20
    # Phone numbers still read left to right inside it.
    assert page.evaluate("getComputedStyle(document.querySelector('a.tel')).direction") == "ltr"


def test_pages_reflow_at_400_percent_zoom_and_on_a_phone(built, open_page, screenshots):
    targets = {"index": built.out / "index.html", "page": built.find("html"),
               "easy-read": built.find("html", "easy-read")}
    for name, path in targets.items():
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE), ("zoom400", ZOOM_400)):
            page = open_page(path.as_uri(), viewport=viewport)
            assert not scrolls_sideways(page), f"{name} scrolls sideways at {viewport}"
            page.screenshot(path=str(screenshots / f"{name}-{label}.png"), full_page=True)
    assert len(list(screenshots.glob("*.png"))) == 9


def test_easy_read_picture_beside_its_text_then_above_it(built, open_page):
    url = built.find("html", "easy-read").as_uri()

    def boxes(page):
        return page.evaluate("""() => {
            const row = [...document.querySelectorAll(".row")].find(r => r.querySelector(".row-picture"));
            const picture = row.querySelector(".row-picture").getBoundingClientRect();
            const text = row.querySelector(".row-text").getBoundingClientRect();
            return {picture: [picture.left, picture.right, picture.top, picture.bottom],
                    text: [text.left, text.right, text.top, text.bottom]};
        }""")

    wide = boxes(open_page(url, viewport=DESKTOP))
    assert wide["picture"][1] <= wide["text"][0]  # picture left of its text
    assert wide["picture"][2] == pytest.approx(wide["text"][2], abs=2)
    narrow = boxes(open_page(url, viewport=ZOOM_400))
    assert narrow["picture"][3] <= narrow["text"][2]  # picture above its text


def test_skip_link_is_the_first_tab_stop_and_reaches_the_text(built, open_page):
    page = open_page(built.find("html").as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const a = document.activeElement, box = a.getBoundingClientRect();
        return {cls: a.className, top: box.top, bottom: box.bottom, width: box.width};
    }""")
    assert focused["cls"] == "skip-link"
    assert focused["top"] >= 0 and focused["bottom"] <= DESKTOP["height"] and focused["width"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"


def test_printing_hides_the_skip_link_and_keeps_the_text(built, open_page):
    page = open_page(built.find("html").as_uri())
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).display") == "none"
    assert page.locator("main#content").is_visible()
    assert page.pdf(format="A4")[:5] == b"%PDF-"
