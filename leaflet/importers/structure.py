"""The rules every importer shares, applied to a draft after its reader.

Details into front matter, the requests sentence, the title, headings from bold
lines, lists from typed bullets, contacts from tables of names and numbers, and
every phone number checked."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from leaflet.model import (
    Block, Callout, Cell, Contacts, Figure, Heading, Inline, LineBreak, Link, List,
    ListItem, Paragraph, Row, Strong, Table, Text, plain_text, shows_address,
)
from leaflet.source import emails
from leaflet.source import phones as source_phones

from . import account, details, phones
from .contacts import contacts_from_cards, contacts_from_tables
from .draft import Draft, cell, heading, paragraph

BULLET_RE = re.compile(r"^\s*([•·▪◦‣○●■□➢➤►✓✔\-–—*])\s+")
NUMBER_RE = re.compile(r"^\s*(\d{1,2})[.)]\s+")
MAX_HEADING_WORDS = 12
HIDDEN_EMAIL = "[email protected]"



def place_of(blocks: list[Block], block: Block) -> str | int:
    """Where a block was in the original: its line, else the heading before it."""
    if block.line:
        return block.line
    try:
        index = next(i for i, b in enumerate(blocks) if b is block)
    except StopIteration:
        return ""
    for before in reversed(blocks[:index]):
        if isinstance(before, Heading):
            return f"under the heading '{words_of(before)}'"
    return "before the first heading"


def words_of(block: Block) -> str:
    if isinstance(block, (Paragraph, Heading)):
        return plain_text(block.children, line_break=" ").strip()
    return ""


def page_details(draft: Draft, root) -> None:
    """What a web page says about itself: its language, site name and title."""
    language = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if language:
        draft.found("language", language.strip())
    for meta in root.iter("meta"):
        if meta.get("property") == "og:site_name" and meta.get("content"):
            name = details.organisation_in(meta.get("content")) or meta.get("content").strip()
            draft.found("organisation", name, "from the web page's site name: check it")
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        draft.title_hint = " ".join(title.text_content().split())


# Details and the requests sentence -----------------------------------------------------

def take_details(draft: Draft) -> None:
    """Details lines (in margins, or on their own in the body) into front matter."""

    def scan(blocks: list[Block], in_body: bool, where: str | int = "") -> list[Block]:
        kept = []
        for block in blocks:
            here = where or (place_of(blocks, block) if in_body else
                             (block.line or draft.margin_place))
            if isinstance(block, List):
                items = []
                for item in block.items:
                    inner = scan(list(item.blocks), in_body, here)
                    if inner:
                        items.append(replace(item, blocks=tuple(inner)))
                if items:
                    kept.append(replace(block, items=tuple(items)))
                continue
            if isinstance(block, Table) and not in_body:
                for row in [block.head, *block.rows]:
                    if row:
                        scan([paragraph(tuple(text_with_breaks(" · ", row)), block.path,
                                        block.line)], in_body, here)
                continue
            text = plain_text(block.children, line_break=" · ") \
                if isinstance(block, Paragraph) else ""
            found = details.labelled(text) if text else None
            if found is None:
                if isinstance(block, Paragraph) and not in_body:
                    name = details.organisation_in(words_of(block))
                    if name and len(words_of(block).split()) <= len(name.split()) + 8 and \
                            draft.found("organisation", name, words=name, where=here):
                        draft.leave_out(here, draft.margin_why,
                                        text.replace(name, " ", 1))
                        continue
                if in_body:
                    kept.append(block)
                else:
                    draft.leave_out(here, draft.margin_why, *account.block_texts([block]))
                continue
            taken = [record(draft, key, value) for key, value in found.items()]
            if any(taken):
                draft.to_front(next(k for k, t in zip(found, taken, strict=True) if t), text)
            else:
                draft.leave_out(here, "leaflet details already read from another place", text)
        return kept

    draft.blocks = scan(draft.blocks, True)
    scan(draft.margins, False)
    draft.margins = []


def text_with_breaks(separator: str, cells: tuple[Cell, ...]) -> list[Inline]:
    out: list[Inline] = []
    for number, one in enumerate(cells):
        if number:
            out.append(Text(text=separator))
        out.extend(one.children)
    return out


def record(draft: Draft, key: str, value: str) -> bool:
    """A detail into the front matter; False when one was read already."""
    if key in ("published", "review"):
        date = details.read_date(value, str(draft.fields.get("language", "en")))
        if isinstance(date, dt.date):
            return draft.found(key, date)
        return draft.found(key, date or "YYYY-MM-DD", f"the document says '{value}': "
                           "write the full date as YYYY-MM-DD")
    return draft.found(key, value)


def take_requests(draft: Draft) -> None:
    """The "available in other languages and formats" sentence (or our own panel:
    a heading, the list of languages, and how to ask) into ``requests:``."""
    for blocks, in_body in ((draft.blocks, True), (draft.margins, False)):
        for index, block in enumerate(blocks):
            text = words_of(block)
            if not text or not details.is_requests(text):
                continue
            end = index + 1
            here = place_of(blocks, block) if in_body else (block.line or draft.margin_place)
            panel: list[Block] = []
            if isinstance(block, Heading):
                panel.append(block)
                if end < len(blocks) and isinstance(blocks[end], List):
                    panel.append(blocks[end])
                    end += 1  # the languages it is in: the build writes that list
                text = ""
                if end < len(blocks) and isinstance(blocks[end], Paragraph):
                    text = words_of(blocks[end])  # how to ask: one paragraph
                    end += 1
            if panel:
                draft.leave_out(here, "the heading and list of the 'also available' panel, "
                                "which the build writes from the library's languages",
                                *account.block_texts(panel))
            if text:
                draft.found("requests", text, words=text, where=here)
            if in_body:
                draft.warn(block.line or None, f"'{short(text or words_of(block))}' became the "
                           "'requests:' line, printed where the leaflet lists its other "
                           "languages and formats")
            del blocks[index:end]
            return


# Title, headings, lists ------------------------------------------------------------------

def take_title(draft: Draft) -> None:
    """The leaflet's title: found already (a Title style), or the first heading when it
    is the only one at the top level, or the page's title."""
    headings = [b for b in draft.blocks if isinstance(b, Heading)]
    if "title" in draft.fields:
        if headings and words_of(headings[0]) == draft.fields["title"]:
            draft.to_front("title", words_of(headings[0]))
            draft.blocks.remove(headings[0])
        take_subtitle(draft)
        return
    if draft.title_property:
        draft.fields["title"] = draft.title_property
        draft.notes["title"] = "from the Word file's title property (File > Info): check it"
        lead = next((b for b in draft.blocks if words_of(b)), None)
        if lead is not None and isinstance(lead, (Heading, Paragraph)) and \
                words_of(lead) == draft.title_property:
            draft.to_front("title", words_of(lead))
            draft.blocks.remove(lead)
        take_subtitle(draft)
        return
    top = min((h.level for h in headings), default=0)
    first = headings[0] if headings else None
    if first is not None and first.level == top and \
            sum(1 for h in headings if h.level == top) == 1:
        index = draft.blocks.index(first)
        draft.fields["title"] = words_of(first)
        draft.to_front("title", words_of(first))
        draft.notes.setdefault("title", "from the document's only top-level heading: check it")
        before = draft.blocks[:index]
        draft.blocks = draft.blocks[index + 1:]
        take_subtitle(draft)
        draft.blocks = before + draft.blocks
    elif draft.title_hint:
        draft.fields["title"] = draft.title_hint
        draft.notes["title"] = "from the document's title property: check it"


