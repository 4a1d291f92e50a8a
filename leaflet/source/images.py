"""Pictures in a leaflet: a file inside the leaflet's folder or one of our pictograms,
with alt text, checked without being fetched or shown."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from markdown_it.tree import SyntaxTreeNode

from .. import pictograms, svgsafe
from ..errors import Collector
from ..model import Figure
from .inlines import HTML_TAG_RE, Reading

IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg"}
MAX_IMAGE_BYTES = 5_000_000
MAX_SRC_CHARS = 255
NO_ALT = "the picture has no alt text: describe it in the [brackets]"


def figure(reading: Reading, node: SyntaxTreeNode, line: int) -> Figure:
    """An image on a line of its own, checked."""
    # markdown-it percent-encodes the path ("my scan.png" -> "my%20scan.png")
    src = unquote(str(node.attrs.get("src", "")))
    alt = "".join(c.content for c in node.children).strip() if node.children else ""
    title = node.attrs.get("title") or ""
    if any(c.type == "html_inline" for c in node.children or ()) or HTML_TAG_RE.search(alt):
        reading.problems.error(reading.rel, line, "HTML is not allowed in a picture's alt "
                               "text; describe the picture in plain words")
    if HTML_TAG_RE.search(str(title)):
        reading.problems.error(reading.rel, line, "HTML is not allowed in a picture's title; "
                               "write it in plain words")
    check_image(src, alt, reading.folder, reading.rel, line, reading.problems)
    return Figure(src=src, alt=alt or pictograms.default_alt(src), caption=str(title),
                  path=reading.rel, line=line)


def svg_problem(data: bytes) -> str | None:
    """Why an SVG may not go into a leaflet (script, outside references, its
    size), or None; the rules are ``leaflet.svgsafe``'s."""
    found = svgsafe.problems(data, "")
    return "; ".join(_at_line(p) for p in found[:3]) or None


def _at_line(problem) -> str:
    return f"{problem.message} (line {problem.line} of the picture)" if problem.line \
        else problem.message


def check_image(src: str, alt: str, folder: Path, rel: str, line: int, problems: Collector) -> None:
    """An image must be a picture file inside the leaflet folder (or one of our
    pictograms) and have alt text; the file is read (never fetched) and must
    pass ``leaflet.svgsafe``: a safe SVG, a whole PNG/JPEG/GIF, within size limits."""
    if len(src) > MAX_SRC_CHARS:  # the file system would refuse the name with an OSError
        problems.error(rel, line, f"the picture's file name is {len(src):,} characters long; "
                       f"it can be at most {MAX_SRC_CHARS}")
        return
    if src.startswith(pictograms.PREFIX):
        name = src[len(pictograms.PREFIX):]
        if not pictograms.exists(name):
            problems.error(rel, line, f"there is no pictogram '{name}' (see 'leaflet pictograms')")
        elif not alt and not pictograms.default_alt(src):
            problems.error(rel, line, NO_ALT)
        return
    if not alt:
        problems.error(rel, line, NO_ALT)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src) or src.startswith("//"):
        problems.error(rel, line, f"picture '{src}' is a web address; put the picture file in "
                       "the leaflet's folder (nothing is downloaded)")
        return
    if src.startswith("/") or "\\" in src:
        problems.error(rel, line, f"picture '{src}' must be a path inside the leaflet's folder, "
                       "such as images/scan.png")
        return
    target = (folder / src).resolve()
    if not target.is_relative_to(folder.resolve()):
        problems.error(rel, line, f"picture '{src}' is outside the leaflet's folder")
        return
    if target.suffix.lower() not in IMAGE_TYPES:
        problems.error(rel, line, f"picture '{src}' must be a PNG, JPEG, GIF or SVG file")
    elif not target.is_file():
        problems.error(rel, line, f"picture '{src}' does not exist")
    elif target.stat().st_size > MAX_IMAGE_BYTES:
        problems.error(rel, line, f"picture '{src}' is over {MAX_IMAGE_BYTES // 1_000_000} MB; "
                       "use a smaller file")
    else:
        try:
            data = target.read_bytes()
        except OSError:
            problems.error(rel, line, f"picture '{src}' cannot be read")
            return
        for problem in svgsafe.picture_problems(data, target.suffix, "")[:3]:
            problems.error(rel, line, f"picture '{src}' cannot be used: {_at_line(problem)}")
