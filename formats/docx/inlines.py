"""Runs: text in its language and direction, web addresses, and the inline visitor.

Every run carries its w:lang; a right-to-left run carries w:rtl, except the
Latin stretches inside it, and a web address or a phone number is never
right to left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from docx.oxml.ns import qn

from leaflet.model import (
    Email, Emphasis, Inline, InlineVisitor, LineBreak, Link, Phone, Strong, Text, plain_text,
    shows_address, visit_inlines,
)

from ..shared import joined_ranges
from . import oxml
from .oxml import element

if TYPE_CHECKING:
    from . import DocxWriter

NBSP = "\u00a0"

# Inside right-to-left text, a stretch of Latin letters and digits ("9am to
# 8pm", "Herceptin") gets its own run without w:rtl, so that Word lays it out
# left to right in the Latin font.
LTR_STRETCH = re.compile(r"[A-Za-z0-9\u00c0-\u024f](?:[A-Za-z0-9\u00c0-\u024f .,:/%+\-]*"
                         r"[A-Za-z0-9\u00c0-\u024f%])?")


def text_runs(text: str, rtl: bool, **props) -> list:
    """``text`` as runs: one, or in right-to-left text one for each stretch
    between the Latin ones and one for each Latin stretch."""
    if not rtl:
        return [oxml.text_run(text, **props)]
    runs, position = [], 0
    for match in LTR_STRETCH.finditer(text):
        if match.start() > position:
            runs.append(oxml.text_run(text[position:match.start()], rtl=True, **props))
        runs.append(oxml.text_run(match.group(), **props))
        position = match.end()
    if position < len(text):
        runs.append(oxml.text_run(text[position:], rtl=True, **props))
    return runs


def address_run(url: str, **props):
    """A web address in one left-to-right run, exactly as written: no character is
    added to steer where it breaks.  A zero-width space after each slash would go
    with the address into a browser when a reader copies it, and Word's non-breaking
    hyphen (w:noBreakHyphen) is read back as U+2011 by pandoc and LibreOffice; so
    Word and LibreOffice may break a long address after one of its hyphens (issue 24)."""
    run = oxml.text_run("", **props)
    words = element("w:t")
    words.text = url
    words.set(qn("xml:space"), "preserve")
    run.append(words)
    return run


@dataclass(frozen=True)
class _Runs(InlineVisitor[None]):
    """Inline nodes as runs appended to ``target``, in the style they sit inside."""

    writer: DocxWriter
    target: object
    bold: bool = False
    italic: bool = False
    in_link: bool = False

    def text(self, node: Text) -> None:
        self.writer.text(self.target, joined_ranges(node.text), bold=self.bold, italic=self.italic,
                         style="Hyperlink" if self.in_link else "")

    def strong(self, node: Strong) -> None:
        visit_inlines(node.children, replace(self, bold=True))

    def emphasis(self, node: Emphasis) -> None:
        # Large print and easy read have no italics: emphasis is bold.
        large = self.writer.look.large
        visit_inlines(node.children, replace(self, bold=self.bold or large, italic=not large))

    def link(self, node: Link) -> None:
        anchor = oxml.hyperlink(self.writer.part, self.target, node.href)
        if shows_address(node) and all(isinstance(child, Text) for child in node.children):
            self.writer.address(anchor, plain_text(node.children), bold=self.bold,
                                style="Hyperlink")
            return
        visit_inlines(node.children, replace(self, target=anchor, in_link=True))
        if not shows_address(node):  # on paper the words alone lead nowhere
            self.writer.text(self.target, " (", bold=self.bold, rtl=False)
            self.writer.address(self.target, node.href, bold=self.bold)
            self.writer.text(self.target, ")", bold=self.bold, rtl=False)

    def phone(self, node: Phone) -> None:
        self.writer.phone(self.target, node.display, node.tel, bold=self.bold)

    def email(self, node: Email) -> None:
        anchor = oxml.hyperlink(self.writer.part, self.target, f"mailto:{node.address}")
        self.writer.text(anchor, node.address, bold=self.bold, style="Hyperlink", rtl=False)

    def line_break(self, node: LineBreak) -> None:
        self.target.append(oxml.text_run("\n", lang=self.writer.run_lang))


def append(writer: DocxWriter, target, nodes: tuple[Inline, ...]) -> None:
    """Inline nodes as runs appended to ``target`` (a paragraph, a hyperlink)."""
    visit_inlines(nodes, _Runs(writer, target))
