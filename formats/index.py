"""The library index: ``<out>/index.html``, one page where clinic staff find and print any leaflet.

It is made from the manifest alone (every artifact with its leaflet, language,
format, edition, size, path, title, review date and draft state), so that
``leaflet build`` and a merge of several builds' manifests write the same page.
Leaflet details the manifest lacks (code, version, source language) are
optional: ``leaflet_details`` reads them from the library's front matter.

The page is one file with its CSS and script inline and a Content-Security-
Policy that forbids fetching anything, so it works from ``file://``, a web
server or an intranet share alike.  Every link is relative.  The script only
adds the filter box; without it the whole list shows.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import jinja2
from babel.numbers import format_decimal
from markupsafe import Markup

from leaflet import langs
from leaflet.errors import LeafletError
from leaflet.files import write_atomic

from .options import DEFAULT_SIZE_PT
from .shared import DRAFT_BANNER, EDITION_NAMES, N_, format_date

INDEX = "index.html"
TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_UI_LANG = "en-GB"

FORMAT_ORDER = ("pdf", "docx", "epub", "html", "text")
FORMAT_NAMES = {
    "pdf": N_("PDF"),
    "docx": N_("Word"),
    "epub": N_("EPUB e-book"),
    "html": N_("Web page"),
    "text": N_("Plain text"),
}
EDITION_ORDER = ("standard", "large-print", "easy-read")
SIZE_KB = N_("{size} KB")
SIZE_MB = N_("{size} MB")
EDITION_AT_SIZE = N_("{edition}, {size} pt")
SHOWN = N_("Leaflets shown: {shown} of {total}")
MADE_ON = N_("This list was made on {date}.")
NOTHING_BUILT = N_("No leaflets have been built yet.")


@dataclass
class FileLink:
    format: str
    name: str
    href: str
    size: str


@dataclass
class EditionRow:
    name: str
    draft: bool
    print_href: str | None
    files: list[FileLink] = field(default_factory=list)


@dataclass
class LanguageBlock:
    lang: str
    native_name: str
    ui_name: str
    direction: str
    title: str
    draft: bool
    search: str
    editions: list[EditionRow] = field(default_factory=list)


@dataclass
class LeafletBlock:
    slug: str
    title: str
    title_lang: str
    code: str
    version: str
    review: str
    overdue: bool
    search: str
    languages: list[LanguageBlock] = field(default_factory=list)


def write_index(out_dir: Path, entries: list[dict], ui_lang: str = DEFAULT_UI_LANG,
                words: dict[str, str] | None = None, details: dict[str, dict] | None = None,
                today: dt.date | None = None) -> Path:
    """Write ``<out_dir>/index.html`` for the manifest ``entries``; return its path.

    ``words`` are the tool's template words in ``ui_lang`` (``locale.ui_words``);
    ``details`` maps a leaflet's slug to extra facts (code, version, language,
    title), as ``leaflet_details`` reads them."""
    text = render_index(entries, ui_lang, words, details, today)
    target = Path(out_dir) / INDEX
    write_atomic(target, text.encode("utf-8"))
    return target


def render_index(entries: list[dict], ui_lang: str = DEFAULT_UI_LANG,
                 words: dict[str, str] | None = None, details: dict[str, dict] | None = None,
                 today: dt.date | None = None) -> str:
    """The index page as HTML text."""
    try:
        ui_lang = langs.normalise(ui_lang)
    except ValueError:
        raise LeafletError("", None, f"unknown language '{ui_lang}' for the index; use a "
                           "tag such as en-GB or pl") from None
    words = words or {}
    today = today or dt.date.today()

    def _(message: str) -> str:
        return words.get(message) or message

    leaflets = gather(entries, ui_lang, _, details or {}, today)
    script = (TEMPLATES / "index.js").read_text(encoding="utf-8")
    csp = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
           f"form-action 'none'; script-src '{script_hash(script)}'")
    env = _environment()
    env.install_gettext_callables(_, lambda s, p, n: _(s if n == 1 else p), newstyle=False)
    return env.get_template(INDEX).render(
        lang=ui_lang, direction=langs.direction(ui_lang), leaflets=leaflets,
        css=style_text((TEMPLATES / "index.css").read_text(encoding="utf-8")), script=script,
        csp=csp,
        draft_words=_(DRAFT_BANNER), shown_template=_(SHOWN),
        shown_now=_(SHOWN).replace("{shown}", str(len(leaflets)))
                          .replace("{total}", str(len(leaflets))),
        made_on=_(MADE_ON).replace("{date}", format_date(today, ui_lang)),
        nothing_built=_(NOTHING_BUILT))


def style_text(css: str) -> Markup:
    """Our own stylesheet as the text of a <style> element: not HTML-escaped (quoted font
    names must stay quotes), but never able to end the element early: "</style" becomes
    "<\\/style", which CSS reads as the same characters in a string."""
    return Markup(_STYLE_END.sub(r"<\\/\1", css))


_STYLE_END = re.compile(r"</(style)", re.IGNORECASE)


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script and no other."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def gather(entries: list[dict], ui_lang: str, _, details: dict[str, dict],
           today: dt.date) -> list[LeafletBlock]:
    """The manifest's entries grouped by leaflet, language and edition, in reading order."""
    by_leaflet: dict[str, list[dict]] = {}
    for entry in entries:
        if entry.get("leaflet") and entry.get("lang") and entry.get("path"):
            by_leaflet.setdefault(entry["leaflet"], []).append(entry)
    blocks = []
    for slug, items in by_leaflet.items():
        facts = details.get(slug, {})
        source_lang = facts.get("language") or ""
        titles = {e["lang"]: e.get("title") or slug for e in items}
        title_lang = next((l for l in (ui_lang, ui_lang.split("-")[0], source_lang) if l in titles),
                          sorted(titles)[0])
        title = titles[title_lang]
        review_iso = facts.get("review") or _first(items, "review")
        try:
            review_date = dt.date.fromisoformat(str(review_iso))
            review, overdue = format_date(review_date, ui_lang), review_date < today
        except ValueError:
            review, overdue = "", False
        code, version = str(facts.get("code") or ""), str(facts.get("version") or "")
        block = LeafletBlock(slug, title, title_lang, code, version, review, overdue,
                             search=" ".join([slug, code, *titles.values()]))
        by_lang: dict[str, list[dict]] = {}
        for entry in items:
            by_lang.setdefault(entry["lang"], []).append(entry)
        for lang, lang_items in by_lang.items():
            block.languages.append(language_block(lang, lang_items, ui_lang, _))
        block.languages.sort(key=lambda b: (b.lang != source_lang, b.ui_name.casefold(), b.lang))
        blocks.append(block)
    blocks.sort(key=lambda b: (b.title.casefold(), b.slug))
    return blocks


