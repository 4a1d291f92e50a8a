"""Tables of names and numbers, as hospitals type them, read as contacts blocks."""

from __future__ import annotations

import re

from leaflet.model import (
    Block, Contact, Contacts, Email, Heading, Inline, LineBreak, Link, Paragraph, Phone, Strong,
    Table, Text,
    plain_text,
)

# Column headings of a contacts table, and the contact field each column fills.
COLUMN_FIELDS = (("phone", r"phone|tel|telephone|number|call"), ("email", r"e-?mail"),
                 ("web", r"web|website|online"), ("hours", r"hours|opening|open|times?|when"),
                 ("about", r"about|service|what|description|for|details|notes|help with"),
                 ("name", r"name|contact|who|team|department|ward|organisation|charity"))


def column_field(label: str) -> str | None:
    for name, pattern in COLUMN_FIELDS:
        if re.search(rf"\b(?:{pattern})\b", label, re.I):
            return name
    return None


SEPARATOR_RE = re.compile(r"[\s,/;]*(?:or|and|&)?[\s,/;]*|"
                          r"\s*(?:tel|phone|telephone|e-?mail)\.?\s*:?\s*", re.I)
# A note beside a number that says when to call it: into the contact's hours.
WHEN_RE = re.compile(r"\b(?:hours?|24/7|am|pm|noon|midnight|day|days|daily|weekdays?|weekends?|"
                     r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|"
                     r"thu|fri|sat|sun|evenings?|mornings?|afternoons?|nights?|"
                     r"bank\s+holidays?)\b|\d{1,2}[.:]\d{2}|\d{1,2}\s*(?:am|pm)", re.I)


def only(nodes: tuple[Inline, ...], kinds: tuple[type, ...]) -> list[Inline] | None:
    """The nodes of ``kinds`` in a cell holding nothing else (but separators), else None."""
    found, notes, _ = with_notes(nodes, kinds)
    return None if notes else found


def with_notes(nodes: tuple[Inline, ...], kinds: tuple[type, ...]
               ) -> tuple[list[Inline], list[str], list[str]]:
    """A number or address cell: the nodes of ``kinds``, the notes written beside them
    ("(24 hours)"), and the separators between them ("or", "Tel:")."""
    found, notes, separators = [], [], []
    for node in nodes:
        if isinstance(node, kinds) or (isinstance(node, Link) and Link in kinds):
            found.append(node)
        elif isinstance(node, LineBreak):
            continue
        elif isinstance(node, Text) and SEPARATOR_RE.fullmatch(node.text):
            separators.append(node.text)
        else:
            notes.append(plain_text((node,)))
    return found, notes, separators


def note_text(notes: list[str]) -> str:
    """Notes beside numbers as one phrase, without the brackets they were written in."""
    words = " ".join(" ".join(notes).split()).strip(" ,;-–")
    if words.startswith("(") and words.endswith(")") and words.count("(") == 1:
        words = words[1:-1].strip()
    return words


def short_codes(nodes: tuple[Inline, ...], region: str) -> tuple[list[Phone], list[str]]:
    """Short codes in a phone cell ("NHS 111"): as phone numbers, and the words around them."""
    from leaflet.source import phones as source_phones

    text = plain_text(nodes, line_break=" ")
    try:
        found = source_phones.find(text, region, short_codes="all")
    except Exception:  # a number recogniser that cannot read the text finds nothing
        return [], [text]
    numbers, rest, position = [], [], 0
    for match in found:
        numbers.append(Phone(display=match.display, tel=match.tel))
        rest.append(text[position:match.start])
        position = match.end
    rest.append(text[position:])
    return numbers, [r for r in rest if r.strip()]


def plain(parts: list[str], path: str, line: int, region: str) -> tuple[Inline, ...]:
    """A contact's about or hours: its words, numbers and addresses as the parser makes them."""
    from leaflet.source import parse_plain

    words = " ".join(p for p in parts if p)
    return parse_plain(words, path, line, region) if words else ()


