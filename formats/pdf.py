"""Print, large-print and easy read PDF through WeasyPrint: A4, tagged (PDF/UA-1), ready to print.

The semantic HTML of ``formats.html`` is laid out by one stylesheet template,
``print.css``, whose sizes come from the edition: RNIB clear print for the
standard edition, the UKAAF rules at the chosen size for large print, and
picture-beside-sentence rows for easy read.  WeasyPrint only sees files through
a URL fetcher that serves the leaflet's folder, the library's theme and our
templates, and refuses everything else.  Its log is turned into our errors.
Running headers and footers are marked as artifacts afterwards (``pikepdf``),
which WeasyPrint does not do for PDF 1.7.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import jinja2
import phonenumbers
import pikepdf
import segno
import weasyprint
from markupsafe import Markup
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from leaflet.errors import LeafletError
from leaflet.model import Figure, Leaflet

from . import Rendered, fonts, html, pdftags, typography
from .options import WriterOptions
from .typography import font_stack, labelled
from .shared import (css_string, footer_fields, footer_line, footer_sides, identity_fields,
                     page_counter)

TEMPLATES = html.TEMPLATES
PDF_VARIANT = "pdf/ua-1"
STANDARD_MIN_PT = 12.0

_css_environment = jinja2.Environment(
    # CSS is not HTML: every value put into it is either a number we computed,
    # a colour or font name the theme loader checked, or passed through
    # css_string(); autoescaping would turn quotes into entities.
    loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False,
    undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def write(leaflet: Leaflet, options: WriterOptions) -> Rendered:
    """The PDF, with its number of pages (``pages``) and what it printed another way for
    want of a font (its warnings)."""
    options, font_problems = fonts.printable_panel(options)
    fonts.check_coverage(leaflet, options)
    fetcher = SafeFetcher(options, leaflet.path)
    document_html = html.page(
        leaflet, options, fetcher.figure_url, stylesheet(leaflet, options),
        logo_src=fetcher.logo_url(), stylesheets=fetcher.theme_stylesheets(),
        after=online_block(leaflet, options))
    with weasyprint_problems() as problems, pdftags.recording() as drawn:
        try:
            render_options = {**weasyprint.DEFAULT_OPTIONS, "pdf_variant": PDF_VARIANT,
                              "pdf_identifier": identifier(leaflet, options).encode()}
            document = weasyprint.HTML(string=document_html, base_url=fetcher.base_url,
                                       url_fetcher=fetcher).render(**render_options)
            pages = len(document.pages)
            data = document.write_pdf(finisher=drawn.finisher, **render_options)
        except Refused as refused:
            raise LeafletError(refused.path, refused.line, refused.message) from None
    if problems:
        record = problems[0]
        raise LeafletError(leaflet.path, None, "the PDF could not be made cleanly: "
                           f"{record.getMessage()}")
    info = {"/Owner": leaflet.meta.owner, "/Online": leaflet.meta.online}
    data = finish(data, link_words=(options.gettext("Phone"), options.gettext("Email")),
                  drawn=drawn, direction=leaflet.meta.direction,
                  info={key: value for key, value in info.items() if value})
    return Rendered(data, {"pages": pages}, tuple(font_problems))


def identifier(leaflet: Leaflet, options: WriterOptions) -> str:
    """The same leaflet, language, edition, size and version give the same identifier."""
    meta = leaflet.meta
    name = "\n".join((leaflet.slug, meta.language, options.edition, f"{options.size:g}",
                      meta.version))
    return hashlib.sha256(name.encode()).hexdigest()[:32]


# Sizes and the stylesheet ----------------------------------------------------------

def sizes(options: WriterOptions, lang: str = "") -> dict[str, float]:
    """Every text size of the edition, in points; nothing is ever below ``body``."""
    scale = typography.scale(lang)
    base = _sizes(options)
    return {name: (round(value * scale, 1) if name != "line" else value)
            for name, value in base.items()}


def _sizes(options: WriterOptions) -> dict[str, float]:
    if options.edition == "large-print":
        body = options.size
        return {"body": body, "h1": round(body * 1.5, 1), "h2": round(body * 1.3, 1),
                "h3": round(body * 1.15, 1), "footer": body, "line": 1.4}
    if options.edition == "easy-read":
        body = max(options.size, STANDARD_MIN_PT)
        return {"body": body, "h1": round(body * 1.6, 1), "h2": round(body * 1.35, 1),
                "h3": round(body * 1.15, 1), "footer": body,
                "line": 1.5}
    body = max(options.size, STANDARD_MIN_PT)
    return {"body": body, "h1": round(body * 2, 1), "h2": round(body * 1.4, 1),
            "h3": round(body * 1.17, 1), "footer": STANDARD_MIN_PT, "line": 1.5}


def stylesheet(leaflet: Leaflet, options: WriterOptions) -> str:
    _ = options.gettext
    theme = options.theme
    size = sizes(options, leaflet.meta.language)
    page_content = page_counter(options)
    if options.edition == "large-print":
        # Only what fits at 48 pt: the page and the code; the rest is printed
        # at the end of the leaflet.
        code = [labelled(label, value, leaflet.meta.language)
                for label, value in identity_fields(leaflet, options)
                if value == leaflet.meta.code]
        footer_end = page_content + (" " + css_string("\n" + code[0]) if code else "")
        footer_start = ""
    else:
        review = [labelled(label, value, leaflet.meta.language)
                  for label, value in footer_fields(leaflet, options)
                  if label == _("Review date")]
        lines = [line for line in (footer_line(leaflet, options), *review) if line]
        footer_start = css_string("\n".join(lines))
        footer_end = page_content
    template = _css_environment.get_template("print.css")
    body_font = font_stack(theme.body_font)
    return template.render(
        edition=options.edition, size=size, colour=dict(theme.colours),
        body_font=body_font, heading_font=font_stack(theme.heading_font),
        furniture_font=language_stack(leaflet.meta.language, body_font),
        language_fonts=sorted(typography.PRINT_FONTS.items()),
        footer_start=footer_start, footer_end=footer_end, draft=options.draft,
        draft_mark=css_string(_("DRAFT")), direction=leaflet.meta.direction,
        sides=footer_sides(leaflet.meta.direction))


# A language's own font (typography.PRINT_FONTS) is followed by Noto Sans (Noto
# Naskh Arabic has no Latin digits) and then the theme's.  The same stack
# reaches the page margin boxes (footer, page numbers, DRAFT mark), which
# :lang() selectors do not.
def language_stack(lang: str, body_font: str) -> str:
    """The font-family for text in ``lang``: its script's font first when the
    default sans does not cover it."""
    first = typography.print_font(lang)
    return f'"{first}", "Noto Sans", {body_font}' if first else body_font


# The QR code ---------------------------------------------------------------------

def online_block(leaflet: Leaflet, options: WriterOptions) -> Markup:
    """A QR code to the leaflet's web address, with the address printed in full beside it."""
    url = leaflet.meta.online
    if not url:
        return Markup("")
    _ = options.gettext
    label = _("Read this leaflet online")
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=1, border=0, omitsize=True, dark="#000000",
                        title=f"{_('QR code')}: {url}")
    return Markup('<aside class="online" aria-label="{label}"><div class="qr">{svg}</div>'
                  '<p class="online-text"><span class="online-label">{label}</span><br/>'
                  '<a class="web" href="{url}">{url_text}</a></p></aside>').format(
        label=label, svg=Markup(svg), url=url, url_text=html.address_html(url))


