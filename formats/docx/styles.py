"""The named styles, numbering and settings of a leaflet DOCX, written whole.

python-docx's template carries 160 styles in theme fonts, US defaults and
Word 2013's rsids; a leaflet needs a dozen, in fonts the reader's machine has.
So styles.xml, numbering.xml and settings.xml are replaced by ours: everything
a user sees is a named style (change "Normal" in Word and the whole leaflet
follows), and the large print and easy read rules live in the styles, so no
style and no run is below the chosen size.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from .. import typography
from .oxml import element, put, run_properties

LATIN_FONT = "Arial"

# The theme's colour names each callout's border takes (its fill is the
# theme's "callout-background"); a warning is amber whatever the theme.
CALLOUT_BORDERS = {"info": "accent", "warning": "#B35C00", "urgent": "urgent"}

BULLET_NUM_ID = 1
NUMBER_NUM_ID = 2
BULLET_ABSTRACT_ID = 0
NUMBER_ABSTRACT_ID = 1
BULLETS = ("\u2022", "\u2013", "\u25aa")
NUMBER_FORMATS = (("decimal", "%1."), ("lowerLetter", "%2."), ("lowerRoman", "%3."))
LIST_LEVELS = 3

A4_TWIPS = (11906, 16838)
MARGIN_TWIPS = 1134  # 2 cm
TEXT_WIDTH_TWIPS = A4_TWIPS[0] - 2 * MARGIN_TWIPS


def line_240ths(look: "Look") -> int:
    """The line spacing of every paragraph, in 240ths of a line (w:line, "auto")."""
    return 300 if look.large else 276


def fonts_for(lang: str) -> dict[str, str]:
    """``w:rFonts`` slots for text in ``lang``: Arial for Latin, the script's
    own font where Word looks for it."""
    fonts = {"ascii": LATIN_FONT, "hAnsi": LATIN_FONT, "eastAsia": LATIN_FONT,
             "cs": LATIN_FONT}
    script = typography.word_font(lang)
    if script:
        fonts[script[0]] = script[1]
    return fonts


def lang_for(lang: str, rtl: bool = False) -> dict[str, str]:
    """``w:lang`` for text in ``lang``: the complex-script and East Asian
    slots too where Word reads the language from them."""
    attrs = {"val": lang}
    script = typography.word_font(lang)
    if rtl or (script and script[0] == "cs"):
        attrs["bidi"] = lang
    if script and script[0] == "eastAsia":
        attrs["eastAsia"] = lang
    return attrs


@dataclass(frozen=True)
class Look:
    """The edition's rules: body size and whether the large print rules apply."""

    size: float
    large: bool  # large print and easy read: no italics, no underline, nothing smaller
    rtl: bool
    lang: str
    colours: tuple[tuple[str, str], ...] = ()  # the library theme's, by name

    def colour(self, name: str) -> str:
        """A theme colour (or a literal "#rrggbb") as Word writes it: "1D3F6E"."""
        value = dict(self.colours).get(name, name).lstrip("#").upper()
        return "".join(c * 2 for c in value) if len(value) == 3 else value

    def pt(self, factor: float) -> int:
        """A size as a factor of the body size, in half-points, never below
        the body size in large print and easy read."""
        size = self.size * factor
        if self.large:
            size = max(size, self.size)
        return round(size * 2)

    def twips(self, factor: float) -> int:
        """A length in twips as a factor of the body size (space scales with text)."""
        return round(self.size * factor * 20)


def _style(kind: str, style_id: str, name: str, *, based_on: str = "", next_style: str = "",
           default: bool = False, priority: int | None = None, quick: bool = False,
           hidden: bool = False):
    style = element("w:style", w_type=kind, w_styleId=style_id)
    if default:
        style.set(qn("w:default"), "1")
    put(style, "w:name", w_val=name)
    if based_on:
        put(style, "w:basedOn", w_val=based_on)
    if next_style:
        put(style, "w:next", w_val=next_style)
    if priority is not None:
        put(style, "w:uiPriority", w_val=priority)
    if hidden:
        put(style, "w:semiHidden")
        put(style, "w:unhideWhenUsed")
    if quick:
        put(style, "w:qFormat")
    return style


