"""One recogniser per kind (issue 25): e-mail addresses, phone numbers and web addresses
are found once, by ``leaflet.source``, and every other reader (the importers, braille,
audio, the translation checks) takes the source's nodes or calls the source's
recognisers.

The e-mail sentence below once gave three answers: the source found no address, the
importer and braille found "zef@szpital.pl" and ".nowak@szpital.pl", audio both whole.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import REPO, SAMPLE_SLUG, run_leaflet
from formats.audio import script
from formats.audio.speech import for_language
from formats.braille.words import inline_runs
from formats.options import Assets, WriterOptions
from leaflet import source
from leaflet.i18n import tokens
from leaflet.importers import phones as import_phones
from leaflet.model import Email, Text
from leaflet.source import emails

SENTENCE = "Napisz do józef@szpital.pl lub na adres ł.nowak@szpital.pl"
ADDRESSES = ["józef@szpital.pl", "ł.nowak@szpital.pl"]

LEAFLET = """\
---
title: Adresy
organisation: Example NHS Trust
language: pl
published: 2025-01-01
review: 2027-01-01
---

# Kontakt

{sentence}
"""


# The one e-mail recogniser ------------------------------------------------------------

@pytest.mark.parametrize("text, found", [
    (SENTENCE, ADDRESSES),
    ("Email info@sample.nhs.uk.", ["info@sample.nhs.uk"]),
    ("Schreiben Sie an info@münchen.de", ["info@münchen.de"]),
    ("请发邮件至info@nhs.net。", ["info@nhs.net"]),
    # not addresses, or other addresses than the one inside them
    ("a@b.com.evil.example is one address", ["a@b.com.evil.example"]),
    ("a .nowak@szpital.pl is none: no address starts with a dot", []),
    ("a..b@szpital.pl has two dots in a row", []),
    ("user@localhost has no domain", []),
])
def test_the_one_email_recogniser_takes_internationalised_addresses_whole(text, found):
    assert emails.addresses(text) == found


def test_the_source_links_both_addresses_whole():
    nodes = source.parse_inline(SENTENCE, "t.md", 1)
    assert [n.address for n in nodes if isinstance(n, Email)] == ADDRESSES
    assert "".join(n.text for n in nodes if isinstance(n, Text)) == \
        "Napisz do  lub na adres "
    # a mailto: link and a contact's email: field are checked by the same recogniser
    assert isinstance(source.parse_inline(f"[Józef](mailto:{ADDRESSES[0]})", "t.md", 1)[0],
                      Email)


def test_a_translation_keeps_both_addresses_whole():
    assert tokens.emails(SENTENCE) == ADDRESSES
    dropped = "Napisz do józef@szpital.pl lub na adres nowak@szpital.pl"
    findings = tokens.compare(SENTENCE, dropped, lang="pl", source_lang="pl")
    assert any("ł.nowak@szpital.pl" in str(finding) for finding in findings), findings
    assert tokens.compare(SENTENCE, SENTENCE, lang="pl", source_lang="pl") == []


def test_the_importer_takes_both_addresses_whole():
    nodes = import_phones.link_emails((Text(text=SENTENCE, path="f.txt", line=3),))
    assert [n.address for n in nodes if isinstance(n, Email)] == ADDRESSES


def test_braille_keeps_both_addresses_whole_and_uncontracted():
    [run] = inline_runs(source.parse_inline(SENTENCE, "t.md", 1))
    kept = "".join(char if keep and plain else " "
                   for char, keep, plain in zip(run.text, run.keep, run.uncontracted,
                                                strict=True))
    assert kept.split() == ADDRESSES


def test_audio_says_both_addresses_whole():
    leaflet = source.parse_text(LEAFLET.format(sentence=SENTENCE), "t.md",
                                REPO / "leaflet_src" / SAMPLE_SLUG, "adresy")
    options = WriterOptions(assets=Assets(folder=str(REPO / "leaflet_src" / SAMPLE_SLUG),
                                          pictograms=str(source.PICTOGRAMS)))
    said = [s.spoken for s in script.segments(leaflet, options, for_language("pl"))]
    assert ("Napisz do józef małpa szpital kropka pl lub na adres "
            "ł kropka nowak małpa szpital kropka pl.") in said


def test_a_built_page_links_both_addresses_and_the_text_prints_them(tmp_path):
    folder = tmp_path / "leaflet_src" / "adresy"
    folder.mkdir(parents=True)
    (folder / "leaflet.md").write_text(LEAFLET.format(sentence=SENTENCE), encoding="utf-8")
    out = tmp_path / "out"
    run_leaflet("--root", str(tmp_path), "build", "-f", "html", "-f", "text", "-o", str(out),
                check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = {a["format"]: out / a["path"] for a in manifest["artifacts"]}
    page = lxml_html.fromstring(paths["html"].read_bytes())
    mailto = [a.get("href") for a in page.iter("a") if a.get("href", "").startswith("mailto:")]
    assert mailto == [f"mailto:{address}" for address in ADDRESSES]
    text = paths["text"].read_text(encoding="utf-8")
    assert all(address in text for address in ADDRESSES)


# Nothing else recognises numbers or addresses ------------------------------------------

# The readers that must take the source's nodes or call its recognisers.
READERS = sorted(
    [*Path(REPO, "leaflet", "importers").glob("*.py"), *Path(REPO, "leaflet", "i18n").glob("*.py"),
     *Path(REPO, "formats", "braille").glob("*.py"), *Path(REPO, "formats", "audio").glob("*.py")])
# Libraries that recognise numbers or addresses: only leaflet/source/ imports them.
RECOGNISING_LIBRARIES = ("phonenumbers", "email_validator")
PHONE_PROBES = ("0191 445 2180", "+44 191 445 2180", "(0191) 445-2180", "0191 4452180",
                "18001 0191 445 2180")
EMAIL_PROBES = ("info@nhs.net", "józef@szpital.pl")


def recognises(pattern: re.Pattern) -> str:
    """What a pattern recognises of a phone number or an e-mail address, or ""."""
    for probe in PHONE_PROBES:
        for match in pattern.finditer(f"Call {probe} today"):
            # digits with spaces: a number's groups taken as one (a bare digit run,
            # "\\d+", is any number's, not a phone number's)
            if sum(c.isdigit() for c in match.group()) >= 7 and \
                    re.search(r"\d[\s()]+\d", match.group()):
                return f"the phone number {probe!r}"
    for probe in EMAIL_PROBES:
        for match in pattern.finditer(f"Write to {probe} today"):
            # an address, not any run of characters that happens to hold one
            if re.search(r"\w@\w", match.group()) and not re.search(r"\s", match.group()):
                return f"the e-mail address {probe!r}"
    return ""


def patterns_in(path: Path) -> list[tuple[int, str]]:
    """(line, pattern) of every literal pattern given to re.compile (or re.search and the
    like) in a module's source, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" \
                and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            found.append((node.lineno, node.args[0].value))
    return found


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")


