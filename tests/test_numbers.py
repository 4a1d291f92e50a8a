"""Phone numbers as their authors wrote them (issue 25): checked wherever they stand,
printed exactly as written in every format, linked by what they are (a call, a text
message, text relay, a textphone, a fax), and the new-leaflet template's placeholders.

Every case is read back from the built files with a reader's tools: the text file,
the HTML and EPUB markup, python-docx for the DOCX, pdftotext and the PDF's link
annotations.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import phonenumbers
import pikepdf
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

from conftest import REPO, run_leaflet
from leaflet.source import phones

FRONT = """\
---
title: {title}
organisation: Example NHS Trust
language: en-GB
published: 2025-01-01
review: 2027-01-01
requests: Ask the ward staff, or phone 0113 496 0500.
{extra}---
"""

AS_WRITTEN = """
# Numbers as written

Call the charity free on 0800 58 58 58.

Ring the nurse's mobile on 07911 123456.

From the USA, phone +1 212 555 0142.

Phone the ward on 0113 496 0001 extension 2291.

Phone the clinic on 0113 496 0002 x3346.

# Numbers by what they are

If you have hearing loss, **dial 18001 111**.

If you cannot speak, you can text 999.

For support, text SHOUT to 85258.

Fax: 0113 496 0123

::: contacts
- name: Crisis text line
  text: "85258"
- name: Deaf service
  textphone: 0113 496 0124
- name: NHS website
  web: https://www.nhs.uk
:::
"""

ISLE_OF_MAN = """
# Help

Freephone 0800 4 70 80 90 at any time.
"""

WRITTEN = ("0800 58 58 58", "07911 123456", "+1 212 555 0142", "0113 496 0001 extension 2291",
           "0113 496 0002 x3346", "18001 111", "0113 496 0123")
FORMATS = ("text", "html", "docx", "epub", "pdf")
INVISIBLE = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u2060\u00ad"))


def plain(text: str) -> str:
    """Text as a reader sees it: no-break spaces as spaces, invisible marks gone."""
    return re.sub(r"[ \u00a0\u202f]+", " ", text.translate(INVISIBLE))


def write_leaflet(root: Path, slug: str, body: str, title: str = "Numbers",
                  extra: str = "") -> Path:
    folder = root / "leaflet_src" / slug
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "leaflet.md"
    path.write_text(FRONT.format(title=title, extra=extra) + body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(slug, format) -> the built standard edition, from the manifest."""
    root = tmp_path_factory.mktemp("numbers")
    write_leaflet(root, "numbers", AS_WRITTEN)
    write_leaflet(root, "isle-of-man", ISLE_OF_MAN, title="Isle of Man", extra="region: IM\n")
    out = root / "out"
    args = [arg for name in FORMATS for arg in ("-f", name)]
    run_leaflet("--root", str(root), "build", "-e", "standard", "-o", str(out), *args,
                check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {(a["leaflet"], a["format"]): out / a["path"] for a in manifest["artifacts"]
            if a["lang"] == "en-GB"}


def words_of(path: Path, format: str) -> str:
    """All the words of a built file, as its reader gets them."""
    if format == "text":
        return plain(path.read_text(encoding="utf-8"))
    if format == "html":
        return plain(lxml_html.fromstring(path.read_bytes()).text_content())
    if format == "epub":
        with zipfile.ZipFile(path) as epub:
            return plain(" ".join(lxml_html.fromstring(epub.read(name)).text_content()
                                  for name in epub.namelist() if name.endswith(".xhtml")))
    if format == "docx":
        document = docx.Document(str(path))
        paragraphs = list(document.paragraphs) + [
            p for table in document.tables for row in table.rows for cell in row.cells
            for p in cell.paragraphs]
        return plain("\n".join(p.text for p in paragraphs))
    if format == "pdf":
        return plain(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                    text=True, check=True).stdout)
    raise AssertionError(format)


