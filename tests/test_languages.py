"""The languages patients ask for: amounts checked with CLDR's units, language tags,
speech and the voices and braille tables chosen for each of them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from leaflet.i18n import amounts, tokens

ROOT = Path(__file__).resolve().parent.parent

# The thirty languages NHS interpreting services are asked for most, as tags.
THIRTY = ("pl", "ro", "ur", "bn", "ar", "pa", "pt", "lt", "gu", "ta", "so", "tr", "fa", "ckb",
          "zh-Hans", "zh-Hant", "ps", "ti", "sq", "es", "ru", "uk", "cy", "lv", "hi", "it",
          "fr", "prs", "vi", "ne", "am")


def errors(msgid: str, msgstr: str, lang: str) -> list[str]:
    return [f.message for f in tokens.compare(msgid, msgstr, lang=lang, source_lang="en-GB")
            if not f.warning]


def warnings(msgid: str, msgstr: str, lang: str) -> list[str]:
    return [f.message for f in tokens.compare(msgid, msgstr, lang=lang, source_lang="en-GB")
            if f.warning]


# 1. Amounts: CLDR's units in every language ---------------------------------------------

DOSE = "Take 5 mg twice a day."
RIGHT = [
    ("ru", DOSE, "Принимайте 5 мг два раза в день.", ("5 мг", "50 мг")),
    ("uk", DOSE, "Приймайте 5 мг двічі на день.", ("5 мг", "15 мг")),
    ("zh", DOSE, "每天两次，每次服用 5 毫克。", ("5 毫克", "5 克")),
    ("zh-Hant", DOSE, "每天服用5毫克，兩次。", ("5毫克", "6毫克")),
    ("fa", DOSE, "روزی دو بار ۵ میلی‌گرم مصرف کنید.", ("۵ میلی‌گرم", "۵ گرم")),
    ("fa", DOSE, "روزی دو بار ۵ میلی گرم مصرف کنید.", ("دو بار", "سه بار")),
    ("ur", DOSE, "دن میں دو بار 5 ملی گرام لیں۔", ("5 ملی گرام", "50 ملی گرام")),
    ("bn", "Take no more than 4 times in 24 hours.", "২৪ ঘণ্টায় সর্বোচ্চ ৪ বার নিন।",
     ("৪ বার", "৫ বার")),
    ("bn", "Use it once or twice a day.", "দিনে একবার বা দুবার ব্যবহার করুন।",
     ("দুবার", "তিনবার")),
    ("ar", "Take it once a day.", "تناوله مرة واحدة في اليوم.", ("مرة واحدة", "مرتين")),
    ("fr", "Take 5 mg at 6pm.", "Prenez 5 mg à 18 h.", ("5 mg", "50 mg")),
    ("fr", "Keep it on for 24 hours.", "Gardez-le pendant 24 h.", ("24 h", "12 h")),
    ("tr", "Take 5 ml three times a day.", "Günde üç kez 5 ml alın.", ("5 ml", "15 ml")),
    ("es", DOSE, "Tome 5 miligramos dos veces al día.", ("dos veces", "tres veces")),
    ("hi", DOSE, "दिन में दो बार 5 मिलीग्राम लें।", ("5 मिलीग्राम", "5 ग्राम")),
    ("cy", DOSE, "Cymerwch 5 mg dwywaith y dydd.", ("dwywaith", "unwaith")),
]


@pytest.mark.parametrize("lang, msgid, msgstr, change", RIGHT,
                         ids=[f"{case[0]}-{i}" for i, case in enumerate(RIGHT)])
def test_a_right_translation_passes_and_a_changed_dose_in_it_fails(lang, msgid, msgstr, change):
    assert errors(msgid, msgstr, lang) == []
    assert change[0] in msgstr
    changed = errors(msgid, msgstr.replace(*change), lang)
    assert changed and all("amount" in message for message in changed), changed


def test_units_come_from_cldr_for_every_locale_babel_knows():
    for lang, written in (("ru", "мг"), ("zh", "毫克"), ("fa", "میلی‌گرم"), ("ur", "ملی گرام"),
                          ("ja", "ミリグラム"), ("sw", "miligramu"), ("ta", "மில்லி கிராம்")):
        found = amounts.amounts(f"5 {written}", lang)
        assert [(a.value, a.unit) for a in found] == [("5", "mg")], (lang, found)
    # every length and plural form: Polish "5 miligramów" and Russian "2 часа" alike
    assert amounts.amounts("5 miligramów", "pl")[0].unit == "mg"
    assert amounts.amounts("2 часа", "ru")[0].unit == "hour"
    assert amounts.amounts("38 °C", "fr")[0].unit == "degrees C"
    assert amounts.amounts("%5", "tr")[0].unit == "percent"  # Turkish writes % first
    assert amounts.amounts("3 cm", "lt")[0].unit == "length-centimeter"


def test_english_units_as_written_count_in_any_language():
    assert errors(DOSE, "Принимайте 5 mg два раза в день.", "ru") == []
    assert errors("Take 10 ml.", "每次 10 ml。", "zh") == []


def test_five_pm_is_a_time_not_five_picometres():
    assert [a.unit for a in amounts.amounts("from 9am to 5pm", "en")] == ["", ""]


def test_a_translation_identical_to_its_source_never_fails_the_amount_check():
    for lang in ("zh", "ru", "so", "am", "cy"):
        assert errors(DOSE, DOSE, lang) == []
        assert warnings(DOSE, DOSE, lang) == []


def test_amounts_in_another_order_are_right_with_a_warning():
    msgid = "Take no more than 4 times in 24 hours."
    msgstr = "২৪ ঘণ্টায় সর্বোচ্চ ৪ বার নিন।"
    assert errors(msgid, msgstr, "bn") == []
    assert any("different order" in w for w in warnings(msgid, msgstr, "bn"))
    same_order = "সর্বোচ্চ ৪ বার ২৪ ঘণ্টায় নিন।"
    assert not any("different order" in w for w in warnings(msgid, same_order, "bn"))


def test_amounts_of_one_unit_keep_their_order():
    msgid = "Take no more than 8 tablets in 24 hours, at least 4 hours apart."
    msgstr = "Nie więcej niż 8 tabletek w ciągu 4 godzin, co najmniej 24 godziny odstępu."
    assert any('"24 hours" is "4 godzin"' in e for e in errors(msgid, msgstr, "pl"))


def test_french_a_18_h_is_a_time_and_18_h_30_too():
    found = amounts.amounts("à 18 h, ou à 18 h 30, pendant 24 h", "fr")
    assert [(a.value, a.unit) for a in found] == [("18:00", ""), ("18:30", ""), ("24", "hour")]
    assert errors("Come back at 6pm.", "Revenez à 18 h.", "fr") == []
    # "de 9 h à 17 h": an hour the source has as a time of day is that time
    assert errors("Open from 9am to 5pm.", "Ouvert de 9 h à 17 h.", "fr") == []


def test_every_shipped_language_and_the_thirty_have_counting_words():
    shipped = {"en"} | {p.name for p in (ROOT / "formats" / "locales").iterdir() if p.is_dir()}
    for lang in sorted(shipped | set(THIRTY)):
        base = {"prs": "fa", "syl": "bn"}.get(lang, lang)
        assert amounts.has_counts(base), f"{lang} has no counting words in units.yaml"
        table = amounts._tables()[amounts._base(base)]
        values = set(table["counts"].values())
        assert {1, 2} <= values, f"{lang} lacks 'once' or 'twice'"


def test_bold_that_commonmark_cannot_close_beside_cjk_punctuation_is_explained():
    found = errors("**Never take a double dose.** Take the next one.",
                   "**切勿服用双倍剂量。**把下一剂照常服用。", "zh")
    assert any("Markdown cannot end bold at \"。**把\"" in e and "put ** before 。" in e
               for e in found), found
    assert errors("**Never take a double dose.** Take the next one.",
                  "**切勿服用双倍剂量**。把下一剂照常服用。", "zh") == []


def test_a_link_with_full_width_brackets_is_explained():
    found = errors("See [the NHS website](https://www.nhs.uk).",
                   "请参阅［NHS 网站］（https://www.nhs.uk）。", "zh")
    assert any("ASCII brackets" in e for e in found), found


# 2. Tags: ISO 639-3 codes of the IANA registry; names from CLDR ---------------------------

@pytest.mark.parametrize("typed, tag", [
    ("prs", "prs"), ("syl", "syl"), ("tl", "tl"), ("TL-ph", "tl-PH"), ("ckb", "ckb"),
    ("fa_af", "fa-AF"), ("pa-Arab", "pa-Arab"), ("zh-Hant", "zh-Hant"), ("iw", "he-IL"),
])
def test_registry_languages_are_accepted_as_typed(typed, tag):
    from leaflet import langs

    assert langs.normalise(typed) == tag
    assert langs.is_tag(tag)


@pytest.mark.parametrize("typed", ["und", "en-ZZ", "qaa", "xyz", "prs-Qqqq", "syl-XX"])
def test_what_names_no_language_is_still_refused(typed):
    from leaflet import langs

    with pytest.raises(ValueError):
        langs.normalise(typed)


def test_dari_is_named_as_cldr_names_it():
    from leaflet import langs

    for tag in ("prs", "fa-AF"):
        assert langs.native_name(tag) == "دری"
        assert langs.english_name(tag) == "Dari"
        assert langs.direction(tag) == "rtl"
    assert langs.panel_name("fa-AF", ["fa", "fa-AF"]) == "دری"
    assert langs.native_name("fa") == "فارسی"
    assert langs.english_name("en-GB") == "English"  # a variety, not a language of its own
    assert langs.english_name("syl") == "Sylheti"
    assert langs.english_name("tl") == "Tagalog"


# 3. Speech: short codes digit by digit in every voice; units by their CLDR long name -------

SPOKEN = {  # "In an emergency call 999; otherwise call 111." as a translator writes it
    "fr": "En cas d'urgence, appelez le 999 ; sinon, appelez le 111.",
    "ru": "В экстренной ситуации звоните 999, в остальных случаях — 111.",
    "hi": "आपात स्थिति में 999 पर कॉल करें, अन्यथा 111 पर कॉल करें।",
    "ur": "ہنگامی صورت میں 999 پر کال کریں، ورنہ 111 پر کال کریں۔",
    "zh": "紧急情况请拨打 999，其他情况请拨打 111。",
    "es": "En caso de emergencia, llame al 999; si no, llame al 111.",
    "tr": "Acil durumda 999'u, diğer durumlarda 111'i arayın.",
}
LEAFLET = """---
title: {title}
code: ONC-012
published: 2025-03-01
review: 2027-09-01
requests: 0191 445 2180
organisation: Sample NHS Trust
language: {lang}
---

