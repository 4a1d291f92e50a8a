"""WordprocessingML that python-docx has no API for, written in the schema's order.

Word refuses a file whose property elements are out of the order the schema
gives (LibreOffice forgives it), so every property we add goes through ``put``,
which places a child by the sequences below (ECMA-376 part 1, 17.3 and 17.4).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Children of w:rPr (CT_RPr), in schema order.
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)
# Children of w:pPr (CT_PPr).
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
# Children of w:tblPr (CT_TblPr).
TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
    "w:tblDescription",
)
# Children of w:trPr (CT_TrPr: a choice, but Word writes them in this order).
TRPR_ORDER = (
    "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
    "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
)
# Children of w:tcPr (CT_TcPr).
TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)
# Children of w:sectPr (CT_SectPr), after the header and footer references.
SECTPR_ORDER = (
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
    "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)
# Children of w:style (CT_Style).
STYLE_ORDER = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
    "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
    "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
    "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
)
ORDERS = {"w:rPr": RPR_ORDER, "w:pPr": PPR_ORDER, "w:tblPr": TBLPR_ORDER,
          "w:trPr": TRPR_ORDER, "w:tcPr": TCPR_ORDER, "w:sectPr": SECTPR_ORDER,
          "w:style": STYLE_ORDER}
_ORDER_BY_QNAME = {qn(tag): tuple(qn(t) for t in order) for tag, order in ORDERS.items()}


def element(tag: str, **attrs: str | int) -> OxmlElement:
    """A new element; attribute names are ``w_val`` style (prefix, underscore, name)."""
    node = OxmlElement(tag)
    for name, value in attrs.items():
        node.set(qn(name.replace("_", ":", 1)), str(value))
    return node


def put(parent, tag: str, **attrs: str | int):
    """Set the one child ``tag`` of a property element, in the schema's place."""
    order = _ORDER_BY_QNAME[parent.tag]
    name = qn(tag)
    for old in parent.findall(name):
        parent.remove(old)
    child = element(tag, **attrs)
    rank = order.index(name)
    for index, sibling in enumerate(parent):
        if sibling.tag in order and order.index(sibling.tag) > rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def properties(parent, tag: str):
    """The property child (``w:pPr``, ``w:rPr`` ...) of an element, made first if missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = element(tag)
        parent.insert(0, found)
    return found


def run_properties(rpr, *, style: str = "", fonts: dict[str, str] | None = None,
                   bold: bool = False, italic: bool = False, rtl: bool = False,
                   lang: dict[str, str] | None = None) -> None:
    """Fill a ``w:rPr``: bold and italic also in their complex-script forms
    (``w:bCs``, ``w:iCs``) so that they survive in Arabic, Urdu and Bengali."""
    if style:
        put(rpr, "w:rStyle", w_val=style)
    if fonts:
        put(rpr, "w:rFonts", **{f"w_{slot}": name for slot, name in fonts.items()})
    if bold:
        put(rpr, "w:b")
        put(rpr, "w:bCs")
    if italic:
        put(rpr, "w:i")
        put(rpr, "w:iCs")
    if rtl:
        put(rpr, "w:rtl")
    if lang:
        put(rpr, "w:lang", **{f"w_{slot}": tag for slot, tag in lang.items()})


def text_run(text: str, **props) -> OxmlElement:
    """A ``w:r`` with its properties and text (tabs and line breaks kept)."""
    run = OxmlElement("w:r")
    run_properties(properties(run, "w:rPr"), **props)
    for index, line in enumerate(text.split("\n")):
        if index:
            run.append(element("w:br"))
        if line:
            t = element("w:t")
            t.text = line
            t.set(qn("xml:space"), "preserve")
            run.append(t)
    return run


def tab_run(**props) -> OxmlElement:
    """A ``w:r`` holding one tab (a ``w:t`` would keep the tab as a space)."""
    run = text_run("", **props)
    run.append(element("w:tab"))
    return run


def hyperlink(part, paragraph_element, target: str) -> OxmlElement:
    """A ``w:hyperlink`` to an external address, appended to a paragraph."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), part.relate_to(target, RT.HYPERLINK, is_external=True))
    link.set(qn("w:history"), "1")
    paragraph_element.append(link)
    return link


