"""Where lines may break, read back with pdftotext, python-docx and LibreOffice: an
amount stays whole in a narrow table cell; a web address breaks only after a slash,
never after one of its own hyphens (which readers take for hyphenation), and never
across a page in large print."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import docx as python_docx
import pytest

from formats import docx as docx_writer
from formats import pdf
from formats import text as text_writer
from formats.options import WriterOptions
from leaflet import source

from conftest import REPO

FRONT = """---
title: {title}
organisation: Gateshead Health NHS Foundation Trust
language: en-GB
code: MAT-031
version: "1"
published: 2025-03-01
review: 2027-03-01
{extra}---

"""
PATCHES = FRONT.format(title="Pain patches", extra="") + """# Your patches

| Patch | Dose | When to change it and what to do with the old one |
| --- | --- | --- |
| Buprenorphine, a strong painkiller that works through the skin for a week | 12 micrograms/hour | Every seventh day, on the same day of the week, folding the old patch in half and returning it to the pharmacy for safe disposal |
"""
ONLINE = "https://www.gatesheadhealth.nhs.uk/leaflets/gestational-diabetes-after-birth/"
CLINIC = "https://www.gatesheadhealth.nhs.uk/services/maternity/antenatal-diabetes-clinic/"
NHS = "www.nhs.uk/conditions/gestational-diabetes/"
CHARITY = "https://www.diabetes.org.uk/living-with-diabetes/gestational-diabetes-and-pregnancy/"
ADDRESSES = (ONLINE, CLINIC, NHS, CHARITY)
DIABETES = FRONT.format(title="Gestational diabetes", extra=f"online: {ONLINE}\n") + f"""\
# Finding out more

Read about it at {NHS} and at {CHARITY} which has recipes.

Read about it at the NHS website {NHS} and at a charity {CHARITY} which has recipes.

::: contacts
- name: Diabetes midwives
  phone: 0191 445 2180
  web: {CLINIC}
:::
"""


def parse(text: str):
    return source.parse_text(text, "leaflet_src/example/leaflet.md",
                             REPO / "leaflet_src" / "example", "example")


def pdftotext(data: bytes, tmp_path: Path, name: str = "out.pdf") -> list[str]:
    """The PDF's pages as pdftotext -layout lays them out, each a list of lines."""
    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    return [page.splitlines() for page in out.split("\f")]


def hyphen_ends(lines: list[str], addresses=ADDRESSES) -> list[str]:
    """Lines that end with a hyphen of an address: the line's last word and the next
    line's first, joined, are part of an address."""
    found = []
    for line, following in itertools.pairwise(lines):
        if line.rstrip().endswith("-") and following.split():
            joined = line.split()[-1] + following.split()[0]
            if any(joined in address or address in joined for address in addresses) or \
                    any(line.split()[-1] in address for address in addresses):
                found.append(f"{line.strip()!r} / {following.strip()!r}")
    return found


def test_an_amount_stays_whole_in_a_narrow_pdf_table_cell(tmp_path):
    data = pdf.write(parse(PATCHES), WriterOptions()).data
    lines = [line for page in pdftotext(data, tmp_path) for line in page]
    assert any("12 micrograms/hour" in line for line in lines), lines
    assert not any(re.search(r"micrograms/\s*$|micrograms/ {2,}", line) for line in lines)


@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_pdf_addresses_break_only_after_a_slash(edition, tmp_path):
    data = pdf.write(parse(DIABETES), WriterOptions(edition=edition)).data
    lines = [line for page in pdftotext(data, tmp_path) for line in page]
    assert not hyphen_ends(lines), "\n".join(lines)
    # the addresses are all there, each read back whole once its lines are joined
    joined = "".join("".join(lines).split())
    assert all(address in joined for address in ADDRESSES)
    assert "\u200b" not in joined  # the break opportunities leave nothing in the text


def test_a_large_print_address_never_crosses_a_page(tmp_path):
    address = "https://www.nhs.uk/conditions/gestational-diabetes/treatment-and-follow-up/"
    paragraphs = [("Your midwife will talk to you about it. " * (n % 5)) + "Many people " * (n % 3)
                  + f"Read more at {address} when you can. "
                  + "It will tell you what happens next and who to ask. " * ((n * 2) % 7)
                  for n in range(24)]
    text = FRONT.format(title="Gestational diabetes", extra="") + "# Finding out more\n\n" + \
        "\n\n".join(paragraphs) + "\n"
    data = pdf.write(parse(text), WriterOptions(edition="large-print")).data
    pages = pdftotext(data, tmp_path)
    # every address whole on one page: split across two, it is found on neither
    found = ["".join("".join(page).split()).count(address) for page in pages]
    assert sum(found) == len(paragraphs), found


def test_the_text_edition_never_breaks_an_address():
    leaflet = parse(DIABETES)
    for width in (30, 40, 50, 72):
        lines = text_writer.write(leaflet, WriterOptions(text_width=width)).data.decode()
        lines = lines.splitlines()
        assert not hyphen_ends(lines)
        assert all(any(address in line for line in lines) for address in ADDRESSES)
    # in Chinese text with no spaces, an address stays one word
    wrapped = text_writer.wrap(f"请访问{CHARITY}了解更多信息。这是一个很长的句子。", 30)
    assert CHARITY in wrapped, wrapped
    assert text_writer.wrap("2024年3月1日起", 30) == ["2024年3月1日起"]


def docx_data(edition: str = "standard") -> bytes:
    return docx_writer.write(parse(DIABETES), WriterOptions(edition=edition)).data


def test_docx_addresses_read_back_exactly_as_written(tmp_path):
    """In Word files an address is its own characters and nothing else: python-docx and
    pandoc read each one back whole, with no zero-width space or special hyphen."""
    path = tmp_path / "diabetes.docx"
    path.write_bytes(docx_data())
    document = python_docx.Document(str(path))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    plain = subprocess.run(["pandoc", "-t", "plain", "--wrap=none", str(path)],
                           capture_output=True, text=True, check=True, timeout=120).stdout
    for address in ADDRESSES:
        assert address in text, text
        assert address in plain, plain
    assert "\u200b" not in text
    body = document.element.body
    assert not body.findall(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                            "noBreakHyphen")


@pytest.mark.slow
@pytest.mark.xfail(strict=True, raises=AssertionError, reason=(
    "issue 24: WordprocessingML has no break opportunity that is not a character. "
    "LibreOffice breaks after a '/' only before a zero-width space (which python-docx, "
    "pandoc and a copy into a browser carry), and the one way to keep a hyphen from "
    "breaking, w:noBreakHyphen, reads back as U+2011 in pandoc and LibreOffice's text "
    "export (and LibreOffice then cuts the address inside a word). So a Word file keeps "
    "the address's characters as written, and LibreOffice breaks it after a hyphen."))
@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_libreoffice_breaks_docx_addresses_only_after_a_slash(edition, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing (scripts/system-packages.sh test)", pytrace=False)
    path = tmp_path / "diabetes.docx"
    path.write_bytes(docx_data(edition))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, check=True, timeout=300)
    pages = pdftotext((tmp_path / "diabetes.pdf").read_bytes(), tmp_path, "read.pdf")
    lines = [line for page in pages for line in page]
    assert not hyphen_ends(lines), "\n".join(lines)
