"""Issue 26, done: the thirty-language fixture (a short leaflet with a dose table, a quote,
a warning, a contacts block, the phone number 0191 445 2180 and the short numbers 999 and
111, translated into the thirty languages NHS interpreting services are asked for most)
passes ``leaflet check`` with nothing accepted and builds every format where liblouis and
espeak-ng allow.  Every output is read back with the tools a reader would use and says
its language and direction; the narration says 999 and 111 digit by digit; no output
prints one of the tool's words in English; the braille tables and voices are the ones
``test_languages.CHOSEN`` expects.

The fast part checks the catalogs, the narration script and the text edition; the slow
part builds every format of every language once (``thirty``) and reads it back.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import polib
import pytest
from lxml import etree
from lxml import html as lxml_html

from formats.audio.speech import for_language

from conftest import FIXTURES, Built, epubcheck, run_leaflet
from test_languages import CHOSEN, THIRTY
from test_tool_words import DRAFT_ENGLISH, _text, _word_pattern, pot_entries, tool_catalog

FIXTURE = FIXTURES / "thirty-languages"
SLUG = "new-medicine"
SOURCE_LANG = "en-GB"
# Written right to left: the languages of the thirty written in the Arabic script.
RIGHT_TO_LEFT = {"ar", "ur", "fa", "ckb", "ps", "prs"}
BRAILLE = ("brf", "pef")
AUDIO = ("audio", "read-aloud")
EVERY_FORMAT = ("pdf", "docx", "epub", "html", "text", *BRAILLE, *AUDIO)
VOICED = sorted(lang for lang in THIRTY if CHOSEN[lang][1])
WITH_TABLE = sorted(lang for lang in THIRTY if CHOSEN[lang][0])
PHONE = "0191 445 2180"
SHORT_NUMBERS = ("999", "111")
# The messages whose translations every output must show: the title and the headings.
TITLE, HEADINGS = "Your new medicine", ("Taking your medicine", "Who to contact")
# the dose sentence: its numbers and units are said in the voice's language too
DOSE_SENTENCE = ("Take 5 mg once a day, in the morning. Do not take more than 10 mg in 24 "
                 "hours.")
BLANK = "\u2800"  # the braille cell with no dots
# North American braille ASCII, the BRF's code: the character for each cell, in the order
# of the cell's dots read as a number (dot 1 is 1, dot 2 is 2, ... dot 6 is 32).
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML, OPF = "{http://www.w3.org/1999/xhtml}", "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed")


def known(values, defects: dict[str, str]) -> list:
    """The values as parameters, those with a known defect marked as expected to fail
    (strictly: a fix makes the test fail until the mark goes)."""
    return [pytest.param(v, marks=pytest.mark.xfail(strict=True, reason=defects[v]))
            if v in defects else v for v in values]


# Known failures of the braille tests below, and why (the tool or the test).
# What the braille writes in uncontracted UEB where the language's table cannot write it in
# six dots (Latin in Urdu, an Italian hyphen, Romanian digits): formats/braille.
FALLBACK_TABLE = "en-ueb-g1.ctb"


def catalog(lang: str) -> polib.POFile:
    return polib.pofile(str(FIXTURE / "locales" / lang / f"{SLUG}.po"))


def translated(lang: str, msgid: str) -> str:
    """The fixture's translation of one message (the message itself in English)."""
    if lang == SOURCE_LANG:
        return msgid
    return catalog(lang).find(msgid).msgstr


def ascii_digits(text: str) -> str:
    """Digits of any script as ASCII digits: a translator may write ٩٩٩ or ९९९."""
    return "".join(str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None
                   else c for c in text)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """A copy of the fixture, so that nothing a run writes lands in the repository."""
    root = tmp_path_factory.mktemp("thirty-languages") / "library"
    shutil.copytree(FIXTURE, root)
    return root


# The fixture and `leaflet check` ---------------------------------------------------------

def test_the_thirty_are_the_issues_and_the_registry_has_no_other_format():
    import formats

    assert sorted(p.parent.name for p in (FIXTURE / "locales").glob(f"*/{SLUG}.po")) == \
        sorted(THIRTY)
    assert set(EVERY_FORMAT) == set(formats.FORMATS)