# Safe fetching -------------------------------------------------------------------

class Refused(FatalURLFetchingError):
    """A URL WeasyPrint must not read; stops the rendering at once."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


class SafeFetcher(URLFetcher):
    """Serves WeasyPrint files from the leaflet's folder, the theme and our templates only.

    Every URL handed to WeasyPrint is a ``file:`` URL made here, remembered
    with the source line that asked for it, so that a refusal can say where.
    """

    def __init__(self, options: WriterOptions, leaflet_path: str):
        super().__init__(fail_on_errors=True)
        self.assets = options.assets
        self.theme = options.theme
        self.leaflet_path = leaflet_path
        self.referrers: dict[str, tuple[str, int | None]] = {}
        folder = self.assets.folder if self.assets else str(TEMPLATES)
        self.base_url = Path(folder).resolve().as_uri() + "/"

    def roots(self) -> list[Path]:
        return [*(self.assets.roots() if self.assets else []), TEMPLATES]

    def figure_url(self, figure: Figure) -> str:
        if self.assets is None:
            raise LeafletError(figure.path, figure.line, f"picture '{figure.src}': no pictures "
                               "can be read for this output")
        try:
            url = self.assets.path(figure.src).as_uri()
        except LeafletError as exc:
            raise LeafletError(figure.path, figure.line, exc.problems[0].message) from None
        self.referrers.setdefault(url, (figure.path, figure.line))
        return url

    def logo_url(self) -> str | None:
        if not self.theme.logo or self.assets is None:
            return None
        try:
            return self.assets.path(self.theme.file(self.theme.logo)).as_uri()
        except LeafletError as exc:
            raise LeafletError("theme/theme.yaml", None, exc.problems[0].message) from None

    def theme_stylesheets(self) -> list[str]:
        """The theme's CSS files as URLs, after checking each one on its own so
        that a mistake in it is reported with its file and line."""
        urls = []
        for name in self.theme.css:
            rel = f"theme/{name}"
            path = self.theme.file(name)
            if self.assets is None:
                raise LeafletError(rel, None, "the theme's CSS cannot be read for this output")
            url = Path(path).resolve().as_uri()
            text = self.assets.read(path).decode("utf-8", errors="replace")
            for number, line in enumerate(text.split("\n"), start=1):
                for match in re.finditer(r"""url\(\s*['"]?([^'")\s]+)""", line):
                    self.referrers.setdefault(urljoin(url, match.group(1)), (rel, number))
                for match in re.finditer(r"""@import\s+['"]([^'"]+)""", line):
                    self.referrers.setdefault(urljoin(url, match.group(1)), (rel, number))
            with weasyprint_problems() as problems:
                try:
                    weasyprint.CSS(string=text, base_url=url, url_fetcher=self)
                except Refused as refused:
                    raise LeafletError(refused.path, refused.line, refused.message) from None
            if problems:
                message = problems[0].getMessage()
                at = re.search(r" at (\d+):\d+", message)
                raise LeafletError(rel, int(at.group(1)) if at else None,
                                   f"the theme's CSS has a mistake: {message}")
            urls.append(url)
        return urls

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path, line = self.referrers.get(url, (self.leaflet_path, None))
        if not url.startswith("file:"):
            raise Refused(path, line, f"'{url}' is not read: a leaflet can only use files in "
                          "its own folder and the library's theme, never the network")
        target = Path(url2pathname(urlsplit(url).path)).resolve()
        if not any(target.is_relative_to(root) for root in self.roots()):
            raise Refused(path, line, f"'{target}' is outside the leaflet's folder and the "
                          "library's theme; it is not read")
        try:
            if target.is_relative_to(TEMPLATES):
                data = target.read_bytes()  # our own package files
            else:
                data = self.assets.read(str(target))
        except (LeafletError, OSError):
            raise Refused(path, line, f"'{url}' does not exist") from None
        media_type = self.assets.media_type(str(target)) if self.assets else "text/css"
        return URLFetcherResponse(url, data, {"Content-Type": media_type})


# WeasyPrint's log ----------------------------------------------------------------

class _Collect(logging.Handler):
    def __init__(self, thread: int):
        super().__init__(logging.WARNING)
        self.thread = thread
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append(record)


@contextmanager
def weasyprint_problems():
    """WeasyPrint reports a missing picture or a bad CSS rule only to its
    logger: collect those records (this thread's) so they become our errors."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect(threading.get_ident())
    level = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


# After WeasyPrint ----------------------------------------------------------------

def finish(data: bytes, link_words: tuple[str, str] = ("Phone", "Email"),
           drawn: pdftags.Drawn | None = None, direction: str = "ltr",
           info: dict[str, str] | None = None) -> bytes:
    """Put the text and the tag tree right (``pdftags``), mark the running
    headers and footers as artifacts, describe the links, add ``info`` to the
    document information (the leaflet's owner and online copy), and save with a fixed /ID."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for key, value in (info or {}).items():
            pdf.docinfo[key] = value
        pdftags.finish(pdf, drawn or pdftags.Drawn(), direction)
        mark_page_furniture(pdf)
        describe_links(pdf, *link_words)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def mark_page_furniture(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint tags the text of page margin boxes (page numbers, the
    footer, the DRAFT mark) but leaves their structure elements out of the
    tree; PDF/UA wants such page furniture marked as /Artifact instead.  Its
    marked content is found through the parent tree: every MCID whose element
    cannot be reached from the structure root."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    reachable: set[tuple[int, int]] = set()
    stack = list(_kids(root))
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.objgen in reachable:
            continue
        if node.objgen != (0, 0):
            reachable.add(node.objgen)
        stack.extend(_kids(node))
    parent_tree = root.ParentTree
    nums = parent_tree.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page_number, page in enumerate(pdf.pages):
        key = int(page.obj.get("/StructParents", page_number))
        mapping = by_key.get(key)
        if not isinstance(mapping, pikepdf.Array):
            continue
        orphans = {mcid for mcid, element in enumerate(mapping)
                   if isinstance(element, pikepdf.Dictionary)
                   and element.objgen not in reachable}
        if not orphans:
            continue
        instructions = pikepdf.parse_content_stream(page)
        changed = []
        for operands, operator in instructions:
            if str(operator) == "BDC" and len(operands) == 2 \
                    and isinstance(operands[1], pikepdf.Dictionary) \
                    and int(operands[1].get("/MCID", -1)) in orphans:
                operands = [pikepdf.Name.Artifact,
                            pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
            changed.append((operands, operator))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(changed))
        for mcid in orphans:
            mapping[mcid] = pikepdf.Object.parse(b"null")


def describe_links(pdf: pikepdf.Pdf, phone_word: str, email_word: str) -> None:
    """PDF/UA wants every link annotation described in /Contents; WeasyPrint
    puts the bare URI there ("tel:+44-191-445-3735"), which a screen reader
    spells out.  Say what it is instead: "Phone 0191 445 3735"."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith("tel:"):
                try:
                    number = phonenumbers.parse(uri[4:].replace("-", " "), None)
                    shown = phonenumbers.format_number(
                        number, phonenumbers.PhoneNumberFormat.NATIONAL)
                except phonenumbers.NumberParseException:
                    shown = uri[4:]
                annotation.Contents = pikepdf.String(f"{phone_word} {shown}")
            elif uri.startswith("mailto:"):
                annotation.Contents = pikepdf.String(f"{email_word} {uri[7:]}")
            elif uri.startswith("sms:"):  # a text message: "SMS" is its name everywhere
                annotation.Contents = pikepdf.String(f"SMS {uri[4:]}")


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    if isinstance(kids, pikepdf.Array):
        return list(kids)
    return [kids]
