"""The tool's own words in every language it ships: each ``formats/locales/<lang>/ui.po``
is complete, keeps every {placeholder}, is written as GNU gettext writes it and says that
it awaits a check; a short leaflet built into text, web page, Word and PDF in each of those
languages prints none of the tool's words in English; ``stats`` shows the words' state and
a library can sign them off.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile

import polib
import pytest

from conftest import REPO, run_leaflet
from leaflet.i18n.ui_words import _candidates, placeholders

LOCALES = REPO / "formats" / "locales"
SHIPPED = sorted(p.parent.name for p in LOCALES.glob("*/ui.po"))
# The languages of the issue: every one ships the tool's words.
THIRTY = ("pl", "ro", "ur", "bn", "ar", "pa", "pt", "lt", "gu", "ta", "so", "tr", "fa", "ckb",
          "zh-Hans", "zh-Hant", "ps", "ti", "sq", "es", "ru", "uk", "cy", "lv", "hi", "it", "fr",
          "prs", "vi", "ne", "am")
AWAITS = "These words await a qualified translator's check."
SLUG = "knee-clinic"
SOURCE = """\
---
title: Your knee clinic visit
organisation: Tool Words Test NHS Foundation Trust
language: en-GB
code: TW-001
version: "1"
published: 2025-02-03
review: 2027-02-03
online: https://www.example-hospital.nhs.uk/knee/
owner: Knee clinic team
requests: Ask the knee clinic team, or phone 0191 445 2180.
---

# Before your visit

Rest your knee the evening before.

::: callout info
The knee clinic is on the ground floor.
:::

::: callout warning
Do not drive home after your visit.
:::

::: callout urgent
Call 999 straight away if your leg turns cold.
:::

| Day | Clinic |
| --- | --- |
| Monday | Knee clinic |
| Friday | Knee clinic |

# Who to ask

::: contacts
- name: Knee clinic
  about: Questions about your knee.
  phone: 0191 445 2180
  email: knee@example-hospital.nhs.uk
  web: https://www.example-hospital.nhs.uk/knee/
  hours: Monday to Friday, 9am to 5pm
:::
"""
DRAFT_ENGLISH = "DRAFT translation, not yet checked"  # the banner's English line, by design


def pot_entries() -> list[polib.POEntry]:
    return list(polib.pofile(str(LOCALES / "ui.pot")))


def tool_catalog(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALES / lang / "ui.po"))


# The files ---------------------------------------------------------------------------

def test_every_language_of_the_issue_ships_the_tools_words():
    assert set(THIRTY) <= set(SHIPPED)


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_word_is_translated_with_its_placeholders(lang):
    po = tool_catalog(lang)
    entries = {e.msgid: e for e in po if not e.obsolete}
    assert set(entries) == {e.msgid for e in pot_entries()}
    for entry in entries.values():
        assert entry.msgstr.strip(), (lang, entry.msgid)
        assert "fuzzy" not in entry.flags, (lang, entry.msgid)
        assert placeholders(entry.msgstr) == placeholders(entry.msgid), (lang, entry.msgid)
        assert entry.msgstr == entry.msgstr.strip(), (lang, entry.msgid)
    assert po.metadata["Language"] == lang
    assert po.metadata.get("Plural-Forms", "").startswith("nplurals=")


@pytest.mark.parametrize("lang", sorted(set(THIRTY) - {"pl", "ar", "bn"}))
def test_each_new_file_says_it_awaits_a_qualified_check(lang):
    text = (LOCALES / lang / "ui.po").read_text(encoding="utf-8")
    header = text.split('msgid ""', 1)[0]
    assert f"# {AWAITS}\n" in header
    assert "Last-Translator: \\n" in text  # nobody has signed it


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext is not installed")
def test_the_files_are_written_as_gnu_gettext_writes_them(tmp_path):
    for lang in SHIPPED:
        path = LOCALES / lang / "ui.po"
        out = tmp_path / f"{lang}.po"
        subprocess.run(["msgcat", str(path), "-o", str(out)], check=True)
        assert out.read_bytes() == path.read_bytes(), lang


def test_a_language_finds_the_folder_of_its_script_and_never_another_scripts():
    assert "zh-Hans" in _candidates("zh-CN") and "zh-Hans" in _candidates("zh")
    assert "zh-Hant" in _candidates("zh-TW") and "zh-Hant" in _candidates("zh-HK")
    assert "zh" not in _candidates("zh-TW") and "zh-Hans" not in _candidates("zh-Hant")
    assert "prs" in _candidates("fa-AF")
    assert "pa" not in _candidates("pa-Arab") and "pa" in _candidates("pa-IN")
    assert _candidates("pt-BR")[-1] == "pt"


# The outputs -------------------------------------------------------------------------

def _word_pattern(msgid: str) -> re.Pattern:
    parts = re.split(r"\{[a-z_]*\}", msgid)
    body = r"\S+?".join(re.escape(p) for p in parts)
    return re.compile(r"(?<!\w)" + body.replace(r"\ ", r"\s+") + r"(?!\w)")


def _text(path) -> str:
    suffix = path.suffix
    if suffix == ".txt":
        text = path.read_text(encoding="utf-8")
    elif suffix == ".html":
        from lxml import html as lxml_html

        tree = lxml_html.fromstring(path.read_bytes())
        for bad in tree.xpath("//script|//style"):
            bad.drop_tree()
        attributes = " ".join(v for a in ("alt", "aria-label", "title")
                              for v in tree.xpath(f"//@{a}"))
        text = tree.text_content() + "\n" + attributes
    elif suffix == ".docx":
        parts = []
        with zipfile.ZipFile(path) as docx:
            for name in docx.namelist():
                if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                    xml = docx.read(name).decode("utf-8")
                    for para in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
                        parts.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para)))
        text = html.unescape("\n".join(parts))
    else:
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", text)


FORMATS = {"text": "txt", "html": "html", "docx": "docx", "pdf": "pdf"}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """The short leaflet with a draft translation (every message kept as written, so no
    leaflet text is a tool word) in every shipped language."""
    root = tmp_path_factory.mktemp("tool-words")
    (root / "leaflet_src" / SLUG).mkdir(parents=True)
    (root / "leaflet_src" / SLUG / "leaflet.md").write_text(SOURCE, encoding="utf-8")
    for lang in SHIPPED:
        run_leaflet("--root", str(root), "update", "-l", lang, SLUG, check=True)
        path = root / "locales" / lang / f"{SLUG}.po"
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = entry.msgid
        po.save(str(path))
    return root


@pytest.fixture(scope="module")
def outputs(library, tmp_path_factory):
    out = tmp_path_factory.mktemp("tool-words-build")
    args = [a for name in FORMATS for a in ("-f", name)]
    result = run_leaflet("--root", str(library), "build", "-o", str(out), "-j", "2", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _english_words_used(outputs, fmt: str) -> dict[str, re.Pattern]:
    """The tool's words the English leaflet prints in the format, each as a pattern."""
    text = _text(outputs / SLUG / "en-GB" / f"{SLUG}.en-GB.{FORMATS[fmt]}")
    return {e.msgid: pattern for e in pot_entries()
            if (pattern := _word_pattern(e.msgid)).search(text)}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "html", "docx", "pdf"])
