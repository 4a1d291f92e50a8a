"""The CSS inside an SVG picture, reduced to properties that only paint.

Styles are where an SVG most easily reaches the network: ``url()``,
``@import``, ``image-set()``, and escapes such as ``u\\72l(`` that spell them
without their letters.  Anything that could name an outside address is
refused; declarations outside the allow-list are dropped; what is kept is
written out again from the parsed pieces, never passed through as it came.
"""

from __future__ import annotations

import re

# CSS properties (and SVG presentation attributes) that only say how to paint.
PRESENTATION = frozenset("""
    fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin
    stroke-miterlimit stroke-dasharray stroke-dashoffset stroke-opacity opacity color
    display visibility overflow clip-path clip-rule mask marker marker-start marker-mid
    marker-end stop-color stop-opacity font-family font-size font-weight font-style
    font-variant font-stretch text-anchor dominant-baseline alignment-baseline
    baseline-shift letter-spacing word-spacing text-decoration writing-mode direction
    unicode-bidi shape-rendering text-rendering image-rendering color-interpolation
    color-interpolation-filters filter paint-order vector-effect mix-blend-mode isolation
    flood-color flood-opacity lighting-color white-space transform-origin
""".split())


class CssRefused(ValueError):
    """A style that could reach outside the picture."""


CSS_PROPERTIES = PRESENTATION | {"transform"}
FRAGMENT_URL_RE = re.compile(r"""url\(\s*(?:"#[A-Za-z_][\w.:-]*"|'#[A-Za-z_][\w.:-]*'|"""
                             r"""#[A-Za-z_][\w.:-]*)\s*\)""", re.I)
FUNCTION_RE = re.compile(r"([A-Za-z_-][\w-]*)\s*\(")
SAFE_FUNCTIONS = frozenset("rgb rgba hsl hsla calc translate translatex translatey rotate "
                           "scale scalex scaley matrix skewx skewy".split())
# Functions that take a bare string as an address to fetch.
FETCHING = frozenset("url image image-set -webkit-image-set cross-fade -webkit-cross-fade "
                     "element -moz-element paint src expression".split())
VALUE_RE = re.compile(r"^[\w\s#%.,+\-*/()!]*$")
FAMILY = r"""(?:[\w -]+|"[\w -]*"|'[\w -]*')"""
FONT_FAMILY_RE = re.compile(rf"^\s*{FAMILY}(?:\s*,\s*{FAMILY})*\s*$")
SELECTOR_RE = re.compile(r"^[\w\s.#,:>+~*\[\]=|^$()-]+$")


def _strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return text.split("/*", 1)[0]  # an unclosed comment runs to the end


def _refuse_reaching(text: str) -> None:
    """CssRefused when CSS text could name something outside the picture.  The
    whole text is checked, declarations that would be dropped included, so an
    attempt is reported rather than silently half-removed."""
    if "\\" in text:
        raise CssRefused("its styles use a CSS escape (\\), which could hide a reference "
                         "to another file or web address")
    if "@" in text:
        raise CssRefused("its styles refer to another file through an @-rule such as "
                         "@import; pictures may not use @-rules")
    rest = FRAGMENT_URL_RE.sub("", text)
    for match in FUNCTION_RE.finditer(rest):
        if match.group(1).lower() in FETCHING:
            shown = rest[match.start():].split(")", 1)[0][:60] + ")"
            raise CssRefused(f"its styles refer to another file or web address ({shown}); "
                             "only url(#name) references inside the picture are allowed")


def clean_value(prop: str | None, value: str) -> str | None:
    """A value safe to keep for CSS property ``prop`` (None: an attribute that is
    not CSS, such as d= or x=), None to drop it; CssRefused if it reaches out."""
    _refuse_reaching(value)
    if prop is None:
        return value
    rest = FRAGMENT_URL_RE.sub("", value)
    if any(name.lower() not in SAFE_FUNCTIONS for name in FUNCTION_RE.findall(rest)):
        return None
    if prop == "font-family":
        return value.strip() if FONT_FAMILY_RE.match(value) else None
    return value.strip() if VALUE_RE.match(rest) else None


def clean_declarations(text: str, allowed: frozenset[str] = CSS_PROPERTIES) -> str:
    """A style attribute (or rule body) with only allowed properties and values."""
    text = _strip_comments(text)
    _refuse_reaching(text)
    kept = []
    for declaration in text.split(";"):
        name, colon, value = declaration.partition(":")
        name = name.strip().lower()
        if colon and name in allowed:
            cleaned = clean_value(name, value)
            if cleaned:
                kept.append(f"{name}:{cleaned}")
    return ";".join(kept)


def clean_stylesheet(text: str) -> str:
    """A <style> element's CSS as plain rules of allowed declarations, written
    out again: no @-rules, no escapes, no nesting."""
    text = _strip_comments(text)
    _refuse_reaching(text)
    rules = []
    for chunk in text.split("}"):
        selector, brace, body = chunk.partition("{")
        selector = " ".join(selector.split())
        if brace and "{" not in body and SELECTOR_RE.match(selector):
            declarations = clean_declarations(body)
            if declarations:
                rules.append(f"{selector}{{{declarations}}}")
    return "\n".join(rules)
