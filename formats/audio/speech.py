"""Spoken forms: what the voice is given for a leaflet's numbers, addresses and abbreviations.

A voice left to itself reads "0191 445 2180" as a large number, "5 mg" as
"five em gee" and "NHS" however its dictionary guesses.  Every rule here turns
printed text into plain words before the voice sees it.  Phone numbers, e-mail and web
addresses are the source's nodes (``leaflet.source``): they are said by what they are
(a number digit by digit in its printed groups, an address by its parts), and nothing
here looks for them in text again; words the model holds as plain strings (a title, a
caption) are read by the source's own recognisers first.  What CLDR knows comes from
CLDR for every language: a unit is found by the ways CLDR writes it (and the spellings
CLDR lacks, "mcg" or "ملغ", from the units table, ``leaflet/data/units.yaml``) and said
by its long name (CLDR's long pattern, "5 миллиграмм"; "mg/ml" by CLDR's words for
"per"), a date in the language's long format.  Phone numbers, short codes such as
999 and 111, and codes are handed to the voice digit by digit, each digit a word of its
own, so every voice says them in its own language.  What CLDR cannot give (the words
for the digits where the voice's own are not the ones people say, English's "oh";
abbreviations; times said as ordinals; a unit's name where CLDR's is not right for the
voice) is data per language (``speech/<lang>.yaml``), merged with the library's own
words (``theme/lexicon.yaml``), so a language is added or corrected without code and
the text given to the voice can be tested word for word.

Text is worked on as pieces, each either still as printed or already spoken:
a rule only ever rewrites printed pieces, so one rule's output ("N H S") is never
taken apart again by the next.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import re
import unicodedata
from dataclasses import replace
from typing import Callable, Iterable, Iterator

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    NumberFormatError, format_decimal, get_currency_name, get_currency_symbol,
    get_group_symbol,
)

from leaflet import langs
from leaflet.i18n import amounts
from leaflet.model import (
    Inline, InlineVisitor, Link, Phone, phone_parts, plain_text, shows_address, visit_inlines,
)
from leaflet.source import phones, recognise

from ..typography import script
from .rules import Rules, language_rules

ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
FIGURE_DATE_RE = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\d/])")
NUMBER = r"\d+(?:[.,]\d+)?"
SPACES = "[ \u00a0\u202f]"
DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")
# A code such as a leaflet's own ("ENDO-031A", "ONC-012"): capitals, then a group that
# starts with a digit.  Said letter by letter and digit by digit.
CODE_RE = re.compile(r"(?<![\w-])[A-Z]{2,}(?:-[A-Z]+)*-\d[\dA-Z]{2,}(?![\w-])")
# Ways an extension is written before its digits ("ext. 2291", "x3346"), said as the
# language's word for it.
EXTENSION_WORDS = ("x", "ext", "extn", "ex", "wew")
# The currencies a price is written in, by symbol or code: said by their names.
CURRENCIES = ("GBP", "EUR", "USD", "PLN")
# The kinds of CLDR unit a leaflet prints after a number.
SPOKEN_UNIT_KINDS = ("mass-", "volume-", "duration-", "length-", "temperature-",
                     "concentr-percent", "concentr-millimole-per-liter",
                     "pressure-millimeter-ofhg")
# The units whose spellings CLDR lacks ("mcg", "µg", "ملغ") are taken from the units
# table for these only: the doses' symbols.  The table's words for times and
# temperatures may be inflected ("godzinę") or mean another thing ("stopni" of an
# angle), and said again by CLDR they would change their case or their sense.
SPELLED_UNITS = ("mass-milligram", "mass-gram", "mass-kilogram", "mass-microgram",
                 "volume-milliliter", "volume-liter")


Piece = tuple[str, bool]  # (text, already spoken)
Finder = Callable[[str], Iterator[tuple[int, int, str]]]


# CLDR's numbering systems whose digits are a run of ten in Unicode, by the name of their
# zero; a language whose default system is one of these is given its own digits to say.
NATIVE_ZEROS = {"arab": "ARABIC-INDIC", "arabext": "EXTENDED ARABIC-INDIC", "beng": "BENGALI",
                "deva": "DEVANAGARI", "gujr": "GUJARATI", "guru": "GURMUKHI", "knda": "KANNADA",
                "khmr": "KHMER", "laoo": "LAO", "mlym": "MALAYALAM", "mymr": "MYANMAR",
                "orya": "ORIYA", "taml": "TAMIL", "telu": "TELUGU", "thai": "THAI",
                "tibt": "TIBETAN"}


def native_zero(locale: Locale | None) -> str:
    name = NATIVE_ZEROS.get(locale.default_numbering_system if locale else "latn")
    return unicodedata.lookup(f"{name} DIGIT ZERO") if name else "0"


class Speech:
    """The spoken form of a leaflet's text in one language."""

    def __init__(self, rules: Rules, region: str = "GB"):
        self.rules, self.region = rules, region or "GB"
        self.locale = langs.babel_locale(rules.lang) or langs.babel_locale("en")
        self.zero = native_zero(self.locale)
        times = rules.times
        clock12 = r"(\d{1,2})(?:[:.](\d{2}))?" + SPACES + r"?(a\.?m\.?|p\.?m\.?)(?![A-Za-z])"
        clock24 = r"([01]?\d|2[0-3]):([0-5]\d)(?![\d:])"
        clocks = ([clock12] if "am" in times else []) + [clock24]
        self.time_re = re.compile(r"(?<![\d:.])(?:" + "|".join(clocks) + ")", re.I)
        self.time_range_re = re.compile(
            f"(?<![\\d:.])(?P<a>(?:{'|'.join(clocks)}))\\s*[–—-]\\s*(?P<b>(?:{'|'.join(clocks)}))",
            re.I)
        # every unit CLDR writes short in the language or in English, and the spellings
        # CLDR lacks, each to its CLDR unit; one unit per another is said with "per"
        self.unit_keys = {**_table_spellings(rules.lang), **_cldr_short_units(str(self.locale))}
        self.unit_folded = {_folded(form): key for form, key in self.unit_keys.items()}
        units = "|".join(map(_spaced, sorted(self.unit_keys, key=len, reverse=True)))
        self.unit_re = re.compile(
            f"(?<![\\w.,])({NUMBER})(?:\\s*[–—-]\\s*({NUMBER}))?{SPACES}?"
            f"({units})(?:/({units}))?(?![\\w/])")
        self.say_re = _word_re(rules.say)
        self.spell_re = re.compile(
            r"(?<![\w&])(" + "|".join(map(re.escape, sorted(rules.spell, key=len, reverse=True)))
            + r")('?s)?(?![\w&])") if rules.spell else None
        self.service_re = re.compile(
            r"(?<![\w\d])(" + "|".join(map(re.escape, rules.service_numbers)) + r")(?![\w\d])"
        ) if rules.service_numbers else None
        self.spelled_lower = {word.lower() for word in rules.spell}
        self.money_re, self.currency_of = _money_re(str(self.locale))

    # One kind of thing at a time ----------------------------------------------------

    def digit_word(self, char: str) -> str:
        """A digit as the voice is to say it: the language's word where its data lists
        the digits ("oh"), else the digit itself, in the language's own digits where
        CLDR says it writes them (Nepali's voice says "9" in English and "९" in
        Nepali), which the voice says in its own language."""
        value = unicodedata.digit(char, None)
        if value is None:
            return char
        if self.rules.digits:
            return self.rules.digits[value]
        return chr(ord(self.zero) + value)

    def digits(self, number: str) -> str:
        """Each digit as a word: "0191" -> "oh one nine one"."""
        return " ".join(self.digit_word(c) for c in number if not c.isspace())

    def phone(self, display: str) -> str:
        """A phone number digit by digit, in the groups in which it is printed: a relay
        prefix is a group of its own ("18001 111": "one eight oh oh one, one one one"),
        an extension is said by the language's word for it, before its digits."""
        text = display.strip()
        lead = []
        if text.startswith("+"):
            lead, text = [self.rules.plus], text[1:]
        spoken: list[str] = []
        word_before = False  # a word ("extension") is said with the digits after it
        for group in (g for g in re.split(r"[\s\u00a0\u202f\-./()]+", text) if g):
            said = " ".join(self.digits(run) if run.isdigit() else self.extension(run)
                            for run in re.findall(r"\d+|\D+", group))
            if word_before:
                spoken[-1] = f"{spoken[-1]} {said}"
            else:
                spoken.append(said)
            word_before = not any(c.isdigit() for c in group)
        if lead:
            spoken[0] = f"{lead[0]} {spoken[0]}" if spoken else lead[0]
        return self.rules.group_separator.join(spoken)

    def phone_node(self, node: Phone) -> str:
        """A phone node said by what it is: its number as printed, digit by digit, and
        its extension after the language's word for one."""
        number, extension = phone_parts(node, self.rules.extension or "ext.")
        return self.phone(f"{number} {extension}" if extension else number)

    def extension(self, word: str) -> str:
        """A word inside a phone number: an extension's abbreviation ("ext.", "x") as the
        language's word, anything else as printed."""
        if word.lower().rstrip(".") in EXTENSION_WORDS and self.rules.extension:
            return self.rules.extension
        return word

    def spelled(self, word: str) -> str:
        """Letter by letter: "NHS" -> "N H S"."""
        letters = [self.rules.letters.get(c, c) for c in word if c.isalnum()]
        return self.rules.letter_separator.join(letters)

    def address_part(self, label: str) -> str:
        """One word of an e-mail or web address: spelled, digits, or as written; letters
        and digits run together are said apart ("nhs111": "N H S one one one")."""
        runs = re.findall(r"\d+|\D+", label)
        if len(runs) > 1:
            return " ".join(map(self.address_part, runs))
        if label.lower() in self.spelled_lower:
            return self.spelled(label.upper())
        if label.isdigit():
            return self.digits(label)
        return label

    def _address(self, text: str, words: dict[str, str]) -> str:
        out = []
        for part in re.split(r"([./\-_+@])", text):
            if not part:
                continue
            if part in words:
                out.append(words[part])
            elif part.lower() == "www" and "www" in words:
                out.append(words["www"])
            elif len(part) == 1 and not part.isalnum():
                out.append(part)
            else:
                out.append(self.address_part(part))
        return " ".join(out)

    def email(self, address: str) -> str:
        """"info@nhs.net" -> "info at N H S dot net"."""
        return self._address(address, {**self.rules.web, **self.rules.email})

    def web(self, address: str) -> str:
        """"https://www.nhs.uk/conditions/" -> "w w w dot N H S dot U K slash conditions"."""
        text = re.sub(r"^[a-z]+://", "", address.strip(), flags=re.I).rstrip("/")
        return self._address(text, self.rules.web)

    def date(self, date: dt.date) -> str:
        return format_date(date, format="long", locale=self.locale)

    def code(self, code: str) -> str:
        """A code ("ENDO-031A"): letter by letter and digit by digit, in its groups."""
        out = []
        for group in (g for g in re.split(r"[\s\-_/.()]+", code) if g):
            out.append(" ".join(self.digits(run) if run.isdigit() else self.spelled(run)
                                for run in re.findall(r"\d+|\D+", group)))
        return self.rules.group_separator.join(out)

    def value(self, number: str) -> decimal.Decimal | None:
        """A number as printed in the language: "1,000" is a thousand in English, "2,5"
        two and a half in Polish."""
        group = _group_symbol(str(self.locale))
        # a group never starts with 0: "0.125" is a decimal in Spanish as in English
        if group in (",", ".") and re.fullmatch(rf"[1-9]\d{{0,2}}(?:{re.escape(group)}\d{{3}})+",
                                                number):
            number = number.replace(group, "")
        try:
            return _whole(decimal.Decimal(number.replace(",", ".")))
        except decimal.InvalidOperation:
            return None

    def plural(self, number: str) -> str:
        value = self.value(number)
        if value is None:
            return "other"
        try:
            return self.locale.plural_form(value)
        except Exception:  # babel's plural rules do not know every number form
            return "other"

    def money(self, code: str, whole: str, minor: str) -> str:
        """A price by its currency's name: "£4.50" -> "4 pounds 50", which a voice says
        as "four pounds fifty".  The name is CLDR's (Babel) in the number's plural form,
        unless the language's data gives the one people say ("pounds", not "British
        pounds")."""
        whole = whole.replace(",", "").replace(".", "").replace("\u00a0", "")
        count = self.plural(whole)
        words = self.rules.currencies.get(code)
        if words:
            name = words.get(count) or words["other"]
        else:
            try:
                name = get_currency_name(code, count=int(whole), locale=self.locale)
            except (ValueError, NumberFormatError):
                name = code
        return f"{whole} {name} {minor}" if minor and minor.strip("0") else f"{whole} {name}"

    def hour(self, hour: int, minute: int, suffix: str = "", in_range: bool = False) -> str:
        times = self.rules.times
        if suffix:
            suffix = times["am"] if suffix.lower().startswith("a") else times["pm"]
        elif times.get("twelve_hour") and "am" in times:
            suffix = times["am"] if hour < 12 else times["pm"]
            hour = hour % 12 or 12
        names = times.get("range_hours" if in_range else "hours") or times.get("hours")
        said = names[hour % 24] if names and not suffix else str(hour)
        if minute:
            minute_words = str(minute) if minute >= 10 else f"{self.digit_word('0')} {minute}"
            said = times.get("minutes", "{hour} {minute}").format(hour=said, minute=minute_words)
        return f"{said} {suffix}".strip()

    def _clock(self, text: str, in_range: bool = False) -> str | None:
        match = self.time_re.fullmatch(text.strip())
        if match is None:
            return None
        groups = [g for g in match.groups()]
        if "am" in self.rules.times and groups[0] is not None:
            hour, minute, suffix = int(groups[0]), int(groups[1] or 0), groups[2]
            if not 1 <= hour <= 12 or minute > 59:
                return None
            return self.hour(hour, minute, suffix, in_range)
        hour, minute = int(groups[-2]), int(groups[-1])
        return self.hour(hour, minute, "", in_range)

    # Finders: where in printed text a rule applies, and what is said there -------------

    def find_service(self, text: str):
        if self.service_re is not None:
            for match in self.service_re.finditer(text):
                yield match.start(), match.end(), self.digits(match.group())
            return
        # A language without its own list, whose dialling words the source's English cues
        # do not know: the region's short codes, found by the source's recogniser, unless
        # a unit follows ("112 mg").
        for match in phones.find(text, self.region, short_codes="all"):
            if match.kind != "short" or self.unit_re.match(text, match.start):
                continue
            yield match.start, match.end, self.phone(match.raw)

    def find_money(self, text: str):
        for match in self.money_re.finditer(text):
            symbol = match.group("before") or match.group("after")
            whole = match.group("whole") or match.group("whole2")
            minor = match.group("minor") or match.group("minor2") or ""
            yield match.start(), match.end(), self.money(self.currency_of[symbol], whole, minor)

    def find_code(self, text: str):
        for match in CODE_RE.finditer(text):
            yield match.start(), match.end(), self.code(match.group())

    def find_date(self, text: str):
        order = self.rules.date_order
        for match in ISO_DATE_RE.finditer(text):
            date = _date(*match.groups(), "ymd")
            if date:
                yield match.start(), match.end(), self.date(date)
        for match in FIGURE_DATE_RE.finditer(text):
            date = _date(*match.groups(), order)
            if date:
                yield match.start(), match.end(), self.date(date)

    def find_time(self, text: str):
        template = self.rules.times.get("range", self.rules.range)
        for match in self.time_range_re.finditer(text):
            start, end = self._clock(match.group("a"), True), self._clock(match.group("b"), True)
            if start and end:
                yield match.start(), match.end(), template.format(start=start, end=end)

    def find_clock(self, text: str):
        for match in self.time_re.finditer(text):
            said = self._clock(match.group())
            if said:
                yield match.start(), match.end(), said

    def find_unit(self, text: str):
        for match in self.unit_re.finditer(text):
            first, last, unit, per = match.groups()
            said = self.amount(last or first, self.unit_folded[_folded(unit)])
            if said and per:
                said = self.per(said, self.unit_folded[_folded(per)])
            if said and last:
                said = self.rules.range.format(start=self.number(first), end=said)
            if said:
                yield match.start(), match.end(), said

    def number(self, written: str) -> str:
        """A number as the voice is to read it: with the language's decimal sign and no
        grouping ("2.5" in English, "2,5" in Polish, "1000").  A voice reads English
        "2,5" as two numbers, and CLDR's grouping space ("1 000") digit by digit."""
        value = self.value(written)
        if value is None:
            return written
        return self.own_digits(format_decimal(value, format="0.##########", locale=self.locale))

    def own_digits(self, text: str) -> str:
        """ASCII digits in the language's own digits where the voice is given those
        (Nepali's voice says "5" in English and "५" in Nepali)."""
        if self.zero == "0" or self.rules.digits:
            return text
        return re.sub(r"[0-9]", lambda m: chr(ord(self.zero) + int(m.group())), text)

    def amount(self, number: str, key: str) -> str:
        """A number with its unit's name: "5 mg" -> "5 миллиграмм", by CLDR's long
        pattern for the number's plural form, unless the language's data gives the name
        the voice is to be given (Arabic's, with its vowel marks).  "" where the
        language's CLDR data has no name for the unit."""
        count, said = self.plural(number), self.number(number)
        names = self.rules.units.get(key)
        if names:
            return f"{said} {names.get(count) or names['other']}"
        patterns = _long_patterns(str(self.locale), key)
        if "other" not in patterns:
            return ""
        pattern = patterns.get(count) or patterns["other"]
        if not _has_word(pattern.replace("{0}", "")):
            pattern = patterns["other"]  # a sign for some numbers (Arabic "{0}٪"): a word
        name = pattern.replace("{0}", "").strip()
        if name.isascii() and script(self.rules.lang) != "Latn":
            return ""  # CLDR's "name" is the Latin symbol (Sorani's "mg"): left as written
        return pattern.replace("{0}", said).strip()

    def per(self, said: str, key: str) -> str:
        """An amount per one of a unit: "5 milligrams" per millilitre.  CLDR's words for
        "per hour" where it has them, else its pattern for one unit per another with the
        unit's name; "" where CLDR writes both with a slash, which is no words for a
        voice (the amount is then left as printed)."""
        names = self.rules.units.get(key)
        patterns = _long_patterns(str(self.locale), key)
        pattern = patterns.get("per", "")
        if not names and _has_word(pattern.replace("{0}", "")) and "/" not in pattern:
            return pattern.replace("{0}", said)
        compound = _per_pattern(str(self.locale))
        if not compound:
            return ""
        if names:
            name = names.get("one") or names["other"]
        else:
            name = (patterns.get("one") or patterns.get("other", "")).replace("{0}", "").strip()
        return compound.replace("{0}", said).replace("{1}", name)

    def find_say(self, text: str):
        if self.say_re is not None:
            for match in self.say_re.finditer(text):
                yield match.start(), match.end(), self.rules.say[match.group()]

    def find_spell(self, text: str):
        if self.spell_re is not None:
            for match in self.spell_re.finditer(text):
                plural = "'s" if match.group(2) else ""
                yield match.start(), match.end(), self.spelled(match.group(1)) + plural

    # The order matters: a date, a price or a code holds digits the unit and time rules
    # would take.  Numbers and addresses are nodes, said before any rule runs.
    def finders(self) -> list[Finder]:
        return [self.find_service, self.find_date, self.find_money, self.find_code,
                self.find_time, self.find_clock, self.find_unit, self.find_say, self.find_spell]

    # Whole texts --------------------------------------------------------------------

    def pieces(self, pieces: Iterable[Piece]) -> str:
        """Printed and spoken pieces as one text for the voice."""
        work = _merge(pieces)
        for finder in self.finders():
            work = _apply(work, finder)
        said = " ".join("".join(text for text, _ in work).split())
        # "p.m." at the end of a sentence: one full stop, not two; every number left in
        # the language's own digits where the voice is given those
        return self.own_digits(DOUBLE_STOP.sub(".", said))

    def text(self, text: str) -> str:
        """Plain printed text (a title, a caption) as the voice is to say it: its phone
        numbers and addresses found by the source's recognisers, then said as nodes."""
        return self.inlines(recognise(text, self.region))

    def inlines(self, nodes: tuple[Inline, ...]) -> str:
        """A paragraph's inline nodes as the voice is to say them."""
        return self.pieces(_Pieces(self).all(nodes))