def field_runs(instruction: str, cached: str, **props) -> list[OxmlElement]:
    """A complex field (PAGE, NUMPAGES) as its five runs; ``cached`` is shown
    until the reader updates it."""
    runs = []
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = OxmlElement("w:r")
        run_properties(properties(run, "w:rPr"), **props)
        if kind == "instr":
            instr = element("w:instrText")
            instr.text = f" {instruction} "
            instr.set(qn("xml:space"), "preserve")
            run.append(instr)
        elif kind == "result":
            t = element("w:t")
            t.text = cached
            run.append(t)
        else:
            run.append(element("w:fldChar", w_fldCharType=kind))
        runs.append(run)
    return runs


STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def describe_picture(inline, alt: str) -> None:
    """Alt text on an inline picture (``wp:docPr/@descr``); a picture with no
    alt text is marked decorative, as Word's own "Mark as decorative" does."""
    doc_pr = inline.docPr
    if alt:
        doc_pr.set("descr", alt)
        return
    from lxml import etree

    ext_list = etree.SubElement(doc_pr, qn("a:extLst"))
    ext = etree.SubElement(ext_list, qn("a:ext"), uri=DECORATIVE_EXT)
    etree.SubElement(ext, f"{{{DECORATIVE_NS}}}decorative", nsmap={"adec": DECORATIVE_NS},
                     val="1")


def drop_template_parts(document) -> None:
    """Remove what python-docx's template carries that is not ours: a thumbnail
    of an empty page, a customXml item and Word 2010's second copy of the styles."""
    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
    unwanted = {RT.CUSTOM_XML, RT.WEB_SETTINGS, STYLES_WITH_EFFECTS}
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype in unwanted:
            del document.part.rels[rid]


def float_picture(inline, order: int) -> None:
    """Turn an inline picture into one anchored at the start of the margin,
    level with the top of its paragraph, the paragraph's text indented clear
    of it; ``order`` is its unique z-order (``relativeHeight``).

    An offset of 0 from the margin, not ``wp:align``: LibreOffice 7.4 puts
    some aligned pictures at the paragraph's indent.  In a right-to-left
    section the offset is measured from the right margin, so the picture is
    at the start of the line in both directions."""
    from lxml import etree

    anchor = etree.Element(qn("wp:anchor"), nsmap=inline.nsmap)
    for name, value in (("distT", 0), ("distB", 0), ("distL", 0), ("distR", 0),
                        ("simplePos", 0), ("relativeHeight", order), ("behindDoc", 0),
                        ("locked", 0), ("layoutInCell", 1), ("allowOverlap", 1)):
        anchor.set(name, str(value))
    etree.SubElement(anchor, qn("wp:simplePos"), x="0", y="0")
    horizontal = etree.SubElement(anchor, qn("wp:positionH"), relativeFrom="margin")
    etree.SubElement(horizontal, qn("wp:posOffset")).text = "0"
    vertical = etree.SubElement(anchor, qn("wp:positionV"), relativeFrom="paragraph")
    etree.SubElement(vertical, qn("wp:posOffset")).text = "0"
    anchor.append(inline.find(qn("wp:extent")))
    etree.SubElement(anchor, qn("wp:effectExtent"), l="0", t="0", r="0", b="0")
    etree.SubElement(anchor, qn("wp:wrapSquare"), wrapText="bothSides")
    for child in list(inline):
        if child.tag in (qn("wp:docPr"), qn("wp:cNvGraphicFramePr"), qn("a:graphic")):
            anchor.append(child)
    inline.getparent().replace(inline, anchor)


def app_properties(organisation: str, owner: str = "", online: str = "") -> bytes:
    """docProps/app.xml naming us, not the template's "Microsoft Macintosh Word"; the
    leaflet's owner is its Manager, its online copy the base of its links."""
    extra = (f"<Manager>{escape(owner)}</Manager>" if owner else "") + \
        (f"<HyperlinkBase>{escape(online)}</HyperlinkBase>" if online else "")
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes"><Application>leaflet</Application><DocSecurity>0</DocSecurity>'
        f"<Company>{escape(organisation)}</Company>{extra}</Properties>"
    ).encode("utf-8")
