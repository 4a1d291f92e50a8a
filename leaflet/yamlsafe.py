"""Reading YAML safely: every YAML file the tool reads comes through here.

PyYAML's safe loader builds only plain values, but it still expands anchors and
aliases, so a small "billion laughs" file can hang a build; this loader refuses
them.  Problems are LeafletErrors at the file's line, and nodes keep their lines
so that callers can point at a field.
"""

from __future__ import annotations

import yaml

from . import characters
from .errors import LeafletError, Problem


MAX_DEPTH = 50


class NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors and aliases (no "billion laughs"), explicit
    tags (``!!bool x``, ``!!python/name:...``: their constructors fail in ways that
    are not YAML errors), nesting deeper than MAX_DEPTH (composing recurses) and a key
    given twice in one mapping."""

    depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="YAML aliases (*name) are not allowed",
                                       problem_mark=mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(problem="YAML anchors (&name) are not allowed",
                                       problem_mark=event.start_mark)
        if getattr(event, "tag", None) not in (None, "!"):
            raise yaml.MarkedYAMLError(problem="YAML tags (such as !!str or !name) are not "
                                       "allowed; put the value in quotes instead",
                                       problem_mark=event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(problem=f"lists or brackets are nested more than "
                                       f"{MAX_DEPTH} deep", problem_mark=event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_mapping_node(self, anchor):
        # PyYAML keeps the last of two equal keys without a word: a second "review:" line
        # would silently replace the first
        node = super().compose_mapping_node(anchor)
        seen: set[str] = set()
        for key, _value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise yaml.MarkedYAMLError(problem=f"'{key.value}' is given twice; keep "
                                               "one of them", problem_mark=key.start_mark)
                seen.add(key.value)
        return node


def compose(text: str, rel: str, first_line: int = 1, subject: str = "") -> yaml.Node | None:
    """YAML text composed to nodes that keep their line; ``first_line`` is the file line
    of the text's first line.  ``subject`` names the file in messages ("the theme file");
    a leaflet's own YAML goes without."""
    prefix = f"{subject}: " if subject else ""
    control = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if control:
        # YAML refuses these before reading a line; say which line, and which character
        line = first_line + text[:control.start()].count("\n")
        raise LeafletError(rel, line, f"{subject or 'the text'} contains an invisible control "
                           f"character (U+{ord(control.group()):04X}); delete it or retype "
                           "the line")
    loader = NoAliasLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = (exc.problem or "not valid YAML").rstrip(".")
        raise LeafletError(rel, line, f"{prefix}{problem} (YAML)") from None
    except yaml.YAMLError as exc:
        raise LeafletError(rel, first_line, f"{prefix}not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    refused = _decoded_problems(node, rel, first_line, prefix)
    if refused:
        raise LeafletError(problems=refused)
    return node


def _decoded_problems(node: yaml.Node | None, rel: str, first_line: int,
                      prefix: str) -> list[Problem]:
    """Refused characters in the values as YAML decoded them: an escape ("\\u202e",
    "\\0", "\\e") is the character it stands for (``leaflet.characters``)."""
    found: list[Problem] = []
    pending = [node] if node is not None else []
    while pending and len(found) < characters.MAX_REPORTED:
        item = pending.pop()
        if isinstance(item, yaml.ScalarNode):
            why = characters.refused(item.value)
            if why:
                found.append(Problem(rel, first_line + item.start_mark.line,
                                     f"{prefix}the value contains {why} (written in the "
                                     "file as a YAML escape, such as \\u202e or \\0)"))
        elif isinstance(item, yaml.SequenceNode):
            pending.extend(reversed(item.value))
        elif isinstance(item, yaml.MappingNode):
            for key, value in reversed(item.value):
                pending.extend((value, key))
    return sorted(found, key=lambda p: p.line or 0)


def construct(node: yaml.Node, rel: str, first_line: int = 1, subject: str = "") -> object:
    """The plain values (dicts, lists, strings, numbers, dates) of composed nodes."""
    loader = NoAliasLoader("")
    try:
        return loader.construct_document(node)
    except (yaml.YAMLError, TypeError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None) or node.start_mark
        problem = str(getattr(exc, "problem", "") or "a value cannot be read").rstrip(".")
        what = f"{subject} is" if subject else "this is"
        raise LeafletError(rel, first_line + mark.line, f"{what} not valid YAML "
                           f"({problem})") from None
    finally:
        loader.dispose()


def scalar(node: yaml.ScalarNode) -> object:
    """One scalar node's value as YAML reads it (a date, a number, a string)."""
    loader = NoAliasLoader("")
    try:
        return loader.construct_object(node)
    finally:
        loader.dispose()


def load(text: str, rel: str, subject: str = "") -> tuple[yaml.Node | None, object]:
    """A whole YAML file as (nodes that keep their lines, plain values); (None, None) when
    it holds nothing."""
    node = compose(text, rel, 1, subject)
    if node is None:
        return None, None
    return node, construct(node, rel, 1, subject)


def key_lines(node: yaml.Node | None, keys: tuple[str, ...] = (),
              first_line: int = 1) -> dict[tuple[str, ...], int]:
    """The line of every mapping key in composed nodes, by key path."""
    found: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = keys + (str(key.value),)
            found[path] = key.start_mark.line + first_line
            found.update(key_lines(value, path, first_line))
    return found
