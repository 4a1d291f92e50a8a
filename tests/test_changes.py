"""The changes report for the approval group (`leaflet changes`): what changed since the
last approved version or a git revision, numbers and doses first, stale translations
named, the page accessible."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import SAMPLE_SLUG, edit_sample, library_copy, run_leaflet

SOURCE = f"leaflet_src/{SAMPLE_SLUG}/leaflet.md"
PAGE = f"build/reports/{SAMPLE_SLUG}.changes.html"
DOSE = "Take 500 mg of paracetamol up to 4 times a day."
ANCHOR = "stage 4 breast cancer."


def approve(root: Path) -> None:
    run_leaflet("--root", str(root), "approve", SAMPLE_SLUG, "--by", "Dr A Lee", "--role",
                "clinical lead", check=True)


def changes(root: Path, *args: str) -> tuple[str, str]:
    result = run_leaflet("--root", str(root), "changes", SAMPLE_SLUG, *args)
    assert result.returncode == 0, result.stderr
    assert f"wrote {PAGE}" in result.stdout
    return result.stdout, (root / PAGE).read_text(encoding="utf-8")


def section(page: str, heading_id: str) -> str:
    """The page's section whose heading has this id."""
    start = page.index(f'<section aria-labelledby="{heading_id}">')
    return page[start:page.index("</section>", start)]


def dose_library(sample_library: Path, tmp_path: Path) -> Path:
    """The sample with a dose in it, approved as version 1."""
    root = library_copy(tmp_path / "library", sample_library)
    edit_sample(root, ANCHOR, f"{ANCHOR}\n\n{DOSE}")
    approve(root)
    edit_sample(root, 'version: "1"', 'version: "2"')
    return root


def test_a_one_dose_edit_lists_the_dose_first(sample_library, tmp_path):
    root = dose_library(sample_library, tmp_path)
    edit_sample(root, "Take 500 mg", "Take 250 mg")
    stdout, page = changes(root)
    assert "changes since version 1, approved by Dr A Lee (clinical lead)" in stdout
    assert "1 block changed, 0 inserted, 0 deleted; 1 number, dose or phone number changed" \
        in stdout
    facts = section(page, "facts")
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", facts)
    assert len(rows) == 1
    kind, before, after = rows[0]
    assert kind == "dose" and "500 mg" in before and "250 mg" in after
    # listed before the translations and the text
    assert page.index('id="facts"') < page.index('id="stale"') < page.index('id="text"')
    text = section(page, "c1")
    assert "Line 24: paragraph" in text
    assert ('Take <del><span class="tag">deleted:</span> 500<span class="visually-hidden"> '
            '(end of deletion)</span></del><ins><span class="tag">inserted:</span> 250'
            '<span class="visually-hidden"> (end of insertion)</span></ins> mg of paracetamol'
            ) in text
    assert "Version</th><td>was 1, now 2" in page
    assert "<script" not in page and "http" not in page  # one file, read offline


