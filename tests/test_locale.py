"""Translations as translators and maintainers meet them: catalogs made by `extract` and
`update`, applied by `build -l`, protected tokens, DRAFT until `review`, `stats`.

The pseudo-language ``xx`` "translates" by upper-casing the source (but not markup, phone
numbers, e-mail or web addresses), so an output shows at once what went through the
catalog and what did not.
"""

from __future__ import annotations

import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from conftest import run_leaflet

SLUG = "every-unit"
SOURCE = """\
---
title: Every unit
subtitle: A test leaflet
organisation: Test Trust
language: en-GB
published: 2025-01-06
review: 2027-01-06
requests: Ask the ward, or phone 0191 445 2180.
---

# First section

A paragraph with **bold words**, a [web link](https://example.org/help) and
an e-mail to help@example.org.

## Subsection

- first item
- second item at 8pm

| Medicine | When |
| --- | --- |
| tablets | morning |

::: callout warning
Take the tablets with water.
:::

![a nurse with a clipboard](pictogram:nurse)

# Help

Read more at https://example.org/more about stage 4.

::: contacts
- name: Macmillan Support Line
  about: Emotional and practical support.
  phone: 0808 808 0000
  hours: Monday to Friday, 9am to 8pm
:::
"""

# Each unit's words as a reader sees them, once translated by upper-casing.
UNITS = [
    "Every unit", "A test leaflet", "Ask the ward, or phone", "First section",
    "A paragraph with", "bold words", "web link", "and an e-mail to", "Subsection",
    "first item", "second item at 8pm", "Medicine", "When", "tablets", "morning",
    "Take the tablets with water.", "a nurse with a clipboard", "Help", "Read more at",
    "about stage 4.", "Macmillan Support Line", "Emotional and practical support.",
    "Monday to Friday, 9am to 8pm",
]
DRAFT = "DRAFT translation, not yet checked"
PROTECTED = re.compile(r"\]\([^)]*\)|https?://[^\s)]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\*\*")


def upper_case(text: str) -> str:
    """The xx "translation": upper case, except markup, addresses and link targets."""
    out, position = [], 0
    for match in PROTECTED.finditer(text):
        out.append(text[position:match.start()].upper())
        out.append(match.group())
        position = match.end()
    out.append(text[position:].upper())
    return "".join(out)


def new_library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    (root / "leaflet_src" / SLUG).mkdir(parents=True)
    (root / "leaflet_src" / SLUG / "leaflet.md").write_text(SOURCE, encoding="utf-8")
    return root


def leaflet(root: Path, *args: str, check: bool = True):
    return run_leaflet("--root", str(root), *args, check=check)


def catalog_path(root: Path, lang: str = "xx", slug: str = SLUG) -> Path:
    return root / "locales" / lang / f"{slug}.po"


def translate_catalog(root: Path, lang: str = "xx", slug: str = SLUG, change=upper_case,
                      skip: tuple[str, ...] = ()) -> Path:
    """Create the catalog with `leaflet update` and fill it as a translator would."""
    leaflet(root, "update", "-l", lang, slug)
    path = catalog_path(root, lang, slug)
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid not in skip:
            entry.msgstr = change(entry.msgid)
    po.save(str(path))
    return path


def set_msgstr(path: Path, msgid: str, msgstr: str, fuzzy: bool = False) -> None:
    po = polib.pofile(str(path))
    entry = po.find(msgid)
    entry.msgstr = msgstr
    if fuzzy:
        entry.flags.append("fuzzy")
    po.save(str(path))


def msgstr_line(path: Path, msgid: str) -> int:
    """The line of a message's msgstr, found by reading the file."""
    collected, reading = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.startswith("msgid "):
            collected, reading = [line[len("msgid "):]], True
        elif line.startswith('"') and reading:
            collected.append(line)
        elif line.startswith("msgstr"):
            if "".join(part.strip()[1:-1] for part in collected) == msgid.replace('"', '\\"'):
                return number
            reading = False
    raise AssertionError(f"no msgstr for {msgid!r} in {path}")


def output(root: Path, fmt: str = "text", lang: str = "xx", slug: str = SLUG) -> Path:
    ext = {"text": "txt", "html": "html", "epub": "epub", "docx": "docx", "pdf": "pdf"}[fmt]
    return root / "build" / slug / lang / f"{slug}.{lang}.{ext}"


def flat(text: str) -> str:
    return " ".join(text.split())


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")
        self.parts.extend(f" {value} " for name, value in attrs if name == "alt" and value)