def leave_out_logo(draft: Draft) -> None:
    """A picture in the title block, before any text, is the organisation's logo: the
    library's theme gives every leaflet its logo, so it is not a picture of the leaflet."""
    while draft.blocks and isinstance(draft.blocks[0], Figure):
        logo = draft.blocks.pop(0)
        draft.leave_out(logo.line or "at the top", "the caption of the organisation's logo",
                        logo.caption)
        draft.warn(logo.line or None, f"the picture at the top ('{short(logo.alt)}') was "
                   "taken for the organisation's logo and left out: the theme's logo is "
                   "printed on every leaflet (theme/theme.yaml)")


def take_leading_organisation(draft: Draft) -> None:
    """A line that is only the organisation's name, above the first heading, is it."""
    for block in list(draft.blocks):
        if isinstance(block, Heading):
            return
        text = words_of(block)
        if isinstance(block, Paragraph) and text and details.organisation_in(text) == text:
            draft.found("organisation", text, words=text, where=block.line or "at the top")
            draft.blocks.remove(block)


def head_from_first_row(blocks: list[Block], draft: Draft) -> list[Block]:
    """Markdown tables have a heading row: a table without one takes its first row,
    unwrapped from the bold people type it in."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and not block.head and len(block.rows) > 1:
            first = block.rows[0]
            bold = all(len(c.children) == 1 and isinstance(c.children[0], Strong) or
                       not c.children for c in first)
            head = tuple(cell(tuple(c.children[0].children), c.path, c.line)
                         if bold and c.children else c for c in first)
            if not bold:
                words = short(" | ".join(plain_text(c.children) for c in first))
                draft.warn(block.line or None, f"the first row of a table ('{words}') was made "
                           "its heading row: check it")
            block = replace(block, head=head, rows=block.rows[1:])
        out.append(block)
    return out


def take_subtitle(draft: Draft) -> None:
    if "subtitle" in draft.fields or not draft.blocks:
        return
    first = draft.blocks[0]
    text = words_of(first)
    if isinstance(first, (Paragraph, Heading)) and 0 < len(text.split()) <= 8 and \
            not text.endswith((".", "?", ":")) and details.SUBTITLE_RE.search(text):
        draft.fields["subtitle"] = text
        draft.to_front("subtitle", text)
        draft.blocks.pop(0)


def short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def heading_like(text: str) -> bool:
    """A short line that reads as a heading, not a sentence or a number to call."""
    return (0 < len(text.split()) <= MAX_HEADING_WORDS and len(text) <= 90
            and not text.rstrip("’'\"”)").endswith((".", ",", ";", ":", "!"))
            and not source_phones.looks_like_number(text) and not emails.find(text)
            and any(c.isalpha() for c in text) and not BULLET_RE.match(text))


def headings_from_bold(blocks: list[Block]) -> list[Block]:
    """A paragraph that is one short bold line is a heading, one level below the last."""
    out: list[Block] = []
    level = 0
    for block in blocks:
        if isinstance(block, Heading):
            level = block.level
        elif isinstance(block, Paragraph) and len(block.children) == 1 and \
                isinstance(block.children[0], Strong) and heading_like(words_of(block)) and \
                not any(isinstance(c, (LineBreak, Link)) for c in block.children[0].children):
            block = heading(level + 1 if level else 1, block.children[0].children, block.path,
                            block.line)
        out.append(block)
    return out


def normalise_levels(blocks: list[Block]) -> list[Block]:
    """Levels counted from the top one used, none skipped, three at most."""
    top = min((b.level for b in blocks if isinstance(b, Heading)), default=1)
    out: list[Block] = []
    previous = 0
    for block in blocks:
        if isinstance(block, Heading):
            level = min(block.level - top + 1, previous + 1, 3)
            block = replace(block, level=level)
            previous = level
        out.append(block)
    return out


def lists_from_bullets(blocks: list[Block]) -> list[Block]:
    """Paragraphs typed as "• item" or "1. item", one after another, become a list."""
    out: list[Block] = []
    building = False  # whether out[-1] is a list made here from typed markers
    for block in blocks:
        if isinstance(block, Callout):
            block = replace(block, blocks=tuple(lists_from_bullets(list(block.blocks))))
        marker = marker_of(block)
        if marker is None:
            out.append(block)
            building = False
            continue
        ordered, number = marker
        item = ListItem(blocks=(strip_marker(block),), path=block.path, line=block.line)
        last = out[-1] if building else None
        if isinstance(last, List) and last.ordered == ordered and \
                (not ordered or number == last.start + len(last.items)):
            out[-1] = replace(last, items=last.items + (item,))
        else:
            out.append(List(ordered=ordered, items=(item,), start=number or 1, path=block.path,
                            line=block.line))
        building = True
    return out


def marker_of(block: Block) -> tuple[bool, int] | None:
    if not isinstance(block, Paragraph) or not block.children or \
            not isinstance(block.children[0], Text):
        return None
    first = block.children[0].text
    if BULLET_RE.match(first):
        return False, 0
    match = NUMBER_RE.match(first)
    if match and int(match.group(1)) > 0:
        return True, int(match.group(1))
    return None


def strip_marker(block: Paragraph) -> Paragraph:
    first = block.children[0]
    rest = BULLET_RE.sub("", first.text, count=1) if BULLET_RE.match(first.text) else \
        NUMBER_RE.sub("", first.text, count=1)
    children = ((replace(first, text=rest),) if rest else ()) + block.children[1:]
    return paragraph(children, block.path, block.line)


# Phone numbers and contacts ----------------------------------------------------------------

def link_phones(blocks: list[Block] | tuple[Block, ...], region: str, draft: Draft) -> list[Block]:
    """Every phone number in the text found, checked with the region and normalised."""
    def report(line: int, message: str) -> None:
        draft.warn(line or None, message)

    def inlines(nodes):
        nodes = without_printed_addresses(nodes, draft.structure)
        return phones.link_emails(phones.link_inlines(nodes, region, report))

    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            block = paragraph(inlines(block.children), block.path, block.line)
        elif isinstance(block, Heading):
            block = heading(block.level, inlines(block.children), block.path, block.line)
        elif isinstance(block, List):
            block = replace(block, items=tuple(replace(i, blocks=tuple(link_phones(i.blocks, region,
                                                                                   draft)))
                                               for i in block.items))
        elif isinstance(block, (Callout, Row)):
            block = replace(block, blocks=tuple(link_phones(block.blocks, region, draft)))
        elif isinstance(block, Table):
            block = replace(block, head=tuple(cell(inlines(c.children), c.path, c.line)
                                              for c in block.head),
                            rows=tuple(tuple(cell(inlines(c.children), c.path, c.line) for c in row)
                                       for row in block.rows))
        out.append(block)
    return out


PRINTED_ADDRESS_RE = re.compile(r"\s*\(\s*(\S+?)\s*\)")


def without_printed_addresses(nodes, absorbed: list[str]) -> tuple[Inline, ...]:
    """A link's address printed after its words for paper ("the NHS website
    (https://www.nhs.uk/)") is the link's own: the link keeps it, the words go.  The
    address's words are what the link stands for."""
    out = list(nodes)
    for index in range(len(out) - 1):
        link, after = out[index], out[index + 1]
        if not isinstance(link, Link) or shows_address(link) or not isinstance(after, Text):
            continue
        match = PRINTED_ADDRESS_RE.match(after.text)
        if match and shows_address(replace(link, children=(Text(text=match.group(1)),))):
            absorbed.append(match.group(1))
            out[index + 1] = replace(after, text=after.text[match.end():])
        elif index + 3 < len(out) and after.text.strip() == "(" and \
                isinstance(out[index + 2], Link) and out[index + 2].href == link.href and \
                shows_address(out[index + 2]) and isinstance(out[index + 3], Text) and \
                out[index + 3].text.startswith(")"):
            absorbed.append(plain_text(out[index + 2].children))
            out[index + 3] = replace(out[index + 3], text=out[index + 3].text[1:])
            out[index + 1] = out[index + 2] = Text(text="")
    return tuple(phones.merge_text(out))


def lift_containers(blocks: list[Block] | tuple[Block, ...], draft: Draft,
                    top: bool = True) -> list[Block]:
    """A source's boxes (callouts, contacts) stand at the top level, never inside a
    list or another box: what a page nests is lifted out, its words all kept."""
    out: list[Block] = []
    after: list[Block] = []  # contacts found inside a list or box go after it
    for block in blocks:
        if isinstance(block, List):
            items = []
            for item in block.items:
                inner = []
                for child in lift_containers(item.blocks, draft, top=False):
                    (after if isinstance(child, Contacts) else inner).append(child)
                items.append(replace(item, blocks=tuple(inner)))
            block = replace(block, items=tuple(i for i in items if i.blocks))
            if not block.items:
                continue
        elif isinstance(block, Callout):
            inner = []
            for child in lift_containers(block.blocks, draft, top=False):
                (after if isinstance(child, Contacts) else inner).append(child)
            if not top:
                draft.warn(block.line or None, "a boxed note inside a list or another box was "
                           "imported as plain text")
                out.extend(inner)
                continue
            block = replace(block, blocks=tuple(inner))
            if not inner:
                continue
        out.append(block)
        if top and after:
            out.extend(after)
            after = []
    return out + after


# The whole draft -------------------------------------------------------------------------

def take_organisation(draft: Draft) -> None:
    if "organisation" in draft.fields:
        return
    for block in draft.blocks:
        for node in walk_text(block):
            name = details.organisation_in(node)
            if name:
                draft.found("organisation", name, "found in the leaflet's text: check it")
                draft.warn(block.line or None, f"the organisation '{name}' was taken from the "
                           "text: check it")
                return


def walk_text(block: Block):
    from leaflet.model import walk

    for inner in walk((block,)):
        text = words_of(inner)
        if text:
            yield text


def hidden_emails(draft: Draft) -> None:
    for block in draft.blocks:
        for text in walk_text(block):
            if HIDDEN_EMAIL in text:
                draft.warn(block.line or None, f"an e-mail address was hidden by the web page "
                           f"this was copied from ('{HIDDEN_EMAIL}'): type it in")


def finish(draft: Draft, region: str) -> None:
    """Apply every shared rule to a draft, in an order where each sees what it needs."""
    take_requests(draft)
    take_details(draft)
    draft.blocks = lists_from_bullets(draft.blocks)
    draft.blocks = headings_from_bold(draft.blocks)
    take_leading_organisation(draft)
    take_title(draft)
    leave_out_logo(draft)
    draft.blocks = normalise_levels(draft.blocks)
    draft.blocks = link_phones(draft.blocks, region, draft)
    draft.blocks = contacts_from_tables(draft.blocks, region, draft.structure)
    draft.blocks = contacts_from_cards(draft.blocks, draft.structure)
    draft.blocks = head_from_first_row(draft.blocks, draft)
    draft.blocks = lift_containers(draft.blocks, draft)
    take_organisation(draft)
    hidden_emails(draft)
