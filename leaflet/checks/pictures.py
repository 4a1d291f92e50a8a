"""Text inside SVG pictures: a label smaller than the edition's text cannot be read by
the readers that edition is for, and large print does not enlarge a picture's words;
words that run outside the picture's drawing area (its ``viewBox``) are cut off in
every format.

The size a label is printed at is its font size in the picture's own units times
the picture's scale on the page: an SVG is drawn at its ``width`` (CSS pixels, or
the unit given) but never wider than the A4 text width, and its ``viewBox`` maps
its units onto that width.  Raster pictures cannot be read this way (the README
asks for large labels in them).
"""

from __future__ import annotations

import re
import unicodedata
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
    """A warning for each SVG picture whose smallest text prints below an edition's size,
    and for each run of its words that reaches outside its drawing area."""
    found = []
    for block in walk(leaflet.blocks):
        if not isinstance(block, Figure) or not block.src.lower().endswith(".svg") \
                or block.src.startswith("pictogram:"):
            continue
        path = Path(leaflet.folder) / block.src
        for words in words_outside(path):
            found.append(Problem(block.path, block.line, (
                f"the words \"{words}\" in picture '{block.src}' run outside the picture's "
                "drawing area (its viewBox) and are cut off in every format: move them "
                "inside, or make the viewBox larger"), warning=True))
        printed = smallest_text_pt(path)
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


# How far words reach, estimated from their position, size and number of characters
# (the fonts a reader's software uses are unknown): each character at least half its
# font size wide (a wide East Asian one a whole), the letters reaching 0.7 of the size
# above the baseline and 0.2 below.  Narrow on purpose: words that stay inside by this
# estimate are not reported, so a warning means words that are surely cut off.
NARROW_ADVANCE, WIDE_ADVANCE, ASCENT, DESCENT = 0.5, 1.0, 0.7, 0.2
# Elements whose words are not drawn where they stand, or are drawn in another viewport.
NOT_DRAWN_HERE = frozenset(f"{SVG}{name}" for name in (
    "defs", "symbol", "clipPath", "mask", "pattern", "marker", "svg", "textPath"))
ANCHOR_RE = re.compile(r"text-anchor\s*:\s*(start|middle|end)", re.IGNORECASE)


def words_outside(path: Path) -> list[str]:
    """The runs of words (a text element's line) that reach outside the picture's
    drawing area, by the estimate above; none when the picture has no drawing area
    to speak of, or its words are moved by a transform this estimate cannot follow."""
    try:
        root = ElementTree.parse(str(path)).getroot()
    except Exception:  # a picture the parser refused, or one gone since
        return []
    area = _drawing_area(root)
    if area is None:
        return []
    left, top, width, height = area
    slack = 0.01 * max(width, height)
    outside = []
    for x, y, size, anchor, words in _lines(root):
        advance = sum(WIDE_ADVANCE if unicodedata.east_asian_width(c) in "WF" else
                      NARROW_ADVANCE for c in words.strip()) * size
        start = x - advance * {"start": 0.0, "middle": 0.5, "end": 1.0}[anchor]
        if start < left - slack or start + advance > left + width + slack or \
                y - ASCENT * size < top - slack or y + DESCENT * size > top + height + slack:
            outside.append(" ".join(words.split()))
    return outside


def _drawing_area(root) -> tuple[float, float, float, float] | None:
    """The viewBox (left, top, width, height), or the picture's own width and height
    in its units when it has none."""
    view_box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(view_box) == 4 and all(_is_number(v) for v in view_box):
        left, top, width, height = (float(v) for v in view_box)
        return (left, top, width, height) if width > 0 and height > 0 else None
    width, height = (LENGTH_RE.match(root.get(side) or "") for side in ("width", "height"))
    if width and height and (width.group(2) or "px") == "px" == (height.group(2) or "px"):
        return 0.0, 0.0, float(width.group(1)), float(height.group(1))
    return None


def _lines(root) -> list[tuple[float, float, float, str, str]]:
    """(x, y, font size, anchor, words) for each line of words a text element draws:
    its own words and its tspans', a tspan that sets x or y starting a new line."""
    lines: list[list] = []

    def visit(element, size: float, anchor: str) -> None:
        if element.tag in NOT_DRAWN_HERE or element.get("transform") is not None:
            return
        size, anchor = _own_size(element, size), _own_anchor(element, anchor)
        if element.tag == f"{SVG}text":
            if element.find(f".//{SVG}textPath") is None:
                text_lines(element, size, anchor)
            return
        for child in element:
            visit(child, size, anchor)

    def text_lines(text, size: float, anchor: str) -> None:
        first = len(lines)
        line = [_first(text.get("x")), _first(text.get("y")), size, anchor, text.text or ""]
        lines.append(line)
        for child in text.iter():
            if child is text or child.tag != f"{SVG}tspan":
                continue
            if child.get("transform") is not None or child.get("rotate") is not None:
                del lines[first:]  # turned words: where they reach is not estimated
                return
            if child.get("x") is not None or child.get("y") is not None:
                x = _first(child.get("x")) if child.get("x") is not None else line[0]
                y = _first(child.get("y")) if child.get("y") is not None else line[1]
                line = [x, y, _own_size(child, size), _own_anchor(child, anchor), ""]
                lines.append(line)
            line[2] = max(line[2], _own_size(child, size))
            line[4] += (child.text or "") + (child.tail or "")

    size, anchor = _own_size(root, DEFAULT_FONT_SIZE), _own_anchor(root, "start")
    for child in root:
        visit(child, size, anchor)
    return [tuple(line) for line in lines if line[4].strip()]


def _own_size(element, inherited: float) -> float:
    style = FONT_SIZE_RE.search(element.get("style") or "")
    own = element.get("font-size")
    return _size(style) if style else (_number(own) if own else inherited)


def _own_anchor(element, inherited: str) -> str:
    style = ANCHOR_RE.search(element.get("style") or "")
    own = (element.get("text-anchor") or "").strip().lower()
    if style:
        return style.group(1).lower()
    return own if own in ("start", "middle", "end") else inherited


def _first(value: str | None) -> float:
    """The first of an x or y list ("10 20 30"), 0 when there is none."""
    match = re.match(r"^\s*(-?[0-9.]+)", value or "")
    return float(match.group(1)) if match else 0.0
