"""Clinical safety of translations: each attack a translator's mistake (or a hostile catalog)
could make on the sample library, one change at a time, and what the tool says.

Every test starts from the sample library (its leaflet and its Polish, Arabic and Bengali
catalogs); the dose and emergency tests add one urgent box and two paragraphs to the
leaflet, translated correctly into Polish, so that the one change under test is the only
thing wrong.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import polib
import pytest
import yaml

from conftest import SAMPLE_SLUG, add_to_sample, leaflet, library_copy

SLUG = SAMPLE_SLUG
REQUESTS = "Ask your breast care nurse, or phone 0191 445 2180."

EXTRA_SOURCE = """
# When to get help

::: callout urgent
If you feel very unwell, call 999.
:::

Take 5 mg twice a day. Take no more than 8 tablets in 24 hours, at least 4 hours apart.

If your temperature is 37.5 or higher, phone the ward on 0191 445 3735 or, out of hours,
0191 445 8353.
"""
HEADING = "When to get help"
URGENT = "If you feel very unwell, call 999."
DOSE = "Take 5 mg twice a day. Take no more than 8 tablets in 24 hours, at least 4 hours apart."
FEVER = ("If your temperature is 37.5 or higher, phone the ward on 0191 445 3735 or, out of "
         "hours, 0191 445 8353.")
POLISH = {
    HEADING: "Kiedy szukać pomocy",
    URGENT: "Jeśli czujesz się bardzo źle, zadzwoń pod 999.",
    DOSE: "Przyjmuj 5 mg dwa razy dziennie. Nie przyjmuj więcej niż 8 tabletek w ciągu "
          "24 godzin, zachowując co najmniej 4 godziny odstępu.",
    FEVER: "Jeśli temperatura wynosi 37,5 lub więcej, zadzwoń na oddział pod numer "
           "0191 445 3735 lub, poza godzinami pracy, 0191 445 8353.",
}


def sample(tmp_path, extra: bool = False):
    """A copy of the sample library; with ``extra``, the leaflet has the dose and
    emergency messages too, merged into the Polish catalog and translated correctly."""
    root = library_copy(tmp_path / "library")
    if extra:
        add_to_sample(root, EXTRA_SOURCE)
        leaflet(root, "update", "-l", "pl", SLUG, "-e", "standard")
        for msgid, msgstr in POLISH.items():
            set_msgstr(root, msgid, msgstr)
    return root


def catalog(root, lang: str = "pl"):
    return root / "locales" / lang / f"{SLUG}.po"


def set_msgstr(root, msgid: str, msgstr: str, lang: str = "pl", flags: tuple = ()) -> None:
    path = catalog(root, lang)
    po = polib.pofile(str(path), wrapwidth=0)
    entry = po.find(msgid)
    assert entry is not None, msgid
    entry.msgstr = msgstr
    entry.flags = [f for f in entry.flags if f != "fuzzy"] + list(flags)
    po.save(str(path))


def line_of(root, msgid: str, lang: str = "pl") -> int:
    """The catalog line of a message's msgstr, found by reading the file with polib."""
    path = catalog(root, lang)
    entry = polib.pofile(str(path)).find(msgid)
    lines = path.read_text(encoding="utf-8").split("\n")
    for number in range(entry.linenum - 1, len(lines)):
        if lines[number].startswith("msgstr"):
            return number + 1
    raise AssertionError(msgid)


def where(root, msgid: str, lang: str = "pl") -> str:
    return f"locales/{lang}/{SLUG}.po:{line_of(root, msgid, lang)}: "


def check(root, *args: str) -> subprocess.CompletedProcess:
    return leaflet(root, "check", *args, check=False)


def test_the_sample_and_its_extension_are_clean_to_start_with(tmp_path):
    root = sample(tmp_path, extra=True)
    result = check(root)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr


# 1. Bidi controls and control characters -----------------------------------------------