@pytest.mark.parametrize("lang", THIRTY)
def test_every_message_is_translated_in_the_catalog(lang):
    po = catalog(lang)
    assert po.metadata["Language"] == lang
    entries = [e for e in po if not e.obsolete]
    assert {e.msgid for e in entries} >= {TITLE, *HEADINGS}
    assert [e.msgid for e in entries if not e.msgstr.strip() or "fuzzy" in e.flags] == []


@pytest.fixture(scope="module")
def checked(library):
    return run_leaflet("--root", str(library), "check")


def _errors(result) -> list[str]:
    """The lines of `leaflet check` or `leaflet build` that are not warnings."""
    return [line for line in result.stderr.splitlines()
            if line.strip() and not re.search(r"(^|: )warning: ", line)
            and not re.fullmatch(r"\d+ errors?, \d+ warnings?", line)]


def test_leaflet_check_passes_with_nothing_accepted(library, checked):
    assert not list(library.rglob("reviews.yaml"))  # no reviewer has accepted anything
    output = checked.stdout + checked.stderr
    assert _errors(checked) == []
    assert checked.returncode == 0, output
    assert re.search(r"^no errors, \d+ warnings?$", checked.stdout, re.M | re.I), output
    assert "accepted" not in output.lower(), output


@pytest.mark.parametrize("lang", THIRTY)
def test_leaflet_check_finds_no_error_in_the_catalog(checked, lang):
    assert [line for line in _errors(checked)
            if line.startswith(f"locales/{lang}/")] == []


# The narration ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _script(library: Path, lang: str) -> tuple:
    """What the audio of the language says, segment by segment, made as the build makes it
    (the build keeps no narration script of its own)."""
    from formats.audio import script
    from formats.audio.speech import for_language
    from leaflet.build.artifact import prepare
    from leaflet.build.plan import Sources
    from leaflet.library import Library

    books = Library(library)
    translation, options = prepare(books, Sources(books), (SLUG, lang, "standard"),
                                   strict=False)
    leaflet = translation.leaflet
    speech = for_language(leaflet.meta.language, leaflet.meta.region, options.lexicon)
    return tuple(script.segments(leaflet, options, speech))


def _phoneme_words(voice: str, text: str) -> list[tuple[str, str]]:
    """espeak-ng's phonemes of each word of the text, as the voice is given it, without
    stress, tone, length and pause marks, each with the language espeak-ng says it in
    ("" for the voice's own; espeak-ng marks a switch as "(en)" and back as "(ne)")."""
    from formats.audio.engine import voice_text

    said = subprocess.run(["espeak-ng", "-q", "-x", "-v", voice, "--stdin"],
                          input=voice_text(text), capture_output=True, text=True,
                          check=True).stdout
    own = {voice, voice.split("-")[0]}
    language, words = "", []
    for token in said.split():
        word, word_language = "", None
        for part in re.split(r"(\([a-z-]+\))", token):
            if re.fullmatch(r"\([a-z-]+\)", part):
                language = "" if part[1:-1] in own else part[1:-1]
            elif (phonemes := re.sub(r"[\d'_,|:;=\-]", "", part)):
                word += phonemes
                word_language = language if word_language is None else word_language
        if word:
            words.append((word, word_language))
    return words


def _joins(word: str, alone: str) -> bool:
    """A word is the digit said alone, or that with its last sound changed or one more
    where the next word joins it: the Arabic "tisʕa" is "tisʕat" before a word, the
    Polish "dziewięć" ends voiced before a voiced sound."""
    if word == alone:
        return True
    return len(alone) >= 4 and abs(len(word) - len(alone)) <= 1 and word[:-2] == alone[:-2]


def _digit_run(words: list[tuple[str, str]], digit: list[tuple[str, str]]) -> list | None:
    """The first place where the digit's phonemes are said three times running."""
    run = [phonemes for phonemes, _language in digit] * 3
    for i in range(len(words) - len(run) + 1):
        found = words[i:i + len(run)]
        if all(_joins(word, alone) for (word, _language), alone in zip(found, run, strict=True)):
            return found
    return None