# {title}

{text}

Take 5 mg.
"""


def _segmental(phonemes: str) -> list[str]:
    """espeak-ng's phonemes of each word, stress, tone and pause marks aside."""
    return [re.sub(r"[\d'_,|:]", "", word) for word in phonemes.split()]


def _phonemes(voice: str, text: str) -> str:
    return subprocess.run(["espeak-ng", "-v", voice, "-x", "-q", text], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("lang", sorted(SPOKEN))
def test_the_narration_says_999_and_111_digit_by_digit_in_the_voices_language(lang):
    from formats.audio import script
    from formats.audio.speech import for_language
    from formats.options import Assets, WriterOptions
    from leaflet import source

    text = SPOKEN[lang]
    leaflet = source.parse_text(LEAFLET.format(title="999", lang=lang, text=text), "l.md",
                                ROOT / "leaflet_src", "l")
    said = " ".join(s.spoken for s in script.segments(
        leaflet, WriterOptions(assets=Assets(folder=str(ROOT))), for_language(lang)))
    assert "9 9 9" in said and "1 1 1" in said, said
    assert not re.search(r"(?<![\d ])(999|111)(?!\d)", said), said
    # the Russian, Hindi and Urdu voices are given the unit's name, not the letters mg
    assert " mg" not in said, said
    # espeak-ng says each handed digit as it says that digit alone
    voice = {"zh": "cmn"}.get(lang, lang)
    nine, one = _segmental(_phonemes(voice, "9")), _segmental(_phonemes(voice, "1"))
    assert _segmental(_phonemes(voice, "9 9 9")) == nine * 3
    assert _segmental(_phonemes(voice, "1 1 1")) == one * 3
    assert _segmental(_phonemes(voice, "999")) != nine * 3  # a number, left to itself


@pytest.mark.parametrize("lang, said", [
    ("ru", "5 миллиграмм"), ("hi", "5 मिलीग्राम"), ("ur", "5 ملی گرام"), ("fr", "5 milligrammes"),
    ("tr", "5 miligram"), ("en-GB", "5 milligrams"),
])
def test_an_amount_is_said_with_its_units_cldr_long_name(lang, said):
    from formats.audio.speech import for_language

    assert said in for_language(lang).text("Take 5 mg.")
    assert "112 mg" not in for_language(lang).text("Take 112 mg.")


@pytest.mark.parametrize("lang, printed, said", [
    # a thousand without CLDR's grouping space, which a voice reads digit by digit
    ("ru", "1000 мг, 2,5 мг", "1000 миллиграмм, 2,5 миллиграмма"),
    ("fr", "1000 mg, 2.5 mg", "1000 milligrammes, 2,5 milligrammes"),
    # one unit per another in CLDR's words; mmHg, a unit of pressure, too
    ("ru", "12 mcg/h", "12 микрограмм в час"),
    ("ru", "5 mg/ml", "5 mg/ml"),  # Russian's "per" is CLDR's "/": no words, left as printed
    ("ru", "120 мм рт. ст.", "120 миллиметров ртутного столба"),
    # where CLDR's long form is the sign for some numbers, its other form: a word
    ("cy", "3%", "3 y cant"),
])
def test_amounts_are_said_in_words_a_voice_reads_right(lang, printed, said):
    from formats.audio.speech import for_language

    assert for_language(lang).text(printed) == said


def _speech_data() -> dict[str, dict]:
    import yaml

    folder = ROOT / "formats" / "audio" / "speech"
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.yaml"))}


def test_speech_data_names_a_unit_only_where_cldr_has_other_words():
    """speech/<lang>.yaml keeps only what CLDR cannot give: a unit's name there differs,
    in every plural form it gives, from CLDR's long name."""
    from babel import Locale

    named = 0
    for lang, data in _speech_data().items():
        patterns = Locale.parse(lang)._data["unit_patterns"]
        for key, names in (data.get("units") or {}).items():
            names = names if isinstance(names, dict) else {"other": names}
            cldr = patterns[key]["long"]
            for form, name in names.items():
                named += 1
                assert name != cldr.get(form, cldr["other"]).replace("{0}", "").strip(), \
                    (lang, key, form)
    assert named > 0  # Arabic names its units with their vowel marks


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_speech_data_lists_digits_only_where_the_voice_says_one_otherwise():
    """A digit handed to the voice alone is said in the voice's language; a language's
    own words for the digits are kept only where one of them is not what the voice says
    (English "oh" for 0)."""
    from formats.audio.engine import espeak_voice

    for lang, data in _speech_data().items():
        if data.get("digits"):
            voice = espeak_voice(lang)
            assert any(_segmental(_phonemes(voice, word)) != _segmental(_phonemes(voice, str(n)))
                       for n, word in enumerate(data["digits"])), lang


# 4. Voices and braille tables by what is installed --------------------------------------

# For each of the thirty: the braille table and espeak-ng voice chosen when liblouis 3.24
# and espeak-ng 1.51 (Debian bookworm) are installed; None where they have none, or where
# the voice cannot read the language (espeak-ng's cmn says most Chinese characters as
# pinyin in English).
CHOSEN = {
    "pl": ("pl.tbl", "pl"), "ro": ("ro.ctb", "ro"), "ur": ("ur-pk-g2.ctb", "ur"),
    "bn": ("bn.tbl", "bn"), "ar": ("ar-ar-g2.ctb", "ar"), "pa": ("pa.tbl", "pa"),
    "pt": ("pt.tbl", "pt"), "lt": ("lt-6dot.tbl", "lt"), "gu": ("gu.tbl", "gu"),
    "ta": ("ta-ta-g1.ctb", "ta"), "so": (None, None), "tr": ("tr-g2.ctb", "tr"),
    "fa": ("fa-ir-g1.utb", "fa"), "ckb": ("ckb.tbl", None),
    "zh-Hans": ("zh_CHN.tbl", None), "zh-Hant": ("zh_HK.tbl", "yue"), "ps": (None, None),
    "ti": ("ethio-g1.ctb", None), "sq": (None, "sq"), "es": ("es-g2.ctb", "es"),
    "ru": ("ru-litbrl.ctb", "ru"), "uk": ("uk.utb", "uk"), "cy": ("cy.tbl", "cy"),
    "lv": ("lv.tbl", "lv"), "hi": ("hi.tbl", "hi"), "it": ("it.tbl", "it"),
    "fr": ("fr-bfu-g2.ctb", "fr-fr"), "prs": ("fa-ir-g1.utb", "fa"), "vi": ("vi-vn-g2.ctb", "vi"),
    "ne": ("ne.tbl", "ne"), "am": ("ethio-g1.ctb", "am"),
}
LOUIS_TABLES = Path("/usr/share/liblouis/tables")


def test_the_thirty_are_listed():
    assert sorted(CHOSEN) == sorted(THIRTY)


def _installed_voices() -> set[str]:
    if shutil.which("espeak-ng") is None:
        return set()
    listing = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True).stdout
    return {line.split()[1].lower() for line in listing.splitlines()[1:] if len(line.split()) > 1}


