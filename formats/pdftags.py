"""The PDF's text and tag tree put right after WeasyPrint: readable text, languages, tables, one element per block.

WeasyPrint (70) leaves six things a screen reader or a text extractor trips over:

- its ToUnicode maps give each glyph the text of the first cluster it was drawn
  in, so a glyph drawn before its consonant (a Bengali vowel sign) maps to
  nothing and the consonant to both (Kozea/WeasyPrint#2841);
- glyphs say nothing of the text they were shaped from: right-to-left text is
  drawn backwards, a Nastaliq word in glyphs no map can read, a zero-width
  non-joiner not at all, and a vowel sign drawn apart from its letter leaves a
  gap extractors take for a space;
- it builds the tag tree page by page, so a block crossing a page is two elements;
- it writes no /Lang below the document, no table header /Scope, no /IDTree;
- it puts a nested list beside its item instead of in the item's body, and an
  item's paragraphs beside its body (PDF/UA wants ``LI -> Lbl, LBody``), and a
  table's header repeated on a new page is a second header of the same table;
- line ends lose their space, so "your" and "information" on two lines read as one word.

WeasyPrint has no hook for what it draws and tags, so while it writes, two thin
wrappers record which box each marked-content sequence and each structure
element came from (they change nothing they wrap).  From those boxes, after
writing: each glyph is mapped from the font's own cmap and substitutions, a
text span gets the /ActualText each reader needs to read it as written
(``pdftext``), elements in another language get /Lang, list items get one
body, split blocks are joined and a repeated table header is page furniture.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import threading
import unicodedata
from contextlib import contextmanager
from typing import NamedTuple

import pikepdf
from fontTools.ttLib import TTFont
from weasyprint.draw import text as weasy_text
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import stream as weasy_stream
from weasyprint.pdf import tags as weasy_tags
from weasyprint.text.ffi import ffi, pango
from weasyprint.text.fonts import get_hb_object_data

from . import pdftext

_recording = threading.local()


class Drawn:
    """What one rendering drew: the box behind each marked-content sequence
    (by content stream and MCID) and behind each structure element (by object
    number), for each text box (by id) where in its text each glyph it drew
    starts, and WeasyPrint's document for its fonts and pages."""

    def __init__(self):
        self.marks: dict[tuple[int, int], object] = {}
        self.elements: dict[int, object] = {}
        self.clusters: dict[int, list[int]] = {}
        self.document = None
        self.streams: list[int] = []

    def finisher(self, document, _pdf) -> None:
        self.document = document


@contextmanager
def recording():
    """Record, in this thread only, what WeasyPrint draws and tags; pass
    ``drawn.finisher`` as write_pdf's finisher."""
    drawn = Drawn()
    _recording.drawn = drawn
    try:
        yield drawn
    finally:
        _recording.drawn = None


def _install() -> None:
    original_marked = weasy_stream.Stream.marked
    original_tree = weasy_tags._build_box_tree

    @contextmanager
    def marked(self, box, tag):
        with original_marked(self, box, tag):
            drawn = getattr(_recording, "drawn", None)
            if drawn is not None and self._tags is not None and box in self._tags:
                drawn.marks[(self.number, self._tags[box]["mcid"])] = box
            yield

    def build_box_tree(box, *args):
        drawn = getattr(_recording, "drawn", None)
        for element in original_tree(box, *args):
            if drawn is not None:
                # The innermost call sees an element first: html and body
                # pass their children's elements up unchanged.
                drawn.elements.setdefault(element.number, getattr(box, "_box", box))
            yield element

    original_first_line = weasy_text.draw_first_line

    def draw_first_line(stream, textbox, *args):
        emojis = original_first_line(stream, textbox, *args)
        drawn = getattr(_recording, "drawn", None)
        if drawn is not None and textbox.text.strip():
            drawn.clusters[id(textbox)] = glyph_clusters(textbox.pango_layout)
        return emojis

    weasy_stream.Stream.marked = marked
    weasy_tags._build_box_tree = build_box_tree
    weasy_text.draw_first_line = draw_first_line


def glyph_clusters(layout) -> list[int]:
    """Where in the layout's text (a character index) the cluster of each glyph
    of its first line starts, for the glyphs WeasyPrint draws, in the order it
    draws them (left to right)."""
    line, _ = layout.get_first_line()
    text = layout.text.encode()
    characters = {}
    at = 0
    for index, char in enumerate(layout.text):
        characters[at] = index
        at += len(char.encode())
    found = []
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyphs = glyph_item.glyphs
        offset = glyph_item.item.offset
        for i in range(glyphs.num_glyphs):
            if glyphs.glyphs[i].glyph != pango.PANGO_GLYPH_EMPTY:
                found.append(characters.get(offset + glyphs.log_clusters[i], len(text)))
    return found


_install()


