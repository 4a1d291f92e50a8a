"""The review page (`leaflet review -l LANG LEAFLET --page`): every message of the leaflet
with its translation and back-translation side by side, each column in its language and
direction, phone numbers and amounts marked, every finding at its message, and the
sign-off command at the end; and the page passes axe in Chromium."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from lxml import html

from leaflet import i18n
from leaflet.library import Library, read_leaflet

from conftest import AXE
from conftest import SAMPLE_SLUG as SLUG
from test_translation_safety import REQUESTS, sample, set_msgstr
from test_translation_safety import leaflet as run

PHONE = "0191 445 2180"


def page(root: Path, lang: str, *args: str) -> tuple[Path, html.HtmlElement]:
    result = run(root, "review", "-l", lang, SLUG, "--page", *args)
    path = root / "build" / "reviews" / f"{SLUG}.{lang}.review.html"
    assert f"wrote {path}" in result.stdout
    return path, html.fromstring(path.read_bytes())


def shown(element) -> str:
    """An element's text as a sighted reader sees it (without text for screen readers)."""
    copy = html.fromstring(html.tostring(element, with_tail=False))
    for hidden in copy.xpath('.//*[contains(@class, "visually-hidden")]'):
        hidden.drop_tree()
    return copy.text_content()


def source_messages(root: Path) -> list[str]:
    leaflet = read_leaflet(Library(root), SLUG)
    return [message.msgid for message in i18n.messages(leaflet)]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    return sample(tmp_path_factory.mktemp("review-page"))


@pytest.mark.parametrize("lang, direction", [("pl", "ltr"), ("ar", "rtl")])
def test_the_page_lists_every_message_side_by_side_in_its_language(library, lang, direction):
    _path, tree = page(library, lang)
    rows = tree.xpath("//table[@class='messages']/tbody/tr")
    expected = source_messages(library)
    assert [shown(row.xpath("./td")[0]) for row in rows] == expected
    headers = [th.text_content() for th in tree.xpath("//table/thead/tr/th")]
    assert headers[1].startswith("Source (English") and headers[-1] == "Checks"
    for row in rows:
        assert row.xpath("./th[@scope='row']")
        source, translation = row.xpath("./td")[:2]
        assert (source.get("lang"), source.get("dir")) == ("en-GB", "ltr")
        assert (translation.get("lang"), translation.get("dir")) == (lang, direction)
    po = polib.pofile(str(library / "locales" / lang / f"{SLUG}.po"))
    translations = {shown(row.xpath("./td")[1]) for row in rows}
    assert {e.msgstr for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags} \
        <= translations
    assert tree.xpath("//header") and tree.xpath("//main") and tree.xpath("//footer")
    command = tree.xpath("//section[@aria-labelledby='signoff']//pre/code")[0].text_content()
    assert command.startswith(f"leaflet review -l {lang} {SLUG} --by")


@pytest.mark.parametrize("lang", ["pl", "ar"])
def test_the_phone_number_is_marked_in_source_and_translation(library, lang):
    _path, tree = page(library, lang)
    (row,) = [r for r in tree.xpath("//tbody/tr") if shown(r.xpath("./td")[0]) == REQUESTS]
    source, translation = row.xpath("./td")[:2]
    for cell in (source, translation):
        (mark,) = cell.xpath(".//mark")
        assert shown(mark) == PHONE and mark.get("dir") == "ltr"
        assert "phone number" in mark.text_content()  # said, not only shown in colour
    listed = [li.text_content() for li in row.xpath(".//ul[@class='marked-list']/li")]
    assert listed == [f"Source, phone number: {PHONE}", f"Translation, phone number: {PHONE}"]


def test_an_injected_finding_is_shown_at_its_message(tmp_path):
    root = sample(tmp_path)
    po = polib.pofile(str(root / "locales" / "pl" / f"{SLUG}.po"))
    wrong = po.find(REQUESTS).msgstr.replace(PHONE, "0191 445 2181")
    set_msgstr(root, REQUESTS, wrong)
    path, tree = page(root, "pl")
    (row,) = [r for r in tree.xpath("//tbody/tr") if shown(r.xpath("./td")[0]) == REQUESTS]
    findings = [li.text_content() for li in row.xpath(".//ul[@class='findings']/li")]
    assert findings and findings[0].startswith("Error: must be corrected:")
    assert "0191 445 2181" in findings[0] or PHONE in findings[0]
    others = [r for r in tree.xpath("//tbody/tr") if r is not row]
    assert all(not r.xpath(".//ul[@class='findings']") for r in others)
    text = tree.xpath("//section[@aria-labelledby='signoff']")[0].text_content()
    assert "cannot be signed off yet: 1 error must be corrected" in " ".join(text.split())
    assert not (root / "locales" / "pl" / "reviews.yaml").exists()  # --page signs nothing


def test_a_back_translation_gets_its_own_column(tmp_path):
    root = sample(tmp_path)
    back = polib.POFile()
    back.metadata = {"Language": "en-GB", "Content-Type": "text/plain; charset=UTF-8"}
    back.append(polib.POEntry(msgid=REQUESTS, msgstr="Ask your breast nurse or ring "
                              f"{PHONE}."))
    back.save(str(root / "locales" / "pl" / f"{SLUG}.back.po"))
    _path, tree = page(root, "pl")
    headers = [th.text_content() for th in tree.xpath("//table/thead/tr/th")]
    assert headers[3] == "Back-translation (English (United Kingdom))" or \
        headers[3].startswith("Back-translation (English")
    (row,) = [r for r in tree.xpath("//tbody/tr") if shown(r.xpath("./td")[0]) == REQUESTS]
    back_cell = row.xpath("./td")[2]
    assert back_cell.get("lang") == "en-GB"
    assert shown(back_cell) == f"Ask your breast nurse or ring {PHONE}."
    other = [r for r in tree.xpath("//tbody/tr") if r is not row][0]
    assert shown(other.xpath("./td")[2]) == "No back-translation"


def test_signing_off_still_needs_a_name(library):
    result = run(library, "review", "-l", "pl", SLUG, check=False)
    assert result.returncode != 0 and "--by NAME" in result.stderr + result.stdout


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["pl", "ar"])
def test_the_review_page_passes_axe(library, browser, lang):
    path, _tree = page(library, lang)
    context = browser.new_context(bypass_csp=True)
    try:
        view = context.new_page()
        view.goto(path.as_uri())
        assert view.locator("tbody tr").count() == len(source_messages(library))
        view.add_script_tag(path=str(AXE))
        violations = view.evaluate("""async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)}));
        }""")
        assert violations == []
    finally:
        context.close()