@needs_espeak
@pytest.mark.parametrize("lang", VOICED)
def test_999_and_111_are_said_digit_by_digit_in_the_voices_language(library, lang):
    voice = CHOSEN[lang][1]
    segments = [s for s in _script(library, lang) if not s.lang]  # the English DRAFT aside
    for number in SHORT_NUMBERS:
        found = [s for s in segments if number in ascii_digits(s.display)]
        assert found, (lang, number, [s.display for s in segments])
        # the digit as the narration writes it: in the language's own digits where CLDR
        # says it uses them (Nepali's voice says "9" in English and "९" in Nepali)
        digit = _phoneme_words(voice, for_language(lang).digit_word(number[0]))
        assert digit and _digit_run(_phoneme_words(voice, number), digit) is None, \
            (lang, number, "espeak-ng says the number whole by itself, so this proves nothing")
        for segment in found:
            assert not re.search(rf"(?<!\d){number}(?!\d)", ascii_digits(segment.spoken)), \
                (lang, segment.spoken)
            words = _phoneme_words(voice, segment.spoken)
            run = _digit_run(words, digit)
            assert run is not None, (lang, number, segment.spoken, words, digit)
            assert {language for _word, language in run} == {""}, \
                (lang, number, f"the {voice} voice says the digits in another language", run)


# Words the voice itself reads with another language's rules, though they are its own.
READ_AS_ENGLISH = {
    "vi": "espeak-ng's Vietnamese voice reads CLDR's Vietnamese word for milligrams, the "
          "loanword 'miligam' (written without tones), by its English rules",
}


@needs_espeak
@pytest.mark.parametrize("lang", known(VOICED, READ_AS_ENGLISH))
def test_the_voice_says_the_leaflets_words_in_its_language(library, lang):
    """The title, the headings and the quote as the narration says them: espeak-ng marks
    each word it says in another language."""
    voice = CHOSEN[lang][1]
    wanted = {squeezed(translated(lang, msgid)) for msgid in
              (TITLE, *HEADINGS, "The pharmacist explained everything to me.", DOSE_SENTENCE)}
    said = [s.spoken for s in _script(library, lang) if s.display in wanted and not s.lang]
    assert len(said) >= len(wanted), (lang, said)
    other = {text: switched for text in said
             if (switched := [w for w in _phoneme_words(voice, text) if w[1]])}
    assert other == {}, (lang, voice)


@pytest.fixture(scope="module")
def english_narration(library) -> str:
    return " ".join(s.spoken for s in _script(library, SOURCE_LANG))


@pytest.mark.parametrize("lang", VOICED)
def test_the_narration_says_no_tool_word_in_english(library, english_narration, lang):
    said = " ".join(s.spoken for s in _script(library, lang) if not s.lang)
    assert _english_tool_words(said, lang, _tool_words_used(english_narration)) == []


# The tool's words ------------------------------------------------------------------------

def _tool_words_used(english: str) -> dict[str, re.Pattern]:
    """The tool's words the English output prints, each as a pattern."""
    used = {e.msgid: pattern for e in pot_entries()
            if (pattern := _word_pattern(e.msgid)).search(english)}
    # the test has words to look for: the contact's labels and the box's title at least
    assert {"Phone", "Email", "Warning"} <= set(used), sorted(used)
    return used


def _english_tool_words(text: str, lang: str, used: dict[str, re.Pattern]) -> list[str]:
    """The tool's words the text prints in English though the language has its own."""
    words = {e.msgid: e.msgstr for e in tool_catalog(lang) if not e.obsolete}
    own = " ".join(words.values())
    text = squeezed(text).replace(DRAFT_ENGLISH, " ")
    return [msgid for msgid, pattern in used.items()
            if words[msgid] != msgid and not pattern.search(own) and pattern.search(text)]


# The text edition, in every language -----------------------------------------------------

@pytest.fixture(scope="module")
def text_edition(library, tmp_path_factory) -> Built:
    out = tmp_path_factory.mktemp("thirty-text")
    result = run_leaflet("--root", str(library), "build", "-f", "text", "-e", "standard",
                         "-o", str(out), "-j", "2")
    return Built(out, result)


def test_the_text_edition_builds_with_no_error(text_edition):
    result = text_edition.result
    assert _errors(result) == []
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("lang", THIRTY)
def test_the_text_edition_is_in_the_language(text_edition, lang):
    text = squeezed(text_edition.find("text", lang=lang, leaflet=SLUG).read_text("utf-8"))
    for msgid in (TITLE, *HEADINGS):
        assert squeezed(translated(lang, msgid)) in text, (lang, msgid)
    digits = ascii_digits(text)
    assert PHONE in digits and all(number in digits for number in SHORT_NUMBERS), text


