"""Audio: the words given to the voice, espeak-ng's phonemes, the chaptered MP3, the read-aloud EPUB."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import subprocess
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from formats.audio import (
    NoVoice, VoiceWarning, chapters, duration, engine_versions, narrate, readaloud, script,
)
from formats.audio.recording import encode
from formats.audio import write as write_mp3
from formats.audio.speech import for_language
from formats.options import Assets, Availability, WriterOptions
from leaflet import i18n, source
from leaflet import lexicon as library_lexicon
from leaflet import voice as library_voice
from leaflet.errors import LeafletError
from leaflet.library import Library
from leaflet.model import Contacts, Heading, Phone, walk

from conftest import REPO, SAMPLE_SLUG, epubcheck, run_leaflet

SMIL = "{http://www.w3.org/ns/SMIL}"
OPF = "{http://www.idpf.org/2007/opf}"

SHORT = """---
title: Your CT scan
subtitle: Information for patients
organisation: Sample NHS Trust
language: en-GB
code: RAD-7
published: 2025-03-01
review: 2027-03-01
requests: Ask the radiology team for another format.
---

# Before the scan

Your GP will tell you if you need to stop eating. Take 5 mg of the tablet at 9am.
Your blood sugar should be 4 to 7 mmol/L.

- Drink water.
- Bring your glasses.

![A nurse beside a scanner](pictogram:scan)

| Time | What happens |
| --- | --- |
| 9am | You arrive |

# Help

If you feel unwell, phone NHS 111. In an emergency phone 999.

::: contacts
- name: Radiology
  phone: 0191 445 2180
  email: radiology@sample.nhs.uk
  web: https://www.nhs.uk/conditions/ct-scan/
  hours: Monday to Friday, 9am to 5pm