@pytest.mark.parametrize("lang, msgstr, named", [
    ("pl", "Zapytaj pielęgniarkę lub zadzwoń \u202e0191 445 2180\u202c.", "U+202E"),
    ("pl", "Zapytaj pielęgniarkę lub zadzwoń \u202d0191 445 2180\u202c.", "U+202D"),
    ("ar", "اسأل ممرضتك أو اتصل بالرقم \u20670191 445 2180\u2069.", "U+2067"),
    ("ar", "اسأل ممرضتك أو اتصل بالرقم \u200f0191 445 2180.", "U+200F"),
    ("ar", "اسأل ممرضتك أو اتصل بالرقم 0191 445\u200e 2180.", "U+200E"),
])
def test_a_bidi_control_in_or_around_a_phone_number_is_refused_with_the_line(tmp_path, lang,
                                                                             msgstr, named):
    root = sample(tmp_path)
    set_msgstr(root, REQUESTS, msgstr, lang)
    result = leaflet(root, "build", "-f", "text", "-f", "docx", "-l", lang, "-o",
                     str(tmp_path / "out"), check=False)
    assert result.returncode == 1
    assert re.search(re.escape(where(root, REQUESTS, lang)) + r".*hidden " + re.escape(named),
                     result.stderr), result.stderr
    assert not list((tmp_path / "out").rglob(f"*.{lang}.txt"))
    assert named in check(root, "-l", lang).stderr


def test_a_right_to_left_mark_away_from_tokens_is_ordinary_arabic(tmp_path):
    root = sample(tmp_path)
    path = catalog(root, "ar")
    entry = polib.pofile(str(path)).find(REQUESTS)
    set_msgstr(root, REQUESTS, "\u200f" + entry.msgstr, "ar")
    assert check(root, "-l", "ar").returncode == 0


@pytest.mark.parametrize("control", ["\x07", "\x1b", "\x85"])
def test_a_control_character_in_a_catalog_is_refused_when_read_with_its_line(tmp_path, control):
    root = sample(tmp_path)
    path = catalog(root)
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if '"Zapytaj' in text)
    lines[line - 1] = lines[line - 1].replace("Zapytaj", f"Zapytaj{control}", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    result = leaflet(root, "build", "-f", "text", "-f", "pdf", "-f", "docx", "-f", "epub",
                     "-l", "pl", "-o", str(tmp_path / "out"), check=False)
    assert result.returncode == 1
    assert f"locales/pl/{SLUG}.po:{line}: the catalog has a control character " \
           f"(U+{ord(control):04X})" in result.stderr
    assert "internal error" not in result.stderr and "could not be written" not in result.stderr
    assert "leaflet.md" not in result.stderr


def test_a_control_character_written_as_an_escape_is_refused_too(tmp_path):
    root = sample(tmp_path)
    path = catalog(root)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr "Wtórny rak piersi"', 'msgstr "Wtórny\\b rak piersi"'),
                    encoding="utf-8")
    result = check(root, "-l", "pl")
    assert result.returncode == 1
    assert "the catalog has a control character (U+0008)" in result.stderr


# 2. Tokens in order; decimals whole -----------------------------------------------------

def test_swapped_ward_and_out_of_hours_numbers_are_an_error(tmp_path):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, FEVER, POLISH[FEVER].replace("0191 445 3735", "X").replace(
        "0191 445 8353", "0191 445 3735").replace("X", "0191 445 8353"))
    result = check(root, "-l", "pl")
    assert result.returncode == 1
    assert where(root, FEVER) + "the phone numbers are in a different order: the English " \
        "has 0191 445 3735, then 0191 445 8353; the translation has 0191 445 8353, then " \
        "0191 445 3735" in result.stderr


@pytest.mark.parametrize("msgstr, message", [
    (POLISH[DOSE].replace("8 tabletek", "4 tabletek").replace("4 godziny", "8 godziny"),
     'the amount "8 tablets" is "4 tabletek" in the translation'),
    (POLISH[DOSE].replace("24 godzin", "4 godzin").replace("4 godziny", "24 godziny"),
     'the amount "24 hours" is "4 godzin" in the translation'),
])
def test_swapped_amounts_are_an_error_naming_which_changed(tmp_path, msgstr, message):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, DOSE, msgstr)
    result = check(root, "-l", "pl")
    assert result.returncode == 1
    assert where(root, DOSE) + message in result.stderr


