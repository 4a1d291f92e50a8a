"""Semantic HTML from the model: one template set for the PDF, the EPUB and the web page.

``body()`` gives the leaflet's content as HTML that is also well-formed XHTML
(EPUB needs that); ``page()`` wraps it in a whole document with a stylesheet.
Templates autoescape; source text never reaches the output unescaped.  The
``html`` format's own writer (the web page) is ``write``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jinja2
import jinja2.sandbox
from markupsafe import Markup, escape

from leaflet import langs
from leaflet.errors import LeafletError
from leaflet.model import (
    Email, Emphasis, Figure, Inline, InlineVisitor, Leaflet, LineBreak, Link, Phone, Strong,
    Table, Text, block_method, phone_parts, plain_text, shows_address, visit_inlines,
)

from .options import WriterOptions
from .typography import colon, list_separator
from .shared import (
    DRAFT_BANNER, EDITION_NAMES, PANEL_HEADING, detail_fields, draft_lines, footer_fields,
    format_date, kept_spans, logo_alt, panel_entries, phone_label,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The text width of an A4 page with 20 mm margins, in points: what a table in
# large print has to fit.
A4_TEXT_WIDTH_PT = 482.0

ImageSource = Callable[[Figure], str]


class ConfinedLoader(jinja2.FileSystemLoader):
    """Loads a template only from a file that really lies inside the folder it was
    found in: a theme's symlink to /etc/passwd or to another folder is refused
    before it is opened."""

    def __init__(self, folders: list[str], labels: dict[str, str]):
        super().__init__(folders)
        self.labels = labels  # folder -> how messages name it ("theme/tpl")

    def get_source(self, environment, template):
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            candidate = Path(folder, *pieces)
            if candidate.is_file():
                if not candidate.resolve().is_relative_to(Path(folder).resolve()):
                    raise LeafletError(self.display(str(candidate)), None, "the template is a "
                                       "link to a file outside theme/; only files inside theme/ "
                                       "are used")
                break
        return super().get_source(environment, template)

    def display(self, filename: str) -> str:
        """A template file as messages name it: relative to the library, not absolute."""
        for folder, label in self.labels.items():
            if Path(filename).is_relative_to(folder):
                return f"{label}/{Path(filename).relative_to(folder).as_posix()}"
        return filename


@functools.lru_cache(maxsize=4)
def environment(extra_dirs: tuple[str, ...] = ()) -> jinja2.Environment:
    """Our templates, after any a library's theme overrides (first match wins).

    A theme's templates are the library's input, so every template renders in
    Jinja's immutable sandbox: no attribute that starts with "_", no method
    that changes a value, so no way from a template to Python's modules."""
    labels = {folder: f"theme/{Path(folder).name}" for folder in extra_dirs}
    loader = ConfinedLoader([*extra_dirs, str(TEMPLATES)], labels)
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined)
    env.filters["inline"] = _inline_filter
    env.filters["address"] = address_html
    env.globals["phone_label"] = phone_label
    return env


@jinja2.pass_context
def _inline_filter(values, nodes: tuple[Inline, ...], phone_class: str = "tel") -> Markup:
    return inline_html(nodes, phone_class, values.get("extension_word", "ext."))


def inline_html(nodes: tuple[Inline, ...], phone_class: str = "tel", ext: str = "ext.") -> Markup:
    """Inline nodes as escaped HTML; ``phone_class`` is the class of a phone number's link,
    ``ext`` what the language calls a phone extension."""
    return Markup("").join(visit_inlines(nodes, _HtmlInlines(phone_class, ext)))


