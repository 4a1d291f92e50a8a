"""Approval of a leaflet's source (`leaflet approve`): the record, the kept text, and the
"awaiting approval" state in list, the index page, every footer and `build --strict`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

from conftest import SAMPLE_SLUG, edit_sample, library_copy, run_leaflet

SOURCE = f"leaflet_src/{SAMPLE_SLUG}/leaflet.md"
APPROVALS = f"leaflet_src/{SAMPLE_SLUG}/approvals.yaml"


def built_file(root: Path, fmt: str) -> Path:
    entries = json.loads((root / "build" / "manifest.json").read_text())["artifacts"]
    entry = next(e for e in entries if e["format"] == fmt and e["lang"] == "en-GB"
                 and e["edition"] == "standard")
    return root / "build" / entry["path"]


def test_a_library_without_approvals_is_never_awaiting(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    edit_sample(root, "the blood or lymph", "blood or lymph")
    assert "awaiting approval" not in run_leaflet("--root", str(root), "list").stdout
    assert "approv" not in run_leaflet("--root", str(root), "check").stderr


def test_approve_records_who_which_version_and_the_text(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    result = run_leaflet("--root", str(root), "approve", SAMPLE_SLUG, "--by", "Dr A Lee",
                         "--role", "clinical lead")
    assert result.returncode == 0, result.stderr
    assert f"{APPROVALS}: version 1 approved by Dr A Lee (clinical lead)" in result.stdout
    records = yaml.safe_load((root / APPROVALS).read_text())["approvals"]
    assert [(r["version"], r["by"], r["role"]) for r in records] == \
        [("1", "Dr A Lee", "clinical lead")]
    import hashlib
    assert records[0]["sha256"] == hashlib.sha256((root / SOURCE).read_bytes()).hexdigest()
    kept = root / f"leaflet_src/{SAMPLE_SLUG}/approved/1.md"
    assert kept.read_bytes() == (root / SOURCE).read_bytes()
    assert "approv" not in run_leaflet("--root", str(root), "check").stderr
    assert "awaiting" not in run_leaflet("--root", str(root), "list").stdout


def test_an_edited_source_is_awaiting_approval_in_list_index_and_footers(sample_library,
                                                                         tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    run_leaflet("--root", str(root), "approve", SAMPLE_SLUG, "--by", "Dr A Lee", "--role",
                "clinical lead", check=True)
    edit_sample(root, 'version: "1"', 'version: "4"')
    edit_sample(root, "the blood or lymph", "blood or lymph")
    listed = run_leaflet("--root", str(root), "list").stdout
    assert "version 4 awaiting approval" in listed
    checked = run_leaflet("--root", str(root), "check").stderr
    assert f"{SOURCE}:1: warning: the text changed after version 1 was approved" in checked
    assert "did not: raise the version" not in checked  # it was raised
    run_leaflet("--root", str(root), "build", "-f", "text", "-f", "pdf", "-e", "standard",
                "-l", "en-GB", "-l", "pl", check=True)
    text = built_file(root, "text").read_text(encoding="utf-8")
    assert "Version: 4 (awaiting approval)" in text
    pdf = subprocess.run(["pdftotext", str(built_file(root, "pdf")), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "Version: 4 (awaiting approval)" in " ".join(pdf.split())
    index = (root / "build" / "index.html").read_text(encoding="utf-8")
    assert '<span class="label">Version: </span>4 (awaiting approval)' in index
    polish = [p for p in (root / "build" / SAMPLE_SLUG / "pl").glob("*.txt")][0]
    assert "(oczekuje na zatwierdzenie)" in polish.read_text(encoding="utf-8")

    strict = run_leaflet("--root", str(root), "build", "--strict", "-f", "text", "-l", "en-GB")
    assert strict.returncode == 1
    assert f"{SOURCE}:1: the text changed after its last approval: --strict" in strict.stderr

    run_leaflet("--root", str(root), "approve", SAMPLE_SLUG, "--by", "P Shah", "--role",
                "patient information manager", check=True)
    assert "awaiting" not in run_leaflet("--root", str(root), "list").stdout
    run_leaflet("--root", str(root), "build", "-f", "text", "-e", "standard", "-l", "en-GB",
                check=True)
    assert "Version: 4\n" in built_file(root, "text").read_text(encoding="utf-8")
    assert (root / f"leaflet_src/{SAMPLE_SLUG}/approved/4.md").is_file()


def test_changing_the_text_without_raising_the_version_is_a_warning(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    run_leaflet("--root", str(root), "approve", SAMPLE_SLUG, "--by", "Dr A Lee", "--role",
                "clinical lead", check=True)
    edit_sample(root, "the blood or lymph", "blood or lymph")
    checked = run_leaflet("--root", str(root), "check").stderr
    assert f"{SOURCE}:1: warning: the text changed but 'version: 1' did not" in checked
    again = run_leaflet("--root", str(root), "approve", SAMPLE_SLUG, "--by", "Dr A Lee",
                        "--role", "clinical lead")
    assert again.returncode == 1 and "raise 'version:' before approving" in again.stderr


def test_approvals_yaml_is_validated_with_its_lines(sample_library, tmp_path):
    root = library_copy(tmp_path / "library", sample_library)
    (root / APPROVALS).write_text("approvals:\n- version: '1'\n  by: Dr A Lee\n  role: lead\n"
                                  "  date: yesterday\n  sha256: abc\n", encoding="utf-8")
    result = run_leaflet("--root", str(root), "check")
    assert result.returncode == 1
    assert f"{APPROVALS}:5: 'date: yesterday' is not a date and time" in result.stderr
    assert f"{APPROVALS}:6: 'sha256' must be the 64 hexadecimal digits" in result.stderr
