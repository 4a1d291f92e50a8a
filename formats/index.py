"""The library index writer: manifest entries and words -> the HTML of ``<out>/index.html``.

The page is one where clinic staff find and print any leaflet.  It is made from
the manifest's entries alone (every artifact with its leaflet, language, format,
edition, size, path, title, review date and draft state), so that ``leaflet
build`` and a merge of several builds' manifests write the same page.  Leaflet
details the manifest lacks (code, version, source language) are optional: the
builder reads them from the library's front matter and passes them in.  Like
every writer, this one touches no file but its own templates (and the folder the
builder may give it to keep them compiled in between runs).

The page is one file with its CSS and script inline and a Content-Security-
Policy that forbids fetching anything, so it works from ``file://``, a web
server or an intranet share alike.  Every link is relative.  The script only
adds the filter box; without it the whole list shows.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import jinja2
from babel.numbers import format_decimal
from markupsafe import Markup

from leaflet import langs
from leaflet.errors import LeafletError

from . import FORMATS, web_page
from .options import DEFAULT_SIZE_PT
from .shared import DRAFT_BANNER, EDITION_NAMES, N_, format_date
from .typography import colon, labelled

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_UI_LANG = "en-GB"
EDITION_ORDER = ("standard", "large-print", "easy-read")
SIZE_KB = N_("{size} KB")
SIZE_MB = N_("{size} MB")
LENGTH_MINUTES = N_("{minutes} min")
EDITION_AT_SIZE = N_("{edition}, {size} pt")
SHOWN = N_("Leaflets shown: {shown} of {total}")
MADE_ON = N_("This list was made on {date}.")
NOTHING_BUILT = N_("No leaflets have been built yet.")
PAGE_TITLE = N_("Patient leaflets")
INDEX_PAGE = "index.html"
# Above this, the index becomes a list page and a page per leaflet: a page staff open
# many times a day must load at once on a hospital PC and an intranet share.
LIGHT_PAGE_BYTES = 2 * 1024 * 1024
OTHER_LEAFLETS = N_("Other leaflets")
QR_ALT = N_("QR code for the web page {address}")
# Second English names people type for a language, where CLDR (and so babel) gives
# only one: the filter finds Bengali editions by "Bengali" and by "Bangla" alike.
LANGUAGE_ALIASES = {
    "bn": ("Bengali", "Bangla"),
    "fa": ("Farsi", "Persian"),
    "pa": ("Panjabi", "Punjabi"),
    "ps": ("Pushto", "Pashto"),
    "my": ("Burmese", "Myanmar"),
    "zh": ("Mandarin", "Chinese"),
    "ckb": ("Sorani", "Kurdish"),
    "ro": ("Romanian", "Moldovan"),
}


@dataclass
class FileLink:
    format: str
    name: str
    href: str
    size: str
    length: str = ""  # an audio's length in minutes: "12 min"


@dataclass
class EditionRow:
    name: str
    draft: bool
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
    web: str = ""    # the public address of its web page, when the library has a site_url
    qr: str = ""     # that address as a QR code: a PNG data URI


@dataclass
class Group:
    """Leaflets of one specialty, under its heading; one unnamed group when no leaflet
    names its specialty."""

    name: str
    slug: str
    leaflets: list


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
    owner: str = ""
    online: str = ""
    specialty: str = ""
    awaiting_approval: bool = False  # its text changed after its last approval


def render_library(entries: list[dict], ui_lang: str = DEFAULT_UI_LANG,
                   words: dict[str, str] | None = None, details: dict[str, dict] | None = None,
                   today: dt.date | None = None, site_url: str = "",
                   split: bool | None = None,
                   compiled_templates: str | None = None) -> dict[str, str]:
    """The index's pages by their paths in the build folder: ``index.html`` alone, every
    file of every leaflet on it; or, when that page would be heavier than LIGHT_PAGE_BYTES
    (or ``split`` says so), a light list of leaflets and languages in ``index.html`` and
    each leaflet's files on its own ``<slug>/index.html``.  With ``site_url`` (the
    library's public address) every language's web page is shown as a QR code.
    ``compiled_templates`` is a folder of the builder's own where the templates are kept
    compiled between runs: compiling the page costs more than making the index of a few
    leaflets."""
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
    if site_url:
        add_web_addresses(leaflets, entries, site_url, _)
    env = _environment(compiled_templates)
    env.install_gettext_callables(_, lambda s, p, n: _(s if n == 1 else p),
                                  newstyle=NEWSTYLE_GETTEXT)
    script = (TEMPLATES / "index.js").read_text(encoding="utf-8")
    common = dict(
        lang=ui_lang, direction=langs.direction(ui_lang), script=script, colon=colon(ui_lang),
        css=style_text((TEMPLATES / "index.css").read_text(encoding="utf-8")),
        csp=("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
             f"form-action 'none'; script-src '{script_hash(script)}'"),
        draft_words=_(DRAFT_BANNER), shown_template=_(SHOWN),
        made_on=_(MADE_ON).replace("{date}", format_date(today, ui_lang)),
        nothing_built=_(NOTHING_BUILT), qr_alt=_(QR_ALT), page_title=_(PAGE_TITLE))

    def page(blocks: list[LeafletBlock], **extra) -> str:
        groups = group_by_specialty(blocks, _)
        shown = _(SHOWN).replace("{shown}", str(len(blocks))).replace("{total}", str(len(blocks)))
        values = dict(common, leaflets=blocks, groups=groups, shown_now=shown,
                      grouped=len(groups) > 1 or bool(groups and groups[0].name),
                      list_only=False, prefix="", back="", heading=common["page_title"])
        values.update(extra)
        return env.get_template("index.html").render(**values)

    whole = page(leaflets) if split is not True else ""
    if split is False or (split is None and len(whole.encode("utf-8")) <= LIGHT_PAGE_BYTES):
        return {INDEX_PAGE: whole}
    pages = {INDEX_PAGE: page(leaflets, list_only=True)}
    for block in leaflets:
        pages[f"{block.slug}/{INDEX_PAGE}"] = page(
            [block], prefix="../", back="../" + INDEX_PAGE,
            heading=labelled(common["page_title"], block.title, ui_lang))
    return pages


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
                             search=" ".join([slug, code, str(facts.get("specialty") or "")]),
                             owner=str(facts.get("owner") or _first(items, "owner") or ""),
                             online=web_address(facts.get("online") or _first(items, "online")),
                             specialty=str(facts.get("specialty") or ""),
                             awaiting_approval=bool(facts.get("awaiting_approval")))
        by_lang: dict[str, list[dict]] = {}
        for entry in items:
            by_lang.setdefault(entry["lang"], []).append(entry)
        for lang, lang_items in by_lang.items():
            block.languages.append(language_block(lang, lang_items, ui_lang, _))
        block.languages.sort(key=lambda b: (b.lang != source_lang, b.ui_name.casefold(), b.lang))
        blocks.append(block)
    blocks.sort(key=lambda b: (b.title.casefold(), b.slug))
    return blocks


def group_by_specialty(leaflets: list[LeafletBlock], _) -> list[Group]:
    """The leaflets under their specialties, in alphabetical order, those without one
    last; a library that names no specialty is one group without a heading."""
    named: dict[str, list[LeafletBlock]] = {}
    others = []
    for block in leaflets:
        if block.specialty:
            named.setdefault(block.specialty, []).append(block)
        else:
            others.append(block)
    if not named:
        return [Group("", "", leaflets)] if leaflets else []
    groups = [Group(name, "group-" + _slug(name), items)
              for name, items in sorted(named.items(), key=lambda kv: kv[0].casefold())]
    if others:
        groups.append(Group(_(OTHER_LEAFLETS), "group-other", others))
    return groups


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def add_web_addresses(leaflets: list[LeafletBlock], entries: list[dict], site_url: str,
                      _) -> None:
    """Each language's web page (its standard edition) at the library's public address,
    and its QR code."""
    base = site_url.rstrip("/") + "/"
    pages = {(e.get("leaflet"), e.get("lang")): e["path"] for e in entries
             if e.get("format") == web_page().name and e.get("edition", "standard") == "standard"
             and e.get("path")}
    for block in leaflets:
        for language in block.languages:
            path = pages.get((block.slug, language.lang))
            if path:
                language.web = base + href(path)
                language.qr = qr_data_uri(language.web)


def qr_data_uri(address: str) -> str:
    """A QR code as the smallest PNG it can be (one pixel a module, two colours), which
    the page's CSS enlarges with sharp edges: thousands fit in a light page."""
    import segno  # only a library with a site_url needs it

    buffer = io.BytesIO()
    segno.make(address, error="m", micro=False).save(buffer, kind="png", scale=1, border=4)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


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
    # What the filter finds a language by besides the words shown (its names in its own
    # and the reader's words, the title): its code, its English name and the second
    # English names people use, so "bn", "বাংলা", "Bangla", "Bengali" all find it.
    shown = {native, ui_name}
    search = " ".join(word for word in dict.fromkeys(
        [lang, english, *LANGUAGE_ALIASES.get(lang.split("-")[0], ())]) if word not in shown)
    return LanguageBlock(lang, native, ui_name if ui_name != native else "",
                         langs.direction(lang), title, draft, search, rows)


