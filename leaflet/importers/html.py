"""Saved web pages into a draft: the leaflet's main content only.

A saved hospital page carries a cookie banner, navigation, a site header and
footer around the leaflet: only the ``main`` element (or the largest article
block) becomes the body; what is around it is kept as margins, searched for the
leaflet's details but never written into it.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import html5lib
import lxml.html
from html5lib.constants import DataLossWarning
from html5lib.treebuilders.etree_lxml import TreeBuilder
from lxml import etree

from leaflet.errors import LeafletError
from leaflet.source import emails

from . import account
from .convert import Converter
from .draft import Draft

MAX_PAGE_BYTES = 20_000_000
MAX_DEPTH = 200  # elements inside elements: pages nest a few dozen deep


def decode_cloudflare(root) -> None:
    """Addresses a site hid from robots ("[email protected]") are in the page, encoded:
    put them back."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        encoded = element.get("data-cfemail")
        href = element.get("href", "")
        if not encoded and "/cdn-cgi/l/email-protection#" in href:
            encoded = href.rsplit("#", 1)[1]
        if not encoded or not re.fullmatch(r"(?:[0-9a-fA-F]{2})+", encoded):
            continue
        key = int(encoded[:2], 16)
        address = "".join(chr(int(encoded[i:i + 2], 16) ^ key) for i in range(2, len(encoded), 2))
        if emails.is_email(address):
            for child in list(element):
                element.remove(child)
            element.text = address
            if element.tag == "a":
                element.set("href", "mailto:" + address)


def main_content(root, draft: Draft):
    """The element holding the leaflet: ``main``, else the article, else the block
    with the most paragraph text."""
    for xpath in ("//main", "//*[@role='main']"):
        found = root.xpath(xpath)
        if found:
            return found[0]
    articles = root.xpath("//article")
    if articles:
        return max(articles, key=text_length)
    best, best_score = root.find(".//body"), 0
    for element in root.iter("div", "section", "td"):
        score = sum(text_length(child) for child in element
                    if isinstance(child.tag, str) and child.tag.lower() in
                    {"p", "h1", "h2", "h3", "h4", "ul", "ol", "table"})
        if score > best_score:
            best, best_score = element, score
    if best is None:
        raise LeafletError(draft.path, None, "the page has no text to import")
    draft.warn(getattr(best, "sourceline", None), "the page has no <main> element: the block "
               "with the most text was taken as the leaflet; check nothing is missing")
    return best


def text_length(element) -> int:
    return len(" ".join(element.itertext()).split()) if isinstance(element.tag, str) else 0


class _LineBuilder(TreeBuilder):
    """html5lib's lxml tree, each element given the line its tag ends on."""

    parser = None

    def _mark(self, element):
        element._element.sourceline = self.parser.tokenizer.stream.position()[0]
        return element

    def insertElementNormal(self, token):
        return self._mark(super().insertElementNormal(token))

    def insertElementTable(self, token):
        return self._mark(super().insertElementTable(token))


def parse_page(data: bytes, rel: str):
    """The page as a browser builds it (HTML5 parsing: void elements such as <embed>
    hold nothing, stray text in a table comes before it), as lxml.html elements."""
    parser = html5lib.HTMLParser(tree=_LineBuilder, namespaceHTMLElements=False)
    parser.tree.parser = parser
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataLossWarning)  # names XML cannot hold
            parsed = parser.parse(data).getroot()
    except (ValueError, LookupError, UnicodeError) as exc:
        raise LeafletError(rel, None, f"this is not a web page that can be read ({exc})") from exc
    return as_html_elements(parsed, rel)


def as_html_elements(parsed, rel: str):
    """A copy of an lxml tree whose elements are lxml.html's (text_content() and the
    rest), keeping source lines; refused when nested deeper than MAX_DEPTH."""
    root = lxml.html.html_parser.makeelement(parsed.tag, dict(parsed.attrib))
    root.text, root.sourceline = parsed.text, parsed.sourceline or 1
    pending = [(parsed, root, 1)]
    while pending:
        source, copy, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise LeafletError(rel, source.sourceline, f"the page nests elements over "
                               f"{MAX_DEPTH} deep; save only the leaflet's page")
        for child in source:
            if isinstance(child.tag, str):
                made = etree.SubElement(copy, child.tag, dict(child.attrib))
                # an element the parser made itself (a reopened <b>) has no line: its parent's
                made.text, made.sourceline = child.text, child.sourceline or copy.sourceline
                pending.append((child, made, depth + 1))
            else:
                made = etree.Comment()  # comments are never leaflet text; their tails are
                copy.append(made)
            made.tail = child.tail
    return root


def read(path: Path, rel: str, region: str = "GB") -> Draft:
    """A saved web page as a draft: its main content as blocks, the rest as margins."""
    from .structure import page_details

    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise LeafletError(rel, None, "the page is over 20 MB; save only the leaflet's page")
    root = parse_page(path.read_bytes(), rel)
    draft = Draft(rel, margin_place="around the leaflet on the page",
                  margin_why="the site's page around the leaflet (its header, menus or footer)")
    decode_cloudflare(root)
    body = root.find(".//body")
    draft.original = account.page_texts(body if body is not None else root)
    converter = Converter(draft, folder=path.parent, region=region)
    main = main_content(root, draft)
    blocks = converter.blocks(main)
    parent = main.getparent()
    if parent is not None:
        parent.remove(main)  # what is left is around the leaflet
    draft.margins = converter.blocks(body) if body is not None else []
    page_details(draft, root)
    draft.blocks = blocks
    return draft

