"""What the audio says, in order: the leaflet as a list of spoken segments.

The order is the page's: the DRAFT notice (in English, then in the language),
the organisation, title and subtitle, every section (headings, paragraphs, list
items one by one, a table's head row and then its rows as "header: value",
pictures by their description, contacts slowly, name then number), then the
"also available" panel, the leaflet code and the review date.  Following the page exactly is what lets the
read-aloud EPUB highlight each paragraph as it is said.

Each segment keeps the words as printed (``display``) beside the words given to
the voice (``spoken``); a segment that opens a section names its chapter.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaflet import langs
from leaflet.model import (
    BlockVisitor, Callout, Contacts, Figure, Heading, Leaflet, List, Paragraph, Quote, Row,
    Rule, Table, plain_text,
)

from ..options import WriterOptions
from ..shared import (
    CALLOUT_LABELS, EDITION_NAMES, N_, PANEL_HEADING, draft_lines, footer_fields, panel_entries,
    phone_label,
)
from .speech import Speech

PICTURE = N_("Picture")
EMAIL, WEBSITE, HOURS = N_("Email"), N_("Website"), N_("Opening hours")
LEAFLET_CODE, REVIEW_DATE = N_("Leaflet code"), N_("Review date")

# Pauses after a segment, in milliseconds: a heading is followed by a pause, a new
# section is set apart, list items and contact lines follow each other closely.
PAUSE = {"heading": 800, "subheading": 600, "paragraph": 500, "item": 350, "last-item": 500,
         "contact": 350, "last-contact": 650, "title": 700, "detail": 400}
SENTENCE_END = ".!?…:;。؟۔।"
CLOSING = "\"'”’»)]」』"  # what may close a sentence after its full stop


@dataclass(frozen=True)
class Segment:
    """One thing said: a heading, a paragraph, a list item, a contact's line."""

    display: str          # the words as printed, to find the element they belong to
    spoken: str           # the words given to the voice
    pause_ms: int         # silence after it
    slow: bool = False    # contact details: said more slowly
    chapter: str = ""     # a chapter starts here, with this title
    lang: str = ""        # said in another language than the leaflet's (the English DRAFT)


