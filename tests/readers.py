"""Our outputs as a reader's tools read them, for more than one test file: a PDF's tag tree
and the text of its marked content, as a screen reader that follows tags gets it."""

from __future__ import annotations

import re

import pikepdf


def kids(node) -> list:
    """A structure element's children (/K): elements, marked-content ids and references."""
    value = node.get("/K")
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def marked_text(pdf_page) -> dict[int, str]:
    """The text of each marked-content span on a PDF page, by its MCID, in the order the
    page draws them: the span's /ActualText where it has one, else its glyphs through
    the font's ToUnicode map; inside it, a marked content with an /ActualText of
    its own (a word's) stands for its glyphs, the outermost /ActualText saying
    the text of all it holds."""
    maps = {name: dict(re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]*)>", font.ToUnicode.read_bytes()))
            for name, font in pdf_page.Resources.get("/Font", {}).items()}
    found: dict[int, list[str]] = {}
    mapping = {}
    # the open marked contents, innermost last: each with the list its glyphs go
    # to (the innermost MCID's, None outside any) and whether an /ActualText
    # around them has said their text already
    open_marks: list[tuple[list[str] | None, bool]] = []
    for operands, operator in pikepdf.parse_content_stream(pdf_page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            into, said = open_marks[-1] if open_marks else (None, False)
            properties = operands[1] if name == "BDC" and len(operands) > 1 else None
            if not isinstance(properties, pikepdf.Dictionary):
                properties = pikepdf.Dictionary()
            if "/MCID" in properties and not said:
                into = found.setdefault(int(properties.MCID), [])
            if "/ActualText" in properties and into is not None and not said:
                into.append(str(properties.ActualText))
                said = True
            open_marks.append((into, said))
        elif name == "EMC":
            if open_marks:
                open_marks.pop()
        elif name == "Tf":
            mapping = maps.get(str(operands[0]), {})
        elif name in ("Tj", "TJ") and open_marks and open_marks[-1][0] is not None \
                and not open_marks[-1][1]:
            into = open_marks[-1][0]
            strings = operands[0] if name == "TJ" else [operands[0]]
            for string in strings:
                if isinstance(string, pikepdf.String):
                    data = bytes(string).hex().encode()
                    into.extend(bytes.fromhex(mapping.get(data[i:i + 4], b"").decode())
                                .decode("utf-16-be") for i in range(0, len(data), 4))
    return {mcid: "".join(texts) for mcid, texts in found.items()}


def tag_text(pdf) -> list[str]:
    """The text of each of a PDF's structure elements that holds marked content
    of its own, in the tag tree's order, as a reader that follows the tags gets
    it: an element's /ActualText where it has one, else its marked contents'
    (``marked_text``) and its children's, in order."""
    pages: dict[tuple[int, int], dict[int, str]] = {}

    def marked(page) -> dict[int, str]:
        if page.objgen not in pages:
            pages[page.objgen] = marked_text(pikepdf.Page(page))
        return pages[page.objgen]

    found: list[str] = []

    def text(node, page) -> str:
        page = node.get("/Pg", page)
        if "/ActualText" in node:
            return str(node.ActualText)
        said = []
        for kid in kids(node):
            if isinstance(kid, int):
                said.append(marked(page).get(int(kid), "") if page is not None else "")
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                on = kid.get("/Pg", page)
                said.append(marked(on).get(int(kid.MCID), "") if on is not None else "")
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                said.append(text(kid, page))
        return "".join(said)

    def walk(node, page) -> None:
        page = node.get("/Pg", page)
        if "/ActualText" in node or any(
                isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary)
                                         and kid.get("/Type") == "/MCR")
                for kid in kids(node)):
            found.append(text(node, page))
            return
        for kid in kids(node):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                walk(kid, page)

    walk(pdf.Root.StructTreeRoot, None)
    return found
