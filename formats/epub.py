"""EPUB 3 for screen readers, e-readers and phones: the shared semantic HTML, packaged with ebooklib.

The leaflet is one content document.  A leaflet is a few thousand words, far
below the size at which readers slow down, and its title block, DRAFT banner,
"also available" panel and details belong to one reading flow; one document
keeps ``html.body`` the single source of the HTML that the PDF and the web page
also use, without cutting it apart, and every table-of-contents link is a
fragment that points at a heading id the same template wrote.

ebooklib writes the package (OPF, NCX, manifest, spine, zip).  The content and
navigation documents come from our own templates, because ebooklib re-parses
HTML with an HTML parser and writes a navigation document with an English
"Guide" and the book title as the contents heading.  After ebooklib, the zip is
rewritten so that the same inputs give the same bytes: ``mimetype`` first and
stored, every entry stamped with the source date, and ``xml:lang`` added to the
OPF package element, which ebooklib leaves out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from ebooklib import epub
from lxml import etree

from leaflet.errors import LeafletError
from leaflet.model import Figure, Heading, Leaflet, plain_text, walk

from . import Rendered, html, zipstamp
from .options import WriterOptions
from .shared import EDITION_NAMES, N_, PANEL_HEADING

FOLDER = "EPUB"
CONTENT = "content.xhtml"
NAV = "nav.xhtml"
STYLESHEET = "style.css"
CSS_FILE = html.TEMPLATES / "epub.css"

# EPUB core media types for pictures: anything else needs a fallback, which a
# leaflet has no use for, so it is refused with the line that named it.
CORE_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"}

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
ACCESSIBILITY_SUMMARY = N_(
    "This leaflet is reflowable text: the reader chooses the font and size. It has a "
    "heading for each section, a table of contents and one reading order. It meets "
    "WCAG 2.1 Level AA.")
PICTURES_SUMMARY = N_("Every picture has a text description.")

# Identifiers are UUIDs derived from what the EPUB is, so a rebuild keeps them.
IDENTIFIER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:leaflet:epub")
THEME_FILE = "theme/theme.yaml"  # as messages name it, relative to the library

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Picture:
    """One picture file in the package."""

    src: str
    href: str
    media_type: str


@dataclass(frozen=True)
class NavEntry:
    """A heading in the table of contents, with the entries nested under it."""

    title: str
    anchor: str
    children: tuple["NavEntry", ...] = ()
    lang: str = ""  # the heading's own language, where a translation kept the source's


def write(leaflet: Leaflet, options: WriterOptions) -> Rendered:
    return Rendered(package(book(leaflet, options), leaflet, options))


def book(leaflet: Leaflet, options: WriterOptions) -> epub.EpubBook:
    """The book before it is packaged: its metadata, its content document (item
    ``content``), navigation, stylesheet (item ``style``) and pictures.  The read-aloud
    EPUB is this book with its narration added, packaged by ``package`` too."""
    meta = leaflet.meta
    pictures = collect_pictures(leaflet, options)
    hrefs = {picture.src: picture.href for picture in pictures}
    entries = nav_entries(leaflet, options)
    logo = theme_logo(options, {picture.href for picture in pictures})

    def render(template: str, **extra) -> str:
        return html.page(leaflet, options, lambda figure: hrefs[figure.src], css="",
                         template=template, stylesheet=STYLESHEET, content_href=CONTENT,
                         logo_src=logo.href if logo else None, **extra)

    content = render("epub-content.html")
    nav = render("epub-nav.html", entries=entries)
    for name, text in ((CONTENT, content), (NAV, nav)):
        well_formed(name, text)
    # The logo goes in only when the title block shows it (a theme's own
    # templates may leave it out): an unused file would be dead weight.
    if logo and f'src="{logo.href}"' in content:
        pictures.append(logo)

    book = epub.EpubBook()
    book.FOLDER_NAME = FOLDER
    book.set_identifier(identifier(leaflet))
    book.set_title(edition_title(meta.title, options))
    book.set_language(meta.language)
    book.set_direction(meta.direction)
    describe(book, leaflet, options, has_pictures=bool(pictures))

    style = epub.EpubItem(uid="style", file_name=STYLESHEET, media_type="text/css",
                          content=CSS_FILE.read_bytes())
    document = epub.EpubItem(uid="content", file_name=CONTENT,
                             media_type="application/xhtml+xml", content=content.encode("utf-8"))
    navigation = epub.EpubItem(uid="nav", file_name=NAV, media_type="application/xhtml+xml",
                               content=nav.encode("utf-8"))
    navigation.properties = ["nav"]
    for item in (document, navigation, style, epub.EpubNcx()):
        book.add_item(item)
    for number, picture in enumerate(pictures, start=1):
        book.add_item(epub.EpubImage(uid=f"picture-{number}", file_name=picture.href,
                                     media_type=picture.media_type,
                                     content=options.assets.read(picture.src)))
    # The contents are in the spine, out of the reading order, so that the
    # landmarks can link to them.
    book.spine = [document, (navigation, "no")]
    # The NCX, for readers older than EPUB 3, is made from book.toc.
    book.toc = ncx_toc(entries)
    return book


def package(book: epub.EpubBook, leaflet: Leaflet, options: WriterOptions,
            stored: dict[str, bytes] | None = None) -> bytes:
    """The book as an EPUB file, the same bytes for the same inputs.  ``stored`` are the
    contents of items added with no content (by their file name in the book), put in the
    package uncompressed and as they are: audio is compressed already."""
    stored = {f"{FOLDER}/{name}": data for name, data in (stored or {}).items()}
    raw = io.BytesIO()
    epub.write_epub(raw, book, {"raise_exceptions": True, "mtime": modified(options),
                                "epub2_guide": False, "epub3_landmark": False,
                                "epub3_pages": False, "package_direction": True})

    def finish(name: str, content: bytes) -> bytes:
        if name in stored:
            return stored[name]
        return package_language(content, leaflet.meta.language) \
            if name == f"{FOLDER}/content.opf" else content
    layout = zipstamp.EPUB if not stored else \
        dataclasses.replace(zipstamp.EPUB, stored=(*zipstamp.EPUB.stored, *stored))
    return zipstamp.restamp(raw.getvalue(), options.source_date, layout, finish)


def identifier(leaflet: Leaflet) -> str:
    """The same leaflet, language, edition and version give the same identifier."""
    meta = leaflet.meta
    name = "\n".join((leaflet.slug, meta.language, leaflet.edition, meta.version))
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, name)}"


def modified(options: WriterOptions) -> dt.datetime:
    """``dcterms:modified`` in UTC, as the OPF wants it."""
    date = options.source_date
    if date.tzinfo is None:
        date = date.replace(tzinfo=dt.timezone.utc)
    return date.astimezone(dt.timezone.utc)


def edition_title(title: str, options: WriterOptions) -> str:
    """The title a reading system lists: the easy read edition says so, as
    the web page's and the PDF's titles do."""
    if options.edition == "standard":
        return title
    return f"{title} ({options.gettext(EDITION_NAMES[options.edition])})"


def describe(book: epub.EpubBook, leaflet: Leaflet, options: WriterOptions,
             has_pictures: bool) -> None:
    """Publication and EPUB Accessibility 1.1 metadata."""
    meta = leaflet.meta
    book.add_metadata("DC", "publisher", meta.organisation)
    book.add_metadata("DC", "creator", meta.organisation)
    book.add_metadata("DC", "date", meta.published.isoformat())
    if meta.subtitle:
        book.add_metadata("DC", "description", meta.subtitle)
    if meta.owner:
        book.add_metadata("DC", "contributor", meta.owner)
    if meta.online:
        book.add_metadata("DC", "source", meta.online)

    modes = ["textual", "visual"] if has_pictures else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability"]
    if has_pictures:
        features.append("alternativeText")
    properties = [("schema:accessMode", mode) for mode in modes]
    properties.append(("schema:accessModeSufficient", "textual"))
    properties.extend(("schema:accessibilityFeature", feature) for feature in features)
    properties.append(("schema:accessibilityHazard", "none"))
    for name, value in properties:
        book.add_metadata(None, "meta", value, {"property": name})

    english = [ACCESSIBILITY_SUMMARY] + ([PICTURES_SUMMARY] if has_pictures else [])
    translated = [options.gettext(sentence) for sentence in english]
    attributes = {"property": "schema:accessibilitySummary"}
    if any(t == e for t, e in zip(translated, english, strict=True)) and \
            not meta.language.lower().startswith("en"):
        # Not all of it is translated: all of it in English, marked so, rather
        # than a sentence a screen reader would read in the wrong voice.
        translated = english
        attributes[XML_LANG] = "en"
    summary = " ".join(translated)
    book.add_metadata(None, "meta", summary, attributes)
    book.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"})
    if not options.draft:  # a translation nobody has checked is certified by no one
        book.add_metadata(None, "meta", meta.organisation, {"property": "a11y:certifiedBy"})


def collect_pictures(leaflet: Leaflet, options: WriterOptions) -> list[Picture]:
    """Every distinct picture, in reading order, with a safe name inside the package."""
    pictures: list[Picture] = []
    seen: dict[str, Picture] = {}
    taken: set[str] = set()
    for block in walk(leaflet.blocks):
        if not isinstance(block, Figure) or block.src in seen:
            continue
        if options.assets is None:
            raise LeafletError(block.path, block.line, f"picture '{block.src}': no pictures "
                               "can be read for this output")
        try:
            options.assets.path(block.src)
            media_type = options.assets.media_type(block.src)
        except LeafletError as exc:
            raise LeafletError(block.path, block.line, exc.problems[0].message) from None
        if media_type not in CORE_IMAGE_TYPES:
            raise LeafletError(block.path, block.line, f"picture '{block.src}' is {media_type}; "
                               "an EPUB takes PNG, JPEG, GIF, WebP or SVG pictures")
        href = package_name(block.src, taken)
        taken.add(href)
        seen[block.src] = Picture(block.src, href, media_type)
        pictures.append(seen[block.src])
    return pictures


def theme_logo(options: WriterOptions, taken: set[str]) -> Picture | None:
    """The library's logo, when its theme has one.  The theme's colours and CSS
    stay out of the EPUB on purpose: there the reader's own theme (night, sepia)
    and font choices govern, and print CSS would break reflow."""
    theme = options.theme
    if not theme.logo or not theme.folder or options.assets is None:
        return None
    src = theme.file(theme.logo)
    try:
        options.assets.path(src)
    except LeafletError as exc:
        raise LeafletError(THEME_FILE, None, exc.problems[0].message) from None
    media_type = options.assets.media_type(src)
    if media_type not in CORE_IMAGE_TYPES:
        raise LeafletError(THEME_FILE, None, f"the logo '{theme.logo}' is {media_type}; an "
                           "EPUB takes PNG, JPEG, GIF, WebP or SVG pictures")
    return Picture(src, package_name("theme-" + Path(theme.logo).name, taken), media_type)


def package_name(src: str, taken: set[str]) -> str:
    """``images/NAME`` from a source path: only characters every reader and zip tool accepts."""
    if src.startswith("pictogram:"):
        stem, suffix = "pictogram-" + src.split(":", 1)[1], ".svg"
    else:
        path = Path(src)
        stem, suffix = path.stem, path.suffix.lower()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "picture"
    name, number = f"images/{stem}{suffix}", 2
    while name in taken:
        name, number = f"images/{stem}-{number}{suffix}", number + 1
    return name


def nav_entries(leaflet: Leaflet, options: WriterOptions) -> tuple[NavEntry, ...]:
    """The headings as a tree, then the "also available" panel, as body.html writes them."""
    root: list[tuple[int, str, str, list, str]] = []
    stack: list[tuple[int, list]] = [(0, root)]
    for block in walk(leaflet.blocks):
        if not isinstance(block, Heading):
            continue
        title = " ".join(plain_text(block.children).split())
        if not title:
            raise LeafletError(block.path, block.line, "this heading has no words; the "
                               "table of contents needs them")
        while stack[-1][0] >= block.level:
            stack.pop()
        children: list = []
        stack[-1][1].append((block.level, title, block.anchor, children, block.lang))
        stack.append((block.level, children))
    root.append((1, options.gettext(PANEL_HEADING), "also-available", [], ""))

    def freeze(nodes: list) -> tuple[NavEntry, ...]:
        return tuple(NavEntry(title, anchor, freeze(children), lang)
                     for _level, title, anchor, children, lang in nodes)
    return freeze(root)


def ncx_toc(entries: tuple[NavEntry, ...]) -> list:
    """ebooklib's toc: links, and (section, children) pairs where a heading has subheadings."""
    toc = []
    for entry in entries:
        href = f"{CONTENT}#{entry.anchor}"
        link = epub.Link(href, entry.title, uid=f"nav-{entry.anchor}")
        if entry.children:
            toc.append((epub.Section(entry.title, href), ncx_toc(entry.children)))
        else:
            toc.append(link)
    return toc


def well_formed(name: str, text: str) -> None:
    """XHTML must parse as XML: a reader shows nothing at all for a broken document."""
    try:
        etree.fromstring(text.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{name} is not well-formed XHTML: {exc}") from exc


def package_language(opf: bytes, language: str) -> bytes:
    """``xml:lang`` on the OPF package element, so titles are announced in their language."""
    root = etree.fromstring(opf)
    root.set(XML_LANG, language)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)
