"""Language tags that named no language: ``und`` and ``en-ZZ`` once built as American
English (babel fills in what a tag leaves open).  They are refused, with the forms a tag
may take; every tag CLDR knows is still read as before."""

from __future__ import annotations

import pytest

from leaflet import langs, source
from leaflet.errors import LeafletError

from conftest import REPO

FRONT = """---
title: CT scan
organisation: Example NHS Trust
language: {tag}
published: 2025-01-01
review: 2027-01-01
---

# About

Words.
"""
FORMS = "a tag is a language (pl, ar), with a region where it matters"


def parse(tag: str):
    return source.parse_text(FRONT.format(tag=tag), "leaflet_src/ct-scan/leaflet.md",
                             REPO / "leaflet_src" / "ct-scan", "ct-scan")


@pytest.mark.parametrize("tag, why", [
    ("und", "'und' stands for an undetermined language"),
    ("und-GB", "'und' stands for an undetermined language"),
    ("mul", "'mul' stands for several languages"),
    ("zxx", "'zxx' stands for no language at all"),
    ("root", "'root' stands for CLDR's root data"),
    ("en-ZZ", "'ZZ' is not a region"),
    ("en-zz", "'zz' is not a region"),
    ("en-Latn-ZZ", "'ZZ' is not a region"),
    ("en-QQ", ""),
    ("pl-XX", ""),
])
def test_a_tag_naming_no_language_is_refused_with_the_forms_a_tag_takes(tag, why):
    with pytest.raises(LeafletError) as refused:
        parse(tag)
    message = str(refused.value)
    assert f"leaflet_src/ct-scan/leaflet.md:4: 'language: {tag}' is not a language tag" \
        in message
    assert why in message and FORMS in message
    with pytest.raises(LeafletError, match=f"'{tag}' is not a language tag") as refused:
        langs.check(tag, "--lang")
    assert why in str(refused.value) and FORMS in str(refused.value)
    assert not langs.is_tag(tag)


@pytest.mark.parametrize("tag, written", [
    ("en-GB", "en-GB"), ("en_gb", "en-GB"), ("pl", "pl"), ("ar", "ar"), ("pt-BR", "pt-BR"),
    ("zh-CN", "zh-CN"), ("zh-Hant-TW", "zh-Hant-TW"), ("sr-Latn", "sr-Latn"),
    ("es-419", "es-419"), ("en-001", "en-001"), ("en-US", "en-US"), ("cy-GB", "cy-GB"),
    ("en-UK", "en-GB"),  # CLDR's alias for the United Kingdom's old code
])
def test_tags_cldr_knows_are_still_read(tag, written):
    assert parse(tag).meta.language == written
    assert langs.check(tag) == written
