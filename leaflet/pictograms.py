"""The pictograms easy read rows use, as ``![](pictogram:NAME)``: their names, alt text and
keywords (formats/pictograms/pictograms.yaml), and the guess of which one fits a sentence."""

from __future__ import annotations

import functools
import re

from . import yamlsafe
from .files import PICTOGRAM_FOLDER

PREFIX = "pictogram:"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CATALOGUE = PICTOGRAM_FOLDER / "pictograms.yaml"

# Pictures whose keywords are common words ("need", "people", "care"): a more
# particular picture in the same sentence is the better guess.
GENERIC_PICTOGRAMS = {"heart-care", "help", "information", "no", "question", "talk", "team",
                      "yes"}


def names() -> list[str]:
    """Every pictogram's name, in order."""
    return sorted(p.stem for p in PICTOGRAM_FOLDER.glob("*.svg"))


def exists(name: str) -> bool:
    """Whether ``name`` is one of our pictograms (and not a path out of their folder)."""
    return bool(NAME_RE.match(name)) and (PICTOGRAM_FOLDER / f"{name}.svg").is_file()


@functools.lru_cache(maxsize=1)
def _catalogue() -> dict:
    if not CATALOGUE.is_file():
        return {}
    _node, data = yamlsafe.load(CATALOGUE.read_text(encoding="utf-8"),
                                "formats/pictograms/pictograms.yaml")
    return data if isinstance(data, dict) else {}


@functools.lru_cache(maxsize=1)
def catalogue() -> dict[str, dict]:
    """Every pictogram: name -> {"alt": ..., "keywords": [...]}, in name order."""
    data = _catalogue()
    out = {}
    for name in names():
        entry = data.get(name) or {}
        out[name] = {"alt": str(entry.get("alt", "")),
                     "keywords": [str(k).lower() for k in entry.get("keywords") or ()]}
    return out


def default_alt(src: str) -> str:
    """The alt text a pictogram brings with it ("" for other images)."""
    if not src.startswith(PREFIX):
        return ""
    entry = _catalogue().get(src[len(PREFIX):]) or {}
    return str(entry.get("alt", "")) if isinstance(entry, dict) else ""


def guess(text: str, has_phone: bool = False) -> str:
    """The pictogram whose keywords a sentence uses most ("phone" for a phone number);
    "" when none fits."""
    if has_phone:
        return "phone"
    words = re.findall(r"[a-z0-9]+(?:['-][a-z0-9]+)*", text.lower().replace("\u2019", "'"))
    best, best_score, best_first = "", 0.0, len(words)
    for name, entry in catalogue().items():
        keywords = set(entry["keywords"])
        hits = [i for i, word in enumerate(words) if word in keywords]
        if not hits:
            continue
        score = len(hits) * (0.5 if name in GENERIC_PICTOGRAMS else 1.0)
        first = hits[0]
        if score > best_score or (score == best_score and first < best_first):
            best, best_score, best_first = name, score, first
    return best
