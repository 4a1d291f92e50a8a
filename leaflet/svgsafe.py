"""Pictures made safe to publish: SVGs rebuilt from an allow-list, rasters checked for real data.

An SVG is a program as much as a picture: it can run script, fetch style
sheets, fonts and images from the network, and declare a canvas large enough
to stall any renderer.  Searching its bytes for bad words is not enough (an
escape, a second encoding or a comment hides them), so an SVG is decoded,
parsed with defusedxml (no DTD, no entities, no processing instructions) and
written out again from what was parsed, keeping only the elements, attributes
and CSS properties of a plain drawing.  What could reach outside the picture
(script, event handlers, ``url()`` or ``href`` to anything but ``#fragment``,
``@import``, CSS escapes) is refused with the picture's line; what is merely
unknown (an editor's metadata, ``inkscape:`` attributes, comments) is dropped.
Outputs carry the rebuilt bytes, so what a reader's software sees is exactly
what was checked.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
import xml.sax
import xml.sax.handler
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from .errors import LeafletError, Problem
from .svgcss import PRESENTATION, CssRefused, clean_declarations, clean_stylesheet, clean_value

MAX_SVG_BYTES = 2_000_000
MAX_RASTER_BYTES = 5_000_000
MAX_SIDE_PX = 20_000
MAX_PIXELS = 50_000_000
MAX_ELEMENTS = 50_000
MAX_DEPTH = 100
MAX_PROBLEMS = 20

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
RASTER_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF"}

# A static drawing.  Filters are kept without the primitives whose cost has no
# bound (turbulence octaves, lighting, convolution) and without feImage.
ELEMENTS = frozenset("""
    svg g defs symbol use title desc a switch
    path rect circle ellipse line polyline polygon text tspan textPath
    linearGradient radialGradient stop pattern clipPath mask marker image style
    filter feGaussianBlur feOffset feBlend feColorMatrix feComposite feFlood feMerge
    feMergeNode feDropShadow feComponentTransfer feFuncR feFuncG feFuncB feFuncA
""".split())
# Elements that run code, embed other documents or change the drawing later
# (an <animate> or <set> can rewrite an href after it was checked).
DANGEROUS = frozenset("""
    script foreignobject iframe embed object audio video canvas handler listener
    animate animatemotion animatetransform animatecolor set feimage discard
""".split())  # compared in lower case: no spelling of them is let through
TEXT_ELEMENTS = frozenset("title desc text tspan textPath a style".split())

ATTRIBUTES = PRESENTATION | frozenset("""
    id class style lang role aria-label aria-labelledby aria-describedby aria-hidden
    x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points pathLength transform
    viewBox preserveAspectRatio version
    gradientUnits gradientTransform spreadMethod offset patternUnits patternContentUnits
    patternTransform clipPathUnits maskUnits maskContentUnits markerUnits markerWidth
    markerHeight refX refY orient dx dy rotate textLength lengthAdjust startOffset
    method spacing side filterUnits primitiveUnits in in2 result stdDeviation mode type
    values operator k1 k2 k3 k4 tableValues slope intercept amplitude exponent
""".split())
# Attributes that hold words for people, not values a renderer parses as CSS.
WORDS = frozenset({"aria-label", "id", "class", "lang"})

FRAGMENT_RE = re.compile(r"^#[A-Za-z_][\w.:-]*$")
DATA_IMAGE_RE = re.compile(r"^data:image/(png|jpeg);base64,([A-Za-z0-9+/=\s]*)$")
LENGTH_RE = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*"
                       r"(px|pt|pc|mm|cm|in|em|ex)?\s*$")
UNIT_PX = {None: 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
           "in": 96.0, "em": 16.0, "ex": 8.0}
DECLARATION_RE = re.compile(
    rb"""\A<\?xml(?:\s+[A-Za-z]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*\?>""")
ENCODING_RE = re.compile(rb"""\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "us-ascii": "ascii", "ascii": "ascii",
             "iso-8859-1": "latin-1", "latin1": "latin-1", "latin-1": "latin-1",
             "windows-1252": "cp1252", "cp1252": "cp1252", "utf-16": "utf-16"}


