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
    the font's ToUnicode map."""
    maps = {name: dict(re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]*)>", font.ToUnicode.read_bytes()))
            for name, font in pdf_page.Resources.get("/Font", {}).items()}
    found: dict[int, list[str]] = {}
    mapping, into = {}, None
    for operands, operator in pikepdf.parse_content_stream(pdf_page):
        name = str(operator)
        if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                and "/MCID" in operands[1]:
            into = found.setdefault(int(operands[1].MCID), [])
            if "/ActualText" in operands[1]:
                into.append(str(operands[1].ActualText))
                into = None
        elif name == "EMC":
            into = None
        elif name == "Tf":
            mapping = maps.get(str(operands[0]), {})
        elif name in ("Tj", "TJ") and into is not None:
            strings = operands[0] if name == "TJ" else [operands[0]]
            for string in strings:
                if isinstance(string, pikepdf.String):
                    data = bytes(string).hex().encode()
                    into.extend(bytes.fromhex(mapping.get(data[i:i + 4], b"").decode())
                                .decode("utf-16-be") for i in range(0, len(data), 4))
    return {mcid: "".join(texts) for mcid, texts in found.items()}
