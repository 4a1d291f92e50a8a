"""Plain-English checks (`leaflet check`) and their report page (`leaflet check --report`)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO, run_leaflet

DENSE = REPO / "tests" / "fixtures" / "plain" / "dense.md"
REL = "leaflet_src/gi/leaflet.md"


def dense_library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    (root / "leaflet_src" / "gi").mkdir(parents=True)
    shutil.copy(DENSE, root / REL)
    return root


def warnings_at(stderr: str, line: int) -> list[str]:
    return [w for w in stderr.splitlines() if w.startswith(f"{REL}:{line}: warning: ")]


def test_dense_clinical_english_gets_each_warning_with_its_line(tmp_path):
    root = dense_library(tmp_path)
    result = run_leaflet("--root", str(root), "check")
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert re.search(rf"{REL}:1: warning: the leaflet reads at age 1[4-9] \(SMOG grade", err)
    assert any("section \"Before your colonoscopy\" reads at age" in w
               for w in warnings_at(err, 12))
    line14 = warnings_at(err, 14)
    assert any("'commence' has a plainer alternative: start" in w for w in line14)
    assert any("'prior to' has a plainer alternative: before" in w for w in line14)
    assert any("this sentence has 38 words; plain English keeps to 25" in w for w in line14)
    assert any("'sufficient' has a plainer alternative: enough" in w
               for w in warnings_at(err, 16))
    assert any("'administered' has a plainer alternative: given" in w
               for w in warnings_at(err, 19))
    assert any("this paragraph has 7 sentences" in w for w in warnings_at(err, 19))
    assert any("'prior to'" in w for w in warnings_at(err, 20))  # every use, at its line
    assert any("'anaesthetic' is a medical term, not explained" in w
               for w in warnings_at(err, 22))
    assert any("'cannula' is a medical term" in w for w in warnings_at(err, 23))
    assert "biopsy" not in err  # explained in the bracket after it
    assert "After the test" not in err  # one short sentence: too short to measure
    strict = run_leaflet("--root", str(root), "check", "--strict")
    assert strict.returncode == 1
    assert re.search(r"0 errors, \d+ warnings \(warnings count as errors", strict.stderr)


def test_plain_text_passes(tmp_path):
    root = dense_library(tmp_path)
    source = root / REL
    text = source.read_text(encoding="utf-8").split("# Before your colonoscopy")[0]
    source.write_text(text + "# Before your test\n\nStart the drink the day before. Drink lots "
                      "of water. Stop iron tablets a week before.\n\nA cannula (a thin tube in "
                      "your arm) is put in.\n", encoding="utf-8")
    result = run_leaflet("--root", str(root), "check", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_target_and_the_word_lists_are_the_librarys(tmp_path):
    root = dense_library(tmp_path)
    (root / "leaflet.yaml").write_text("reading_age: 21\n", encoding="utf-8")
    (root / "theme").mkdir()
    (root / "theme" / "plain-words.yaml").write_text(
        "words:\n  colonoscopy: camera test of the bowel\nterms:\n  - endoscopy\n",
        encoding="utf-8")
    err = run_leaflet("--root", str(root), "check").stderr
    assert "reads at age" not in err  # 21 is past it
    assert any("'colonoscopy' has a plainer alternative: camera test of the bowel" in w
               for w in warnings_at(err, 12))
    assert any("'endoscopy' is a medical term" in w for w in warnings_at(err, 15))


def test_the_librarys_settings_are_validated_with_their_lines(tmp_path):
    root = dense_library(tmp_path)
    (root / "leaflet.yaml").write_text("reading_age: 3\n", encoding="utf-8")
    (root / "theme").mkdir()
    (root / "theme" / "plain-words.yaml").write_text("words:\n  commence: start\n"
                                                     "terms: [ok, '']\nplainer: x\n",
                                                     encoding="utf-8")
    result = run_leaflet("--root", str(root), "check")
    assert result.returncode == 1
    assert "leaflet.yaml:1: 'reading_age' must be the reading age" in result.stderr
    assert "theme/plain-words.yaml:3: 'terms' must be a list of medical terms" in result.stderr
    assert "theme/plain-words.yaml:4: unknown setting 'plainer'" in result.stderr


def test_a_glossary_explains_its_terms(tmp_path):
    root = dense_library(tmp_path)
    with (root / REL).open("a", encoding="utf-8") as source:
        source.write("\n# Words we use\n\n- **Cannula**: a thin tube put into a vein.\n")
    err = run_leaflet("--root", str(root), "check").stderr
    assert "'cannula'" not in err.lower()
    assert "'anaesthetic' is a medical term" in err


def test_the_tools_word_list_is_valid_and_plain():
    from leaflet.checks import plain

    words = plain.tool_words()
    assert 60 <= len(words) <= 90
    assert words["commence"] == "start" and words["prior to"] == "before"
    assert words["administer"] == "give"
    assert all(len(plainer.split(",")[0].split()) <= 3 for plainer in words.values())


def test_passive_sentences_are_counted_not_warned():
    from leaflet.checks import plain

    assert plain.PASSIVE.search("The preparation will be administered by the nurse.")
    assert plain.PASSIVE.search("Your details are checked on arrival.")
    assert not plain.PASSIVE.search("The nurse gives you the drink.")


def test_other_languages_are_measured_where_textstat_can(tmp_path):
    from leaflet.checks import plain

    german = "Die Patienten müssen die Vorbereitung vor dem Eingriff beginnen. " * 4
    age, measures = plain.reading_age(german, "de-DE")
    assert age > 5 and "Wiener Sachtextformel" in measures
    assert plain.reading_age("To jest zdanie.", "pl") is None  # no calibrated formula
    assert plain.measurable("es") and not plain.measurable("bn")


def test_the_report_page_is_written_and_self_contained(tmp_path):
    root = dense_library(tmp_path)
    result = run_leaflet("--root", str(root), "check", "--report")
    assert "wrote build/reports/gi.plain-english.html" in result.stdout
    assert re.search(r"reading age 1\d \(target 11\); \d+ of \d+ sentences passive",
                     result.stdout)
    page = (root / "build" / "reports" / "gi.plain-english.html").read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page.replace("https://", "")
    assert '<mark class="plain">commence</mark><span class="note"> (plainer: start)' in page
    assert '<mark class="term">cannula</mark>' in page
    assert "[Long sentence, 38 words:]" in page
    assert 'role="img" aria-label="Reading age 1' in page


def test_the_report_page_passes_axe_and_works_from_the_keyboard(tmp_path, browser):
    from test_browser import axe_violations

    root = dense_library(tmp_path)
    run_leaflet("--root", str(root), "check", "--report")
    page_file = root / "build" / "reports" / "gi.plain-english.html"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        assert axe_violations(page) == []
        assert page.locator("main").count() == 1 and page.locator("h1").count() == 1
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent").startswith("Skip")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "text"
        first = page.locator("section[aria-labelledby=found] ol a").first
        first.focus()
        page.keyboard.press("Enter")
        target = page.evaluate("document.activeElement.id")
        assert target.startswith("s") and page.locator(f"#{target}").is_visible()
    finally:
        context.close()