def test_a_decimal_is_one_number_and_a_changed_one_is_named(tmp_path):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, FEVER, POLISH[FEVER].replace("37,5", "5,37"))
    result = check(root, "-l", "pl")
    assert where(root, FEVER) + "warning: check the numbers: 37.5 in the source text but not " \
        "in the translation; 5.37 in the translation but not in the source text" in result.stderr
    assert "37, 5" not in result.stderr


def test_a_decimal_written_with_the_languages_comma_is_the_same_number():
    from leaflet.i18n import tokens
    assert tokens.compare(FEVER, POLISH[FEVER], lang="pl", source_lang="en-GB") == []


# 3. Emergency and short numbers ---------------------------------------------------------

@pytest.mark.parametrize("msgstr, message", [
    ("Jeśli czujesz się bardzo źle, zadzwoń pod 112.",
     "emergency number 999 is missing from the translation, which has 112 instead"),
    ("Jeśli czujesz się bardzo źle, idź do lekarza.",
     "emergency number 999 is missing from the translation"),
])
def test_a_changed_or_deleted_emergency_number_is_an_error(tmp_path, msgstr, message):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, URGENT, msgstr)
    result = leaflet(root, "build", "-f", "text", "-l", "pl", "-o", str(tmp_path / "out"),
                     check=False)
    assert result.returncode == 1
    assert where(root, URGENT) + message in result.stderr
    assert "warning: " + message not in result.stderr


def test_short_numbers_are_named_in_the_translators_notes(tmp_path):
    root = sample(tmp_path, extra=True)
    entry = polib.pofile(str(catalog(root))).find(URGENT)
    assert "Keep the emergency number 999 exactly as it is." in entry.comment
    from leaflet.i18n import tokens
    assert "Keep the phone number 116 123 exactly as it is." in tokens.notes(
        "Ring the Samaritans on 116 123.")
    assert tokens.notes("Take 112 mg.") == [
        'Keep the amounts "112 mg" with the same numbers and units, in the same order.']


# 4. Doses ------------------------------------------------------------------------------

@pytest.mark.parametrize("change, message", [
    (("5 mg", "50 mg"), 'the amount "5 mg" is "50 mg" in the translation'),
    (("5 mg", "5 g"), 'the amount "5 mg" is "5 g" in the translation'),
    (("dwa razy", "trzy razy"), 'the amount "twice" (2 times) is "trzy razy" (3 times)'),
])
def test_a_changed_dose_is_an_error_and_cannot_be_signed_off(tmp_path, change, message):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, DOSE, POLISH[DOSE].replace(*change))
    result = check(root, "-l", "pl")
    assert result.returncode == 1
    assert where(root, DOSE) + message in result.stderr
    signed = leaflet(root, "review", "-l", "pl", SLUG, "--by", "Ada Lovelace", "--role",
                     "clinical translator", check=False)
    assert signed.returncode == 1 and message in signed.stderr
    assert not (root / "locales" / "pl" / "reviews.yaml").exists()


def test_a_dose_flagged_leaflet_accept_by_the_translator_stays_an_error(tmp_path):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, DOSE, POLISH[DOSE].replace("dwa razy dziennie", "rano i wieczorem"),
               flags=("leaflet-accept",))
    result = leaflet(root, "build", "-f", "text", "-l", "pl", "-o", str(tmp_path / "out"),
                     check=False)
    assert result.returncode == 1
    assert where(root, DOSE) + 'the amount "twice" (2 times) is missing from the ' \
        'translation' in result.stderr
    assert "flag asks the reviewer to accept it" in result.stderr
    assert "accepted by the reviewer" not in result.stderr


def test_review_accept_line_records_the_acceptance_and_leaves_the_catalog_alone(tmp_path):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, DOSE, POLISH[DOSE].replace("dwa razy dziennie", "rano i wieczorem"))
    before = catalog(root).read_bytes()
    line = line_of(root, DOSE)
    leaflet(root, "review", "-l", "pl", SLUG, "--by", "Ada Lovelace", "--role",
            "clinical translator", "--accept", str(line))
    assert catalog(root).read_bytes() == before
    record = yaml.safe_load((root / "locales" / "pl" / "reviews.yaml").read_text())[
        f"{SLUG}.po"][-1]
    assert [(item["finding"], item["values"]) for item in record["accepted"]] == [
        ("amount", ['"twice" (2 times)', ""])]
    assert '"twice" (2 times) is missing' in record["accepted"][0]["message"]
    out = tmp_path / "out"
    leaflet(root, "build", "-f", "text", "-l", "pl", "-o", str(out))
    again = leaflet(root, "build", "-f", "text", "-l", "pl", "-o", str(out))
    assert "0 built" in again.stdout
    result = check(root, "-l", "pl")
    assert result.returncode == 0
    assert "accepted by the reviewer" in result.stderr