def html_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return flat("".join(parser.parts))


def epub_xhtml(path: Path) -> str:
    with zipfile.ZipFile(path) as epub:
        return "\n".join(epub.read(name).decode("utf-8") for name in sorted(epub.namelist())
                         if name.endswith(".xhtml") and "nav" not in name)


def assert_every_unit_translated(text: str) -> None:
    for words in UNITS:
        assert words.upper() in text, words
        if words != words.upper():
            assert words not in text, f"still in English: {words}"


# Messages: extract, update, apply --------------------------------------------------------

def test_the_pot_has_every_unit_with_references_and_notes(tmp_path):
    root = new_library(tmp_path)
    result = leaflet(root, "extract")
    pot_file = root / "locales" / "templates" / f"{SLUG}.pot"
    assert f"wrote locales/templates/{SLUG}.pot" in result.stdout
    pot = polib.pofile(str(pot_file))
    ids = [entry.msgid for entry in pot]
    assert ids[:3] == ["Every unit", "A test leaflet", "Ask the ward, or phone 0191 445 2180."]
    assert "A paragraph with **bold words**, a [web link](https://example.org/help) and an " \
           "e-mail to help@example.org." in ids
    assert {"first item", "Medicine", "tablets", "Take the tablets with water.",
            "a nurse with a clipboard", "Macmillan Support Line", "Monday to Friday, 9am to 8pm",
            "Emotional and practical support."} <= set(ids)
    assert "Test Trust" not in ids and "0808 808 0000" not in ids
    requests = pot.find("Ask the ward, or phone 0191 445 2180.")
    assert requests.occurrences == [(f"leaflet_src/{SLUG}/leaflet.md", "8")]  # from the root
    assert "Keep the phone number 0191 445 2180 exactly as it is." in requests.comment
    assert pot.find("first item").occurrences == [(f"leaflet_src/{SLUG}/leaflet.md", "18")]


def test_extract_leaves_an_unchanged_pot_alone_even_on_another_day(tmp_path):
    root = new_library(tmp_path)
    run_leaflet("--root", str(root), "extract", env={"SOURCE_DATE_EPOCH": "1700000000"},
                check=True)
    pot_file = root / "locales" / "templates" / f"{SLUG}.pot"
    before = pot_file.read_text()
    result = run_leaflet("--root", str(root), "extract", env={"SOURCE_DATE_EPOCH": "1800000000"},
                         check=True)
    assert "up to date" in result.stdout
    assert pot_file.read_text() == before
    source = root / "leaflet_src" / SLUG / "leaflet.md"
    source.write_text(source.read_text().replace("first item", "first item changed"))
    run_leaflet("--root", str(root), "extract", env={"SOURCE_DATE_EPOCH": "1800000000"},
                check=True)
    assert pot_file.read_text() != before
    assert "2027-01-15" in pot_file.read_text()  # the new creation date


def test_update_merges_like_msgmerge_previous(tmp_path):
    root = new_library(tmp_path)
    path = translate_catalog(root)
    source = root / "leaflet_src" / SLUG / "leaflet.md"
    text = source.read_text()
    text = text.replace("Take the tablets with water.", "Take the tablets with a glass of water.")
    text = text.replace("Read more at https://example.org/more about stage 4.\n", "")
    text = text.replace("- first item\n", "- first item\n- a brand new item\n")
    source.write_text(text)
    result = leaflet(root, "update", "-l", "xx", SLUG)
    assert f"locales/xx/{SLUG}.po:" in result.stdout
    written = path.read_text(encoding="utf-8")
    assert ('#, fuzzy\n#| msgid "Take the tablets with water."\n'
            'msgid "Take the tablets with a glass of water."\n'
            'msgstr "TAKE THE TABLETS WITH WATER."') in written
    assert '#~ msgid "Read more at https://example.org/more about stage 4."' in written
    assert 'msgid "a brand new item"\nmsgstr ""' in written
    assert 'msgid "first item"\nmsgstr "FIRST ITEM"' in written
    # the header the translator's tool wrote survives
    po = polib.pofile(str(path))
    assert po.metadata["Language"] == "xx"
    po.metadata["X-Generator"] = "Poedit 3.4"
    po.save(str(path))
    leaflet(root, "update", "-l", "xx", SLUG)
    assert polib.pofile(str(path)).metadata["X-Generator"] == "Poedit 3.4"