def test_no_text_edition_prints_a_tool_word_in_english(text_edition):
    english = text_edition.find("text", lang=SOURCE_LANG, leaflet=SLUG).read_text("utf-8")
    used = _tool_words_used(english)
    found = {lang: words for lang in THIRTY
             if (words := _english_tool_words(
                 text_edition.find("text", lang=lang, leaflet=SLUG).read_text("utf-8"),
                 lang, used))}
    assert found == {}


# Every format, every language: one build --------------------------------------------------

@pytest.fixture(scope="module")
def thirty(thirty_languages_build) -> Built:
    """Every format of the standard edition in every language, built once (conftest)."""
    return thirty_languages_build


def _entries(built: Built, lang: str) -> dict[str, dict]:
    return {e["format"]: e for e in built.artifacts
            if e["lang"] == lang and e["leaflet"] == SLUG and e["edition"] == "standard"}


@pytest.mark.slow
def test_the_build_has_no_error(thirty):
    assert _errors(thirty.result) == []
    assert thirty.result.returncode == 0, thirty.result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("lang", THIRTY)
def test_every_format_is_built_where_the_tools_allow_and_one_warning_says_why_not(thirty, lang):
    from leaflet import langs

    table, voice = CHOSEN[lang]
    expected = set(EVERY_FORMAT) - (set() if table else set(BRAILLE)) \
        - (set() if voice else set(AUDIO))
    assert set(_entries(thirty, lang)) == expected
    for entry in _entries(thirty, lang).values():
        assert entry["bytes"] > 0 and (thirty.out / entry["path"]).stat().st_size == entry["bytes"]
    name = f"{langs.english_name(lang)} ({lang})"
    said = thirty.result.stderr.splitlines()
    no_table = [line for line in said if f"no braille table for {name}" in line]
    no_voice = [line for line in said if f"no voice speaks {name}" in line]
    assert len(no_table) == (0 if table else 1), no_table
    assert len(no_voice) == (0 if voice else 1), no_voice
    assert all(line.startswith("warning: ") for line in no_table + no_voice)


@pytest.mark.slow
@pytest.mark.parametrize("lang", WITH_TABLE)
def test_the_braille_table_is_the_one_chosen_for_the_language(thirty, lang):
    pef = etree.parse(str(thirty.find("pef", lang=lang, leaflet=SLUG)))
    identifier = pef.findtext(f".//{DC}identifier")
    assert identifier.split(":")[-1] == CHOSEN[lang][0].rsplit(".", 1)[0], identifier


@pytest.mark.slow
def test_the_manifest_names_the_voice_chosen_for_each_language(thirty):
    named = {lang: _entries(thirty, lang)["audio"].get("voice") for lang in VOICED}
    wrong = {lang: voice for lang, voice in named.items()
             if CHOSEN[lang][1] not in str(voice or "").split()}
    assert wrong == {}


# Language and direction in every format ----------------------------------------------------

def _direction(lang: str) -> str:
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


def _xml(path: Path, member: str) -> etree._Element:
    with zipfile.ZipFile(path) as book:
        return etree.fromstring(book.read(member))


def _epub_language(path: Path, lang: str) -> None:
    """The package, its language and reading direction, and each XHTML page's."""
    container = _xml(path, "META-INF/container.xml")
    opf_name = container.find(".//{*}rootfile").get("full-path")
    opf = _xml(path, opf_name)
    assert [e.text for e in opf.iter(f"{DC}language")] == [lang], path
    assert opf.get(XML_LANG) in (None, lang) and opf.get("dir") in (None, _direction(lang))
    spine = opf.find(f"{OPF}spine")
    assert spine.get("page-progression-direction", "ltr") == _direction(lang), path
    folder = opf_name.rsplit("/", 1)[0] + "/" if "/" in opf_name else ""
    pages = [item.get("href") for item in opf.iter(f"{OPF}item")
             if item.get("media-type") == "application/xhtml+xml"]
    assert pages, path
    for page in pages:
        root = _xml(path, folder + page)
        assert root.get("lang") == lang and root.get(XML_LANG) == lang, (path, page)
        assert root.get("dir", "ltr") == _direction(lang), (path, page)
        assert root.find(f"{XHTML}body").get("dir") in (None, _direction(lang)), (path, page)