# Complex by design: each test is one way a table is not contacts.
def contacts_from_table(table: Table, region: str,  # noqa: C901
                        absorbed: list[str] | None = None) -> Contacts | None:
    """A table of names and phone numbers (or e-mails) as contacts; None when any
    column or cell would not fit a contact (the table is then kept as it is).  A note
    beside a number ("(24 hours)") goes into the contact's hours, or its about; a
    short code ("NHS 111") is a number.  The words that become the block's structure
    (the column headings, "Tel:") are added to ``absorbed``."""
    structure: list[str] = []
    head = [plain_text(c.children).strip() for c in table.head]
    rows = list(table.rows)
    if not head and rows and all(not any(isinstance(n, (Phone, Email)) for n in c.children)
                                 and column_field(plain_text(c.children)) for c in rows[0]):
        head, rows = [plain_text(c.children).strip() for c in rows[0]], rows[1:]
    structure += head
    if not rows:
        return None
    columns = max(len(r) for r in rows)
    kinds = []
    for number in range(columns):
        label = head[number] if number < len(head) else ""
        kind = column_field(label) if label else None
        cells = [r[number].children for r in rows if number < len(r) and r[number].children]
        if kind in (None, "phone") and cells and \
                all(with_notes(c, (Phone,))[0] or short_codes(c, region)[0] for c in cells) and \
                any(only(c, (Phone,)) for c in cells):
            kind = "phone"
        elif kind in (None, "email") and cells and all(only(c, (Email,)) for c in cells):
            kind = "email"
        elif kind is None and number == 0:
            kind = "name"
        if kind is None or (kind == "name" and number and "name" in kinds):
            return None
        kinds.append(kind)
    if "name" not in kinds or not ({"phone", "email"} & set(kinds)):
        return None
    contacts = []
    for row in rows:
        fields: dict[str, list] = {k: [] for k in ("name", "about", "hours", "phone", "email",
                                                   "web")}
        for kind, one in zip(kinds, row, strict=False):
            if kind == "name":
                first, rest = split_first_line(one.children)
                fields["name"].append(first)
                fields["about"].append(rest)
            elif kind in ("phone", "email"):
                found, notes, separators = with_notes(
                    one.children, (Phone,) if kind == "phone" else (Email,))
                if kind == "phone" and not found:
                    found, notes = short_codes(one.children, region)
                    separators = []
                if not found and (notes or kind == "email"):
                    return None
                fields[kind].extend(found)
                structure.extend(separators)
                note = note_text(notes)
                if note:
                    fields["hours" if WHEN_RE.search(note) else "about"].append(note)
            elif kind == "web":
                links = [n.href for n in one.children if isinstance(n, Link)]
                fields["web"].append(links[0] if links else plain_text(one.children).strip())
                if links and plain_text(one.children).strip() != links[0]:
                    structure.append(plain_text(one.children))  # the link's words
            else:
                fields[kind].append(plain_text(one.children, line_break=" ").strip())
        name = " ".join(n for n in fields["name"] if n)
        if not name or not (fields["phone"] or fields["email"]):
            return None
        web = next((w for w in fields["web"] if w), "")
        if web and not web.startswith(("https://", "http://")):
            return None
        line = row[0].line if row else table.line
        contacts.append(Contact(name=name, about=plain(fields["about"], table.path, line, region),
                                hours=plain(fields["hours"], table.path, line, region),
                                phones=tuple(fields["phone"]), emails=tuple(fields["email"]),
                                web=web, path=table.path, line=line))
    if absorbed is not None:
        absorbed.extend(structure)
    return Contacts(contacts=tuple(contacts), path=table.path, line=table.line)


def split_first_line(nodes: tuple[Inline, ...]) -> tuple[str, str]:
    """A name cell: the name on its first line, what the contact is for after it."""
    for index, node in enumerate(nodes):
        if isinstance(node, LineBreak):
            return (plain_text(nodes[:index]).strip(),
                    plain_text(nodes[index + 1:], line_break=" ").strip())
    if nodes and isinstance(nodes[0], Strong) and len(nodes) > 1:
        return plain_text(nodes[:1]).strip(), plain_text(nodes[1:]).strip()
    return plain_text(nodes).strip(), ""