def test_every_unit_is_translated_in_text_and_html(tmp_path):
    root = new_library(tmp_path)
    translate_catalog(root)
    leaflet(root, "build", "-f", "text", "-f", "epub", "-l", "xx")
    text = flat(output(root, "text").read_text(encoding="utf-8"))
    assert_every_unit_translated(text)
    assert "A WEB LINK (https://example.org/help)" in text
    assert "help@example.org" in text and "0808 808 0000" in text
    xhtml = epub_xhtml(output(root, "epub"))
    assert_every_unit_translated(html_text(xhtml))
    assert '<strong>BOLD WORDS</strong>' in xhtml
    assert 'href="https://example.org/help"' in xhtml
    assert 'alt="A NURSE WITH A CLIPBOARD"' in xhtml
    assert re.search(r'<html[^>]* lang="xx"', xhtml)


def test_untranslated_and_fuzzy_messages_fall_back_and_are_counted(tmp_path):
    root = new_library(tmp_path)
    path = translate_catalog(root, skip=("first item", "Help"))
    set_msgstr(path, "tablets", "PILLS", fuzzy=True)
    result = leaflet(root, "build", "-f", "text", "-l", "xx")
    assert "3 of 19 messages are not translated (2 untranslated, 1 fuzzy, 0 not in the " \
           "catalog)" in result.stderr
    rel = f"locales/xx/{SLUG}.po"
    assert f'{rel}:{msgstr_line(path, "first item")}: warning: untranslated, the English text ' \
           'is used: "first item"' in result.stderr
    assert f'{rel}:{msgstr_line(path, "tablets")}: warning: fuzzy' in result.stderr
    text = output(root).read_text(encoding="utf-8")
    assert "- first item" in text and "\nHelp\n" in text and "MEDICINE: tablets" in text
    assert DRAFT in text

    strict = leaflet(root, "build", "-f", "text", "-l", "xx", "--strict", "--force", check=False)
    assert strict.returncode == 1
    assert f'{rel}:{msgstr_line(path, "first item")}: untranslated' in strict.stderr
    assert "Traceback" not in strict.stderr


def test_a_source_change_not_yet_merged_falls_back_as_not_in_the_catalog(tmp_path):
    root = new_library(tmp_path)
    translate_catalog(root)
    source = root / "leaflet_src" / SLUG / "leaflet.md"
    source.write_text(source.read_text().replace("- first item", "- first item, rewritten"))
    result = leaflet(root, "build", "-f", "text", "-l", "xx")
    assert "not in the catalog (run 'leaflet update -l xx every-unit')" in result.stderr
    assert "- first item, rewritten" in output(root).read_text(encoding="utf-8")


# Protected tokens ---------------------------------------------------------------------

PARAGRAPH = ("A paragraph with **bold words**, a [web link](https://example.org/help) and an "
             "e-mail to help@example.org.")


@pytest.mark.parametrize("msgid, msgstr, message", [
    ("Ask the ward, or phone 0191 445 2180.", "ASK THE WARD, OR PHONE 0191 445 2181.",
     "phone number 0191 445 2180 is missing from the translation"),
    ("Ask the ward, or phone 0191 445 2180.", "ASK THE WARD, OR PHONE ٠١٩١ ٤٤٥ ٢١٨٠.",
     "phone number 0191 445 2180 is missing from the translation"),
    (PARAGRAPH, PARAGRAPH.upper(), "e-mail address help@example.org is missing"),
    ("Read more at https://example.org/more about stage 4.",
     "READ MORE AT https://example.org/less ABOUT STAGE 4.",
     "web address https://example.org/more is missing"),
    (PARAGRAPH, "A PARAGRAPH WITH **BOLD WORDS, A [WEB LINK](https://example.org/help) AND AN "
                "E-MAIL TO help@example.org.", "bold markers ** are unbalanced"),
    (PARAGRAPH, "A PARAGRAPH WITH BOLD WORDS, A [WEB LINK](https://example.org/help) AND AN "
                "E-MAIL TO help@example.org.", "the source text has 1 bold phrase(s)"),
    (PARAGRAPH, "A PARAGRAPH WITH **BOLD WORDS**, A [WEB LINK](https://evil.example/help) AND "
                "AN E-MAIL TO help@example.org.",
     "link target https://example.org/help is missing from the translation"),
])
def test_a_broken_protected_token_fails_the_language_with_file_and_line(tmp_path, msgid, msgstr,
                                                                         message):
    root = new_library(tmp_path)
    path = translate_catalog(root)
    set_msgstr(path, msgid, msgstr)
    result = leaflet(root, "build", "-f", "text", "-l", "xx", "-l", "en-GB", check=False)
    assert result.returncode == 1
    assert f"locales/xx/{SLUG}.po:{msgstr_line(path, msgid)}: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not output(root).exists()
    assert output(root, lang="en-GB").exists()  # other languages still build


