"""Acceptance is the reviewer's record: `leaflet review --accept` writes each accepted finding
to reviews.yaml by the hashes of its msgid and msgstr and the values accepted; a flag a
translator types into the catalog accepts nothing; and acceptances and sign-offs survive what
translators' tools do to a catalog (GNU msgcat and msgmerge, polib, Babel, an XLIFF round trip
through translate-toolkit)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
import yaml

from conftest import SAMPLE_SLUG as SLUG
from conftest import run_leaflet
from test_translation_safety import DOSE, POLISH, catalog, line_of, sample, set_msgstr, where

ACCEPTED_DOSE = POLISH[DOSE].replace("dwa razy dziennie", "rano i wieczorem")
TOOLS = Path(sys.executable).parent


def leaflet(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_leaflet("--root", str(root), *args, check=check)


def reviews(root: Path, lang: str = "pl") -> list[dict]:
    return yaml.safe_load((root / "locales" / lang / "reviews.yaml").read_text())[f"{SLUG}.po"]


def accept_dose(root: Path) -> None:
    leaflet(root, "review", "-l", "pl", SLUG, "--by", "Ada Lovelace", "--role",
            "clinical translator", "--accept", str(line_of(root, DOSE)))


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Path:
    """The sample with the dose messages, "twice a day" translated "morning and evening",
    accepted by the reviewer and signed off."""
    root = sample(tmp_path_factory.mktemp("reviewed"), extra=True)
    set_msgstr(root, DOSE, ACCEPTED_DOSE)
    accept_dose(root)
    return root


def copy_of(reviewed: Path, tmp_path: Path) -> Path:
    root = tmp_path / "library"
    shutil.copytree(reviewed, root)
    return root


def test_the_record_names_hashes_and_values_not_the_texts(reviewed):
    record = reviews(reviewed)[-1]
    (accepted,) = record["accepted"]
    assert accepted["msgid"].startswith("sha256:") and accepted["msgstr"].startswith("sha256:")
    assert accepted["msgid"] != accepted["msgstr"]
    assert accepted["finding"] == "amount"
    assert accepted["values"] == ['"twice" (2 times)', ""]
    assert "rano i wieczorem" not in (reviewed / "locales" / "pl" / "reviews.yaml").read_text()
    assert "leaflet-accept" not in catalog(reviewed).read_text(encoding="utf-8")


def test_a_translators_flag_accepts_nothing_and_is_shown_as_a_request(tmp_path):
    root = sample(tmp_path, extra=True)
    set_msgstr(root, DOSE, POLISH[DOSE].replace("5 mg", "50 mg"), flags=("leaflet-accept",))
    result = leaflet(root, "check", "-l", "pl", check=False)
    assert result.returncode == 1
    assert where(root, DOSE) + 'the amount "5 mg" is "50 mg" in the translation' in result.stderr
    assert "'#, leaflet-accept' flag asks the reviewer to accept it" in result.stderr
    signed = leaflet(root, "review", "-l", "pl", SLUG, "--by", "Ada Lovelace", "--role",
                     "translator", check=False)
    assert signed.returncode == 1 and "50 mg" in signed.stderr
    assert not (root / "locales" / "pl" / "reviews.yaml").exists()


@pytest.mark.parametrize("change", [
    ("5 mg", "50 mg"),  # the accepted message changes a value
    ("Przyjmuj", "Bierz"),  # a word changes: the reviewer has not seen this msgstr
])
def test_a_later_change_to_an_accepted_msgstr_is_a_new_finding(reviewed, tmp_path, change):
    root = copy_of(reviewed, tmp_path)
    set_msgstr(root, DOSE, ACCEPTED_DOSE.replace(*change))
    result = leaflet(root, "check", "-l", "pl", check=False)
    assert result.returncode == 1
    assert where(root, DOSE) + 'the amount "twice" (2 times) is missing from the translation' \
        in result.stderr
    assert "accepted by the reviewer" not in result.stderr
    assert "DRAFT" in leaflet(root, "stats", "-l", "pl", check=False).stdout


def test_an_acceptance_names_a_message_with_something_to_accept(reviewed, tmp_path):
    root = copy_of(reviewed, tmp_path)
    lines = catalog(root).read_text(encoding="utf-8").split("\n")
    title = next(n for n, line in enumerate(lines, 1) if line.startswith("msgstr \"Wtórny"))
    result = leaflet(root, "review", "-l", "pl", SLUG, "--by", "Ada Lovelace", "--role",
                     "translator", "--accept", str(title), check=False)
    assert result.returncode == 1
    assert f"pl/{SLUG}.po:{title}: --accept names a message with nothing to accept" \
        in result.stderr
    assert len(reviews(root)) == 1


def test_a_new_sign_off_keeps_an_acceptance_still_in_force(reviewed, tmp_path):
    root = copy_of(reviewed, tmp_path)
    leaflet(root, "review", "-l", "pl", SLUG, "--by", "Grace Hopper", "--role", "nurse")
    first, second = reviews(root)
    assert second["accepted"][0]["msgstr"] == first["accepted"][0]["msgstr"]
    assert leaflet(root, "check", "-l", "pl").returncode == 0


def msgcat(path: Path, _template: Path) -> None:
    subprocess.run(["msgcat", str(path), "-o", str(path)], check=True)


def msgmerge(path: Path, template: Path) -> None:
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(path), str(path),
                    str(template)], check=True)


def polib_save(path: Path, _template: Path) -> None:
    polib.pofile(str(path)).save(str(path))


def babel(path: Path, _template: Path) -> None:
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as handle:
        messages = read_po(handle)
    with path.open("wb") as handle:
        write_po(handle, messages, width=76)


def xliff(path: Path, _template: Path) -> None:
    xlf = path.with_suffix(".xlf")
    subprocess.run([str(TOOLS / "po2xliff"), "--progress=none", str(path), str(xlf)],
                   check=True, capture_output=True)
    path.unlink()
    subprocess.run([str(TOOLS / "xliff2po"), "--progress=none", str(xlf), str(path)],
                   check=True, capture_output=True)
    xlf.unlink()


@pytest.mark.parametrize("tool", [msgcat, msgmerge, polib_save, babel, xliff],
                         ids=["msgcat", "msgmerge", "polib", "babel", "xliff"])
def test_acceptance_and_sign_off_survive_a_translators_tools(reviewed, tmp_path, tool):
    root = copy_of(reviewed, tmp_path)
    template = root / "locales" / "templates" / f"{SLUG}.pot"
    tool(catalog(root), template)
    result = leaflet(root, "check", "-l", "pl", check=False)
    assert result.returncode == 0, result.stderr
    assert where(root, DOSE) + 'warning: accepted by the reviewer: the amount "twice" (2 ' \
        'times) is missing from the translation' in result.stderr
    assert "signed off by Ada Lovelace (clinical translator)" in \
        leaflet(root, "stats", "-l", "pl").stdout
    out = tmp_path / "out"
    leaflet(root, "build", "-f", "text", "-l", "pl", "-o", str(out))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [a["draft"] for a in manifest["artifacts"]
            if a["lang"] == "pl" and a["edition"] == "standard"] == [False]


def test_a_record_written_before_acceptances_moved_keeps_its_sign_off(tmp_path):
    root = sample(tmp_path)
    leaflet(root, "review", "-l", "pl", SLUG, "--by", "Ada Lovelace", "--role", "translator")
    path = root / "locales" / "pl" / "reviews.yaml"
    data = yaml.safe_load(path.read_text())
    from leaflet.i18n import read_catalog, signoff
    from leaflet.library import Library
    library = Library(root)
    po = read_catalog(catalog(root), f"locales/pl/{SLUG}.po")
    data[f"{SLUG}.po"][-1]["messages"] = signoff._hash(sorted(
        signoff._message_items(po, legacy=True)))
    data[f"{SLUG}.po"][-1]["accepted"] = ["line 12: accepted by the reviewer: an old line"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert signoff.signed_off(library, po) is not None
    assert leaflet(root, "check", "-l", "pl").returncode == 0
