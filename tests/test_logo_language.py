"""The logo's alt text in a translation: translated through the library's ui.po, or
read as the language it was written in (lang on the web page, /Lang in the PDF)."""

from __future__ import annotations

import io
import re
import shutil

import docx
import pikepdf
import polib
import pytest

from conftest import REPO, SAMPLE_SLUG, run_leaflet

ALT = "Sample hospital logo"
POLISH_ALT = "Logo przykładowego szpitala"


@pytest.fixture(scope="module")
def libraries(tmp_path_factory):
    """The sample built in Polish twice: as it is (the library's pl/ui.po translates
    the alt text) and with that file gone."""
    built = {}
    for name in ("translated", "untranslated"):
        root = tmp_path_factory.mktemp(name)
        for folder in ("leaflet_src", "locales", "theme"):
            shutil.copytree(REPO / folder, root / folder)
        if name == "untranslated":
            (root / "locales" / "pl" / "ui.po").unlink()
        out = root / "out"
        run_leaflet("--root", str(root), "build", "-l", "pl", "-f", "html", "-f", "pdf",
                    "-f", "docx", "-o", str(out), check=True)
        built[name] = out / SAMPLE_SLUG / "pl"
    return built


def logo_tag(folder) -> str:
    page = (folder / f"{SAMPLE_SLUG}.pl.html").read_text(encoding="utf-8")
    [tag] = re.findall(r'<img class="logo"[^>]*>', page)
    return tag


def figure(folder) -> pikepdf.Dictionary:
    with pikepdf.open(folder / f"{SAMPLE_SLUG}.pl.pdf") as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if node.get("/S") == "/Figure" and "logo" in str(node.get("/Alt", "")).lower():
                return {"alt": str(node.Alt), "lang": str(node.get("/Lang", ""))}
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary))
    raise AssertionError("no logo figure in the tag tree")


def docx_alts(folder) -> list[str]:
    document = docx.Document(io.BytesIO((folder / f"{SAMPLE_SLUG}.pl.docx").read_bytes()))
    return [inline.docPr.get("descr") for inline in document.element.body.xpath(".//wp:inline")]


def test_a_translated_alt_text_is_the_leaflets_language(libraries):
    folder = libraries["translated"]
    tag = logo_tag(folder)
    assert f'alt="{POLISH_ALT}"' in tag and "lang=" not in tag
    assert figure(folder) == {"alt": POLISH_ALT, "lang": ""}
    assert POLISH_ALT in docx_alts(folder)


def test_an_untranslated_alt_text_is_marked_with_its_own_language(libraries):
    folder = libraries["untranslated"]
    tag = logo_tag(folder)
    assert f'alt="{ALT}"' in tag and 'lang="en-GB"' in tag and 'dir="ltr"' in tag
    assert figure(folder) == {"alt": ALT, "lang": "en-GB"}
    assert ALT in docx_alts(folder)


def test_update_puts_the_alt_text_in_the_librarys_ui_po(tmp_path):
    root = tmp_path / "library"
    for folder in ("leaflet_src", "locales", "theme"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "locales" / "pl" / "ui.po").unlink()
    run_leaflet("--root", str(root), "update", "-l", "pl", check=True)
    po = polib.pofile(str(root / "locales" / "pl" / "ui.po"))
    # The tool translates its own words into Polish: the library's file has its words only.
    [entry] = list(po)
    assert (entry.msgid, entry.msgstr, entry.occurrences) == (ALT, "", [("theme/theme.yaml", "")])
    assert "screen reader" in entry.comment
    # A translation given there survives the next update.
    entry.msgstr = POLISH_ALT
    po.save()
    run_leaflet("--root", str(root), "update", "-l", "pl", check=True)
    assert polib.pofile(str(root / "locales" / "pl" / "ui.po")).find(ALT).msgstr == POLISH_ALT
