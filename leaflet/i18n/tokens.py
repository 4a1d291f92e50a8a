"""Protected tokens: what a translation must copy exactly and in order (phone numbers,
emergency and other short numbers, e-mail and web addresses, link targets, bold phrases),
the amounts it must keep (doses, durations, counts), and the numbers a reviewer should
compare.

A wrong digit in a phone number in a medical leaflet sends a patient nowhere, and a
dose that changed harms them, so those are errors; a bare number that looks different
after translation may be right ("8pm" can become "20:00"), so that is a warning.  Some
errors a reviewer may accept for one message (two numbers whose order is right in the
translation's word order, a dose written in words the data file does not know): the
reviewer's acceptance is recorded in ``reviews.yaml`` by ``leaflet review --accept`` for
that msgstr and those values, and the error comes back as a warning.  A translator's
``#, leaflet-accept`` flag accepts nothing: it only asks the reviewer to look.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from markdown_it import MarkdownIt

from .. import characters
from ..source import phones
# one recogniser per kind for the whole tool: what the source links is what a translation
# keeps
from ..source import emails as email_addresses
from ..source.inlines import WEB_RE
from . import amounts as amount_rules
from . import structure
from .amounts import Amount, amounts, described

URL_RE = WEB_RE
LINK_TARGET_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
TRAILING_PUNCTUATION = ".,;:!?。、，．！？：；\u061f\u060c\u0964"
ACCEPT_FLAG = "leaflet-accept"  # a translator's request to the reviewer, never an acceptance
NO_TABLE = "und"  # a language the units file has no table for: only the symbols count

# Overrides and embeddings reorder what they enclose: never needed, since the writers
# keep numbers and addresses left-to-right themselves.  Isolates and marks are ordinary
# in right-to-left text, but not in or beside a token, where they move its digits.
BIDI_OVERRIDES = "\u202a\u202b\u202c\u202d\u202e"
BIDI_MARKS = "\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
BIDI_CONTROLS = BIDI_OVERRIDES + BIDI_MARKS

_MD = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Finding:
    """One difference between a msgid and its msgstr; ``warning`` for the reviewer only;
    ``acceptable`` when a reviewer may accept it for the message, ``rule`` and ``values``
    (the source's and the translation's, as written) being what an acceptance records."""

    message: str
    warning: bool = False
    acceptable: bool = False
    rule: str = ""
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Token:
    """A protected token found in a text: its kind, as written, what must match (``same``:
    how it is written, spaces aside) and what pairs a change (``key``: E.164...)."""

    kind: str
    written: str
    same: str
    key: str
    start: int
    end: int


def _spaces(text: str) -> str:
    return " ".join(text.split())


def phone_tokens(text: str, region: str = "GB", source: str | None = None) -> list[Token]:
    """The phone numbers of a text, short codes (999, 111, 116 123) included.  In a msgid
    a short code counts after a dialling word ("call 999"); in a msgstr (``source`` is its
    msgid), whose words are not English, every short code standing as a word counts,
    unless it is an amount ("112 mg") or a plain number the msgid has too."""
    found = []
    mode = "cued" if source is None else "all"
    plain = set()
    source_keys = set()
    if source is not None:
        source_keys = {t.key for t in phone_tokens(source, region)}
        plain = {a.value for a in amounts(_blank(source, phone_tokens(source, region)), NO_TABLE)}
    for match in phones.find(text, region, short_codes=mode):
        if match.kind == "short":
            key = amount_rules.normalise_digits(match.key)
            if source is not None and key not in source_keys:
                unit, _end = amount_rules.unit_after(text, match.end, NO_TABLE)
                if unit or key in plain:
                    continue
            emergency = phones.is_emergency(key, region)
            found.append(Token("emergency number" if emergency else "phone number", match.raw,
                               key, key, match.start, match.end))
        else:
            found.append(Token("phone number", match.raw, _spaces(match.raw), match.key,
                               match.start, match.end))
    return found


def emails(text: str) -> list[str]:
    return email_addresses.addresses(text)


def _email_tokens(text: str) -> list[Token]:
    return [Token("e-mail address", address, address, address.lower(), start, end)
            for start, end, address in email_addresses.find(text)]


def _url_tokens(text: str) -> list[Token]:
    without_targets = LINK_TARGET_RE.sub(lambda m: " " * len(m.group()), text)
    found = []
    for match in URL_RE.finditer(without_targets):
        url = match.group().rstrip(TRAILING_PUNCTUATION)
        found.append(Token("web address", url, url, url, match.start(), match.start() + len(url)))
    return found


def urls(text: str) -> list[str]:
    """Web addresses written out in a text (not link targets), without a closing full stop."""
    return [t.written for t in _url_tokens(text)]


def link_targets(text: str) -> list[str]:
    """The targets of Markdown links ``[words](target)``."""
    targets = []
    for token in _MD.parseInline(text):
        for child in token.children or []:
            if child.type == "link_open":
                targets.append(str(child.attrs.get("href", "")))
    return targets


def strong_phrases(text: str) -> list[str]:
    """The text of each bold phrase (``**...**`` or ``__...__``) Markdown sees, in order."""
    phrases, depth, current = [], 0, []
    for token in _MD.parseInline(text):
        for child in token.children or []:
            if child.type == "strong_open":
                depth += 1
                current = [] if depth == 1 else current
            elif child.type == "strong_close":
                depth -= 1
                if depth == 0:
                    phrases.append("".join(current))
            elif depth:
                current.append(child.content)
    return phrases


def strong_spans(text: str) -> int:
    """How many bold phrases Markdown sees in a text."""
    return len(strong_phrases(text))


normalise_digits = amount_rules.normalise_digits


def tokens(text: str, region: str = "GB", source: str | None = None) -> list[Token]:
    """Every protected token of a text, in order."""
    found = [*phone_tokens(text, region, source), *_email_tokens(text), *_url_tokens(text)]
    found.sort(key=lambda t: t.start)
    kept, end = [], -1
    for token in found:  # a number inside an address is the address's
        if token.start >= end:
            kept.append(token)
            end = token.end
    return kept


def _blank(text: str, found: list[Token]) -> str:
    """The text with its tokens and link targets blanked, offsets kept."""
    for token in found:
        text = text[:token.start] + " " * (token.end - token.start) + text[token.end:]
    return LINK_TARGET_RE.sub(lambda m: " " * len(m.group()), text)


def _without_bidi(text: str) -> tuple[str, list[int]]:
    """The text without bidi controls, and each kept character's offset in the text."""
    kept = [(i, c) for i, c in enumerate(text) if c not in BIDI_CONTROLS]
    return "".join(c for _i, c in kept), [i for i, _c in kept]