def test_the_probe_finds_the_sources_own_recognisers():
    """The check below could pass by finding nothing: it finds the source's patterns."""
    from leaflet.source import phones

    assert recognises(phones.DIGIT_RUN_RE).startswith("the phone number")
    assert recognises(emails.EMAIL_RE).startswith("the e-mail address")
    assert "phonenumbers" in imported(REPO / "leaflet" / "source" / "phones.py")
    assert "email_validator" in imported(REPO / "leaflet" / "source" / "emails.py")
    assert len(READERS) > 20


@pytest.mark.parametrize("path", READERS, ids=lambda p: str(p.relative_to(REPO)))
def test_readers_recognise_no_number_or_address_themselves(path):
    assert not imported(path) & set(RECOGNISING_LIBRARIES), \
        f"{path.name} imports a recogniser: call leaflet.source's instead"
    for line, pattern in patterns_in(path):
        try:
            compiled = re.compile(pattern)
        except re.error:
            continue
        what = recognises(compiled)
        assert not what, f"{path.name}:{line}: a pattern of its own recognises {what}"
    # patterns built at import time (f-strings, joined word lists) are read from the module;
    # one the source defines and the module imports is the source's, as it should be
    module = importlib.import_module(module_name(path))
    for name, value in vars(module).items():
        if isinstance(value, re.Pattern) and id(value) not in SOURCE_PATTERNS:
            what = recognises(value)
            assert not what, f"{path.name}: {name} recognises {what}"


SOURCE_PATTERNS = {id(value) for module in ("leaflet.source.inlines", "leaflet.source.emails",
                                            "leaflet.source.phones")
                   for value in vars(importlib.import_module(module)).values()
                   if isinstance(value, re.Pattern)}


def test_a_phone_node_is_what_braille_and_audio_read():
    """Braille and audio take a number from the source's node: the same digits written
    in plain text in a Text node are not looked for again."""
    nodes = source.parse_inline("Call 0191 445 2180.", "t.md", 1)
    [run] = inline_runs(nodes)
    assert "".join(c for c, keep in zip(run.text, run.keep, strict=True) if keep) == \
        "0191 445 2180"
    [plain_run] = inline_runs((Text(text="Call 0191 445 2180.", path="t.md", line=1),))
    assert not any(plain_run.uncontracted)
    said = for_language("en-GB").inlines(nodes)
    assert said == "Call oh one nine one, four four five, two one eight oh."


def test_the_importer_finds_numbers_with_the_sources_recogniser():
    said: list[tuple[int, str]] = []
    nodes = import_phones.link_text("Ring 0191 4565081 or text 07911 123456, or 0113 243 314",
                                    "GB", 4, "f.txt", lambda *found: said.append(found))
    phones = [node for node in nodes if not isinstance(node, Text)]
    assert [(p.display, p.tel, p.kind) for p in phones] == [
        ("0191 456 5081", "tel:+44-191-456-5081", "call"),
        ("07911 123456", "sms:+447911123456", "text")]
    assert said == [(4, "'0113 243 314' is not a phone number in GB (wrong number of digits?): "
                        "check it (it was left as written)")]