# 5. check reads the catalogs; stats fails on errors --------------------------------------

def test_check_and_stats_report_a_wrong_digit_in_a_catalog(tmp_path):
    root = sample(tmp_path)
    set_msgstr(root, REQUESTS, "Zapytaj pielęgniarkę lub zadzwoń pod numer 0191 445 2181.")
    for args in (("check",), ("check", "--strict"), ("check", "-l", "pl")):
        result = check(root, *args[1:])
        assert result.returncode == 1, args
        assert where(root, REQUESTS) + "phone number 0191 445 2180 is missing from the " \
            "translation, which has 0191 445 2181 instead" in result.stderr
    assert check(root, "-l", "ar").returncode == 0
    stats = leaflet(root, "stats", check=False)
    assert stats.returncode == 1
    assert re.search(r"standard\s+pl\s+64\s+0\s+0\s+100%\s+0\s+1\s", stats.stdout)


# 11. Sign-off as a record ----------------------------------------------------------------

def test_sign_off_records_reviewer_role_hashes_and_history(tmp_path):
    root = sample(tmp_path)
    refused = leaflet(root, "review", "-l", "pl", SLUG, "--by", "x", check=False)
    assert refused.returncode == 1 and "--by NAME --role ROLE" in refused.stderr
    no_role = leaflet(root, "review", "-l", "pl", SLUG, "--by", "Ada Lovelace", check=False)
    assert no_role.returncode == 1 and "--role ROLE" in no_role.stderr
    leaflet(root, "review", "-l", "pl", SLUG, "--by", "Ada Lovelace, clinical translator")
    leaflet(root, "review", "-l", "pl", SLUG, "--by", "Grace Hopper", "--role", "oncology nurse")
    records = yaml.safe_load((root / "locales" / "pl" / "reviews.yaml").read_text())[f"{SLUG}.po"]
    assert [(r["reviewer"], r["role"]) for r in records] == [
        ("Ada Lovelace", "clinical translator"), ("Grace Hopper", "oncology nurse")]
    last = records[-1]
    assert last["code"] == "SAMPLE-ONC-001" and last["version"] == "1"
    assert last["tool"].startswith("leaflet ")
    assert last["source"].startswith("sha256:") and last["messages"].startswith("sha256:")
    assert last["source"] != last["messages"]
    stats = leaflet(root, "stats", "-l", "pl").stdout
    assert re.search(r"standard\s+pl.*signed off by Grace Hopper \(oncology nurse\) on "
                     r"\d{4}-\d\d-\d\d", stats)


def test_a_sentence_leaving_its_urgent_box_voids_the_sign_off(tmp_path):
    root = sample(tmp_path, extra=True)
    leaflet(root, "review", "-l", "pl", SLUG, "--by", "Ada Lovelace", "--role", "translator")
    assert "signed off by Ada Lovelace" in leaflet(root, "stats", "-l", "pl").stdout
    source = root / "leaflet_src" / SLUG / "leaflet.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(f"::: callout urgent\n{URGENT}\n:::", URGENT),
                      encoding="utf-8")
    stats = leaflet(root, "stats", "-l", "pl").stdout
    assert re.search(r"standard\s+pl\s.*DRAFT", stats), stats


# 12. Smaller --------------------------------------------------------------------------------

def test_a_javascript_link_in_a_msgstr_is_refused(tmp_path):
    root = sample(tmp_path)
    set_msgstr(root, REQUESTS, "[Zapytaj](javascript:alert(1)) pielęgniarkę lub zadzwoń pod "
               "numer 0191 445 2180.")
    result = check(root, "-l", "pl")
    assert result.returncode == 1
    assert where(root, REQUESTS) + "link target javascript:alert(1 is not in the source" \
        in result.stderr