def _bidi_findings(msgstr: str, region: str, msgid: str) -> tuple[str, list[Finding]]:
    """Bidi controls that could reorder a token, and the msgstr without them."""
    found = []  # overrides anywhere are refused when the catalog is read (catalogs.py)
    clean, offsets = _without_bidi(msgstr)
    if clean == msgstr:
        return clean, found
    for token in tokens(clean, region, msgid):
        start = offsets[token.start] if token.start < len(offsets) else len(msgstr)
        end = offsets[token.end - 1] + 1 if token.end else start
        while start > 0 and (msgstr[start - 1] in BIDI_CONTROLS or msgstr[start - 1] == " "):
            start -= 1
        while end < len(msgstr) and (msgstr[end] in BIDI_CONTROLS or msgstr[end] == " "):
            end += 1
        near = sorted(set(msgstr[start:end]) & set(BIDI_MARKS))
        for char in near:
            found.append(Finding(f"the {token.kind} {token.written} has a hidden {_name(char)} "
                                 "character in or beside it, which can change the order its "
                                 "digits are shown in; delete it"))
    return clean, found


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'CONTROL').title()}"


def compare(msgid: str, msgstr: str, region: str = "GB", source: str = "the source text",
            source_lang: str = "en", lang: str = "") -> list[Finding]:
    """Everything wrong with a msgstr against its msgid, errors before warnings; ``source``
    names the msgid's language in messages ("the English")."""
    # what prints: "&#x202E;" is a right-to-left override, "&rlm;" a mark
    msgid, msgstr = characters.decode_references(msgid), characters.decode_references(msgstr)
    msgstr, found = _bidi_findings(msgstr, region, msgid)
    source_tokens, translated_tokens = tokens(msgid, region), tokens(msgstr, region, msgid)
    for kinds in (("phone number", "emergency number"), ("e-mail address",), ("web address",)):
        found += _protected([t for t in source_tokens if t.kind in kinds],
                            [t for t in translated_tokens if t.kind in kinds], source)
    found += _links(msgid, msgstr)
    found += _bold(msgid, msgstr, region)
    found += [Finding(message) for message in structure.block_findings(msgid, msgstr, source)]
    sentences = structure.sentence_finding(msgid, msgstr, source_lang, lang, source)
    if sentences:
        found.append(Finding(sentences, warning=True))
    source_phrases, translated_phrases = strong_phrases(msgid), strong_phrases(msgstr)
    if len(source_phrases) == len(translated_phrases):
        found += [Finding(message, warning=True) for message in
                  structure.negation_findings(source_phrases, translated_phrases,
                                              source_lang, lang)]
    found += _amounts(_blank(msgid, source_tokens), _blank(msgstr, translated_tokens),
                      source, source_lang, lang)
    return sorted(found, key=lambda f: f.warning)


