"""Library files read against one declarative table of their fields, as mkdocs reads its configuration.

Each file the tool reads from a library (``leaflet.yaml``, ``theme/theme.yaml``,
``theme/voice.yaml``, ``theme/lexicon.yaml``, ``locales/<lang>/reviews.yaml``)
and its own data (``leaflet/data/units.yaml``) has a ``Table``: for every field
its type, range, choices, default and help, plus any check a type cannot say.
``read_file`` reads a file against its table and reports every problem at once,
each at its line, as one ``LeafletError``; nothing is read field by field by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from . import yamlsafe
from .errors import Collector, LeafletError

Where = tuple  # a path of keys (and list positions) in a file


class Invalid(Exception):
    """A value a field refuses; ``at`` is where below the field the fault lies."""

    def __init__(self, message: str, at: Where = ()):
        super().__init__(message)
        self.message = message
        self.at = at


@dataclass
class Reading:
    """One file being read: where it is, the line of every key, the problems found."""

    rel: str
    lines: dict[Where, int]
    problems: Collector = field(default_factory=Collector)
    folder: Path | None = None  # the folder the file's own file names are relative to

    def line(self, at: Where) -> int:
        """The line of ``at``, else of the nearest key above it, else 1."""
        for depth in range(len(at), 0, -1):
            if at[:depth] in self.lines:
                return self.lines[at[:depth]]
        return 1

    def error(self, at: Where, message: str) -> None:
        self.problems.error(self.rel, self.line(at), message)

    def warn(self, at: Where, message: str) -> None:
        self.problems.warn(self.rel, self.line(at), message)


@dataclass(frozen=True, eq=False)
class Field:
    """One setting: what it is (``help``), its type, range and choices, its default,
    and a ``check`` for what a type cannot say (``check(value, reading, at)`` returns
    the value in its checked form or raises ``Invalid``).  ``message`` is what a value
    of the wrong type, range or choice is told ({name} and {value} are filled in);
    without one it is "'name' must be <help>"."""

    help: str
    kind: type | tuple[type, ...] | None = None
    default: Any = None
    range: tuple[float, float] | None = None
    choices: tuple = ()
    table: Table | None = None
    check: Callable[[Any, Reading, Where], Any] | None = None
    message: str = ""
    required: bool = False

    def refusal(self, name: str, value: object) -> str:
        text = self.message or "'{name}' must be " + self.help
        return text.format(name=name, value=str(value)[:60])

    def read(self, name: str, value: object, reading: Reading, at: Where) -> Any:
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        if self.kind is not None and (not isinstance(value, kinds)
                                      or isinstance(value, bool) and bool not in kinds):
            raise Invalid(self.refusal(name, value))
        if self.range is not None and not self.range[0] <= value <= self.range[1]:
            raise Invalid(self.refusal(name, value))
        if self.choices and value not in self.choices:
            raise Invalid(self.refusal(name, value))
        if self.table is not None:
            value = read_table(self.table, value, reading, at)
        if self.check is not None:
            value = self.check(value, reading, at)
        return value


@dataclass(frozen=True, eq=False)
class Table:
    """A mapping's fields.  ``names`` is the field every other key is read as, for a
    mapping whose keys the library chooses (languages, catalogs), with ``name_check``
    saying what is wrong with a key ("" when nothing); ``check(values, reading, at)``
    checks fields against each other.  ``unknown`` and ``shape`` are what an unknown
    key and a value that is no mapping are told ({key}, {known}, {what})."""

    fields: dict[str, Field] = field(default_factory=dict)
    unknown: str = "unknown setting '{key}' (settings: {known})"
    unknown_is_warning: bool = False
    shape: str = "expected 'name: value' settings ({known})"
    names: Field | None = None
    name_check: Callable[[str], str] | None = None
    check: Callable[[dict, Reading, Where], None] | None = None

    def defaults(self) -> dict:
        return {name: f.default for name, f in self.fields.items()}

    def refusal(self, value: object) -> str:
        what = "a list" if isinstance(value, list) else "plain text"
        return self.shape.format(known=", ".join(self.fields), what=what)


def read_table(table: Table, data: object, reading: Reading, at: Where = ()) -> dict:
    """The table's values from ``data``, each checked; a field whose value is refused
    gets its default, and its problem goes to ``reading``."""
    if not isinstance(data, dict):
        raise Invalid(table.refusal(data))
    values = table.defaults()
    for key, value in data.items():
        name = str(key)
        if name in table.fields:
            continue
        if table.names is None:
            message = table.unknown.format(key=name, known=", ".join(table.fields))
            (reading.warn if table.unknown_is_warning else reading.error)(at + (name,), message)
            continue
        problem = table.name_check(name) if table.name_check else ""
        if problem:
            reading.error(at + (name,), problem)
            continue
        values[name] = read_field(table.names, name, value, reading, at + (name,))
    for name, setting in table.fields.items():
        value = data.get(name)
        if value is None:
            if setting.required:
                reading.error(at, setting.refusal(name, ""))
            continue
        values[name] = read_field(setting, name, value, reading, at + (name,))
    if table.check is not None:
        table.check(values, reading, at)
    return values


def read_field(setting: Field, name: str, value: object, reading: Reading, at: Where) -> Any:
    try:
        return setting.read(name, value, reading, at)
    except Invalid as exc:
        reading.error(at + exc.at, exc.message)
        return setting.default


def read_text(text: str, rel: str, table: Table, subject: str,
              folder: Path | None = None) -> dict:
    """YAML text read against ``table``: its values, or one LeafletError holding every
    problem (warnings are left out; ``problems`` gives them)."""
    values, reading = _read(text, rel, table, subject, folder)
    reading.problems.raise_errors()
    return values


def text_problems(text: str, rel: str, table: Table, subject: str,
                  folder: Path | None = None) -> list:
    """Every problem of YAML text read against ``table``, warnings too."""
    try:
        return _read(text, rel, table, subject, folder)[1].problems.problems
    except LeafletError as exc:
        return list(exc.problems)


def _read(text: str, rel: str, table: Table, subject: str,
          folder: Path | None) -> tuple[dict, Reading]:
    node, data = yamlsafe.load(text.lstrip("\ufeff"), rel, subject=subject)
    return validate(node, data, rel, table, folder)


def validate(node: yaml.Node | None, data: object, rel: str, table: Table,
             folder: Path | None = None) -> tuple[dict, Reading]:
    """A file already read (its nodes and values) checked against ``table``: its values
    and the reading, whose ``problems`` hold what was found.  A file that is no mapping
    at all is a LeafletError at once."""
    reading = Reading(rel, node_lines(node), folder=folder)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LeafletError(rel, node.start_mark.line + 1, table.refusal(data))
    values = read_table(table, data, reading)
    reading.problems.problems.sort(key=lambda problem: problem.line or 0)
    return values, reading


def file_text(path: Path, rel: str, subject: str, max_bytes: int | None = None) -> str:
    """A library file's text, or a LeafletError saying why it cannot be read."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise LeafletError(rel, None, f"{subject} is too large to be settings")
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        raise LeafletError(rel, None, f"{subject} is not UTF-8 text") from None


def lines_of(text: str, rel: str) -> dict[Where, int]:
    """The line of every key and list item of YAML text already read without a fault."""
    return node_lines(yamlsafe.compose(text.lstrip("\ufeff"), rel))


def node_lines(node: yaml.Node | None, at: Where = ()) -> dict[Where, int]:
    """The line of every mapping key and list item in composed nodes, by where it is."""
    found: dict[Where, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            # the key as the values have it: "no:" is False to YAML, as the data says
            name = yamlsafe.scalar(key) if isinstance(key, yaml.ScalarNode) else key.value
            here = at + (str(name),)
            found[here] = key.start_mark.line + 1
            found.update(node_lines(value, here))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found[at + (index,)] = item.start_mark.line + 1
            found.update(node_lines(item, at + (index,)))
    return found


def words(value: object) -> bool:
    """True for a string with something in it besides spaces."""
    return isinstance(value, str) and bool(value.strip())