def _ppr(style, look: Look, *, before: float = 0, after: float | None = None,
         keep_next: bool = False, outline: int | None = None, num: tuple[int, int] | None = None,
         indent: int | None = None, border: str = "", fill: str = "", box: str = "",
         contextual: bool = False):
    ppr = put(style, "w:pPr")
    if keep_next:
        put(ppr, "w:keepNext")
        put(ppr, "w:keepLines")
    if num is not None:
        numpr = put(ppr, "w:numPr")
        numpr.append(element("w:ilvl", w_val=num[1]))
        numpr.append(element("w:numId", w_val=num[0]))
    if border or box:
        # A callout is a thick bar at its start; the draft banner a box.
        pbdr = put(ppr, "w:pBdr")
        sides = ("top", "left", "bottom", "right") if box else ("left",)
        for side in sides:
            pbdr.append(element(f"w:{side}", w_val="single", w_sz=12 if box else 24,
                                w_space=4, w_color=box or border))
    if fill:
        put(ppr, "w:shd", w_val="clear", w_color="auto", w_fill=fill)
    if look.rtl:
        put(ppr, "w:bidi")
    spacing = {"w_before": look.twips(before)}
    if after is not None:
        spacing["w_after"] = look.twips(after)
    put(ppr, "w:spacing", **spacing)
    if indent is not None:
        put(ppr, "w:ind", w_left=indent)
    if contextual:
        put(ppr, "w:contextualSpacing")
    if outline is not None:
        put(ppr, "w:outlineLvl", w_val=outline)
    return ppr


def _rpr(style, look: Look, factor: float | None = None, *, bold: bool = False,
         italic: bool = False, colour: str = "", underline: bool = False):
    rpr = put(style, "w:rPr")
    run_properties(rpr, bold=bold, italic=italic and not look.large)
    if colour:
        put(rpr, "w:color", w_val=colour)
    if factor is not None:
        put(rpr, "w:sz", w_val=look.pt(factor))
        put(rpr, "w:szCs", w_val=look.pt(factor))
    if underline and not look.large:
        put(rpr, "w:u", w_val="single")
    # No w:rtl here: direction belongs to runs, so that a phone number's run
    # (without it) stays left to right in any style.
    return rpr


DATA_CELL_MARGIN = 108  # twips either side of the text in a data table's cell


def layout_cell_margin(look: Look) -> int:
    """Twips either side of an easy read row's picture and text: a gap that grows with the text."""
    return look.twips(0.6)


# The room a checklist's box takes before the item's words, as a share of the text size.
CHECKBOX_EM = 1.5


def list_indent(look: Look, level: int) -> tuple[int, int]:
    """(left, hanging) in twips for a list level: room for the marker at this size."""
    hanging = look.twips(1.6)
    return hanging * (level + 1), hanging


