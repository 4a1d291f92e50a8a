"""A msgstr may not add or remove blocks (a blank line, or a heading, list item, quote or box
mark at a line's start), a sentence dropped is a warning with both counts, and a bold
warning whose negation is gone ("**Never take a double dose.**" as "**Take a double
dose.**") is a warning for the reviewer."""

from __future__ import annotations

import pytest

from conftest import SAMPLE_SLUG as SLUG
from conftest import run_leaflet
from leaflet.i18n import tokens
from leaflet.i18n.structure import negates, sentence_count
from test_translation_safety import DOSE, POLISH, sample, set_msgstr, where

NEVER = "**Never take a double dose.** Take the next one at the usual time."
NEVER_PL = "**Nigdy nie bierz podwójnej dawki.** Następną weź o zwykłej porze."


def check(root):
    return run_leaflet("--root", str(root), "check", "-l", "pl", check=False)


@pytest.mark.parametrize("added, message", [
    ("\n\n# Wstrzyknięty nagłówek", "the translation has a blank line (a new paragraph) that "
     "the English does not"),
    ("\n\n# Wstrzyknięty nagłówek", 'the translation starts a heading ("# Wstrzyknięty '
     'nagłówek") that the English does not have'),
    ("\n- dodatkowy punkt", 'the translation starts a list item ("- dodatkowy punkt")'),
    ("\n2. drugi punkt", 'the translation starts a list item ("2. drugi punkt")'),
    ("\n> cytat", 'the translation starts a quote ("> cytat")'),
    ("\n::: callout urgent", 'the translation starts a box (":::'),
])
def test_a_block_written_into_a_msgstr_is_an_error_with_its_line(tmp_path, added, message):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, DOSE, POLISH[DOSE] + added)
    result = check(root)
    assert result.returncode == 1
    assert where(root, DOSE) + message in result.stderr


def test_a_heading_mark_on_a_translated_heading_is_an_error(tmp_path):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, "When to get help", "## Kiedy szukać pomocy")
    result = check(root)
    assert result.returncode == 1
    assert where(root, "When to get help") + "the translation starts a heading" in result.stderr


def test_a_dropped_sentence_is_a_warning_with_both_counts(tmp_path):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, DOSE, "Przyjmuj 5 mg dwa razy dziennie, nie więcej niż 8 tabletek w ciągu "
               "24 godzin, co najmniej 4 godziny odstępu.")
    result = check(root)
    assert result.returncode == 0, result.stderr
    assert where(root, DOSE) + "warning: check the sentences: the English has 2 and the " \
        "translation 1 (was a sentence dropped, added or split?)" in result.stderr


def test_a_bold_warning_that_lost_its_negation_is_a_warning(tmp_path):
    root = sample(tmp_path)
    source = root / "leaflet_src" / SLUG / "leaflet.md"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{NEVER}\n", encoding="utf-8")
    run_leaflet("--root", str(root), "update", "-l", "pl", SLUG, "-e", "standard", check=True)
    set_msgstr(root, NEVER, NEVER_PL)
    assert "negation" not in check(root).stderr
    set_msgstr(root, NEVER, "**Bierz podwójną dawkę.** Następną weź o zwykłej porze.")
    result = check(root)
    assert where(root, NEVER) + "warning: the bold phrase **Never take a double dose.** says " \
        "what not to do, but the translation's **Bierz podwójną dawkę.** has no word of " \
        "negation: check that the warning still warns" in result.stderr


@pytest.mark.parametrize("lang, translation, negated", [
    ("pl", "Nigdy nie bierz podwójnej dawki.", True),
    ("pl", "Bierz podwójną dawkę.", False),
    ("ru", "Никогда не принимайте двойную дозу.", True),
    ("ru", "Принимайте двойную дозу.", False),
    ("ar", "لا تتناول جرعة مضاعفة أبداً.", True),
    ("ar", "تناول جرعة مضاعفة.", False),
    ("bn", "কখনও দ্বিগুণ ডোজ নেবেন না।", True),
    ("bn", "দ্বিগুণ ডোজ নিন।", False),
    ("zh", "切勿服用双倍剂量。", True),
    ("zh", "服用双倍剂量。", False),
    ("ko", "두 배 용량을 복용하지 마십시오.", None),  # no list for Korean: nothing is said
])
def test_negation_words_by_language(lang, translation, negated):
    assert negates(translation, lang) is negated


def test_what_compare_says_about_blocks_sentences_and_negation():
    def said(msgid, msgstr, lang="pl"):
        return [(f.warning, f.message) for f in tokens.compare(msgid, msgstr, "GB", "the English",
                                                               "en", lang)]
    assert said("First.\n\nSecond.", "Pierwsze. Drugie.") == [
        (False, "the English has 1 blank line(s) between its paragraphs but the translation "
                "has 0: keep the paragraphs as they are")]
    assert said("Take 1. Then 2.", "Weź 1. Potem 2.") == []
    assert said("Call 999 at 10.30 on Ward 2.", "Zadzwoń pod 999 o 10.30 na oddział 2.") == []
    assert said(NEVER, NEVER_PL.replace("Nigdy nie bierz", "Bierz")) == [
        (True, "the bold phrase **Never take a double dose.** says what not to do, but the "
               "translation's **Bierz podwójnej dawki.** has no word of negation: check that "
               "the warning still warns")]
    assert sentence_count("Dr Smith sees you at 9.30. Bring your tablets.", "en") == 2
    assert sentence_count("Ask us. Is it safe? Yes!", "en") == 3