def finish(pdf: pikepdf.Pdf, drawn: Drawn, direction: str = "ltr") -> None:
    """Every repair, in order, on WeasyPrint's output as it came (before any
    content stream is rewritten: marks are found by their stream's number)."""
    if direction == "rtl":
        preferences = pdf.Root.get("/ViewerPreferences")
        if preferences is None:
            pdf.Root.ViewerPreferences = preferences = pikepdf.Dictionary()
        preferences.Direction = pikepdf.Name.R2L
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or drawn.document is None:
        return
    # Marks are recorded by their content stream's object number, which
    # changes once a stream is rewritten: note each page's first.
    drawn.streams = [page.obj.Contents.objgen[0] if "/Contents" in page.obj else -1
                     for page in pdf.pages]
    maps = repair_fonts(pdf, drawn.document)
    add_actual_text(pdf, drawn, maps, direction == "rtl")
    nest_lists(pdf, root, drawn)
    links_own_annotations(root)
    join_split_blocks(pdf, root, drawn)
    add_languages(pdf, root, drawn)
    describe_tables(pdf, root, drawn)


# Glyphs to text -------------------------------------------------------------------

BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def repair_fonts(pdf: pikepdf.Pdf, document) -> dict[tuple[int, int], dict[int, str]]:
    """Each font's glyph-to-text map (by the font's object), rewritten where
    WeasyPrint's gives a glyph no text or text that is not its own."""
    originals = {font.name.decode(): font for font in document.fonts.values()}
    maps: dict[tuple[int, int], dict[int, str]] = {}
    for font in _page_fonts(pdf):
        if font.objgen in maps or "/ToUnicode" not in font:
            continue
        mapping = read_cmap(font.ToUnicode.read_bytes())
        original = originals.get(str(font.get("/BaseFont", "")))
        if original is not None and not original.bitmap:
            fixed = glyph_texts(original, mapping)
            if fixed != mapping:
                font.ToUnicode = pdf.make_stream(write_cmap(fixed))
                mapping = fixed
        maps[font.objgen] = mapping
    return maps


def _page_fonts(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if resources is not None else None
        for _name, font in (fonts.items() if fonts is not None else ()):
            yield font


def read_cmap(data: bytes) -> dict[int, str]:
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
            for code, text in BFCHAR.findall(data.split(b"endcodespacerange", 1)[-1])}


def write_cmap(mapping: dict[int, str]) -> bytes:
    """A ToUnicode CMap as WeasyPrint writes one, in glyph order (the same bytes each time)."""
    items = sorted(mapping.items())
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)",
             b"/Supplement 0", b">> def", b"/CMapName /Adobe-Identity-UCS def",
             b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines.extend(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode()
                     for code, text in batch)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def glyph_texts(font, mapping: dict[int, str]) -> dict[int, str]:
    """The text each glyph stands for on its own: a glyph the font's cmap
    reaches is its character; one made by substitution (a conjunct, a half
    form) is the text of what it was made from."""
    face = TTFont(io.BytesIO(get_hb_object_data(font.hb_face)), fontNumber=font.index,
                  lazy=True)
    own: dict[int, list[str]] = {}
    for codepoint, name in sorted((face.getBestCmap() or {}).items()):
        if not _presentation_form(codepoint):
            own.setdefault(face.getGlyphID(name), []).append(chr(codepoint))
    if all(text and (gid not in own or text in own[gid]) for gid, text in mapping.items()):
        return mapping
    made = substituted(face, {gid: chars[0] for gid, chars in own.items()})
    fixed = {}
    for gid, text in mapping.items():
        if gid in own:
            fixed[gid] = text if text in own[gid] else own[gid][0]
        else:
            # A glyph the font cannot say anything about keeps WeasyPrint's
            # cluster text; the span's /ActualText carries the words anyway.
            fixed[gid] = made.get(gid) or text or "\ufffd"
    return fixed


def _presentation_form(codepoint: int) -> bool:
    """Arabic and Latin presentation forms (a letter's initial shape, "ﬁ"):
    a font's cmap may reach its shaped glyphs through them, but they are never
    the text that was written."""
    return 0xFB00 <= codepoint <= 0xFDFF or 0xFE70 <= codepoint <= 0xFEFF