@pytest.mark.skipif(not LOUIS_TABLES.is_dir(), reason="liblouis's tables are not installed")
@pytest.mark.parametrize("lang", sorted(CHOSEN))
def test_the_braille_table_chosen_is_the_installed_literary_one(lang):
    from formats.braille import tables

    expected = CHOSEN[lang][0]
    if expected is None:
        with pytest.raises(tables.NoBrailleTable):
            tables.find(lang)
        return
    if not (LOUIS_TABLES / expected).is_file():
        pytest.skip(f"this liblouis has no {expected}")
    chosen = tables.find(lang)
    assert chosen.name == expected
    assert "for-source-code" not in (tables.louis.table_info(chosen.path, "variant") or "")


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("lang", sorted(CHOSEN))
def test_the_voice_chosen_is_an_installed_espeak_voice_of_the_language(lang):
    from formats.audio import engine

    expected = CHOSEN[lang][1]
    installed = _installed_voices()
    if expected is not None and expected not in installed:
        pytest.skip(f"this espeak-ng has no voice {expected}")
    found = engine.espeak_voice(lang)
    speaks = found if found and engine.reads_its_language(found, lang) else ""
    assert (speaks.lower() or None) == expected


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("lang, voice", [("zh-Hans", "cmn"), ("pa-Arab", "pa")])
def test_a_voice_that_cannot_read_the_language_is_refused_with_a_reason(lang, voice):
    from formats.audio import engine
    from formats.options import WriterOptions
    from leaflet.voice import VoiceSettings

    if voice not in _installed_voices():
        pytest.skip(f"this espeak-ng has no voice {voice}")
    assert engine.espeak_voice(lang) == voice  # installed, and of the language
    with pytest.raises(engine.NoVoice, match=f"voice '{voice}' cannot read it"):
        engine.choose(lang, VoiceSettings(), WriterOptions(), ROOT)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_voice_is_found_with_its_region_either_way():
    from formats.audio import engine

    installed = _installed_voices()
    if not {"fr-fr", "en-gb", "en-us"} <= installed:
        pytest.skip("this espeak-ng lacks fr-fr, en-gb or en-us")
    assert engine.espeak_voice("fr") == "fr-fr"  # a language: its own region's voice
    assert engine.espeak_voice("fr-CA") == "fr-fr"  # a region without a voice: the language's
    assert engine.espeak_voice("en") == "en-gb"  # the library's region's English
    assert engine.espeak_voice("en", region="US") == "en-us"
    assert engine.espeak_voice("so") == ""


@pytest.mark.skipif(not LOUIS_TABLES.is_dir(), reason="liblouis's tables are not installed")
def test_turkish_and_russian_uncontracted_tables():
    from formats.braille import tables

    if (LOUIS_TABLES / "tr-g1.ctb").is_file():
        assert tables.find("tr", 1).name == "tr-g1.ctb"
    assert tables.find("ru", 1).name == "ru-litbrl.ctb"
    assert tables.find("zh-TW").name == tables.find("zh-Hant").name
    assert tables.find("zh").name == tables.find("zh-Hans").name
