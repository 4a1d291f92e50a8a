"""A leaflet file's text and its front matter: the YAML block of what the leaflet is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import phonenumbers
import yaml

from .. import characters, langs, yamlsafe
from ..errors import Collector, LeafletError
from ..model import Meta
from .inlines import HTML_TAG_RE, parse_plain

MAX_SOURCE_BYTES = 500_000
REQUIRED_FIELDS = ("title", "organisation", "language", "published", "review")
TEXT_FIELDS = ("title", "subtitle", "organisation", "code", "version", "online", "owner",
               "requests", "region", "language", "specialty")
DATE_FIELDS = ("published", "review")
KNOWN_FIELDS = set(TEXT_FIELDS) | set(DATE_FIELDS)
# Longest values, in characters.  Word's document properties hold 255 at most, and
# its keywords are the title and code together; a field longer than a paragraph is
# a slip, not a leaflet's detail.
FIELD_LIMITS = {"title": 200, "subtitle": 250, "organisation": 250, "code": 50, "version": 20,
                "specialty": 80}
MAX_FIELD_CHARS = 1000
NULL_TAG = "tag:yaml.org,2002:null"  # "null" or "~" written bare: YAML's nothing


def read_text(path: Path, rel: str) -> str:
    """The file's text, refusing what is not a reasonable UTF-8 text file."""
    try:
        size = path.stat().st_size
    except OSError:
        raise LeafletError(rel, None, "file not found") from None
    if size > MAX_SOURCE_BYTES:
        raise LeafletError(rel, None, f"the file is {size / 1_000_000:.1f} MB; a leaflet source "
                           f"must be under {MAX_SOURCE_BYTES // 1000} KB")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LeafletError(rel, None, f"cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise LeafletError(rel, 1, "the file is empty")
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        raise LeafletError(rel, line, "this is not a text file (it contains binary data)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LeafletError(rel, line, "the file is not UTF-8 text; save it as UTF-8") from exc
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, rel: str) -> tuple[str, str, int]:
    """(front matter, body, file line of the body's first line).  Invisible controls
    anywhere in the text are refused first, with their lines: YAML would take some
    of them for line ends and count lines differently."""
    characters.check(text, rel)
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise LeafletError(rel, 1, "the file must start with front matter: a line '---', "
                           "the leaflet's details (title:, organisation: ...), and '---'")
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1:]), number + 2
    raise LeafletError(rel, 1, "the front matter is not closed: add a line '---' after it")


# Complex by design: one check per field.
def parse_meta(yaml_text: str, rel: str, problems: Collector,  # noqa: C901
               defaults: dict | None = None) -> Meta:
    """The front matter checked into ``Meta``; ``defaults`` fill the fields it leaves out
    (an easy read edition takes them from its standard leaflet)."""
    try:
        node = yamlsafe.compose(yaml_text, rel, 2)
    except LeafletError as exc:
        raise _plain_words(exc, yaml_text) from None
    if node is None:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(node, yaml.MappingNode):
        raise LeafletError(rel, 2, "the front matter must be a list of 'field: value' lines")
    values: dict = dict(defaults or {})
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = 2 + key_node.start_mark.line
        lines[key] = line
        if key not in KNOWN_FIELDS:
            problems.warn(rel, line, f"unknown field '{_shown(key)}' (known fields: "
                          f"{', '.join(sorted(KNOWN_FIELDS))})")
            continue
        if not isinstance(value_node, yaml.ScalarNode):
            problems.error(rel, line, f"'{key}' must be a single value, not a list or a mapping")
            continue
        if key in DATE_FIELDS:
            try:
                value = yamlsafe.scalar(value_node)
            except ValueError:
                problems.error(rel, line, f"'{key}: {_shown(value_node.value)}' is not a real "
                               "date")
                continue
            if isinstance(value, dt.datetime):
                value = value.date()
            if not isinstance(value, dt.date):
                problems.error(rel, line, f"'{key}' must be a date written as YYYY-MM-DD, "
                               f"not '{_shown(value_node.value)}'")
                continue
            values[key] = value
        else:
            text = str(value_node.value).strip()
            if text and value_node.style is None and value_node.tag == NULL_TAG:
                problems.error(rel, line, f"'{key}: {_shown(text)}' is empty to YAML; write "
                               f"the {key}, or put it in quotes if it really is '{text}'")
                continue
            if HTML_TAG_RE.search(text):
                problems.error(rel, line, f"HTML is not allowed in '{key}'; write it in plain "
                               "words")
                continue
            limit = FIELD_LIMITS.get(key, MAX_FIELD_CHARS)
            if len(text) > limit:
                problems.error(rel, line, f"'{key}' is {len(text):,} characters long; it can "
                               f"be at most {limit:,}")
                continue
            values[key] = text
    _check_values(values, lines, rel, problems)
    if problems.errors:
        raise LeafletError(problems=problems.errors)
    if isinstance(values.get("requests"), str):  # not when the standard edition's is taken
        values["requests"] = parse_plain(values["requests"], rel, lines.get("requests", 1),
                                         values["region"], problems)
    return Meta(path=rel, line=1, field_lines=lines,
                direction=langs.direction(values["language"]),
                source_language=values["language"],
                **{k: v for k, v in values.items() if k in KNOWN_FIELDS})


def _plain_words(exc: LeafletError, yaml_text: str) -> LeafletError:
    """YAML's own words for the slips authors make, said the way they can act on."""
    problem = exc.problems[0]
    if "mapping values are not allowed" not in problem.message or not problem.line:
        return exc
    lines = yaml_text.split("\n")
    line = lines[problem.line - 2] if 0 <= problem.line - 2 < len(lines) else ""
    key, _, value = line.partition(":")
    example = f' (for example {key.strip()}: "{value.strip()}")' if value.strip() else ""
    return LeafletError(problem.path, problem.line, "a value with a colon in it must be put "
                        f"in quotes{example}")


def _check_values(values: dict, lines: dict[str, int], rel: str, problems: Collector) -> None:
    """The fields that must be there, and what each must be; ``values`` normalised in place."""
    for key in REQUIRED_FIELDS:
        refused = key in lines and key not in values  # written, and already reported
        if not refused and (key not in values or values[key] in ("", None)):
            problems.error(rel, lines.get(key, 1), f"the front matter has no '{key}:'")
    language = values.get("language")
    if language:
        try:
            values["language"] = langs.normalise(language)
        except ValueError as exc:
            problems.error(rel, lines.get("language", 1), f"'language: {_shown(language)}' is "
                           f"not a language tag (for example en-GB, pl, ar): {exc}")
    published, review = values.get("published"), values.get("review")
    if isinstance(published, dt.date) and isinstance(review, dt.date) and review <= published:
        problems.error(rel, lines.get("review", 1),
                       f"the review date {review.isoformat()} is not after the publication "
                       f"date {published.isoformat()}")
    online = values.get("online")
    if online and not online.startswith(("https://", "http://")):
        problems.error(rel, lines.get("online", 1), f"'online: {_shown(online)}' is not a web "
                       "address")
    region = values.get("region", "GB").upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        problems.error(rel, lines.get("region", 1), f"'region: {_shown(region)}' is not a country "
                       "code "
                       "such as GB or IE")
    values["region"] = region


def _shown(value: object, limit: int = 60) -> str:
    """A value as quoted in a message: long ones cut, so that a message stays a line."""
    text = str(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."