def substituted(face: TTFont, known: dict[int, str]) -> dict[int, str]:
    """Text for glyphs that GSUB makes from glyphs whose text is known, nearest first."""
    if "GSUB" not in face or face["GSUB"].table.LookupList is None:
        return {}
    gid = face.getReverseGlyphMap()
    rules: list[tuple[list[str], str]] = []  # (glyphs it is made from, the glyph made)
    for lookup in face["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:
                kind, table = table.ExtensionLookupType, table.ExtSubTable
            if kind == 1:
                rules += [([source], made) for source, made in table.mapping.items()]
            elif kind == 3:
                rules += [([source], made) for source, alternates in table.alternates.items()
                          for made in alternates]
            elif kind == 4:
                rules += [([first, *ligature.Component], ligature.LigGlyph)
                          for first, ligatures in table.ligatures.items()
                          for ligature in ligatures]
    texts = dict(known)
    while True:
        found = {}
        for sources, made in rules:
            target = gid[made]
            if target in texts or target in found:
                continue
            parts = [texts.get(gid[name]) for name in sources]
            if all(parts):
                found[target] = "".join(parts)
        if not found:
            return {key: text for key, text in texts.items() if key not in known}
        texts.update(found)


# /ActualText -------------------------------------------------------------------

# The tag of the marked content that holds PDFium's own /ActualText: any tag but
# /Span, whose /ActualText poppler would take instead of the one meant for it.
PDFIUM_TAG = pikepdf.Name("/Reading")


class Reading(NamedTuple):
    """What a text span says, as written (with the space a soft line break
    took), and what poppler and PDFium must each find there to read it so:
    poppler's text word by word (each with the glyphs it stands on, so that
    poppler knows where each word is), PDFium's for the span as a whole;
    ``ordered`` when its line was ordered for them as a whole, so that PDFium
    must find an /ActualText on every span of it; ``whole`` when it must be
    read from an /ActualText however its glyphs map: both readers take a gap
    left by a vowel sign drawn apart from its letter for a space."""
    text: str
    poppler: list[Word]
    pdfium: str
    ordered: bool = False
    whole: bool = False


class Word(NamedTuple):
    """A word of a span, or the spaces between two, and its glyphs: ``start``
    and ``end`` count the span's glyphs in the order they are drawn."""
    text: str
    start: int
    end: int


class Glyphs(NamedTuple):
    """A text span's place in its page's content stream (its marked content's
    BDC and EMC), each text-showing operator in it with what its glyphs say
    through the fonts' ToUnicode maps, one glyph at a time, and whether it is
    raised off the baseline (a vowel mark drawn on its own)."""
    start: int
    end: int
    shows: list[tuple[int, list[str], bool]]

    @property
    def text(self) -> str:
        return "".join("".join(texts) for _index, texts, _raised in self.shows)

    @property
    def raised(self) -> bool:
        return any(raised for _index, _texts, raised in self.shows)

    def first(self) -> tuple[int, list[str], bool]:
        """The operator PDFium is to read the span's text with: the first on the
        baseline (a raised mark is drawn first though it stands right of where
        the next one starts) that shows a letter, whose direction PDFium can
        tell from its glyphs."""
        baseline = [show for show in self.shows if not show[2]] or self.shows
        return next((show for show in baseline if any(
            pdftext.pdfium_kind(text[0]) in ("L", "R") for text in show[1] if text)),
            baseline[0])


def add_actual_text(pdf: pikepdf.Pdf, drawn: Drawn, maps: dict, right_to_left: bool) -> None:
    """Give every text span the text it says where its glyphs do not read as it.

    A span can need three: its own /ActualText, the text as written, for the
    tag tree (shaping reordered or merged the glyphs, a right-to-left span is
    drawn backwards, a soft line break took a space); inside it, a /Span
    around each word whose /ActualText poppler reads; and around each of its
    text objects a marked content whose /ActualText PDFium reads (``pdftext``
    says why they differ).  PDFium's goes on the span's first object on the
    baseline and the others are left unread: PDFium meets a span's objects in
    the order they stand on the line (a raised vowel mark breaks it), and
    would read an /ActualText around them all once each time it came back to
    them.  Each is written only where the reader would not already read the
    span right, except that on a line ordered for PDFium every span carries
    PDFium's, and that a span whose words or text objects carry a reader's
    /ActualText always has its own: a word's share of a line poppler reads
    as a whole can hold another word's characters."""
    pages = []
    glyphs: dict[int, Glyphs] = {}
    for page, stream_number in zip(pdf.pages, drawn.streams, strict=False):
        instructions = [(list(operands), operator) for operands, operator
                        in pikepdf.parse_content_stream(page)]
        spans = _span_glyphs(page, instructions, stream_number, drawn, maps)
        pages.append((page, instructions, spans))
        glyphs.update(spans)
    wanted = readings(drawn, right_to_left, glyphs)
    for page, instructions, spans in pages:
        rewritten: dict[int, list] = {}
        changed = False
        for key, found in spans.items():
            if key not in wanted:
                continue
            own, words, pdfium = actual_texts(wanted[key], found)
            if own is None and (words is not None or pdfium is not None):
                # The words inside carry poppler's (or PDFium's) share of the
                # whole line, which can hold other words' characters: the
                # tag tree is told the span's text as written.
                own = wanted[key].text
            if own is not None:
                tag, properties = instructions[found.start][0]
                instructions[found.start] = ([tag, pikepdf.Dictionary(
                    MCID=properties.MCID, ActualText=pikepdf.String(own))],
                    instructions[found.start][1])
                changed = True
            if words is not None or pdfium is not None:
                rewritten.update(_marked_shows(instructions, found, words, pdfium))
        if rewritten:
            instructions[:] = [item for index, instruction in enumerate(instructions)
                               for item in rewritten.get(index, [instruction])]
        if changed or rewritten:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


_END = ([], pikepdf.Operator("EMC"))


def _marked(tag: pikepdf.Name, text: str) -> tuple:
    return ([tag, pikepdf.Dictionary(ActualText=pikepdf.String(text))],
            pikepdf.Operator("BDC"))


def _marked_shows(instructions: list, found: Glyphs, words: list[Word] | None,
                  pdfium: str | None) -> dict[int, list]:
    """The span's text-showing operators (by index) rewritten: cut where a
    word starts, each word in a /Span with poppler's /ActualText, each piece in
    a marked content with PDFium's or ``pdftext.UNREAD``.  PDFium's goes on the
    first piece with a letter of the operator PDFium is to read the span with
    (``Glyphs.first``): PDFium takes an object's direction from its first
    letter, which is then the operator's."""
    starts = {word.start: word for word in words or ()}
    ends = {word.end for word in words or ()}
    pieces: dict[int, list[tuple[pikepdf.Array, int, list[str]]]] = {}
    glyph = 0
    for index, texts, _raised in found.shows:
        pieces[index] = []
        at = 0
        for operand, count in _cut(instructions[index][0][-1], glyph, set(starts)):
            pieces[index].append((operand, count, texts[at:at + count]))
            at += count
            glyph += count
    first = found.first()[0]
    carrier = next((number for number, (_operand, _count, texts) in enumerate(pieces[first])
                    if any(text and pdftext.pdfium_kind(text[0]) in ("L", "R")
                           for text in texts)), 0)
    rewritten: dict[int, list] = {}
    glyph = 0
    for index, shown in pieces.items():
        out = []
        for number, (operand, count, _texts) in enumerate(shown):
            # a text operator with no glyph (``[0] TJ``) neither starts nor
            # ends a word: the word is opened and closed once
            if count and glyph in starts:
                out.append(_marked(pikepdf.Name.Span, starts[glyph].text))
            show = ([operand], pikepdf.Operator("TJ"))
            if pdfium is None:
                out.append(show)
            else:
                text = pdfium if (index, number) == (first, carrier) else pdftext.UNREAD
                out += [_marked(PDFIUM_TAG, text), show, _END]
            glyph += count
            if count and glyph in ends:
                out.append(_END)
        rewritten[index] = out
    return rewritten


def _cut(operand, first_glyph: int, starts: set[int]) -> list[tuple[pikepdf.Array, int]]:
    """A TJ operand cut before each glyph (counted from ``first_glyph``) that
    starts a word, each piece with its number of glyphs (a kerning number
    stays with the glyph before it)."""
    pieces: list[tuple[list, int]] = []
    items: list = []
    count = 0
    glyph = first_glyph
    for item in operand if isinstance(operand, pikepdf.Array) else [operand]:
        if not isinstance(item, pikepdf.String):
            items.append(item)
            continue
        data = bytes(item)
        chunk = b""
        for at in range(0, len(data) - 1, 2):
            if glyph in starts and count + len(chunk) // 2:
                items += [pikepdf.String(chunk)] if chunk else []
                pieces.append((items, count + len(chunk) // 2))
                items, count, chunk = [], 0, b""
            chunk += data[at:at + 2]
            glyph += 1
        items += [pikepdf.String(chunk)] if chunk else []
        count += len(chunk) // 2
    pieces.append((items, count))
    return [(pikepdf.Array(items), count) for items, count in pieces]


def _span_glyphs(page, instructions: list, stream_number: int, drawn: Drawn,
                 maps: dict) -> dict[int, Glyphs]:
    """Every text span drawn on ``page`` (by the id of its box), with its Glyphs."""
    fonts = page.obj.Resources.get("/Font", pikepdf.Dictionary())
    found: dict[int, Glyphs] = {}
    open_marks: list[tuple[int, object, list[tuple[int, list[str], bool]]] | None] = []
    mapping: dict[int, str] = {}
    raised = False
    for index, (operands, operator) in enumerate(instructions):
        name = str(operator)
        if name == "Ts":
            raised = float(operands[0]) != 0
        elif name in ("BDC", "BMC"):
            box = None
            if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                    and "/MCID" in operands[1]:
                box = drawn.marks.get((stream_number, int(operands[1].MCID)))
            open_marks.append((index, box, []) if isinstance(box, boxes.TextBox) else None)
        elif name == "EMC" and open_marks:
            mark = open_marks.pop()
            if mark is not None and mark[2]:
                start, box, shows = mark
                found[id(box)] = Glyphs(start, index, shows)
        elif name == "Tf":
            font = fonts.get(str(operands[0]))
            mapping = maps.get(font.objgen, {}) if font is not None else {}
        elif name in ("Tj", "TJ") and open_marks and open_marks[-1]:
            texts = [mapping.get(int.from_bytes(data[i:i + 2]), "")
                     for string in _strings(operands[-1]) for data in [bytes(string)]
                     for i in range(0, len(data) - 1, 2)]
            open_marks[-1][2].append((index, texts, raised))
    return found


def _strings(operand) -> list:
    if isinstance(operand, pikepdf.Array):
        return [item for item in operand if isinstance(item, pikepdf.String)]
    return [operand] if isinstance(operand, pikepdf.String) else []


def actual_texts(reading: Reading, glyphs: Glyphs) \
        -> tuple[str | None, list[Word] | None, str | None]:
    """The span's own /ActualText, poppler's words and PDFium's text, each None
    where the reader already gets the right text without it (from the glyphs,
    or from the /ActualText around it).  PDFium's is also given where poppler
    has words of its own, and where the span's text objects stand on more
    than one baseline (a raised vowel mark), which could make it read an
    /ActualText around them more than once."""
    shown = glyphs.text
    reads = " ".join(shown.split()) == " ".join(reading.text.split()) \
        and not (reading.text.endswith(" ") and not shown.endswith(" "))
    own = None if reads and not reading.whole else reading.text
    poppler_reads = shown if own is None else own
    poppler = "".join(word.text for word in reading.poppler)
    words = None if poppler == poppler_reads else reading.poppler
    pdfium_reads = poppler_reads if words is None else poppler
    given = own is not None or words is not None
    needed = reading.pdfium != pdfium_reads or words is not None \
        or (reading.ordered and not given) or (given and glyphs.raised)
    return own, words, reading.pdfium if needed else None


def readings(drawn: Drawn, right_to_left: bool, glyphs: dict[int, Glyphs]) -> dict[int, Reading]:
    """Every drawn text span (by the id of its box) with its Reading.  A line
    with right-to-left letters, and every line of a right-to-left document
    (PDFium turns those round however they are written), is ordered for
    each reader as a whole (``pdftext.poppler_texts``, ``pdftext.pdfium_texts``), the direction poppler
    reads a page in being that of most of its letters."""
    ends = line_ends(drawn.document)
    marked = {id(box) for box in drawn.marks.values()}
    found: dict[int, Reading] = {}
    for page in drawn.document.pages:
        lines = [spans for line in _lines(page._page_box)
                 if (spans := _line_spans(line, marked, glyphs, ends))]
        balance = sum(+1 if kind == "L" else -1 if kind == "R" else 0
                      for spans in lines for _box, text in spans
                      for kind in map(pdftext.poppler_kind, text))
        for spans in lines:
            found.update(_line_readings(spans, balance >= 0, right_to_left, drawn, glyphs,
                                        ends))
    return found


def _line_spans(line, marked: set[int], glyphs: dict[int, Glyphs],
                ends: dict[int, str]) -> list[tuple[object, str]]:
    """The drawn text spans of a line, in the order written, each with its
    text: a span with no glyph (a zero-width space where an address may break)
    gives readers no place for an /ActualText, so its text goes with the span
    before it; the last span has the space a soft line break took."""
    spans: list[tuple[object, str]] = []
    for box in _line_text_boxes(line):
        if id(box) in marked and id(box) in glyphs and glyphs[id(box)].text:
            spans.append((box, _written(box.text)))
        elif spans:
            spans[-1] = (spans[-1][0], spans[-1][1] + _written(box.text))
    if spans and ends.get(id(spans[-1][0])) == " ":
        spans[-1] = (spans[-1][0], spans[-1][1] + " ")
    return spans


def _line_readings(spans: list[tuple[object, str]], poppler_left_to_right: bool,
                   right_to_left: bool, drawn: Drawn, glyphs: dict[int, Glyphs],
                   ends: dict[int, str]) -> dict[int, Reading]:
    """The Readings of one line's spans: poppler is given the line word by word
    (so that it knows where each word stands), PDFium span by span."""
    texts = [text for _box, text in spans]
    order = sorted(range(len(spans)), key=lambda number: spans[number][0].position_x)
    ordered = right_to_left or any(pdftext.poppler_kind(char) == "R"
                                   for text in texts for char in text)
    counts = [sum(len(shown) for _index, shown, _raised in glyphs[id(box)].shows)
              for box, _text in spans]
    if ordered:
        words = [span_words(box.text, text, drawn.clusters.get(id(box), []), count)
                 for (box, text), count in zip(spans, counts, strict=True)]
        pieces = [word for span in words for word in span]
        owners = [number for number, span in enumerate(words) for _word in span]
        rank = {number: place for place, number in enumerate(order)}
        piece_order = sorted(range(len(pieces)),
                             key=lambda n: (rank[owners[n]], pieces[n].start))
        backwards = [pdftext.pdfium_backwards(glyphs[id(box)].first()[1]) for box, _ in spans]
        poppler_texts = pdftext.poppler_texts([piece.text for piece in pieces], piece_order,
                                              poppler_left_to_right)
        pdfium_texts = pdftext.pdfium_texts(texts, order, right_to_left, backwards)
        poppler = [[] for _span in spans]
        for piece, owner, text in zip(pieces, owners, poppler_texts, strict=True):
            poppler[owner].append(Word(text, piece.start, piece.end))
    else:
        poppler = [[Word(text, 0, count)] for text, count in zip(texts, counts, strict=True)]
        pdfium_texts = texts
    last = order[-1]
    if ends.get(id(spans[last][0])) == "" and poppler[last] \
            and "".join(word.text for word in poppler[last]).endswith("-"):
        # poppler takes a hyphen ending a line for one that split a word, and
        # drops it: this one was written.
        word = max(poppler[last], key=lambda word: word.end)
        poppler[last][poppler[last].index(word)] = word._replace(text=word.text + "-")
    return {id(box): Reading(text, words, pdfium, ordered,
                             any(unicodedata.category(char) in ("Mn", "Mc") for char in text))
            for (box, text), words, pdfium in zip(spans, poppler, pdfium_texts, strict=True)}


def span_words(drawn_text: str, text: str, clusters: list[int], count: int) -> list[Word]:
    """The words of a span's ``text`` (its ``drawn_text`` as written, and the
    space a soft line break took) and the spaces between them, each with the
    glyphs it stands on, from where each glyph's cluster starts in the drawn
    text; the whole span as one where the glyphs cannot be told apart so (a
    word's glyphs not side by side).  poppler ends a word at an /ActualText
    that is one space, and only there or at a gap between glyphs."""
    whole = [Word(text, 0, count)]
    if len(clusters) != count or not count:
        return whole
    written = list(itertools.accumulate((char != "\u200b" for char in drawn_text), initial=0))
    bounds = [match.start() for match in re.finditer(r"\S+|\s+", text)] or [0]
    word_of = [max(bisect.bisect_right(bounds, written[min(start, len(drawn_text))]) - 1, 0)
               for start in clusters]
    runs: list[tuple[int, int, int]] = []  # (word, first glyph, glyph after the last)
    for glyph, word in enumerate(word_of):
        if runs and runs[-1][0] == word:
            runs[-1] = (word, runs[-1][1], glyph + 1)
        else:
            runs.append((word, glyph, glyph + 1))
    if len({word for word, _start, _end in runs}) != len(runs):
        return whole
    edges = [*bounds[1:], len(text)]
    found = sorted(runs)
    words = []
    for number, (word, start, end) in enumerate(found):
        # A word no glyph stands on (a zero-width joiner alone) goes with the
        # one written before it.
        upto = edges[found[number + 1][0] - 1] if number + 1 < len(found) else len(text)
        begin = bounds[word] if number else 0
        words.append(Word(text[begin:upto], start, end))
    return words


def _written(text: str) -> str:
    """A box's text without the zero-width spaces that stand for ``<wbr>``
    (a place a line may break, not a character of the text)."""
    return text.replace("\u200b", "")


def line_ends(document) -> dict[int, str]:
    """The last text box (by id) of every line of a block, with what the source
    has after that line: a space (a soft break), nothing (the line broke
    inside a word: after a hyphen, or between two Chinese characters) or, for
    the block's last line, None."""
    found: dict[int, str] = {}
    for page in document.pages:
        for block in _line_blocks(page._page_box):
            source = " ".join("".join(block.element.itertext()).split())
            position = 0
            for line in block.children:
                if not isinstance(line, boxes.LineBox):
                    continue
                texts = list(_text_boxes(line))
                shown = " ".join("".join(box.text for box in texts).split())
                at = source.find(shown, position) if shown else -1
                if at < 0:
                    continue
                position = at + len(shown)
                if position < len(source):
                    found[id(texts[-1])] = source[position] if source[position] == " " else ""
    return found


def _line_blocks(box):
    children = getattr(box, "children", ())
    if box.element is not None and not isinstance(box, boxes.MarginBox) \
            and any(isinstance(child, boxes.LineBox) for child in children):
        yield box
    for child in children:
        if not isinstance(child, (boxes.LineBox, boxes.MarginBox)):
            yield from _line_blocks(child)


def _text_boxes(box):
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        else:
            yield from _text_boxes(child)


def _lines(box):
    """Every line box under ``box``: in blocks, table cells, page margins and
    inline blocks."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            yield child
        yield from _lines(child)


def _line_text_boxes(box):
    """The text boxes of one line, in the order written (a line inside an
    inline block is a line of its own)."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield child
        elif not isinstance(child, boxes.AtomicInlineLevelBox):
            yield from _line_text_boxes(child)


# The tag tree ------------------------------------------------------------------

def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(node) -> bool:
    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def _owners(pdf: pikepdf.Pdf, root, drawn: Drawn) -> dict[int, object]:
    """The box behind each structure element (by object number): the one
    WeasyPrint built it from, or for a text span the text box it marks."""
    owners: dict[int, object] = {}
    numbers = root.ParentTree.get("/Nums", [])
    by_key = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    for page_number, page in enumerate(pdf.pages):
        mapping = by_key.get(int(page.obj.get("/StructParents", page_number)))
        if not isinstance(mapping, pikepdf.Array):
            continue
        for mcid, element in enumerate(mapping):
            box = drawn.marks.get((drawn.streams[page_number], mcid))
            if isinstance(element, pikepdf.Dictionary) and box is not None:
                owners.setdefault(element.objgen[0], box)
    owners.update(drawn.elements)
    return owners


def links_own_annotations(root) -> None:
    """Each link annotation as a kid of its Link element.  WeasyPrint makes one
    annotation per inline box of a link and puts it under the element that drew the
    box: a web address set in pieces (each a span, so that it breaks only after a
    slash) would have its annotations under Spans, which PDF/UA forbids."""
    numbers = root.ParentTree.Nums
    by_key = {int(numbers[i]): i + 1 for i in range(0, len(numbers), 2)}

    def visit(node, link) -> None:
        kids = node.get("/K")
        if kids is None:
            return
        array = kids if isinstance(kids, pikepdf.Array) else pikepdf.Array([kids])
        kept = pikepdf.Array()
        for kid in array:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR" \
                    and link is not None and link.objgen != node.objgen \
                    and kid.Obj.get("/Subtype") == "/Link":
                link.K = pikepdf.Array([*_kids(link), kid])
                key = kid.Obj.get("/StructParent")
                if key is not None and int(key) in by_key:
                    numbers[by_key[int(key)]] = link
                continue
            kept.append(kid)
            if _is_element(kid):
                visit(kid, kid if kid.get("/S") == "/Link" else link)
        if len(kept) != len(array):
            node.K = kept

    for kid in _kids(root):
        if _is_element(kid):
            visit(kid, kid if kid.get("/S") == "/Link" else None)


def add_languages(pdf: pikepdf.Pdf, root, drawn: Drawn) -> None:
    """/Lang on every element whose HTML language differs from its parent's."""
    owners = _owners(pdf, root, drawn)
    stack = [(kid, str(pdf.Root.get("/Lang", ""))) for kid in _kids(root)]
    while stack:
        node, inherited = stack.pop()
        if not _is_element(node):
            continue
        box = owners.get(node.objgen[0])
        lang = (box.style["lang"] if box is not None else None) or inherited
        if lang.lower() != inherited.lower():
            node.Lang = pikepdf.String(lang)
        stack.extend((kid, lang) for kid in _kids(node))


def describe_tables(pdf: pikepdf.Pdf, root, drawn: Drawn) -> None:
    """Every TH says what it heads (/Scope, from the HTML's scope as WeasyPrint
    reads it), and the /ID that TD /Headers name are found through an /IDTree."""
    owners = drawn.elements
    ids = {}
    stack = list(_kids(root))
    while stack:
        node = stack.pop()
        if not _is_element(node):
            continue
        if node.S == "/TH":
            box = owners.get(node.objgen[0])
            scope = box.element.get("scope") if box is not None and box.element is not None \
                else None
            attributes = node.get("/A")
            if not isinstance(attributes, pikepdf.Dictionary):
                node.A = attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
            attributes.Scope = pikepdf.Name.Row if scope == "row" else pikepdf.Name.Column
        if "/ID" in node:
            ids[bytes(node.ID)] = node
        stack.extend(_kids(node))
    if ids:
        names = []
        for key in sorted(ids):
            names += [pikepdf.String(key), ids[key]]
        root.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(names)))


def nest_lists(pdf: pikepdf.Pdf, root, drawn: Drawn) -> None:
    """Give every list item one body holding all it says: WeasyPrint tags an
    item's paragraphs beside its body and hangs a nested list on the outer
    list, after the item, so ``LI -> Lbl, P`` and ``L -> LI, L`` become
    ``LI -> Lbl, LBody -> (P, L)``.  Runs page by page, before split blocks
    are joined, so the bodies of an item crossing a page join as the items do."""
    stack = list(_kids(root))
    while stack:
        node = stack.pop()
        if not _is_element(node):
            continue
        if node.S == "/L":
            _move_nested_lists(node, drawn)
        elif node.S == "/LI":
            _one_body(pdf, node, drawn)
        stack.extend(_kids(node))


def _move_nested_lists(node, drawn: Drawn) -> None:
    kept: list = []
    for kid in _kids(node):
        item = kept[-1] if kept and _is_element(kept[-1]) and kept[-1].S == "/LI" else None
        if _is_element(kid) and kid.S == "/L" and item is not None \
                and _html_child(drawn, item, kid):
            item.K = pikepdf.Array([*_kids(item), kid])
            kid.P = item
        else:
            kept.append(kid)
    if len(kept) != len(_kids(node)):
        node.K = pikepdf.Array(kept)


def _one_body(pdf: pikepdf.Pdf, item, drawn: Drawn) -> None:
    kids = _kids(item)
    labels = [kid for kid in kids if _is_element(kid) and kid.S == "/Lbl"]
    said = [kid for kid in kids if not (_is_element(kid) and kid.S == "/Lbl")]
    if not said or (len(said) == 1 and _is_element(said[0]) and said[0].S == "/LBody"):
        return
    bodies = [kid for kid in said if _is_element(kid) and kid.S == "/LBody"
              and all(_is_element(inner) for inner in _kids(kid))]
    if bodies:
        body = bodies[0]
    else:
        body = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.LBody, P=item,
            K=pikepdf.Array(), **({"Pg": item.Pg} if "/Pg" in item else {})))
        owner = drawn.elements.get(item.objgen[0])
        if owner is not None:
            drawn.elements[body.objgen[0]] = owner
    content: list = []
    for kid in said:
        # A body WeasyPrint made holds only elements, so its kids can move.
        moved = _kids(kid) if any(kid.objgen == other.objgen for other in bodies) else [kid]
        for element in moved:
            if _is_element(element):
                element.P = body
            content.append(element)
    body.K = pikepdf.Array(content)
    item.K = pikepdf.Array([*labels, body])