class _Stop(Exception):
    """Raised inside the parser to end it once the picture is refused outright."""


# Decoding -------------------------------------------------------------------

def decode(data: bytes) -> str:
    """The SVG's text, decoded as its byte order mark or XML declaration says,
    with the declaration removed (the rebuilt file is always UTF-8)."""
    boms = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", None), (b"\x00\x00\xfe\xff", None),
            (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
    codec = None
    for bom, name in boms:
        if data.startswith(bom):
            if name is None:
                raise ValueError("it is saved as UTF-32; save it as UTF-8")
            codec, data = name, data[len(bom):]
            break
    if codec is None and data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        codec = "utf-16-le" if data[0] == 0x3C else "utf-16-be"
    try:
        if codec is None:
            declared = DECLARATION_RE.match(data)
            found = ENCODING_RE.search(declared.group(0)) if declared else None
            name = found.group(1).decode("ascii").lower() if found else "utf-8"
            if name not in ENCODINGS or ENCODINGS[name] == "utf-16":
                raise ValueError(f"it says it is written in '{name}', which is not supported; "
                                 "save it as UTF-8")
            codec = ENCODINGS[name]
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise ValueError(f"it is not {codec.upper()} text as it says; save it as UTF-8") from None
    if re.match(r"<\?xml\s", text):
        declared = DECLARATION_RE.match(text.encode("utf-8", "replace"))
        if declared is None:
            raise ValueError("its first line (<?xml ...?>) cannot be read")
        text = text[len(declared.group(0).decode("utf-8")):]
    return text


# Parsing and rebuilding ---------------------------------------------------------

class _Rebuilder(xml.sax.handler.ContentHandler):
    """Writes the allowed part of the SVG as it is parsed, noting what is refused."""

    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self.problems: list[tuple[int | None, str]] = []
        # each open element's name and where its start tag is in ``out``; None if dropped
        self.stack: list[tuple[str, int] | None] = []
        self.style_text: list[str] | None = None  # the open <style>'s CSS so far
        self.style_attributes = ""
        self.count = 0
        self.uses_xlink = False
        self.locator = None

    def setDocumentLocator(self, locator) -> None:
        self.locator = locator

    @property
    def line(self) -> int | None:
        return self.locator.getLineNumber() if self.locator else None

    def refuse(self, message: str) -> None:
        if all(message != seen for _, seen in self.problems):
            self.problems.append((self.line, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Stop

    def processingInstruction(self, target, data) -> None:
        self.refuse(f"it contains a processing instruction (<?{target} ...?>), which could "
                    "load a style sheet from elsewhere; delete it")

    def startElementNS(self, name, qname, attrs) -> None:
        self.count += 1
        if self.count > MAX_ELEMENTS or len(self.stack) >= MAX_DEPTH:
            self.refuse(f"it has more than {MAX_ELEMENTS:,} elements or is nested more than "
                        f"{MAX_DEPTH} deep; simplify the drawing")
            raise _Stop
        uri, local = name
        if not self.stack:
            self.root(uri, local, attrs)
        if local.lower() in DANGEROUS and uri in (SVG_NS, None, "http://www.w3.org/1999/xhtml"):
            self.refuse(f"it contains a <{local}> element, which could run a program or show "
                        "something from elsewhere")
        if None in self.stack or self.style_text is not None or uri not in (SVG_NS, None) \
                or local not in ELEMENTS:
            self.stack.append(None)
            return
        kept = self.attributes(local, attrs)
        self.stack.append((local, len(self.out)))
        if local == "style":
            self.style_text = []
            self.style_attributes = kept
            return
        self.out.append(f"<{local}{kept}>")

    def endElementNS(self, name, qname) -> None:
        opened = self.stack.pop()
        if opened is None:
            return
        local, start = opened
        if local == "style":
            try:
                css = clean_stylesheet("".join(self.style_text or []))
            except CssRefused as refused:
                self.refuse(str(refused))
                css = ""
            self.style_text = None
            if css:
                self.out.append(f"<style{self.style_attributes}>{_text(css)}</style>")
        elif start == len(self.out) - 1:
            self.out[start] = self.out[start][:-1] + "/>"
        else:
            self.out.append(f"</{local}>")

    def characters(self, content: str) -> None:
        if self.style_text is not None:
            # All text inside <style> is its CSS, text after a child element too.
            self.style_text.append(content)
        elif self.stack and self.stack[-1] is not None:
            if self.stack[-1][0] in TEXT_ELEMENTS or not content.strip():
                self.out.append(_text(content))

    def root(self, uri: str | None, local: str, attrs) -> None:
        if local != "svg" or uri not in (SVG_NS, None):
            self.refuse(f"it is not an SVG drawing (its outer element is <{local}>, not <svg>)")
            raise _Stop
        values = {n: v for (ns, n), v in attrs.items() if ns is None}
        why = size_problem(values.get("width"), values.get("height"), values.get("viewBox"))
        if why:
            self.refuse(why)
            raise _Stop

    def attributes(self, element: str, attrs) -> str:
        kept = []
        for (uri, local), value in attrs.items():
            lower = local.lower()
            if lower.startswith("on") and uri in (None, SVG_NS):
                self.refuse(f"it has a script attribute ({local}=) on <{element}>")
                continue
            if local == "href" and uri in (None, XLINK_NS):
                value = self.href(element, value)
                if value is not None:
                    name = "xlink:href" if uri == XLINK_NS else "href"
                    self.uses_xlink |= uri == XLINK_NS
                    kept.append(f' {name}="{_attribute(value)}"')
                continue
            if uri == XML_NS and local in ("space", "lang"):
                kept.append(f' xml:{local}="{_attribute(value)}"')
                continue
            if uri is not None or local not in ATTRIBUTES:
                continue
            try:
                if local == "style":
                    value = clean_declarations(value)
                elif local in PRESENTATION:
                    value = clean_value(local, value)
                elif local not in WORDS:
                    value = clean_value(None, value)
            except CssRefused as refused:
                self.refuse(f"{refused}, in <{element} {local}=...>")
                continue
            if value is not None and (local != "style" or value):
                kept.append(f' {local}="{_attribute(value)}"')
        if element == "style":
            kept = [k for k in kept if k == ' type="text/css"']
        return "".join(kept)

    def href(self, element: str, value: str) -> str | None:
        value = value.strip()
        if FRAGMENT_RE.match(value):
            return value
        picture = DATA_IMAGE_RE.match(value)
        if picture and element == "image":
            try:
                data = base64.b64decode(re.sub(r"\s", "", picture.group(2)), validate=True)
                raster_check(data, "." + picture.group(1), "")
                return value
            except (binascii.Error, LeafletError) as exc:
                why = exc.problems[0].message if isinstance(exc, LeafletError) else \
                    "it is not base64"
                self.refuse(f"the picture inside it cannot be used: {why}")
                return None
        shown = value if len(value) <= 60 else value[:57] + "..."
        self.refuse(f"it refers to another file or web address (<{element} "
                    f"href=\"{shown}\">); only '#name' references inside the picture are "
                    "allowed")
        return None


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return (_text(value).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\r", "&#13;").replace("\t", "&#9;"))


def _length(value: str | None) -> float | None:
    match = LENGTH_RE.match(value or "")
    return float(match.group(1)) * UNIT_PX[match.group(2)] if match else None


def size_problem(width: str | None, height: str | None, view_box: str | None) -> str | None:
    """Why a drawing's declared size is too large to render, or None.  The size
    is its width and height; a side that is missing or relative comes from the
    viewBox, as renderers take it."""
    box = re.split(r"[\s,]+", (view_box or "").strip())
    try:
        box_w, box_h = (abs(float(box[2])), abs(float(box[3]))) if len(box) == 4 else (0, 0)
    except ValueError:
        box_w = box_h = 0.0
    w, h = _length(width), _length(height)
    if w is None and h is not None and box_h:
        w = h * box_w / box_h
    if h is None and w is not None and box_w:
        h = w * box_h / box_w
    w = box_w if w is None else w
    h = box_h if h is None else h
    if max(w, h) > MAX_SIDE_PX or w * h > MAX_PIXELS:
        return (f"it declares a size of {w:,.0f} x {h:,.0f} pixels; a picture may be at most "
                f"{MAX_SIDE_PX:,} pixels on a side and {MAX_PIXELS // 1_000_000} million "
                "pixels in all")
    return None


def _parse(data: bytes) -> tuple[str, list[tuple[int | None, str]]]:
    """(the rebuilt SVG, problems as (line, message))."""
    if len(data) > MAX_SVG_BYTES:
        return "", [(None, f"it is {len(data) / 1_000_000:.1f} MB; an SVG picture must be under "
                     f"{MAX_SVG_BYTES // 1_000_000} MB")]
    try:
        text = decode(data)
    except ValueError as exc:
        return "", [(1, str(exc))]
    rebuilder = _Rebuilder()
    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setContentHandler(rebuilder)
    parser.setErrorHandler(xml.sax.handler.ErrorHandler())
    source = xml.sax.xmlreader.InputSource()
    source.setByteStream(io.BytesIO(text.encode("utf-8")))
    try:
        parser.parse(source)
    except _Stop:
        pass
    except DefusedXmlException:
        rebuilder.problems.append((rebuilder.line, "it declares a DOCTYPE or entities, which "
                                   "could read other files or take forever to expand; delete "
                                   "the <!DOCTYPE ...> part (drawings do not need it)"))
    except xml.sax.SAXParseException as exc:
        message = exc.getMessage()
        rebuilder.problems.append((exc.getLineNumber(), f"it is not valid SVG ({message})"))
    if rebuilder.problems or not rebuilder.out:
        return "", rebuilder.problems or [(1, "it is empty")]
    namespaces = f' xmlns="{SVG_NS}"'
    if rebuilder.uses_xlink:
        namespaces += f' xmlns:xlink="{XLINK_NS}"'
    first = rebuilder.out[0]
    rebuilder.out[0] = first[:4] + namespaces + first[4:]
    return "".join(rebuilder.out), []


def problems(data: bytes, where: str) -> list[Problem]:
    """Everything that keeps an SVG out of a leaflet, each with the picture's line."""
    return [Problem(where, line, message) for line, message in _parse(data)[1]]


def sanitise(data: bytes, where: str) -> bytes:
    """The SVG rebuilt from its allowed parts, as UTF-8; LeafletError if any part
    is refused."""
    rebuilt, found = _parse(data)
    if found:
        raise LeafletError(problems=[Problem(where, line, message) for line, message in found])
    return rebuilt.encode("utf-8")


# Raster pictures ------------------------------------------------------------------

def raster_check(data: bytes, suffix: str, where: str) -> None:
    """A PNG, JPEG or GIF must be one, whole, and of a size a renderer can hold:
    LeafletError(where, None, why) otherwise.  Only the header is decoded."""
    from PIL import Image, UnidentifiedImageError  # loaded only when a raster is checked

    kind = RASTER_TYPES.get(suffix.lower())
    if kind is None:
        raise LeafletError(where, None, "it must be a PNG, JPEG, GIF or SVG file")
    if len(data) > MAX_RASTER_BYTES:
        raise LeafletError(where, None, f"it is {len(data) / 1_000_000:.1f} MB; a picture must be "
                           f"under {MAX_RASTER_BYTES // 1_000_000} MB")
    if not data:
        raise LeafletError(where, None, "the file is empty")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with Image.open(io.BytesIO(data)) as image:
                found, (width, height) = image.format, image.size
                if found == kind == "PNG":
                    image.verify()  # walks every chunk: a cut-off file fails here
        except Image.DecompressionBombError:
            raise LeafletError(where, None, f"it has far too many pixels; a picture may be at "
                               f"most {MAX_SIDE_PX:,} pixels on a side and "
                               f"{MAX_PIXELS // 1_000_000} million pixels in all") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise LeafletError(where, None, f"it is not a {kind} picture, or the file is "
                               "damaged or cut short") from None
    if found != kind:
        raise LeafletError(where, None, f"it is a {found} picture saved with a {suffix} name; "
                           "give it the right ending")
    if width < 1 or height < 1 or width > MAX_SIDE_PX or height > MAX_SIDE_PX \
            or width * height > MAX_PIXELS:
        raise LeafletError(where, None, f"it is {width:,} x {height:,} pixels; a picture may be "
                           f"at most {MAX_SIDE_PX:,} pixels on a side and "
                           f"{MAX_PIXELS // 1_000_000} million pixels in all")
    ends = {"JPEG": data.rfind(b"\xff\xd9") > data.find(b"\xff\xda") >= 0,
            "GIF": data.rstrip(b"\0").endswith(b";"), "PNG": True}
    if not ends[kind]:
        raise LeafletError(where, None, f"the {kind} file is cut short; save it again")


def picture_problems(data: bytes, suffix: str, where: str) -> list[Problem]:
    """What keeps a picture file (SVG, PNG, JPEG or GIF) out of a leaflet."""
    if suffix.lower() == ".svg":
        return problems(data, where)
    try:
        raster_check(data, suffix, where)
    except LeafletError as exc:
        return exc.problems
    return []


def _load(path: Path, suffix: str) -> tuple[bytes, list[Problem]]:
    """A picture file's bytes and its problems, its size checked before reading."""
    limit = MAX_SVG_BYTES if suffix == ".svg" else MAX_RASTER_BYTES
    size = path.stat().st_size
    if size > limit:
        return b"", [Problem("", None, f"it is {size / 1_000_000:.1f} MB; it must be under "
                             f"{limit // 1_000_000} MB")]
    data = path.read_bytes()
    return data, picture_problems(data, suffix, "")


def _message(problem: Problem) -> str:
    return f"{problem.message} (line {problem.line} of the picture)" if problem.line \
        else problem.message


def read_picture(path: Path, name: str) -> bytes:
    """A picture file's bytes as an output may carry them: an SVG rebuilt, a
    raster checked, anything else as it is.  LeafletError("", None, "picture
    'NAME' cannot be used: ...") when refused, for the writer to place at the
    figure that shows it."""
    suffix = path.suffix.lower()
    if suffix != ".svg" and suffix not in RASTER_TYPES:
        return path.read_bytes()
    data, found = _load(path, suffix)
    if found:
        raise LeafletError("", None, f"picture '{name}' cannot be used: {_message(found[0])}")
    return sanitise(data, "") if suffix == ".svg" else data


def file_problems(path: Path, inside: Path) -> list[str]:
    """What keeps a picture file inside ``inside`` out of the outputs, as plain
    messages ("... (line N of the picture)"); [] for a file that is missing,
    elsewhere or not a picture, which the caller reports in its own words."""
    suffix = path.suffix.lower()
    target = path.resolve()
    if not target.is_relative_to(inside.resolve()) or not target.is_file() \
            or (suffix != ".svg" and suffix not in RASTER_TYPES):
        return []
    try:
        return [_message(p) for p in _load(target, suffix)[1][:3]]
    except OSError:
        return ["it cannot be read"]
