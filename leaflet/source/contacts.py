"""A ``::: contacts`` block: a YAML list of people and services, each with a way to reach them."""

from __future__ import annotations

import re

import yaml

from .. import yamlsafe
from ..errors import LeafletError
from ..model import Contact, Contacts, Email
from . import emails as email_addresses
from .inlines import Reading, parse_plain, phone

CONTACT_FIELDS = ("name", "about", "hours", "phone", "text", "textphone", "email", "web",
                  "region")
# The fields that hold numbers, and what each number is for (``Phone.kind``).
NUMBER_FIELDS = (("phone", "call"), ("text", "text"), ("textphone", "textphone"))
WAYS = "a 'phone:', 'text:', 'textphone:', 'email:' or 'web:' (a website alone will do)"


def contacts(reading: Reading, lines: list[str], first_line: int) -> Contacts:
    """The block whose ``:::`` line is ``first_line``; ``lines`` are the lines inside it."""
    rel = reading.rel
    node = yamlsafe.compose("\n".join(lines), rel, first_line + 1)
    if not isinstance(node, yaml.SequenceNode):
        raise LeafletError(rel, first_line, "a '::: contacts' block holds a list of "
                           "contacts, each starting '- name:'")
    found = []
    for item in node.value:
        line = first_line + 1 + item.start_mark.line
        if not isinstance(item, yaml.MappingNode):
            reading.problems.error(rel, line, f"each contact needs 'name:' and {WAYS}")
            continue
        found.append(contact(reading, item, line, first_line + 1))
    if not found:
        reading.problems.error(rel, first_line, "the '::: contacts' block is empty")
    return Contacts(contacts=tuple(c for c in found if c), path=rel, line=first_line)


def _fields(reading: Reading, item: yaml.MappingNode, first: int) -> dict[str, tuple[list[str], int]]:
    """A contact's fields as (values, line); a field may be one value or a list."""
    fields: dict[str, tuple[list[str], int]] = {}
    for key_node, value_node in item.value:
        key = str(key_node.value)
        key_line = first + key_node.start_mark.line
        if isinstance(value_node, yaml.SequenceNode):
            values = [str(v.value).strip() for v in value_node.value
                      if isinstance(v, yaml.ScalarNode)]
        elif isinstance(value_node, yaml.ScalarNode):
            values = [str(value_node.value).strip()]
        else:
            reading.problems.error(reading.rel, key_line, f"contact field '{key}' must be text")
            continue
        fields[key] = ([v for v in values if v], key_line)
    for key, (_, key_line) in fields.items():
        if key not in CONTACT_FIELDS:
            reading.problems.error(reading.rel, key_line, f"unknown contact field '{key}' "
                                   f"(known fields: {', '.join(CONTACT_FIELDS)})")
    return fields


def contact(reading: Reading, item: yaml.MappingNode, line: int, first: int) -> Contact | None:
    rel, problems = reading.rel, reading.problems
    fields = _fields(reading, item, first)

    def one(key: str) -> str:
        return " ".join(fields.get(key, ([], 0))[0])

    name = one("name")
    if not name:
        problems.error(rel, line, "this contact has no 'name:'")
        return None
    region = (one("region") or reading.region).upper()
    phones = []
    raw_phones = []
    for key, use in NUMBER_FIELDS:
        raw_numbers, number_line = fields.get(key, ([], line))
        raw_phones += raw_numbers
        for raw in raw_numbers:
            number = phone(reading, raw, number_line, region, use)
            if number:
                phones.append(number)
    emails = []
    raw_emails, email_line = fields.get("email", ([], line))
    for raw in raw_emails:
        if email_addresses.is_email(raw):
            emails.append(Email(address=raw, path=rel, line=email_line))
        else:
            problems.error(rel, email_line, f"'{raw}' is not an e-mail address")
    web = one("web")
    if web and not web.startswith(("https://", "http://")):
        problems.error(rel, fields["web"][1], f"'{web}' is not a web address "
                       "(it should start https://)")
    if not raw_phones and not raw_emails and not web:
        problems.error(rel, line, f'contact "{name}" has no phone or e-mail: give it {WAYS}')
    for key in ("name", "about", "hours"):
        if key in fields and "<" in one(key) and re.search(r"<[A-Za-z/!]", one(key)):
            problems.error(rel, fields[key][1], "HTML is not allowed in a leaflet")
    def text(key: str) -> tuple:
        return parse_plain(one(key), rel, fields.get(key, ([], line))[1], reading.region,
                           problems)

    return Contact(name=name, about=text("about"), hours=text("hours"), phones=tuple(phones),
                   emails=tuple(emails), web=web, path=rel, line=line)