def _html_child(drawn: Drawn, parent, child) -> bool:
    """Whether ``child`` was made from an HTML element inside ``parent``'s."""
    outer, inner = drawn.elements.get(parent.objgen[0]), drawn.elements.get(child.objgen[0])
    return outer is not None and inner is not None and outer.element is not None \
        and any(element is inner.element for element in outer.element)


# Complex by design: one pass whose steps share the page maps.
def join_split_blocks(pdf: pikepdf.Pdf, root, drawn: Drawn) -> None:  # noqa: C901
    """WeasyPrint tags each page on its own: a block crossing a page is one
    element on each side.  Join neighbours made from the same HTML element on
    different pages, at every depth, so a list of three is one list of three."""
    numbers = root.ParentTree.Nums
    places: dict[tuple[int, int], list[tuple[pikepdf.Array, int]]] = {}
    for i in range(1, len(numbers), 2):
        value = numbers[i]
        if isinstance(value, pikepdf.Array):
            for j, element in enumerate(value):
                if isinstance(element, pikepdf.Dictionary):
                    places.setdefault(element.objgen, []).append((value, j))
        elif isinstance(value, pikepdf.Dictionary):
            places.setdefault(value.objgen, []).append((numbers, i))

    def same_block(first, second) -> bool:
        one = drawn.elements.get(first.objgen[0])
        two = drawn.elements.get(second.objgen[0])
        return (one is not None and two is not None and one.element is not None
                and one.element is two.element and first.S == second.S
                and first.get("/Pg") != second.get("/Pg"))

    def merge(into, other) -> None:
        kids = _kids(into)
        for kid in _kids(other):
            if isinstance(kid, int):
                # A bare MCID belongs to its element's page: keep the page with it.
                kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=other.Pg, MCID=kid)
            elif _is_element(kid):
                kid.P = into
            kids.append(kid)
        into.K = pikepdf.Array(kids)
        for container, index in places.pop(other.objgen, []):
            container[index] = into
            places.setdefault(into.objgen, []).append((container, index))

    stack = list(_kids(root))
    while stack:
        node = stack.pop()
        if not _is_element(node):
            continue
        if node.S == "/Table":
            node.K = pikepdf.Array(_without_repeated_groups(node, drawn))
        joined: list = []
        for kid in _kids(node):
            if joined and _is_element(kid) and _is_element(joined[-1]) \
                    and same_block(joined[-1], kid):
                merge(joined[-1], kid)
            else:
                joined.append(kid)
        if len(joined) != len(_kids(node)):
            node.K = pikepdf.Array(joined)
        stack.extend(joined)


