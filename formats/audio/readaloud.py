"""The read-aloud EPUB: the EPUB 3 of the leaflet with its audio inside and media overlays (SMIL).

It is the ``epub`` writer's book, unchanged but for what reading aloud adds: an
id on every heading, paragraph and list item that is spoken, one SMIL document
pairing each of them with its clip of the MP3, the MP3 itself, and the package
metadata (its own identifier, ``media:duration`` for the overlay and the whole
book, the class a reading system gives the element being read, the auditory access
mode).  A reading system then highlights each paragraph as it is said: the modern
DAISY talking book.  The book is made from the EPUB writer's parts before they are
packaged, and packaged once, as the EPUB is.

Segments of the script are matched to the content document's elements by their
letters and digits, in order (headings keep the ids their anchors give them); a
segment whose element a theme's template left out is added to the clip before it, so
the audio stays whole.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass

from ebooklib import epub as ebook
from lxml import etree

from leaflet.model import Leaflet

from .. import Rendered, epub
from ..options import WriterOptions
from ..shared import N_
from . import narrate

XHTML_NS = "http://www.w3.org/1999/xhtml"
SMIL_NS = "http://www.w3.org/ns/SMIL"
OPS_NS = "http://www.idpf.org/2007/ops"
SPOKEN_ELEMENTS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "figure", "tr", "td", "th",
                   "dt", "dd", "caption", "figcaption", "blockquote"}
SMIL_FILE = "content.smil"
ACTIVE_CLASS = "-epub-media-overlay-active"
# The element being read: a pale yellow behind the text (dark text on it passes 4.5:1).
ACTIVE_CSS = (f"\n.{ACTIVE_CLASS} {{ background-color: #fff3b0; color: #1a1a1a; }}\n")
AUDIO_SUMMARY = N_("A synthetic voice reads the whole leaflet aloud, and each paragraph is "
                   "highlighted as it is read.")
NARRATOR = "eSpeak NG"
READ_ALOUD_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:leaflet:read-aloud")


@dataclass(frozen=True)
class Par:
    """One SMIL ``par``: an element and the clip in which it is said."""

    element_id: str
    start: float
    end: float


def write(leaflet: Leaflet, options: WriterOptions) -> Rendered:
    """The read-aloud EPUB alone: the audio render's companion (the builder renders the
    audio format once for both)."""
    from . import READ_ALOUD, write as write_audio

    return write_audio(leaflet, options).companions[READ_ALOUD]


def book(leaflet: Leaflet, options: WriterOptions, narration: narrate.Narration,
         audio: bytes) -> bytes:
    """The EPUB writer's book with the audio, its media overlay and their metadata."""
    parts = epub.book(leaflet, options)
    content = parts.get_item_with_id("content")
    document = etree.fromstring(content.content)
    pars = match(document.find(f"{{{XHTML_NS}}}body"), narration.clips)
    content.content = etree.tostring(document.getroottree(), encoding="utf-8",
                                     xml_declaration=True)
    content.media_overlay = "overlay"
    style = parts.get_item_with_id("style")
    style.content = style.content + ACTIVE_CSS.encode("utf-8")
    audio_href = f"audio/{leaflet.slug}.mp3"
    parts.add_item(ebook.EpubItem(uid="overlay", file_name=SMIL_FILE,
                                  media_type="application/smil+xml",
                                  content=smil(content.file_name, audio_href, pars)))
    # added empty: the package puts the MP3 in as it is, uncompressed
    parts.add_item(ebook.EpubItem(uid="audio", file_name=audio_href,
                                  media_type="audio/mpeg", content=b""))
    parts.set_identifier(identifier(leaflet))
    describe(parts, leaflet, options, narration.duration)
    return epub.package(parts, leaflet, options, stored={audio_href: audio})


