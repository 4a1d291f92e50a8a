"""Numbers and addresses spoken by what they are (issue 25), read from the narration
script (``formats/audio/script.py``), whose segments are what the voice is given: phone
numbers and short codes digit by digit in their printed groups (a relay prefix too),
prices as money by their currency's name, extensions by the language's word, units in
full, codes letter by letter, web addresses by their readable parts; a contact's
number labelled by what it is for.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import REPO, SAMPLE_SLUG
from formats.audio import script
from formats.audio.speech import for_language
from formats.options import Assets, WriterOptions
from leaflet import source

EN = """---
title: Numbers said by what they are
code: ENDO-031A
organisation: Example NHS Trust
language: en-GB
published: 2025-01-01
review: 2027-01-01
---

# Help

If you have hearing loss, dial 18001 111.

In an emergency call 999.

Phone the ward on 0113 496 0001 ext. 2291 or the clinic on 0113 496 0002 x3346.

A prescription costs £9.90, or £4.50 for a child.

Drink 1,000 ml of water a day.

Quote the leaflet code (ENDO-031A).

Visit https://www.nhs111.wales/ for advice.

::: contacts
- name: Crisis text line
  text: "85258"
- name: Deaf service
  textphone: 0113 496 0124
- name: Ward 4
  phone: 0113 496 0001 ext. 2291
:::
"""
PL = """---
title: Liczby
code: ENDO-031A
organisation: Example NHS Trust
language: pl
published: 2025-01-01
review: 2027-01-01
---

# Pomoc

Jeśli masz problemy ze słuchem, zadzwoń pod 18001 111.

Zadzwoń na oddział: 0113 496 0001 ext. 2291.

Recepta kosztuje 4,50 zł, a w Anglii £9.90.

Wypij 1,5 l wody.

Podaj kod ulotki (ENDO-031A).

Wejdź na https://www.nhs111.wales/.

::: contacts
- name: Linia SMS
  text: "85258"
- name: Tekstofon
  textphone: 0113 496 0124
:::
"""


def said(text: str, lang: str) -> list[str]:
    leaflet = source.parse_text(text, "t.md", REPO / "leaflet_src" / SAMPLE_SLUG, "t")
    options = WriterOptions(assets=Assets(folder=str(REPO / "leaflet_src" / SAMPLE_SLUG),
                                          pictograms=str(source.PICTOGRAMS)))
    return [segment.spoken for segment in script.segments(leaflet, options, for_language(lang))]


@pytest.fixture(scope="module")
def english() -> list[str]:
    return said(EN, "en-GB")


@pytest.fixture(scope="module")
def polish() -> list[str]:
    return said(PL, "pl")


SPOKEN = {
    "en-GB": [
        # a relay prefix is a group of its own, said digit by digit like the short code
        "If you have hearing loss, dial one eight oh oh one, one one one.",
        "In an emergency call nine nine nine.",
        # an extension, however it is written, by the language's word
        "Phone the ward on oh one one three, four nine six, oh oh oh one, extension two two "
        "nine one or the clinic on oh one one three, four nine six, oh oh oh two, extension "
        "three three four six.",
        # prices by the currency's name, units in full and in their plural
        "A prescription costs 9 pounds 90, or 4 pounds 50 for a child.",
        "Drink 1000 millilitres of water a day.",
        # a code letter by letter, a web address by its readable parts
        "Quote the leaflet code (E N D O, oh three one eh).",
        "Visit w w w dot N H S one one one dot wales for advice.",
        # a contact's number labelled by what it is for
        "Text: eight five two five eight.",
        "Textphone: oh one one three, four nine six, oh one two four.",
        "Phone: oh one one three, four nine six, oh oh oh one, extension two two nine one.",
        "Leaflet code: E N D O, oh three one eh.",
    ],
    "pl": [
        # each digit a word of its own, said by the Polish voice
        "Jeśli masz problemy ze słuchem, zadzwoń pod 1 8 0 0 1, 1 1 1.",
        "Zadzwoń na oddział: 0 1 1 3, 4 9 6, 0 0 0 1, wewnętrzny 2 2 9 1.",
        # the name in the number's plural form: CLDR's for the pound (9: "many"), the
        # language's data for the złoty
        "Recepta kosztuje 4 złote 50, a w Anglii 9 funtów szterlingów 90.",
        "Wypij 1,5 litra wody.",
        "Podaj kod ulotki (E N D O, 0 3 1 A).",
        "Wejdź na wu wu wu kropka N H S 1 1 1 kropka wales.",
        "Text: 8 5 2 5 8.",
        "Textphone: 0 1 1 3, 4 9 6, 0 1 2 4.",
    ],
}


@pytest.mark.parametrize("lang, line", [(lang, line) for lang, lines in SPOKEN.items()
                                        for line in lines])
def test_each_kind_is_said_by_what_it_is(english, polish, lang, line):
    assert line in (english if lang == "en-GB" else polish)


@pytest.mark.parametrize("lang", ["en-GB", "pl"])
def test_no_figure_of_a_number_code_or_address_reaches_the_voice(english, polish, lang):
    text = " ".join(english if lang == "en-GB" else polish)
    printed = ("0113", "496", "0001", "85258", "2291", "3346", "18001", "111", "999", "£",
               "9.90", "4.50", "4,50", "ENDO", "031A", "nhs111", "https", "www.", "ext.",
               "x3346")
    assert [figure for figure in printed if figure in text] == [], text


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_voice_says_a_price_as_money(english):
    """What the voice makes of "4 pounds 50": the sounds of "four pounds fifty", not of
    "pound four point five zero"."""
    def phonemes(text: str) -> str:
        return subprocess.run(["espeak-ng", "-v", "en-gb", "-x", "-q", text],
                              capture_output=True, text=True, check=True).stdout.split()

    assert phonemes("4 pounds 50") == phonemes("four pounds fifty")
    assert phonemes("£4.50") != phonemes("four pounds fifty")  # what the script prevents


def test_a_unit_written_in_two_words_is_that_unit_not_a_shorter_one():
    # Amharic "ሚሊ ግራም" (milligrams, as translators write CLDR's ሚሊግራም) begins with "ሚሊ",
    # CLDR's short form for millilitres: the longest unit written wins
    said = for_language("am").text("5 ሚሊ ግራም")
    assert "ሊትር" not in said and said.startswith("5 "), said
    assert for_language("fa").text("5 میلی گرم") == for_language("fa").text("5 میلی‌گرم")


def test_a_unit_cldr_names_only_by_its_latin_symbol_is_left_as_written():
    # Sorani: CLDR's long name for milligrams is "mg"; the voice is given the word printed
    said = for_language("ckb").text("5 میلیگرام")
    assert said.endswith(" میلیگرام") and "mg" not in said, said


def test_a_decimal_below_one_is_never_read_as_thousands():
    # Spanish groups thousands with ".", but no group starts with 0: "0.125 mg" is a dose
    assert for_language("es").text("Tome 0.125 mg") == "Tome 0,125 miligramos"
    assert for_language("es").text("1.000 ml") == "1000 mililitros"


def test_every_number_is_given_in_the_languages_own_digits_where_its_voice_needs_them():
    # Nepali's voice says "24" and "10" in English, "२४" and "१०" in Nepali
    said = for_language("ne").text("24 घण्टामा 10 mg भन्दा बढी नलिनुहोस्।")
    assert not re.search(r"[0-9]", said) and "२४" in said and "१०" in said, said