def _without_repeated_groups(table, drawn: Drawn) -> list:
    """A joined table's kids with its header (and footer) row group once: the
    copies WeasyPrint draws again on each new page leave the tree, so their text
    becomes page furniture, and the cells below them name the first header's
    cells instead."""
    first: dict[str, object] = {}
    renamed: dict[bytes, pikepdf.String] = {}
    kept: list = []
    for kid in _kids(table):
        if _is_element(kid) and kid.S in ("/THead", "/TFoot"):
            html = _html(drawn, kid)
            original = first.setdefault(str(kid.S), kid)
            if original is not kid and html is not None and html is _html(drawn, original):
                for copy, cell in zip(_headers(kid), _headers(original), strict=False):
                    if "/ID" in copy and "/ID" in cell:
                        renamed[bytes(copy.ID)] = cell.ID
                continue
        kept.append(kid)
    if renamed:
        stack = list(kept)
        while stack:
            node = stack.pop()
            if not _is_element(node):
                continue
            attributes = node.get("/A")
            if isinstance(attributes, pikepdf.Dictionary) and "/Headers" in attributes:
                attributes.Headers = pikepdf.Array(
                    [renamed.get(bytes(name), name) for name in attributes.Headers])
            stack.extend(_kids(node))
    return kept


def _headers(group) -> list:
    """The header cells of a row group, in reading order."""
    found, stack = [], list(reversed(_kids(group)))
    while stack:
        node = stack.pop()
        if _is_element(node):
            if node.S == "/TH":
                found.append(node)
            else:
                stack.extend(reversed(_kids(node)))
    return found


def _html(drawn: Drawn, node):
    box = drawn.elements.get(node.objgen[0])
    return box.element if box is not None else None

