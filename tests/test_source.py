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
    Callout, Contacts, Emphasis, Figure, Heading, Link, List, Paragraph, Phone, Strong, Table,
    Text, plain_text, walk,
)

from conftest import REPO, SAMPLE_SLUG, SEED

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
    (folder / "images" / "ct.png").write_bytes(b"\x89PNG\r\n\x1a\n")
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
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else ""
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
    if seed:  # the seed's numbers, area code added where it was left off
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
    assert ward.phones[0].display == "0191 445 2180"
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
    "contact phone not a number": (FRONT + "\n# A\n\n::: contacts\n- name: Ward\n  phone: 123\n"
                                   ":::\n", 13, "'123' is not a phone number"),
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
    (root / "leaflet_src" / "ct-scan" / "images" / "my scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
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
    assert f"leaflet_src/ct-scan/leaflet.md:11: picture 'images/d.svg' cannot be used" in output
    assert why in output


def test_a_plain_svg_drawing_is_accepted(tmp_path):
    root = make_library(tmp_path, FRONT + "\n# A\n\n![A drawing](images/d.svg)\n")
    (root / "leaflet_src" / "ct-scan" / "images" / "d.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient '
        'id="g"/></defs><rect width="10" height="10" style="fill:url(#g)"/></svg>')
    assert check(root) == (0, "no problems found\n")