class _Script(BlockVisitor[None]):
    def __init__(self, leaflet: Leaflet, options: WriterOptions, speech: Speech):
        self.leaflet, self.options, self.speech = leaflet, options, speech
        self._ = options.gettext
        self.segments: list[Segment] = []

    def add(self, display: str, spoken: str, pause: str, **extra) -> None:
        spoken = " ".join(spoken.split())
        if not spoken:
            return
        if spoken.rstrip(CLOSING)[-1:] not in tuple(SENTENCE_END):
            spoken += "."  # a falling voice and a breath at the end, as at a full stop
        self.segments.append(Segment(" ".join(display.split()), spoken, PAUSE[pause], **extra))

    def build(self) -> list[Segment]:
        meta, _ = self.leaflet.meta, self._
        lines = draft_lines(self.leaflet, self.options)
        for number, line in enumerate(lines):
            english = number == 0 and len(lines) > 1
            self.add(line, line if english else self.speech.text(line), "title",
                     lang="en" if english else "")
        self.add(meta.organisation, self.speech.text(meta.organisation), "paragraph")
        self.add(meta.title, self.speech.text(meta.title), "title", chapter=meta.title)
        if meta.subtitle:
            self.add(meta.subtitle, self.speech.text(meta.subtitle), "title")
        if self.options.edition != "standard":
            edition = _(EDITION_NAMES[self.options.edition])
            self.add(edition, edition, "title")
        self.blocks(self.leaflet.blocks)
        self.panel()
        return self.segments

    def blocks(self, blocks) -> None:
        for block in blocks:
            self.block(block)

    def block(self, block, prefix: str = "", pause: str = "paragraph") -> None:
        self.visit(block, prefix, pause)

    def heading(self, node: Heading, prefix: str, pause: str) -> None:
        title = plain_text(node.children)
        self.add(title, self.speech.inlines(node.children),
                 "heading" if node.level == 1 else "subheading",
                 chapter=" ".join(title.split()) if node.level == 1 else "")

    def paragraph(self, node: Paragraph, prefix: str, pause: str) -> None:
        self.add(plain_text(node.children), prefix + self.speech.inlines(node.children), pause)

    def list(self, node: List, prefix: str, pause: str) -> None:
        self.items(node)

    def callout(self, node: Callout, prefix: str, pause: str) -> None:
        label = self._(CALLOUT_LABELS.get(node.kind, CALLOUT_LABELS["info"]))
        self.add(label, label, "detail")
        self.blocks(node.blocks)

    def quote(self, node: Quote, prefix: str, pause: str) -> None:
        self.blocks(node.blocks)  # said as printed: the quote marks are in its words

    def rule(self, node: Rule, prefix: str, pause: str) -> None:
        pass  # a change of subject: the next heading or paragraph's pause says it

    def row(self, node: Row, prefix: str, pause: str) -> None:
        if node.figure is not None:
            self.figure(node.figure)
        self.blocks(node.blocks)

    def words(self, value: tuple) -> tuple[str, str]:
        """(as printed, as said) of inline nodes: a contact's about or hours, or the
        requests line."""
        return plain_text(value), self.speech.inlines(value)

    def items(self, block: List) -> None:
        for number, item in enumerate(block.items, start=block.start):
            last = number == block.start + len(block.items) - 1
            prefix = f"{number}. " if block.ordered else ""
            pause = "last-item" if last else "item"
            for index, child in enumerate(item.blocks):
                self.block(child, prefix if index == 0 else "",
                           pause if index == len(item.blocks) - 1 else "item")

    def figure(self, figure: Figure, *_context) -> None:
        words = " ".join(part for part in (figure.alt.strip(), figure.caption.strip()) if part)
        if words:
            said = self.speech.text(figure.alt) if figure.alt.strip() else ""
            if figure.caption.strip():
                said = f"{said}. {self.speech.text(figure.caption)}" if said \
                    else self.speech.text(figure.caption)
            self.add(words, f"{self._(PICTURE)}: {said}", "paragraph")

    def table(self, table: Table, *_context) -> None:
        heads = [plain_text(cell.children) for cell in table.head]
        # the head row once, as a screen reader names the columns: then it is highlighted
        # in the read-aloud EPUB too, before each row says its cells with their headings
        self.add(" ".join(heads), sentences([self.speech.text(h) for h in heads if h.strip()]),
                 "item")
        for row in table.rows:
            printed, said = [], []
            for number, cell in enumerate(row):
                value = self.speech.inlines(cell.children)
                printed.append(plain_text(cell.children))
                label = self.speech.text(heads[number]) if number < len(heads) else ""
                said.append(f"{label}: {value}" if label else value)
            self.add(" ".join(printed), sentences(said), "paragraph")

    def contacts(self, block: Contacts, *_context) -> None:
        _, speech = self._, self.speech
        for contact in block.contacts:
            lines: list[tuple[str, str, bool]] = [(contact.name, speech.text(contact.name), False)]
            if contact.about:
                lines.append((*self.words(contact.about), False))
            for phone in contact.phones:
                label = _(phone_label(phone))
                lines.append((f"{label}: {phone.display}",
                              f"{label}: {speech.phone_node(phone)}", True))
            for email in contact.emails:
                lines.append((f"{_(EMAIL)}: {email.address}",
                              f"{_(EMAIL)}: {speech.email(email.address)}", True))
            if contact.web:
                lines.append((f"{_(WEBSITE)}: {contact.web}",
                              f"{_(WEBSITE)}: {speech.web(contact.web)}", True))
            if contact.hours:
                printed, said = self.words(contact.hours)
                lines.append((f"{_(HOURS)}: {printed}", f"{_(HOURS)}: {said}", True))
            for number, (display, spoken, slow) in enumerate(lines):
                pause = "last-contact" if number == len(lines) - 1 else "contact"
                self.add(display, spoken, pause, slow=slow)

    def panel(self) -> None:
        heading = self._(PANEL_HEADING)
        self.add(heading, self.speech.text(heading), "heading", chapter=heading)
        listener = self.leaflet.meta.language
        for lang, name, _direction, editions in panel_entries(self.options):
            # Said in the listener's language: an English voice cannot read "العربية".
            said_name = _language_in(lang, listener) or name
            joined = ", ".join(editions)
            self.add(f"{name}: {joined}", f"{said_name}: {joined}", "item")
        if self.leaflet.meta.requests:
            self.add(*self.words(self.leaflet.meta.requests), "paragraph")
        wanted = {self._(LEAFLET_CODE): self.speech.code, self._(REVIEW_DATE): self.speech.text}
        for label, value in footer_fields(self.leaflet, self.options):
            if label in wanted:
                self.add(f"{label}: {value}", f"{label}: {wanted[label](value)}", "detail")


def sentences(parts: list[str]) -> str:
    """Parts said as sentences, without a second full stop after "9 a.m."."""
    out = ""
    for part in parts:
        if out:
            out += " " if out[-1] in SENTENCE_END else ". "
        out += part
    return out


def _language_in(lang: str, listener: str) -> str:
    """A language's name in the listener's language: "Polish", "بولندية"."""
    locale = langs.babel_locale(lang)
    listener_locale = langs.babel_locale(listener)
    if locale is None or listener_locale is None:
        return ""
    name = locale.get_language_name(listener_locale) or ""
    return name[:1].upper() + name[1:]


def segments(leaflet: Leaflet, options: WriterOptions, speech: Speech) -> list[Segment]:
    """Everything the audio says, in the order of the page."""
    return _Script(leaflet, options, speech).build()