def _protected(source_tokens: list[Token], translated_tokens: list[Token],
               source: str) -> list[Finding]:
    """Tokens of one kind in the msgid against the msgstr's: each must be there as it is
    written (spaces aside), none added, and in the same order.  The key (E.164 for a
    phone number) pairs a missing token with the one that replaced it."""
    missing = list(source_tokens)
    extra = []
    for token in translated_tokens:
        same = next((i for i, s in enumerate(missing) if s.same == token.same), None)
        if same is None:
            extra.append(token)
        else:
            del missing[same]
    found = []
    for token in missing:
        advice = " (copy it exactly as it is written)" if "number" in token.kind else ""
        instead = next((t for t in extra if t.key == token.key), None) or \
            (extra[0] if extra else None)
        if instead is not None:
            extra.remove(instead)
            found.append(Finding(f"{token.kind} {token.written} is missing from the translation, "
                                 f"which has {instead.written} instead{advice}"))
        else:
            found.append(Finding(f"{token.kind} {token.written} is missing from the "
                                 f"translation{advice}"))
    for token in extra:
        found.append(Finding(f"the translation has {_article(token.kind)} {token.kind}, "
                             f"{token.written}, that {source} does not"))
    if not found and [t.same for t in source_tokens] != [t.same for t in translated_tokens]:
        kind = source_tokens[0].kind.replace("emergency", "phone")
        found.append(Finding(
            f"the {kind}s are in a different order: {source} has "
            f"{', then '.join(t.written for t in source_tokens)}; the translation has "
            f"{', then '.join(t.written for t in translated_tokens)} (each must stay with "
            "what it is for; if the order is right, the reviewer accepts it with "
            "'leaflet review --accept LINE')", acceptable=True, rule="order",
            values=(", ".join(t.written for t in source_tokens),
                    ", ".join(t.written for t in translated_tokens))))
    return found


def _punctuation(char: str) -> bool:
    """Punctuation as CommonMark reads it beside a delimiter: Unicode P and S."""
    return unicodedata.category(char)[0] in "PS"