def links_of(path: Path, format: str) -> list[tuple[str, str]]:
    """(target, words) of every link in a built file (PDF: target only)."""
    if format in ("html", "epub"):
        if format == "html":
            pages = [path.read_bytes()]
        else:
            with zipfile.ZipFile(path) as epub:
                pages = [epub.read(n) for n in epub.namelist() if n.endswith(".xhtml")]
        return [(a.get("href", ""), plain(a.text_content()))
                for page in pages for a in lxml_html.fromstring(page).iter("a")]
    if format == "docx":
        document = docx.Document(str(path))
        rels = document.part.rels
        found = []
        for link in document.element.body.iter(qn("w:hyperlink")):
            rid = link.get(qn("r:id"))
            words = "".join(t.text or "" for t in link.iter(qn("w:t")))
            found.append((rels[rid].target_ref if rid in rels else "", plain(words)))
        return found
    if format == "pdf":
        with pikepdf.open(path) as pdf:
            return [(str(annotation.A.get("/URI", "")), "") for page in pdf.pages
                    for annotation in page.obj.get("/Annots", [])
                    if annotation.get("/A") is not None]
    raise AssertionError(format)


# 2. Printed exactly as written -------------------------------------------------------

@pytest.mark.parametrize("format", FORMATS)
def test_every_number_prints_exactly_as_its_author_wrote_it(built, format):
    words = words_of(built[("numbers", format)], format)
    for written in WRITTEN:
        assert written in words, (format, written)
    # nothing regrouped, made international or given another extension word
    for rewritten in ("0800 585858", "+44 7911", "+1 212-555-0142", "ext. 2291", "ext. 3346"):
        assert rewritten not in words, (format, rewritten)


@pytest.mark.parametrize("format", FORMATS)
def test_a_number_of_a_region_sharing_plus_44_stays_national(built, format):
    words = words_of(built[("isle-of-man", format)], format)
    assert "0800 4 70 80 90" in words and "+44 800" not in words


@pytest.mark.parametrize("format", ("html", "docx", "epub"))
def test_a_number_as_written_still_dials_the_same_number(built, format):
    links = dict((words, target) for target, words in links_of(built[("numbers", format)],
                                                               format))
    assert links["0800 58 58 58"] == "tel:+44-800-585858"
    assert links["07911 123456"] == "tel:+44-7911-123456"
    assert links["+1 212 555 0142"] == "tel:+1-212-555-0142"
    assert links["0113 496 0001 extension 2291"] == "tel:+44-113-496-0001;ext=2291"
    assert links["0113 496 0002 x3346"] == "tel:+44-113-496-0002;ext=3346"
    links = dict((words, target) for target, words in links_of(built[("isle-of-man", format)],
                                                               format))
    assert links["0800 4 70 80 90"] == "tel:+44-800-470-8090"


# 3. Linked by what they are ----------------------------------------------------------

@pytest.mark.parametrize("format", ("html", "docx", "epub"))
def test_numbers_link_by_what_they_are(built, format):
    links = links_of(built[("numbers", format)], format)
    by_words: dict[str, set[str]] = {}
    for target, words in links:
        by_words.setdefault(words, set()).add(target)
    assert by_words["18001 111"] == {"tel:18001111"}  # the relay prefix is dialled too
    assert "111" not in by_words
    assert by_words["999"] == {"sms:999"}
    assert by_words["85258"] == {"sms:85258"}  # in the paragraph and the text: field
    assert by_words["0113 496 0124"] == {"tel:+44-113-496-0124"}  # a textphone
    assert "https://www.nhs.uk" in {t.rstrip("/") for t, _w in links}  # a web-only contact
    assert not any("4960123" in target or "496-0123" in target for target, _w in links)
    assert "0113 496 0123" in words_of(built[("numbers", format)], format)  # a fax, unlinked


def test_pdf_links_are_the_nodes_targets(built):
    targets = {target for target, _w in links_of(built[("numbers", "pdf")], "pdf")}
    assert {"tel:18001111", "sms:999", "sms:85258", "tel:+44-113-496-0124"} <= targets
    assert "tel:111" not in targets and "tel:999" not in targets
    assert not any("4960123" in t or "496-0123" in t for t in targets)


def test_a_relay_number_is_one_link_and_bold_as_a_whole(built):
    page = lxml_html.fromstring(built[("numbers", "html")].read_bytes())
    link = next(a for a in page.iter("a") if a.get("href") == "tel:18001111")
    assert plain(link.text_content()) == "18001 111"
    assert any(parent.tag == "strong" for parent in link.iterancestors())
    document = docx.Document(str(built[("numbers", "docx")]))
    for hyperlink in document.element.body.iter(qn("w:hyperlink")):
        words = plain("".join(t.text or "" for t in hyperlink.iter(qn("w:t"))))
        if words == "18001 111":
            assert all(run.find(qn("w:rPr")) is not None
                       and run.find(qn("w:rPr")).find(qn("w:b")) is not None
                       for run in hyperlink.iter(qn("w:r")))
            break
    else:
        raise AssertionError("no link for 18001 111 in the DOCX")
    pdf_text = words_of(built[("numbers", "pdf")], "pdf")
    assert "dial 18001 111" in pdf_text


