"""The source format: what the parser makes of a leaflet, and every bad input refused with file:line."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from leaflet import source
from leaflet.errors import LeafletError
from leaflet.model import (
    Callout, Contacts, Emphasis, Figure, Heading, Link, Paragraph, Phone, Strong, Table,
    plain_text, walk,
)

from conftest import REPO, SAMPLE_SLUG, SEED

# A whole 1 x 1 PNG: pictures are checked for real image data.
TINY_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
                         "0000000a4944415478da6368000000820081da45083b0000000049454e44ae426082")
FRONT = """\
---
title: CT scan
organisation: Example NHS Trust
language: en-GB
published: 2025-01-01
review: 2027-01-01
---
"""


def make_library(tmp_path: Path, text: str | bytes, name: str = "leaflet.md") -> Path:
    folder = tmp_path / "leaflet_src" / "ct-scan"
    (folder / "images").mkdir(parents=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / name).write_bytes(data)
    (folder / "images" / "ct.png").write_bytes(TINY_PNG)
    return tmp_path


def parse(tmp_path: Path, body: str, front: str = FRONT):
    root = make_library(tmp_path, front + textwrap.dedent(body))
    return source.parse_file(root / "leaflet_src" / "ct-scan" / "leaflet.md", root)


def check(root: Path, *args: str):
    """`leaflet check` as a user runs it; returns (exit code, output)."""
    result = CliRunner().invoke(cli.main, ["--root", str(root), "check", *args])
    return result.exit_code, result.output


# What the parser makes -------------------------------------------------------

def test_sample_has_every_section_of_the_seed():
    leaflet = source.parse_file(REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md", REPO)
    headings = [plain_text(b.children) for b in walk(leaflet.blocks) if isinstance(b, Heading)]
    for expected in ["What is secondary breast cancer?", "What investigations will I need?",
                     "Bone scan", "Blood tests", "X-rays", "What treatments might I be offered?",
                     "Chemotherapy", "Targeted treatments", "Radiotherapy",
                     "Hormonal (endocrine) therapy", "Bisphosphonates", "Who will manage my care?",
                     "Who do I contact for advice or support?", "Macmillan nurses",
                     "Data protection"]:
        assert expected in headings
    assert leaflet.meta.language == "en-GB"
    assert leaflet.meta.review > leaflet.meta.published


def test_sample_keeps_every_phone_number_of_the_seed_with_area_code():
    import phonenumbers
    seed = SEED.read_text(encoding="utf-8")
    leaflet = source.parse_file(REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md", REPO)
    phones = set()
    for block in walk(leaflet.blocks):
        if isinstance(block, Contacts):
            phones.update(p.tel for c in block.contacts for p in c.phones)
        if isinstance(block, Paragraph):
            phones.update(n.tel for n in block.children if isinstance(n, Phone))
    expected = {"0191 445 3735", "0191 445 8353", "0191 445 2180", "0808 808 0000",
                "0808 800 6000", "0191 456 5081", "0191 442 0833", "0191 280 5610",
                "0191 233 6600", "0191 445 8418"}
    tels = {phonenumbers.format_number(phonenumbers.parse(n, "GB"),
                                       phonenumbers.PhoneNumberFormat.RFC3966) for n in expected}
    assert tels <= phones
    # the seed's numbers, area code added where it was left off
    assert "445 3735" in seed and "4458353" in seed


def test_blocks_inlines_and_lines(tmp_path):
    leaflet = parse(tmp_path, """\

        # Before your scan

        Please **do not eat** for *four hours*. See [our site](https://example.org).
        Ring 0191 445 2180 or write to help@example.org.

        ## On the day

        1. Arrive early.
        2. Bring your letter.

        | Test | Where |
        | --- | --- |
        | CT | Level 2 |

        ::: callout warning
        Tell us if you might be **pregnant**.
        :::

        ![A CT scanner](images/ct.png)
        """)
    kinds = [type(b).__name__ for b in leaflet.blocks]
    assert kinds == ["Heading", "Paragraph", "Heading", "List", "Table", "Callout", "Figure"]
    heading, paragraph = leaflet.blocks[0], leaflet.blocks[1]
    assert (heading.level, heading.line) == (1, 9)
    assert paragraph.line == 11
    assert paragraph.markdown.startswith("Please **do not eat** for *four hours*.")
    assert any(isinstance(n, Strong) for n in paragraph.children)
    assert any(isinstance(n, Emphasis) for n in paragraph.children)
    assert any(isinstance(n, Link) and n.href == "https://example.org" for n in paragraph.children)
    phone = next(n for n in paragraph.children if isinstance(n, Phone))
    assert phone.display == "0191 445 2180" and phone.tel == "tel:+44-191-445-2180"
    assert "help@example.org" in plain_text(paragraph.children)
    assert leaflet.blocks[3].ordered and len(leaflet.blocks[3].items) == 2
    table = leaflet.blocks[4]
    assert isinstance(table, Table) and plain_text(table.rows[0][1].children) == "Level 2"
    assert isinstance(leaflet.blocks[5], Callout) and leaflet.blocks[5].kind == "warning"
    assert leaflet.blocks[5].line == 23


def test_missing_image_file_is_reported(tmp_path):
    with pytest.raises(LeafletError) as error:
        parse(tmp_path, "\n# A\n\n![A CT scanner](images/mri.png)\n")
    assert "does not exist" in str(error.value)


def test_image_inside_folder_is_a_figure(tmp_path):
    root = make_library(tmp_path, FRONT + "\n# A\n\n![A CT scanner](images/ct.png)\n")
    leaflet = source.parse_file(root / "leaflet_src" / "ct-scan" / "leaflet.md", root)
    figure = leaflet.blocks[1]
    assert isinstance(figure, Figure) and figure.alt == "A CT scanner" and figure.line == 11


def test_contacts_are_validated_and_formatted(tmp_path):
    leaflet = parse(tmp_path, """
        # Contacts

        ::: contacts
        - name: Ward 5
          phone: "01914452180"
          hours: Any time
        - name: Dublin office
          region: IE
          phone: 01 234 5678
        :::
        """)
    contacts = leaflet.blocks[1]
    assert isinstance(contacts, Contacts)
    ward, dublin = contacts.contacts
    assert ward.phones[0].display == "01914452180"  # as written, never regrouped
    assert ward.phones[0].tel == "tel:+44-191-445-2180"
    assert ward.line == 12
    assert dublin.phones[0].tel.startswith("tel:+353")


def test_translation_msgid_is_the_inline_markdown(tmp_path):
    leaflet = parse(tmp_path, """
        # Title

        A paragraph **with bold**
        over two lines.
        """)
    assert leaflet.blocks[1].markdown == "A paragraph **with bold** over two lines."
    again = source.parse_inline(leaflet.blocks[1].markdown, "x.po", 3)
    assert plain_text(again) == "A paragraph with bold over two lines."


def test_heading_levels_cannot_skip(tmp_path):
    with pytest.raises(LeafletError) as error:
        parse(tmp_path, "\n# One\n\n### Three\n")
    assert error.value.line == 11
    assert "heading level skipped" in str(error.value)


def test_all_problems_in_a_file_are_reported_together(tmp_path):
    with pytest.raises(LeafletError) as error:
        parse(tmp_path, "\n# One\n\n![](images/a.png)\n\n<b>bold</b>\n")
    lines = str(error.value).splitlines()
    assert len(lines) >= 3  # no alt text, missing file, raw HTML


# Bad input, through the command a user runs ---------------------------------

BAD_INPUTS = {
    "no front matter": ("# Just text\n", 1, "must start with front matter"),
    "yaml syntax": ("---\ntitle: [unclosed\norganisation: X\n---\n\ntext\n", 3, "YAML"),
    "yaml alias bomb": ("---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
                        "c: &c [*b, *b, *b, *b, *b, *b]\ntitle: T\n---\n\ntext\n", 2,
                        "not allowed"),
    "missing field": (FRONT.replace("organisation: Example NHS Trust\n", "") + "\ntext\n", 1,
                      "no 'organisation:'"),
    "wrongly typed field": (FRONT.replace("title: CT scan", "title: [CT, scan]") + "\ntext\n",
                            2, "'title' must be a single value"),
    "date not a date": (FRONT.replace("review: 2027-01-01", "review: next year") + "\ntext\n",
                        6, "must be a date"),
    "impossible date": (FRONT.replace("published: 2025-01-01", "published: 2025-02-30")
                        + "\ntext\n", 5, "not a real date"),
    "review before publication": (FRONT.replace("review: 2027-01-01", "review: 2024-01-01")
                                  + "\ntext\n", 6, "not after the publication date"),
    "bad language": (FRONT.replace("language: en-GB", "language: klingon") + "\ntext\n", 4,
                     "not a language tag"),
    "unknown container": (FRONT + "\n::: sidebar\ntext\n:::\n", 9, "unknown block '::: sidebar'"),
    "unclosed container": (FRONT + "\n# A\n\n::: callout info\ntext\n", 11, "never closed"),
    "image without alt text": (FRONT + "\n# A\n\n![](images/ct.png)\n", 11, "no alt text"),
    "image outside the folder": (FRONT + "\n# A\n\n![Secrets](../../../etc/passwd.png)\n", 11,
                                 "outside the leaflet's folder"),
    "image url": (FRONT + "\n# A\n\n![A scan](https://example.org/scan.png)\n", 11,
                  "web address"),
    "raw html block": (FRONT + "\n# A\n\n<script>alert(1)</script>\n", 11, "HTML is not allowed"),
    "raw html inline": (FRONT + "\n# A\n\nSome <b>bold</b> text\n", 11, "HTML is not allowed"),
    "contact phone not a number": (FRONT + "\n# A\n\n::: contacts\n- name: Ward\n  phone: 12345\n"
                                   ":::\n", 13, "'12345' is not a phone number"),
    "contact without phone": (FRONT + "\n# A\n\n::: contacts\n- name: Macmillan\n:::\n", 12,
                              'contact "Macmillan" has no phone or e-mail'),
    "deep nesting": (FRONT + "\n# A\n\n" + "".join("  " * i + "- item\n" for i in range(40)),
                     None, "nested more than"),
    "deep emphasis": (FRONT + "\n# A\n\n" + "*" * 300 + "a" + "*" * 300 + "\n", 11,
                      "nested too deeply"),
    "empty heading": (FRONT + "\n#\n\ntext\n", 9, "this heading has no words"),
    "pictogram outside the pictograms": (FRONT + "\n# A\n\n![A logo](pictogram:../../x)\n", 11,
                                         "there is no pictogram"),
    "control character": (FRONT.replace("title: CT scan", "title: CT\x07scan") + "\ntext\n", 2,
                          "invisible control character"),
    "empty file": ("", 1, "the file is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_per_problem_with_file_and_line(tmp_path, case):
    text, line, message = BAD_INPUTS[case]
    root = make_library(tmp_path, text)
    code, output = check(root)
    assert code == 1, output
    assert "Traceback" not in output and "internal error" not in output
    assert message in output
    rel = "leaflet_src/ct-scan/leaflet.md"
    prefix = f"{rel}:{line}:" if line else f"{rel}:"
    assert any(l.startswith(prefix) and message in l for l in output.splitlines()), output


def test_invalid_utf8(tmp_path):
    root = make_library(tmp_path, FRONT.encode() + b"\n# A\n\nCaf\xe9\n")
    code, output = check(root)
    assert code == 1
    assert "leaflet_src/ct-scan/leaflet.md:11: the file is not UTF-8 text" in output


def test_binary_file(tmp_path):
    root = make_library(tmp_path, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    code, output = check(root)
    assert code == 1
    assert "leaflet_src/ct-scan/leaflet.md:3: this is not a text file" in output


def test_source_of_many_megabytes(tmp_path):
    root = make_library(tmp_path, FRONT + "\n# A\n\n" + ("Lots of words here. " * 300_000))
    code, output = check(root)
    assert code == 1
    assert "leaflet_src/ct-scan/leaflet.md: the file is 6.0 MB" in output


def test_the_sample_passes_check():
    code, output = check(REPO)
    assert code == 0, output


def test_heading_anchors_are_unique_and_never_a_template_id(tmp_path):
    leaflet = parse(tmp_path, "\n# Content\n\nA.\n\n# Title\n\nB.\n\n# Content\n\nC.\n")
    anchors = [b.anchor for b in leaflet.blocks if isinstance(b, Heading)]
    assert len(set(anchors)) == 3
    assert not {"content", "title"} & set(anchors)


def test_picture_file_names_may_have_spaces(tmp_path):
    root = make_library(tmp_path, FRONT + "\n# A\n\n![A CT scanner](<images/my scan.png>)\n")
    (root / "leaflet_src" / "ct-scan" / "images" / "my scan.png").write_bytes(TINY_PNG)
    leaflet = source.parse_file(root / "leaflet_src" / "ct-scan" / "leaflet.md", root)
    assert leaflet.blocks[1].src == "images/my scan.png"


@pytest.mark.parametrize("svg,why", [
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "<script> element"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "script attribute"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     '<image xlink:href="file:///etc/hostname"/></svg>', "refers to another file"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://127.0.0.1/x.css);'
     '</style></svg>', "styles refer to another file"),
])
def test_an_svg_that_could_run_script_or_fetch_is_refused(tmp_path, svg, why):
    root = make_library(tmp_path, FRONT + "\n# A\n\n![A drawing](images/d.svg)\n")
    (root / "leaflet_src" / "ct-scan" / "images" / "d.svg").write_text(svg)
    code, output = check(root)
    assert code == 1
    assert "leaflet_src/ct-scan/leaflet.md:11: picture 'images/d.svg' cannot be used" in output
    assert why in output


def test_a_plain_svg_drawing_is_accepted(tmp_path):
    root = make_library(tmp_path, WITH_REQUESTS + "\n# A\n\n![A drawing](images/d.svg)\n")
    (root / "leaflet_src" / "ct-scan" / "images" / "d.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient '
        'id="g"/></defs><rect width="10" height="10" style="fill:url(#g)"/></svg>')
    assert check(root) == (0, "no problems found\n")


# One home per job: the shared pattern, YAML reader, validators and caches ----------

@pytest.mark.parametrize("text,address", [
    ("Write to help@nhs.net.", "help@nhs.net"),
    ("Write to (help@nhs.net), please", "help@nhs.net"),
    ("写信至a@b.com或", "a@b.com"),
    ("Write to help@nhs.net-uk today", None),
    ("Write to a@b.com.evil.example today", "a@b.com.evil.example"),
])
def test_the_source_links_exactly_the_addresses_a_translation_must_keep(text, address):
    from leaflet.i18n import tokens
    from leaflet.model import Email

    linked = [n.address for n in source.parse_inline(text, "x.md", 1) if isinstance(n, Email)]
    assert linked == ([address] if address else [])
    assert tokens.emails(text) == linked


def test_a_very_long_word_is_read_in_linear_time():
    import time

    for word in ("a" * 100_000, "a." * 50_000, "x" * 50_000 + "@" + "y" * 50_000):
        started = time.process_time()
        nodes = source.parse_inline(word, "x.md", 1)
        assert time.process_time() - started < 2
        assert plain_text(nodes) == word


@pytest.mark.parametrize("yaml_text,message", [
    ("a: &x 1\nb: *x\n", "YAML anchors (&name) are not allowed"),
    ("a: [1, 2\n", "(YAML)"),
    ("a: 1\x07\n", "contains an invisible control character (U+0007)"),
])
def test_the_one_yaml_reader_refuses_aliases_with_the_line(yaml_text, message):
    from leaflet import yamlsafe

    with pytest.raises(LeafletError) as caught:
        yamlsafe.load(yaml_text, "x.yaml")
    assert caught.value.path == "x.yaml" and caught.value.line in (1, 2)
    assert message in str(caught.value)
    assert yamlsafe.load("a:\n  b: 2\n", "x.yaml")[1] == {"a": {"b": 2}}


def test_one_language_tag_check():
    from leaflet import langs

    assert langs.check("PL") == "pl" and langs.check("pt_br") == "pt-BR"
    assert langs.check("xx") == "xx"
    with pytest.raises(LeafletError, match="'backup' is not a language tag"):
        langs.check("backup")
    assert [langs.is_tag(t) for t in ("pl", "pt-BR", "xx", "PL", "backup", "../pl", "")] == \
        [True, True, True, False, False, False, False]


def test_paths_in_messages_are_relative_to_the_library(tmp_path):
    from leaflet.files import relative

    assert relative(tmp_path / "a" / "b.md", tmp_path) == "a/b.md"
    outside = Path("/elsewhere/b.md")
    assert relative(outside, tmp_path) == "/elsewhere/b.md"


def test_the_theme_is_read_once_until_its_file_changes(tmp_path):
    from leaflet import theme

    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "theme.yaml").write_text('colours:\n  urgent: "#900000"\n', encoding="utf-8")
    first = theme.load(folder, tmp_path)
    assert theme.load(folder, tmp_path) is first
    (folder / "theme.yaml").write_text('colours:\n  urgent: "#800000"\n', encoding="utf-8")
    assert theme.load(folder, tmp_path).colour("urgent") == "#800000"


def test_a_new_leaflet_on_29_february_is_due_for_review_three_years_on(tmp_path):
    from leaflet.library import Library, new_leaflet

    library = Library(tmp_path)
    target = new_leaflet(library, "ct-scan", today=dt.date(2028, 2, 29))
    assert "review: 2031-02-28" in target.read_text(encoding="utf-8")
    leaflet = source.parse_file(target, tmp_path)
    assert leaflet.meta.published == dt.date(2028, 2, 29)
    with pytest.raises(LeafletError, match="already exists"):
        new_leaflet(library, "ct-scan")
    with pytest.raises(LeafletError, match="lower-case letters"):
        new_leaflet(library, "CT scan")


# Phone numbers as hospitals write them (issue 13, items 1-4) ------------------------

@pytest.mark.parametrize("text, display, tel", [
    ("call 111 now", "111", "tel:111"),
    ("In an emergency, phone 999.", "999", "tel:999"),
    ("dial 112 from a mobile", "112", "tel:112"),
    ("ring the Samaritans free on 116 123.", "116 123", "tel:116123"),
    ("call 119 for vaccinations", "119", "tel:119"),
    ("phone 18001 01670 529 500 (text relay)", "18001 01670 529 500", "tel:1800101670529500"),
    ("From abroad, phone +44 121 333 9999.", "+44 121 333 9999", "tel:+44-121-333-9999"),
    ("Freephone 0800 4 70 80 90", "0800 4 70 80 90", "tel:+44-800-470-8090"),
    ("phone 0113 243 3144 extension 3344", "0113 243 3144 extension 3344",
     "tel:+44-113-243-3144;ext=3344"),
    ("ward: 0113 243 3144 ext. 26393", "0113 243 3144 ext. 26393",
     "tel:+44-113-243-3144;ext=26393"),
])
def test_every_uk_number_authors_write_is_one_whole_phone_node(text, display, tel):
    numbers = [n for n in source.parse_inline(text, "x.md", 1) if isinstance(n, Phone)]
    assert [(n.display, n.tel) for n in numbers] == [(display, tel)]


def test_three_digit_numbers_without_a_dialling_word_are_not_phone_numbers():
    nodes = source.parse_inline("Take 112 mg, then 111 tablets; page 119.", "x.md", 1)
    assert not any(isinstance(n, Phone) for n in nodes)


def test_a_short_code_split_over_two_source_lines_is_still_found(tmp_path):
    leaflet = parse(tmp_path, "# Help\n\nYou can ring the Samaritans\nfree on 116 123.\n")
    phones = [n for n in leaflet.blocks[1].children if isinstance(n, Phone)]
    assert [p.tel for p in phones] == ["tel:116123"]


def test_short_codes_relay_and_extensions_are_accepted_in_contacts_and_tel_links(tmp_path):
    leaflet = parse(tmp_path, """\
        # Help

        Call [999](tel:999) in an emergency.

        ::: contacts
        - name: NHS 111
          phone: "111"
        - name: Relay
          phone: 18001 0114 271 1900
        - name: Ward 4
          phone: 0113 243 3144 extension 3344
        :::
        """)
    link = next(n for n in leaflet.blocks[1].children if isinstance(n, Phone))
    assert (link.display, link.tel) == ("999", "tel:999")
    contacts = leaflet.blocks[2].contacts
    assert [(c.phones[0].display, c.phones[0].tel) for c in contacts] == [
        ("111", "tel:111"), ("18001 0114 271 1900", "tel:1800101142711900"),
        ("0113 243 3144 extension 3344", "tel:+44-113-243-3144;ext=3344")]
    assert contacts[2].phones[0].extension == "3344"


def test_the_recogniser_gives_translations_a_key_that_survives_respacing():
    written = source.phones.find("phone 0191 445 2180 or call NHS 111", "GB")
    spaced = source.phones.find("zadzwoń 01914452180 lub 111", "GB", short_codes="all")
    assert [m.key for m in written] == [m.key for m in spaced] == ["+441914452180", "111"]
    assert [m.raw for m in written] == ["0191 445 2180", "111"]


# Blocks authors write (items 5-8, 16) -----------------------------------------------

def test_quotes_rules_checklists_and_list_starts_become_nodes(tmp_path):
    leaflet = parse(tmp_path, """\
        # Before

        5. Five
        6. Six

        - [ ] Your letter
        - [ ] Your medicines

        > Just ask: "Could it be sepsis?"

        ---

        After the break.
        """)
    kinds = [type(b).__name__ for b in leaflet.blocks]
    assert kinds == ["Heading", "List", "List", "Quote", "Rule", "Paragraph"]
    numbered, checklist, quote = leaflet.blocks[1], leaflet.blocks[2], leaflet.blocks[3]
    assert numbered.start == 5 and numbered.ordered
    assert checklist.checklist
    assert [plain_text(i.blocks[0].children) for i in checklist.items] == \
        ["Your letter", "Your medicines"]
    assert checklist.items[0].blocks[0].markdown == "Your letter"  # the msgid has no box
    assert plain_text(quote.blocks[0].children) == 'Just ask: "Could it be sepsis?"'
    assert leaflet.blocks[4].line == 18


def test_a_ticked_box_or_a_half_checklist_is_refused_with_its_line(tmp_path):
    with pytest.raises(LeafletError) as raised:
        parse(tmp_path, "# A\n\n- [x] Done\n- [ ] Not done\n")
    assert raised.value.problems[0].line == 10
    assert "leave a checklist's boxes empty" in raised.value.problems[0].message


def test_bare_web_addresses_and_emails_in_running_text_become_links():
    nodes = source.parse_inline("See www.nhs.uk/conditions. Or e-mail pals@nhs.net.", "x.md", 1)
    link = next(n for n in nodes if isinstance(n, Link))
    assert link.href == "https://www.nhs.uk/conditions"
    assert plain_text(link.children) == "www.nhs.uk/conditions"
    assert plain_text(nodes).endswith("Or e-mail pals@nhs.net.")


def test_a_number_and_its_unit_are_joined_by_a_no_break_space():
    words = plain_text(source.parse_inline("Take 8 tablets (4 g) with 250 ml, in room 12.",
                                           "x.md", 1))
    assert words == "Take 8\u00a0tablets (4\u00a0g) with 250\u00a0ml, in room 12."


# Messages authors meet first (issue 13, items 14 and 15) ----------------------------

def test_an_unquoted_colon_in_the_title_says_to_use_quotes(tmp_path):
    root = make_library(tmp_path, FRONT.replace("title: CT scan", "title: CT scan: what to expect")
                        + "\n# A\n\nText.\n")
    code, output = check(root)
    assert code == 1
    assert output.strip().splitlines()[0] == (
        "leaflet_src/ct-scan/leaflet.md:2: a value with a colon in it must be put in quotes "
        '(for example title: "CT scan: what to expect")')


def test_a_date_written_the_british_way_is_one_message(tmp_path):
    root = make_library(tmp_path, FRONT.replace("published: 2025-01-01", "published: 01/06/2026")
                        + "\n# A\n\nText.\n")
    code, output = check(root)
    assert code == 1
    assert output.splitlines() == [
        "leaflet_src/ct-scan/leaflet.md:5: 'published' must be a date written as YYYY-MM-DD, "
        "not '01/06/2026'", "1 error, 0 warnings"]


def test_check_reports_leaflet_md_errors_once_when_an_easy_read_edition_exists(tmp_path):
    root = make_library(tmp_path, FRONT.replace("published: 2025-01-01", "published: soon")
                        + "\n# A\n\nText.\n")
    (root / "leaflet_src" / "ct-scan" / "easy-read.md").write_text(
        "---\ntitle: CT scan\n---\n\n# A\n\nText.\n", encoding="utf-8")
    code, output = check(root)
    assert code == 1
    assert output.count("leaflet.md:5:") == 1
    assert "1 error, 0 warnings" in output


def test_a_leaflet_without_requests_is_warned_about(tmp_path):
    root = make_library(tmp_path / "without", FRONT + "\n# A\n\nText.\n")
    code, output = check(root)
    assert code == 0
    assert "leaflet_src/ct-scan/leaflet.md:1: warning: the front matter has no 'requests:'" \
        in output
    root = make_library(tmp_path / "with", WITH_REQUESTS + "\n# A\n\nText.\n")
    assert check(root) == (0, "no problems found\n")


WITH_REQUESTS = FRONT.replace("review: 2027-01-01\n", "review: 2027-01-01\n"
                              "requests: Ask the ward staff.\n")
SVG_LABEL = ('<svg xmlns="http://www.w3.org/2000/svg" width="{width}" viewBox="0 0 400 200">'
             '<rect width="400" height="200" fill="#fff"/>'
             '<text x="10" y="50" font-size="{size}">Stomach</text></svg>')


@pytest.mark.parametrize("width, size, warned", [
    ("400px", "16", "large print"),   # 16 px at 0.75 pt a px: 12 pt, fine for standard only
    ("400px", "12", "standard print"),  # 9 pt
    ("800px", "16", None),            # drawn at the text width, 482 pt: 19 pt
    ("400px", "32", None),            # 24 pt
])
def test_check_warns_when_a_pictures_text_prints_below_the_editions_size(tmp_path, width,
                                                                           size, warned):
    root = make_library(tmp_path, WITH_REQUESTS
                        + "\n# A\n\n![Diagram of the stomach](images/label.svg)\n")
    (root / "leaflet_src" / "ct-scan" / "images" / "label.svg").write_text(
        SVG_LABEL.format(width=width, size=size), encoding="utf-8")
    code, output = check(root)
    assert code == 0, output
    if warned:
        assert "leaflet.md:12:" in output and f"smaller than the {warned} edition" in output
    else:
        assert "picture" not in output


def test_a_translation_links_its_short_codes_without_english_dialling_words():
    polish = "Zadzwoń pod 111 lub 999."
    assert not any(isinstance(n, Phone) for n in source.parse_inline(polish, "pl.po", 3))
    linked = [n.tel for n in source.parse_inline(polish, "pl.po", 3, short_codes="all")
              if isinstance(n, Phone)]
    assert linked == ["tel:111", "tel:999"]
