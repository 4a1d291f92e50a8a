"""Tests of the import's word account and the rules of issue 28: every word of a trust's
Word file or web page lands in the leaflet, its front matter, or the import report's
list of what was left out, with where it was and why.

Fixtures are made by fixtures/import/make_word.py and make_trust.py."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import SAMPLE_SLUG, SEED, empty_library, import_fixture, run_leaflet
from leaflet import source
from leaflet.checks import sections
from leaflet.importers import account, import_files
from leaflet.model import Callout, Heading, Paragraph, Table, plain_text

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """Every import fixture: Word typed and styled, the trust's Word file and web page,
    the saved web page, the seed text, the accordion page and the struck-through file."""
    from test_import import ACCORDION_PAGE, struck_word_file

    folder = tmp_path_factory.mktemp("inputs")
    word, trust = import_fixture("make_word"), import_fixture("make_trust")
    word.typed(folder / "typed.docx")
    word.styled(folder / "styled.docx")
    (folder / "accordion.html").write_text(ACCORDION_PAGE, encoding="utf-8")
    return {"typed": folder / "typed.docx", "styled": folder / "styled.docx",
            "allergy": trust.allergy(folder / "allergy.docx"),
            "feeding": trust.feeding(folder / "feeding.html"),
            "web-page": FIXTURES / "web-page.html", "seed": SEED,
            "accordion": folder / "accordion.html",
            "struck": struck_word_file(folder / "struck.docx")}


def imported(path: Path, root: Path):
    report = import_files(empty_library(root), [path], slug="leaflet")
    return report, report.accounts[0], report.written[0].read_text(encoding="utf-8")


def report_text(root: Path) -> str:
    return (root / "leaflet_src" / "leaflet" / "import-report.md").read_text(encoding="utf-8")


# The account balances ----------------------------------------------------------------------

EXPECTED = {  # original = leaflet + front matter + listed, per fixture
    "typed": (150, 115, 35, 0), "styled": (152, 115, 37, 0),
    "allergy": (179, 134, 25, 20), "feeding": (124, 64, 15, 45),
    "web-page": (158, 90, 28, 40), "seed": (1006, 967, 16, 23),
}


@pytest.mark.parametrize("name", ["typed", "styled", "allergy", "feeding", "web-page", "seed",
                                  "accordion", "struck"])
def test_every_word_of_every_fixture_is_accounted_for(name, inputs, tmp_path):
    report, counted, _ = imported(inputs[name], tmp_path)
    assert counted.original > 0
    assert counted.original == counted.leaflet + counted.front_matter + counted.listed, counted
    assert counted.balanced
    if name in EXPECTED:
        assert (counted.original, counted.leaflet, counted.front_matter, counted.listed) == \
            EXPECTED[name]
    said = report_text(tmp_path)
    assert f"| in the original | {counted.original} |" in said
    assert f"| left out, listed below | {counted.listed} |" in said
    assert "not accounted for" not in said


def test_the_counts_are_independent_of_the_importer(inputs):
    """The original is counted from the file itself, not from what the reader made."""
    texts = account.word_texts(inputs["allergy"])
    make = import_fixture("make_trust")
    assert make.DELETED in texts and make.STRUCK in texts  # deleted and struck words count
    assert any(make.TEXT_BOX[1] == t for t in texts)  # a text box, counted once
    assert sum(1 for t in texts if t == make.TEXT_BOX[1]) == 1
    assert any("Page 1 of 2" in t for t in texts)  # the footer
    assert account.count("Call 0191 4452000 or (0191) 445 2000") == \
        account.count("Call 0191 445 2000 or 0191 445 2000") == 4
    assert account.count("1. Come early •\tBring your letter") == 5


@pytest.mark.parametrize("ext", ["docx", "html"])
def test_our_own_outputs_balance_and_keep_all_the_leaflets_words(ext, own_outputs,
                                                                  sample_library, tmp_path):
    original = source.parse_file(sample_library / "leaflet_src" / SAMPLE_SLUG / "leaflet.md",
                                 sample_library)
    report, counted, _ = imported(own_outputs[ext], tmp_path)
    assert counted.balanced, counted
    # what was left out is what the build prints itself, never the leaflet's words
    assert counted.leaflet - counted.structure == account.block_words(original.blocks)
    said = report_text(tmp_path)
    assert "'also available' panel" in said


def test_left_out_words_are_listed_with_where_and_why(inputs, tmp_path):
    _, counted, written = imported(inputs["allergy"], tmp_path)
    said = report_text(tmp_path)
    make = import_fixture("make_trust")
    assert f"| under the heading 'What to bring' | struck through: deleted advice, never " \
           f"printed as live text | {make.STRUCK} |" in said
    assert "| in the paragraph starting 'Wear a short-sleeved top.' | deleted in Word's " \
           f"tracked changes (not accepted into the leaflet) | {make.DELETED} |" in said
    assert "| in a page header or footer | in a page header or footer" in said
    assert make.DELETED not in written and make.STRUCK.split(" (")[0] not in \
        written.split("\n---\n", 1)[1]
    assert make.HIDDEN in " ".join(written.split())  # hidden text is content


def test_the_command_prints_the_count(inputs, tmp_path):
    result = run_leaflet("import", str(inputs["feeding"]), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "124 words in feeding.html: 64 into the leaflet, 15 into its front matter, 45 left " \
           "out and listed in leaflet_src/feeding-through-a-tube/import-report.md" in result.stdout


# Item 2: the title, and the text before the first heading -----------------------------------

def test_text_before_the_first_heading_is_kept_and_the_title_rule_reported(inputs, tmp_path):
    make = import_fixture("make_trust")
    _, _, written = imported(inputs["allergy"], tmp_path)
    assert "# from the Word file's largest bold line at the top: check it\n" \
           f"title: {make.TITLE}\n" in written
    assert f"organisation: {make.ORGANISATION}\n" in written
    body = written.split("\n---\n", 1)[1]
    assert body.index(make.INTRODUCTION) < body.index("0113 496 0555") < \
        body.index("# What is a skin prick test?")
    said = report_text(tmp_path)
    assert f"The title, '{make.TITLE}', was taken from the Word file's largest bold line" in said


def test_the_title_property_wins_over_a_section_heading(inputs, tmp_path):
    _, _, written = imported(inputs["struck"], tmp_path)
    assert "# from the Word file's title property (File > Info): check it\n" \
           "title: Your blood test\n" in written
    assert "# Before your test\n" in written  # still a section, not the title


# Item 4: web furniture inside <main> --------------------------------------------------------

def test_web_furniture_inside_main_is_listed_not_imported(inputs, tmp_path):
    _, _, written = imported(inputs["feeding"], tmp_path)
    for furniture in ("Print this page", "Download as PDF", "Was this page helpful?",
                      "Share on Facebook", "Related leaflets", "cookies"):
        assert furniture not in written, furniture
    said = report_text(tmp_path)
    assert "site furniture inside the page: print, download, feedback or share | Print this " \
           "page \\| Download as PDF (212 KB)" in said
    assert "| Was this page helpful? / Yes No |" in said
    assert "Share on Facebook" in said
    assert "Check the pH of the stomach contents before every feed." in written


# Item 5: layout tables, cells, text boxes ---------------------------------------------------

def test_layout_table_cells_and_text_box(inputs, tmp_path):
    make = import_fixture("make_trust")
    report, _, _ = imported(inputs["allergy"], tmp_path)
    leaflet = source.parse_text(report.written[0].read_text(encoding="utf-8").replace(
        "YYYY-MM-DD", "2024-06-01").replace("-DD", "-01"), "l.md", tmp_path, "leaflet")
    headings = [(b.level, plain_text(b.children)) for b in leaflet.blocks
                if isinstance(b, Heading)]
    assert (2, "Before the test") in headings and (2, "After the test") in headings
    paragraphs = [" ".join(plain_text(b.children).split()) for b in leaflet.blocks
                  if isinstance(b, Paragraph)]
    assert make.LAYOUT[0][1] in paragraphs and make.LAYOUT[1][1] in paragraphs
    tables = [b for b in leaflet.blocks if isinstance(b, Table)]
    assert len(tables) == 1  # the layout table is gone; the kit table stays
    callout = next(b for b in leaflet.blocks if isinstance(b, Callout))
    assert callout.kind == "urgent"
    assert [plain_text(b.children) for b in callout.blocks] == list(make.TEXT_BOX)


def test_words_in_a_cell_are_not_glued_across_paragraphs(tmp_path):
    from leaflet.importers.convert import Converter
    from leaflet.importers.draft import Draft
    import lxml.html

    cell = lxml.html.fragment_fromstring("<td><p>Cell with</p><ul><li>A Bullet list</li>"
                                         "</ul></td>")
    words = plain_text(Converter(Draft("t")).cell_inlines(cell), line_break="\n")
    assert words == "Cell with\n\u2022 A Bullet list"


# Item 6: details in the body; notes in contacts tables ---------------------------------------

def test_leaflet_details_in_the_body_are_read(inputs, tmp_path):
    _, _, written = imported(inputs["allergy"], tmp_path)
    front, _, body = written.partition("\n---\n")
    for line in ("code: IMM-014", 'version: "3"', "published: 2024-06-DD",
                 "review: 2026-06-DD", "owner: the Allergy Clinic"):
        assert line in front, line
    assert "Leaflet code" not in body
    _, _, written = imported(inputs["feeding"], tmp_path / "web")
    front, _, body = written.partition("\n---\n")
    for line in ("code: NUT-031", "published: 2024-10-02", "review: 2026-10-02"):
        assert line in front, line
    assert "reviewed" not in body


def test_contacts_tables_tolerate_notes_in_cells(inputs, tmp_path):
    _, _, written = imported(inputs["allergy"], tmp_path)
    assert "::: contacts\n- name: Allergy Clinic\n  phone: 0114 496 0404\n  hours: 24 hours\n" \
           "- name: Appointments\n  phone: 0114 496 0405\n- name: Out of hours\n" \
           "  about: NHS\n  phone: '111'\n:::" in written


# Item 7: check, DOIs, the spelling language, Strict OOXML ----------------------------------

def test_check_warns_about_empty_sections_and_a_heading_repeating_the_title(tmp_path):
    text = ("---\ntitle: Falls\norganisation: Example NHS Trust\nlanguage: en-GB\n"
            "published: 2024-01-01\nreview: 2030-01-01\n---\n\n# Falls\n\nKeep the stairs "
            "clear.\n\n# Gastrostomy care\n\n# Contact us\n\nAsk the ward.\n")
    leaflet = source.parse_text(text, "l.md", tmp_path, "falls")
    said = [p.message for p in sections.problems(leaflet)]
    assert said == ["the section heading 'Falls' repeats the leaflet's title: remove it, or "
                    "give the section a heading of its own",
                    "the section 'Gastrostomy care' is empty: write what belongs under it, or "
                    "remove the heading"]
    root = tmp_path / "lib"
    (root / "leaflet_src" / "falls").mkdir(parents=True)
    (root / "leaflet_src" / "falls" / "leaflet.md").write_text(text, encoding="utf-8")
    result = run_leaflet("check", "falls", cwd=root)
    assert "the section 'Gastrostomy care' is empty" in result.stderr


def test_a_doi_is_not_a_phone_number(tmp_path):
    page = tmp_path / "refs.html"
    page.write_text("<html lang='en-GB'><body><main><h1>Refs</h1><p>Smith J. Arch Dis Child."
                    " doi:10.1136/0191445208 and https://doi.org/10.1002/01914452080</p>"
                    "</main></body></html>", encoding="utf-8")
    report = import_files(empty_library(tmp_path / "lib"), [page])
    said = "\n".join(str(p) for p in report.problems)
    assert "phone" not in said and "area code" not in said, said


def test_the_spelling_language_message_names_the_words_language(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Falls", 1)
    document.add_paragraph("Keep the stairs clear.")
    document.save(str(tmp_path / "falls.docx"))
    report = import_files(empty_library(tmp_path / "lib"), [tmp_path / "falls.docx"])
    said = "\n".join(str(p) for p in report.problems)
    assert "the Word file's spelling language is en-US;" in said
    assert "en-GB was chosen (pass --language en-US" in said


def test_a_strict_ooxml_file_is_one_line_not_a_key_error(tmp_path):
    path = tmp_path / "strict.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", '<w:document xmlns:w="http://purl.oclc.org/'
                         'ooxml/wordprocessingml/main"><w:body/></w:document>')
    result = run_leaflet("import", "strict.docx", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == ("strict.docx: this Word file is saved as 'Strict Open "
                                     "XML', which cannot be read: open it in Word and save it "
                                     "as 'Word Document (.docx)'")


# A whole folder at once ------------------------------------------------------------------------

@pytest.mark.slow  # a whole build or process: the full tier
def test_a_folder_imports_in_one_command_with_one_table_and_skips_what_was_imported(
        inputs, tmp_path):
    folder = tmp_path / "library-to-import"
    (folder / "web").mkdir(parents=True)
    for name in ("typed", "styled", "allergy"):
        (folder / inputs[name].name).write_bytes(inputs[name].read_bytes())
    (folder / "web" / "feeding.html").write_bytes(inputs["feeding"].read_bytes())
    (folder / "~$typed.docx").write_bytes(b"lock")
    root = tmp_path / "lib"
    empty_library(root)
    first = run_leaflet("import", str(folder), cwd=root)
    lines = first.stdout.strip().split("\n")
    assert lines[0].split() == ["file", "slug", "words", "kept", "words", "listed", "problems"]
    rows = {line.split()[0].rsplit("/", 1)[-1]: line.split() for line in lines[2:-1]}
    assert set(rows) == {"typed.docx", "styled.docx", "allergy.docx", "feeding.html"}
    assert rows["allergy.docx"][1:4] == ["your-allergy-skin-test", "159", "20"]
    assert rows["feeding.html"][1:4] == ["feeding-through-a-tube", "79", "45"]
    # two files with the same title: the second is named after its file, never overwritten
    assert {rows["typed.docx"][1], rows["styled.docx"][1]} == {"having-a-ct-scan", "typed"}
    assert lines[-1].startswith("4 files: 4 imported, 0 imported before (skipped), 0 refused; ")
    for slug in ("your-allergy-skin-test", "feeding-through-a-tube", "typed"):
        assert (root / "leaflet_src" / slug / "import-report.md").is_file()
    again = run_leaflet("import", str(folder), cwd=root)
    assert again.stdout.strip().split("\n")[-1].startswith(
        "4 files: 0 imported, 4 imported before (skipped), 0 refused; 0 words kept")
    assert again.stdout.count("imported before") == 5


@pytest.mark.slow  # a whole build or process: the full tier
def test_a_folder_of_the_hidden_style_files_imports_in_one_command_with_the_table(
        inputs, tmp_path):
    """The trust-made files (hidden text, text boxes, struck and deleted words, collapsed
    accordions) and a hostile one, in one folder: one command, one row each."""
    trust, attacks = import_fixture("make_trust"), import_fixture("make_attacks")
    folder = tmp_path / "trust-files"
    (folder / "web").mkdir(parents=True)
    files = {"allergy.docx": inputs["allergy"], "struck.docx": inputs["struck"],
             "typed.docx": inputs["typed"], "web/feeding.html": inputs["feeding"],
             "web/accordion.html": inputs["accordion"]}
    for name, path in files.items():
        (folder / name).write_bytes(path.read_bytes())
    (folder / "web" / "leg-care.html").write_text(attacks.page_with_void("img"),
                                                  encoding="utf-8")
    attacks.bomb_by_ratio(folder / "bomb.docx")
    root = tmp_path / "lib"
    empty_library(root)
    result = run_leaflet("import", str(folder), cwd=root)
    assert result.returncode == 1, result.stderr  # the bomb is refused
    assert "Traceback" not in result.stderr
    lines = result.stdout.strip().split("\n")
    assert re.split(r"\s{2,}", lines[0]) == ["file", "slug", "words kept", "words listed",
                                             "problems"]
    assert set(lines[1]) == {"-", " "}
    rows = {Path(cells[0]).relative_to(folder).as_posix(): cells[1:]
            for cells in (re.split(r"\s{2,}", line.strip()) for line in lines[2:-1])}
    assert list(rows) == sorted(rows)  # in the folder's order
    slugs = {"allergy.docx": "your-allergy-skin-test", "struck.docx": "your-blood-test",
             "typed.docx": "having-a-ct-scan", "web/accordion.html": "feeding-through-a-tube",
             "web/feeding.html": "feeding",  # the same title, second: named after its file
             "web/leg-care.html": "leg-care"}
    kept = listed = 0
    for name, slug in slugs.items():
        alone = import_files(empty_library(tmp_path / "alone" / slug), [folder / name]).accounts[0]
        assert alone.balanced
        assert rows[name] == [slug, str(alone.kept), str(alone.listed), str(alone.problems)], name
        assert (root / "leaflet_src" / slug / "import-report.md").is_file()
        kept, listed = kept + alone.kept, listed + alone.listed
    assert rows["bomb.docx"] == ["-", "-", "-", "refused (1)"]
    refusals = [line for line in result.stderr.split("\n")
                if line.startswith(str(folder / "bomb.docx"))]
    assert len(refusals) == 1 and "warning" not in refusals[0]
    assert not (root / "leaflet_src" / "bomb").exists()
    assert lines[-1] == (f"7 files: 6 imported, 0 imported before (skipped), 1 refused; "
                         f"{kept} words kept, {listed} left out and listed in each leaflet's "
                         "import-report.md")
    # hidden and collapsed content is content; struck and deleted words are listed
    allergy = (root / "leaflet_src" / "your-allergy-skin-test" / "leaflet.md").read_text(
        encoding="utf-8")
    assert trust.HIDDEN in " ".join(allergy.split())
    said = (root / "leaflet_src" / "your-allergy-skin-test" / "import-report.md").read_text(
        encoding="utf-8")
    assert trust.STRUCK in said and trust.DELETED in said
    feeding = (root / "leaflet_src" / "feeding" / "leaflet.md").read_text(
        encoding="utf-8")
    assert "Check the pH of the stomach contents before every feed." in feeding
    assert attacks.SENTENCE in (root / "leaflet_src" / "leg-care" / "leaflet.md").read_text(
        encoding="utf-8")
