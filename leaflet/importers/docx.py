"""Word files into a draft, through mammoth and our rules for typed formatting.

mammoth turns styles into structure and keeps pictures' alt text; our rules read
what people type by hand (bold or larger Normal text as headings) and the details
in headers and footers.  OpenDocument and old .doc files go through LibreOffice first."""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import warnings
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import docx
import lxml.html
import mammoth
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from leaflet.errors import LeafletError
from leaflet.model import Block, Text

from . import account, convert, details, structure
from .draft import Draft, paragraph

MAX_WORD_BYTES = 50_000_000
MAX_IMAGE_BYTES = 5_000_000
# A zip's parts are checked before any is read: reading one holds about twice its
# unpacked size in memory.  Word files have a few dozen parts packed 5 to 20 times.
MAX_PARTS = 2_000
MAX_UNPACKED_BYTES = 200_000_000
MAX_PACKING_RATIO = 100
RATIO_FROM_BYTES = 5_000_000  # smaller parts may pack as tightly as they like
CONVERT_SECONDS = 120
# LibreOffice's settings for its own profile: fetch nothing a document links to, check
# for no updates, run no macros.
LIBREOFFICE_SETTINGS = (
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),  # never update links
    ("/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments",
     "AutoCheckEnabled", "false"),
)
# Styles mammoth maps to our structure: Word's own, our DOCX writer's, and those the
# typed-formatting rules below give to paragraphs.
STYLE_MAP = """
p[style-name='Title'] => p.leaflet-title:fresh
p[style-name='Subtitle'] => p.leaflet-subtitle:fresh
p[style-name='Organisation'] => p.leaflet-organisation:fresh
p[style-name='Imported Title'] => p.leaflet-title:fresh
p[style-name='Imported Subtitle'] => p.leaflet-subtitle:fresh
p[style-name='Imported Organisation'] => p.leaflet-organisation:fresh
p[style-name='Imported Heading 1'] => h1:fresh
p[style-name='Imported Heading 2'] => h2:fresh
p[style-name='Imported Heading 3'] => h3:fresh
p[style-name='Caption'] => p.caption:fresh
p[style-name='Callout'] => div.callout.callout-info > p:fresh
p[style-name='Callout Warning'] => div.callout.callout-warning > p:fresh
p[style-name='Callout Urgent'] => div.callout.callout-urgent > p:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Imported Text Box'] => div.textbox > p:fresh
p[style-name='Draft Banner'] => p.leaflet-ignored:fresh
p[style-name='Thematic Break'] => hr:fresh
p[style-name='Checklist'] => ul.checklist > li:fresh
p[style-name='Edition Name'] => p.leaflet-ignored:fresh
"""
TEXT_BOX_STYLE = "Imported Text Box"
STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
# The number a list starts from, which mammoth does not read: put before its first item
# for mammoth to carry, then made the list's start.
START_MARK = "\ue000{}\ue001"
START_IN_HTML = re.compile("<ol>(<li>(?:<p>)?)\ue000(\\d{1,6})\ue001")
QUIET_MESSAGES = ("Unrecognised paragraph style", "Unrecognised run style",
                  "Unrecognised table style")


def check_package(path: Path, rel: str) -> None:
    """Refuse a zip built to exhaust memory, from its directory alone: too many parts,
    too much unpacked, or a part packed far tighter than documents pack."""
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LeafletError(rel, None, f"this file cannot be unpacked ({exc})") from exc
    if len(parts) > MAX_PARTS:
        raise LeafletError(rel, None, f"the file holds {len(parts):,} parts (a document has a "
                           f"few dozen; at most {MAX_PARTS:,} are read): not imported")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise LeafletError(rel, None, f"the file unpacks to {unpacked / 1e6:,.0f} MB (at most "
                           f"{MAX_UNPACKED_BYTES / 1e6:,.0f} MB is read): not imported")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM_BYTES and ratio > MAX_PACKING_RATIO:
            raise LeafletError(rel, None, f"a part of the file ({part.filename[:80]}) unpacks to "
                               f"{ratio:,.0f} times its packed size (documents pack at most "
                               f"{MAX_PACKING_RATIO} times): not imported")


