"""Text inside SVG pictures: a label smaller than the edition's text cannot be read by
the readers that edition is for, and large print does not enlarge a picture's words.

The size a label is printed at is its font size in the picture's own units times
the picture's scale on the page: an SVG is drawn at its ``width`` (CSS pixels, or
the unit given) but never wider than the A4 text width, and its ``viewBox`` maps
its units onto that width.  Raster pictures cannot be read this way (the README
asks for large labels in them).
"""

from __future__ import annotations

import re
from pathlib import Path

from defusedxml import ElementTree

from ..errors import Problem
from ..model import Figure, Leaflet, walk

TEXT_WIDTH_PT = 482.0  # A4 less 20 mm margins, as the PDF lays it out
EDITION_SIZES = (("standard print", 12.0), ("large print", 18.0))  # the worst first
DEFAULT_FONT_SIZE = 16.0  # what a renderer uses for SVG text with no font-size
UNIT_PT = {"": 0.75, "px": 0.75, "pt": 1.0, "pc": 12.0, "mm": 72 / 25.4, "cm": 72 / 2.54,
           "in": 72.0}
LENGTH_RE = re.compile(r"^\s*([0-9.]+)\s*(px|pt|pc|mm|cm|in)?\s*$")
FONT_SIZE_RE = re.compile(r"font-size\s*:\s*([0-9.]+)\s*(px|pt)?", re.IGNORECASE)
SVG = "{http://www.w3.org/2000/svg}"


def problems(leaflet: Leaflet) -> list[Problem]:
    """A warning for each SVG picture whose smallest text prints below an edition's size."""
    found = []
    for block in walk(leaflet.blocks):
        if not isinstance(block, Figure) or not block.src.lower().endswith(".svg") \
                or block.src.startswith("pictogram:"):
            continue
        printed = smallest_text_pt(Path(leaflet.folder) / block.src)
        if printed is None:
            continue
        for edition, size in EDITION_SIZES:
            if printed < size - 0.05:
                found.append(Problem(block.path, block.line, (
                    f"the text in picture '{block.src}' prints at about {printed:.0f} pt, "
                    f"smaller than the {edition} edition's {size:g} pt: make the picture's "
                    "words larger, or put them in the leaflet's text"), warning=True))
                break
    return found


def smallest_text_pt(path: Path) -> float | None:
    """The size in points the picture's smallest text is printed at, or None when it has
    no text (or cannot be read: the parser has reported that already)."""
    try:
        root = ElementTree.parse(str(path)).getroot()
    except Exception:  # a picture the parser refused, or one gone since
        return None
    sizes = [size for size in _text_sizes(root) if size > 0]
    if not sizes:
        return None
    return min(sizes) * _scale(root)


def _text_sizes(root) -> list[float]:
    """Font sizes (in the picture's units) of its text, inherited as SVG inherits them."""
    stylesheet = " ".join(e.text or "" for e in root.iter(f"{SVG}style"))
    sheet_sizes = [_size(m) for m in FONT_SIZE_RE.finditer(stylesheet)]
    sizes: list[float] = []

    def visit(element, inherited: float) -> None:
        own = element.get("font-size")
        style = FONT_SIZE_RE.search(element.get("style") or "")
        size = _size(style) if style else (_number(own) if own else inherited)
        if element.tag in (f"{SVG}text", f"{SVG}tspan", f"{SVG}textPath") and \
                (element.text or "").strip():
            sizes.append(size)
        for child in element:
            visit(child, size)

    visit(root, DEFAULT_FONT_SIZE)
    # a class rule may set any text's size: the smallest such rule counts too
    return sizes + (sheet_sizes if sizes else [])


def _scale(root) -> float:
    """Points per unit of the picture, as the PDF draws it."""
    width = LENGTH_RE.match(root.get("width") or "")
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    units_wide = float(view_box[2]) if len(view_box) == 4 and _is_number(view_box[2]) else None
    if width:
        drawn = float(width.group(1)) * UNIT_PT[width.group(2) or ""]
        scale_cap = min(1.0, TEXT_WIDTH_PT / drawn) if drawn else 1.0
        drawn *= scale_cap
        return drawn / units_wide if units_wide else UNIT_PT[width.group(2) or ""] * scale_cap
    return TEXT_WIDTH_PT / units_wide if units_wide else UNIT_PT[""]


def _size(match: re.Match) -> float:
    return float(match.group(1)) * (4 / 3 if (match.group(2) or "").lower() == "pt" else 1)


def _number(value: str) -> float:
    match = re.match(r"^\s*([0-9.]+)", value)
    return float(match.group(1)) if match else DEFAULT_FONT_SIZE


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
