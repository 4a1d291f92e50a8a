"""Catalogs written as GNU gettext writes them: `msgcat` on any catalog the tool writes
changes nothing (e-mail and web addresses, quotes, escapes and every script the sample
has included), and `update` dates the revision of a catalog it changes."""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import polib
import pytest

from conftest import REPO
from conftest import SAMPLE_SLUG as SLUG
from conftest import add_to_sample, leaflet, library_copy

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None,
                                reason="msgcat is not installed (apt-get install gettext)")

EMAIL = "sth.anticoagulation@nhs.net"


def msgcat(path) -> str:
    return subprocess.run(["msgcat", str(path)], capture_output=True, text=True,
                          check=True).stdout


def test_every_catalog_the_sample_has_and_the_tool_writes_is_unchanged_by_msgcat(tmp_path):
    root = library_copy(tmp_path / "library")
    leaflet(root, "extract")
    leaflet(root, "update", "-l", "pl", "-l", "ar", "-l", "bn", "-l", "ru",
            "-e", "standard", "-e", "easy-read")
    catalogs = sorted((root / "locales").rglob("*.po*"))
    catalogs += sorted((REPO / "formats" / "locales").rglob("*.po*"))
    assert len(catalogs) >= 16
    for path in catalogs:
        assert msgcat(path) == path.read_text(encoding="utf-8"), path


def test_lines_with_an_e_mail_address_are_wrapped_as_msgcat_wraps_them(tmp_path):
    """gettext may end a line after the "." inside sth.anticoagulation@nhs.net: each
    paragraph puts the address one column further along the line."""
    paragraphs = "".join(f"\n{'Please ' * (n % 3)}{'x' * n} write to the anticoagulation team "
                         f"at {EMAIL} or www.nhs.uk/conditions/anticoagulants/ with any "
                         "question about your dose.\n" for n in range(1, 40))
    root = library_copy(tmp_path / "library")
    add_to_sample(root, paragraphs)
    leaflet(root, "update", "-l", "pl", SLUG, "-e", "standard")
    path = root / "locales" / "pl" / f"{SLUG}.po"
    po = polib.pofile(str(path))
    for entry in po:
        if EMAIL in entry.msgid:
            entry.msgstr = entry.msgid.replace("write to", "napisz do")
    po.save(str(path))
    leaflet(root, "update", "-l", "pl", SLUG, "-e", "standard")
    text = path.read_text(encoding="utf-8")
    assert '"anticoagulation@nhs.net' in text  # some line does break inside the address
    assert msgcat(path) == text
    assert msgcat(root / "locales" / "templates" / f"{SLUG}.pot") == \
        (root / "locales" / "templates" / f"{SLUG}.pot").read_text(encoding="utf-8")


WORDS = [EMAIL, "www.nhs.uk/conditions/x-y", "https://nhs.uk/a?b=c", "37.5", "e.g.", "phone",
         "0191 445 2180", "(see", "page)", "well-being", "5mg/kg", "“quoted”", "don't", "Dr.",
         "N.B.", "...", "…", "—", "–", "3–4", "10:30", "£5.00", "50%", "#1",
         "[link](https://x.org/a.b)", "**bold**", "_it_", "a;b", "a:b", "a!b", "a?b",
         "tel:0800", "U.K.", "café", "zadzwoń", "пример.рф", "اتصل بالرقم", "১২৩ টাকা",
         "日本語", "テスト。", 'say "no"', "a\\b", "tab\there", "x+y", "<x>", "{y}", "a|b",
         "'q'", "1.a", "a.-b", "-x", "x-", "/x", ".x", "«cytat»", "„tak”", "ক্যান্সার"]


@pytest.mark.parametrize("seed", range(4))
def test_random_texts_are_wrapped_as_msgcat_wraps_them(tmp_path, seed):
    from leaflet.i18n.pofile import write_po

    chance = random.Random(seed)
    po = polib.POFile(wrapwidth=78)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for number in range(150):
        text = "".join(chance.choice(WORDS) + chance.choice([" ", " ", " ", "", "\n", "  "])
                       for _ in range(chance.randint(3, 40))).strip(" ")
        entry = polib.POEntry(msgid=f"message {number}", msgstr=text)
        if number % 7 == 0:
            entry.flags = ["fuzzy"]
            entry.previous_msgid = text[::-1]
        po.append(entry)
    path = tmp_path / "random.po"
    path.write_text(write_po(po), encoding="utf-8")
    assert msgcat(path) == path.read_text(encoding="utf-8")


def revision_date(path) -> str:
    return re.search(r'"PO-Revision-Date: ([^"]*)\\n"', path.read_text(encoding="utf-8"))[1]


def test_update_dates_the_revision_of_a_catalog_it_changes_and_only_then(tmp_path):
    root = library_copy(tmp_path / "library")
    path = root / "locales" / "pl" / f"{SLUG}.po"
    leaflet(root, "update", "-l", "pl", SLUG, "-e", "standard")
    first = revision_date(path)
    before = path.read_bytes()
    leaflet(root, "update", "-l", "pl", SLUG, "-e", "standard")
    assert path.read_bytes() == before
    source = root / "leaflet_src" / SLUG / "leaflet.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new paragraph.\n",
                      encoding="utf-8")
    leaflet(root, "update", "-l", "pl", SLUG, "-e", "standard")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d\+0000", revision_date(path))
    assert first == "YEAR-MO-DA HO:MI+ZONE"  # the sample's catalog was up to date
    template = root / "locales" / "templates" / f"{SLUG}.pot"
    assert revision_date(template) == "YEAR-MO-DA HO:MI+ZONE"
