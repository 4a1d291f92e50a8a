"""HTML elements into model blocks, for saved web pages and Word files alike.

Word files arrive here as mammoth's HTML.  The converter knows our own outputs'
markup (the title block, contacts, callouts, stacked tables), so that they read
back as the leaflet they came from."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from leaflet.model import (
    Block, Callout, Contact, Contacts, Email, Emphasis, Figure, Inline, LineBreak, Link,
    List, ListItem, Paragraph, Phone, Quote, Rule, Strong, Table, Text, plain_text,
)
from leaflet.source import emails

from . import account, phones
from .draft import Draft, cell, heading, paragraph

MAX_IMAGE_BYTES = 5_000_000
SKIPPED = {"script", "style", "noscript", "template", "nav", "form", "button", "iframe", "svg",
           "object", "embed", "input", "select", "textarea", "canvas", "video", "audio", "map",
           "head", "title", "meta", "link"}
# Parts of a page that are the site's, not the leaflet's.
JUNK_RE = re.compile(r"cookie|consent|gdpr|banner|breadcrumb|skip-?link|share|social|"
                     r"newsletter|feedback-?widget|sidebar|related|site-?(?:header|footer)", re.I)
BOXES = ("\u2610", "\u25a1", "\u274f")  # the empty boxes of a checklist: ☐ □ ❏
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "div", "section",
              "article", "main", "header", "footer", "aside", "figure", "blockquote", "pre", "hr",
              "dl", "dt", "dd", "address", "details", "summary", "center", "body", "img", "br",
              "thead", "tbody", "tr", "td", "th", "caption", "figcaption", "fieldset"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
DELETED_TAGS = {"s", "strike", "del"}  # Word's strikethrough arrives from mammoth as <s>
STRONG_TAGS = {"strong", "b"}
EMPHASIS_TAGS = {"em", "i", "cite"}
CALLOUT_KINDS = (("urgent", re.compile(r"urgent|danger|emergency", re.I)),
                 ("warning", re.compile(r"warning|caution|alert", re.I)),
                 ("info", re.compile(r"callout|\bnote\b|\binfo|\btip\b", re.I)))
URGENT_WORDS = re.compile(r"\b(?:999|112|911|A\s*&\s*E|emergency|urgent(?:ly)?|"
                          r"immediately|straight away)\b", re.I)
WARNING_WORDS = re.compile(r"\b(?:important|warning|caution|do not|don't|never|must)\b",
                           re.I)
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml"}


# Why a part of a page is not the leaflet's, by its tag.
SKIPPED_WHY = {"nav": "site furniture: a menu of links", "form": "site furniture: a form",
               "button": "site furniture: a button", "input": "site furniture: a form",
               "select": "site furniture: a form", "textarea": "site furniture: a form",
               "svg": "the words of a drawing", "map": "the words of an image map"}
IGNORED_CLASS = "leaflet-ignored"
# What a site prints inside a page's main content about the page itself: print and
# download links, the feedback question, share links.
FURNITURE_RE = re.compile(
    r"print (?:this|the) (?:page|leaflet|information)|"
    r"download(?: this| the)?(?: leaflet| page| information)?(?: as (?:a )?pdf)?"
    r"(?: file)?(?:\s*\([^)]*\))?|"
    r"was this (?:page|information|leaflet|article) (?:helpful|useful)\??|"
    r"(?:did|does) this (?:page|information) help(?: you)?\??|"
    r"share (?:this (?:page|leaflet)|on [\w ]{1,20}?|via [\w ]{1,20}?)(?=$|[|·,\s])|"
    r"e-?mail this page|back to (?:the )?top|rate this page|"
    r"tell us what you think(?: of this page)?|give (?:us )?feedback(?: on this page)?", re.I)
FURNITURE_LINK_RE = re.compile(
    r"^javascript:|window\.print|sharer|share\?|/intent/|/share|addthis|whatsapp:|"
    r"mailto:\?|[?&](?:subject|body)=|feedback|\.pdf(?:$|[?#])", re.I)
ANSWER_RE = re.compile(r"\b(?:yes|no|[(\[]?\d+(?:\.\d+)?\s*[kKmM]i?B[)\]]?|pdf)\b|[|·/•]", re.I)  # Word paragraphs our own outputs print for the build


def classes(element) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}"


def is_junk(element) -> bool:
    """Whether an element is the site's, not the leaflet's.  Hidden and collapsed
    content (``hidden``, ``display:none``, an accordion's closed panel) is the leaflet's:
    a reader opens it; only an icon hidden from screen readers is left out."""
    if not isinstance(element.tag, str):
        return True
    tag = element.tag.lower()
    if tag == "button" and is_section_toggle(element):
        return False
    if tag in SKIPPED:
        return True
    if element.get("aria-hidden") == "true" and \
            not any(c.isalnum() for c in "".join(element.itertext())):
        return True
    return tag in {"div", "section", "aside", "header", "footer", "p", "ul"} and \
        bool(JUNK_RE.search(classes(element))) and element.get("role") != "main"


def is_section_toggle(button) -> bool:
    """An accordion's button: it opens a section, and its words are the section's heading."""
    if button.get("aria-expanded") is not None or button.get("aria-controls"):
        return True
    return any(isinstance(a.tag, str) and a.tag.lower() in HEADING_TAGS | {"summary"}
               for a in button.iterancestors())


class Converter:
    """HTML elements to model blocks; ``lines`` says whether source lines mean anything
    (they do in a saved page, not in mammoth's output)."""

    def __init__(self, draft: Draft, folder: Path | None = None, lines: bool = True,
                 region: str = "GB", place: str = ""):
        self.draft, self.folder, self.lines, self.region = draft, folder, lines, region
        self.place = place  # where in the original, when lines mean nothing
        self.section = ""  # the last heading read, to say where words were in a Word file

    def line(self, element) -> int:
        return (getattr(element, "sourceline", 0) or 0) if self.lines else 0

    def where(self, element) -> str | int:
        """Where an element was in the original: its line, else the heading it was under."""
        if self.lines and self.line(element):
            return self.line(element)
        if self.place:
            return self.place
        return f"under the heading '{self.section}'" if self.section else \
            "before the first heading"

    def skip(self, element, why: str = "") -> None:
        """An element left out: its words (if any) listed with why."""
        if not isinstance(element.tag, str):
            return
        texts = account.page_texts(element)
        if texts:
            tag = element.tag.lower()
            reason = why or SKIPPED_WHY.get(tag) or (
                "site furniture: " + " ".join(classes(element).split()[:3])
                if JUNK_RE.search(classes(element)) else f"not leaflet text (<{tag}>)")
            self.draft.leave_out(self.where(element), reason, *texts)

    # blocks

    def blocks(self, element) -> list[Block]:
        out: list[Block] = []
        pending: list[Inline] = []
        line = self.line(element)

        def flush():
            nonlocal pending
            words = trim(pending)
            if words:
                out.append(paragraph(tuple(words), self.draft.path, line))
            pending = []

        if element.text:
            pending.append(Text(text=element.text, path=self.draft.path, line=line))
        for child in element:
            if is_junk(child):
                self.skip(child)
            elif child.tag.lower() == "br" and not pending:
                pass
            elif child.tag.lower() in BLOCK_TAGS or self.holds_blocks(child):
                if child.tag.lower() == "br":
                    pending.append(LineBreak(path=self.draft.path, line=line))
                else:
                    flush()
                    line = self.line(child)
                    if out and isinstance(out[-1], Figure) and not out[-1].caption and \
                            child.tag.lower() == "p" and "caption" in classes(child).split():
                        words = " ".join(child.text_content().split())
                        out[-1] = replace(out[-1], caption=words)  # a Word caption, below it
                    else:
                        out.extend(self.block(child))
            else:
                pending.extend(self.inlines(child))
            if child.tail:
                pending.append(Text(text=child.tail, path=self.draft.path, line=line))
        flush()
        return out

    def holds_blocks(self, element) -> bool:
        return any(isinstance(e.tag, str) and e.tag.lower() in BLOCK_TAGS - {"br", "img"}
                   for e in element.iterdescendants())

    # Complex by design: one branch per kind of element.
    def block(self, element) -> list[Block]:  # noqa: C901
        tag, line, rel = element.tag.lower(), self.line(element), self.draft.path
        names = set(classes(element).split())
        # The title block of our own outputs, and the Word styles mammoth was told about.
        for key, marks in (("title", {"leaflet-title"}),
                           ("subtitle", {"subtitle", "leaflet-subtitle"}),
                           ("organisation", {"organisation", "organisation-name",
                                             "leaflet-organisation"})):
            if (names & marks and tag == "p") or (key == "title" and tag == "h1" and
                                                  element.get("id") == "title"):
                words = " ".join(element.text_content().split())
                self.draft.found(key, words, words=words, where=self.where(element))
                return []
        if IGNORED_CLASS in names:
            self.skip(element, "printed by the build itself (a draft banner or edition name)")
            return []
        if tag in ("p", "ul", "ol", "div", "section", "aside", "nav", "footer") and \
                is_furniture(element):
            self.skip(element, "site furniture inside the page: print, download, feedback "
                      "or share")
            return []
        if re.fullmatch(r"h[1-6]", tag):
            words = tuple(unwrap_strong(trim(self.children(element))))
            if words:
                self.section = plain_text(words).strip()
            return [heading(int(tag[1]), words, rel, line)] if words else []
        if tag == "summary":  # the question of a <details> section: its heading
            words = tuple(unwrap_strong(trim(self.children(element))))
            return [heading(summary_level(element), words, rel, line)] if words else []
        if tag == "p":
            return self.paragraph(element)
        if tag in ("ul", "ol"):
            if "contacts" in classes(element).split():
                return [self.contacts(element)]
            return self.list(element)
        if tag == "table":
            return self.table_blocks(element)
        if tag == "img":
            figure = self.figure(element, "")
            return [figure] if figure else []
        if tag == "figure":
            return self.figure_blocks(element)
        if tag == "hr":
            return [Rule(path=rel, line=line)]
        if tag == "pre":
            self.draft.warn(line or None, "preformatted text was imported as a paragraph; "
                            "check its line breaks")
            lines = [l.strip() for l in element.text_content().splitlines() if l.strip()]
            nodes: list[Inline] = []
            for number, words in enumerate(lines):
                if number:
                    nodes.append(LineBreak(path=rel, line=line))
                nodes.append(Text(text=words, path=rel, line=line))
            return [paragraph(tuple(nodes), rel, line)] if nodes else []
        if tag == "blockquote":
            quoted = self.blocks(element)
            return [Quote(blocks=tuple(quoted), path=rel, line=line)] if quoted else []
        if tag == "dt":
            words = trim(self.children(element))
            return [paragraph((Strong(children=tuple(words), path=rel, line=line),), rel, line)] \
                if words else []
        if "table-stacked" in classes(element).split():
            return [self.stacked_table(element)]
        if tag == "div" and "textbox" in names:  # a Word text box: a box on the page
            inner = self.blocks(element)
            words = " ".join(account.block_texts(inner))
            return [Callout(kind=box_kind(words), blocks=tuple(inner), path=rel, line=line)] \
                if inner else []
        kind = callout_kind(element) if tag in ("div", "aside", "section") else None
        if kind:
            inner = strip_label(self.blocks(element), self.draft)
            return [Callout(kind=kind, blocks=tuple(inner), path=rel, line=line)] if inner else []
        return self.blocks(element)

    def paragraph(self, element) -> list[Block]:
        images = element.xpath(".//img")
        words = trim(self.children(element))
        out: list[Block] = []
        if words:
            out.append(paragraph(tuple(words), self.draft.path, self.line(element)))
        for image in images:
            figure = self.figure(image, "")
            if figure:
                out.append(figure)
        return out

    def figure_blocks(self, element) -> list[Block]:
        """A figure: its first picture with its caption, then whatever else it holds
        (more pictures, words) as blocks; a caption whose picture cannot be imported is
        listed."""
        import copy

        caption = element.find(".//figcaption")
        text = " ".join(caption.text_content().split()) if caption is not None else ""
        images = element.xpath(".//img")
        figure = self.figure(images[0], text) if images else None
        if figure is None and text:
            self.draft.leave_out(self.where(caption), "a picture's caption without its "
                                 "picture (the picture could not be imported)", text)
        rest = copy.deepcopy(element)
        taken = [rest.find(".//figcaption"), *rest.xpath(".//img")[:1]]
        for one in (t for t in taken if t is not None):
            one.drop_tree()
        rest.tag = "div"
        return ([figure] if figure else []) + self.blocks(rest)

    def list(self, element) -> list[Block]:
        items = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if is_junk(child):
                self.skip(child)
                continue
            inner = self.blocks(child) if child.tag.lower() == "li" else self.block(child)
            if inner:
                items.append(ListItem(blocks=tuple(inner), path=self.draft.path,
                                      line=self.line(child)))
        if not items:
            return []
        ordered = element.tag.lower() == "ol"
        start_attribute = element.get("start") or ""
        start = int(start_attribute) if ordered and start_attribute.isdigit() else 1
        unboxed = [unbox(item) for item in items]
        boxed = all(item is not None for item in unboxed)
        return [List(ordered=ordered, items=tuple(unboxed) if boxed else tuple(items),
                     start=start, path=self.draft.path, line=self.line(element),
                     checklist=boxed or "checklist" in classes(element).split())]

    def cell_inlines(self, element) -> tuple[Inline, ...]:
        """A table cell's words; its paragraphs and list items each on a line of their
        own (never run together), a list item after a bullet."""
        out: list[Inline] = []
        for part in self.cell_lines(element):
            if out:
                out.append(LineBreak(path=self.draft.path, line=self.line(element)))
            out.extend(part)
        return tuple(out)

    def cell_lines(self, element) -> list[list[Inline]]:
        lines: list[list[Inline]] = []
        pending: list[Inline] = []
        rel = self.draft.path

        def flush() -> None:
            nonlocal pending
            words = trim(pending)
            if words:
                lines.append(words)
            pending = []

        if element.text:
            pending.append(Text(text=element.text, path=rel, line=self.line(element)))
        for child in element:
            if not isinstance(child.tag, str):
                pass
            elif is_junk(child):
                self.skip(child)
            elif child.tag.lower() in ("ul", "ol"):
                flush()
                number = 0
                for item in child:
                    if isinstance(item.tag, str) and item.tag.lower() == "li":
                        number += 1
                        marker = f"{number}. " if child.tag.lower() == "ol" else "\u2022 "
                        for index, line in enumerate(self.cell_lines(item)):
                            lead = marker if index == 0 else ""
                            lines.append(trim([Text(text=lead, path=rel)] + line))
            elif child.tag.lower() in BLOCK_TAGS - {"br", "img"} or self.holds_blocks(child):
                flush()
                lines.extend(self.cell_lines(child))
            else:
                pending.extend(self.inlines(child))
            if child.tail:
                pending.append(Text(text=child.tail, path=rel, line=self.line(element)))
        flush()
        return lines

    def table_blocks(self, element) -> list[Block]:
        """A table, after its caption; a table used only to lay out text in columns
        becomes that text's blocks, column by column."""
        out: list[Block] = []
        caption = element.find("caption")
        if caption is not None:
            out.extend(self.blocks(caption))
        if is_layout_table(element):
            for tr in rows_of(element):
                for td in tr:
                    if isinstance(td.tag, str) and td.tag.lower() in ("td", "th"):
                        out.extend(self.blocks(td))
            return out
        return out + [self.table(element)]

    def table(self, element) -> Table:
        head, rows = (), []
        for tr in rows_of(element):
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
            made = tuple(cell(self.cell_inlines(c), self.draft.path, self.line(c)) for c in cells)
            in_head = tr.getparent() is not None and tr.getparent().tag.lower() == "thead"
            if in_head and not head:
                head = made
            elif made:
                rows.append(made)
        return Table(head=head, rows=tuple(rows), path=self.draft.path, line=self.line(element))

    def stacked_table(self, element) -> Table:
        """A table laid out for narrow screens: each cell's words after its column's label."""
        head, rows = [], []
        for row in element.xpath("./div"):
            cells = []
            for part in row.xpath("./p"):
                label = part.find("strong")
                if label is None or "label" not in classes(label).split():
                    label = None
                elif not rows:
                    head.append(cell(tuple(trim(strip_colon(self.children(label)))),
                                     self.draft.path, self.line(part)))
                else:
                    self.draft.structure.append(label.text_content())
                words = trim(self.children(part, skip=label))
                cells.append(cell(tuple(words), self.draft.path, self.line(part)))
            rows.append(tuple(cells))
        return Table(head=tuple(head), rows=tuple(rows), path=self.draft.path,
                     line=self.line(element))

    def contacts(self, element) -> Contacts:
        """Our own contacts markup: a list of name, about, phone, e-mail, web and hours."""
        found = []
        rel = self.draft.path
        for item in element.xpath("./li"):
            def field(name: str, item=item) -> list:
                return item.xpath(f".//*[contains(concat(' ', @class, ' '), ' contact-{name} ')]")

            def words(node) -> str:
                label = node.xpath(".//*[contains(concat(' ', @class, ' '), ' label ')]")
                text = node.text_content()
                if label:
                    text = text.replace(label[0].text_content(), "", 1)
                    self.draft.structure.append(label[0].text_content())
                return " ".join(text.split())

            line = self.line(item)
            numbers = []
            for node in field("phone"):
                self.draft.structure.extend(label.text_content() for label in node.xpath(
                    ".//*[contains(concat(' ', @class, ' '), ' label ')]"))
                for link in node.xpath(".//a"):
                    made = phones.tel_link(Link(href=link.get("href", ""), children=(
                        Text(text=" ".join(link.text_content().split())),), path=rel, line=line),
                        self.region, lambda l, m: self.draft.warn(l or None, m))
                    if isinstance(made, Phone):
                        numbers.append(made)
            emails = [Email(address=words(n), path=rel, line=line) for n in field("email")]
            web = [n.xpath(".//a/@href") for n in field("web")]
            for node in field("web"):
                shown = words(node)
                if shown and shown != (web[0][0] if web and web[0] else ""):
                    self.draft.structure.append(shown)  # the address is the link's words
            found.append(Contact(
                name=" ".join(words(field("name")[0]).split()) if field("name") else "",
                about=self.plain(" ".join(words(n) for n in field("about")), line),
                hours=self.plain(" ".join(words(n) for n in field("hours")), line),
                phones=tuple(numbers), emails=tuple(emails),
                web=str(web[0][0]) if web and web[0] else "", path=rel, line=line))
        return Contacts(contacts=tuple(found), path=rel, line=self.line(element))

    def plain(self, words: str, line: int) -> tuple[Inline, ...]:
        from leaflet.source import parse_plain

        return parse_plain(words, self.draft.path, line, self.region) if words else ()

    def figure(self, image, caption: str) -> Figure | None:
        line = self.line(image)
        src = image.get("src", "")
        alt = " ".join((image.get("alt") or "").split())
        saved = self.picture(src, line)
        if saved is None:
            return None
        if not alt:
            self.draft.warn(line or None, f"the picture {saved} has no alt text: describe it "
                            "in the [brackets] of its line")
        return Figure(src=saved, alt=alt, caption=caption, path=self.draft.path, line=line)

    def picture(self, src: str, line: int) -> str | None:
        """Save a picture of the page into the draft; None (reported) when it cannot be."""
        if src.startswith("images/") and src in self.draft.images:
            return src  # already saved (a Word file's pictures are saved as they are read)
        if not src:
            return None
        if src.startswith("data:"):
            header, _, payload = src.partition(",")
            media = header[5:].split(";")[0]
            try:
                data = base64.b64decode(payload) if ";base64" in header else \
                    unquote(payload).encode("utf-8")
            except ValueError:
                self.draft.warn(line or None, "a picture in the page could not be decoded")
                return None
        elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//", src):
            self.draft.warn(line or None, f"the picture {src[:80]} is on the web; nothing is "
                            "downloaded: save it into the leaflet's images/ folder")
            return None
        else:
            if self.folder is None:
                return None
            target = (self.folder / unquote(src.split("?")[0])).resolve()
            if not target.is_relative_to(self.folder.resolve()) or not target.is_file():
                self.draft.warn(line or None, f"the picture {src[:80]} was not found beside "
                                "the page; add it by hand")
                return None
            if target.stat().st_size > MAX_IMAGE_BYTES:
                self.draft.warn(line or None, f"the picture {src[:80]} is over 5 MB: left out")
                return None
            media, data = MEDIA_TYPES.get(target.suffix.lower(), ""), target.read_bytes()
        if len(data) > MAX_IMAGE_BYTES:
            self.draft.warn(line or None, "a picture in the page is over 5 MB: left out")
            return None
        if media == "image/svg+xml":
            from leaflet.source import svg_problem

            why = svg_problem(data)
            if why:
                self.draft.warn(line or None, f"an SVG picture was left out: {why}")
                return None
        saved = self.draft.add_image(data, media)
        if saved is None:
            self.draft.warn(line or None, f"a picture of type '{media or 'unknown'}' cannot be "
                            "shown in a leaflet: save it as PNG or JPEG and add it by hand")
        return saved

    # inlines

    def children(self, element, skip=None) -> list[Inline]:
        out: list[Inline] = []
        line = self.line(element)
        if element.text:
            out.append(Text(text=element.text, path=self.draft.path, line=line))
        for child in element:
            if child is not skip and is_junk(child):
                self.skip(child)
            elif child is not skip:
                out.extend(self.inlines(child))
            if child.tail:
                out.append(Text(text=child.tail, path=self.draft.path, line=line))
        return out

    def inlines(self, element) -> list[Inline]:
        if not isinstance(element.tag, str):
            return []
        if is_junk(element):
            self.skip(element)
            return []
        tag, line, rel = element.tag.lower(), self.line(element), self.draft.path
        if tag == "br":
            return [LineBreak(path=rel, line=line)]
        if tag == "img":
            return []  # pictures are blocks; the paragraph keeps them after its words
        if tag in DELETED_TAGS:
            words = " ".join("".join(element.itertext()).split())
            if words:
                self.draft.strike(line, words, self.where(element) if not line else None)
            return []
        inner = self.children(element)
        if tag in STRONG_TAGS:
            return [Strong(children=tuple(unwrap_strong(inner)), path=rel, line=line)]
        if tag in EMPHASIS_TAGS:
            return [Emphasis(children=tuple(inner), path=rel, line=line)]
        if tag == "a":
            href = (element.get("href") or "").strip()
            if href.startswith("mailto:"):
                address = unquote(href[len("mailto:"):].split("?")[0])
                if emails.is_email(address):
                    return [Email(address=address, path=rel, line=line)]
            if href.startswith("tel:"):
                return [Link(href=href, children=tuple(inner), path=rel, line=line)]
            if href.startswith(("https://", "http://")):
                return [Link(href=href, children=tuple(inner), path=rel, line=line)]
        return inner


def is_furniture(element) -> bool:
    """Whether a block says nothing but what a site prints about the page itself:
    "Print this page | Download as PDF (212 KB)", "Was this page helpful? Yes No",
    share links.  Known by its wording, or by its links all being of that kind."""
    words = " ".join(element.text_content().split())
    if not words or len(words.split()) > 30:
        return False
    links = [a for a in element.iter("a") if isinstance(a.tag, str)]
    rest = words
    said = bool(FURNITURE_RE.search(rest))
    rest = FURNITURE_RE.sub(" ", rest)
    furniture_links = [a for a in links if FURNITURE_LINK_RE.search(a.get("href") or "")]
    for link in furniture_links:
        rest = rest.replace(" ".join(link.text_content().split()), " ")
    if not (said or (links and len(furniture_links) == len(links))):
        return False
    return not any(c.isalnum() for c in ANSWER_RE.sub(" ", rest))


def rows_of(table) -> list:
    """A table's own rows, not those of a table inside one of its cells."""
    return [tr for tr in table.iter("tr")
            if next((a for a in tr.iterancestors("table")), None) is table]


def is_layout_table(table) -> bool:
    """Whether a table only lays text out in columns: the page says so
    (role="presentation"), or a cell holds a heading, or a heading-like bold line with
    more paragraphs under it, or a single row's cell holds several paragraphs."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    rows = rows_of(table)
    cells = [c for tr in rows for c in tr if isinstance(c.tag, str) and c.tag.lower() in
             ("td", "th")]
    if any(c.tag.lower() == "th" for c in cells) or table.find(".//thead") is not None:
        return False  # a heading row: a table of data
    for one in cells:
        blocks = [c for c in one if isinstance(c.tag, str) and c.tag.lower() in BLOCK_TAGS]
        if any(c.tag.lower() in HEADING_TAGS for c in blocks):
            return True
        if len(blocks) >= 2 and blocks[0].tag.lower() == "p" and bold_line(blocks[0]) and \
                sum(len(b.text_content().split()) for b in blocks[1:]) >= 8:
            return True
    if len(rows) == 1 and any(len([c for c in one if isinstance(c.tag, str) and
                                   c.tag.lower() == "p"]) >= 2 for one in cells):
        return True
    return False


def bold_line(element) -> bool:
    """A paragraph all of whose words are in one <strong> or <b>."""
    children = [c for c in element if isinstance(c.tag, str)]
    words = " ".join(element.text_content().split())
    return len(children) == 1 and children[0].tag.lower() in STRONG_TAGS and bool(words) and \
        " ".join(children[0].text_content().split()) == words and \
        not (element.text or "").strip()


def summary_level(summary) -> int:
    """One level below the heading before it in the page (h2 when there is none)."""
    before = summary.xpath("preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or "
                           "self::h5 or self::h6][1]")
    return min(int(before[0].tag[1]) + 1, 6) if before else 2


def unbox(item: ListItem) -> ListItem | None:
    """A list item without the empty box typed or printed before its words (a
    checklist's), or None when it has none."""
    first = item.blocks[0] if item.blocks else None
    if not isinstance(first, Paragraph) or not first.children or \
            not isinstance(first.children[0], Text):
        return None
    text = first.children[0].text
    if not text.startswith(BOXES):
        return None
    rest = text[1:].lstrip()
    children = ((replace(first.children[0], text=rest),) if rest else ()) + \
        first.children[1:]
    if not children:
        return None
    return replace(item, blocks=(replace(first, children=children), *item.blocks[1:]))


def spaced(text: str) -> str:
    """Runs of spaces, no-break spaces and line ends as one space; word joiners
    (which keep "9:00–20:00" on one line in Word) gone."""
    return re.sub(r"[\s\u00a0]+", " ", text.replace("\u2060", ""))


def trim(nodes: list[Inline]) -> list[Inline]:
    """Whitespace collapsed to single spaces, none at the edges or around line breaks."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            node = Text(text=spaced(node.text), path=node.path, line=node.line)
        elif isinstance(node, (Strong, Emphasis, Link)):
            children = collapse(node.children)
            if not plain_text(children).strip():
                node = Text(text=" " if plain_text(children) else "", path=node.path,
                            line=node.line)
            else:
                node = type(node)(**{**node.__dict__, "children": tuple(children)})
        out.append(node)
    out = phones.merge_text(out)
    out = _strip_edges(out)
    while out and isinstance(out[0], LineBreak):
        out = _strip_edges(out[1:])
    while out and isinstance(out[-1], LineBreak):
        out = _strip_edges(out[:-1])
    return out


def collapse(nodes: tuple[Inline, ...]) -> list[Inline]:
    return [Text(text=spaced(n.text), path=n.path, line=n.line)
            if isinstance(n, Text) else n for n in nodes]


def _strip_edges(nodes: list[Inline]) -> list[Inline]:
    """No space at the start or end, nor beside a line break, inside marks too."""
    out = list(nodes)
    for index, node in enumerate(out):
        before = index == 0 or isinstance(out[index - 1], LineBreak)
        after = index == len(out) - 1 or isinstance(out[index + 1], LineBreak)
        out[index] = _strip(node, before, after)
    return [n for n in out if not (isinstance(n, Text) and not n.text)]


def _strip(node: Inline, left: bool, right: bool) -> Inline:
    if isinstance(node, Text):
        text = node.text.lstrip() if left else node.text
        return Text(text=text.rstrip() if right else text, path=node.path, line=node.line)
    if isinstance(node, (Strong, Emphasis, Link)) and node.children:
        children = list(node.children)
        children[0] = _strip(children[0], left, False) if left else children[0]
        children[-1] = _strip(children[-1], False, right) if right else children[-1]
        return type(node)(**{**node.__dict__, "children": tuple(children)})
    return node


def unwrap_strong(nodes: list[Inline]) -> list[Inline]:
    """Bold that covers all the words adds nothing (a heading, or bold inside bold)."""
    if len(nodes) == 1 and isinstance(nodes[0], Strong):
        return list(nodes[0].children)
    return nodes


def strip_colon(nodes: list[Inline]) -> list[Inline]:
    if nodes and isinstance(nodes[-1], Text):
        nodes = nodes[:-1] + [Text(text=nodes[-1].text.rstrip().rstrip(":"), path=nodes[-1].path,
                                   line=nodes[-1].line)]
    return nodes


def box_kind(words: str) -> str:
    """A text box's kind of callout, from its words: urgent when it sends the reader
    to 999 or A&E, a warning when it says it is important, else a note."""
    if URGENT_WORDS.search(words):
        return "urgent"
    if WARNING_WORDS.search(words):
        return "warning"
    return "info"


def callout_kind(element) -> str | None:
    names = classes(element)
    if element.get("role") == "note" or "callout" in names:
        for kind, pattern in CALLOUT_KINDS:
            if pattern.search(names):
                return kind
        return "info"
    return None


def strip_label(blocks: list[Block], draft: Draft) -> list[Block]:
    """Our own outputs print a callout's kind ("Note", "Warning: ") before its words:
    the kind is in the block, so the label goes."""
    if not blocks or not isinstance(blocks[0], Paragraph):
        return blocks
    first = blocks[0]
    words = plain_text(first.children).strip()
    if words in ("Note", "Warning", "Urgent"):
        draft.structure.append(words)
        return blocks[1:]
    children = list(first.children)
    if children and isinstance(children[0], Strong) and \
            plain_text(children[0].children).strip().rstrip(":") in ("Note", "Warning", "Urgent"):
        draft.structure.append(plain_text(children[0].children))
        rest = trim(children[1:])
        return ([paragraph(tuple(rest), first.path, first.line)] if rest else []) + blocks[1:]
    return blocks


