"""Tables of names and numbers, as hospitals type them, read as contacts blocks."""

from __future__ import annotations

import re

from leaflet.model import (
    Block, Contact, Contacts, Email, Inline, LineBreak, Link, Phone, Strong, Table, Text,
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


def only(nodes: tuple[Inline, ...], kinds: tuple[type, ...]) -> list[Inline] | None:
    """The nodes of ``kinds`` in a cell holding nothing else (but separators), else None."""
    found = []
    for node in nodes:
        if isinstance(node, kinds):
            found.append(node)
        elif isinstance(node, Link) and Link in kinds:
            found.append(node)
        elif isinstance(node, LineBreak):
            continue
        elif isinstance(node, Text) and re.fullmatch(r"[\s,/;]*(?:or|and|&)?[\s,/;]*|"
                                                   r"\s*(?:tel|phone|telephone)\.?\s*:?\s*",
                                                   node.text, re.I):
            continue
        else:
            return None
    return found


def plain(parts: list[str], path: str, line: int, region: str) -> tuple[Inline, ...]:
    """A contact's about or hours: its words, numbers and addresses as the parser makes them."""
    from leaflet.source import parse_plain

    words = " ".join(p for p in parts if p)
    return parse_plain(words, path, line, region) if words else ()


# Complex by design: each test is one way a table is not contacts.
def contacts_from_table(table: Table, region: str) -> Contacts | None:  # noqa: C901
    """A table of names and phone numbers (or e-mails) as contacts; None when any
    column or cell would not fit a contact (the table is then kept as it is)."""
    head = [plain_text(c.children).strip() for c in table.head]
    rows = list(table.rows)
    if not head and rows and all(not any(isinstance(n, (Phone, Email)) for n in c.children)
                                 and column_field(plain_text(c.children)) for c in rows[0]):
        head, rows = [plain_text(c.children).strip() for c in rows[0]], rows[1:]
    if not rows:
        return None
    columns = max(len(r) for r in rows)
    kinds = []
    for number in range(columns):
        label = head[number] if number < len(head) else ""
        kind = column_field(label) if label else None
        cells = [r[number].children for r in rows if number < len(r) and r[number].children]
        if kind in (None, "phone") and cells and all(only(c, (Phone,)) for c in cells):
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
                found = only(one.children, (Phone,) if kind == "phone" else (Email,))
                if found is None:
                    return None
                fields[kind].extend(found)
            elif kind == "web":
                links = [n.href for n in one.children if isinstance(n, Link)]
                fields["web"].append(links[0] if links else plain_text(one.children).strip())
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


def contacts_from_tables(blocks: list[Block], region: str) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        made = contacts_from_table(block, region) if isinstance(block, Table) else None
        out.append(made or block)
    return out
