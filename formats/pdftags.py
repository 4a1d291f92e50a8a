"""The PDF's text and tag tree put right after WeasyPrint: readable text, languages, tables, one element per block.

WeasyPrint (70) leaves five things a screen reader or a text extractor trips over:

- its ToUnicode maps give each glyph the text of the first cluster it was drawn
  in, so a glyph drawn before its consonant (a Bengali vowel sign) maps to
  nothing and the consonant to both (Kozea/WeasyPrint#2841);
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
text span whose glyphs do not read back as its text gets /ActualText, elements
in another language get /Lang, list items get one body, split blocks are joined
and a repeated table header is page furniture.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from contextlib import contextmanager

import pikepdf
from fontTools.ttLib import TTFont
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import stream as weasy_stream
from weasyprint.pdf import tags as weasy_tags
from weasyprint.text.fonts import get_hb_object_data

_recording = threading.local()


class Drawn:
    """What one rendering drew: the box behind each marked-content sequence
    (by content stream and MCID) and behind each structure element (by object
    number), and WeasyPrint's document for its fonts and pages."""

    def __init__(self):
        self.marks: dict[tuple[int, int], object] = {}
        self.elements: dict[int, object] = {}
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

    weasy_stream.Stream.marked = marked
    weasy_tags._build_box_tree = build_box_tree


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
    add_actual_text(pdf, drawn, maps)
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

def add_actual_text(pdf: pikepdf.Pdf, drawn: Drawn, maps: dict) -> None:
    """Give /ActualText to every text span whose glyphs do not read back as its
    text (shaping reordered or merged them), and to every line that ends at a
    soft break, with the space the break took."""
    spaced = soft_breaks(drawn.document)
    for page, stream_number in zip(pdf.pages, drawn.streams, strict=False):
        fonts = page.obj.Resources.get("/Font", pikepdf.Dictionary())
        instructions = [(list(operands), operator) for operands, operator
                        in pikepdf.parse_content_stream(page)]
        open_marks: list[tuple[int, object, list[str]] | None] = []
        mapping: dict[int, str] = {}
        changed = False
        for index, (operands, operator) in enumerate(instructions):
            name = str(operator)
            if name in ("BDC", "BMC"):
                box = None
                if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/MCID" in operands[1]:
                    box = drawn.marks.get((stream_number, int(operands[1].MCID)))
                open_marks.append((index, box, []) if isinstance(box, boxes.TextBox)
                                  else None)
            elif name == "EMC" and open_marks:
                mark = open_marks.pop()
                if mark is not None:
                    start, box, shown = mark
                    text = actual_text(box.text, shown, id(box) in spaced)
                    if text is not None:
                        tag, properties = instructions[start][0]
                        instructions[start] = ([tag, pikepdf.Dictionary(
                            MCID=properties.MCID, ActualText=pikepdf.String(text))],
                            instructions[start][1])
                        changed = True
            elif name == "Tf":
                font = fonts.get(str(operands[0]))
                mapping = maps.get(font.objgen, {}) if font is not None else {}
            elif name in ("Tj", "TJ", "'", '"') and open_marks and open_marks[-1]:
                for string in _strings(operands[-1]):
                    data = bytes(string)
                    open_marks[-1][2].extend(mapping.get(int.from_bytes(data[i:i + 2]), "")
                                             for i in range(0, len(data) - 1, 2))
        if changed:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _strings(operand) -> list:
    if isinstance(operand, pikepdf.Array):
        return [item for item in operand if isinstance(item, pikepdf.String)]
    return [operand] if isinstance(operand, pikepdf.String) else []


def actual_text(text: str, shown: list[str], space_after: bool) -> str | None:
    """The span's /ActualText, or None when its glyphs already read as its text
    (in drawing order, or reversed for right-to-left text)."""
    if any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
        # Right-to-left text is drawn in visual order and every extractor and
        # reader puts it back in logical order from the glyphs' own text; an
        # /ActualText (logical) would be reversed a second time by most.
        return None
    wanted = " ".join(text.split())
    reads = wanted in (" ".join("".join(shown).split()),
                       " ".join("".join(reversed(shown)).split()))
    if reads and not space_after:
        return None
    return text + (" " if space_after else "")


def soft_breaks(document) -> set[int]:
    """The text boxes (by id) that end a line where the source had a space."""
    found: set[int] = set()
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
                if source[position:position + 1] == " ":
                    found.add(id(texts[-1]))
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