def language_block(lang: str, items: list[dict], ui_lang: str, _) -> LanguageBlock:
    native = langs.native_name(lang)
    ui_locale = langs.babel_locale(ui_lang)
    locale = langs.babel_locale(lang)
    ui_name = native
    if locale is not None and ui_locale is not None:
        # As the reader's language writes it: "Polish", but "angielski" in Polish.
        ui_name = locale.get_language_name(ui_locale) or native
    english = langs.english_name(lang)
    editions: dict[tuple[int, float], list[dict]] = {}
    for entry in items:
        edition = entry.get("edition", "standard")
        rank = EDITION_ORDER.index(edition) if edition in EDITION_ORDER else len(EDITION_ORDER)
        editions.setdefault((rank, float(entry.get("size_pt") or 0)), []).append(entry)
    rows = []
    for _key, group in sorted(editions.items()):
        rows.append(edition_row(group, ui_lang, _))
    title = _first(items, "title") or ""
    draft = all(row.draft for row in rows)
    search = " ".join([lang, native, ui_name, english, title])
    return LanguageBlock(lang, native, ui_name if ui_name != native else "",
                         langs.direction(lang), title, draft, search, rows)


def edition_row(group: list[dict], ui_lang: str, _) -> EditionRow:
    edition = group[0].get("edition", "standard")
    name = _(EDITION_NAMES.get(edition, edition))
    size = float(group[0].get("size_pt") or 0)
    if edition == "large-print" or (size and size != DEFAULT_SIZE_PT.get(edition, size)):
        name = _(EDITION_AT_SIZE).replace("{edition}", name).replace("{size}", f"{size:g}")
    files = sorted(group, key=lambda e: (FORMAT_ORDER.index(e["format"])
                                         if e.get("format") in FORMAT_ORDER else 99,
                                         e.get("format", "")))
    links = [FileLink(e.get("format", ""), _(FORMAT_NAMES.get(e.get("format"), e.get("format", ""))),
                      href(e["path"]), file_size(int(e.get("bytes") or 0), ui_lang, _))
             for e in files]
    pdf = next((link.href for link in links if link.format == "pdf"), None)
    return EditionRow(name, any(bool(e.get("draft")) for e in group), pdf, links)