@pytest.mark.parametrize("msgid, msgstr, message", [
    ("Phone 0191 445 2180.", "Zadzwoń 0191 445 2180 lub 0808 808 0000.",
     "the translation has a phone number, 0808 808 0000, that the English does not"),
    ("Phone 0191 445 2180.", "Zadzwoń 0191 445 21809.",
     "phone number 0191 445 2180 is missing from the translation"),
    ("Phone 0191 445 2180.", "Zadzwoń 0191 445 2181.",
     "phone number 0191 445 2180 is missing from the translation, which has 0191 445 2181 "
     "instead"),
    ("Email a@b.com.", "Napisz a@b.com.evil.example",
     "e-mail address a@b.com is missing from the translation, which has "
     "a@b.com.evil.example instead"),
    ("Email a@b.com.", "Napisz na xa@b.com.",
     "e-mail address a@b.com is missing from the translation, which has xa@b.com instead"),
    ("Email a@b.com.", "Napisz na a@b.com lub c@d.org.",
     "the translation has an e-mail address, c@d.org, that the English does not"),
    ("See https://nhs.uk.", "Zobacz https://nhs.uk.evil.example/",
     "web address https://nhs.uk is missing from the translation, which has "
     "https://nhs.uk.evil.example/ instead"),
    ("See https://nhs.uk.", "Zobacz https://nhs.uk lub https://evil.example.",
     "the translation has a web address, https://evil.example, that the English does not"),
])
def test_a_translation_may_not_add_extend_or_change_a_protected_token(msgid, msgstr, message):
    from leaflet.i18n import tokens
    errors = [f.message for f in tokens.compare(msgid, msgstr, "GB", "the English")
              if not f.warning]
    assert any(message in error for error in errors), errors


@pytest.mark.parametrize("msgid, msgstr", [
    ("Phone 0191 445 2180.", "Zadzwoń pod 0191\u00a0445\u00a02180."),
    ("Email a@b.com or see https://nhs.uk.", "Napisz (a@b.com) albo zobacz https://nhs.uk."),
    ("Email a@b.com or see https://nhs.uk/x.", "写信至a@b.com或访问https://nhs.uk/x。"),
])
def test_protected_tokens_copied_exactly_are_not_errors(msgid, msgstr):
    from leaflet.i18n import tokens
    assert [f.message for f in tokens.compare(msgid, msgstr) if not f.warning] == []


def test_an_added_phone_number_fails_the_language_naming_the_catalog_line(tmp_path):
    root = new_library(tmp_path)
    path = translate_catalog(root)
    msgid = "Ask the ward, or phone 0191 445 2180."
    set_msgstr(path, msgid, "ASK THE WARD, OR PHONE 0191 445 2180 OR 0808 808 0000.")
    result = leaflet(root, "build", "-f", "text", "-l", "xx", check=False)
    assert result.returncode == 1
    assert f"locales/xx/{SLUG}.po:{msgstr_line(path, msgid)}: the translation has a phone " \
           "number, 0808 808 0000, that the English does not" in result.stderr
    assert not output(root).exists()


def test_numbers_are_compared_across_digit_scripts_and_only_warned(tmp_path):
    root = new_library(tmp_path)
    path = translate_catalog(root)
    set_msgstr(path, "Read more at https://example.org/more about stage 4.",
               "READ MORE AT https://example.org/more ABOUT STAGE ৪.")
    set_msgstr(path, "second item at 8pm", "SECOND ITEM AT 20:00")
    set_msgstr(path, "Monday to Friday, 9am to 8pm", "MONDAY TO FRIDAY, 9:00 TO 21:00")
    result = leaflet(root, "build", "-f", "text", "-l", "xx")
    rel = f"locales/xx/{SLUG}.po"
    line = msgstr_line(path, "Monday to Friday, 9am to 8pm")
    assert f"{rel}:{line}: warning: check the numbers: 20:00 in the source text but not in " \
           "the translation; 21:00 in the translation but not in the source text" in result.stderr
    assert result.stderr.count("check the numbers") == 1  # ৪ is 4; 8pm is 20:00
    text = output(root).read_text(encoding="utf-8")
    assert "ABOUT STAGE ৪." in text and "SECOND ITEM AT 20:00" in text


