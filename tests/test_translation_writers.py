"""What every writer does with a translation: the English a catalog leaves untranslated is
tagged as English, the "also available" panel lists only finished languages and names
variants apart, a script without a font never fails another language's PDF, and phone
numbers keep their digits in order inside right-to-left text.

Every test starts from a copy of the sample library with one change made to it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pikepdf
import polib
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

from conftest import REPO, SAMPLE_SLUG, run_leaflet

SLUG = SAMPLE_SLUG
HEADING = "What investigations will I need?"
ANCHOR = "what-investigations-will-i-need"
TITLE = "Secondary breast cancer"
CONTACT = "Oncology Breast Care Nurse Specialist"


def sample(tmp_path):
    root = tmp_path / "library"
    for name in ("leaflet_src", "locales", "theme"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    return root


def catalog(root, lang: str, edition: str = "standard"):
    suffix = "" if edition == "standard" else f".{edition}"
    return root / "locales" / lang / f"{SLUG}{suffix}.po"


def untranslate(root, msgid: str, lang: str) -> None:
    path = catalog(root, lang)
    po = polib.pofile(str(path), wrapwidth=0)
    entry = po.find(msgid)
    assert entry is not None and entry.msgstr, msgid
    entry.msgstr = ""
    po.save(str(path))


def build(root, out, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_leaflet("--root", str(root), "build", "-o", str(out), *args, check=check)


def artifact(out, lang: str, ext: str):
    return out / SLUG / lang / f"{SLUG}.{lang}.{ext}"


def pdf_line(path, words: str) -> list[LTChar]:
    """The characters of the first PDF line holding ``words``."""
    for page in extract_pages(str(path)):
        for element in page:
            if not isinstance(element, LTTextContainer):
                continue
            for line in element:
                if isinstance(line, LTTextLine) and words in line.get_text():
                    return [c for c in line if isinstance(c, LTChar)]
    raise AssertionError(f"{words!r} is not in {path}")


# 7. English fallback is tagged as English -----------------------------------------------

@pytest.fixture(scope="module")
def fallback(tmp_path_factory):
    """The sample's Arabic and Urdu (the Arabic catalog under another name) with one
    heading left untranslated, built in every writer that tags languages."""
    tmp_path = tmp_path_factory.mktemp("fallback")
    root = sample(tmp_path)
    for msgid in (HEADING, TITLE, CONTACT):
        untranslate(root, msgid, "ar")
    (root / "locales" / "ur").mkdir()
    text = catalog(root, "ar").read_text(encoding="utf-8")
    catalog(root, "ur").write_text(text.replace('"Language: ar\\n"', '"Language: ur\\n"'),
                                   encoding="utf-8")
    out = tmp_path / "out"
    build(root, out, "-l", "ar", "-l", "ur", "-e", "standard",
          "-f", "html", "-f", "epub", "-f", "docx", "-f", "pdf")
    return out


def test_an_untranslated_heading_is_tagged_english_in_html_and_epub(fallback):
    html = artifact(fallback, "ar", "html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl"' in html
    assert f'<h2 id="{ANCHOR}" lang="en-GB" dir="ltr">{HEADING}</h2>' in html
    # a translated heading carries no language of its own: it is the page's
    translated = re.findall(r"<h[23] id=\"[^\"]+\"([^>]*)>[\u0600-\u06ff]", html)
    assert translated and all(attrs == "" for attrs in translated)
    with zipfile.ZipFile(artifact(fallback, "ar", "epub")) as epub:
        content = next(epub.read(n).decode() for n in epub.namelist()
                       if n.endswith(".xhtml") and ANCHOR in epub.read(n).decode())
    assert f'<h2 id="{ANCHOR}" lang="en-GB" dir="ltr">{HEADING}</h2>' in content
    with zipfile.ZipFile(artifact(fallback, "ar", "epub")) as epub:
        nav = next(epub.read(n).decode() for n in epub.namelist() if n.endswith("nav.xhtml"))
    assert f'#{ANCHOR}" lang="en-GB" dir="ltr">{HEADING}</a>' in nav


def test_an_untranslated_title_and_contact_name_are_tagged_english(fallback):
    """Plain fields (the title, a contact's name) are marked as headings are."""
    html = artifact(fallback, "ar", "html").read_text(encoding="utf-8")
    assert f'<h1 id="title" lang="en-GB" dir="ltr">{TITLE}</h1>' in html
    assert f'<p class="contact-name" lang="en-GB" dir="ltr">{CONTACT}</p>' in html
    # the subtitle is translated: no language of its own
    assert re.search(r'<p class="subtitle">[\u0600-\u06ff]', html)
    with pikepdf.open(artifact(fallback, "ar", "pdf")) as pdf:
        stack, headings = [pdf.Root.StructTreeRoot], []
        while stack:
            node = stack.pop()
            if node.get("/S") == "/H1":
                headings.append(str(node.get("/Lang", "")))
            kids = node.get("/K")
            stack.extend(k for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
                         if isinstance(k, pikepdf.Dictionary))
    assert headings == ["en-GB"]
    with zipfile.ZipFile(artifact(fallback, "ar", "docx")) as docx:
        xml = docx.read("word/document.xml").decode()
    title = next(p for p in re.findall(r"<w:p>.*?</w:p>", xml) if '"Title"' in p)
    assert TITLE in title and '<w:lang w:val="en-GB"/>' in title and "<w:rtl/>" not in title
    name = next(p for p in re.findall(r"<w:p>.*?</w:p>", xml) if CONTACT in p)
    assert '<w:lang w:val="en-GB"/>' in name and "<w:rtl/>" not in name


def test_an_untranslated_heading_is_an_english_left_to_right_run_in_docx(fallback):
    with zipfile.ZipFile(artifact(fallback, "ar", "docx")) as docx:
        xml = docx.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p>.*?</w:p>", xml)
    english = next(p for p in paragraphs if HEADING in p)
    assert '<w:bidi w:val="0"/>' in english  # a left-to-right paragraph in an Arabic DOCX
    assert '<w:lang w:val="en-GB"/>' in english
    assert "<w:rtl/>" not in english and 'w:bidi="ar"' not in english
    translated = next(p for p in paragraphs if "Heading1" in p and "\u0627" in p)
    assert "<w:rtl/>" in translated and 'w:val="ar"' in translated


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_an_untranslated_heading_reads_left_to_right_in_latin_type_in_the_pdf(fallback, lang):
    """Not "?What investigations will I need" in the Naskh or Nastaliq face."""
    line = pdf_line(artifact(fallback, lang, "pdf"), "investigations")
    text = "".join(c.get_text() for c in line).strip()
    assert text == HEADING
    assert max(line, key=lambda c: c.x0).get_text() == "?"  # the question mark ends the line
    assert not any("Naskh" in c.fontname or "Nastaliq" in c.fontname for c in line)


# 9. The panel lists finished languages, marks drafts, names variants apart ----------

def panel_of(html: str) -> str:
    return re.search(r'<section class="also-available".*?</section>', html, re.S).group()


def copy_catalog(root, source: str, lang: str) -> None:
    """A catalog for ``lang`` made from another: complete, in the other's words."""
    (root / "locales" / lang).mkdir()
    for edition in ("standard", "easy-read"):
        text = catalog(root, source, edition).read_text(encoding="utf-8")
        catalog(root, lang, edition).write_text(
            text.replace(f'"Language: {source}\\n"', f'"Language: {lang}\\n"'),
            encoding="utf-8")


def test_the_panel_leaves_out_an_unfinished_language_and_marks_drafts(tmp_path):
    root = sample(tmp_path)
    untranslate(root, HEADING, "bn")  # 63 of 64: below the complete default
    run_leaflet("--root", str(root), "review", "-l", "pl", SLUG, "--by", "Ada Lovelace",
                "--role", "clinical translator", check=True)
    out = tmp_path / "out"
    build(root, out, "-l", "en-GB", "-f", "html", "-e", "standard")
    panel = panel_of(artifact(out, "en-GB", "html").read_text(encoding="utf-8"))
    assert 'lang="bn"' not in panel
    polish = re.search(r'<li><span class="language" lang="pl".*?</li>', panel).group()
    arabic = re.search(r'<li><span class="language" lang="ar".*?</li>', panel).group()
    assert "DRAFT" not in polish  # signed off
    assert arabic.endswith("DRAFT</li>")  # complete, not yet signed off


def test_the_panel_names_two_variants_of_a_language_apart(tmp_path):
    root = sample(tmp_path)
    for source, lang in (("pl", "pt-BR"), ("pl", "pt-PT"), ("ar", "zh-Hans"), ("ar", "zh-Hant")):
        copy_catalog(root, source, lang)
    out = tmp_path / "out"
    build(root, out, "-l", "en-GB", "-f", "html", "-f", "text", "-e", "standard")
    panel = panel_of(artifact(out, "en-GB", "html").read_text(encoding="utf-8"))
    names = dict(re.findall(r'<span class="language" lang="([^"]+)"[^>]*>([^<]+)</span>', panel))
    assert names["pt-BR"] == "Português (Brasil)" and names["pt-PT"] == "Português (Portugal)"
    assert re.fullmatch(r"中文\s?[（(]简体[)）]", names["zh-Hans"]), names["zh-Hans"]
    assert re.fullmatch(r"中文\s?[（(]繁體[)）]", names["zh-Hant"]), names["zh-Hant"]
    assert names["pl"] == "Polski"  # one variant only: the language's plain name
    text = artifact(out, "en-GB", "txt").read_text(encoding="utf-8")
    assert "Português (Brasil)" in text and "Português (Portugal)" in text


# 6. A script no installed font has never fails another language's PDF -----------------

def han_font_installed() -> bool:
    listed = subprocess.run(["fc-list", ":charset=4e2d", "family"], capture_output=True,
                            text=True).stdout
    return bool(listed.strip())


@pytest.mark.skipif(han_font_installed(), reason="a Han font is installed here")
def test_a_chinese_catalog_leaves_the_english_pdf_built_naming_chinese_in_latin(tmp_path):
    root = sample(tmp_path)
    copy_catalog(root, "pl", "zh-Hans")
    path = catalog(root, "zh-Hans")
    po = polib.pofile(str(path), wrapwidth=0)
    po.find(HEADING).msgstr = "我需要做哪些检查？"
    po.save(str(path))
    out = tmp_path / "out"
    result = build(root, out, "-l", "en-GB", "-l", "pl", "-f", "pdf", "-e", "standard")
    warnings = [line for line in result.stderr.splitlines() if "'zh-Hans' catalog" in line]
    assert len(warnings) == 1, result.stderr  # one warning for every PDF that names it
    assert "Chinese (Simplified)" in warnings[0] and "fonts-noto-cjk" in warnings[0]
    for lang in ("en-GB", "pl"):
        text = subprocess.run(["pdftotext", str(artifact(out, lang, "pdf")), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "Chinese (Simplified)" in text and "中文" not in text
    # the Chinese PDF itself still fails, alone, with the package to install
    failed = build(root, out, "-l", "zh-Hans", "-f", "pdf", "-e", "standard", check=False)
    assert failed.returncode == 1
    assert "no installed font covers Han script: install fonts-noto-cjk" in failed.stderr


def test_chinese_variants_are_set_in_their_own_cjk_faces_not_the_japanese_one():
    from formats import pdf, typography
    from formats.options import WriterOptions
    from leaflet.library import Library, read_leaflet

    css = pdf.stylesheet(read_leaflet(Library(REPO), SLUG), WriterOptions())
    faces = {}
    for lang, font in re.findall(r":lang\(([\w-]+)\), :is\(h1, h2, h3, h4\):lang\(\1\) \{\s*"
                                 r"font-family: \"([^\"]+)\"", css):
        faces[lang] = font
    assert faces["zh-Hans"] == "Noto Sans CJK SC" and faces["zh-Hant"] == "Noto Sans CJK TC"
    assert faces["ja"] == "Noto Sans CJK JP"
    # the generic zh rule comes first, so that a variant's own rule wins
    order = list(faces)
    assert order.index("zh") < order.index("zh-Hans") and order.index("zh") < order.index("zh-Hant")
    assert typography.print_font("zh-TW") == "Noto Sans CJK TC"


def test_system_packages_names_the_font_package_for_a_chinese_catalog(tmp_path):
    root = sample(tmp_path)
    copy_catalog(root, "ar", "zh-Hant")
    result = subprocess.run(["bash", str(REPO / "scripts" / "system-packages.sh"), "fonts",
                             str(root)], capture_output=True, text=True)
    assert "zh-Hant: fonts-noto-cjk" in result.stdout
    assert "ar: fonts-noto-core" in result.stdout
    if not han_font_installed():
        assert result.returncode == 1 and "apt-get install" in result.stderr
        assert "fonts-noto-cjk" in result.stderr.splitlines()[-1]


# 1, the writers' side: phone numbers isolated, left-to-right documents included ---------

NUMBER = "0191\u00a0445\u00a02180"  # the requests line's number, groups joined unbroken
ISOLATES = re.compile("[\u2066-\u2069]")


@pytest.fixture(scope="module")
def phones(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("phones")
    out = tmp_path / "out"
    build(sample(tmp_path), out, "-l", "en-GB", "-l", "pl", "-l", "ar", "-e", "standard",
          "-f", "text", "-f", "docx")
    return out


@pytest.mark.parametrize("lang", ["ar", "pl", "en-GB"])
def test_a_phone_number_is_its_own_left_to_right_run_in_docx(phones, lang):
    with zipfile.ZipFile(artifact(phones, lang, "docx")) as docx:
        xml = docx.read("word/document.xml").decode()
    runs = re.findall(r"<w:r>(?:(?!</w:r>).)*?" + NUMBER + r"(?:(?!</w:r>).)*?</w:r>", xml)
    assert runs
    for run in runs:
        assert re.search(r"<w:t[^>]*>" + NUMBER + "</w:t>", run)  # nothing else in the run
        assert "<w:rtl/>" not in run


@pytest.mark.slow  # through LibreOffice
def test_libreoffice_keeps_a_phone_numbers_digits_in_order_inside_arabic(phones, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
                    str(artifact(phones, "ar", "docx"))], capture_output=True, timeout=180,
                   check=True)
    text = (tmp_path / f"{SLUG}.ar.txt").read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if NUMBER in line.replace(" ", "\u00a0")]
    arabic = [line for line in lines if re.search("[\u0600-\u06ff]", line)]
    assert arabic, lines  # the requests line: an Arabic sentence around the number
    for line in arabic:
        assert "0812" not in line and "2180\u00a0445" not in line.replace(" ", "\u00a0")


def test_plain_text_isolates_numbers_only_in_right_to_left_documents(phones):
    number = "0191[ \u00a0]445[ \u00a0]2180"
    arabic = artifact(phones, "ar", "txt").read_text(encoding="utf-8")
    assert re.search(f"\u0645 \u2066{number}\u2069\\.", arabic)  # "...بالرقم ⁦0191 445 2180⁩."
    assert all(match.group() in "\u2066\u2069" for match in ISOLATES.finditer(arabic))
    for lang in ("pl", "en-GB"):
        text = artifact(phones, lang, "txt").read_text(encoding="utf-8")
        assert re.search(number, text) and not ISOLATES.search(text)  # clean for e-mail, SMS