:::
"""


def options(**changes) -> WriterOptions:
    assets = Assets(folder=str(REPO / "leaflet_src" / SAMPLE_SLUG), pictograms=str(source.PICTOGRAMS))
    available = (Availability("pl", "Polski", ("standard",)),)
    return dataclasses.replace(WriterOptions(assets=assets, available=available), **changes)


@pytest.fixture(scope="module")
def short():
    return source.parse_text(SHORT, "short.md", REPO / "leaflet_src" / SAMPLE_SLUG, "short")


@pytest.fixture(scope="module")
def short_mp3(short) -> bytes:
    return write_mp3(short, options()).data


@pytest.fixture(scope="module")
def short_epub(short) -> bytes:
    return readaloud.write(short, options()).data


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory) -> tuple[Path, Path, dict]:
    """The sample's English audio and read-aloud EPUB, built by the command."""
    out = tmp_path_factory.mktemp("audio")
    run_leaflet("build", "-f", "audio", "-f", "read-aloud", "-e", "standard", "-l", "en-GB",
                "-o", str(out), check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = {e["format"]: out / e["path"] for e in manifest["artifacts"]}
    return paths["audio"], paths["read-aloud"], manifest


@pytest.fixture(scope="module")
def sample_leaflet():
    return source.parse_file(REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md", REPO)


# What the voice is given -------------------------------------------------------------

SPOKEN = [
    ("en-GB", "Phone 0191 445 2180.", "Phone oh one nine one, four four five, two one eight oh."),
    ("en-GB", "Phone NHS 111 or 999.", "Phone N H S one one one or nine nine nine."),
    ("en-GB", "Take 5 mg, then 1 mg.", "Take 5 milligrams, then 1 milligram."),
    ("en-GB", "Aim for 4-7 mmol/L.", "Aim for 4 to 7 millimoles per litre."),
    ("en-GB", "1 mcg, 25 µg/h, 2,5 ml, 1,000 ml",
     "1 microgram, 25 micrograms per hour, 2.5 millilitres, 1000 millilitres"),
    ("en-GB", "below 140/90 mmHg, 37.5°C, 5%",
     "below 140/90 millimetres of mercury, 37.5 degrees Celsius, 5 per cent"),
    ("en-GB", "20 mg/kg/day", "20 mg/kg/day"),  # no unit of CLDR's: left to the voice
    ("en-GB", "Open 9am to 8pm, or 9:00–17:30.", "Open 9 a.m. to 8 p.m., or 9 a.m. to 5 30 p.m."),
    ("en-GB", "Email info@sample.nhs.uk.", "Email info at sample dot N H S dot U K."),
    ("en-GB", "See www.nhs.uk/conditions/ or 111.nhs.uk.",
     "See w w w dot N H S dot U K slash conditions or one one one dot N H S dot U K."),
    ("en-GB", "Ask your GP about a CT or MRI scan; GPs know.",
     "Ask your G P about a C T or M R I scan; G P's know."),
    ("en-GB", "Come back on 06/01/2027.", "Come back on 6 January 2027."),
    # each digit a word of its own, said by the voice in its language
    ("pl", "Zadzwoń pod 0191 445 2180.", "Zadzwoń pod 0 1 9 1, 4 4 5, 2 1 8 0."),
    ("pl", "NHS 111 lub 999", "N H S 1 1 1 lub 9 9 9"),
    # units by their CLDR long names in the number's plural form, a decimal with the
    # language's own sign
    ("pl", "1 mg, 2 mg, 5 mg, 2,5 mg, 2.5 mg",
     "1 miligram, 2 miligramy, 5 miligramów, 2,5 miligrama, 2,5 miligrama"),
    ("pl", "5 mmol/l", "5 milimoli na litr"),
    ("pl", "120 mmHg", "120 milimetrów słupa rtęci"),
    ("pl", "12 mcg/h, 5 mg/ml", "12 mikrogramów na godzinę, 5 miligramów na mililitr"),
    ("pl", "9:00–20:00", "od dziewiątej do dwudziestej"),
    ("pl", "e-mail: info@sample.nhs.uk", "e-mail: info małpa sample kropka N H S kropka U K"),
    ("pl", "www.nhs.uk", "wu wu wu kropka N H S kropka U K"),
    ("pl", "lekarz rodzinny (GP), CT, MRI", "lekarz rodzinny (G P), C T, M R I"),
    ("ar", "اتصل بالرقم 0191 445 2180", "اتصل بالرقم 0 1 9 1، 4 4 5، 2 1 8 0"),
    ("ar", "NHS 111 أو 999", "N H S 1 1 1 أو 9 9 9"),
    # the data's vowelled names where CLDR's are unvowelled; "ملغ" is the units table's
    ("ar", "5 ملغ و 2 mg", "5 مِلِّيغْرَامَات و 2 مِلِّيغْرَامَان"),
    ("ar", "6 mmol/L", "6 مِلِّيمُول لِكُلِّ لِتْر"),
    ("ar", "5%", "5 بِالْمِئَة"),
    ("ar", "3 mcg", "3 ميكروغرام"),
    ("ar", "info@sample.nhs.uk", "info آت sample نُقْطَة N H S نُقْطَة U K"),
    ("ar", "طبيبك العام (GP) و CT و MRI", "طبيبك العام (G P) و C T و M R I"),
]


@pytest.mark.parametrize("lang, printed, spoken", SPOKEN)
def test_printed_text_is_given_to_the_voice_in_spoken_form(lang, printed, spoken):
    assert for_language(lang).text(printed) == spoken


def test_a_language_without_speech_data_still_says_phone_numbers_digit_by_digit():
    # Welsh has no data file: the digits go to its voice one by one, never as one number.
    assert for_language("cy").text("Ffoniwch 0191 445 2180") == "Ffoniwch 0 1 9 1, 4 4 5, 2 1 8 0"


def test_the_library_lexicon_adds_words_and_spellings():
    lexicon = library_lexicon.parse("all:\n  say:\n    Gateshead: Gates head\n"
                                    "en:\n  say:\n    Herceptin: her sep tin\n"
                                    "  spell: [BCN]\n", "theme/lexicon.yaml")
    english = for_language("en-GB", lexicon=lexicon)
    assert english.text("Herceptin from your BCN in Gateshead") == \
        "her sep tin from your B C N in Gates head"
    assert for_language("pl", lexicon=lexicon).text("Herceptin, Gateshead") == \
        "Herceptin, Gates head"


def test_speech_data_mistakes_are_reported_together_at_their_lines():
    from formats.audio.rules import rules_from
    from leaflet import config, yamlsafe

    node, data = yamlsafe.load("digits: [oh]\nunits:\n  mg: {one: milligram, other: milligrams}\n",
                               "xx.yaml")
    with pytest.raises(LeafletError) as caught:
        rules_from(data, "xx", "formats/audio/speech/xx.yaml", config.node_lines(node))
    assert "formats/audio/speech/xx.yaml:1: 'digits' must list the ten words" in str(caught.value)
    # a unit's name is keyed by its CLDR unit, not by a way it is printed
    assert "formats/audio/speech/xx.yaml:3: 'mg' is not a CLDR unit" in str(caught.value)


def test_lexicon_and_voice_mistakes_name_their_line():
    with pytest.raises(LeafletError) as caught:
        library_lexicon.parse("en:\n  say:\n    x: y\n  sing: [A]\n", "theme/lexicon.yaml")
    assert str(caught.value).startswith("theme/lexicon.yaml:4: unknown setting 'sing'")
    with pytest.raises(LeafletError) as caught:
        library_voice.parse("rate: 900\nvoices:\n  pl: ../../voice.onnx\n", "theme/voice.yaml")
    assert "theme/voice.yaml:1: 'rate' is words per minute" in str(caught.value)
    assert "theme/voice.yaml:3: the Piper model '../../voice.onnx' must be a file inside" \
        in str(caught.value)


# What is said, in what order ------------------------------------------------------------

def test_the_script_follows_the_page(short):
    said = [(s.spoken, s.chapter, s.slow) for s in script.segments(short, options(),
                                                                   for_language("en-GB"))]
    spoken = [s for s, _chapter, _slow in said]
    assert spoken[:4] == ["Sample N H S Trust.", "Your C T scan.", "Information for patients.",
                          "Before the scan."]
    assert "Drink water." in spoken and "Bring your glasses." in spoken
    assert "Picture: A nurse beside a scanner." in spoken
    assert "Time: 9 a.m. What happens: You arrive." in spoken
    radiology = spoken.index("Radiology.")
    assert spoken[radiology + 1] == "Phone: oh one nine one, four four five, two one eight oh."
    assert spoken[radiology + 2] == \
        "Email: radiology at sample dot N H S dot U K."
    assert spoken[radiology + 3] == \
        "Website: w w w dot N H S dot U K slash conditions slash C T dash scan."
    assert spoken[-5:] == ["This leaflet is also available in other languages and formats.",
                           "Polish: Standard print.", "Ask the radiology team for another format.",
                           "Leaflet code: R eh D, seven.", "Review date: 1 March 2027."]
    assert [c for _s, c, _slow in said if c] == ["Your CT scan", "Before the scan", "Help",
                                                 "This leaflet is also available in other "
                                                 "languages and formats"]
    assert all(slow for s, _c, slow in said if s.startswith(("Phone:", "Email:", "Website:",
                                                             "Opening hours:")))
    assert "Opening hours: Monday to Friday, 9 a.m. to 5 p.m." in spoken
    assert "Take 5 milligrams of the tablet at 9 a.m." in spoken[4]
    assert "4 to 7 millimoles per litre" in spoken[4] and "Your G P will" in spoken[4]
    assert "phone N H S one one one. In an emergency phone nine nine nine." in \
        " ".join(spoken)


SAMPLE_HOURS = {"en-GB": "Opening hours: Monday to Friday, 9 a.m. to 8 p.m.",
                "pl": "Godziny otwarcia: Od poniedziałku do piątku, od dziewiątej do dwudziestej.",
                "ar": "ساعات العمل: من الاثنين إلى الجمعة، من 9 صباحًا إلى 8 مساءً."}


@pytest.mark.parametrize("lang", ["en-GB", "pl", "ar"])
def test_the_sample_is_spoken_right_in_each_language(sample_leaflet, lang):
    library = Library(REPO)
    leaflet = i18n.translate(library, sample_leaflet, lang).leaflet
    words = options(words=i18n.ui_words(library, lang))
    spoken = [s.spoken for s in script.segments(leaflet, words, for_language(lang))]
    text = " ".join(spoken)
    assert SAMPLE_HOURS[lang] in spoken
    # no printed number, and no abbreviation the voice would guess at, reaches the voice
    assert not re.search(r"\d{4} \d{3} \d{4}", text)
    assert not re.search(r"\b(NHS|GP|CT|MRI)\b", text)
    assert "N H S" in text and "C T" in text and "M R I" in text
    phone = for_language(lang).phone("0191 445 2180")
    assert text.count(phone) == 2  # a contact, and the requests line


def test_a_draft_translation_says_the_draft_notice_first_in_english_then_in_the_language(short):
    polish = dataclasses.replace(short, meta=dataclasses.replace(short.meta, language="pl"))
    words = {"DRAFT translation, not yet checked": "Wersja robocza tłumaczenia"}
    segments = script.segments(polish, options(draft=True, words=words), for_language("pl"))
    assert [(s.spoken, s.lang) for s in segments[:2]] == [
        ("DRAFT translation, not yet checked.", "en"), ("Wersja robocza tłumaczenia.", "")]


# What espeak-ng makes of it ---------------------------------------------------------

def phonemes(text: str, voice: str) -> str:
    return subprocess.run(["espeak-ng", "-q", "-x", "-v", voice], input=text, text=True,
                          capture_output=True, check=True).stdout


def sample_numbers(leaflet) -> list[str]:
    numbers = []
    for block in walk(leaflet.blocks):
        children = getattr(block, "children", ())
        numbers += [node.display for node in children if isinstance(node, Phone)]
        if isinstance(block, Contacts):
            numbers += [phone.display for c in block.contacts for phone in c.phones]
    return sorted(set(numbers))


# Pieces of espeak-ng's phonemes (stress marks left out) for "hundred", "thousand" and
# the tens in each voice: a number read whole, not digit by digit.
WHOLE_NUMBER = {"en-gb": ("hVndrI2d", "TaUz@nd", "ti "), "pl": ("stO", "tyS", "dz;ES;", "yst"),
                "ar": ("mi?a", "?alf", "u:n")}


def heard(text: str, voice: str) -> str:
    return re.sub("[',]", "", phonemes(text, voice))


@pytest.mark.parametrize("lang, voice", [("en-GB", "en-gb"), ("pl", "pl"), ("ar", "ar")])
def test_espeak_says_the_sample_phone_numbers_digit_by_digit(sample_leaflet, lang, voice):
    numbers = sample_numbers(sample_leaflet)
    assert len(numbers) >= 9
    speech = for_language(lang)
    for number in numbers:
        said = heard(speech.phone(number), voice)
        assert not any(piece in said for piece in WHOLE_NUMBER[voice]), (number, said)
        # one word per digit, one line (a comma's pause) per printed group
        assert len(said.split()) == sum(c.isdigit() for c in number), (number, said)
        assert len(said.strip().splitlines()) == len(number.split()), (number, said)
    # the printed number given to the voice as it is would be read whole: the check can fail
    assert any(piece in heard(numbers[0], voice) for piece in WHOLE_NUMBER[voice])


# The MP3 -----------------------------------------------------------------------------------

@pytest.mark.slow  # renders speech
def test_mp3_is_small_mono_speech_with_tags(short, short_mp3):
    info = MP3(io.BytesIO(short_mp3)).info
    assert (info.channels, info.sample_rate, info.bitrate) == (1, 22050, 48000)
    tags = ID3(io.BytesIO(short_mp3))
    assert tags["TIT2"].text == ["Your CT scan"]
    assert tags["TPE1"].text == ["Sample NHS Trust"]
    assert tags["TLAN"].text == ["eng"]
    assert str(tags["TDRC"].text[0]) == "2025"


@pytest.mark.slow  # renders speech
def test_mp3_chapters_are_the_sections_in_order_and_fill_the_audio(short, short_mp3):
    found = chapters(short_mp3)
    headings = [h.markdown for h in short.blocks if isinstance(h, Heading) and h.level == 1]
    assert [c.title for c in found] == ["Your CT scan", *headings, "This leaflet is also "
                                        "available in other languages and formats"]
    length = duration(short_mp3)
    assert found[0].start == 0
    for before, after in zip(found, found[1:], strict=False):
        assert before.start < before.end == after.start
    assert found[-1].end <= length + 0.05


@pytest.mark.slow  # renders speech
def test_mp3_length_fits_the_words_at_the_voice_rate(short, short_mp3):
    said = script.segments(short, options(), for_language("en-GB"))
    words = sum(len(s.spoken.split()) for s in said)
    pauses = sum(s.pause_ms for s in said) / 1000
    expected = words / 150 * 60 + pauses  # 150 words a minute, contacts slower
    assert 0.7 * expected < duration(short_mp3) < 1.6 * expected


@pytest.mark.slow  # renders speech
def test_same_leaflet_same_mp3_bytes_and_no_files_left_behind(short, short_mp3, tmp_path,
                                                              monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the writer's temporaries go here
    # spoken again, not taken from the writer's memo of its last narration
    assert encode(short, options(), narrate.narrate(short, options())) == short_mp3
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # renders speech
def test_sample_mp3_is_chaptered_by_its_sections(sample_build, sample_leaflet):
    mp3, _epub, manifest = sample_build
    assert mp3.name == f"{SAMPLE_SLUG}.en-GB.mp3"
    data = mp3.read_bytes()
    sections = [" ".join(h.markdown.split()) for h in sample_leaflet.blocks
                if isinstance(h, Heading) and h.level == 1]
    titles = [c.title for c in chapters(data)]
    assert titles[1:-1] == sections and titles[0] == sample_leaflet.meta.title
    # another decoder (sox, through libmad) agrees on the length
    sox = float(subprocess.run(["soxi", "-D", str(mp3)], capture_output=True, text=True,
                               check=True).stdout)
    assert abs(sox - duration(data)) < 0.2 and 240 < sox < 1200


# The read-aloud EPUB ----------------------------------------------------------------------

@pytest.mark.slow  # renders speech
def test_read_aloud_epubs_pass_epubcheck(sample_build, short_epub, tmp_path):
    short_path = tmp_path / "short.read-aloud.epub"
    short_path.write_bytes(short_epub)
    results = list(epubcheck([sample_build[1], short_path]).values())
    assert results == [[], []]


def overlay(data: bytes):
    book = zipfile.ZipFile(io.BytesIO(data))
    opf = etree.fromstring(book.read("EPUB/content.opf"))
    content = etree.fromstring(book.read("EPUB/content.xhtml"))
    smil = etree.fromstring(book.read("EPUB/content.smil"))
    audio = [i for i in opf.iter(f"{OPF}item") if i.get("media-type") == "audio/mpeg"]
    return book, opf, content, smil, book.read("EPUB/" + audio[0].get("href"))


def seconds(clock: str) -> float:
    hours, minutes, rest = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


@pytest.mark.parametrize("which", ["short", "sample"])
@pytest.mark.slow  # renders speech
def test_every_smil_par_points_at_an_element_and_a_clip_in_order(which, short_epub,
                                                                   sample_build):
    data = short_epub if which == "short" else sample_build[1].read_bytes()
    _book, opf, content, smil, audio = overlay(data)
    order = {e.get("id"): n for n, e in enumerate(content.iter()) if e.get("id")}
    length = duration(audio)
    pars = list(smil.iter(f"{SMIL}par"))
    assert len(pars) > 10
    last_element, last_end = -1, 0.0
    for par in pars:
        href = par.find(f"{SMIL}text").get("src")
        clip = par.find(f"{SMIL}audio")
        target = href.split("#")[1]
        assert href.startswith("content.xhtml#") and target in order, href
        begin, end = seconds(clip.get("clipBegin")), seconds(clip.get("clipEnd"))
        assert last_end <= begin < end <= length
        assert order[target] > last_element
        last_element, last_end = order[target], end
    durations = [m.text for m in opf.iter(f"{OPF}meta") if m.get("property") == "media:duration"]
    assert len(durations) == 2 and durations[0] == durations[1]
    assert last_end <= seconds(durations[0]) <= length + 0.05
    (item,) = [i for i in opf.iter(f"{OPF}item") if i.get("media-overlay")]
    assert item.get("href") == "content.xhtml"


@pytest.mark.slow  # renders speech
def test_read_aloud_highlights_what_is_said(short_epub):
    _book, _opf, content, smil, _audio = overlay(short_epub)
    by_id = {e.get("id"): e for e in content.iter() if e.get("id")}
    said = ["".join(by_id[p.find(f"{SMIL}text").get("src").split("#")[1]].itertext())
            for p in smil.iter(f"{SMIL}par")]
    assert said[:3] == ["Sample NHS Trust", "Your CT scan", "Information for patients"]
    assert "Drink water." in said and "Phone: 0191 445 2180" in said


@pytest.mark.slow  # renders speech
def test_same_leaflet_same_read_aloud_epub(short, short_epub):
    assert readaloud.write(short, options()).data == short_epub


# Voices -----------------------------------------------------------------------------------

def test_a_language_no_voice_speaks_raises_no_voice(short):
    tigrinya = dataclasses.replace(short, meta=dataclasses.replace(short.meta, language="ti"))
    with pytest.raises(NoVoice) as caught:
        narrate.narrate(tigrinya, options())
    assert caught.value.lang == "ti" and "Tigrinya" in str(caught.value)


@pytest.mark.slow  # renders speech
def test_a_missing_piper_model_warns_and_espeak_speaks(short, tmp_path):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "voice.yaml").write_text("voices:\n  en-GB: voices/missing.onnx\n", encoding="utf-8")
    theme_options = dataclasses.replace(
        options(), theme=dataclasses.replace(options().theme, folder=str(theme)),
        assets=dataclasses.replace(options().assets, extra=(str(theme),)),
        voice=library_voice.load(theme, tmp_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        narration = narrate.narrate(short, theme_options)
    assert [w.category for w in caught] == [VoiceWarning]
    assert "voices/missing.onnx" in str(caught[0].message)
    assert narration.voice.startswith("espeak-ng 1.") and narration.duration > 10
    assert "voice en-gb" in narration.voice
    # the artifact key's part for the voices names the engines' and the encoder's versions
    assert re.fullmatch(r"espeak-ng 1\.\d+\S*; lame 3\.\d+\S*; ffmpeg (\S+|missing)"
                        r"(; piper-tts \S+)?", engine_versions())
