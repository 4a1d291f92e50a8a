"""Approval of a leaflet's source: who approved which version, when, and of what text.

``leaflet approve SLUG --by NAME --role ROLE`` adds a record to
``leaflet_src/SLUG/approvals.yaml`` (the version, who, their role, when, the SHA-256 of
``leaflet.md``) and keeps the approved text beside it as ``approved/<version>.md``, which
``leaflet changes`` compares against.  Approval is opt-in per leaflet: a leaflet without
approvals.yaml is never "awaiting approval".  Once it has one, a source whose text differs
from its last approved text is awaiting approval: ``list``, the index page and every
output's footer say so, and ``build --strict`` refuses it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import config
from .config import Field, Invalid, Table
from .errors import LeafletError, Problem
from .library import Library

APPROVALS_FILE = "approvals.yaml"
APPROVED_FOLDER = "approved"
MAX_BYTES = 1_000_000


def _text(value: str, _reading: config.Reading, _at: tuple) -> str:
    if not value.strip():
        raise Invalid("this field must not be empty")
    return value.strip()


def _sha(value: str, _reading: config.Reading, _at: tuple) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise Invalid("'sha256' must be the 64 hexadecimal digits of the source's SHA-256")
    return value


def _when(value: str, _reading: config.Reading, _at: tuple) -> str:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"'date: {value[:40]}' is not a date and time such as "
                      "2025-03-01T10:30:00+00:00") from None
    return value


ENTRY = Table(fields={
    "version": Field("the leaflet's version: as its front matter's version:", kind=(str, int),
                     required=True, check=lambda v, r, a: _text(str(v), r, a)),
    "by": Field("who approved it", kind=str, required=True, check=_text),
    "role": Field("their role, such as clinical lead", kind=str, required=True, check=_text),
    "date": Field("when, as an ISO date and time", kind=str, required=True, check=_when),
    "sha256": Field("the SHA-256 of leaflet.md as approved", kind=str, required=True,
                    check=_sha),
}, shape="each approval must be 'version:', 'by:', 'role:', 'date:' and 'sha256:' ({known})")


def _entries(value: list, reading: config.Reading, at: tuple) -> tuple[dict, ...]:
    return tuple(config.read_table(ENTRY, item, reading, at + (index,))
                 for index, item in enumerate(value))


TABLE = Table(fields={"approvals": Field("the list of approvals, oldest first", kind=list,
                                         default=(), check=_entries)},
              shape="approvals.yaml must hold 'approvals:', a list of approvals ({known})")


@dataclass(frozen=True)
class Approval:
    version: str
    by: str
    role: str
    date: str
    sha256: str


@dataclass(frozen=True)
class State:
    """Where a leaflet stands: ``opted_in`` when it has approvals.yaml; ``awaiting`` when its
    text differs from the last approved text; ``last`` the last approval, if any."""

    opted_in: bool
    awaiting: bool
    last: Approval | None
    version: str
    sha256: str


def source_sha(library: Library, slug: str) -> str:
    return hashlib.sha256(library.source_file(slug).read_bytes()).hexdigest()


def path(library: Library, slug: str) -> Path:
    return library.folder(slug) / APPROVALS_FILE


def approved_source(library: Library, slug: str, version: str) -> Path:
    return library.folder(slug) / APPROVED_FOLDER / f"{_safe(version)}.md"


def _safe(version: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]", "_", version) or "_"


def read(library: Library, slug: str) -> list[Approval] | None:
    """The leaflet's approvals, oldest first; None when it has no approvals.yaml."""
    file = path(library, slug)
    if not file.is_file():
        return None
    rel = library.rel(file)
    values = config.read_text(config.file_text(file, rel, "approvals.yaml", MAX_BYTES), rel,
                              TABLE, "approvals.yaml")
    return [Approval(str(e["version"]), e["by"], e["role"], e["date"], e["sha256"])
            for e in values["approvals"]]


def _version(library: Library, slug: str) -> str:
    from .library import read_leaflet

    return read_leaflet(library, slug).meta.version


def state(library: Library, slug: str) -> State:
    records = read(library, slug)
    sha = source_sha(library, slug)
    if records is None:
        return State(False, False, None, "", sha)
    last = records[-1] if records else None
    return State(True, last is None or last.sha256 != sha, last, _version(library, slug), sha)


def awaiting(library: Library, slug: str) -> bool:
    """Whether the leaflet's text changed after its last approval (False when it opted out,
    or when its files cannot be read: ``check`` says why)."""
    try:
        if not path(library, slug).is_file():
            return False
        return state(library, slug).awaiting
    except (LeafletError, OSError):
        return False


def problems(library: Library, slug: str) -> list[Problem]:
    """What ``leaflet check`` says about a leaflet's approvals: approvals.yaml against its
    table, the text changed without raising ``version:``, the text awaiting approval."""
    try:
        current = state(library, slug)
    except LeafletError as exc:
        return list(exc.problems)
    if not current.awaiting or current.last is None:
        return ([Problem(library.rel(path(library, slug)), 1, "no approval yet: the leaflet "
                         f"is awaiting approval ('leaflet approve {slug} --by NAME --role "
                         "ROLE')", warning=True)] if current.opted_in and current.awaiting
                else [])
    rel = library.rel(library.source_file(slug))
    found = [Problem(rel, 1, f"the text changed after version {current.last.version} was "
                     f"approved on {current.last.date[:10]}: it is awaiting approval (the "
                     f"approved text is kept in {APPROVED_FOLDER}/)", warning=True)]
    if current.version == current.last.version:
        found.append(Problem(rel, 1, f"the text changed but 'version: {current.version}' did "
                             "not: raise the version so that the new text can be approved",
                             warning=True))
    return found


def approve(library: Library, slug: str, by: str, role: str,
            when: dt.datetime | None = None) -> tuple[Approval, Path]:
    """Record an approval of the leaflet's current text and keep that text; the approval
    and where the text was kept."""
    if not by.strip() or not role.strip():
        raise LeafletError(None, None, "an approval needs who (--by) and their role (--role)")
    records = read(library, slug) or []
    version = _version(library, slug)
    if not version:
        raise LeafletError(library.rel(library.source_file(slug)), 1, "the front matter has no "
                           "'version:', so there is nothing to approve: add one, such as "
                           "version: \"1\"")
    sha = source_sha(library, slug)
    if any(r.version == version and r.sha256 != sha for r in records):
        raise LeafletError(library.rel(library.source_file(slug)), 1, f"version {version} was "
                           "approved with other text: raise 'version:' before approving this")
    stamp = (when or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat()
    record = Approval(version, by.strip(), role.strip(), stamp, sha)
    kept = approved_source(library, slug, version)
    kept.parent.mkdir(exist_ok=True)
    kept.write_bytes(library.source_file(slug).read_bytes())
    data = {"approvals": [vars(r) for r in [*records, record]]}
    text = ("# Who approved which version of leaflet.md: written by 'leaflet approve'.\n"
            + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    from .files import write_atomic

    write_atomic(path(library, slug), text.encode("utf-8"))
    return record, kept