def edition_row(group: list[dict], ui_lang: str, _) -> EditionRow:
    edition = group[0].get("edition", "standard")
    name = _(EDITION_NAMES.get(edition, edition))
    size = float(group[0].get("size_pt") or 0)
    if edition == "large-print" or (size and size != DEFAULT_SIZE_PT.get(edition, size)):
        name = _(EDITION_AT_SIZE).replace("{edition}", name).replace("{size}", f"{size:g}")
    files = sorted(group, key=lambda e: (FORMATS[e["format"]].order
                                         if e.get("format") in FORMATS else 1_000_000,
                                         e.get("format", "")))
    links = [FileLink(e.get("format", ""), format_label(e.get("format", ""), _),
                      href(e["path"]), file_size(int(e.get("bytes") or 0), ui_lang, _),
                      minutes(e.get("duration"), ui_lang, _))
             for e in files]
    return EditionRow(name, any(bool(e.get("draft")) for e in group), links)


def format_label(name: str, _) -> str:
    """A format as the reader's language names it: the registry's label, translated."""
    fmt = FORMATS.get(name)
    return _(fmt.label) if fmt else name


def href(path: str) -> str:
    """A manifest path as a relative link: each segment percent-encoded, never absolute."""
    return "/".join(quote(part) for part in str(path).strip("/").split("/")
                    if part not in ("", ".", ".."))