def href(path: str) -> str:
    """A manifest path as a relative link: each segment percent-encoded, never absolute."""
    return "/".join(quote(part) for part in str(path).strip("/").split("/") if part not in ("", ".", ".."))


def file_size(size: int, ui_lang: str, _) -> str:
    """"120 KB", "1.4 MB": the size a member of staff sees before opening a file."""
    number_locale = langs.babel_locale(ui_lang)
    if size >= 1024 * 1024:
        number = format_decimal(round(size / (1024 * 1024), 1), locale=number_locale)
        return _(SIZE_MB).replace("{size}", number)
    number = format_decimal(max(1, round(size / 1024)), locale=number_locale)
    return _(SIZE_KB).replace("{size}", number)


def _first(items: list[dict], key: str):
    return next((e.get(key) for e in items if e.get(key)), None)


def leaflet_details(library) -> dict[str, dict]:
    """Code, version, language, title and review date of every leaflet, from its front matter.

    Only the front matter is read (as ``leaflet build`` already parsed it);
    a leaflet whose front matter cannot be read is left out: its build reports why."""
    from leaflet import source
    from leaflet.errors import Collector

    details = {}
    for slug in library.slugs():
        path = library.source_file(slug)
        rel = library.rel(path)
        try:
            # The same reading as the build's: YAML aliases and anchors are refused
            # (a "billion laughs" front matter must not hang the index).
            front, _body, _line = source.split_front_matter(source.read_text(path, rel), rel)
            meta = source.parse_meta(front, rel, Collector())
        except (LeafletError, ValueError):
            continue
        facts = {key: str(getattr(meta, key)) for key in ("code", "version", "title")
                 if getattr(meta, key, None) not in (None, "")}
        if meta.review:
            facts["review"] = meta.review.isoformat()
        facts["language"] = meta.language
        details[slug] = facts
    return details


def write_library_index(library, out_dir: Path, ui_lang: str = DEFAULT_UI_LANG,
                        entries: list[dict] | None = None) -> Path:
    """The index for a library's build folder: the manifest's ``entries`` (read from
    ``<out_dir>/manifest.json`` when not given), the library's leaflet details and the
    tool's words in ``ui_lang``."""
    import json

    from leaflet import locale

    if entries is None:
        try:
            data = json.loads((Path(out_dir) / "manifest.json").read_text(encoding="utf-8"))
            entries = [e for e in data.get("artifacts", []) if isinstance(e, dict)]
        except (OSError, ValueError, AttributeError):
            entries = []
    return write_index(out_dir, entries, ui_lang, locale.ui_words(library, ui_lang),
                       leaflet_details(library))


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True,
                              extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined)


# Serving ---------------------------------------------------------------------------

# Types a browser needs to open or download what a build holds; the standard
# library's table lacks EPUB and Word, and would guess text without a charset.
SERVED_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".epub": "application/epub+zip",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def server(out_dir: Path, host: str = "127.0.0.1", port: int = 8000):
    """An HTTP server for a build folder (not yet serving: call ``serve_forever``).

    Port 0 takes any free port; ``server.server_address`` says which."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **SERVED_TYPES}

        def log_message(self, format, *args):  # noqa: A002 - the standard library's name
            pass  # a request log is noise to someone opening leaflets

    folder = Path(out_dir)
    if not (folder / INDEX).is_file():
        raise LeafletError(str(folder), None, "nothing has been built here yet: run "
                           "'leaflet build' first")
    try:
        return ThreadingHTTPServer((host, port),
                                   functools.partial(Handler, directory=str(folder)))
    except OSError as exc:
        raise LeafletError("", None, f"cannot serve on {host} port {port} ({exc.strerror}): "
                           "choose another with --port") from None
