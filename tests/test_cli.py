"""The `leaflet` command: build, check, list and new, as the maintainer of a library uses them."""

from __future__ import annotations

import json
import shutil

from conftest import run_leaflet, spawn_leaflet


def copy_library(sample_library, tmp_path):
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    return root


def test_build_one_leaflet_one_format_writes_the_documented_path(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    result = run_leaflet("--root", str(root), "build", "secondary-breast-cancer", "-f", "text",
                         "-e", "standard", "-l", "en-GB", check=True)
    target = root / "build/secondary-breast-cancer/en-GB/secondary-breast-cancer.en-GB.txt"
    assert target.is_file()
    manifest = json.loads((root / "build" / "manifest.json").read_text())
    [entry] = manifest["artifacts"]
    assert entry["path"] == "secondary-breast-cancer/en-GB/secondary-breast-cancer.en-GB.txt"
    assert entry["bytes"] == target.stat().st_size
    assert set(entry) >= {"leaflet", "lang", "format", "edition", "size_pt", "path", "sha256",
                          "bytes", "seconds", "key", "title", "review", "draft"}
    assert "1 built" in result.stdout


def test_a_leaflet_named_by_its_folder(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    run_leaflet("build", "leaflet_src/secondary-breast-cancer", "-f", "text", "-l", "en-GB",
                cwd=root, check=True)
    assert (root / "build/secondary-breast-cancer/en-GB/secondary-breast-cancer.en-GB.txt").exists()


def test_unknown_leaflet_format_and_language_are_one_line_errors(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    for args, words in [(["build", "no-such-leaflet"], "no leaflet called 'no-such-leaflet'"),
                        (["build", "-f", "rtf"], "unknown format 'rtf'"),
                        (["build", "-l", "tlh"], "no catalog for language 'tlh'")]:
        result = run_leaflet("--root", str(root), *args)
        assert result.returncode == 1, args
        assert words in result.stderr
        assert "Traceback" not in result.stderr


def test_a_broken_source_keeps_what_was_built(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    run_leaflet("--root", str(root), "build", "-f", "text", "-e", "standard", "-l", "en-GB",
                check=True)
    target = root / "build/secondary-breast-cancer/en-GB/secondary-breast-cancer.en-GB.txt"
    before = target.read_bytes()
    source = root / "leaflet_src/secondary-breast-cancer/leaflet.md"
    source.write_text(source.read_text().replace("review: 2027-01-06", "review: 2027-02-30"))
    result = run_leaflet("--root", str(root), "build", "-f", "text", "-e", "standard", "-l",
                         "en-GB")
    assert result.returncode == 1
    assert "leaflet_src/secondary-breast-cancer/leaflet.md:10: 'review: 2027-02-30' is not a " \
           "real date" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == before
    manifest = json.loads((root / "build" / "manifest.json").read_text())
    assert [e["path"] for e in manifest["artifacts"]] == [
        "secondary-breast-cancer/en-GB/secondary-breast-cancer.en-GB.txt"]


def test_new_writes_a_leaflet_that_checks_and_never_overwrites(tmp_path):
    result = run_leaflet("--root", str(tmp_path), "new", "ct-scan", check=True)
    created = tmp_path / "leaflet_src" / "ct-scan" / "leaflet.md"
    assert created.is_file() and "wrote leaflet_src/ct-scan/leaflet.md" in result.stdout
    run_leaflet("--root", str(tmp_path), "check", "ct-scan", check=True)
    created.write_text(created.read_text() + "\nMy own words.\n")
    again = run_leaflet("--root", str(tmp_path), "new", "ct-scan")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert "My own words." in created.read_text()
    bad = run_leaflet("--root", str(tmp_path), "new", "CT Scan!")
    assert bad.returncode == 1 and "lower-case letters" in bad.stderr


def test_list_shows_code_languages_and_review(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    result = run_leaflet("--root", str(root), "list", check=True)
    line = next(l for l in result.stdout.splitlines() if l.startswith("secondary-breast-cancer"))
    assert "SAMPLE-ONC-001" in line and "en-GB" in line and "2027-01-06" in line
    source = root / "leaflet_src/secondary-breast-cancer/leaflet.md"
    text = source.read_text().replace("published: 2025-01-06", "published: 2020-01-06")
    source.write_text(text.replace("review: 2027-01-06", "review: 2021-01-06"))
    overdue = run_leaflet("--root", str(root), "list", check=True)
    assert "2021-01-06 OVERDUE" in overdue.stdout


def test_check_counts_warnings_and_strict_makes_them_fail(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    source = root / "leaflet_src/secondary-breast-cancer/leaflet.md"
    source.write_text(source.read_text().replace("code: SAMPLE-ONC-001", "code: X\ncolour: red"))
    result = run_leaflet("--root", str(root), "check")
    assert result.returncode == 0
    assert "leaflet.md:8: warning: unknown field 'colour'" in result.stderr
    # the sample's own warnings are plain English (it reads above the target reading age)
    counted = result.stderr.count(": warning: ")
    assert counted >= 1 and f"no errors, {counted} warning" in result.stdout
    assert "no problems found" not in result.stdout
    strict = run_leaflet("--root", str(root), "check", "--strict")
    assert strict.returncode == 1 and f"0 errors, {counted} warning" in strict.stderr


def test_folders_that_are_not_leaflets_or_languages_are_ignored(sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    (root / "leaflet_src" / "broken" / "leaflet.md").mkdir(parents=True)
    shutil.copytree(root / "locales" / "pl", root / "locales" / "backup")
    result = run_leaflet("--root", str(root), "list", check=True)
    assert "broken" not in result.stdout and "backup" not in result.stdout
    assert "pl" in result.stdout


def test_one_error_handler_serves_every_command_and_debug_shows_the_traceback(
        sample_library, tmp_path):
    root = copy_library(sample_library, tmp_path)
    for args in (["check", "no-such"], ["build", "no-such"], ["easy-read", "scaffold", "no-such"],
                 ["review", "no-such", "-l", "pl", "--by", "A Tester, nurse"]):
        plain = run_leaflet("--root", str(root), *args)
        assert plain.returncode == 1, args
        assert plain.stderr.startswith("no-such: no leaflet called 'no-such' in leaflet_src/")
        assert "Traceback" not in plain.stderr
        # the traceback as Python itself prints it, from a process of its own
        debug = spawn_leaflet("--root", str(root), "--debug", *args)
        assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr
        assert "LeafletError: no-such: no leaflet called 'no-such'" in debug.stderr
