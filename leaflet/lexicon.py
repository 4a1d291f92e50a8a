"""A library's lexicon, ``theme/lexicon.yaml``: words its audio says its own way, abbreviations it spells.

For each language (a tag such as ``en`` or ``pl``, or ``all``)::

    all:
      say:
        Gateshead: Gates head
    en:
      say:
        Herceptin: her sep tin
      spell: [BCN]

``all:`` applies in every language, a base language (``en``) in all its
variants, a full tag (``en-GB``) only there; later ones win.  The file is read
and checked here, before any writer runs, and handed to the audio writers as
``options.lexicon``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from . import config, langs
from .config import Field, Invalid, Table
from .errors import LeafletError, Problem
from .files import relative, stamp

LEXICON_FILE = "lexicon.yaml"
LEXICON_REL = f"theme/{LEXICON_FILE}"


@dataclass(frozen=True)
class Words:
    """One language's entry: words said another way, abbreviations spelled out."""

    lang: str
    said: tuple[tuple[str, str], ...] = ()
    spell: tuple[str, ...] = ()

    @property
    def say(self) -> dict[str, str]:
        return dict(self.said)


@dataclass(frozen=True)
class Lexicon:
    """Every language's entry, by its key as written lower-cased (``all``, ``en``, ``en-gb``)."""

    entries: tuple[Words, ...] = ()

    def get(self, key: str) -> Words | None:
        return next((words for words in reversed(self.entries) if words.lang == key), None)


def _say(value: dict, _reading: config.Reading, _at: tuple) -> tuple[tuple[str, str], ...]:
    if not all(config.words(str(k)) and config.words(v) for k, v in value.items()):
        raise Invalid(SAY_MESSAGE)
    return tuple((str(k), v) for k, v in value.items())


def _spell(value: list, _reading: config.Reading, _at: tuple) -> tuple[str, ...]:
    if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        raise Invalid(SPELL_MESSAGE)
    return tuple(str(v) for v in value)


def _language(name: str) -> str:
    if name == "all":
        return ""
    try:
        langs.check(name)
    except LeafletError as exc:
        return f"{exc.problems[0].message}, or 'all'"
    return ""


SAY_MESSAGE = "'say' must be 'written: spoken' pairs of words"
SPELL_MESSAGE = "'spell' must be a list of words"
ENTRY = Table(
    fields={
        "say": Field("words said another way, as 'written: spoken' pairs", kind=dict,
                     default=(), check=_say, message=SAY_MESSAGE),
        "spell": Field("abbreviations said letter by letter", kind=list, default=(),
                       check=_spell, message=SPELL_MESSAGE),
    },
)
TABLE = Table(
    names=Field("a language's words", table=ENTRY, default=None),
    name_check=_language,
    shape="the lexicon must list languages (en:, pl:, all:), each with 'say:' words and "
          "'spell:' abbreviations",
)


def parse(text: str, rel: str = LEXICON_REL) -> Lexicon:
    """A lexicon from the text of a lexicon.yaml; a LeafletError holds every problem."""
    values = config.read_text(text, rel, TABLE, "the lexicon")
    return Lexicon(tuple(Words(lang.lower(), entry["say"], entry["spell"])
                         for lang, entry in values.items() if entry is not None))


def load(theme: Path, root: Path) -> Lexicon:
    """The library's lexicon; an empty one when it has no lexicon.yaml."""
    path = Path(theme) / LEXICON_FILE
    if not path.is_file():
        return Lexicon()
    return _parsed(path, relative(path, Path(root)), stamp(path))


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, rel: str, _stamp: tuple) -> Lexicon:
    return parse(config.file_text(path, rel, "the lexicon"), rel)


def problems(theme: Path, root: Path) -> list[Problem]:
    """Everything ``load`` would refuse, for ``leaflet check``."""
    try:
        load(theme, root)
    except LeafletError as exc:
        return list(exc.problems)
    return []
