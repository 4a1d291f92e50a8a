"""The read-aloud EPUB: the EPUB 3 of the leaflet with its audio inside and media overlays (SMIL).

It is the ``epub`` writer's book, unchanged but for what reading aloud adds: an
id on every heading, paragraph and list item that is spoken, one SMIL document
pairing each of them with its clip of the MP3, the MP3 itself, and the package
metadata (``media:duration`` for the overlay and the whole book, the class a
reading system gives the element being read, the auditory access mode).  A
reading system then highlights each paragraph as it is said: the modern DAISY
talking book.

Segments of the script are matched to the book's elements by their letters and
digits, in order; a segment whose element a theme's template left out is added
to the clip before it, so the audio stays whole.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from lxml import etree

from leaflet.model import Leaflet

from .. import epub
from ..options import WriterOptions
from ..shared import N_
from . import narrate
from .recording import spoken

OPF_NS = "http://www.idpf.org/2007/opf"
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
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Par:
    """One SMIL ``par``: an element and the clip in which it is said."""

    element_id: str
    start: float
    end: float


def write(leaflet: Leaflet, options: WriterOptions) -> bytes:
    narration, audio = spoken(leaflet, options)
    book = epub.write(leaflet, options)
    return with_overlay(book, leaflet, options, narration, audio)


def book_duration(data: bytes) -> float:
    """The whole book's ``media:duration``, in seconds."""
    book = zipfile.ZipFile(io.BytesIO(data))
    container = etree.fromstring(book.read("META-INF/container.xml"))
    opf = etree.fromstring(book.read(container.find(".//{*}rootfile").get("full-path")))
    for meta in opf.iter(f"{{{OPF_NS}}}meta"):
        if meta.get("property") == "media:duration" and not meta.get("refines"):
            hours, minutes, rest = meta.text.split(":")
            return int(hours) * 3600 + int(minutes) * 60 + float(rest)
    raise ValueError("the EPUB has no media:duration")


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
    for number, par in enumerate(pars, start=1):
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


def with_overlay(book: bytes, leaflet: Leaflet, options: WriterOptions,
                 narration: narrate.Narration, audio: bytes) -> bytes:
    """The EPUB with the audio, its media overlay and their metadata added."""
    source = zipfile.ZipFile(io.BytesIO(book))
    container = etree.fromstring(source.read("META-INF/container.xml"))
    opf_path = container.find(".//{*}rootfile").get("full-path")
    base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    opf = etree.fromstring(source.read(opf_path))
    manifest = opf.find(f"{{{OPF_NS}}}manifest")
    items = {item.get("id"): item for item in manifest}
    spine_first = opf.find(f"{{{OPF_NS}}}spine/{{{OPF_NS}}}itemref").get("idref")
    content_item = items[spine_first]
    content_href = content_item.get("href")
    audio_href = f"audio/{leaflet.slug}.mp3"

    content = etree.fromstring(source.read(base + content_href))
    pars = match(content.find(f"{{{XHTML_NS}}}body"), narration.clips)
    replaced = {base + content_href: etree.tostring(content.getroottree(), encoding="utf-8",
                                                    xml_declaration=True)}

    content_item.set("media-overlay", "overlay")
    etree.SubElement(manifest, f"{{{OPF_NS}}}item", id="overlay", href=SMIL_FILE,
                     attrib={"media-type": "application/smil+xml"})
    etree.SubElement(manifest, f"{{{OPF_NS}}}item", id="audio", href=audio_href,
                     attrib={"media-type": "audio/mpeg"})
    old_identifier = describe(opf, leaflet, options, narration.duration)
    replaced[opf_path] = etree.tostring(opf, encoding="utf-8", xml_declaration=True,
                                        pretty_print=True)
    for item in manifest:
        name = base + item.get("href")
        if item.get("media-type") == "text/css":
            replaced[name] = source.read(name) + ACTIVE_CSS.encode("utf-8")
        elif item.get("media-type") == "application/x-dtbncx+xml" and old_identifier:
            replaced[name] = source.read(name).replace(old_identifier.encode(),
                                                       identifier(leaflet).encode())
    added = {base + SMIL_FILE: smil(content_href, audio_href, pars), base + audio_href: audio}
    return package(source, replaced, added, options.source_date)


def describe(opf: etree._Element, leaflet: Leaflet, options: WriterOptions,
             seconds: float) -> str:
    """Media overlay and accessibility metadata; returns the identifier it replaced."""
    metadata = opf.find(f"{{{OPF_NS}}}metadata")
    old = ""
    unique = opf.get("unique-identifier")
    for element in metadata:
        if element.get("id") == unique and etree.QName(element).localname == "identifier":
            old, element.text = element.text or "", identifier(leaflet)

    def meta(prop: str, value: str, **attributes) -> None:
        element = etree.SubElement(metadata, f"{{{OPF_NS}}}meta", property=prop, **attributes)
        element.text = value

    meta("media:duration", clock(seconds), refines="#overlay")
    meta("media:duration", clock(seconds))
    meta("media:narrator", NARRATOR)
    meta("media:active-class", ACTIVE_CLASS)
    meta("schema:accessMode", "auditory")
    meta("schema:accessModeSufficient", "auditory")
    meta("schema:accessibilityFeature", "synchronizedAudioText")
    summary = options.gettext(AUDIO_SUMMARY)
    for element in metadata:
        if element.get("property") == "schema:accessibilitySummary":
            english = element.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
            # One language per summary: the sentence goes in when it is in that language.
            if summary != AUDIO_SUMMARY or english or leaflet.meta.language.startswith("en"):
                element.text = f"{element.text} {summary if not english else AUDIO_SUMMARY}"
    return old


def package(source: zipfile.ZipFile, replaced: dict[str, bytes], added: dict[str, bytes],
            date: dt.datetime) -> bytes:
    """The zip again: ``mimetype`` first and stored, the audio stored (it is already
    compressed), everything stamped with the source date."""
    stamp = max(date if date.tzinfo else date.replace(tzinfo=dt.timezone.utc), ZIP_EPOCH)
    stamp_tuple = stamp.astimezone(dt.timezone.utc).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        names = source.namelist() + [n for n in added if n not in source.namelist()]
        for name in names:
            content = added.get(name) or replaced.get(name) or source.read(name)
            info = zipfile.ZipInfo(name, date_time=stamp_tuple)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            stored = name == "mimetype" or name.endswith(".mp3")
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            target.writestr(info, content, compresslevel=9)
    return out.getvalue()
