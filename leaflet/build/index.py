"""Writing the library index, ``<out>/index.html``, from the manifest.

The page itself is made by the index writer (``formats/index.py``) from the
manifest's entries, the tool's words and the leaflets' details; this module
gathers those: the details from each leaflet's front matter (read once per build,
through ``Sources``), the words from the ui catalogs, and writes the file.  It is
made after every build and merge, never cached (only its template is kept compiled,
in ``<out>/.cache/jinja``), and written when it changed: so the files only it uses are
left out of the artifacts' keys.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import approvals, i18n, settings
from ..errors import LeafletError, Problem
from ..library import Library
from .coverage_cache import TEMPLATES_FOLDER, private_folder
from .manifest import load_manifest, write_changed
from .plan import Sources

INDEX = "index.html"
DEFAULT_UI_LANG = "en-GB"


def leaflet_details(library: Library, sources: Sources | None = None) -> dict[str, dict]:
    """Code, version, language, title and review date of every leaflet, from its front
    matter (refusing YAML aliases, so a "billion laughs" front matter cannot hang the
    index).  A leaflet whose front matter cannot be read is left out: its build says why."""
    sources = sources or Sources(library)
    details = {}
    for slug in library.slugs():
        meta, _ = sources.front(slug)
        if meta is None:
            continue
        facts = {key: str(getattr(meta, key)) for key in ("code", "version", "title", "owner",
                                                          "online", "specialty")
                 if getattr(meta, key, None) not in (None, "")}
        if meta.review:
            facts["review"] = meta.review.isoformat()
        facts["language"] = meta.language
        if approvals.awaiting(library, slug):
            facts["awaiting_approval"] = True
        details[slug] = facts
    return details


def write_index(out_dir: Path, entries: list[dict], ui_lang: str = DEFAULT_UI_LANG,
                words: dict[str, str] | None = None, details: dict[str, dict] | None = None,
                today: dt.date | None = None, site_url: str = "",
                split: bool | None = None) -> Path:
    """Write ``<out_dir>/index.html`` for the manifest ``entries``; return its path.

    ``words`` are the tool's template words in ``ui_lang``; ``details`` maps a leaflet's
    slug to the facts ``leaflet_details`` reads; ``site_url`` is the library's public
    address (its settings), from which the pages' QR codes are made; ``split`` forces
    (True) or forbids (False) a page per leaflet, which is otherwise made only when one
    page would be too heavy."""
    from formats import index as index_writer  # Jinja2: not loaded before it is needed

    compiled = private_folder(TEMPLATES_FOLDER)
    pages = index_writer.render_library(entries, ui_lang, words, details, today, site_url,
                                        split, compiled and str(compiled))
    # A large library's index is a list page and a page per leaflet, in its folder; a
    # page that is already as it would be written is left alone.
    for path, text in pages.items():
        write_changed(Path(out_dir) / path, text.encode("utf-8"))
    # A leaflet's page from an earlier build goes once the leaflet has gone, or the
    # index is one page again: its links would lead nowhere.
    written = {(Path(out_dir) / path).resolve() for path in pages}
    for stale in Path(out_dir).glob(f"*/{INDEX}"):
        if stale.resolve() not in written and stale.is_file():
            stale.unlink()
    return Path(out_dir) / INDEX


def write_library_index(library: Library, out_dir: Path, ui_lang: str = DEFAULT_UI_LANG,
                        entries: list[dict] | None = None,
                        sources: Sources | None = None) -> Path:
    """The index for a library's build folder: the manifest's ``entries`` (read from
    ``<out_dir>/manifest.json`` when not given), the library's leaflet details and the
    tool's words in ``ui_lang``."""
    if entries is None:
        entries = load_manifest(Path(out_dir))
    return write_index(out_dir, entries, ui_lang, i18n.ui_words(library, ui_lang),
                       leaflet_details(library, sources),
                       site_url=settings.load(library.root).site_url)


def after_manifest(library: Library, out: Path, entries: list[dict], ui_lang: str,
                   sources: Sources | None = None) -> list[Problem]:
    """Write what is made from the whole manifest rather than from one leaflet (the
    library index), once the manifest is saved; the problems to report."""
    try:
        write_library_index(library, out, ui_lang, entries, sources)
    except LeafletError as exc:
        return list(exc.problems)
    return []