def clock(seconds: float) -> str:
    """A SMIL clock value: "0:01:23.456"."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def letters(text: str) -> str:
    """Only the letters and digits of a text: what a segment and its element share
    whatever the template put between words ("Phone:" and a link, a comma or "،")."""
    return "".join(c for c in unicodedata.normalize("NFC", text)
                   if unicodedata.category(c)[0] in "LN").casefold()


def element_words(element: etree._Element) -> str:
    """An element's text as a listener hears it: a picture counts by its description."""
    out = [element.get("alt") or "" if etree.QName(element).localname == "img" else "",
           element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            out.append(element_words(child))
        out.append(child.tail or "")
    return " ".join(out)


def match(body: etree._Element, clips: tuple[narrate.Clip, ...]) -> list[Par]:
    """Give every spoken element an id and pair it with its clip, in reading order."""
    elements = [e for e in body.iter() if isinstance(e.tag, str)
                and etree.QName(e).localname in SPOKEN_ELEMENTS]
    keys = [letters(element_words(e)) for e in elements]
    taken = {e.get("id") for e in body.iter() if isinstance(e.tag, str) and e.get("id")}
    pars: list[Par] = []
    waiting_start: float | None = None  # a clip said before any element was found
    position = 0
    for clip in clips:
        want = letters(clip.segment.display)
        found = next((j for j in range(position, len(elements)) if keys[j] == want), None)
        if found is None:
            if pars:
                pars[-1] = Par(pars[-1].element_id, pars[-1].start, clip.end)
            elif waiting_start is None:
                waiting_start = clip.start
            continue
        element, position = elements[found], found + 1
        if not element.get("id"):
            number = len(pars) + 1
            while f"read-{number}" in taken:
                number += 1
            element.set("id", f"read-{number}")
            taken.add(element.get("id"))
        start = clip.start if waiting_start is None else waiting_start
        waiting_start = None
        pars.append(Par(element.get("id"), start, clip.end))
    return pars


def smil(content_href: str, audio_href: str, pars: list[Par]) -> bytes:
    root = etree.Element(f"{{{SMIL_NS}}}smil", nsmap={None: SMIL_NS, "epub": OPS_NS},
                         version="3.0")
    body = etree.SubElement(root, f"{{{SMIL_NS}}}body")
    body.set(f"{{{OPS_NS}}}textref", content_href)
    # a clip must last (EPUBCheck MED-009): one shorter than a millisecond is left out
    lasting = [par for par in pars if clock(par.start) != clock(par.end)]
    for number, par in enumerate(lasting, start=1):
        element = etree.SubElement(body, f"{{{SMIL_NS}}}par", id=f"par-{number}")
        etree.SubElement(element, f"{{{SMIL_NS}}}text", src=f"{content_href}#{par.element_id}")
        etree.SubElement(element, f"{{{SMIL_NS}}}audio", src=audio_href,
                         clipBegin=clock(par.start), clipEnd=clock(par.end))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


def identifier(leaflet: Leaflet) -> str:
    """Not the EPUB's own identifier: the read-aloud book is another publication."""
    meta = leaflet.meta
    name = "\n".join((leaflet.slug, meta.language, leaflet.edition, meta.version))
    return f"urn:uuid:{uuid.uuid5(READ_ALOUD_NAMESPACE, name)}"


def describe(book: ebook.EpubBook, leaflet: Leaflet, options: WriterOptions, seconds: float) -> None:
    """Media overlay and accessibility metadata."""
    def meta(prop: str, value: str, **attributes) -> None:
        book.add_metadata(None, "meta", value, {"property": prop, **attributes})

    meta("media:duration", clock(seconds), refines="#overlay")
    meta("media:duration", clock(seconds))
    meta("media:narrator", NARRATOR)
    meta("media:active-class", ACTIVE_CLASS)
    meta("schema:accessMode", "auditory")
    meta("schema:accessModeSufficient", "auditory")
    meta("schema:accessibilityFeature", "synchronizedAudioText")
    summary = options.gettext(AUDIO_SUMMARY)
    entries = book.metadata.get(None, {}).get("meta", [])
    for number, (text, attributes) in enumerate(entries):
        if attributes.get("property") == "schema:accessibilitySummary":
            english = attributes.get(epub.XML_LANG) == "en"
            # One language per summary: the sentence goes in when it is in that language.
            if summary != AUDIO_SUMMARY or english or leaflet.meta.language.startswith("en"):
                entries[number] = (f"{text} {summary if not english else AUDIO_SUMMARY}",
                                   attributes)
