"""The DOCX writer: named styles, accessibility, large print, easy read, right to left, real readers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

import formats
from formats import docx as docx_writer
from formats.options import Assets, Availability, WriterOptions
from formats.shared import DRAFT_BANNER
from leaflet import source

from conftest import REPO, SAMPLE_SLUG, run_leaflet

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
SAMPLE_SOURCE = REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
NBSP = "\u00a0"

# ECMA-376 part 1 sequences (17.3.1.29 pPr, 17.3.2.28 rPr, 17.4.60 tblPr): Word
# refuses a document whose properties are out of this order.
RPR_SCHEMA = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
              "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
              "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
              "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
              "lang", "eastAsianLayout", "specVanish", "oMath")
PPR_SCHEMA = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
              "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
              "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
              "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")
TBLPR_SCHEMA = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")

RICH = """---
title: Having a blood test
subtitle: Information for patients
organisation: Sample Hospital NHS Trust
language: en-GB
code: SAMPLE-PATH-002
version: "2"
published: 2024-03-01
review: 2026-03-01
requests: Ask at the desk, or phone 0191 445 2180.
---

# Before your test

Drink *plenty* of water and take **all** your usual medicines. Read more on the
[NHS website](https://www.nhs.uk/conditions/blood-tests/).

1. Check in at the desk.
2. Wait to be called.

Things to bring:

- your letter
- a list of medicines
  - tablets
  - inhalers

1. Roll up your sleeve.
2. Keep still.

![A blood test from an arm](pictogram:blood-test)

::: callout warning
Tell the nurse if you feel faint.
:::

## Results

| Test | When |
| --- | --- |
| Full blood count | 2 days |
| Kidney function | 3 days |

### Questions

Write to results@example.nhs.uk or ring 0191 445 8418.

::: contacts
- name: Phlebotomy desk
  about: Blood tests without an appointment.
  phone: 0191 445 2180
  email: bloods@example.nhs.uk
  hours: Monday to Friday, 8am to 5pm
:::
"""

EASY_READ = """---
title: Having a blood test
language: en-GB
---

# About this leaflet

::: row
![A doctor](pictogram:doctor)

Your doctor will talk to you about your treatment.
:::

::: row
![A phone](pictogram:phone)

Phone us on 0191 445 2180.

We can help.
:::

# Your test

::: row
![A blood test from an arm](pictogram:blood-test)

A nurse takes some blood from your arm.
:::
"""

ARABIC = """---
title: سرطان الثدي الثانوي
subtitle: معلومات للمرضى
organisation: Gateshead Health NHS Foundation Trust
language: ar
code: SAMPLE-ONC-001
version: "1"
published: 2025-01-06
review: 2027-01-06
requests: اسأل ممرضة رعاية الثدي، أو اتصل بالرقم 0191 445 2180.
---

# ما هو سرطان الثدي الثانوي؟

قد **تنتقل** الخلايا السرطانية إلى أجزاء أخرى من الجسم. اتصل بنا على 0191 445 8418.

- العلاج الكيميائي
- العلاج الإشعاعي

| الفحص | متى |
| --- | --- |
| فحص الدم | يومان |

::: contacts
- name: خط دعم ماكميلان
  phone: 0808 808 0000
:::
"""


# Building and reading, once per module --------------------------------------------

@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """A small library: a leaflet using every block (with an easy read edition),
    and an Arabic one; built as DOCX once."""
    root = tmp_path_factory.mktemp("docx-library")
    for slug, files in {"blood-test": {"leaflet.md": RICH, "easy-read.md": EASY_READ},
                        "arabic": {"leaflet.md": ARABIC}}.items():
        folder = root / "leaflet_src" / slug
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    run_leaflet("build", "-f", "docx", "-o", str(root / "out"), cwd=root, check=True)
    return root / "out"


@pytest.fixture(scope="module")
def outputs(built, library) -> dict[str, Path]:
    return {
        "standard": built.find("docx"),
        "large-print": built.find("docx", "large-print"),
        "rich": library / "blood-test" / "en-GB" / "blood-test.en-GB.docx",
        "rich-large": library / "blood-test" / "en-GB" / "blood-test.en-GB.large-print.docx",
        "easy-read": library / "blood-test" / "en-GB" / "blood-test.en-GB.easy-read.docx",
        "arabic": library / "arabic" / "ar" / "arabic.ar.docx",
        "arabic-large": library / "arabic" / "ar" / "arabic.ar.large-print.docx",
    }


@pytest.fixture(scope="module")
def as_pdf(outputs, tmp_path_factory) -> dict[str, Path]:
    """Every output converted by LibreOffice, in one run, with its own profile
    so that it never waits on another LibreOffice."""
    work = tmp_path_factory.mktemp("soffice")
    inputs = []
    for name, path in outputs.items():
        copy = work / f"{name}.docx"
        shutil.copyfile(path, copy)
        inputs.append(str(copy))
    profile = (work / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work / "pdf"), *inputs],
                   capture_output=True, timeout=300, check=True)
    return {name: work / "pdf" / f"{name}.pdf" for name in outputs}


@pytest.fixture(scope="module")
def pandoc(outputs) -> dict[str, dict]:
    """Every output read back by pandoc as its document tree."""
    trees = {}
    for name, path in outputs.items():
        result = subprocess.run(["pandoc", "-f", "docx", "-t", "json", str(path)],
                                capture_output=True, timeout=120, check=True)
        trees[name] = json.loads(result.stdout)
    return trees


class Docx:
    """A DOCX opened both ways: python-docx for the document, lxml for its parts."""

    def __init__(self, data: Path | bytes):
        raw = data if isinstance(data, bytes) else Path(data).read_bytes()
        self.zip = zipfile.ZipFile(io.BytesIO(raw))
        self.document = docx.Document(io.BytesIO(raw))

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    @property
    def body(self) -> etree._Element:
        return self.xml("word/document.xml").find("w:body", NS)

    def parts(self) -> dict[str, etree._Element]:
        """Every WordprocessingML part: document, styles, numbering, headers, footers."""
        return {n: self.xml(n) for n in self.zip.namelist()
                if n.startswith("word/") and n.endswith(".xml") and "/_rels/" not in n
                and not n.startswith("word/theme")}

    def furniture(self) -> list[etree._Element]:
        return [self.xml(n) for n in sorted(self.zip.namelist())
                if re.match(r"word/(header|footer)\d*\.xml$", n)]

    def hyperlinks(self) -> list[tuple[str, str]]:
        """(target, text) of every hyperlink in the body and page furniture."""
        links = []
        for name in self.zip.namelist():
            match = re.match(r"word/(document|header\d*|footer\d*)\.xml$", name)
            if not match:
                continue
            rels_name = f"word/_rels/{name.split('/')[-1]}.rels"
            targets = {}
            if rels_name in self.zip.namelist():
                for rel in etree.fromstring(self.zip.read(rels_name)):
                    if rel.get("Type") == HYPERLINK_TYPE:
                        targets[rel.get("Id")] = rel.get("Target")
            for link in self.xml(name).iter(f"{{{W}}}hyperlink"):
                links.append((targets.get(link.get(f"{{{R}}}id"), link.get(f"{{{W}}}anchor")),
                              text_of(link)))
        return links


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def attr(element: etree._Element | None, name: str = "val") -> str | None:
    return None if element is None else element.get(f"{{{W}}}{name}")


def style_name(paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def sample_options(**changes) -> WriterOptions:
    options = WriterOptions(
        assets=Assets(folder=str(SAMPLE_SOURCE.parent), pictograms=str(source.PICTOGRAMS)),
        available=(Availability("en-GB", "English", ("standard", "large-print")),
                   Availability("ar", "العربية", ("standard",), "rtl")),
        source_date=dt.datetime(2025, 1, 6, tzinfo=dt.timezone.utc))
    return dataclasses.replace(options, **changes)


def parse(text: str, slug: str = "test", edition: str = "standard"):
    return source.parse_text(text, f"leaflet_src/{slug}/leaflet.md", SAMPLE_SOURCE.parent, slug,
                             edition)


def parse_easy_read():
    """EASY_READ, taking what its front matter leaves out from RICH's, as the build does."""
    meta = parse(RICH).meta
    defaults = {"organisation": meta.organisation, "published": meta.published,
                "review": meta.review, "code": meta.code, "version": meta.version}
    return source.parse_text(EASY_READ, "leaflet_src/test/easy-read.md", SAMPLE_SOURCE.parent,
                             "test", "easy-read", defaults)


def pandoc_nodes(tree, kind: str) -> list:
    """Every node of one type in a pandoc JSON tree (or part of one), in document order."""
    found = []

    def visit(node):
        if isinstance(node, dict):
            if node.get("t") == kind:
                found.append(node)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(tree["blocks"] if "blocks" in tree else tree["c"])
    return found


def _flatten(node) -> list[str]:
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return [node["c"]]
        if node.get("t") in ("Space", "SoftBreak"):
            return [" "]
        return _flatten(node.get("c", []))
    if isinstance(node, list):
        return [s for item in node for s in _flatten(item)]
    return []


# Effective run sizes: run, then its character style, its paragraph's style, the defaults.

def effective_sizes(document: Docx) -> list[tuple[str, float]]:
    styles = document.xml("word/styles.xml")
    by_id = {s.get(f"{{{W}}}styleId"): s for s in styles.iter(f"{{{W}}}style")}
    default_paragraph = next(s.get(f"{{{W}}}styleId") for s in styles.iter(f"{{{W}}}style")
                             if s.get(f"{{{W}}}type") == "paragraph"
                             and s.get(f"{{{W}}}default") == "1")
    default_size = attr(styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS))

    def style_size(style_id: str | None) -> str | None:
        while style_id:
            style = by_id[style_id]
            size = attr(style.find("w:rPr/w:sz", NS))
            if size:
                return size
            style_id = attr(style.find("w:basedOn", NS))
        return None

    sizes = []
    for root in [document.xml("word/document.xml"), *document.furniture()]:
        for run in root.iter(f"{{{W}}}r"):
            text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
            if not text.strip():
                continue
            paragraph = next(a for a in run.iterancestors() if a.tag == f"{{{W}}}p")
            size = (attr(run.find("w:rPr/w:sz", NS))
                    or style_size(attr(run.find("w:rPr/w:rStyle", NS)))
                    or style_size(attr(paragraph.find("w:pPr/w:pStyle", NS)) or default_paragraph)
                    or default_size)
            sizes.append((text, int(size) / 2))
    return sizes