def styles_xml(look: Look):
    """The whole ``w:styles`` element."""
    root = parse_xml(f"<w:styles {nsdecls('w')}/>")
    defaults = element("w:docDefaults")
    rpr_default = element("w:rPrDefault")
    rpr = element("w:rPr")
    run_properties(rpr, fonts=fonts_for(look.lang), lang=lang_for(look.lang, look.rtl))
    put(rpr, "w:color", w_val=look.colour("text"))
    put(rpr, "w:sz", w_val=look.pt(1))
    put(rpr, "w:szCs", w_val=look.pt(1))
    rpr_default.append(rpr)
    ppr_default = element("w:pPrDefault")
    ppr = element("w:pPr")
    put(ppr, "w:widowControl")
    put(ppr, "w:spacing", w_after=look.twips(0.6), w_line=line_240ths(look),
        w_lineRule="auto")
    ppr_default.append(ppr)
    defaults.extend([rpr_default, ppr_default])
    root.append(defaults)

    add = root.append
    normal = _style("paragraph", "Normal", "Normal", default=True, quick=True)
    _ppr(normal, look, after=0.6)
    _rpr(normal, look, 1)
    add(normal)

    title = _style("paragraph", "Title", "Title", based_on="Normal", next_style="Subtitle",
                   priority=10, quick=True)
    _ppr(title, look, after=0.4, keep_next=True)
    _rpr(title, look, 2.0, bold=True, colour=look.colour("heading"))
    add(title)
    subtitle = _style("paragraph", "Subtitle", "Subtitle", based_on="Normal",
                      next_style="Normal", priority=11, quick=True)
    _ppr(subtitle, look, after=0.4, keep_next=True)
    _rpr(subtitle, look, 1.35)
    add(subtitle)
    for level, factor in ((1, 1.5), (2, 1.25), (3, 1.1)):
        heading = _style("paragraph", f"Heading{level}", f"heading {level}", based_on="Normal",
                         next_style="Normal", priority=9, quick=True)
        _ppr(heading, look, before=1.2 if level == 1 else 0.9, after=0.4, keep_next=True,
             outline=level - 1)
        _rpr(heading, look, factor, bold=True, colour=look.colour("heading"))
        add(heading)

    for level in range(1, LIST_LEVELS + 1):
        suffix = "" if level == 1 else f" {level}"
        id_suffix = "" if level == 1 else str(level)
        for kind, num_id in (("Bullet", BULLET_NUM_ID), ("Number", NUMBER_NUM_ID)):
            style = _style("paragraph", f"List{kind}{id_suffix}", f"List {kind}{suffix}",
                           based_on="Normal", priority=99 if level > 1 else 34, quick=level == 1)
            # Standard print: items close together, the usual space after the
            # list (w:contextualSpacing); large print keeps space between items.
            _ppr(style, look, after=0.6, num=(num_id, level - 1), contextual=not look.large)
            add(style)
        # Further paragraphs of a list item, in line with its text.
        cont = _style("paragraph", f"ListContinue{id_suffix}", f"List Continue{suffix}",
                      based_on="Normal", priority=99)
        _ppr(cont, look, after=0.3, indent=list_indent(look, level - 1)[0])
        add(cont)

    caption = _style("paragraph", "Caption", "caption", based_on="Normal", next_style="Normal",
                     priority=35, quick=True)
    _ppr(caption, look, after=0.8)
    _rpr(caption, look, 0.9, italic=True)
    add(caption)
    picture = _style("paragraph", "Picture", "Picture", based_on="Normal", priority=36,
                     quick=True)
    _ppr(picture, look, after=0.3)
    add(picture)

    organisation = _style("paragraph", "Organisation", "Organisation", based_on="Normal",
                          next_style="Normal", priority=12, quick=True)
    _ppr(organisation, look, after=1.0)
    _rpr(organisation, look, 1, bold=True)
    add(organisation)
    edition = _style("paragraph", "EditionName", "Edition Name", based_on="Subtitle",
                     next_style="Normal", priority=12, quick=True)
    _rpr(edition, look, 1.1, bold=True, colour=look.colour("heading"))
    add(edition)
    banner = _style("paragraph", "DraftBanner", "Draft Banner", based_on="Normal", priority=13,
                    quick=True)
    _ppr(banner, look, after=0.2, box=look.colour("urgent"))
    _rpr(banner, look, 1, bold=True, colour=look.colour("urgent"))
    add(banner)
    for kind, border in CALLOUT_BORDERS.items():
        style_id = "Callout" if kind == "info" else f"Callout{kind.capitalize()}"
        name = "Callout" if kind == "info" else f"Callout {kind.capitalize()}"
        callout = _style("paragraph", style_id, name, based_on="Normal", priority=14,
                         quick=kind == "info")
        _ppr(callout, look, after=0.3, border=look.colour(border),
             fill=look.colour("callout-background"))
        add(callout)

    # Word's own names, so that a reader of the DOCX (pandoc, a screen reader) knows them.
    quote = _style("paragraph", "Quote", "Quote", based_on="Normal", next_style="Normal",
                   priority=29, quick=True)
    _ppr(quote, look, after=0.6, indent=list_indent(look, 0)[0], border=look.colour("accent"))
    add(quote)
    rule = _style("paragraph", "ThematicBreak", "Thematic Break", based_on="Normal", priority=30)
    _ppr(rule, look, before=0.6, after=0.6)
    pbdr = put(rule.find(qn("w:pPr")), "w:pBdr")
    pbdr.append(element("w:bottom", w_val="single", w_sz=12, w_space=1,
                        w_color=look.colour("accent")))
    add(rule)
    checklist = _style("paragraph", "Checklist", "Checklist", based_on="Normal", priority=31)
    _ppr(checklist, look, after=0.3, indent=list_indent(look, 0)[0])
    add(checklist)

    table_heading = _style("paragraph", "TableHeading", "Table Heading", based_on="Normal",
                           priority=15)
    _ppr(table_heading, look, before=0.2, after=0.2, keep_next=True)
    _rpr(table_heading, look, 1, bold=True)
    add(table_heading)
    table_text = _style("paragraph", "TableText", "Table Text", based_on="Normal", priority=15)
    _ppr(table_text, look, before=0.2, after=0.2)
    add(table_text)

    for style_id, name in (("Header", "header"), ("Footer", "footer")):
        furniture = _style("paragraph", style_id, name, based_on="Normal", priority=99,
                           hidden=True)
        _ppr(furniture, look, after=0.1)
        _rpr(furniture, look, 1)  # 12 pt in standard print: the clear print minimum
        add(furniture)

    add(_style("character", "DefaultParagraphFont", "Default Paragraph Font", default=True,
               priority=1, hidden=True))
    link = _style("character", "Hyperlink", "Hyperlink", based_on="DefaultParagraphFont",
                  priority=99, hidden=True)
    # Large print: no underline (UKAAF), so links are bold as well as coloured.
    _rpr(link, look, bold=look.large, colour=look.colour("link"), underline=True)
    add(link)

    table_normal = _style("table", "TableNormal", "Normal Table", default=True, priority=99,
                          hidden=True)
    tbl = put(table_normal, "w:tblPr")
    put(tbl, "w:tblInd", w_w=0, w_type="dxa")
    _cell_margins(put(tbl, "w:tblCellMar"), top=0, side=108)
    add(table_normal)
    add(_table_style("LeafletTable", "Leaflet Table", look, borders=True))
    add(_table_style("LayoutTable", "Layout Table", look, borders=False))
    add(_style("numbering", "NoList", "No List", default=True, priority=99, hidden=True))
    return root


