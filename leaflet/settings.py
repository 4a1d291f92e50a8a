"""Library settings: the optional ``leaflet.yaml`` at a library's root, what is true of the whole library.

``site_url:`` is the public address the build folder is published at (as mkdocs
has ``site_url``): with it every web page's address is known, so QR codes and
links between languages can be made.  ``reading_age:`` is the reading age the
plain-English checks of ``leaflet check`` measure leaflets against (default 11).  The file is read
against its field table (``TABLE``, ``leaflet/config.py``): every problem at once,
each with its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from . import config
from .config import Field, Invalid, Table
from .errors import LeafletError, Problem
from .files import relative

SETTINGS_FILE = "leaflet.yaml"
MAX_SETTINGS_BYTES = 100_000


@dataclass(frozen=True)
class Settings:
    site_url: str = ""  # ends with "/" when set
    reading_age: int = 11  # the plain-English target `leaflet check` measures against

    def page_url(self, path: str) -> str:
        """The public address of a file at ``path`` in the build folder ("" without a
        site_url)."""
        if not self.site_url:
            return ""
        return self.site_url + "/".join(quote(part) for part in path.strip("/").split("/")
                                        if part not in ("", ".", ".."))


def _site_url(value: str, _reading: config.Reading, _at: tuple) -> str:
    """The address checked, with the one "/" that ends it."""
    text = value.strip()
    if not text:
        raise Invalid(SITE_URL.refusal("site_url", value))
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.netloc or any(
            c.isspace() for c in text):
        raise Invalid(f"'site_url: {text[:60]}' is not a web address (it must start with "
                      "https:// and name a host)")
    if parts.query or parts.fragment:
        raise Invalid("'site_url' must be the address of a folder, without '?' or '#'")
    return text.rstrip("/") + "/"


SITE_URL = Field("the public address the build folder is published at, such as "
                 "https://leaflets.example.nhs.uk/", kind=str, default="", check=_site_url,
                 message="'site_url' must be a web address such as "
                 "https://leaflets.example.nhs.uk/")
READING_AGE = Field("the reading age leaflets are written for, a whole number of years from "
                    "7 to 21 (NHS guidance asks for 9 to 11)", kind=int, default=11,
                    range=(7, 21))
TABLE = Table(
    fields={"site_url": SITE_URL, "reading_age": READING_AGE},
    shape="the settings file must be 'name: value' lines ({known})",
)
KNOWN_KEYS = tuple(TABLE.fields)


def load(root: Path) -> Settings:
    """The settings of the library at ``root``; the defaults when it has no settings file."""
    path = Path(root) / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    rel = relative(path, Path(root))
    text = config.file_text(path, rel, "the settings file", MAX_SETTINGS_BYTES)
    values = config.read_text(text, rel, TABLE, "the settings file")
    return Settings(**values)


def problems(root: Path) -> list[Problem]:
    """Everything ``load`` would refuse, for ``leaflet check``."""
    try:
        load(root)
    except LeafletError as exc:
        return list(exc.problems)
    return []