class _Pieces(InlineVisitor[list]):
    """The inline visitor: each node as printed or already spoken pieces."""

    def __init__(self, speech: Speech):
        self.speech = speech

    def all(self, nodes) -> list[Piece]:
        return [piece for pieces in visit_inlines(nodes, self) for piece in pieces]

    def text(self, node) -> list[Piece]:
        return [(node.text, False)]

    def strong(self, node) -> list[Piece]:
        return self.all(node.children)

    def emphasis(self, node) -> list[Piece]:
        return self.all(node.children)

    def link(self, node: Link) -> list[Piece]:
        shown = plain_text(node.children).strip()
        href = node.href
        if href.startswith("mailto:"):
            address = href[len("mailto:"):]
            if shown == address:
                return [(self.speech.email(address), True)]
            return self.all(node.children) + [(", " + self.speech.email(address), True)]
        # the words are the address: said by its readable parts
        if shows_address(node):
            return [(self.speech.web(shown), True)]
        # a listener cannot follow a link: its address is said after its words
        if href.startswith(("https://", "http://")):
            return self.all(node.children) + [(", " + self.speech.web(href), True)]
        return self.all(node.children)

    def phone(self, node: Phone) -> list[Piece]:
        return [(self.speech.phone_node(node), True)]

    def email(self, node) -> list[Piece]:
        return [(self.speech.email(node.address), True)]

    def line_break(self, node) -> list[Piece]:
        return [(", ", True)]