def test_bold_moved_to_other_words_is_an_error():
    from leaflet.i18n import tokens
    found = tokens.compare("Take **2 tablets** at 8pm.", "Weź 2 tabletki o **20:00**.",
                           lang="pl")
    assert any("the bold phrase **2 tablets** is **20:00**" in f.message and not f.warning
               for f in found)
    assert tokens.compare("Take **2 tablets** at 8pm.", "Weź **2 tabletki** o 20:00.",
                          lang="pl") == []


def test_an_entry_with_a_msgctxt_the_source_does_not_give_is_named_not_ignored(tmp_path):
    root = sample(tmp_path)
    path = catalog(root)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgid "Secondary breast cancer"',
                                 'msgctxt "title"\nmsgid "Secondary breast cancer"', 1),
                    encoding="utf-8")
    result = check(root, "-l", "pl")
    assert "has the context \"title\" here, which the source does not give it" in result.stderr
    assert "1 not in the catalog" in result.stderr
    assert check(root, "-l", "pl", "--strict").returncode == 1


def test_arabic_plural_forms_are_gettexts_standard_formula():
    from leaflet.i18n import plural_forms
    assert plural_forms("ar") == ("nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
                                  "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;")


def test_a_written_catalog_is_as_gnu_gettext_writes_it(tmp_path):
    """msgcat (Debian's gettext package) rewrites a catalog its own way: ours must be the
    same text, so that a translator's tool does not rewrite every wrapped line."""
    if shutil.which("msgcat") is None:
        pytest.skip("msgcat is not installed (apt-get install gettext)")
    root = sample(tmp_path, extra=True)
    leaflet(root, "update", "-l", "pl", "-l", "ar", "-l", "bn", "-l", "zh-Hans")
    written = sorted((root / "locales").rglob("*.po*"))
    assert len(written) >= 10
    for path in written:
        result = subprocess.run(["msgcat", str(path)], capture_output=True, text=True,
                                check=True)
        assert result.stdout == path.read_text(encoding="utf-8"), path
    pot = polib.pofile(str(root / "locales" / "templates" / f"{SLUG}.pot"))
    assert pot.find(REQUESTS).occurrences == [(f"leaflet_src/{SLUG}/leaflet.md", "11")]


def test_update_creates_the_languages_ui_po_and_the_build_warns_of_english_words(tmp_path):
    root = sample(tmp_path)
    # a language the tool ships no words for (it ships thirty)
    leaflet(root, "update", "-l", "kk")
    ui = polib.pofile(str(root / "locales" / "kk" / "ui.po"))
    assert "DRAFT translation, not yet checked" in {e.msgid for e in ui}
    # The tool has Polish words: the library's Polish ui.po has only the library's own.
    assert [e.msgid for e in polib.pofile(str(root / "locales" / "pl" / "ui.po"))] == [
        "Sample hospital logo"]
    path = catalog(root, "kk")
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = entry.msgid
    po.save(str(path))
    result = leaflet(root, "build", "-f", "text", "-l", "kk", "-o", str(tmp_path / "out"))
    assert re.search(r"locales/kk/ui\.po: warning: \d+ of the tool's own words .* are not "
                     r"translated into Kazakh", result.stderr), result.stderr


def test_a_gettext_style_folder_is_named_and_the_typed_tag_is_kept(tmp_path):
    root = sample(tmp_path)
    (root / "locales" / "pl").rename(root / "locales" / "pt_BR")
    result = check(root)
    assert result.returncode == 1
    assert "locales/pt_BR: this folder is not read: a language's folder is named by its tag, " \
        "so rename it to locales/pt-BR" in result.stderr
    refused = leaflet(root, "update", "-l", "pt_BR", check=False)
    assert refused.returncode == 1 and "rename it to locales/pt-BR" in refused.stderr
    assert not (root / "locales" / "pt-BR").exists()
    leaflet(root, "update", "-l", "zh-CN", SLUG)
    assert (root / "locales" / "zh-CN" / f"{SLUG}.po").is_file()
    assert not (root / "locales" / "zh-Hans-CN").exists()