def test_an_inserted_sentence_shows_as_inserted(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    approve(root)
    edit_sample(root, ANCHOR, f"{ANCHOR} Your nurse will explain what this means for you.")
    edit_sample(root, "# Who will manage my care?", "# Who will manage my care?\n\nA new paragraph.")
    stdout, page = changes(root)
    assert "1 block changed, 1 inserted, 0 deleted; 0 numbers" in stdout
    changed = section(page, "c1")
    assert "(changed)" in changed and "<del>" not in changed
    assert ('or stage 4 breast cancer. <ins><span class="tag">inserted:</span> Your nurse will '
            'explain what this means for you.<span class="visually-hidden"> (end of insertion)'
            '</span></ins></p>') in changed
    assert changed.count("<ins>") == 1
    added = section(page, "c2")
    assert "paragraph <span class=\"state\">(inserted)</span>" in added
    assert '<ins><span class="tag">inserted:</span> A new paragraph.' in added
    assert "No number, dose, time or phone number changed." in section(page, "facts")


def test_a_changed_phone_number_is_listed_whole(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    approve(root)
    edit_sample(root, "phone: 0191 445 8353", "phone: 0191 445 9999")
    edit_sample(root, "Any personal information", "Your personal information")
    stdout, page = changes(root)
    assert "2 blocks changed" in stdout and "1 number, dose or phone number changed" in stdout
    facts = section(page, "facts")
    assert "<td>phone number</td>" in facts
    assert "0191 445 8353</del>" in facts and "0191 445 9999</ins>" in facts
    contact = section(page, "c1")
    assert "0191 445 <del>" not in contact  # the number shows whole, not its last digits
    assert '<del><span class="tag">deleted:</span> 0191 445 8353<' in contact


def test_a_translation_made_stale_is_named(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    run_leaflet("--root", str(root), "review", SAMPLE_SLUG, "-l", "pl", "--by", "J Nowak",
                "--role", "translator", check=True)
    approve(root)
    edit_sample(root, "the blood or lymph", "the blood or the lymph")
    stdout, page = changes(root)
    assert "stale translations: Arabic (ar, 1 message), Bangla (bn, 1 message), Polish " \
           "(pl, 1 message)" in stdout
    stale = section(page, "stale")
    assert "<strong>Polish</strong> (pl, locales/pl/secondary-breast-cancer.po): 1 changed " \
           "message to translate, 1 not yet in the catalog (run <code>leaflet update -l pl" \
           "</code>). Its sign-off by J Nowak no longer holds." in stale
    assert "Arabic</strong>" in stale and "Arabic</strong> (ar, locales/ar/secondary-breast-" \
        "cancer.po): 1 changed message to translate, 1 not yet in the catalog (run <code>" \
        "leaflet update -l ar</code>).</li>" in stale  # never signed off: nothing voided
    # once the catalog is updated, the message is fuzzy: still stale, and said so
    run_leaflet("--root", str(root), "update", "-l", "pl", check=True)
    stdout, page = changes(root)
    assert "Polish (pl, 1 message)" in stdout
    assert "1 changed message to translate, 1 fuzzy." in section(page, "stale")


def test_a_catalog_that_cannot_be_read_is_named_not_fatal(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    approve(root)
    edit_sample(root, "the blood or lymph", "the blood or the lymph")
    (root / f"locales/bn/{SAMPLE_SLUG}.po").write_text('garbage "\n', encoding="utf-8")
    _, page = changes(root)
    assert f"<strong>Bangla</strong> (bn): its catalog cannot be read, so the changed text " \
           f"cannot be translated yet: locales/bn/{SAMPLE_SLUG}.po:1: this is not a valid PO " \
           "file" in section(page, "stale")


def test_a_change_to_the_front_matter_alone_makes_nothing_stale(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    approve(root)
    edit_sample(root, 'version: "1"', 'version: "2"')
    stdout, page = changes(root)
    assert "0 blocks changed, 0 inserted, 0 deleted" in stdout
    assert "no translation made stale" in stdout
    assert "The text has not changed." in page


def test_since_names_an_approved_version(sample_library, tmp_path):
    root = dose_library(sample_library, tmp_path)
    approve(root)  # version 2, the same text
    edit_sample(root, 'version: "2"', 'version: "3"')
    edit_sample(root, "Take 500 mg", "Take 250 mg")
    stdout, _ = changes(root)
    assert "changes since version 2" in stdout
    stdout, _ = changes(root, "--since", "1")
    assert "changes since version 1, approved by Dr A Lee" in stdout
    result = run_leaflet("--root", str(root), "changes", SAMPLE_SLUG, "--since", "7")
    assert result.returncode == 1
    assert "'7' is not an approved version of secondary-breast-cancer (approved versions: " \
           "1, 2), and the library is not a git repository" in result.stderr


def test_without_an_approval_or_git_there_is_nothing_to_compare(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    result = run_leaflet("--root", str(root), "changes", SAMPLE_SLUG)
    assert result.returncode == 1
    assert f"{SOURCE}: no version of {SAMPLE_SLUG} is approved yet" in result.stderr
    assert "Traceback" not in result.stderr


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", *args], cwd=root, check=True,
                          capture_output=True, text=True).stdout


def test_since_takes_a_git_revision_in_a_library_kept_in_git(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    edit_sample(root, ANCHOR, f"{ANCHOR}\n\n{DOSE}")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "version 1")
    first = git(root, "rev-parse", "HEAD").strip()
    edit_sample(root, "Take 500 mg", "Take 250 mg")
    git(root, "commit", "-q", "-am", "a smaller dose")
    edit_sample(root, "the blood or lymph", "the blood or the lymph")

    stdout, page = changes(root, "--since", first[:10])
    assert f"changes since git revision {first[:10]}: 2 blocks changed" in stdout
    assert "250 mg</ins>" in section(page, "facts")
    stdout, page = changes(root, "--since", "HEAD")
    assert "changes since git revision HEAD: 1 block changed" in stdout
    assert "No number, dose, time or phone number changed." in page
    # without approvals, the last commit is what the text is compared with
    stdout, _ = changes(root)
    assert "changes since the last commit (HEAD)" in stdout

    result = run_leaflet("--root", str(root), "changes", SAMPLE_SLUG, "--since", "no-such-ref")
    assert result.returncode == 1
    assert "'no-such-ref' is neither an approved version" in result.stderr
    assert "nor a git revision of the library" in result.stderr
    result = run_leaflet("--root", str(root), "changes", SAMPLE_SLUG,
                         "--since=--output=x")  # never passed to git as an option
    assert result.returncode == 1 and "is not a version or a git revision" in result.stderr
    assert not (root / "x").exists()


@pytest.mark.browser
def test_the_changes_page_passes_axe_and_works_from_the_keyboard(sample_library, tmp_path,
                                                                 browser):
    from test_browser import axe_violations

    root = dose_library(sample_library, tmp_path)
    edit_sample(root, "Take 500 mg", "Take 250 mg")
    edit_sample(root, "phone: 0191 445 8353", "phone: 0191 445 9999")
    edit_sample(root, "the blood or lymph", "the blood or the lymph")
    changes(root)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((root / PAGE).as_uri())
        assert axe_violations(page) == []
        assert page.locator("main").count() == 1 and page.locator("h1").count() == 1
        # the marks are words, not colour alone: the text read aloud says what changed
        assert "deleted: 500" in page.inner_text("#c2 + p")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent").startswith("Skip")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "text"
    finally:
        context.close()