# Signed off or DRAFT ------------------------------------------------------------------------

def test_draft_until_signed_off_and_again_after_a_change(tmp_path):
    root = new_library(tmp_path)
    path = translate_catalog(root)
    leaflet(root, "build", "-f", "text", "-f", "epub", "-l", "xx")
    assert DRAFT in output(root).read_text(encoding="utf-8")
    assert DRAFT in epub_xhtml(output(root, "epub"))
    assert "xx (draft)" in leaflet(root, "list").stdout
    assert re.search(r"every-unit\s+standard\s+xx\s+19\s+0\s+0\s+100%.*DRAFT",
                     leaflet(root, "stats").stdout)

    signed = leaflet(root, "review", "-l", "xx", SLUG, "--by", "Ada Lovelace, clinical translator")
    assert "signed off by Ada Lovelace (clinical translator)" in signed.stdout
    reviews = (root / "locales" / "xx" / "reviews.yaml").read_text(encoding="utf-8")
    assert "reviewer: Ada Lovelace" in reviews and "role: clinical translator" in reviews \
        and "sha256:" in reviews
    leaflet(root, "build", "-f", "text", "-f", "epub", "-l", "xx")
    assert DRAFT not in output(root).read_text(encoding="utf-8")
    assert DRAFT not in epub_xhtml(output(root, "epub"))
    assert "xx (draft)" not in leaflet(root, "list").stdout
    assert "signed off by Ada Lovelace" in leaflet(root, "stats").stdout

    set_msgstr(path, "first item", "FIRST ITEM!")
    leaflet(root, "build", "-f", "text", "-l", "xx")
    assert DRAFT in output(root).read_text(encoding="utf-8")
    assert "xx (draft)" in leaflet(root, "list").stdout


@pytest.mark.parametrize("field", ["source", "messages"])
def test_a_sign_off_missing_a_hash_is_void(tmp_path, field):
    """A record with a hash deleted would otherwise hold whatever the text became."""
    root = new_library(tmp_path)
    translate_catalog(root)
    leaflet(root, "review", "-l", "xx", SLUG, "--by", "Ada Lovelace, clinical translator")
    reviews = root / "locales" / "xx" / "reviews.yaml"
    lines = reviews.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.strip().startswith(f"{field}:")]
    assert len(kept) == len(lines) - 1
    reviews.write_text("\n".join(kept), encoding="utf-8")
    leaflet(root, "build", "-f", "text", "-l", "xx", check=False)
    assert DRAFT in output(root).read_text(encoding="utf-8")
    assert "xx (draft)" in leaflet(root, "list").stdout


def test_review_refuses_an_incomplete_catalog(tmp_path):
    root = new_library(tmp_path)
    translate_catalog(root, skip=("Help",))
    result = leaflet(root, "review", "-l", "xx", SLUG, "--by", "Ada Lovelace, translator", check=False)
    assert result.returncode == 1
    assert f"locales/xx/{SLUG}.po: cannot be signed off: 1 untranslated" in result.stderr
    assert not (root / "locales" / "xx" / "reviews.yaml").exists()


def test_stats_counts_each_catalog(tmp_path):
    root = new_library(tmp_path)
    path = translate_catalog(root, skip=("Help", "first item"))
    set_msgstr(path, "tablets", "PILLS", fuzzy=True)
    set_msgstr(path, "Monday to Friday, 9am to 8pm", "MONDAY TO FRIDAY, 9 TO 21")
    result = leaflet(root, "stats")
    assert re.search(r"every-unit\s+standard\s+xx\s+16\s+1\s+2\s+84%\s+1\s+0\s+DRAFT",
                     result.stdout), result.stdout


@pytest.mark.parametrize("tag", ["backup", "zz", 'x"y', "templates", "pl-XX"])
def test_commands_refuse_a_tag_that_is_not_a_language(tmp_path, tag):
    root = new_library(tmp_path)
    translate_catalog(root)
    for command in (("update", "-l", tag, SLUG), ("review", "-l", tag, SLUG, "--by", "Ada, nurse"),
                    ("stats", "-l", tag)):
        result = leaflet(root, *command, check=False)
        assert result.returncode == 1, command
        assert f"'{tag}' is not a language tag (for example pl, ar, bn, pt-BR)" in result.stderr
        assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (root / "locales").iterdir()) == ["templates", "xx"]