def test_no_output_prints_a_tool_word_in_english(outputs, fmt):
    used = _english_words_used(outputs, fmt)
    # the test has words to look for: the contact's labels and the boxes' titles at least
    assert {"Phone", "Email", "Warning", "Urgent"} <= set(used), sorted(used)
    if fmt == "pdf":
        assert "Page {page} of {pages}" in used
    found = {}
    for lang in SHIPPED:
        words = {e.msgid: e.msgstr for e in tool_catalog(lang) if not e.obsolete}
        own = " ".join(words.values())
        text = _text(outputs / SLUG / lang / f"{SLUG}.{lang}.{FORMATS[fmt]}")
        text = text.replace(DRAFT_ENGLISH, " ")
        english = [msgid for msgid, pattern in used.items()
                   if words[msgid] != msgid and not pattern.search(own) and pattern.search(text)]
        if english:
            found[lang] = english
        if fmt in ("text", "html"):
            missing = [m for m in ("Phone", "Warning", "Urgent")
                       if not _word_pattern(words[m]).search(text)]
            assert not missing, (lang, missing)
    assert not found, found


# stats and sign-off -----------------------------------------------------------------

def test_stats_shows_the_tool_words_and_a_library_signs_them_off(library):
    root = str(library)
    result = run_leaflet("--root", root, "stats", "-l", "cy", "-l", "zh-Hant", check=True)
    total = len(pot_entries())
    assert re.search(rf"^cy\s+{total} of {total}\s+0\s+awaiting a qualified check$",
                     result.stdout, re.M), result.stdout
    refused = run_leaflet("--root", root, "review", "--ui", "-l", "cy")
    assert refused.returncode != 0 and "--by" in refused.stderr + refused.stdout
    run_leaflet("--root", root, "review", "--ui", "-l", "cy", "--by", "Siân Jones, translator",
                check=True)
    result = run_leaflet("--root", root, "stats", "-l", "cy", check=True)
    assert re.search(r"^cy\s+.*signed off by Siân Jones \(translator\) on \d{4}-",
                     result.stdout, re.M), result.stdout
    # a word the library changes voids the sign-off and counts as the library's
    (library / "locales" / "cy" / "ui.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: cy\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"'
        '\n\nmsgid "Note"\nmsgstr "Nodyn pwysig"\n', encoding="utf-8")
    result = run_leaflet("--root", root, "stats", "-l", "cy", check=True)
    assert re.search(rf"^cy\s+{total} of {total}\s+1\s+awaiting a qualified check$",
                     result.stdout, re.M), result.stdout
    assert run_leaflet("--root", root, "check", "-l", "cy").returncode == 0


def test_a_word_left_untranslated_refuses_the_sign_off(library):
    # Sindhi, in the Arabic script: no file of the tool's words is its words (not Urdu's)
    result = run_leaflet("--root", str(library), "review", "--ui", "-l", "sd", "--by",
                         "Ali Khan, translator")
    assert result.returncode == 1
    assert "cannot be signed off" in result.stderr + result.stdout
    assert not (library / "locales" / "sd" / "reviews.yaml").exists()