def _docx_language(path: Path, lang: str) -> None:
    """The default language of the document's text and the language of its runs; the
    title's and the headings' paragraphs and runs set right to left in a right-to-left
    language (by themselves or by their style) and not in another, and in a right-to-left
    language every paragraph holding its script."""
    styles = _xml(path, "word/styles.xml")
    document = _xml(path, "word/document.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default is not None, path
    rtl, cjk = lang in RIGHT_TO_LEFT, lang.startswith("zh")
    # w:bidi is the language of complex-script text: right-to-left text, and also the
    # Indic scripts, which Word sets as complex script too
    val, bidi, east_asia = (default.get(f"{W}{name}") for name in ("val", "bidi", "eastAsia"))
    assert val == lang
    assert bidi == lang if rtl else bidi in (None, lang)
    assert east_asia == lang if cjk else east_asia in (None, lang)
    # the "also available" panel names each language in itself, tagged so
    own = {(e.get(f"{W}val"), e.get(f"{W}bidi"), e.get(f"{W}eastAsia"))
           for e in document.iter(f"{W}lang") if e.get(f"{W}val") == lang}
    assert own <= {(val, bidi, east_asia)}, own

    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}

    def styled(properties, element_name: str, kind: str) -> bool:
        """Whether the paragraph's or run's properties, or its styles, turn it on."""
        def on(container) -> bool | None:
            found = container.find(f"{W}{element_name}") if container is not None else None
            if found is None:
                return None
            return found.get(f"{W}val", "1") not in ("0", "false", "off")
        direct = on(properties)
        if direct is not None:
            return direct
        style = properties.find(f"{W}{kind}Style") if properties is not None else None
        style_id = style.get(f"{W}val") if style is not None else None
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            record = by_id.get(style_id)
            if record is None:
                break
            value = on(record.find(f"{W}{kind}Pr"))
            if value is not None:
                return value
            based = record.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        return False

    def text_of(element) -> str:
        return "".join(t.text or "" for t in element.iter(f"{W}t"))

    paragraphs = list(document.find(f"{W}body").iter(f"{W}p"))
    wanted = {squeezed(translated(lang, msgid)) for msgid in (TITLE, *HEADINGS)}
    main = [p for p in paragraphs if squeezed(text_of(p)).strip() in wanted]
    assert len(main) >= len(wanted), (path, wanted)
    for paragraph in main:
        assert styled(paragraph.find(f"{W}pPr"), "bidi", "p") == rtl, (path, text_of(paragraph))
        for run in paragraph.iter(f"{W}r"):
            if text_of(run).strip():
                assert styled(run.find(f"{W}rPr"), "rtl", "r") == rtl, (path, text_of(run))
    if rtl:
        for paragraph in paragraphs:
            if any(unicodedata.bidirectional(c) in ("R", "AL") for c in text_of(paragraph)):
                assert styled(paragraph.find(f"{W}pPr"), "bidi", "p"), (path, text_of(paragraph))


@pytest.mark.slow
@pytest.mark.parametrize("lang", [SOURCE_LANG, *THIRTY])
def test_every_format_says_its_language_and_direction(thirty, lang):
    import pikepdf

    entries = _entries(thirty, lang)
    page = lxml_html.fromstring(thirty.find("html", lang=lang, leaflet=SLUG).read_bytes())
    assert (page.get("lang"), page.get("dir", "ltr")) == (lang, _direction(lang))
    for fmt in ("epub", "read-aloud"):
        if fmt in entries:
            _epub_language(thirty.out / entries[fmt]["path"], lang)
    with pikepdf.open(thirty.find("pdf", lang=lang, leaflet=SLUG)) as pdf:
        assert str(pdf.Root.get("/Lang")) == lang
    _docx_language(thirty.find("docx", lang=lang, leaflet=SLUG), lang)
    if "pef" in entries:
        pef = etree.parse(str(thirty.out / entries["pef"]["path"]))
        assert pef.findtext(f".//{DC}language") == lang


# Reading the outputs back ------------------------------------------------------------------

@pytest.mark.slow
def test_epubcheck_has_nothing_to_say_about_any_epub(thirty):
    paths = [thirty.out / e["path"] for e in thirty.artifacts
             if e["format"] in ("epub", "read-aloud")]
    # the plain book in every language, the read-aloud one in every voiced language
    assert len(paths) == (1 + len(THIRTY)) + (1 + len(VOICED))
    found = epubcheck(paths)
    assert {str(p.relative_to(thirty.out)): m for p, m in found.items() if m} == {}