def test_stats_leaves_out_folders_not_named_by_a_language(tmp_path):
    import shutil
    root = new_library(tmp_path)
    path = translate_catalog(root, lang="pl")
    for name in ("backup", "PL", "x\"y"):
        (root / "locales" / name).mkdir()
        shutil.copy(path, root / "locales" / name / path.name)
    rows = json.loads(leaflet(root, "stats", "--json").stdout)
    assert [row["lang"] for row in rows] == ["pl"]
    assert [row["lang"] for row in json.loads(leaflet(root, "stats", "--json", "-l", "PL").stdout)] \
        == ["pl"]  # PL is Polish, written as the pl folder is named
    result = leaflet(root, "update", "-l", "PL", SLUG)
    assert f"locales/pl/{SLUG}.po:" in result.stdout


# Languages: words, dates, direction --------------------------------------------------------

def test_polish_dates_words_and_the_draft_banner_in_polish(tmp_path):
    root = new_library(tmp_path)
    translate_catalog(root, lang="pl")
    leaflet(root, "build", "-f", "text", "-l", "pl")
    text = output(root, lang="pl").read_text(encoding="utf-8")
    assert "6 stycznia 2027" in text
    assert "Data przeglądu: 6 stycznia 2027" in text
    assert f"*** {DRAFT} ***\n*** Wersja robocza tłumaczenia, jeszcze niesprawdzona ***" in text


def test_a_library_may_override_the_tools_words(tmp_path):
    root = new_library(tmp_path)
    translate_catalog(root, lang="pl")
    ui = root / "locales" / "pl" / "ui.po"
    ui.write_text('msgid ""\nmsgstr ""\n"Language: pl\\n"\n"Content-Type: text/plain; '
                  'charset=UTF-8\\n"\n\nmsgid "Review date"\nmsgstr "Termin rewizji"\n',
                  encoding="utf-8")
    leaflet(root, "build", "-f", "text", "-l", "pl")
    text = output(root, lang="pl").read_text(encoding="utf-8")
    assert "Termin rewizji: 6 stycznia 2027" in text
    assert "Wersja robocza tłumaczenia" in text  # the tool's other words still apply


def test_arabic_is_right_to_left_with_phone_numbers_kept(tmp_path):
    root = new_library(tmp_path)
    translate_catalog(root, lang="ar", change=lambda msgid: "نص " + upper_case(msgid))
    leaflet(root, "build", "-f", "text", "-f", "epub", "-l", "ar")
    xhtml = epub_xhtml(output(root, "epub", lang="ar"))
    assert re.search(r'<html[^>]* dir="rtl"', xhtml)
    assert re.search(r'<html[^>]* lang="ar"', xhtml)
    assert re.search(r'<a class="tel" dir="ltr"[^>]*>0808 808 0000</a>', xhtml)
    # in plain text the number is isolated left-to-right (LRI ... PDI)
    assert "نص ASK THE WARD, OR PHONE \u20660191 445 2180\u2069." in \
        output(root, lang="ar").read_text()