def unflanked_markers(text: str) -> list[str]:
    """Why Markdown sees no bold where ** markers are written: CommonMark opens a bold
    only where the ** is not followed by punctuation unless it also follows a space or
    punctuation, and closes one only in the mirror case, so "。**把" cannot close a bold
    in Chinese, where no space comes after 。."""
    why = []
    runs = list(re.finditer(r"\*\*+|__+", text))
    for index, run in enumerate(runs):
        before = text[run.start() - 1] if run.start() else " "
        after = text[run.end()] if run.end() < len(text) else " "
        opening = index % 2 == 0
        near, other = (after, before) if opening else (before, after)
        if not _punctuation(near) or other.isspace() or _punctuation(other):
            continue
        marker = run.group()
        if opening:
            why.append(f"Markdown cannot start bold at \"{before}{marker}{after}\", where "
                       f"{marker} comes after a letter and before the punctuation {after}: "
                       f"put {marker} after {after} ({after}{marker}...)")
        else:
            why.append(f"Markdown cannot end bold at \"{before}{marker}{after}\", where "
                       f"{marker} comes after the punctuation {before} and before a letter: "
                       f"put {marker} before {before} (...{marker}{before})")
    return why


def _links(msgid: str, msgstr: str) -> list[Finding]:
    found = []
    source_targets, translated_targets = Counter(link_targets(msgid)), Counter(link_targets(msgstr))
    for target in source_targets - translated_targets:
        if re.search(r"[］\]]\s*（\s*" + re.escape(target), msgstr):
            found.append(Finding(f"link target {target} is missing from the translation: "
                                 "Markdown makes a link only of [words](target) written with "
                                 "ASCII brackets, not full-width ［］（）"))
            continue
        found.append(Finding(f"link target {target} is missing from the translation "
                             "(keep [words](target) with the target unchanged)"))
    for target in translated_targets - source_targets:
        found.append(Finding(f"link target {target} is not in the source text"))
    # a target Markdown will not link (javascript:, data:) would print as written
    written = set(LINK_TARGET_RE.findall(msgstr)) - set(LINK_TARGET_RE.findall(msgid))
    for target in sorted(written - set(translated_targets)):
        found.append(Finding(f"link target {target} is not in the source text"))
    return found


def _bold(msgid: str, msgstr: str, region: str) -> list[Finding]:
    if msgstr.count("**") % 2 or msgstr.count("__") % 2:
        return [Finding("bold markers ** are unbalanced in the translation "
                        "(each **bold phrase** needs an opening and a closing **)")]
    source_phrases, translated_phrases = strong_phrases(msgid), strong_phrases(msgstr)
    if len(source_phrases) != len(translated_phrases):
        return [Finding(f"the source text has {len(source_phrases)} bold phrase(s) "
                        f"(**...**) but the translation has {len(translated_phrases)}"
                        + "".join(f"; {why}" for why in unflanked_markers(msgstr)))]
    found = []
    for source_phrase, translated_phrase in zip(source_phrases, translated_phrases, strict=True):
        if not any(_essentials(source_phrase, region, clock=clock)
                   == _essentials(translated_phrase, region, msgid, clock=clock)
                   for clock in (False, True)):
            found.append(Finding(f"the bold phrase **{source_phrase}** is **{translated_phrase}** "
                                 "in the translation, which does not hold the same numbers: "
                                 "keep the bold on the words that match"))
    return found


def _essentials(text: str, region: str, msgid: str | None = None,
                clock: bool = False) -> list[str]:
    """The tokens and numbers of a phrase, digits normalised, in order."""
    found = tokens(text, region, msgid)
    return [t.key for t in found] + [a.value for a in amounts(_blank(text, found), NO_TABLE,
                                                              clock=clock)]