def _ffprobe(path: Path) -> dict:
    return json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_chapters",
         str(path)], capture_output=True, text=True, check=True).stdout)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe is not installed")
@pytest.mark.parametrize("lang", VOICED)
def test_the_audio_has_its_length_and_a_chapter_for_each_section(thirty, lang):
    entry = _entries(thirty, lang)["audio"]
    probe = _ffprobe(thirty.out / entry["path"])
    seconds = float(probe["format"]["duration"])
    assert seconds > 0 and abs(seconds - entry["duration"]) < 0.5, (seconds, entry["duration"])
    titles = [c["tags"]["title"] for c in probe["chapters"]]
    assert titles[:3] == [translated(lang, TITLE), *(translated(lang, h) for h in HEADINGS)]
    assert probe["format"]["tags"]["title"] == translated(lang, TITLE)
    assert float(probe["chapters"][-1]["end_time"]) == pytest.approx(seconds, abs=0.5)


def _epub_text(path: Path) -> str:
    parts = []
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.endswith(".xhtml"):
                tree = lxml_html.fromstring(book.read(name))
                attributes = " ".join(v for a in ("alt", "aria-label", "title")
                                      for v in tree.xpath(f"//@{a}"))
                parts += [tree.text_content(), attributes]
    return "\n".join(parts)


def _louis(table: str, text: str, backward: bool = False) -> str:
    """liblouis's command-line translation, line by line, from or to Unicode braille."""
    command = ["lou_translate", *(["--backward"] if backward else []), f"unicode.dis,{table}"]
    return subprocess.run(command, input=text, capture_output=True, text=True,
                          check=True).stdout


def _brf_cells(path: Path) -> list[list[str]]:
    """The BRF's pages of lines, each cell as Unicode braille."""
    cells = {char: chr(0x2800 + dots) for dots, char in enumerate(BRAILLE_ASCII)}
    pages = path.read_text(encoding="ascii").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [["".join(cells[c] for c in line.upper()).rstrip(BLANK)
             for line in page.rstrip("\n").split("\n")] for page in pages]


def _text_of(thirty: Built, fmt: str, lang: str) -> str:
    path = thirty.find(fmt, lang=lang, leaflet=SLUG)
    if fmt in ("epub", "read-aloud"):
        return _epub_text(path)
    return _text(path)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "epub", "read-aloud"])
def test_no_output_prints_a_tool_word_in_english(thirty, fmt):
    used = _tool_words_used(_text_of(thirty, fmt, SOURCE_LANG))
    found = {}
    for lang in THIRTY:
        if fmt in _entries(thirty, lang):
            words = _english_tool_words(_text_of(thirty, fmt, lang), lang, used)
            if words:
                found[lang] = words
    assert found == {}


needs_liblouis = pytest.mark.skipif(shutil.which("lou_translate") is None,
                                    reason="liblouis's tools are not installed")


def _pef_cells(path: Path) -> list[list[str]]:
    pef = etree.parse(str(path))
    return [[(row.text or "").rstrip(BLANK) for row in page.iter("{*}row")]
            for page in pef.iter("{*}page")]


def _six_dots(braille: str) -> str:
    """Braille as a six-dot file holds it: dots 7 and 8 are not there."""
    return "".join(chr(0x2800 | (ord(c) - 0x2800) & 0x3F) if 0x2800 <= ord(c) <= 0x28FF
                   else c for c in braille)


@pytest.mark.slow
@pytest.mark.parametrize("lang", WITH_TABLE)
def test_the_brf_and_the_pef_hold_the_same_braille(thirty, lang):
    entries = _entries(thirty, lang)
    brf = _brf_cells(thirty.out / entries["brf"]["path"])
    assert brf and brf == _pef_cells(thirty.out / entries["pef"]["path"])


