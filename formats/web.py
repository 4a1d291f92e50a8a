"""The web edition: one self-contained, accessible HTML page per leaflet, the QR code's target.

The page is the semantic HTML of ``formats.html`` (the same body as the PDF and
the EPUB) with a screen and print stylesheet inlined and every picture inlined
as a ``data:`` URI, so the one file works from a disk, an intranet share or any
web server.  It needs no script; its Content-Security-Policy forbids scripts and
every fetch, so nothing a leaflet says can make a reader's browser reach out.
"""

from __future__ import annotations

import base64
import dataclasses
import re

from leaflet.errors import LeafletError
from leaflet.model import Leaflet

from . import Rendered, html
from .options import WriterOptions
from .typography import font_stack
from .shared import N_, css_string, draft_lines, footer_line, footer_sides, page_counter

CSS_FILE = html.TEMPLATES / "web.css"
TEMPLATE = "web.html"
# Nothing is fetched: styles are inline and pictures are data: URIs.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                           "base-uri 'none'; form-action 'none'")
# What a theme's CSS may not contain in a self-contained page: a way out of the
# <style> element, or a reference to another file.
UNSAFE_THEME_CSS = re.compile(r"</|@import|url\s*\(", re.IGNORECASE)
SKIP_LINK = N_("Skip to the leaflet's text")


def write(leaflet: Leaflet, options: WriterOptions) -> Rendered:
    # The page puts the DRAFT banner in a labelled region of its own, so that on a
    # screen, as everywhere else on the page, all content sits in a landmark
    # that a screen reader can list; the shared body therefore leaves it out.
    banner = draft_lines(leaflet, options)
    page = html.page(leaflet, dataclasses.replace(options, draft=False),
                     lambda figure: data_uri(figure.src, options),
                     stylesheet(options) + print_footer(leaflet, options), template=TEMPLATE,
                     logo_src=logo_uri(options),
                     csp=CONTENT_SECURITY_POLICY, skip_label=options.gettext(SKIP_LINK),
                     draft_banner=banner)
    return Rendered(page.encode("utf-8"))


def data_uri(src: str, options: WriterOptions) -> str:
    """A picture read through the asset resolver, as a ``data:`` URI."""
    if options.assets is None:
        raise LeafletError("", None, f"picture '{src}': no pictures available to this output")
    encoded = base64.b64encode(options.assets.read(src)).decode("ascii")
    return f"data:{options.assets.media_type(src)};base64,{encoded}"


def logo_uri(options: WriterOptions) -> str | None:
    theme = options.theme
    if not theme.logo or not theme.folder or options.assets is None:
        return None
    try:
        return data_uri(theme.file(theme.logo), options)
    except LeafletError as exc:
        raise LeafletError("theme/theme.yaml", None, exc.problems[0].message) from None


def stylesheet(options: WriterOptions) -> str:
    """Our screen and print CSS after the theme's colours and fonts, then the theme's own CSS."""
    theme = options.theme
    colours = dict(theme.colours)
    # Colours were checked as #rrggbb and fonts as plain names by the theme loader.
    variables = "".join(f"  --{name}: {value};\n" for name, value in colours.items())
    variables += f"  --body-font: {font_stack(theme.body_font)};\n"
    variables += f"  --heading-font: {font_stack(theme.heading_font)};\n"
    parts = [f":root {{\n{variables}}}\n", CSS_FILE.read_text(encoding="utf-8")]
    for name in theme.css:
        parts.append(theme_css(name, options))
    return "\n".join(parts)


def print_footer(leaflet: Leaflet, options: WriterOptions) -> str:
    """On paper, each page ends as the PDF's do: the leaflet's code and version at
    the start of the line, the page number at its end, at 12 pt."""
    start, end = footer_sides(leaflet.meta.direction)
    details = footer_line(leaflet, options)
    box = "font-family: var(--body-font); font-size: 12pt; color: #000000; vertical-align: middle;"
    return (f"\n@media print {{\n  @page {{\n    margin-bottom: 24mm;\n"
            f"    @bottom-{start} {{ content: {css_string(details)}; {box} text-align: {start}; "
            f"direction: {leaflet.meta.direction}; width: 75%; }}\n"
            f"    @bottom-{end} {{ content: {page_counter(options)}; {box} text-align: {end}; "
            f"direction: {leaflet.meta.direction}; white-space: nowrap; }}\n  }}\n}}\n")


def theme_css(name: str, options: WriterOptions) -> str:
    rel = f"theme/{name}"
    try:
        text = options.assets.read(options.theme.file(name)).decode("utf-8")
    except (LeafletError, UnicodeDecodeError, AttributeError):
        raise LeafletError(rel, None, "the theme's CSS cannot be read for the web page") from None
    found = UNSAFE_THEME_CSS.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise LeafletError(rel, line, f"'{found.group(0)}' cannot be used in the web page, "
                           "which is one self-contained file that fetches nothing")
    return text