def file_size(size: int, ui_lang: str, _) -> str:
    """"120 KB", "1.4 MB": the size a member of staff sees before opening a file."""
    number_locale = langs.babel_locale(ui_lang)
    if size >= 1024 * 1024:
        number = format_decimal(round(size / (1024 * 1024), 1), locale=number_locale)
        return _(SIZE_MB).replace("{size}", number)
    number = format_decimal(max(1, round(size / 1024)), locale=number_locale)
    return _(SIZE_KB).replace("{size}", number)


def minutes(seconds, ui_lang: str, _) -> str:
    """"12 min": how long an audio plays, rounded to the minute (at least one); "" for a
    file that is not audio, or a duration that is not a number."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
        return ""
    number = format_decimal(max(1, round(seconds / 60)), locale=langs.babel_locale(ui_lang))
    return _(LENGTH_MINUTES).replace("{minutes}", number)


def web_address(value) -> str:
    """A leaflet's online address, only when it is one (a manifest is a file anyone can edit)."""
    text = str(value or "")
    return text if text.startswith(("https://", "http://")) else ""


def _first(items: list[dict], key: str):
    return next((e.get(key) for e in items if e.get(key)), None)


ENVIRONMENT = dict(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                   extensions=("jinja2.ext.i18n",))
NEWSTYLE_GETTEXT = False


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates kept compiled in a folder.  Jinja checks a kept template against its
    source alone, so the files' names also hold the Jinja version and the environment's
    options, which change what a source compiles to; a folder that cannot be written to
    only means compiling again next time."""

    def __init__(self, folder: str):
        made_by = repr((jinja2.__version__, sorted(ENVIRONMENT.items()), NEWSTYLE_GETTEXT))
        version = hashlib.sha256(made_by.encode()).hexdigest()[:16]
        super().__init__(folder, f"index-{version}-%s.cache")

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _environment(compiled_templates: str | None = None) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
        bytecode_cache=CompiledTemplates(compiled_templates) if compiled_templates else None,
        **ENVIRONMENT)
