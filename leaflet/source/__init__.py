"""Read a leaflet source (YAML front matter + CommonMark + ::: containers) into the model.

Everything a user can get wrong is reported as a ``Problem`` with the file and
line, and all problems in one file are reported together.  Nothing here reads
outside the leaflet folder or reaches the network: images are checked to be
files inside the folder, never opened.

The parts: ``frontmatter`` (the file and its YAML details), ``blocks`` (the body
and its containers), ``inlines`` (emphasis, links, phone numbers, e-mail
addresses), ``contacts`` and ``images``; ``leaflet.transforms`` runs after them.
"""

from __future__ import annotations

from pathlib import Path

from .. import characters
from ..errors import Collector
from ..files import PICTOGRAM_FOLDER, relative
from ..model import Leaflet, Meta
from ..pictograms import default_alt
from ..pictograms import names as pictogram_names
from ..transforms import add_anchors, check_headings, contacts_beside_phone
from ..yamlsafe import compose as compose_yaml
from .blocks import body_blocks
from .frontmatter import KNOWN_FIELDS, parse_meta, read_text, split_front_matter
from .images import check_image, svg_problem
from . import emails, phones
from .emails import EMAIL_RE
from .inlines import Reading, markdown_parser, parse_inline, parse_plain, recognise

PICTOGRAMS = PICTOGRAM_FOLDER  # where pictogram:NAME pictures are, for writers' assets

__all__ = [
    "EMAIL_RE", "KNOWN_FIELDS", "PICTOGRAMS", "check_image", "compose_yaml", "default_alt",
    "emails", "phones",
    "markdown_parser", "parse_file", "parse_inline", "parse_meta", "parse_plain", "parse_text",
    "recognise",
    "pictogram_names", "read_text", "relative", "split_front_matter", "svg_problem",
]


def parse_text(text: str, rel: str, folder: Path, slug: str, edition: str = "standard",
               defaults: dict | None = None, problems: Collector | None = None,
               meta: Meta | None = None) -> Leaflet:
    """Parse source text; ``rel`` names the file in messages.  ``meta`` is its front
    matter when the caller has parsed it already (the builder reads it once per build)."""
    problems = problems if problems is not None else Collector()
    yaml_text, body, body_line = split_front_matter(text, rel)
    meta = meta or parse_meta(yaml_text, rel, problems, defaults)
    blocks = body_blocks(Reading(rel, folder, meta.region, problems), body, body_line)
    if not blocks:
        problems.error(rel, body_line, "the leaflet has no text after its front matter")
    check_headings(blocks, rel, problems)
    # what YAML escapes and Markdown references decoded: the text as writers receive it
    problems.problems.extend(characters.decoded_problems((meta, tuple(blocks))))
    problems.raise_errors()
    if edition == "easy-read":
        blocks = contacts_beside_phone(blocks)
    return Leaflet(slug=slug, edition=edition, meta=meta, blocks=tuple(add_anchors(blocks)),
                   folder=str(folder), path=rel, line=1)


def parse_file(path: Path, root: Path, edition: str = "standard", defaults: dict | None = None,
               problems: Collector | None = None) -> Leaflet:
    """Parse ``leaflet.md`` or ``easy-read.md``; messages name it relative to ``root``."""
    rel = relative(path, root)
    text = read_text(path, rel)
    return parse_text(text, rel, path.parent, path.parent.name, edition, defaults, problems)
