"""Issue 26: amounts as translators write them in the thirty languages of
tests/fixtures/thirty-languages.  Every right translation passes the amount check, and
the same translation with its dose, duration or time changed fails: units with case
endings (Punjabi "ਘੰਟਿਆਂ", Urdu "گھنٹوں"), units written in two words or one ("ሚሊ ግራም",
"ሚሊግራም"), a language CLDR has no units for (Sorani), Dari read as Persian, the hour
a language writes after a time of day ("5 ሰዓት" for 5pm), and a sentence that starts
with its number."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from babel import Locale, localedata

from leaflet.i18n import amounts, structure
from test_languages import errors, warnings

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "thirty-languages"
THIRTY = ("pl", "ro", "ur", "bn", "ar", "pa", "pt", "lt", "gu", "ta", "so", "tr", "fa", "ckb",
          "zh-Hans", "zh-Hant", "ps", "ti", "sq", "es", "ru", "uk", "cy", "lv", "hi", "it",
          "fr", "prs", "vi", "ne", "am")
DOSE = "Take 5 mg once a day, in the morning. Do not take more than 10 mg in 24 hours."
HOURS = "Monday to Friday, 9am to 5pm"
LIMIT = "Do not take more than 10 mg in 24 hours."




def read(text: str, lang: str) -> list[tuple[str, str]]:
    return [(a.value, a.unit) for a in amounts.amounts(text, lang)]


def passes_and_a_change_fails(msgid: str, msgstr: str, lang: str, old: str, new: str) -> None:
    assert errors(msgid, msgstr, lang) == []
    assert old in msgstr, (old, msgstr)
    changed = errors(msgid, msgstr.replace(old, new, 1), lang)
    assert changed and all("amount" in message for message in changed), changed


# 1. Units with the language's case endings: the stem of CLDR's name ---------------------

INFLECTED = [
    # Punjabi oblique plural; CLDR has ਘੰਟਾ, ਘੰਟੇ
    ("pa", LIMIT, "24 ਘੰਟਿਆਂ ਵਿੱਚ 10 ਮਿਲੀਗ੍ਰਾਮ ਤੋਂ ਵੱਧ ਨਾ ਲਓ।", "24 ਘੰਟਿਆਂ", "12 ਘੰਟਿਆਂ"),
    # Tamil: "மணி நேரம்" in two words or one, with its case ending
    ("ta", LIMIT, "24 மணி நேரத்தில் 10 mg-க்கு மேல் எடுக்க வேண்டாம்.", "24 மணி", "12 மணி"),
    ("ta", LIMIT, "24 மணிநேரத்தில் 10 mg-க்கு மேல் எடுக்க வேண்டாம்.", "10 mg", "20 mg"),
    ("ta", LIMIT, "24 மணிநேரத்திற்குள் 10 mg-க்கு மேல் எடுக்க வேண்டாம்.", "24 மணி", "48 மணி"),
    ("ta", LIMIT, "24 மணி நேரத்தில் 10 மி.கி.க்கு மேல் எடுக்க வேண்டாம்.", "10 மி.கி.", "20 மி.கி."),
    ("ta", LIMIT, "24 மணி நேரத்தில் 10 மில்லிகிராம் மேல் எடுக்க வேண்டாம்.", "10 மில்", "15 மில்"),
    ("ta", LIMIT, "24 மணி நேரத்தில் 10 மில்லிகிராமுக்கு மேல் எடுக்க வேண்டாம்.",
     "10 மில்லிகிராமுக்கு", "10 மில்லிலிட்டருக்கு"),  # the unit changed: millilitres
    # Hindi oblique plural; CLDR has घंटा, घंटे
    ("hi", LIMIT, "24 घंटों में 10 मिलीग्राम से अधिक न लें।", "24 घंटों", "12 घंटों"),
    # Urdu oblique plural; CLDR has گھنٹہ, گھنٹے
    ("ur", LIMIT, "24 گھنٹوں میں 10 ملی گرام سے زیادہ نہ لیں۔", "24 گھنٹوں", "12 گھنٹوں"),
    # Pashto: CLDR has "ملي ګرام"; a translator writes its case endings on it
    ("ps", "Take 5 mg.", "5 ملي ګرامه وخورئ.", "5 ملي", "50 ملي"),
    ("ps", LIMIT, "په 24 ساعتونو کې له 10 ملي ګرامو څخه زیات مه خورئ.", "10 ملي ګرامو",
     "10 ملي ليټرو"),  # the unit changed: millilitres
]


@pytest.mark.parametrize("lang, msgid, msgstr, old, new", INFLECTED,
                         ids=[f"{case[0]}-{i}" for i, case in enumerate(INFLECTED)])
def test_a_unit_with_a_case_ending_is_that_unit(lang, msgid, msgstr, old, new):
    passes_and_a_change_fails(msgid, msgstr, lang, old, new)


def test_the_stem_is_the_name_without_its_final_vowel_and_keeps_three_characters():
    assert read("24 घंटों", "hi") == [("24", "hour")]  # घंटा less its vowel sign
    assert read("24 மணிநேரத்தில்", "ta") == [("24", "hour")]  # மணிநேரம் less ம்
    assert read("24 گھنٹوں", "ur") == [("24", "hour")]  # گھنٹہ less ہ
    assert read("5 miligramus", "lt") == [("5", "mg")]  # what CLDR's names share
    # Russian "час", "часа", "часов" share three letters only: "части" are parts
    assert read("2 части", "ru") == [("2", "")]
    # Tamil "9 மணி" is nine o'clock, not the start of "மணிநேரம்"
    assert read("காலை 9 மணி முதல்", "ta") == [("9", "")]


# 2. The longest unit written: "milli" never decides alone -------------------------------

def test_amharic_milligrams_in_two_words_are_milligrams_not_millilitres():
    assert read("5 ሚሊ ግራም", "am") == [("5", "mg")]
    assert read("5 ሚሊ ሊትር", "am") == [("5", "ml")]
    assert read("5 ሚሊ ውሃ", "am") == [("5", "ml")]  # 5 ml of water: ሚሊ is a unit alone
    passes_and_a_change_fails("Take 5 mg.", "5 ሚሊ ግራም ይውሰዱ።", "am", "5 ሚሊ", "50 ሚሊ")
    # the dangerous reading: 5 mg written where the English says 5 ml must fail
    assert any('"5 ml"' in e for e in errors("Take 5 ml.", "5 ሚሊ ግራም ይውሰዱ።", "am"))


def test_a_unit_that_begins_another_takes_no_letters_of_the_other():
    # Hindi मिली (ml) begins मिलीग्राम (mg): a misspelt milligram is no millilitre
    assert read("5 मिलीग्राम", "hi") == [("5", "mg")]
    assert read("5 मिलीग्रैम", "hi") == [("5", "")]
    # a milligram with its case ending stays one beside "milligram per decilitre"
    assert read("10 মিলিগ্রামের", "bn") == [("10", "mg")]
    assert read("10 મિલિગ્રામથી", "gu") == [("10", "mg")]
    # a space is skipped inside a unit only with two letters on each side of it
    assert read("walk 5 m in the corridor", "en") == [("5", "")]


PROPERTY_UNITS = {"mass-milligram": "mg", "volume-milliliter": "ml", "mass-microgram": "mcg",
                  "mass-gram": "g", "volume-liter": "l", "duration-hour": "hour",
                  "duration-minute": "minute", "duration-day": "day", "duration-week": "week"}


def _silent_forms(locale: Locale) -> set[str]:
    """Forms a number may be followed by in a locale that tell no unit: a day period
    (Hungarian "5 p" is also 5 pm in English), or a form CLDR gives two units."""
    silent = {amounts.fold(variant) for periods in (locale.day_periods,
                                                    Locale("en").day_periods)
              for context in periods.values() for width in context.values()
              for name in width.values()
              for variant in (name.strip(), name.strip().replace(".", ""))}
    keys: dict[str, set[str]] = {}
    for key, lengths in locale._data["unit_patterns"].items():
        for length in ("long", "short", "narrow"):
            for category, pattern in (lengths.get(length) or {}).items():
                if category != "per" and pattern.startswith("{0}"):
                    keys.setdefault(amounts.fold(pattern[3:].strip(amounts.SPACE)),
                                    set()).add(key.removesuffix("-person"))
    for key, names in locale._data["unit_display_names"].items():
        for length in ("long", "short", "narrow"):
            if names.get(length):
                keys.setdefault(amounts.fold(names[length].strip()), set()).add(key)
    return silent | {form for form, found in keys.items() if len(found) > 1}


def test_every_cldr_form_of_a_dose_or_duration_unit_is_read_as_that_unit_and_no_other():
    """For every language Babel has unit data for: milligram, millilitre, microgram,
    gram, litre, hour, minute, day and week, in every length and plural form CLDR writes
    after a number, are read as that unit, never as another; a form that tells nothing
    in the language (a day period, two units' form) is read as no unit."""
    languages = sorted({tag.split("_")[0] for tag in localedata.locale_identifiers()})
    checked, wrong = 0, []
    for lang in languages:
        locale = Locale.parse(lang)
        patterns = locale._data["unit_patterns"]
        silent = _silent_forms(locale) if patterns else set()
        for key, unit in PROPERTY_UNITS.items():
            for length in ("long", "short", "narrow"):
                for category, pattern in ((patterns.get(key) or {}).get(length) or {}).items():
                    if category == "per" or not pattern.startswith("{0}") or \
                            "{0}" in pattern[3:]:
                        continue
                    text = pattern.replace("{0}", "5")
                    found = read(text, lang)
                    checked += 1
                    allowed = [[("5", unit)]]
                    if amounts.fold(pattern[3:].strip(amounts.SPACE)) in silent:
                        allowed.append([("5", "")])
                    if found not in allowed:
                        wrong.append((lang, key, text, found))
    assert checked > 5000 and wrong == [], wrong


# 3. Units with or without the space or ZWNJ between their parts -------------------------

@pytest.mark.parametrize("lang, written", [
    ("ti", "ሚሊግራም"), ("ti", "ሚሊ ግራም"), ("am", "ሚሊግራም"), ("am", "ሚሊ ግራም"),
    ("fa", "میلی‌گرم"), ("fa", "میلی گرم"), ("fa", "میلیگرم"), ("ur", "ملی گرام"),
    ("ur", "ملیگرام"), ("ta", "மில்லி கிராம்"), ("ta", "மில்லிகிராம்"), ("vi", "mili gam"),
])
def test_a_unit_is_one_with_or_without_the_space_between_its_parts(lang, written):
    assert read(f"5 {written}", lang) == [("5", "mg")]
    passes_and_a_change_fails("Take 5 mg.", f"5 {written}", lang, "5 ", "6 ")


# 4. Languages CLDR has no units for: Sorani; Dari as Persian ----------------------------

def test_sorani_units_come_from_the_table():
    passes_and_a_change_fails(LIMIT, "لە ماوەی 24 کاتژمێردا زیاتر لە 10 میلیگرام مەخۆ.",
                              "ckb", "24 کاتژمێر", "12 کاتژمێر")
    passes_and_a_change_fails(LIMIT, "لە ماوەی 24 سەعاتدا زیاتر لە 10 ملگم مەخۆ.", "ckb",
                              "10 ملگم", "10 میلیلیتر")
    assert read("5 خولەک", "ckb") == [("5", "minute")]
    assert read("2 هەفتە", "ckb") == [("2", "week")]


def test_dari_is_persian_as_written_in_afghanistan():
    assert [str(locale) for locale in amounts._cldr_locales("prs")] == ["fa_AF", "fa"]
    passes_and_a_change_fails("Take 5 mg.", "5 ملی‌گرم بخورید.", "prs", "5 ملی", "6 ملی")
    passes_and_a_change_fails("Take 5 mg.", "5 ملی گرام بخورید.", "prs", "5 ملی", "6 ملی")
    # Persian's counting words: "once" is یک بار
    assert amounts.has_counts("prs")
    passes_and_a_change_fails("Take 5 mg once a day.", "روزانه یک بار 5 mg بخورید.", "prs",
                              "یک بار", "دو بار")


MASS, VOLUME, DURATION = ("mg", "g", "mcg"), ("ml", "l"), ("hour", "minute", "day", "week")


@pytest.mark.parametrize("lang", THIRTY)
def test_each_of_the_thirty_has_words_for_mass_volume_and_duration(lang):
    """Words of the language, not only the English symbols: from CLDR or the table."""
    words = amounts.unit_words(lang)
    for kind in (MASS, VOLUME, DURATION):
        assert any(words.get(unit) for unit in kind), (lang, kind, words)
    assert words.get("mg") and words.get("hour"), (lang, words)


# 5. What a translator writes for an hour and a milligram, in each of the thirty ---------

WRITTEN = {  # lang: (24 hours, 5 milligrams), as a translator writes them
    "pl": ("24 godziny", "5 miligramów"), "ro": ("24 de ore", "5 miligrame"),
    "ur": ("24 گھنٹے", "5 ملی گرام"), "bn": ("24 ঘণ্টায়", "5 মিলিগ্রাম"),
    "ar": ("24 ساعة", "5 ملغ"), "pa": ("24 ਘੰਟਿਆਂ", "5 ਮਿਲੀਗ੍ਰਾਮ"),
    "pt": ("24 horas", "5 miligramas"), "lt": ("24 valandas", "5 miligramus"),
    "gu": ("24 કલાકમાં", "5 મિલિગ્રામ"), "ta": ("24 மணி நேரம்", "5 மி.கி."),
    "so": ("24 saacadood", "5 miligaraam"), "tr": ("24 saatte", "5 miligram"),
    "fa": ("24 ساعت", "5 میلی‌گرم"), "ckb": ("24 کاتژمێر", "5 میلیگرام"),
    "zh-Hans": ("24 小时", "5 毫克"), "zh-Hant": ("24 小時", "5 毫克"),
    "ps": ("24 ساعتونو", "5 ملي ګرامه"), "ti": ("24 ሰዓት", "5 ሚሊ ግራም"),
    "sq": ("24 orë", "5 miligramë"), "es": ("24 horas", "5 miligramos"),
    "ru": ("24 часа", "5 миллиграммов"), "uk": ("24 години", "5 міліграмів"),
    "cy": ("24 awr", "5 miligram"), "lv": ("24 stundu", "5 miligramus"),
    "hi": ("24 घंटों", "5 मिलीग्राम"), "it": ("24 ore", "5 milligrammi"),
    "fr": ("24 heures", "5 milligrammes"), "prs": ("24 ساعت", "5 ملی‌گرام"),
    "vi": ("24 giờ", "5 miligam"), "ne": ("24 घण्टामा", "5 मिलिग्राम"),
    "am": ("24 ሰዓት", "5 ሚሊግራም"),
}


def test_the_table_of_what_translators_write_covers_the_thirty():
    assert sorted(WRITTEN) == sorted(THIRTY)


@pytest.mark.parametrize("lang", THIRTY)
def test_what_a_translator_writes_for_hours_and_milligrams_is_read_so(lang):
    hours, dose = WRITTEN[lang]
    assert read(hours, lang) == [("24", "hour")]
    assert read(dose, lang) == [("5", "mg")]
    msgstr = f"{dose} … {hours}"
    passes_and_a_change_fails("5 mg in 24 hours", msgstr, lang, "5", "6")
    passes_and_a_change_fails("5 mg in 24 hours", msgstr, lang, "24", "12")


# 6. A time of day on the 12-hour clock, with or without the hour's word ------------------

@pytest.mark.parametrize("lang, right, changed", [
    ("am", "ከሰኞ እስከ ዓርብ፣ ከጠዋቱ 9 ሰዓት እስከ ከሰዓት በኋላ 5 ሰዓት", ("5 ሰዓት", "6 ሰዓት")),
    ("am", "ከሰኞ እስከ ዓርብ፣ 9 ሰዓት - 17 ሰዓት", ("17 ሰዓት", "18 ሰዓት")),
    ("vi", "Từ Thứ Hai đến Thứ Sáu, 9 giờ sáng đến 5 giờ chiều", ("5 giờ", "6 giờ")),
])
def test_an_hour_word_after_a_time_of_day_is_that_time(lang, right, changed):
    assert errors(HOURS, right, lang) == []
    assert warnings(HOURS, right, lang) == []
    assert any(changed[1] in e for e in errors(HOURS, right.replace(*changed), lang))


@pytest.mark.parametrize("right", [
    "ከሰኞ እስከ ዓርብ፣ ከጠዋቱ 9:00 እስከ ከሰዓት በኋላ 5:00",
    "ከሰኞ እስከ ዓርብ፣ ከጠዋቱ 9 እስከ ከሰዓት በኋላ 5",
    "ከሰኞ እስከ ዓርብ፣ 9:00 - 17:00",
])
def test_a_time_of_day_on_the_12_hour_clock_is_the_same_time(right):
    assert errors(HOURS, right, "am") == [] and warnings(HOURS, right, "am") == []
    wrong = re.sub(r"\b(5|17)(?=:00|$)", "6", right)
    assert wrong != right
    found = warnings(HOURS, wrong, "am")
    assert any("17:00 in the source text but not in the translation" in w for w in found)


def test_the_same_hour_morning_and_evening_is_each_time_once():
    msgid = "Open from 9am to 9pm."
    for right in ("ከጠዋቱ 9:00 እስከ ማታ 9:00 ክፍት ነው።", "ከጠዋቱ 9 ሰዓት እስከ ማታ 9 ሰዓት ክፍት ነው።",
                  "ከጠዋቱ 9 እስከ ማታ 9 ክፍት ነው።", "ከጠዋቱ 9:00 እስከ ማታ 21:00 ክፍት ነው።"):
        assert errors(msgid, right, "am") == [] and warnings(msgid, right, "am") == [], right
    assert any("9:00 in the source text but not in the translation" in w for w in
               warnings(msgid, "ከጠዋቱ 21:00 እስከ ማታ 21:00 ክፍት ነው።", "am"))


def test_a_time_and_a_duration_of_the_same_hour_are_told_apart():
    msgid = "Take it at 5pm, then wait 5 hours."
    assert errors(msgid, "Uống lúc 5 giờ chiều, rồi đợi 5 giờ.", "vi") == []
    assert any('"6 giờ"' in e for e in errors(msgid, "Uống lúc 5 giờ chiều, rồi đợi 6 giờ.",
                                               "vi"))
    # 21:00 is not 9am: only an hour of twelve or less is a 12-hour time
    assert warnings("Open from 9am.", "ከጠዋቱ 21:00 ጀምሮ ክፍት ነው።", "am")


# 7. A sentence that starts with its number -----------------------------------------------

@pytest.mark.parametrize("lang, msgstr", [
    ("bn", "দিনে একবার, সকালে 5 মিলিগ্রাম খান। 24 ঘণ্টায় 10 মিলিগ্রামের বেশি খাবেন না।"),
    ("gu", "દિવસમાં એક વાર, સવારે 5 મિલિગ્રામ લો. 24 કલાકમાં 10 મિલિગ્રામથી વધુ ન લો."),
    ("hi", "दिन में एक बार, सुबह 5 मिलीग्राम लें। 24 घंटे में 10 मिलीग्राम से ज़्यादा न लें।"),
    ("ne", "दिनको एक पटक, बिहान 5 मिलिग्राम खानुहोस्। 24 घण्टामा 10 मिलिग्रामभन्दा बढी "
           "नखानुहोस्।"),
    ("pa", "ਦਿਨ ਵਿੱਚ ਇੱਕ ਵਾਰ, ਸਵੇਰੇ 5 ਮਿਲੀਗ੍ਰਾਮ ਲਓ। 24 ਘੰਟਿਆਂ ਵਿੱਚ 10 ਮਿਲੀਗ੍ਰਾਮ ਤੋਂ ਵੱਧ ਨਾ ਲਓ।"),
    ("ta", "நாளுக்கு ஒரு முறை, காலையில் 5 mg எடுத்துக்கொள்ளுங்கள். 24 மணி நேரத்தில் 10 "
           "mg-க்கு மேல் எடுத்துக்கொள்ள வேண்டாம்."),
    ("ur", "دن میں ایک بار، صبح 5 ملی گرام لیں۔ 24 گھنٹوں میں 10 ملی گرام سے زیادہ نہ لیں۔"),
    ("tr", "Günde bir kez, sabahları 5 mg alın. 24 saat içinde 10 mg'dan fazla almayın."),
    ("zh", "每天一次，早上服用 5 毫克。24 小时内不要服用超过 10 毫克。"),
])
def test_a_sentence_may_begin_with_a_digit(lang, msgstr):
    assert not any("sentences" in w for w in warnings(DOSE, msgstr, lang))
    assert errors(DOSE, msgstr, lang) == []
    # a sentence dropped is still seen
    first = re.split(r"(?<=[।.。۔])\s*(?=\d)", msgstr)[0]
    assert first != msgstr
    assert structure.sentence_finding(DOSE, first, "en-GB", lang, "the English")


def test_a_digit_after_an_abbreviation_on_both_sides_is_no_new_difference():
    msgid = "Take approx. 5 mg. Then rest."
    assert structure.sentence_finding(msgid, "Prenez env. 5 mg. Puis reposez-vous.", "en-GB",
                                      "fr", "the English") is None
    assert structure.sentence_finding(msgid, "लगभग 5 मिलीग्राम लें। फिर आराम करें।", "en-GB",
                                      "hi", "the English") is None


# 8. The fixture: the thirty translators' catalogs ---------------------------------------

def _catalog(lang: str) -> polib.POFile:
    return polib.pofile(str(FIXTURE / "locales" / lang / "new-medicine.po"))


@pytest.mark.parametrize("lang", THIRTY)
def test_the_fixtures_translations_pass_and_a_changed_dose_in_them_fails(lang):
    for entry in _catalog(lang).translated_entries():
        assert errors(entry.msgid, entry.msgstr, lang) == [], (entry.msgid, entry.msgstr)
    dose = _catalog(lang).find(DOSE).msgstr
    assert not any("sentences" in w for w in warnings(DOSE, dose, lang))
    for old, new in (("10", "20"), ("24", "12")):
        assert dose.count(old) == 1, (lang, old, dose)
        changed = errors(DOSE, dose.replace(old, new), lang)
        assert changed and all("amount" in message for message in changed), (lang, changed)
    hours = _catalog(lang).find(HOURS).msgstr
    assert warnings(HOURS, hours, lang) == [], (lang, hours)


# A counting word inside a phrase that counts nothing -------------------------------------

@pytest.mark.parametrize("lang, msgid, msgstr, changed", [
    ("cy", "Call 999 straight away if you cannot breathe.",
     "Ffoniwch 999 ar unwaith os na allwch anadlu.",
     "Ffoniwch 999 ar unwaith dwywaith os na allwch anadlu."),
    ("fr", "When you are home, rest.", "Une fois que vous êtes chez vous, reposez-vous.",
     "Une fois que vous êtes chez vous, reposez-vous deux fois."),
    ("es", "Take them together.", "Tómelos a la vez.", "Tómelos a la vez dos veces."),
])
def test_a_counting_word_in_a_phrase_that_counts_nothing_is_no_amount(lang, msgid, msgstr,
                                                                      changed):
    assert errors(msgid, msgstr, lang) == []
    assert errors(msgid, changed, lang), changed  # a count added beside it still fails


def test_portuguese_writes_a_time_with_the_hours_symbol():
    msgid = "Monday to Friday, 9am to 5pm"
    assert errors(msgid, "de segunda a sexta-feira, das 9h00 às 17h00", "pt") == []
    assert warnings(msgid, "de segunda a sexta-feira, das 9h00 às 17h00", "pt") == []
    assert warnings(msgid, "de segunda a sexta-feira, das 9h00 às 18h00", "pt")