def open_document(path: Path, rel: str):
    if path.stat().st_size > MAX_WORD_BYTES:
        raise LeafletError(rel, None, "the file is over 50 MB; a leaflet is much smaller "
                           "(are there very large pictures?)")
    if not zipfile.is_zipfile(path):
        raise LeafletError(rel, None, "this is not a Word .docx file (an old .doc? save it "
                           "as .docx)")
    check_package(path, rel)
    if strict_ooxml(path):
        raise LeafletError(rel, None, "this Word file is saved as 'Strict Open XML', which "
                           "cannot be read: open it in Word and save it as 'Word Document "
                           "(.docx)'")
    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise LeafletError(rel, None,
                           f"this Word file cannot be read ({type(exc).__name__})") from exc


def plausible_title(words: str) -> bool:
    """Whether a Word file's title property names the leaflet, not the file or the
    template it was made from ("Microsoft Word - leaflet v3.doc", "Document1")."""
    words = " ".join(words.split())
    return bool(words) and len(words) <= 120 and not re.search(
        r"^(?:microsoft word\b|document\d*$|untitled\b|template\b)|\.(?:docx?|dotx?|rtf|odt)$",
        words, re.I)


def strict_ooxml(path: Path) -> bool:
    """Whether a Word file is Strict Open XML, whose names python-docx and mammoth do
    not know."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            main = "word/document.xml"
            if main not in names:
                return False
            with package.open(main) as handle:
                return STRICT_NAMESPACE in handle.read(4096)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, zlib.error):
        return False


def read(path: Path, rel: str, region: str = "GB") -> Draft:
    document = open_document(path, rel)
    draft = Draft(rel, margin_place="in a page header or footer",
                  margin_why="in a page header or footer, and not a detail of the leaflet")
    draft.original = account.word_texts(path)
    properties = document.core_properties
    if (properties.language or "").strip():
        draft.found("language", properties.language.strip())
    draft.proofing_language = default_language(document)
    if plausible_title(properties.title or ""):
        draft.title_property = " ".join(properties.title.split())
    draft.margins = margins(document, draft)
    list_deletions(document, draft)
    mark_text_boxes(document)
    title_rule = mark_typed_structure(document)
    mark_list_starts(document)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # a file LibreOffice wrote can name its properties part twice; Word and mammoth
        # read the first, so the warning says nothing a user could act on
        warnings.simplefilter("ignore", UserWarning)
        document.save(buffer)
    buffer.seek(0)

    def save_image(image) -> dict:
        with image.open() as handle:
            data = handle.read(MAX_IMAGE_BYTES + 1)
        if len(data) > MAX_IMAGE_BYTES:
            draft.warn(None, "a picture is over 5 MB: left out")
            return {}
        src = draft.add_image(data, image.content_type or "")
        if src is None:
            draft.warn(None, f"a picture of type '{image.content_type}' cannot be shown in a "
                       "leaflet: save it as PNG or JPEG and add it by hand")
            return {}
        return {"src": src}

    try:
        result = mammoth.convert_to_html(buffer, style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(save_image))
    except Exception as exc:  # mammoth reads the whole package; a damaged part fails anywhere
        raise LeafletError(rel, None,
                           f"this Word file cannot be read ({type(exc).__name__})") from exc
    for message in result.messages:
        if not message.message.startswith(QUIET_MESSAGES):
            draft.warn(None, f"Word: {message.message}")
    html = START_IN_HTML.sub(r'<ol start="\2">\1', result.value or "<p></p>")
    html = re.sub("\ue000\\d*\ue001", "", html)
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    draft.blocks = convert.Converter(draft, lines=False, region=region).blocks(root)
    if "title" in draft.fields:
        draft.notes.setdefault("title", title_rule or "from the Word file's Title style: "
                               "check it")
    return draft


def read_converted(path: Path, rel: str, region: str = "GB") -> Draft:
    """An .odt or .doc file, converted to .docx by LibreOffice, then read as one.

    LibreOffice runs with a profile of its own that fetches nothing a document links
    to, in a network namespace of its own where the system allows one, and its whole
    process group is stopped when it is done or out of time."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise LeafletError(rel, None, f"reading {path.suffix} files needs LibreOffice (soffice), "
                           "which is not installed: save the file as .docx and import that")
    if path.stat().st_size > MAX_WORD_BYTES:
        raise LeafletError(rel, None, "the file is over 50 MB; a leaflet is much smaller "
                           "(are there very large pictures?)")
    if zipfile.is_zipfile(path):  # an .odt; an old .doc is not a zip
        check_package(path, rel)
    with tempfile.TemporaryDirectory(prefix="leaflet-import-") as folder:
        profile = libreoffice_profile(Path(folder, "profile"))
        command = [*no_network(), soffice, f"-env:UserInstallation={profile}", "--headless",
                   "--norestore", "--convert-to", "docx", "--outdir", folder,
                   str(path.resolve())]
        convert_in_group(command, rel)
        converted = Path(folder, path.stem + ".docx")
        if not converted.is_file():
            raise LeafletError(rel, None, "LibreOffice could not convert this file to .docx")
        return read(converted, rel, region)