def _amounts(msgid: str, msgstr: str, source: str, source_lang: str,
             lang: str) -> list[Finding]:
    """Doses, durations and counts (a number with a unit) compared as a multiset (the same
    values and units, in any order, since word order differs between languages): errors
    a reviewer may accept; then every number, as a warning when both ways of counting
    (as written, and with times of day as 24-hour) see a difference, or an order change.
    A translation identical to its source has nothing to compare."""
    if msgid.strip() == msgstr.strip():
        return []
    known = amount_rules.has_words(lang) if lang else False
    units_in = source_lang if known else NO_TABLE
    translated_in = lang if known else NO_TABLE
    source_all = amounts(msgid, units_in)
    source_clock = amounts(msgid, units_in, clock=True)
    translated_all = _as_times(amounts(msgstr, translated_in), source_all, source_clock)
    translated_clock = _as_times(amounts(msgstr, translated_in, clock=True), source_all,
                                 source_clock)
    # a language whose counting words are not known cannot be held to "twice"
    counted = not lang or amount_rules.has_counts(lang) or not known
    source_units = [a for a in source_all if a.unit and (counted or a.unit != amount_rules.TIMES)]
    translated_units = [a for a in translated_all
                        if a.unit and (counted or a.unit != amount_rules.TIMES)]
    found = _unit_findings(source_units, translated_units, source)
    plain = [[a.value for a in source_all], [a.value for a in translated_all]]
    clock = [[a.value for a in source_clock], [a.value for a in translated_clock]]
    if found:  # the amounts that changed are the reviewer's first concern
        return found
    if Counter(plain[0]) == Counter(plain[1]) or Counter(clock[0]) == Counter(clock[1]):
        order = plain if Counter(plain[0]) == Counter(plain[1]) else clock
        if order[0] != order[1]:
            found.append(Finding(f"check the numbers: they are in a different order ({source} "
                                 f"has {', '.join(order[0])}; the translation "
                                 f"{', '.join(order[1])})", warning=True))
        return found
    source_values, translated_values = Counter(plain[0]), Counter(plain[1])
    if set(clock[0]) - set(plain[0]):  # times of day: compare them as 24-hour times
        source_values, translated_values = Counter(clock[0]), Counter(clock[1])
    missing = sorted((source_values - translated_values).elements(), key=_numeric)
    extra = sorted((translated_values - source_values).elements(), key=_numeric)
    parts = []
    if missing:
        parts.append(f"{', '.join(missing)} in the source text but not in the translation")
    if extra:
        parts.append(f"{', '.join(extra)} in the translation but not in the source text")
    found.append(Finding(f"check the numbers: {'; '.join(parts)}", warning=True))
    return found


def _as_times(translated: list[Amount], source: list[Amount],
              source_clock: list[Amount]) -> list[Amount]:
    """A translation's hours read as the source's times of day, where the source has
    that time and fewer durations, times or bare numbers of that value than the
    translation: "18 h" (how French and others write the hour of a time), and the
    12-hour clock a language writes without "pm" ("5 ሰዓት", "5 giờ", "5:00" or "5" for
    17:00).  An hour that is no source time's ("6 ሰዓት" for 17:00) stays what it was."""
    def kind(amount: Amount) -> str:
        return amount.unit or (":" if ":" in amount.value else "")

    kept = {"hour": Counter(a.value for a in source if a.unit == "hour")}
    for amount in source_clock:
        if kind(amount) in (":", ""):
            kept.setdefault(kind(amount), Counter())[amount.value] += 1
    spare = Counter(kept.get(":", Counter()))  # the source's times not yet written
    beyond = {name: Counter(a.value for a in translated if kind(a) == name)
              - kept.get(name, Counter()) for name in ("hour", ":", "")}
    out = []
    for amount in translated:
        hour, minutes = _clock(amount)
        if kind(amount) == ":" and spare[amount.value] > 0:
            spare[amount.value] -= 1  # the source's time as it is written
        elif hour is not None and beyond[kind(amount)][amount.value] > 0:
            time = _source_time(hour, minutes, spare)
            if time is not None:
                spare[time] -= 1
                beyond[kind(amount)][amount.value] -= 1
                amount = Amount(amount.written, time, "", amount.start)
        out.append(amount)
    return out


def _clock(amount: Amount) -> tuple[int | None, str]:
    """The hour and minutes an amount may be as a time of day: an hour ("18 h"), a time
    ("5:00") or a bare whole number; (None, "") for anything else."""
    if amount.unit == "hour" and amount.value.isdigit():
        return int(amount.value), "00"
    if amount.unit:
        return None, ""
    if re.fullmatch(r"\d{1,2}:\d{2}", amount.value):
        hour, minutes = amount.value.split(":")
        return int(hour), minutes
    if amount.value.isdigit():
        return int(amount.value), "00"
    return None, ""