@dataclass(frozen=True)
class _HtmlInlines(InlineVisitor[Markup]):
    """Inline nodes as HTML elements."""

    phone_class: str
    ext: str = "ext."

    def text(self, node: Text) -> Markup:
        # a range ("9:00–20:00") or an amount ("12 micrograms/hour") is kept on one line
        out, position = [], 0
        for start, end in kept_spans(node.text):
            out += [escape(node.text[position:start]),
                    Markup('<span class="nowrap">%s</span>') % node.text[start:end]]
            position = end
        return Markup("").join(out + [escape(node.text[position:])])

    def strong(self, node: Strong) -> Markup:
        return Markup("<strong>%s</strong>") % inline_html(node.children, self.phone_class,
                                                          self.ext)

    def emphasis(self, node: Emphasis) -> Markup:
        return Markup("<em>%s</em>") % inline_html(node.children, self.phone_class, self.ext)

    def link(self, node: Link) -> Markup:
        # paper prints a link's address after its words (print.css), unless they are it
        if shows_address(node) and all(isinstance(child, Text) for child in node.children):
            return Markup('<a class="address" href="%s">%s</a>') % (
                node.href, address_html(plain_text(node.children)))
        return Markup('<a href="%s">%s</a>') % (
            node.href, inline_html(node.children, self.phone_class, self.ext))

    def phone(self, node: Phone) -> Markup:
        # dir="ltr" keeps "0191 445 8418" in order inside right-to-left text
        # (WeasyPrint ignores <bdi>); the class keeps it on one line.
        # The link is the node's own (tel:, sms:); a fax has none and is not linked.
        number, extension = phone_parts(node, self.ext)
        shown = f"{number} {extension}" if extension else number
        if not node.tel:
            return Markup('<span class="fax nowrap" dir="ltr">%s</span>') % shown
        return Markup('<a class="%s" dir="ltr" href="%s">%s</a>') % (
            self.phone_class, node.tel, shown)

    def email(self, node: Email) -> Markup:
        return Markup('<a class="email" href="mailto:%s">%s</a>') % (node.address, node.address)

    def line_break(self, node: LineBreak) -> Markup:
        return Markup("<br/>")


# A piece of an address longer than this many characters may also break before its
# dots and hyphens (never after them), so that it fits a line in large print.
LONG_ADDRESS_PIECE = 30
ADDRESS_PIECE_RE = re.compile(r"[^/]*/+|[^/]+$")


def address_pieces(url: str) -> list[str]:
    """A web address cut where a line may break: after each slash ("https://" stays
    with its host), and a long piece before its dots and hyphens.  A line never breaks
    after an address's own hyphen, which readers would take for hyphenation."""
    pieces: list[str] = []
    for piece in ADDRESS_PIECE_RE.findall(url):
        if pieces and pieces[-1].endswith("//"):
            pieces[-1] += piece  # the scheme's slashes: "https://" and its host are one
        else:
            pieces.append(piece)
    return [part for piece in pieces
            for part in ([piece] if len(piece) <= LONG_ADDRESS_PIECE
                         else re.split(r"(?<=.)(?=[.\-_][^/])", piece))] or [url]


def address_html(url: str) -> Markup:
    """A web address as it is printed: each piece on one line, unhyphenated, and a
    break opportunity only between the pieces."""
    return Markup('<span class="url">%s</span>') % Markup("<wbr/>").join(
        Markup('<span>%s</span>') % piece for piece in address_pieces(url))


def template_dirs(options: WriterOptions) -> tuple[str, ...]:
    """The theme's template folder, when it has one, searched before ours."""
    theme = options.theme
    return (theme.file(theme.templates),) if theme.templates and theme.folder else ()


def table_too_wide(table: Table, size_pt: float, width_pt: float = A4_TEXT_WIDTH_PT) -> bool:
    """Whether a table's columns cannot fit side by side at this text size.

    A column needs room for its longest word (words are never split) and, to
    stay readable, for about 18 characters of its longest cell; an average
    character of a plain sans-serif is a little over half the font size.
    """
    columns: dict[int, list[str]] = {}
    for row in (table.head, *table.rows):
        for number, cell in enumerate(row):
            columns.setdefault(number, []).append(plain_text(cell.children))
    needed = 0.0
    for texts in columns.values():
        longest_word = max((len(w) for t in texts for w in t.split()), default=0)
        longest_cell = max((len(t) for t in texts), default=0)
        characters = max(longest_word, min(longest_cell, 18))
        needed += characters * 0.58 * size_pt + size_pt  # the cell's padding
    return needed > width_pt


def lang_attrs(node, document_lang: str) -> Markup:
    """` lang="en-GB" dir="ltr"` for text a translation left in the source language
    (``node.lang``), so that it is read, voiced and laid out as that language; nothing
    for text in the document's own language."""
    return language_attrs(getattr(node, "lang", ""), document_lang)


def language_attrs(lang: str, document_lang: str) -> Markup:
    if not lang or lang == document_lang:
        return Markup("")
    return Markup(' lang="%s" dir="%s"') % (lang, langs.direction(lang))