def _merge(pieces: Iterable[Piece]) -> list[Piece]:
    """Neighbouring printed pieces joined, so that a rule sees "9am to 8pm" whole."""
    out: list[Piece] = []
    for text, spoken in pieces:
        if out and not spoken and not out[-1][1]:
            out[-1] = (out[-1][0] + text, False)
        elif text:
            out.append((text, spoken))
    return out


def _apply(pieces: list[Piece], finder: Finder) -> list[Piece]:
    out: list[Piece] = []
    for text, spoken in pieces:
        if spoken:
            out.append((text, True))
            continue
        last = 0
        for start, end, said in sorted(finder(text)):
            if start < last:
                continue  # overlaps a match already taken
            out.extend([(text[last:start], False), (said, True)])
            last = end
        out.append((text[last:], False))
    return [piece for piece in out if piece[0]]


def _word_re(words: dict[str, str]) -> re.Pattern | None:
    if not words:
        return None
    keys = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, keys)) + r")(?!\w)")


def _date(a: str, b: str, c: str, order: str) -> dt.date | None:
    parts = dict(zip(order, (int(a), int(b), int(c)), strict=True))
    try:
        return dt.date(parts["y"], parts["m"], parts["d"])
    except ValueError:
        return None


def _has_word(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _whole(value: decimal.Decimal):
    return int(value) if value == value.to_integral_value() else value


@functools.lru_cache(maxsize=64)
def _group_symbol(locale_id: str) -> str:
    """The sign a locale groups thousands with ("," in English)."""
    return get_group_symbol(locale_id)


@functools.lru_cache(maxsize=64)
def _money_re(locale_id: str) -> tuple[re.Pattern, dict[str, str]]:
    """A price in the locale's or English's way of writing each currency ("£4.50",
    "4,50 zł", "€10"), and each symbol's currency code."""
    symbols: dict[str, str] = {}
    for tag in (locale_id, "en_GB"):
        for code in CURRENCIES:
            symbol = get_currency_symbol(code, locale=tag)
            if symbol and symbol != code:
                symbols.setdefault(symbol, code)
    symbols.update({code: code for code in CURRENCIES})
    signs = sorted((s for s in symbols if not s.isalnum() and not s[-1].isalpha()),
                   key=len, reverse=True)
    every = sorted(symbols, key=len, reverse=True)
    before = "|".join(map(re.escape, signs)) or "(?!)"
    after = "|".join(map(re.escape, every))
    pattern = (rf"(?<![\w.,])(?:(?P<before>{before}){SPACES}?"
               rf"(?P<whole>\d{{1,3}}(?:,\d{{3}})+|\d+)(?:[.,](?P<minor>\d{{2}}))?(?![\d.,]\d)"
               rf"|(?P<whole2>\d+)(?:[.,](?P<minor2>\d{{2}}))?{SPACES}?(?P<after>{after})"
               rf"(?!\w))")
    return re.compile(pattern), symbols


@functools.lru_cache(maxsize=64)
def _cldr_short_units(locale_id: str) -> dict[str, str]:
    """Every way CLDR writes a locale's units, and English's, each to its CLDR key:
    "мг" -> "mass-milligram"; the long ones too, so that Amharic "ሚሊ ግራም" is read as
    milligrams, not as "ሚሊ" (millilitres) and a word.  A form two units share, or one that is a day
    period ("pm"), is left to the voice."""
    found: dict[str, set] = {}
    periods = set()
    for tag in (locale_id, "en", "en_GB"):
        locale = Locale.parse(tag)
        periods |= {name.strip() for context in locale.day_periods.values()
                    for width in context.values() for name in width.values()}
        for key, lengths in locale._data["unit_patterns"].items():
            if not key.startswith(SPOKEN_UNIT_KINDS) or key.endswith("-person"):
                continue
            for length in ("long", "short", "narrow"):  # the longest written wins
                for category, pattern in (lengths.get(length) or {}).items():
                    if category == "per" or not pattern.startswith("{0}"):
                        continue
                    form = pattern[3:].strip(" \u00a0\u202f")
                    if form and not form.isdigit():
                        found.setdefault(form, set()).add(key)
    return {form: next(iter(keys)) for form, keys in found.items()
            if len(keys) == 1 and form not in periods}


def _folded(form: str) -> str:
    return re.sub(r"[\s\u200c]", "", form)


def _spaced(form: str) -> str:
    """A unit's form as a pattern that also finds it written in two words, as translators
    write Amharic's ሚሊግራም ("ሚሊ ግራም") or Persian's میلی‌گرم: a space may stand where two
    letters or more are on each side, in a form not in the Latin alphabet ("5 m in" is
    no "min")."""
    form = _folded(form) if not form.isascii() else form
    if form.isascii():
        return re.escape(form)
    return "".join(re.escape(char) + ("[ \u00a0\u200c]?" if 2 <= i + 1 <= len(form) - 2 else "")
                   for i, char in enumerate(form))


@functools.lru_cache(maxsize=256)
def _long_patterns(locale_id: str, key: str) -> dict[str, str]:
    """CLDR's long patterns of one unit in a locale, by plural form and "per"."""
    return dict(Locale.parse(locale_id)._data["unit_patterns"].get(key, {}).get("long") or {})


@functools.lru_cache(maxsize=64)
def _per_pattern(locale_id: str) -> str:
    """How a locale says one unit per another ("{0} per {1}"); "" where CLDR writes it
    with a slash (Russian "{0}/{1}"), which is no words for a voice."""
    patterns = Locale.parse(locale_id)._data["compound_unit_patterns"].get("per", {})
    pattern = (patterns.get("long") or {}).get("compound", "")
    return pattern if _has_word(pattern.replace("{0}", "").replace("{1}", "")) else ""


@functools.lru_cache(maxsize=64)
def _table_spellings(lang: str) -> dict[str, str]:
    """The spellings of a dose's unit CLDR lacks ("mcg", "ملغ"), from the units table as
    the translation check reads it (the language's, the language CLDR files it under,
    then every language's), each to its CLDR unit."""
    keys = {name: key for key, name in amounts.CLDR_UNITS.items() if key in SPELLED_UNITS}
    common = (amounts._tables().get("common") or {}).get("units") or {}
    found: dict[str, str] = {}
    for units in (amounts._table_part(lang, "units"), common):
        for unit, forms in units.items():
            if unit in keys:
                for form in forms:
                    found.setdefault(str(form), keys[unit])
    return found


def for_language(lang: str, region: str = "GB", lexicon: dict[str, Rules] | None = None) -> Speech:
    """The speech rules of a language: our data, then the library's lexicon on top."""
    rules = language_rules(lang)
    for key in ("all", lang.split("-")[0].lower(), lang.lower()):
        extra = (lexicon or {}).get(key)
        if extra is not None:
            rules = replace(rules, say={**rules.say, **extra.say},
                            spell=tuple(dict.fromkeys((*rules.spell, *extra.spell))))
    return Speech(rules, region)