def test_errors_in_a_catalog_file_are_one_line(tmp_path):
    root = new_library(tmp_path)
    path = translate_catalog(root)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(30, "this is not po syntax")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = leaflet(root, "build", "-f", "text", "-l", "xx", check=False)
    assert result.returncode == 1
    assert f"locales/xx/{SLUG}.po:31: this is not a valid PO file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("broken, message", [
    ('msgstr "FIRST ITEM', 'the text after msgstr has no closing double quote (") at its end'),
    ('msgstr "FIRST "ITEM"', 'the text after msgstr has a double quote (") in the middle'),
    ("msgstr FIRST ITEM", 'the text after msgstr must be in double quotes'),
])
def test_a_msgstr_line_with_a_broken_quote_is_an_error_not_a_shorter_text(tmp_path, broken,
                                                                          message):
    root = new_library(tmp_path)
    path = translate_catalog(root)
    line = msgstr_line(path, "first item")
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[line - 1] == 'msgstr "FIRST ITEM"'
    lines[line - 1] = broken
    path.write_text("\n".join(lines), encoding="utf-8")
    for command in (("build", "-f", "text", "-l", "xx"), ("stats",), ("update", "-l", "xx")):
        result = leaflet(root, *command, check=False)
        assert result.returncode == 1, command
        assert f"locales/xx/{SLUG}.po:{line}: this is not a valid PO file: {message}" \
            in result.stderr, (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert not output(root).exists()
    assert path.read_text(encoding="utf-8").split("\n")[line - 1] == broken  # left as it was


def test_a_translation_cannot_bring_html(tmp_path):
    root = new_library(tmp_path)
    path = translate_catalog(root)
    set_msgstr(path, "first item", "FIRST <script>alert(1)</script> ITEM")
    result = leaflet(root, "build", "-f", "text", "-l", "xx", check=False)
    assert result.returncode == 1
    assert f"locales/xx/{SLUG}.po:{msgstr_line(path, 'first item')}: HTML is not allowed" \
        in result.stderr


# The sample translations in every format ------------------------------------------------------

SAMPLE = "secondary-breast-cancer"
REPO = Path(__file__).resolve().parent.parent


def sample_msgstr(lang: str, msgid: str) -> str:
    return polib.pofile(str(REPO / "locales" / lang / f"{SAMPLE}.po")).find(msgid).msgstr


def pdf_text(path: Path) -> str:
    import subprocess
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    # pdftotext marks embedded runs with bidi controls; the words are what matter here
    return "".join(c for c in text if c not in "\u202a\u202b\u202c\u202d\u202e\u200e\u200f")


def docx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        return "\n".join(docx.read(name).decode("utf-8") for name in docx.namelist()
                         if name.startswith("word/") and name.endswith(".xml"))


def test_the_sample_translations_are_draft_in_every_format(built):
    langs = {entry["lang"] for entry in built.artifacts}
    assert {"en-GB", "pl", "ar", "bn"} <= langs
    for entry in built.artifacts:
        assert entry["draft"] == (entry["lang"] != "en-GB"), entry["path"]
    for lang in ("en-GB", "pl"):
        expected = lang != "en-GB"
        assert (DRAFT in built.find("text", lang=lang).read_text(encoding="utf-8")) == expected
        assert (DRAFT in built.find("html", lang=lang).read_text(encoding="utf-8")) == expected
        assert (DRAFT in epub_xhtml(built.find("epub", lang=lang))) == expected
        assert (DRAFT in docx_xml(built.find("docx", lang=lang))) == expected
        assert (DRAFT in flat(pdf_text(built.find("pdf", lang=lang)))) == expected
    polish = "Wersja robocza tłumaczenia, jeszcze niesprawdzona"
    assert polish in built.find("html", lang="pl").read_text(encoding="utf-8")
    assert polish in flat(pdf_text(built.find("pdf", lang="pl")))


def test_polish_outputs_have_polish_dates_and_words(built):
    pdf = flat(pdf_text(built.find("pdf", lang="pl")))
    assert "6 stycznia 2027" in pdf
    assert sample_msgstr("pl", "What is secondary breast cancer?") in pdf
    assert "Data przeglądu: 6 stycznia 2027" in built.find("text", lang="pl").read_text()


def test_arabic_is_right_to_left_in_every_format(built):
    title = sample_msgstr("ar", "Secondary breast cancer")
    page = built.find("html", lang="ar").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]* lang="ar"', page) and re.search(r'<html[^>]* dir="rtl"', page)
    assert title in page
    xhtml = epub_xhtml(built.find("epub", lang="ar"))
    assert re.search(r'<html[^>]* dir="rtl"', xhtml)
    document = docx_xml(built.find("docx", lang="ar"))
    assert "<w:bidi/>" in document and "<w:rtl/>" in document
    pdf = pdf_text(built.find("pdf", lang="ar"))
    # logical order: the title reads as written, not reversed glyph by glyph
    assert title in pdf and title[::-1] not in pdf
    assert "0191 445 8418" in pdf and "8418 445 0191" not in pdf


def test_bengali_pdf_is_set_in_a_bengali_font(built):
    import subprocess
    fonts = subprocess.run(["pdffonts", str(built.find("pdf", lang="bn"))], capture_output=True,
                           text=True, check=True).stdout
    assert "Bengali" in fonts


def test_a_script_no_installed_font_covers_fails_the_pdf_naming_the_package(tmp_path):
    import subprocess
    if subprocess.run(["fc-list", ":charset=4e2d"], capture_output=True, text=True).stdout.strip():
        pytest.skip("a Chinese font is installed here")
    root = new_library(tmp_path)
    translate_catalog(root, lang="zh", change=lambda msgid: "中文 " + upper_case(msgid))
    result = leaflet(root, "build", "-f", "pdf", "-f", "text", "-e", "standard", "-l", "zh",
                     check=False)
    assert result.returncode == 1
    assert f"{SLUG}/zh/{SLUG}.zh.pdf: no installed font covers Han script: install " \
           "fonts-noto-cjk" in result.stderr
    assert "Traceback" not in result.stderr
    assert output(root, "text", lang="zh").is_file()
    assert not output(root, "pdf", lang="zh").exists()