def context(leaflet: Leaflet, options: WriterOptions, image_src: ImageSource) -> dict:
    _ = options.gettext
    meta = leaflet.meta
    logo_text, logo_lang = logo_alt(options, meta)
    return {
        "leaflet": leaflet,
        "meta": meta,
        "blocks": leaflet.blocks,
        "options": options,
        "edition": options.edition,
        "edition_name": _(EDITION_NAMES[options.edition]),
        "draft": draft_lines(leaflet, options),
        "draft_english": DRAFT_BANNER,
        "panel_heading": _(PANEL_HEADING),
        "panel": panel_entries(options),
        "list_separator": list_separator(meta.language),
        "colon": colon(meta.language),
        "footer": footer_fields(leaflet, options),
        "details": detail_fields(leaflet, options),
        "published": format_date(meta.published, meta.language),
        "review": format_date(meta.review, meta.language),
        "image_src": image_src,
        "kind": lambda node: type(node).__name__,
        "block_method": block_method,  # the template's dispatch, checked complete by a test
        "unknown_block": _unknown_block,
        "lang_attrs": functools.partial(lang_attrs, document_lang=meta.language),
        # the organisation's name is printed as the source writes it, in every language
        "source_attrs": language_attrs(meta.source_language, meta.language),
        "kept_attrs": lambda node, name: language_attrs(
            meta.source_language if name in getattr(node, "kept", ()) else "", meta.language),
        "extension_word": _("ext."),
        # Large print never squeezes a table: one too wide becomes a block per row.
        "stacked": lambda table: (options.edition == "large-print"
                                  and table_too_wide(table, options.size)),
        "logo_src": None,
        "logo_alt": logo_text,
        "logo_lang_attrs": language_attrs(logo_lang, meta.language),
    }


def _unknown_block(block) -> str:
    raise TypeError(f"the page template has no case for a {type(block).__name__} node")


def install_words(env: jinja2.Environment, options: WriterOptions) -> None:
    """Template words from the catalogs, escaped: Jinja's new-style gettext would
    otherwise trust a translation as HTML, and a library's own ui.po is input."""

    def gettext(message: str) -> Markup:
        return escape(options.gettext(message))

    def ngettext(singular: str, plural: str, count: int) -> Markup:
        return escape(options.gettext(singular if count == 1 else plural))

    env.install_gettext_callables(gettext, ngettext, newstyle=True)


def body(leaflet: Leaflet, options: WriterOptions, image_src: ImageSource,
         logo_src: str | None = None) -> Markup:
    """The leaflet's content: title block, draft banner, text, panel, details.

    ``logo_src`` is where the theme's logo can be found by this output; without
    it the title block has no logo."""
    env = environment(template_dirs(options))
    install_words(env, options)
    values = context(leaflet, options, image_src)
    values["logo_src"] = logo_src if options.theme.logo else None
    return Markup(render(env, "body.html", values))


def page(leaflet: Leaflet, options: WriterOptions, image_src: ImageSource, css: str,
         template: str = "page.html", logo_src: str | None = None, **extra) -> str:
    """A whole HTML document around ``body``."""
    env = environment(template_dirs(options))
    install_words(env, options)
    values = context(leaflet, options, image_src)
    values.update(body=body(leaflet, options, image_src, logo_src), css=Markup(css), **extra)
    return render(env, template, values)


def render(env: jinja2.Environment, name: str, values: dict) -> str:
    """One template rendered; what a theme's template is not allowed to do, or a
    mistake in it, is an error naming the template file and line."""
    try:
        return env.get_template(name).render(values)
    except jinja2.TemplateSyntaxError as exc:
        raise LeafletError(env.loader.display(exc.filename or name), exc.lineno,
                           f"the template cannot be read ({exc.message})") from None
    except jinja2.sandbox.SecurityError as exc:
        filename, line = _template_frame(exc, name)
        raise LeafletError(env.loader.display(filename), line, f"the template uses something templates may not "
                           f"use ({exc}); a theme template can only show the values it is "
                           "given") from None


def _template_frame(exc: BaseException, name: str) -> tuple[str, int | None]:
    """The template file and line a rendering error came from (Jinja rewrites
    tracebacks so that template frames carry the template's own file and line)."""
    found: tuple[str, int | None] = (name, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xhtml", ".css", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
