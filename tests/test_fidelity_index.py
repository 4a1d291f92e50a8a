"""The library index reflows on a phone however long a leaflet's web address or
owner is (WCAG 1.4.10; issue 24, item 8), in Chromium."""

from __future__ import annotations

import pytest

from leaflet.build import index

# An address with no hyphen: nothing in it is a place to break a line.
ONLINE = ("https://www.royaldevon.nhs.uk/patientinformation/anticoagulationservices/"
          "warfarinandyourinrtest?leafletcode=ANT0017")
ENTRIES = [{"leaflet": "warfarin", "lang": "en-GB", "format": "pdf", "edition": "standard",
            "size_pt": 12.0, "path": "warfarin/en-GB/warfarin.en-GB.pdf", "bytes": 90_000,
            "title": "Warfarin and your INR test", "review": "2030-01-01", "draft": False},
           {"leaflet": "warfarin", "lang": "en-GB", "format": "pdf",
            "edition": "large-print", "size_pt": 18.0,
            "path": "warfarin/en-GB/warfarin.en-GB.large-print.pdf", "bytes": 95_000,
            "title": "Warfarin and your INR test", "review": "2030-01-01", "draft": False}]
DETAILS = {"warfarin": {"code": "ANT-017", "language": "en-GB", "online": ONLINE,
                        "owner": "Anticoagulation Service, Haematology Directorate"}}


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390])
def test_a_long_online_address_does_not_widen_the_index(browser, tmp_path, width):
    path = index.write_index(tmp_path, ENTRIES, details=DETAILS)
    context = browser.new_context(viewport={"width": width, "height": 700})
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        sizes = page.evaluate("({scroll: document.documentElement.scrollWidth, "
                              "inner: window.innerWidth})")
        assert sizes["scroll"] <= sizes["inner"], sizes
        link = page.locator(f'a[href="{ONLINE}"]')
        assert link.inner_text().replace("\n", "") == ONLINE  # all of it, only wrapped
        box = page.evaluate("""(href) => {
            const box = [...document.querySelectorAll("a")].find(a => a.href === href)
                .getBoundingClientRect();
            return {left: box.left, right: box.right, height: box.height};
        }""", ONLINE)
        assert 0 <= box["left"] and box["right"] <= width
        assert box["height"] > 30  # on more than one line
    finally:
        context.close()