def test_a_message_translated_twice_is_an_error(tmp_path):
    root = new_library(tmp_path)
    path = translate_catalog(root)
    with path.open("a", encoding="utf-8") as catalog:
        catalog.write('\nmsgid "first item"\nmsgstr "ANOTHER FIRST ITEM"\n')
    result = leaflet(root, "build", "-f", "text", "-l", "xx", check=False)
    assert result.returncode == 1
    last = len(path.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    assert f'locales/xx/{SLUG}.po:{last}: "first item" is in the catalog twice' in result.stderr


def test_the_tools_words_are_extracted_and_translated_for_every_sample_language():
    """Fails when a writer or template gains a word: run `leaflet extract --ui` and
    translate it in formats/locales/<lang>/ui.po."""
    from leaflet import i18n

    locales = REPO / "formats" / "locales"
    marked = {entry.msgid for entry in i18n.ui_template()}
    assert marked == {entry.msgid for entry in polib.pofile(str(locales / "ui.pot"))}
    for lang in ("pl", "ar", "bn"):
        po = polib.pofile(str(locales / lang / "ui.po"))
        done = {e.msgid for e in po.translated_entries()}
        assert marked <= done, f"{lang}: {sorted(marked - done)}"
        for entry in po.translated_entries():
            assert set(re.findall(r"\{\w*\}", entry.msgid)) == \
                set(re.findall(r"\{\w*\}", entry.msgstr)), entry.msgid


def test_a_library_word_that_drops_a_placeholder_is_not_used(tmp_path):
    root = new_library(tmp_path)
    translate_catalog(root, lang="pl")
    (root / "locales" / "pl" / "ui.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Page {page} of {pages}"\nmsgstr "Strona {strona}"\n\n'
        'msgid "Published"\nmsgstr "Wydano"\n', encoding="utf-8")
    leaflet(root, "build", "-f", "text", "-f", "pdf", "-e", "standard", "-l", "pl")
    assert "Wydano: 6 stycznia 2025" in output(root, lang="pl").read_text(encoding="utf-8")
    assert "Strona 1 z" in flat(pdf_text(output(root, "pdf", lang="pl")))


# The library's own functions: the rules `list` shows, work done once -----------------------

def test_list_rules_are_library_functions_on_an_already_read_leaflet(tmp_path, monkeypatch):
    import datetime as dt

    from leaflet import i18n, source
    from leaflet.checks import is_overdue
    from leaflet.library import Library, read_leaflet

    root = new_library(tmp_path)
    translate_catalog(root)
    library = Library(root)
    parsed = read_leaflet(library, SLUG)
    reads = []
    for name in ("parse_file", "parse_text", "read_text"):
        original = getattr(source, name)
        monkeypatch.setattr(source, name, lambda *args, _f=original, **kw:
                            reads.append(args) or _f(*args, **kw))
    assert i18n.language_states(library, parsed) == [("en-GB", False), ("xx", True)]
    translated = i18n.translate(library, parsed, "xx")
    assert translated.leaflet.meta.title == "EVERY UNIT" and translated.draft
    assert reads == []  # neither reads the source again
    leaflet(root, "review", "-l", "xx", SLUG, "--by", "Ada Lovelace, translator")
    assert i18n.language_states(library, parsed) == [("en-GB", False), ("xx", False)]
    assert not is_overdue(parsed, dt.date(2027, 1, 6))
    assert is_overdue(parsed, dt.date(2027, 1, 7))


def test_reviews_yaml_is_read_through_the_one_yaml_reader(tmp_path):
    root = new_library(tmp_path)
    translate_catalog(root)
    (root / "locales" / "xx" / "reviews.yaml").write_text(
        f"a: &record {{by: Eve}}\n{SLUG}.po: *record\n", encoding="utf-8")
    result = leaflet(root, "stats", check=False)
    assert result.returncode == 1
    assert "locales/xx/reviews.yaml:1: not valid YAML; it is written by 'leaflet review'" \
        in result.stderr
    assert "Traceback" not in result.stderr