def contacts_from_tables(blocks: list[Block], region: str,
                         absorbed: list[str] | None = None) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        made = contacts_from_table(block, region, absorbed) if isinstance(block, Table) \
            else None
        out.append(made or block)
    return out


# Contact cards: a name on a line of its own (a heading or a bold line), what the
# service is for, then labelled lines ("Phone: 0191 445 2180", "Opening hours: ...").
CARD_LABEL_RE = re.compile(r"^\s*([^\W\d_][^\W\d_ -]*(?:[ -][^\W\d_]+){0,2})\s*:\s*")
CARD_FIELDS = ("phone", "email", "web", "hours")


def card_line(block: Block) -> tuple[str, str, tuple[Inline, ...]] | None:
    """A card's labelled line: its field, its label's words and the nodes after them."""
    if not isinstance(block, Paragraph) or not block.children or \
            not isinstance(block.children[0], Text):
        return None
    first = block.children[0]
    match = CARD_LABEL_RE.match(first.text)
    field = column_field(match.group(1)) if match else None
    if field not in CARD_FIELDS:
        return None
    rest = first.text[match.end():]
    nodes = ((Text(text=rest, path=first.path, line=first.line),) if rest.strip() else ()) + \
        tuple(block.children[1:])
    if field == "phone":
        found = only(nodes, (Phone,))
    elif field == "email":
        found = only(nodes, (Email,))
    elif field == "web":
        found = only(nodes, (Link,))
        found = found if found and len(found) == 1 and found[0].href.startswith(
            ("https://", "http://")) else None
    else:
        found = list(nodes)
    if not found:
        return None
    return field, match.group(1), tuple(found)


def card_name(block: Block) -> str:
    if isinstance(block, Heading) and block.level > 1:
        return " ".join(plain_text(block.children).split())
    if isinstance(block, Paragraph) and len(block.children) == 1 and \
            isinstance(block.children[0], Strong):
        return " ".join(plain_text(block.children).split())
    return ""


def contact_card(blocks: list[Block], start: int) -> tuple[Contact, int, list[str]] | None:
    """The card starting at ``blocks[start]``: the contact, where the next block is,
    and the labels' words (which the contact's structure stands for)."""
    name = card_name(blocks[start])
    if not name:
        return None
    index, about = start + 1, ()
    if index < len(blocks) and isinstance(blocks[index], Paragraph) and \
            card_line(blocks[index]) is None and not card_name(blocks[index]):
        about = blocks[index].children
        index += 1
    fields: dict[str, list] = {field: [] for field in CARD_FIELDS}
    labels: list[str] = []
    while index < len(blocks) and (line := card_line(blocks[index])) is not None:
        field, label, nodes = line
        if field in ("web", "hours") and fields[field]:
            break
        fields[field].extend(nodes)
        labels.append(label)
        index += 1
    if not fields["phone"] and not fields["email"]:
        return None
    contact = Contact(name=name, about=tuple(about), hours=tuple(fields["hours"]),
                      phones=tuple(fields["phone"]), emails=tuple(fields["email"]),
                      web=fields["web"][0].href if fields["web"] else "",
                      path=blocks[start].path, line=blocks[start].line)
    return contact, index, labels


def contacts_from_cards(blocks: list[Block], absorbed: list[str] | None = None) -> list[Block]:
    """Contact cards one after another as one contacts block."""
    out: list[Block] = []
    index = 0
    while index < len(blocks):
        cards: list[Contact] = []
        while index < len(blocks) and (card := contact_card(blocks, index)) is not None:
            contact, index, labels = card
            cards.append(contact)
            if absorbed is not None:
                absorbed.extend(labels)
        if cards:
            out.append(Contacts(contacts=tuple(cards), path=cards[0].path, line=cards[0].line))
            continue
        out.append(blocks[index])
        index += 1
    return out
