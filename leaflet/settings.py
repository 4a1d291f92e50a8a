"""Library settings: the optional ``leaflet.yaml`` at a library's root, what is true of the whole library.

For now one setting, ``site_url:``, the public address the build folder is
published at (as mkdocs has ``site_url``).  With it every web page's address is
known, so QR codes and links between languages can be made.  The file is checked
like the theme: every problem at once, each with its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from . import yamlsafe
from .errors import Collector, LeafletError
from .files import relative

SETTINGS_FILE = "leaflet.yaml"
KNOWN_KEYS = ("site_url",)
MAX_SETTINGS_BYTES = 100_000


@dataclass(frozen=True)
class Settings:
    site_url: str = ""  # ends with "/" when set

    def page_url(self, path: str) -> str:
        """The public address of a file at ``path`` in the build folder ("" without a
        site_url)."""
        if not self.site_url:
            return ""
        return self.site_url + "/".join(quote(part) for part in path.strip("/").split("/")
                                        if part not in ("", ".", ".."))


def load(root: Path) -> Settings:
    """The settings of the library at ``root``; the defaults when it has no settings file."""
    path = Path(root) / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    rel = relative(path, Path(root))
    try:
        if path.stat().st_size > MAX_SETTINGS_BYTES:
            raise LeafletError(rel, None, "the settings file is too large to be settings")
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        raise LeafletError(rel, None, "the settings file is not UTF-8 text") from None
    document, data = yamlsafe.load(text.lstrip("\ufeff"), rel, subject="the settings file")
    if data is None:
        return Settings()
    if not isinstance(data, dict):
        raise LeafletError(rel, document.start_mark.line + 1,
                           "the settings file must be 'name: value' lines "
                           f"({', '.join(KNOWN_KEYS)})")
    lines = yamlsafe.key_lines(document)
    problems = Collector()
    for key in data:
        if key not in KNOWN_KEYS:
            problems.error(rel, lines.get((str(key),), 1), f"unknown setting '{key}' "
                           f"(settings: {', '.join(KNOWN_KEYS)})")
    site_url = data.get("site_url")
    if site_url is not None:
        site_url = _site_url(site_url, rel, lines.get(("site_url",), 1), problems)
    problems.raise_errors()
    return Settings(site_url=site_url or "")


def _site_url(value: object, rel: str, line: int, problems: Collector) -> str:
    """The address checked, with the one "/" that ends it."""
    if not isinstance(value, str) or not value.strip():
        problems.error(rel, line, "'site_url' must be a web address such as "
                       "https://leaflets.example.nhs.uk/")
        return ""
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.netloc or any(
            c.isspace() for c in text):
        problems.error(rel, line, f"'site_url: {text[:60]}' is not a web address (it must "
                       "start with https:// and name a host)")
        return ""
    if parts.query or parts.fragment:
        problems.error(rel, line, "'site_url' must be the address of a folder, without "
                       "'?' or '#'")
        return ""
    return text.rstrip("/") + "/"