def test_text_output_prints_every_kind_unlinked_as_written(built):
    words = words_of(built[("numbers", "text")], "text")
    for written in ("18001 111", "text 999", "text SHOUT to 85258", "Fax: 0113 496 0123",
                    "85258", "0113 496 0124", "https://www.nhs.uk"):
        assert written in words, written


@pytest.mark.parametrize("text, shown, target, kind", [
    ("dial 18001 111", "18001 111", "tel:18001111", "relay"),
    ("In an emergency, dial 18001 999.", "18001 999", "tel:18001999", "relay"),
    ("you can text 999", "999", "sms:999", "text"),
    ("text SHOUT to 85258", "85258", "sms:85258", "text"),
    ("Send an SMS to 07911 123456.", "07911 123456", "sms:+447911123456", "text"),
    ("Fax: 0113 496 0123", "0113 496 0123", "", "fax"),
    ("Textphone: 0113 496 0124", "0113 496 0124", "tel:+44-113-496-0124", "textphone"),
    ("Call or text 07911 123456.", "07911 123456", "tel:+44-7911-123456", "call"),
    ("Text relay users: phone 18001 0113 496 0000.", "18001 0113 496 0000",
     "tel:1800101134960000", "relay"),
])
def test_the_recogniser_gives_each_number_its_kind_and_link(text, shown, target, kind):
    from leaflet import source
    from leaflet.model import Phone

    numbers = [n for n in source.parse_inline(text, "x.md", 1) if isinstance(n, Phone)]
    assert [(n.display, n.tel, n.kind) for n in numbers] == [(shown, target, kind)]


def test_a_phone_and_a_text_number_in_one_sentence_each_get_their_own_kind():
    found = phones.find("Phone 0113 496 0000 or text 07911 123456.")
    assert [(m.display, m.use, m.tel) for m in found] == [
        ("0113 496 0000", "call", "tel:+44-113-496-0000"),
        ("07911 123456", "text", "sms:+447911123456")]


# 1. Checked wherever they stand ------------------------------------------------------

WRONG = """
# Wrong numbers

Call 0113 243 314 for advice.

Call 0113 243 31444 for advice.

Call 243 3144 for advice.

Or ring the nurse's mobile, 07700 900123.

::: contacts
- name: Ward 5
  about: Or call 0113 243 314 at night.
  phone: 0113 496 0001
:::
"""
WRONG_NUMBERS = ("0113 243 314", "0113 243 31444", "243 3144", "07700 900123")

NOT_NUMBERS = """
# Not phone numbers

Your appointment is on 2025-03-04, or 04-03-2025, at 14:30. Take 500 mg twice a day,
or 0.5 mg for a child, for 10 days. The risk is about 1 in 1,000; 15% feel tired.
This leaflet (ENDO-031A, version 3) was written in 2024 and is reviewed in 2027.
Your NHS number is a 10-digit number, such as 485 777 3456. The clinic is open
9am to 5pm, Monday to Friday. Call us 24 hours a day on 0113 496 0000.
"""


def test_check_refuses_wrong_numbers_in_running_text_naming_each_line(tmp_path):
    path = write_leaflet(tmp_path, "wrong", WRONG)
    lines = path.read_text(encoding="utf-8").split("\n")
    result = run_leaflet("--root", str(tmp_path), "check", "wrong")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for raw in WRONG_NUMBERS:
        line = next(n for n, text in enumerate(lines, 1)
                    if re.search(rf"{re.escape(raw)}(?!\d)", text) and "about:" not in text)
        assert re.search(rf"leaflet_src/wrong/leaflet\.md:{line}: '{re.escape(raw)}' looks "
                         "like a phone number", output), (raw, line, output)
    about = next(n for n, text in enumerate(lines, 1) if "about:" in text)
    assert f"leaflet.md:{about}: '0113 243 314' looks like a phone number" in output
    assert "0113 496 0001" not in output