# Registry and the sample's outputs ----------------------------------------------------

def test_docx_is_registered_with_its_editions(built):
    assert formats.get("docx").writer == "formats.docx:write"
    entries = {(e["edition"], e["lang"]) for e in built.artifacts if e["format"] == "docx"}
    assert {("standard", "en-GB"), ("large-print", "en-GB")} <= entries
    assert built.find("docx").name == f"{SAMPLE_SLUG}.en-GB.docx"
    assert built.find("docx", "large-print").name == f"{SAMPLE_SLUG}.en-GB.large-print.docx"


def test_headings_follow_the_source_with_heading_styles(outputs):
    body = SAMPLE_SOURCE.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    source_lines = body.split("\n")
    expected = [(len(m.group(1)), m.group(2).strip()) for line in source_lines
                if (m := re.match(r"^(#{1,3}) (.+)$", line))]
    document = Docx(outputs["standard"]).document
    found = [(int(style_name(p).split()[-1]), p.text) for p in document.paragraphs
             if style_name(p).startswith("Heading")]
    # the last heading is the "also available" panel's
    assert found[:-1] == expected
    assert found[-1] == (1, "This leaflet is also available in other languages and formats")
    previous = 0
    for level, text in found:
        assert level <= previous + 1, f"heading level skipped at {text!r}"
        previous = level
    titles = [p.text for p in document.paragraphs if style_name(p) == "Title"]
    assert titles == ["Secondary breast cancer"]
    assert [p.text for p in document.paragraphs if style_name(p) == "Subtitle"] == \
        ["Information for patients"]