def _source_time(hour: int, minutes: str, spare: Counter) -> str | None:
    """The source's time of day an hour written in a translation is: the same, or the
    same on the 12-hour clock (5 for 17:00, 12 for 0:00)."""
    if hour > 24:
        return None
    if spare[f"{hour}:{minutes}"] > 0:
        return f"{hour}:{minutes}"
    for time, left in spare.items():
        source_hour, source_minutes = time.split(":")
        if left > 0 and source_minutes == minutes and 1 <= hour <= 12 and \
                int(source_hour) % 12 == hour % 12:
            return time
    return None


def _unit_findings(source_units: list[Amount], translated_units: list[Amount],
                   source: str) -> list[Finding]:
    """The amounts each side has that the other lacks, as a multiset: the same values
    and units in another order are right (a warning about the order comes later), except
    that amounts of one unit keep their order among themselves: "8 tablets in 24 hours,
    4 hours apart" with its hours swapped says something else."""
    def key(a: Amount) -> tuple[str, str]:
        return (a.value, a.unit)

    advice = (" (a dose, duration or count must keep its number and unit; if the translation "
              "is right, the reviewer accepts it with 'leaflet review --accept LINE')")
    if Counter(map(key, source_units)) == Counter(map(key, translated_units)):
        swapped = []
        for unit in dict.fromkeys(a.unit for a in source_units):
            pairs = zip([a for a in source_units if a.unit == unit],
                        [b for b in translated_units if b.unit == unit], strict=True)
            swapped += [(a, b) for a, b in pairs if a.value != b.value]
        return [Finding(f"the amount {described(a)} is {described(b)} in the translation "
                        f"(amounts of one unit must keep their order){advice}",
                        acceptable=True, rule="amount", values=(described(a), described(b)))
                for a, b in swapped]
    missing = list(source_units)
    extra = []
    for amount in translated_units:
        match = next((i for i, a in enumerate(missing) if key(a) == key(amount)), None)
        if match is None:
            extra.append(amount)
        else:
            del missing[match]
    found = []
    # a changed amount is named with what replaced it: the same unit, else the same place
    for amount in list(missing):
        instead = next((b for b in extra if b.unit == amount.unit), None)
        if instead is None and len(missing) == len(extra):
            instead = extra[0] if extra else None
        if instead is not None:
            missing.remove(amount)
            extra.remove(instead)
            found.append(Finding(f"the amount {described(amount)} is {described(instead)} in "
                                 f"the translation{advice}", acceptable=True, rule="amount",
                                 values=(described(amount), described(instead))))
    for amount in missing:
        found.append(Finding(f"the amount {described(amount)} is missing from the "
                             f"translation{advice}", acceptable=True, rule="amount",
                             values=(described(amount), "")))
    for amount in extra:
        found.append(Finding(f"the translation has an amount, {described(amount)}, that "
                             f"{source} does not{advice}", acceptable=True, rule="amount",
                             values=("", described(amount))))
    return found


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _numeric(value: str) -> tuple[float, str]:
    try:
        return (float(value.split(":")[0]), value)
    except ValueError:
        return (0.0, value)


def notes(msgid: str, region: str = "GB", lang: str = "en") -> list[str]:
    """Reminders for translators about what to keep as it is."""
    out = []
    found = tokens(msgid, region)
    for token in found:
        if token.kind == "emergency number":
            out.append(f"Keep the emergency number {token.written} exactly as it is.")
        else:
            out.append(f"Keep the {token.kind} {token.written} exactly as it is.")
    if link_targets(msgid):
        out.append("Keep each link's target, in (brackets) after [the words], unchanged.")
    if strong_spans(msgid):
        out.append("Keep **bold** around the words that match the bold words here.")
    with_units = [a for a in amounts(_blank(msgid, found), lang) if a.unit]
    if with_units:
        out.append(f"Keep the amounts {', '.join(described(a) for a in with_units)} with the same "
                   "numbers and units, in the same order.")
    return out
