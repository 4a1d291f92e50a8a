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


CONTACTS_LEAFLET = """---
title: Blood tests
organisation: Example Hospital
language: en-GB
published: 2025-01-01
review: 2027-01-01
requests: Phone 0191 4452180 or write to leaflets@example.nhs.uk.
---

# Who to contact

::: contacts
- name: Ward 5
  about: Write to ward5@example.nhs.uk with questions.
  phone: 0191 445 8418
  hours: Out of hours, phone 0191 445 2180 instead
:::
"""


def contacts_leaflet():
    return source.parse_text(CONTACTS_LEAFLET, "leaflet.md", Path("."), "blood-tests")


def test_requests_and_contact_details_carry_phones_and_addresses_as_nodes():
    from leaflet.model import Email, Phone, Text, plain_text

    leaflet = contacts_leaflet()
    requests = leaflet.meta.requests
    assert [type(n) for n in requests] == [Text, Phone, Text, Email, Text]
    # shown as written, so that its words (the msgid) are the source's
    assert requests[1].display == "0191 4452180" and requests[1].tel == "tel:+44-191-445-2180"
    assert plain_text(requests) == "Phone 0191 4452180 or write to leaflets@example.nhs.uk."
    contact = leaflet.blocks[1].contacts[0]
    assert any(isinstance(n, Email) and n.address == "ward5@example.nhs.uk" for n in contact.about)
    assert [n.display for n in contact.hours if isinstance(n, Phone)] == ["0191 445 2180"]


def test_phones_and_addresses_in_contact_details_are_links():
    body = str(html.body(contacts_leaflet(), WriterOptions(), lambda figure: figure.src))
    assert ('<p class="contact-about">Write to <a class="email" href="mailto:ward5@example.nhs.uk">'
            'ward5@example.nhs.uk</a> with questions.</p>') in body
    assert ('Out of hours, phone <a class="tel nowrap" dir="ltr" href="tel:+44-191-445-2180">'
            '0191 445 2180</a> instead</p>') in body
    assert ('<p class="requests">Phone <a class="tel nowrap" dir="ltr" '
            'href="tel:+44-191-445-2180">0191 4452180</a> or write to <a class="email" '
            'href="mailto:leaflets@example.nhs.uk">leaflets@example.nhs.uk</a>.</p>') in body


def test_translating_the_requests_line_keeps_its_msgid_and_parses_the_translation():
    from leaflet.i18n import messages, walk
    from leaflet.model import Phone
    from leaflet.source import parse_plain

    leaflet = contacts_leaflet()
    msgids = [m.msgid for m in messages(leaflet)]
    assert "Phone 0191 4452180 or write to leaflets@example.nhs.uk." in msgids
    assert "Out of hours, phone 0191 445 2180 instead" in msgids
    translated = walk(leaflet, lambda unit: unit.text.replace("Phone", "Zadzwoń"),
                      lambda unit, msgstr: parse_plain(msgstr, "xx.po", 1, "GB"))
    requests = translated.meta.requests
    assert requests[0].text == "Zadzwoń "
    assert isinstance(requests[1], Phone) and requests[1].tel == "tel:+44-191-445-2180"