def _cell_margins(mar, top: int, side: int) -> None:
    for edge, value in (("top", top), ("left", side), ("bottom", top), ("right", side)):
        mar.append(element(f"w:{edge}", w_w=value, w_type="dxa"))


def _table_style(style_id: str, name: str, look: Look, borders: bool):
    style = _style("table", style_id, name, based_on="TableNormal", priority=59, quick=True)
    ppr = put(style, "w:pPr")
    put(ppr, "w:spacing", w_after=0)
    tbl = put(style, "w:tblPr")
    if borders:
        edges = put(tbl, "w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edges.append(element(f"w:{edge}", w_val="single", w_sz=6, w_space=0,
                                 w_color=look.colour("accent")))
    if borders:
        _cell_margins(put(tbl, "w:tblCellMar"), top=look.twips(0.2), side=DATA_CELL_MARGIN)
    else:
        _cell_margins(put(tbl, "w:tblCellMar"), top=look.twips(0.3),
                      side=layout_cell_margin(look))
    if borders:
        first_row = element("w:tblStylePr", w_type="firstRow")
        rpr = element("w:rPr")
        run_properties(rpr, bold=True)
        first_row.append(rpr)
        tcpr = element("w:tcPr")
        tcpr.append(element("w:shd", w_val="clear", w_color="auto", w_fill=look.colour("callout-background")))
        first_row.append(tcpr)
        style.append(first_row)
    return style