def test_core_properties_are_the_leaflets_own(outputs):
    core = Docx(outputs["standard"]).document.core_properties
    assert core.title == "Secondary breast cancer"
    assert core.author == "Gateshead Health NHS Foundation Trust"
    assert core.language == "en-GB"
    assert core.created == core.modified == dt.datetime(2025, 1, 6, tzinfo=dt.timezone.utc)
    assert "python-docx" not in (core.comments + core.author + core.last_modified_by)
    assert core.identifier == "SAMPLE-ONC-001"
    app = Docx(outputs["standard"]).zip.read("docProps/app.xml").decode()
    assert "Microsoft" not in app and "leaflet" in app
    names = Docx(outputs["standard"]).zip.namelist()
    assert not any("thumbnail" in n or n.startswith("customXml") for n in names)


def test_language_is_the_document_default_and_on_runs(outputs):
    document = Docx(outputs["standard"])
    lang = document.xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert attr(lang) == "en-GB"
    runs = [r for r in document.body.iter(f"{{{W}}}r") if r.find("w:t", NS) is not None]
    langs = {text_of(r): attr(r.find("w:rPr/w:lang", NS)) for r in runs}
    others = {text: lang for text, lang in langs.items() if lang != "en-GB"}
    # only the panel's language names are in another language, each in its own
    panel = {e["lang"] for e in json.loads((outputs["standard"].parents[2] / "manifest.json")
                                           .read_text(encoding="utf-8"))["artifacts"]}
    assert set(others.values()) <= panel - {"en-GB"}
    assert all(lang for lang in langs.values())