def test_wrong_numbers_in_requests_are_refused_too(tmp_path):
    path = write_leaflet(tmp_path, "wrong", "\n# Help\n\nAsk the ward.\n")
    path.write_text(path.read_text(encoding="utf-8").replace("0113 496 0500", "0113 496 050"),
                    encoding="utf-8")
    result = run_leaflet("--root", str(tmp_path), "check", "wrong")
    assert result.returncode == 1
    assert "leaflet.md:7: '0113 496 050' looks like a phone number" in result.stdout + \
        result.stderr


def test_dates_doses_codes_years_ratios_times_and_nhs_numbers_are_no_phone_numbers(tmp_path):
    write_leaflet(tmp_path, "clean", NOT_NUMBERS)
    result = run_leaflet("--root", str(tmp_path), "check", "clean")
    output = result.stdout + result.stderr
    assert "phone number" not in output, output
    assert result.returncode == 0, output


@pytest.mark.parametrize("root", [REPO, REPO / "tests" / "fixtures" / "every-construct"])
def test_the_sample_library_and_fixtures_have_no_suspect_numbers(root):
    if not (root / "leaflet_src").is_dir():
        pytest.skip(f"no library at {root}")
    result = run_leaflet("--root", str(root), "check")
    output = result.stdout + result.stderr
    assert "looks like a phone number" not in output
    assert "is not a phone number" not in output


@pytest.mark.parametrize("text", ["Call 0113 243 314", "Call 0113 243 31444", "Call 243 3144",
                                  "Ring 07700 900123", "phone us on 0191 445 218"])
def test_each_wrong_number_is_a_suspect(text):
    assert [s.raw for s in phones.suspects(text)] == [text.split(" ", 1)[1].removeprefix(
        "us on ")]


# 4. The new-leaflet template ---------------------------------------------------------

def test_a_new_leaflet_keeps_initialisms_in_its_title_and_check_warns_until_filled(tmp_path):
    run_leaflet("--root", str(tmp_path), "new", "ct-scan", check=True)
    path = tmp_path / "leaflet_src" / "ct-scan" / "leaflet.md"
    assert "title: CT scan\n" in path.read_text(encoding="utf-8")
    result = run_leaflet("--root", str(tmp_path), "check", "ct-scan")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for placeholder in ("Your NHS Trust", "Write a short introduction here",
                        "0113 496 0000"):
        assert re.search(rf"leaflet\.md:\d+: warning: \"{placeholder}\" is placeholder text",
                         output), (placeholder, output)
    strict = run_leaflet("--root", str(tmp_path), "check", "--strict", "ct-scan")
    assert strict.returncode == 1
    # filled in, the warnings go
    text = path.read_text(encoding="utf-8")
    for placeholder, real in (("Your NHS Trust", "Northtown Hospitals NHS Foundation Trust"),
                              ("What is this leaflet about?", "What is a CT scan?"),
                              ("Write a short introduction here", "A CT scan takes pictures"),
                              ("The department's reception", "Radiology reception"),
                              ("0113 496 0000", "0113 496 0777")):
        text = text.replace(placeholder, real)
    path.write_text(text, encoding="utf-8")
    result = run_leaflet("--root", str(tmp_path), "check", "ct-scan")
    assert "placeholder text" not in result.stdout + result.stderr


@pytest.mark.parametrize("slug, title", [("ct-scan", "CT scan"), ("having-an-mri", "Having an MRI"),
                                         ("seeing-your-gp", "Seeing your GP"),
                                         ("ecg", "ECG"), ("hiv-testing", "HIV testing"),
                                         ("icu-visiting", "ICU visiting"),
                                         ("knee-replacement", "Knee replacement")])
def test_titles_from_slugs_keep_initialisms(slug, title):
    from leaflet.library import title_from_slug

    assert title_from_slug(slug) == title


def test_examples_in_messages_use_a_valid_drama_number_never_a_real_one():
    from leaflet.checks import NO_REQUESTS
    from leaflet.library import NEW_LEAFLET, TEMPLATE_PHONE

    sources = [NO_REQUESTS, NEW_LEAFLET.format(title="T", today="", review="",
                                              phone=TEMPLATE_PHONE),
               (REPO / "cli.py").read_text(encoding="utf-8")]
    assert not any("0191 445 2180" in text or "0191 000 0000" in text for text in sources)
    for text in sources[:2]:
        for match in phonenumbers.PhoneNumberMatcher(text, "GB"):
            assert phonenumbers.is_valid_number(match.number), match.raw_string
            national = phonenumbers.national_significant_number(match.number)
            assert re.fullmatch(r"1134960\d{3}", national), match.raw_string  # Ofcom drama