@pytest.mark.slow
@needs_liblouis
def test_no_braille_prints_a_tool_word_in_english(thirty):
    """Each tool word the text edition prints, as the language's table writes it in
    English (a word, or a label with its colon), is nowhere in the language's braille,
    unless the table writes the language's own word the same way (Spanish "Versión" is
    "Version" in contracted braille)."""
    used = _tool_words_used(_text_of(thirty, "text", SOURCE_LANG))
    found = {}
    for lang in WITH_TABLE:
        table = CHOSEN[lang][0]
        words = {e.msgid: e.msgstr for e in tool_catalog(lang) if not e.obsolete}
        own = " ".join(words.values())
        # the draft notice's first line is English by design
        english = [m for m, pattern in used.items() if words[m] != m
                   and not pattern.search(own) and not pattern.search(DRAFT_ENGLISH)]
        # what the table lacks is left out (the test above): the language's word without it
        lacking = set(_undefined(table, set("".join(words[m] for m in english))))
        lines = [text for m in english
                 for text in (m, f"{m}:", "".join(c for c in words[m] if c not in lacking))]
        written = [_six_dots(line.strip())
                   for line in _louis(table, "\n".join(lines)).split("\n")[:len(lines)]]
        pages = _brf_cells(thirty.find("brf", lang=lang, leaflet=SLUG))
        cells = BLANK + BLANK.join(row for page in pages for row in page) + BLANK
        printed = [m for i, m in enumerate(english)
                   if written[3 * i] != written[3 * i + 2]
                   and (BLANK + written[3 * i] + BLANK in cells
                        or BLANK + written[3 * i + 1] in cells)]
        if printed:
            found[lang] = printed
    assert found == {}


def _printed_characters(lang: str) -> set[str]:
    """The characters of what the language's leaflet prints: its catalog's translations,
    the organisation, the e-mail and web addresses."""
    source = (FIXTURE / "leaflet_src" / SLUG / "leaflet.md").read_text(encoding="utf-8")
    fields = re.findall(r"^\s*(?:organisation|online|email): (.+)$", source, re.M)
    text = " ".join([*(e.msgstr for e in catalog(lang)), *fields])
    return {c for c in unicodedata.normalize("NFC", text) if not c.isspace()}


def _undefined(table: str, characters: set[str]) -> list[str]:
    """The characters the table has no braille for: liblouis spells each such one out as
    "'\\x1234'", as it does a private-use character, which no table defines."""
    probe = "\ue000"
    ordered = sorted(characters)
    written = _louis(table, "\n".join([probe, *ordered])).splitlines()
    unknown = written[0].strip()
    return [c for c, braille in zip(ordered, written[1:], strict=True)
            if len(braille.strip()) == len(unknown) and braille.strip()[:3] == unknown[:3]]


@pytest.mark.slow
@needs_liblouis
@pytest.mark.parametrize("lang", WITH_TABLE)
def test_nothing_printed_is_left_out_of_the_braille_unsaid(thirty, lang):
    """A character neither the language's table nor UEB can write is left out of the
    braille; a reader must be told, since what is left out may be a letter.  A mark the
    table writes with its letter (Punjabi's ਫ਼) is judged with the letter before it."""
    printed = _printed_characters(lang)
    lacking = set(_undefined(CHOSEN[lang][0], printed)) & set(_undefined(FALLBACK_TABLE, printed))
    text = unicodedata.normalize("NFC", " ".join(e.msgstr for e in catalog(lang)))
    pairs = {c: {text[i - 1] + c for i in range(1, len(text)) if text[i] == c} for c in lacking}
    missing = sorted(c for c in lacking
                     if not pairs[c] or _undefined(CHOSEN[lang][0], pairs[c]))
    if missing:
        told = [line for line in thirty.result.stderr.splitlines()
                if f"({lang})" in line and "braille" in line
                and all(c in line for c in missing)]
        assert told, (lang, CHOSEN[lang][0], missing)


@pytest.mark.slow
@needs_liblouis
@pytest.mark.parametrize("lang", WITH_TABLE)
def test_the_braille_reads_back_its_numbers(thirty, lang):
    """Read back with the language's table, or with UEB where the braille writes the
    digits in UEB (Romanian's table has them only in eight dots)."""
    table = CHOSEN[lang][0]
    pages = _brf_cells(thirty.find("brf", lang=lang, leaflet=SLUG))
    cells = "\n".join(row for page in pages for row in page)
    backs = {t: squeezed(ascii_digits(_louis(t, cells, backward=True)))
             for t in (table, FALLBACK_TABLE)}
    missing = [number for number in (*SHORT_NUMBERS, PHONE)
               if not any(number in back for back in backs.values())]
    probe = f"{PHONE} 999 111"
    if missing and ascii_digits(_louis(table, _louis(table, probe), backward=True)).split() \
            != probe.split():
        pytest.skip(f"liblouis's {table} does not read its own numbers back")
    assert missing == [], (lang, backs)