def numbering_xml(look: Look):
    """Bullets and numbers for three levels; each numbered list gets its own
    ``w:num`` (see ``restart_number``) so that every list starts again at 1."""
    root = parse_xml(f"<w:numbering {nsdecls('w')}/>")
    for abstract_id, bullet in ((BULLET_ABSTRACT_ID, True), (NUMBER_ABSTRACT_ID, False)):
        abstract = element("w:abstractNum", w_abstractNumId=abstract_id)
        abstract.append(element("w:multiLevelType", w_val="multilevel"))
        for level in range(LIST_LEVELS):
            lvl = element("w:lvl", w_ilvl=level)
            lvl.append(element("w:start", w_val=1))
            if bullet:
                lvl.append(element("w:numFmt", w_val="bullet"))
                lvl.append(element("w:lvlText", w_val=BULLETS[level]))
            else:
                number_format, text = NUMBER_FORMATS[level]
                lvl.append(element("w:numFmt", w_val=number_format))
                lvl.append(element("w:lvlText", w_val=text))
            lvl.append(element("w:lvlJc", w_val="left"))
            ppr = element("w:pPr")
            left, hanging = list_indent(look, level)
            tabs = element("w:tabs")
            tabs.append(element("w:tab", w_val="num", w_pos=left))
            ppr.append(tabs)
            ppr.append(element("w:ind", w_left=left, w_hanging=hanging))
            lvl.append(ppr)
            rpr = element("w:rPr")
            run_properties(rpr, fonts={"ascii": LATIN_FONT, "hAnsi": LATIN_FONT,
                                       "cs": LATIN_FONT})
            lvl.append(rpr)
            abstract.append(lvl)
        root.append(abstract)
    for num_id, abstract_id in ((BULLET_NUM_ID, BULLET_ABSTRACT_ID),
                                (NUMBER_NUM_ID, NUMBER_ABSTRACT_ID)):
        num = element("w:num", w_numId=num_id)
        num.append(element("w:abstractNumId", w_val=abstract_id))
        root.append(num)
    return root


def restart_number(numbering, level: int, start: int) -> int:
    """A new ``w:num`` for one numbered list, counting from ``start``; its id."""
    used = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    num_id = max(used) + 1
    num = element("w:num", w_numId=num_id)
    num.append(element("w:abstractNumId", w_val=NUMBER_ABSTRACT_ID))
    override = element("w:lvlOverride", w_ilvl=level)
    override.append(element("w:startOverride", w_val=start))
    num.append(override)
    numbering.append(num)
    return num_id


def settings_xml(lang: str):
    """Document settings: no automatic hyphenation, the leaflet's language."""
    root = parse_xml(f"<w:settings {nsdecls('w')}/>")
    root.append(element("w:zoom", w_percent=100))
    root.append(element("w:defaultTabStop", w_val=720))
    root.append(element("w:autoHyphenation", w_val="false"))
    root.append(element("w:characterSpacingControl", w_val="doNotCompress"))
    compat = element("w:compat")
    compat.append(element("w:compatSetting", w_name="compatibilityMode",
                          w_uri="http://schemas.microsoft.com/office/word", w_val=15))
    root.append(compat)
    theme_lang = {f"w_{slot}": tag for slot, tag in lang_for(lang).items()}
    root.append(element("w:themeFontLang", **theme_lang))
    root.append(element("w:decimalSymbol", w_val="."))
    root.append(element("w:listSeparator", w_val=","))
    return root