def test_a4_pages_with_page_n_of_m_and_leaflet_details_in_the_footer(outputs):
    document = Docx(outputs["standard"])
    section = document.document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.5)
    footer = document.furniture()[-1]
    instructions = [t.text.strip() for t in footer.iter(f"{{{W}}}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    words = text_of(footer).replace(NBSP, " ")
    for expected in ("SAMPLE-ONC-001", "Version: 1", "Review date: 6 January 2027", "Page ",
                     " of "):
        assert expected in words


def test_no_empty_paragraphs_used_as_spacing(outputs):
    for name in ("standard", "rich", "easy-read", "arabic"):
        body = Docx(outputs[name]).body
        for paragraph in body.iter(f"{{{W}}}p"):
            has_content = text_of(paragraph).strip() or paragraph.find(".//w:drawing", NS) \
                is not None
            in_empty_cell = paragraph.getparent().tag == f"{{{W}}}tc" and \
                len(paragraph.getparent().findall("w:p", NS)) == 1
            assert has_content or in_empty_cell, f"{name}: empty paragraph"


def test_contacts_table_has_a_repeating_header_and_dialable_numbers(outputs):
    document = Docx(outputs["standard"])
    tables = document.document.tables
    assert tables
    for table in tables:
        assert table.style.name == "Leaflet Table"
        rows = table._tbl.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
        heads = [c.text for c in table.rows[0].cells]
        assert heads[:2] == ["Contact", "Phone"]
    links = dict(document.hyperlinks())
    assert links["tel:+44-808-808-0000"] == f"0808{NBSP}808{NBSP}0000"
    assert links["tel:+44-191-445-8418"] == f"0191{NBSP}445{NBSP}8418"  # in a paragraph


def test_panel_names_languages_in_their_own_language_with_the_requests_line():
    leaflet = source.parse_file(SAMPLE_SOURCE, REPO)
    document = Docx(docx_writer.write(leaflet, sample_options()).data)
    body = document.body
    paragraphs = body.findall("w:p", NS)
    heading = next(i for i, p in enumerate(paragraphs) if text_of(p).startswith(
        "This leaflet is also available"))
    entries = paragraphs[heading + 1:heading + 3]
    assert [text_of(p) for p in entries] == ["English: Standard print, Large print",
                                             "العربية: Standard print"]
    arabic_run = entries[1].find("w:r", NS)
    assert attr(arabic_run.find("w:rPr/w:lang", NS), "bidi") == "ar"
    assert arabic_run.find("w:rPr/w:rtl", NS) is not None
    assert all(p.find("w:pPr/w:numPr", NS) is not None for p in entries)
    requests = paragraphs[heading + 3]
    assert text_of(requests).startswith("Ask your breast care nurse")
    assert ("tel:+44-191-445-2180", f"0191{NBSP}445{NBSP}2180") in document.hyperlinks()


def test_panel_joins_editions_with_the_languages_comma():
    leaflet = parse(ARABIC)
    options = sample_options(available=(
        Availability("en-GB", "English", ("standard", "large-print")),
        Availability("ar", "العربية", ("standard", "large-print"), "rtl")))
    body = Docx(docx_writer.write(leaflet, options).data).body
    entries = [text_of(p) for p in body.findall("w:p", NS) if text_of(p).startswith("العربية: ")]
    assert entries and "\u060c " in entries[0] and "," not in entries[0]


def test_links_emphasis_lists_and_pictures_in_word_structure(outputs):
    document = Docx(outputs["rich"])
    links = document.hyperlinks()
    assert ("https://www.nhs.uk/conditions/blood-tests/", "NHS website") in links
    assert ("mailto:results@example.nhs.uk", "results@example.nhs.uk") in links
    assert ("mailto:bloods@example.nhs.uk", "bloods@example.nhs.uk") in links
    body = document.body
    italic = [text_of(r) for r in body.iter(f"{{{W}}}r") if r.find("w:rPr/w:i", NS) is not None]
    bold = [text_of(r) for r in body.iter(f"{{{W}}}r") if r.find("w:rPr/w:b", NS) is not None]
    assert "plenty" in italic and "all" in bold
    styles = [style_name(p) for p in document.document.paragraphs]
    assert styles.count("List Number") == 4 and styles.count("List Bullet 2") == 2
    pictures = body.findall(".//wp:docPr", NS)
    assert [p.get("descr") for p in pictures] == ["A blood test from an arm"]
    callout = [p for p in document.document.paragraphs if style_name(p) == "Callout Warning"]
    assert [p.text for p in callout] == ["Warning: Tell the nurse if you feel faint."]
    contacts = document.document.tables[-1]
    assert [c.text for c in contacts.rows[0].cells] == ["Contact", "How to contact",
                                                        "Opening hours"]


def test_each_numbered_list_starts_again_at_one(outputs):
    document = Docx(outputs["rich"])
    numbering = document.xml("word/numbering.xml")
    num_ids = []
    for paragraph in document.document.paragraphs:
        if style_name(paragraph) == "List Number":
            num_ids.append(attr(paragraph._p.find("w:pPr/w:numPr/w:numId", NS)))
    first, second = num_ids[0], num_ids[2]
    assert num_ids == [first, first, second, second] and first != second
    for num_id in (first, second):
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        assert attr(num.find("w:lvlOverride/w:startOverride", NS)) == "1"


# Real readers -------------------------------------------------------------------------

@pytest.mark.slow  # through LibreOffice
def test_libreoffice_converts_every_output(as_pdf, outputs):
    for name, pdf in as_pdf.items():
        assert pdf.is_file() and pdf.stat().st_size > 1000, f"{name} did not convert"
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        title = Docx(outputs[name]).document.core_properties.title
        assert title.split()[0] in text, name
    standard = subprocess.run(["pdftotext", str(as_pdf["standard"]), "-"], capture_output=True,
                              text=True, check=True).stdout
    assert re.search(r"Page 1 of \d", standard)
    assert "0808 808 0000" in standard.replace(NBSP, " ")


def test_pandoc_reads_headings_lists_and_tables_back(pandoc):
    standard = pandoc["standard"]
    assert _flatten(standard["meta"]["title"]) == ["Secondary", " ", "breast", " ", "cancer"]
    headers = pandoc_nodes(standard, "Header")
    assert [h["c"][0] for h in headers[:3]] == [1, 1, 2]
    assert "".join(_flatten(headers[0]["c"][2])) == "What is secondary breast cancer?"
    assert len(pandoc_nodes(standard, "BulletList")) >= 2  # treatments and the panel
    assert len(pandoc_nodes(standard, "Table")) == 2
    rich = pandoc["rich"]
    ordered = pandoc_nodes(rich, "OrderedList")
    assert [o["c"][0][0] for o in ordered] == [1, 1]
    assert [len(o["c"][1]) for o in ordered] == [2, 2]
    nested = pandoc_nodes(pandoc_nodes(rich, "BulletList")[0], "BulletList")
    assert len(nested) == 1 and len(nested[0]["c"]) == 2
    targets = [link["c"][2][0] for link in pandoc_nodes(rich, "Link")]
    assert "tel:+44-191-445-8418" in targets and "https://www.nhs.uk/conditions/blood-tests/" \
        in targets
    assert len(pandoc_nodes(rich, "Image")) == 1


# Large print --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["large-print", "rich-large", "arabic-large"])
def test_large_print_nothing_below_the_size_no_italics_no_underline(outputs, name):
    document = Docx(outputs[name])
    sizes = effective_sizes(document)
    assert sizes
    small = [(text, size) for text, size in sizes if size < 18]
    assert not small
    for part_name, root in document.parts().items():
        assert not root.findall(".//w:i", NS) and not root.findall(".//w:iCs", NS), part_name
        assert not [u for u in root.iter(f"{{{W}}}u") if attr(u) != "none"], part_name
        assert not [jc for jc in root.iter(f"{{{W}}}jc") if attr(jc) not in ("left", "start")]
        sizes_in_part = [int(attr(s)) for s in root.iter(f"{{{W}}}sz")] + \
            [int(attr(s)) for s in root.iter(f"{{{W}}}szCs")]
        assert all(size >= 36 for size in sizes_in_part), part_name
    settings = document.xml("word/settings.xml")
    assert attr(settings.find("w:autoHyphenation", NS)) == "false"
    normal = document.document.styles["Normal"]
    assert normal.paragraph_format.space_after.pt > 0
    fonts = document.xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert attr(fonts, "ascii") == "Arial"


def test_large_print_size_follows_the_option():
    leaflet = parse(RICH)
    document = Docx(docx_writer.write(leaflet, sample_options(edition="large-print",
                                                              size_pt=24)).data)
    sizes = [size for _text, size in effective_sizes(document)]
    assert min(sizes) == 24
    assert max(sizes) > 24  # headings stand out


@pytest.mark.parametrize("size", [16, 18, 32, 48])
@pytest.mark.parametrize("text", [RICH, ARABIC], ids=["en", "ar"])
def test_large_print_footer_has_room_above_the_bottom_margin(size, text):
    """The bottom margin holds every line of the footer at its size: body
    text never reaches the footer, whatever the large print size."""
    leaflet = parse(text)
    document = Docx(docx_writer.write(leaflet, sample_options(edition="large-print",
                                                              size_pt=size)).data)
    section = document.document.sections[0]
    room_twips = section.bottom_margin.twips - section.footer_distance.twips
    footer = document.furniture()[-1]
    paragraphs = [text_of(p) for p in footer.findall("w:p", NS)]
    width_pt = section.page_width.pt - section.left_margin.pt - section.right_margin.pt
    lines = sum(max(1, math.ceil(len(words) * size * 0.55 / width_pt)) for words in paragraphs)
    spacing = int(attr(document.xml("word/styles.xml").find(
        "w:docDefaults/w:pPrDefault/w:pPr/w:spacing", NS), "line")) / 240
    assert room_twips >= lines * size * spacing * 20
    # The short footer: the page and the code; the other details end the document.
    assert len(paragraphs) == 2 and "SAMPLE-" in paragraphs[1]
    assert "Review date" not in text_of(footer)
    assert "Review date: " in text_of(document.body.findall("w:p", NS)[-1])


@pytest.mark.slow  # through LibreOffice
@pytest.mark.parametrize("size", [18, 48])
def test_large_print_body_text_never_touches_the_footer_in_libreoffice(size, tmp_path):
    # Prose only: a table row taller than the page is another matter.
    front = RICH[:RICH.index("# Before your test")]
    prose = "\n\n".join(
        f"# Part {n}\n\nYour nurse will explain what happens before, during and after "
        f"the test, and answer any questions you have about it. Part {n} ends here."
        for n in range(1, 9 if size > 24 else 25))
    leaflet = parse(front + prose + "\n")
    path = tmp_path / f"large-{size}.docx"
    path.write_bytes(docx_writer.write(leaflet, sample_options(edition="large-print",
                                                               size_pt=size)).data)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, timeout=300, check=True)
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextLine

    def lines(item):
        if isinstance(item, LTTextLine):
            yield item
        for child in getattr(item, "_objs", []) if not isinstance(item, LTTextLine) else []:
            yield from lines(child)

    margin = docx.Document(str(path)).sections[0].bottom_margin.pt
    checked = 0
    for page in extract_pages(str(path.with_suffix(".pdf"))):
        found = [line for line in lines(page) if line.get_text().strip()]
        footer = [line for line in found if re.match(r"(Page \d|Leaflet code|SAMPLE-PATH)",
                                                     line.get_text().strip())
                  and line.y0 < margin]  # not the details that end the leaflet
        body = [line for line in found if line not in footer]
        if not footer or not body:
            continue
        checked += 1
        # PDF y grows upwards: the lowest body line ends a clear gap above the footer.
        assert min(line.y0 for line in body) >= max(line.y1 for line in footer) + size * 0.2
    assert checked >= 2


def test_standard_edition_keeps_italics_and_nothing_under_12_pt(outputs):
    document = Docx(outputs["rich"])
    sizes = dict(effective_sizes(document))
    assert sizes["Having a blood test"] > sizes["Things to bring:"] == 12
    for name in ("standard", "rich"):
        sizes = effective_sizes(Docx(outputs[name]))  # the body, the header and the footer
        footer = [size for text, size in sizes if "Review" in text or text.startswith("Page")]
        assert len(footer) >= 2 and min(footer) == 12
        assert min(size for _text, size in sizes) >= 12


def test_footer_details_split_by_one_separator_and_never_inside_a_detail(outputs):
    footer = Docx(outputs["standard"]).furniture()[-1]
    details = text_of(footer.findall("w:p", NS)[0])
    assert "  " not in details and "\t" not in details  # no runs of blank characters
    pieces = details.split(" \u00b7 ")
    assert [p.split(":")[0].replace(NBSP, " ") for p in pieces] == [
        "Leaflet code", "Version", "Published", "Review date"]
    assert all(" " not in piece for piece in pieces)  # held together by no-break spaces
    assert pieces[-1] == f"Review{NBSP}date:{NBSP}6{NBSP}January{NBSP}2027"


@pytest.mark.slow  # through LibreOffice
def test_footer_lines_in_libreoffice_never_hold_a_year_alone(as_pdf):
    text = subprocess.run(["pdftotext", "-layout", str(as_pdf["standard"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.replace(NBSP, " ").splitlines() if line.strip()]
    assert not [line for line in lines if re.fullmatch(r"\d{4}", line)]
    assert any(line.startswith("Review date: 6 January 2027") for line in lines)


# Schema order -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["standard", "large-print", "rich", "easy-read", "arabic"])
def test_property_children_are_in_schema_order(outputs, name):
    for part_name, root in Docx(outputs[name]).parts().items():
        for tag, schema in (("rPr", RPR_SCHEMA), ("pPr", PPR_SCHEMA), ("tblPr", TBLPR_SCHEMA)):
            for props in root.iter(f"{{{W}}}{tag}"):
                names = [etree.QName(child).localname for child in props]
                unknown = [n for n in names if n not in schema]
                assert not unknown, f"{part_name}: {tag} has {unknown}"
                positions = [schema.index(n) for n in names]
                assert positions == sorted(positions) and len(set(names)) == len(names), \
                    f"{part_name}: {tag} children out of order: {names}"


# Right to left ------------------------------------------------------------------------

def test_right_to_left_paragraphs_runs_tables_and_complex_script_sizes(outputs):
    document = Docx(outputs["arabic"])
    body = document.body
    paragraphs = body.iter(f"{{{W}}}p")
    for paragraph in paragraphs:
        bidi = paragraph.find("w:pPr/w:bidi", NS)
        assert bidi is not None and attr(bidi) in (None, "1", "true"), text_of(paragraph)
        assert paragraph.find("w:pPr/w:jc", NS) is None
    tables = body.findall(".//w:tbl", NS)
    assert len(tables) == 2
    assert all(t.find("w:tblPr/w:bidiVisual", NS) is not None for t in tables)
    arabic_runs = [r for r in body.iter(f"{{{W}}}r") if re.search("[\u0600-\u06ff]", text_of(r))]
    assert arabic_runs and all(r.find("w:rPr/w:rtl", NS) is not None for r in arabic_runs)
    bold = [r for r in arabic_runs if r.find("w:rPr/w:b", NS) is not None]
    assert "تنتقل" in [text_of(r) for r in bold]
    assert all(r.find("w:rPr/w:bCs", NS) is not None for r in bold)
    assert attr(document.body.find("w:sectPr/w:bidi", NS)) in (None, "1")

    styles = document.xml("word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert attr(defaults.find("w:lang", NS), "bidi") == "ar"
    assert attr(defaults.find("w:rFonts", NS), "cs") == "Noto Naskh Arabic"
    for props in styles.iter(f"{{{W}}}rPr"):
        if props.find("w:sz", NS) is not None:
            assert attr(props.find("w:szCs", NS)) == attr(props.find("w:sz", NS))
        if props.find("w:b", NS) is not None:
            assert props.find("w:bCs", NS) is not None
    assert not list(styles.iter(f"{{{W}}}jc"))


def test_phone_numbers_in_arabic_stay_left_to_right(outputs):
    document = Docx(outputs["arabic"])
    for link in document.body.iter(f"{{{W}}}hyperlink"):
        runs = link.findall("w:r", NS)
        if not text_of(link)[:1].isdigit():
            continue
        assert all(r.find("w:rPr/w:rtl", NS) is None for r in runs), text_of(link)
        assert " " not in text_of(link) and NBSP in text_of(link)
    # nor may a style make them right to left behind the run's back
    assert not list(document.xml("word/styles.xml").iter(f"{{{W}}}rtl"))
    targets = dict(document.hyperlinks())
    assert targets["tel:+44-191-445-8418"] == f"0191{NBSP}445{NBSP}8418"
    assert targets["tel:+44-808-808-0000"] == f"0808{NBSP}808{NBSP}0000"


@pytest.mark.parametrize("lang, slot, font", [("ur", "cs", "Noto Nastaliq Urdu"),
                                              ("bn", "cs", "Noto Sans Bengali"),
                                              ("ar", "cs", "Noto Naskh Arabic"),
                                              ("pl", "ascii", "Arial")])
def test_each_script_names_its_font(lang, slot, font):
    leaflet = parse(RICH.replace("language: en-GB", f"language: {lang}"))
    document = Docx(docx_writer.write(leaflet, sample_options()).data)
    defaults = document.xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert attr(defaults.find("w:rFonts", NS), slot) == font
    assert attr(defaults.find("w:lang", NS)) == lang


# Draft banner -------------------------------------------------------------------------

def test_draft_banner_in_english_and_the_language_on_every_page_and_in_the_body():
    leaflet = parse(ARABIC)
    translated = "مسودة ترجمة، لم تُراجع بعد"
    document = Docx(docx_writer.write(leaflet, sample_options(
        draft=True, words={DRAFT_BANNER: translated})).data)
    headers = [h for h in document.furniture() if h.tag == f"{{{W}}}hdr"]
    assert len(headers) == 1
    banner = headers[0].findall("w:p", NS)
    assert [text_of(p) for p in banner] == [DRAFT_BANNER, translated]
    english = banner[0]
    assert attr(english.find("w:pPr/w:bidi", NS)) == "0"  # English reads left to right
    assert attr(english.find(".//w:lang", NS)) == "en-GB"
    # Screen readers, Read Aloud and the navigation pane skip the page header:
    # the banner is in the body too, once, straight after the title and subtitle.
    paragraphs = document.document.paragraphs
    assert [(p.style.style_id, p.text) for p in paragraphs[:4]] == [
        ("Title", leaflet.meta.title), ("Subtitle", leaflet.meta.subtitle),
        ("DraftBanner", DRAFT_BANNER), ("DraftBanner", translated)]
    assert text_of(document.body).count(DRAFT_BANNER) == 1
    body_english = paragraphs[2]._p
    assert attr(body_english.find(".//w:lang", NS)) == "en-GB"
    assert attr(body_english.find("w:pPr/w:bidi", NS)) == "0"
    section = document.document.sections[0]
    assert not section.header.is_linked_to_previous
    signed_off = Docx(docx_writer.write(leaflet, sample_options()).data)
    assert DRAFT_BANNER not in text_of(signed_off.body)
    assert not any(h.tag == f"{{{W}}}hdr" for h in signed_off.furniture())


# Easy read ----------------------------------------------------------------------------

def anchored_pictures(body: etree._Element) -> list[etree._Element]:
    return body.findall(".//wp:anchor", NS)


def test_easy_read_rows_are_not_tables_but_a_picture_beside_indented_text(outputs):
    """Word's checker flags a table with no header row and screen readers announce
    a table per row: a row is its sentences, indented, its picture anchored at
    the start of the first one, in the margin the indent leaves."""
    document = Docx(outputs["easy-read"])
    assert not document.body.findall(".//w:tbl", NS)
    assert not document.body.findall(".//wp:inline", NS)
    pictures = anchored_pictures(document.body)
    assert [p.find("wp:docPr", NS).get("descr") for p in pictures] == \
        ["A doctor", "A phone", "A blood test from an arm"]
    text_width = 11906 - 2 * 1134
    for picture in pictures:
        assert picture.find("wp:positionH", NS).get("relativeFrom") == "margin"
        assert picture.find("wp:positionH/wp:posOffset", NS).text == "0"
        assert picture.find("wp:positionV", NS).get("relativeFrom") == "paragraph"
        width_twips = int(picture.find("wp:extent", NS).get("cx")) / 635
        assert text_width / 4 < width_twips < text_width / 3
        paragraph = next(a for a in picture.iterancestors() if a.tag == f"{{{W}}}p")
        indent = int(attr(paragraph.find("w:pPr/w:ind", NS), "left"))
        assert width_twips < indent < text_width / 2  # the text clear of the picture
        assert text_of(paragraph).strip()  # in the first sentence, not an empty paragraph
    paragraphs = [p for p in document.body.findall("w:p", NS)]
    words = ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in paragraphs]
    phone = next(i for i, text in enumerate(words) if text.startswith("Phone us"))
    assert words[phone] == f"Phone us on 0191{NBSP}445{NBSP}2180."
    assert paragraphs[phone].find("w:pPr/w:keepNext", NS) is not None  # the row stays whole
    assert words[phone + 1] == "We can help."
    assert attr(paragraphs[phone + 1].find("w:pPr/w:ind", NS), "left") == \
        attr(paragraphs[phone].find("w:pPr/w:ind", NS), "left")


def test_easy_read_rows_in_right_to_left_put_the_picture_at_the_right():
    leaflet = parse_easy_read()
    arabic = dataclasses.replace(leaflet, meta=dataclasses.replace(
        leaflet.meta, language="ar", direction="rtl"))
    body = Docx(docx_writer.write(arabic, sample_options(edition="easy-read")).data).body
    pictures = anchored_pictures(body)
    assert len(pictures) == 3 and not body.findall(".//w:tbl", NS)
    for picture in pictures:
        paragraph = next(a for a in picture.iterancestors() if a.tag == f"{{{W}}}p")
        # w:left is the start side of a right-to-left paragraph: the right, where
        # the section's offsets are measured from.
        assert paragraph.find("w:pPr/w:bidi", NS) is not None
        assert int(attr(paragraph.find("w:pPr/w:ind", NS), "left")) > 0
    assert body.find("w:sectPr/w:bidi", NS) is not None


@pytest.mark.slow  # through LibreOffice
def test_easy_read_pictures_never_cover_text_or_the_footer_in_libreoffice(as_pdf):
    """LibreOffice's layout of the rows: every picture beside its text, none over
    a line of text, none reaching the page footer."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTFigure, LTImage, LTTextLine

    def walk(item):
        yield item
        for child in getattr(item, "_objs", []) if not isinstance(item, LTTextLine) else []:
            yield from walk(child)

    pictures_seen = 0
    for page in extract_pages(str(as_pdf["easy-read"])):
        items = list(walk(page))
        lines = [i for i in items if isinstance(i, LTTextLine) and i.get_text().strip()]
        footer = [i for i in lines if re.match(r"(Page \d|Leaflet code)", i.get_text().strip())]
        images = [i for i in items if isinstance(i, (LTImage, LTFigure))
                  and not any(isinstance(c, LTTextLine) for c in walk(i) if c is not i)]
        for image in images:
            pictures_seen += 1
            for line in lines:
                overlap_x = min(image.x1, line.x1) - max(image.x0, line.x0)
                overlap_y = min(image.y1, line.y1) - max(image.y0, line.y0)
                assert overlap_x <= 1 or overlap_y <= 1, line.get_text()
            if footer:
                assert image.y0 > max(line.y1 for line in footer)
    assert pictures_seen >= 3


def test_easy_read_pictures_are_png_at_print_resolution_a_third_of_the_page(outputs):
    document = Docx(outputs["easy-read"])
    A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    REL = f"{{{R}}}embed"
    text_width_emu = (11906 - 2 * 1134) * 635
    pictures = anchored_pictures(document.body)
    assert pictures
    for picture in pictures:
        blip = next(picture.iter(f"{A}blip"))
        image = document.document.part.related_parts[blip.get(REL)].image
        assert image.content_type == "image/png"
        width = int(picture.find("wp:extent", NS).get("cx"))
        assert image.px_width / (width / 914400) >= 290  # 300 dpi, less rounding
        assert width > text_width_emu / 3 * 0.8


def test_easy_read_text_is_at_least_the_easy_read_size(outputs):
    sizes = effective_sizes(Docx(outputs["easy-read"]))
    assert sizes and min(size for _text, size in sizes) >= 16
    assert not Docx(outputs["easy-read"]).body.findall(".//w:i", NS)


def test_the_sample_easy_read_is_built_when_it_exists(built):
    if not (REPO / "leaflet_src" / SAMPLE_SLUG / "easy-read.md").is_file():
        pytest.skip("the sample has no easy read edition")
    document = Docx(built.find("docx", "easy-read"))
    pictures = anchored_pictures(document.body)
    assert pictures and not document.body.findall(".//w:tbl", NS)
    assert all(p.find("wp:docPr", NS).get("descr") for p in pictures)


# Reproducible -------------------------------------------------------------------------

def test_two_writes_give_the_same_bytes_dated_from_the_leaflet():
    leaflet = parse_easy_read()
    options = sample_options(edition="easy-read")
    first, second = docx_writer.write(leaflet, options).data, docx_writer.write(leaflet, options).data
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {info.date_time for info in infos} == {(2025, 1, 6, 0, 0, 0)}
    later = sample_options(edition="easy-read",
                           source_date=dt.datetime(2026, 2, 3, tzinfo=dt.timezone.utc))
    assert Docx(docx_writer.write(leaflet, later).data).document.core_properties.created == \
        dt.datetime(2026, 2, 3, tzinfo=dt.timezone.utc)


def test_a_missing_picture_is_an_error_at_its_line():
    from leaflet.errors import LeafletError
    leaflet = parse(RICH)
    options = sample_options(assets=Assets(folder=str(SAMPLE_SOURCE.parent)))  # no pictograms
    with pytest.raises(LeafletError) as caught:
        docx_writer.write(leaflet, options)
    problem = caught.value.problems[0]
    assert problem.path == "leaflet_src/test/leaflet.md"
    assert problem.line == RICH.split("\n").index(
        "![A blood test from an arm](pictogram:blood-test)") + 1


def test_table_rows_may_split_only_when_the_print_is_very_large():
    # A table of the leaflet's own: at 48 pt the contacts are blocks, not a table.
    path = REPO / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    text = path.read_text(encoding="utf-8") + "\n| Day | Dose |\n| --- | --- |\n| Monday | 5 mg |\n"
    leaflet = source.parse_text(text, "leaflet.md", path.parent, SAMPLE_SLUG)
    kept = {}
    for size in (18.0, 48.0):
        options = WriterOptions(edition="large-print", size_pt=size,
                                assets=Assets(folder=str(REPO / "leaflet_src" / SAMPLE_SLUG)))
        with zipfile.ZipFile(io.BytesIO(docx_writer.write(leaflet, options).data)) as package:
            body = etree.fromstring(package.read("word/document.xml"))
        rows = body.findall(".//w:tr", NS)
        assert rows
        kept[size] = [row.find("w:trPr/w:cantSplit", NS) is not None for row in rows]
    assert all(kept[18.0])
    assert not any(kept[48.0])


def test_phone_numbers_and_addresses_in_contact_details_are_links(tmp_path):
    """A contact's about and hours are inline nodes: their numbers dial, their addresses
    mail, in the contacts table as in the easy read contact card."""
    text = ("---\ntitle: T\norganisation: O\nlanguage: en-GB\npublished: 2025-01-01\n"
            "review: 2027-01-01\n---\n\n# Contacts\n\n::: contacts\n- name: Ward 5\n"
            "  about: Questions to ward5@example.nhs.uk\n  phone: 0191 445 8418\n"
            "  hours: Out of hours, ring 0191 445 2180\n:::\n")
    leaflet = source.parse_text(text, "leaflet.md", tmp_path, "t")
    links = Docx(docx_writer.write(leaflet, WriterOptions()).data).hyperlinks()
    assert ("mailto:ward5@example.nhs.uk", "ward5@example.nhs.uk") in links
    assert ("tel:+44-191-445-2180", f"0191{NBSP}445{NBSP}2180") in links
    assert ("tel:+44-191-445-8418", f"0191{NBSP}445{NBSP}8418") in links
