"""The shared semantic HTML: escaping of everything that comes from a library."""

from __future__ import annotations

from pathlib import Path

from formats import html
from formats.options import WriterOptions
from leaflet import source

from conftest import REPO, SAMPLE_SLUG


def sample():
    return source.parse_file(REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md", REPO)


def test_a_translated_template_word_is_text_not_html():
    options = WriterOptions(words={"Phone": '<img src=x onerror="alert(1)">Telefon',
                                   "Opening hours": "Godziny & <b>otwarcia</b>"})
    body = str(html.body(sample(), options, lambda figure: figure.src))
    assert "<img src=x" not in body and "<b>otwarcia</b>" not in body
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Telefon:" in body
    assert "Godziny &amp; &lt;b&gt;otwarcia&lt;/b&gt;:" in body


def test_every_heading_of_the_source_is_a_real_heading():
    body = str(html.body(sample(), WriterOptions(), lambda figure: figure.src))
    assert body.count("<h1") == 1
    assert '<h2 id="chemotherapy">' not in body  # a subsection, one level down
    assert '<h3 id="chemotherapy">Chemotherapy</h3>' in body
    assert '<h2 id="what-is-secondary-breast-cancer">' in body


def test_the_requests_line_phone_number_is_a_link_kept_left_to_right():
    body = str(html.body(sample(), WriterOptions(), lambda figure: figure.src))
    assert ('<p class="requests">Ask your breast care nurse, or phone <a class="tel nowrap" '
            'dir="ltr" href="tel:+44-191-445-2180">0191 445 2180</a>.</p>') in body
