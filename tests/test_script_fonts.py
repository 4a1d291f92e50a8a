"""The script of a leaflet's language chooses its faces: Naskh for Pashto, Sorani and
Punjabi in the Arabic script, Nastaliq for Urdu, the Noto sans faces for Gujarati and the
other Indic scripts, the Ethiopic sans for Amharic and Tigrinya, the CJK face of its
orthography for Chinese; the PDF embeds that face and the Word file names it.
"""

from __future__ import annotations

import re
import zipfile

import pikepdf
import pytest

from conftest import run_leaflet
from formats import typography

# lang: (title, sentence, the PDF's face, the w:rFonts slot, Word's face)
LEAFLETS = {
    "ps": ("ستاسو د کلینیک لیدنه", "که درد لرئ، خپل ډاکټر ته ووایاست.",
           "Noto Naskh Arabic", "cs", "Noto Naskh Arabic"),
    "ckb": ("سەردانی کلینیکەکەت", "ئەگەر ئازارت هەیە، بە پزیشکەکەت بڵێ.",
            "Noto Naskh Arabic", "cs", "Noto Naskh Arabic"),
    "ur": ("آپ کا کلینک کا دورہ", "اگر آپ کو درد ہو تو اپنے ڈاکٹر کو بتائیں۔",
           "Noto Nastaliq Urdu", "cs", "Noto Nastaliq Urdu"),
    "gu": ("તમારી ક્લિનિકની મુલાકાત", "જો તમને દુખાવો થાય, તો તમારા ડૉક્ટરને જણાવો.",
           "Noto Sans Gujarati", "cs", "Noto Sans Gujarati"),
    "am": ("የክሊኒክ ጉብኝትዎ", "ህመም ካለዎት ለሐኪምዎ ይንገሩ።",
           "Noto Sans Ethiopic", "hAnsi", "Noto Sans Ethiopic"),
    "ti": ("ምብጻሕ ክሊኒክኩም", "ቃንዛ እንተሃልዩኩም ንሓኪምኩም ንገሩ።",
           "Noto Sans Ethiopic", "hAnsi", "Noto Sans Ethiopic"),
    "zh-Hans": ("您的门诊就诊", "如果您感到疼痛，请告诉您的医生。",
                "Noto Sans CJK SC", "eastAsia", "Microsoft YaHei"),
}
SOURCE = """\
---
title: {title}
organisation: Script Fonts Test NHS Foundation Trust
language: {lang}
code: SF-{n:03d}
version: "1"
published: 2025-02-03
review: 2027-02-03
---

# {title}

{sentence}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("script-fonts")
    for n, (lang, (title, sentence, *_faces)) in enumerate(LEAFLETS.items(), 1):
        folder = root / "leaflet_src" / f"visit-{lang.lower()}"
        folder.mkdir(parents=True)
        (folder / "leaflet.md").write_text(
            SOURCE.format(title=title, lang=lang, n=n, sentence=sentence), encoding="utf-8")
    out = root / "build"
    result = run_leaflet("--root", str(root), "build", "-o", str(out), "-f", "pdf",
                         "-f", "docx", "-e", "standard", "-j", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def artifact(out, lang: str, ext: str):
    slug = f"visit-{lang.lower()}"
    return out / slug / lang / f"{slug}.{lang}.{ext}"


def squeezed(name: str) -> str:
    """A font's name without spaces, hyphens and case: the PDF writes "Noto-Naskh-Arabic"
    or "NotoNaskhArabic-Bold" for the family "Noto Naskh Arabic"."""
    return re.sub(r"[\s-]", "", name).lower()


def embedded_fonts(path) -> set[str]:
    """The PostScript names of the fonts a PDF embeds, without their subset prefixes."""
    names = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendant = font.get("/DescendantFonts", [font])[0]
                name = str(descendant.FontDescriptor.FontName).lstrip("/")
                names.add(re.sub(r"^[A-Z]{6}\+", "", name))
    return names


@pytest.mark.parametrize("lang", list(LEAFLETS))
def test_the_pdf_embeds_the_face_of_the_languages_script(built, lang):
    face = squeezed(LEAFLETS[lang][2])
    assert face == squeezed(typography.print_font(lang))
    names = {squeezed(n) for n in embedded_fonts(artifact(built, lang, "pdf"))}
    assert any(n in (face, f"{face}bold", f"{face}regular") for n in names), names
    # no serif face stands in for a script the sans covers
    assert not any(n.startswith("notoserif") for n in names), names


@pytest.mark.parametrize("lang", list(LEAFLETS))
def test_the_word_file_names_the_face_of_the_languages_script(built, lang):
    _title, _sentence, _face, slot, word_face = LEAFLETS[lang]
    with zipfile.ZipFile(artifact(built, lang, "docx")) as docx:
        styles = docx.read("word/styles.xml").decode("utf-8")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)
    fonts = re.search(r"<w:rFonts [^>]*>", defaults).group(0)
    assert f'w:{slot}="{word_face}"' in fonts, fonts


def test_the_script_not_the_language_list_chooses_the_face():
    assert typography.print_font("pa") == "Noto Sans Gurmukhi"
    assert typography.print_font("pa-Arab") == typography.print_font("pa-PK") \
        == "Noto Naskh Arabic"
    assert typography.print_font("prs") == typography.print_font("fa-AF") == "Noto Naskh Arabic"
    assert typography.print_font("ur-IN") == "Noto Nastaliq Urdu"
    assert typography.print_font("zh-TW") == "Noto Sans CJK TC"
    assert typography.print_font("zh-Hant-HK") == "Noto Sans CJK HK"
    assert typography.print_font("zh-CN") == typography.print_font("zh") == "Noto Sans CJK SC"
    assert typography.print_font("ru") == typography.print_font("cy") == ""
    assert typography.word_font("ne") == ("cs", "Noto Sans Devanagari")
    assert typography.scale("ckb") == typography.scale("pa-PK") > 1 == typography.scale("pa")
    # every language the tool has words for is styled in the PDF where it needs a face
    assert {"ps", "ckb", "ur", "gu", "am", "ti", "pa", "hi", "ne", "ta", "bn",
            "prs", "fa", "ar", "zh-Hans", "zh-Hant"} <= set(typography.PRINT_FONTS)