def libreoffice_profile(folder: Path) -> str:
    """A new LibreOffice profile holding LIBREOFFICE_SETTINGS; its file: URI."""
    from xml.sax.saxutils import quoteattr

    items = "".join(f'<item oor:path={quoteattr(where)}><prop oor:name={quoteattr(name)} '
                    f'oor:op="fuse"><value>{value}</value></prop></item>'
                    for where, name, value in LIBREOFFICE_SETTINGS)
    (folder / "user").mkdir(parents=True)
    (folder / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items '
        'xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{items}</oor:items>\n", encoding="utf-8")
    return folder.as_uri()


@functools.lru_cache(maxsize=1)
def no_network() -> tuple[str, ...]:
    """``unshare -n`` where it works (root, or unprivileged user namespaces): the program
    after it sees no network at all.  Elsewhere nothing, and the profile's settings alone
    keep LibreOffice from fetching."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for prefix in ((unshare, "-n"), (unshare, "-r", "-n")):
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.SubprocessError):
            pass
    return ()


def convert_in_group(command: list[str], rel: str) -> None:
    """Run LibreOffice in a process group of its own, stopped whole at the end: on
    time-out, and after it finishes (its helpers must not outlive the import)."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        process.wait(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired:
        raise LeafletError(rel, None, f"LibreOffice took over {CONVERT_SECONDS} s to convert "
                           "the file and was stopped") from None
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()


def default_language(document) -> str:
    values = document.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    return str(values[0]) if values else ""


def margins(document, draft: Draft) -> list[Block]:
    """The words of every header and footer part, each line once: a line repeated in
    another header or footer is listed as a repeat."""
    seen: set[str] = set()
    out: list[Block] = []
    parts = [part for part in document.part.package.iter_parts()
             if re.fullmatch(r"/word/(?:header|footer)\d*\.xml", str(part.partname))]
    for part in sorted(parts, key=lambda p: str(p.partname)):
        kind = "header" if "header" in str(part.partname) else "footer"
        for words in part_lines(part.element):
            words = " ".join(words.replace("\t", " · ").split())
            if not words:
                continue
            if words in seen:
                draft.leave_out(f"in a page {kind}", "the same words as in another header or "
                                "footer", words)
                continue
            seen.add(words)
            out.append(paragraph((Text(text=words, path=draft.path),), draft.path))
    return out


def part_lines(root) -> list[str]:
    """A header's or footer's lines: each paragraph, and each table row as its cells
    joined by " · " (a label in one cell, its value in the next)."""
    lines: list[str] = []
    tables = root.iter(qn("w:tbl"))
    in_table: set = set()
    for table in tables:
        for row in table.iter(qn("w:tr")):
            cells = []
            for cell in row.iter(qn("w:tc")):
                texts = []
                for par in cell.iter(qn("w:p")):
                    in_table.add(par)
                    texts.append("".join(t for k, t in account.paragraph_pieces(par)
                                         if k != "deleted"))
                cells.append(" · ".join(t for t in texts if t.strip()))
            lines.append(" · ".join(c for c in cells if c.strip()))
    for par in root.iter(qn("w:p")):
        if par not in in_table:
            pieces = account.paragraph_pieces(par)
            lines.append("".join(t for k, t in pieces if k != "deleted"))
    return lines


def list_deletions(document, draft: Draft) -> None:
    """Tracked deletions (and text moved away) are not the leaflet's: each is listed,
    with the paragraph it was in."""
    for part in [document.part, *(p for p in document.part.package.iter_parts()
                                  if re.fullmatch(r"/word/(?:header|footer)\d*\.xml",
                                                  str(p.partname)))]:
        for par in part.element.iter(qn("w:p")):
            pieces = account.paragraph_pieces(par)
            live = " ".join("".join(t for k, t in pieces if k != "deleted").split())
            where = f"in the paragraph starting '{' '.join(live.split()[:6])}'" if live else \
                "in a paragraph deleted whole"
            for kind, text in pieces:
                if kind == "deleted":
                    draft.leave_out(where, "deleted in Word's tracked changes (not accepted "
                                    "into the leaflet)", text)


def mark_text_boxes(document) -> None:
    """A text box's paragraphs get a style of their own: a box on the page is a
    callout in the leaflet."""
    boxes = list(document.element.body.iter(qn("w:txbxContent")))
    if not boxes:
        return
    style = ensure_style(document, TEXT_BOX_STYLE)
    for box in boxes:
        for par in box.iter(qn("w:p")):
            par.get_or_add_pPr().style = style.style_id


# Typed formatting --------------------------------------------------------------------------

def style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def run_size(run, par, default: float) -> float:
    if run.font.size is not None:
        return run.font.size.pt
    for style in [*style_chain(run.style), *style_chain(par.style)]:
        if style.font.size is not None:
            return style.font.size.pt
    return default


def run_bold(run, par) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    for style in [*style_chain(run.style), *style_chain(par.style)]:
        if style.font.bold is not None:
            return bool(style.font.bold)
    return False


def default_size(document) -> float:
    values = document.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:sz/@w:val")
    return int(values[0]) / 2 if values and str(values[0]).isdigit() else 10.0


def is_list(par) -> bool:
    ppr = par._p.pPr
    if ppr is not None and ppr.find(qn("w:numPr")) is not None:
        return True
    return any(s.name.lower().startswith("list") for s in style_chain(par.style))


def looks(par, default: float) -> tuple[float, bool]:
    """(the size most of a paragraph's letters have, whether they are all bold)."""
    sizes: Counter = Counter()
    bold = True
    for run in par.runs:
        letters = len(run.text.strip())
        if letters:
            sizes[run_size(run, par, default)] += letters
            bold = bold and run_bold(run, par)
    return (sizes.most_common(1)[0][0] if sizes else default), bold and bool(sizes)


def mark_typed_structure(document) -> str:
    """Give typed headings (bold, or larger than the text) heading styles, by size: the
    largest line at the top that is not the organisation's name is the title, larger
    lines are higher headings.  A file that uses Word's Heading styles keeps them as
    they are.  Returns how the title was chosen, when it was."""
    default = default_size(document)
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    names = [(p.style.name or "").lower() if p.style is not None else "" for p in paragraphs]
    styled = any(n.startswith("heading") for n in names)
    has_title = any(n in ("title", "organisation") for n in names)
    measured = [looks(p, default) for p in paragraphs]
    letters: Counter = Counter()
    for par, (size, _) in zip(paragraphs, measured, strict=True):
        letters[size] += len(par.text)
    body = letters.most_common(1)[0][0] if letters else default
    candidates = []
    for index, (par, (size, bold)) in enumerate(zip(paragraphs, measured, strict=True)):
        if names[index].startswith(("heading", "title", "subtitle")) or is_list(par):
            continue
        text = " ".join(par.text.split())
        if structure.heading_like(text) and ((bold and size >= body) or size >= body + 1.5):
            candidates.append((index, size))
    if not candidates:
        return ""
    chosen = ""
    first = 0
    if not has_title:
        while first < len(paragraphs) and details.organisation_in(paragraphs[first].text) == \
                " ".join(paragraphs[first].text.split()):
            paragraphs[first].style = ensure_style(document, "Imported Organisation")
            first += 1
        # the organisation's name is often the largest line: it is never the title
        candidates = [(index, size) for index, size in candidates if index >= first]
        largest = max((size for _, size in candidates), default=0)
        if candidates and candidates[0][0] == first and candidates[0][1] == largest:
            paragraphs[first].style = ensure_style(document, "Imported Title")
            candidates = candidates[1:]
            chosen = "from the Word file's largest bold line at the top: check it"
    if styled:
        return chosen
    ranks = sorted({size for _, size in candidates}, reverse=True)
    for index, size in candidates:
        level = min(ranks.index(size) + 1, 3)
        paragraphs[index].style = ensure_style(document, f"Imported Heading {level}")
    return chosen


def list_start(numbering, num_id: str, level: str) -> int | None:
    """The number a Word list's level starts from; None for bullets."""
    num = next((n for n in numbering.iterchildren(qn("w:num"))
                if n.get(qn("w:numId")) == num_id), None)
    if num is None:
        return None
    start = None
    for override in num.iterchildren(qn("w:lvlOverride")):
        found = override.find(qn("w:startOverride"))
        if override.get(qn("w:ilvl")) == level and found is not None:
            start = found.get(qn("w:val"))
    abstract_id = num.find(qn("w:abstractNumId"))
    abstract = next((a for a in numbering.iterchildren(qn("w:abstractNum"))
                     if abstract_id is not None and
                     a.get(qn("w:abstractNumId")) == abstract_id.get(qn("w:val"))), None)
    lvl = next((one for one in ([] if abstract is None else abstract.iterchildren(qn("w:lvl")))
                if one.get(qn("w:ilvl")) == level), None)
    if lvl is not None:
        form = lvl.find(qn("w:numFmt"))
        if form is not None and form.get(qn("w:val")) in ("bullet", "none"):
            return None
        if start is None and lvl.find(qn("w:start")) is not None:
            start = lvl.find(qn("w:start")).get(qn("w:val"))
    return int(start) if start and start.isdigit() and len(start) < 7 else None


def mark_list_starts(document) -> None:
    """The first item of each list Word numbers from other than 1 carries its start
    (``START_MARK``), for mammoth to bring through."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return
    seen: set[tuple[str, str]] = set()
    for par in document.paragraphs:
        ppr = par._p.pPr
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = numpr.find(qn("w:numId")) if numpr is not None else None
        if num_id is None:
            continue
        level = numpr.find(qn("w:ilvl"))
        key = (num_id.get(qn("w:val")) or "", level.get(qn("w:val")) or "0"
               if level is not None else "0")
        if key in seen:
            continue
        seen.add(key)
        if any((s.name or "").lower().startswith(("heading", "title"))
               for s in style_chain(par.style)):
            continue
        start = list_start(numbering, *key)
        if start is not None and start != 1:
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = START_MARK.format(start)
            run.append(text)
            ppr.addnext(run)


def ensure_style(document, name: str):
    try:
        return document.styles[name]
    except KeyError:
        return document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
