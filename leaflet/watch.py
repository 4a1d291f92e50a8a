"""Live preview for authors: ``leaflet serve --watch`` rebuilds what a saved file changed, and the open page reloads.

A watcher (watchfiles, the one uvicorn uses) reports saved sources, catalogs,
pictures, the theme and the settings file; the build then runs for the leaflets
they belong to (all of them for the theme or settings), web pages first so the
author sees them at once, the other formats after (none with ``--fast``).  The
build's own cache keys decide what is really out of date.

Pages served in this mode carry a small script that asks ``/__leaflet/version``
every second and reloads when it changes; it is added as the page is sent, never
written into a built file.  When a build fails, the failure (with file:line) is
shown at the top of every served page, over the last good output, which the
build keeps.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import threading
from pathlib import Path

import formats

from . import build as builder
from .errors import LeafletError
from .library import LOCALES_DIR, SOURCE_DIR, THEME_DIR, Library
from .serve import VERSION_PATH

SETTINGS_FILE = "leaflet.yaml"
WATCHED = (SOURCE_DIR, LOCALES_DIR, THEME_DIR)
WATCH_START_SECONDS = 10.0  # at most, before pages are served without the watch running
RELOAD_SCRIPT = (
    "(function(){var seen=null;function poll(){fetch('" + VERSION_PATH + "',{cache:'no-store'})"
    ".then(function(r){return r.json();}).then(function(d){if(seen!==null&&d.version!==seen)"
    "{location.reload();}seen=d.version;}).catch(function(){}).then(function(){"
    "setTimeout(poll,1000);});}poll();}());")
RELOAD_HASH = "'sha256-" + base64.b64encode(
    hashlib.sha256(RELOAD_SCRIPT.encode()).digest()).decode() + "'"
_META_CSP = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")',
                       re.IGNORECASE)
_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body>", re.IGNORECASE)


class Watcher:
    """Rebuilds a library into ``out`` as its files are saved, and says what the served
    pages need: the build's version number and its last failure."""

    def __init__(self, library: Library, out: Path, fast: bool = False):
        self.library = library
        self.out = Path(out)
        self.fast = fast
        self.version = 0
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._thread: threading.Thread | None = None

    # Building -------------------------------------------------------------------

    def rebuild(self, slugs: tuple[str, ...] = ()) -> None:
        """Web pages of ``slugs`` (every leaflet when empty) first, then the rest."""
        self._build(slugs, (formats.web_page().name,), jobs=1)
        if not self.fast:
            # Everything, as a plain build makes it: the web pages are up to date by now.
            self._build(slugs, (), jobs=None)

    def _build(self, slugs: tuple[str, ...], names: tuple[str, ...], jobs: int | None) -> None:
        slugs = tuple(s for s in slugs if s in self.library.slugs())
        try:
            report = builder.build(self.library, self.out,
                                   builder.Selection(leaflets=slugs, formats=names), jobs=jobs)
            errors = report.failure_lines()
        except LeafletError as exc:
            errors = [str(problem) for problem in exc.problems] or [str(exc)]
        with self._lock:
            if names == (formats.web_page().name,) or errors:
                self.errors = errors
            self.version += 1

    def changed_leaflets(self, paths: list[Path]) -> tuple[str, ...] | None:
        """The leaflets the saved ``paths`` belong to; None when they concern all of them
        (the theme, the settings file, a new or removed leaflet folder)."""
        root = self.library.root.resolve()
        slugs = []
        for path in paths:
            try:
                parts = Path(path).resolve().relative_to(root).parts
            except ValueError:
                continue
            if parts[0] == SOURCE_DIR and len(parts) >= 3:
                slugs.append(parts[1])
            elif parts[0] == LOCALES_DIR and len(parts) == 3:
                slugs.append(parts[2].split(".")[0])
            elif parts[0] in (THEME_DIR, SETTINGS_FILE) or parts[0] == SOURCE_DIR:
                return None
        return tuple(dict.fromkeys(slugs))

    def wanted(self, path: str) -> bool:
        """Whether a change at ``path`` is one of the library's inputs (not the build
        folder, an editor's swap file or a folder of its own)."""
        try:
            parts = Path(path).resolve().relative_to(self.library.root.resolve()).parts
        except ValueError:
            return False
        name = parts[-1] if parts else ""
        if name.startswith(".") or name.endswith(("~", ".swp", ".tmp")):
            return False
        if Path(path).resolve().is_relative_to(self.out.resolve()):
            return False
        return bool(parts) and (parts[0] in WATCHED or parts == (SETTINGS_FILE,))

    def rebuild_html(self) -> None:
        """Every leaflet's web pages: what the server shows first."""
        self._build((), (formats.web_page().name,), jobs=1)

    def start(self, rest_first: bool = False) -> None:
        """Watch in a thread until ``stop``, returning once the watch has begun, so that
        nothing saved after the pages are served is missed; with ``rest_first``, build
        the other formats then."""
        self._thread = threading.Thread(target=self._watch, args=(rest_first,), daemon=True)
        self._thread.start()
        self._watching.wait(timeout=WATCH_START_SECONDS)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def folders(self) -> list[Path]:
        """The folders watched: the library's own and every folder below its sources,
        catalogs and theme, never through a link (a link to /usr would add thousands of
        watches, and what is outside the library is none of its inputs)."""
        root = self.library.root.resolve()
        out = self.out.resolve()
        found = [root]
        for name in WATCHED:
            top = root / name
            if top.is_symlink() or not top.is_dir():
                continue
            for folder, subfolders, _files in os.walk(top):
                here = Path(folder)
                found.append(here)
                subfolders[:] = sorted(
                    name for name in subfolders
                    if not (here / name).is_symlink() and not name.startswith(".")
                    and not (here / name).resolve().is_relative_to(out))
        return found

    def _watch(self, rest_first: bool) -> None:
        import watchfiles

        # Each folder is watched on its own (watchfiles follows links in the folders it
        # watches recursively); when folders come or go, the watch starts again.
        while not self._stop.is_set():
            folders = self.folders()
            try:
                # The first empty answer comes once the watch is running.
                for changes in watchfiles.watch(*folders, recursive=False,
                                                stop_event=self._stop,
                                                watch_filter=lambda _change, path:
                                                self.wanted(path),
                                                debounce=300, step=50, rust_timeout=500,
                                                yield_on_timeout=True, raise_interrupt=False):
                    self._watching.set()
                    if not changes:
                        if rest_first:
                            rest_first = False
                            self._build((), (), jobs=None)
                        continue
                    slugs = self.changed_leaflets([Path(path) for _change, path in changes])
                    self.rebuild(() if slugs is None else slugs)
                    if self.folders() != folders:
                        break
            except FileNotFoundError:  # a folder went between listing and watching it
                self._stop.wait(0.1)

    # Serving --------------------------------------------------------------------

    def version_answer(self) -> bytes:
        with self._lock:
            return json.dumps({"version": self.version, "errors": self.errors}).encode()

    def page(self, data: bytes) -> bytes:
        """A built page as it is served in watch mode: the reload script (allowed by its
        hash in the page's own policy), and the last build's failure at the top."""
        text = data.decode("utf-8", errors="replace")
        text = _META_CSP.sub(lambda m: m.group(1) + allow_reload(m.group(2)) + m.group(3),
                             text, count=1)
        with self._lock:
            errors = list(self.errors)
        if errors:
            notice = ('<div class="leaflet-watch-error" role="alert"><p><strong>The last '
                      'change could not be built; this is the last good version.</strong></p>'
                      "<pre>" + html.escape("\n".join(errors)) + "</pre></div>")
            text = _BODY_OPEN.sub(lambda m: m.group(0) + notice, text, count=1)
        script = f"<script>{RELOAD_SCRIPT}</script>"
        if _BODY_CLOSE.search(text):
            text = _BODY_CLOSE.sub(lambda m: script + m.group(0), text, count=1)
        else:
            text += script
        return text.encode("utf-8")


def allow_reload(policy: str) -> str:
    """A page's Content-Security-Policy that also lets the reload script run and ask the
    server for the version."""
    directives = [d.strip() for d in html.unescape(policy).split(";") if d.strip()]
    found = {d.split()[0]: i for i, d in enumerate(directives)}
    for name, source in (("script-src", RELOAD_HASH), ("connect-src", "'self'")):
        if name in found:
            words = [w for w in directives[found[name]].split() if w != "'none'"]
            directives[found[name]] = " ".join(words + [source])
        else:
            directives.append(f"{name} {source}")
    return html.escape("; ".join(directives))
