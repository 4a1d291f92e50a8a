"""What a translation may not do to a message's shape and sense: add or remove blocks (a
blank line, a heading, a list item, a quote or a box written into a msgstr prints as its
marks, inside the block the message belongs to), drop a sentence, or drop the negation of
a bold warning ("**Never take a double dose.**" as "**Take a double dose.**").

Blocks are errors: the build would print them wrong.  Sentences are counted as pofilter's
``sentencecount`` counts them (translate-toolkit's sentence rules for the language), and a
different count is a warning, since languages join and split sentences.  Those rules
take a digit after a full stop for an abbreviation's ("approx. 5 mg"), yet a sentence
may begin with its number where the language puts the number first ("নিন। 24 ঘণ্টায়",
"alın. 24 saat"): the counts differ only when they differ both ways of reading a digit
after ।, ۔, 。, ., ! or ?.  Negation is
looked for in bold phrases only, where leaflets put what a patient must not do, and only
in the languages listed in ``NEGATIONS``; a bold phrase whose source says "not" or "never"
and whose translation has no word of negation is a warning for the reviewer, because no
list of words can prove a meaning changed.
"""

from __future__ import annotations

import functools
import re

# A line that starts like this is a new block in Markdown (and in our ::: boxes).
BLOCK_MARKERS = (
    ("heading", re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")),
    ("list item", re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")),
    ("quote", re.compile(r" {0,3}>")),
    ("box", re.compile(r" {0,3}:::")),
    ("code block", re.compile(r" {0,3}(?:```|~~~)")),
    ("rule or underlined heading", re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|"
                                              r"(?:_[ \t]*){3,}|=+[ \t]*)$")),
    ("table row", re.compile(r" {0,3}\|")),
)

# Words that negate, by language (lower case; an entry ending in "-" is a prefix).  Scripts
# written without spaces (Chinese, Japanese) are searched for as text.
NEGATIONS = {
    "en": "not no never don't doesn't didn't can't cannot mustn't shouldn't won't isn't "
          "aren't without none nothing nobody neither nor avoid stop",
    "pl": "nie nigdy bez żadn- ani zakaz- nic niczego",
    "ru": "не нет никогда нельзя без ни ничего никак запрещ-",
    "uk": "не ні ніколи не можна без нічого заборон-",
    "ar": "لا لن لم ليس ليست غير بدون أبدا أبداً ممنوع يمنع تجنب عدم",
    "ur": "نہ نہیں مت کبھی بغیر بغیر ممنوع",
    "fa": "نه نمی- هرگز بدون ممنوع",
    "bn": "না নয় নেই কখনো কখনও নি ছাড়া বিনা",
    "hi": "न नहीं मत कभी बिना वर्जित",
    "pa": "ਨਾ ਨਹੀਂ ਮਤ ਕਦੇ ਬਿਨਾਂ",
    "gu": "ન નહીં નથી ક્યારેય વગર",
    "fr": "ne n' pas jamais sans aucun aucune rien ni",
    "es": "no nunca jamás sin ningún ninguna nada ni",
    "pt": "não nunca jamais sem nenhum nenhuma nada nem",
    "it": "non mai senza nessun nessuno nessuna niente",
    "de": "nicht nie niemals kein- ohne nichts weder",
    "ro": "nu niciodată fără nici nimic",
    "lt": "ne- niekada be jokio",
    "so": "ha ma aan",
    "zh": "不 没 沒 别 別 勿 禁止 无 無 未",
    "ja": "ない ません な。 ないで 禁止 決して",
}
_CLOSE_WRITTEN = ("zh", "ja")
CLOSED_ENDS = "。！？｡"  # sentence ends that no space follows


def block_findings(msgid: str, msgstr: str, source: str) -> list[str]:
    """Blocks the msgstr adds or removes: a blank line, or a line that starts with a block
    mark (heading, list item, quote, box...), that the msgid does not have."""
    found = []
    source_breaks, translated_breaks = _blank_lines(msgid), _blank_lines(msgstr)
    if translated_breaks > source_breaks:
        found.append("the translation has a blank line (a new paragraph) that "
                     f"{source} does not: a translation may not add blocks; join the lines")
    elif translated_breaks < source_breaks:
        found.append(f"{source} has {source_breaks} blank line(s) between its paragraphs but "
                     f"the translation has {translated_breaks}: keep the paragraphs as they are")
    source_marks, translated_marks = _marks(msgid), _marks(msgstr)
    for kind in dict.fromkeys(translated_marks):
        extra = translated_marks.count(kind) - source_marks.count(kind)
        if extra > 0:
            line = next(text for mark, text in _marked_lines(msgstr) if mark == kind)
            found.append(f"the translation starts a {kind} (\"{_short(line)}\") that {source} "
                         f"does not have: a translation may not add a {kind}; write it as "
                         "part of the sentence, or take out the mark at the line's start")
    for kind in dict.fromkeys(source_marks):
        if source_marks.count(kind) > translated_marks.count(kind):
            found.append(f"{source} starts a {kind} that the translation does not: keep the "
                         f"mark at the start of the line")
    return found


def _blank_lines(text: str) -> int:
    return len(re.findall(r"\n[ \t]*\n", text.strip("\n")))


def _marked_lines(text: str) -> list[tuple[str, str]]:
    marked = []
    for line in text.split("\n"):
        for kind, pattern in BLOCK_MARKERS:
            if pattern.match(line):
                marked.append((kind, line.strip()))
                break
    return marked


def _marks(text: str) -> list[str]:
    return [kind for kind, _line in _marked_lines(text)]


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def sentence_count(text: str, lang: str, digit_starts: bool = False) -> int:
    """Sentences as pofilter's ``sentencecount`` counts them, for the language; with
    ``digit_starts``, a digit after the sentence's end punctuation begins a sentence."""
    language = _language(lang.split("-")[0].lower())
    if not digit_starts:
        return len(language.sentences(_plain(text)))
    return len([part for part in _digit_sentences(language.sentenceend).split(_plain(text))
                if part.strip()])


@functools.lru_cache(maxsize=64)
def _language(code: str):
    from translate.lang import factory
    return factory.getlanguage(code)


@functools.lru_cache(maxsize=64)
def _digit_sentences(ends: str) -> re.Pattern:
    """Where a sentence ends when one may begin with a digit: after the language's end
    punctuation and a space, before anything but a lower-case letter; after a full
    stop written with no space after it (Chinese 。), before anything."""
    closed = "".join(c for c in ends if c in CLOSED_ENDS)
    pattern = rf"(?<=[{re.escape(ends)}])\s+(?=[^a-zа-џ\s])"
    if closed:
        pattern += rf"|(?<=[{re.escape(closed)}])(?=[^\s{re.escape(closed)}])"
    return re.compile(pattern)


def _plain(text: str) -> str:
    """The words of inline Markdown, without link targets and emphasis marks."""
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"[*_\[\]]+", "", text)


def sentence_finding(msgid: str, msgstr: str, source_lang: str, lang: str,
                     source: str) -> str | None:
    """A warning when the msgstr has another number of sentences than the msgid."""
    if not lang:
        return None
    source_count = sentence_count(msgid, source_lang)
    translated_count = sentence_count(msgstr, lang)
    if source_count == translated_count or sentence_count(msgid, source_lang, True) == \
            sentence_count(msgstr, lang, True):
        return None
    return (f"check the sentences: {source} has {source_count} and the translation "
            f"{translated_count} (was a sentence dropped, added or split?)")


def negates(text: str, lang: str) -> bool | None:
    """True when the text has a word of negation in its language, None when the language
    has no list (nothing can be said)."""
    words = NEGATIONS.get(lang.split("-")[0].lower())
    if words is None:
        return None
    listed = words.split()
    lowered = text.lower().replace("\u2019", "'")
    if lang.split("-")[0].lower() in _CLOSE_WRITTEN:
        return any(word in lowered for word in listed)
    tokens = re.findall(r"[\w'\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff]+", lowered)
    for word in listed:
        if word.endswith("-"):
            if any(token.startswith(word[:-1]) for token in tokens):
                return True
        elif word.endswith("'"):
            if any(token.startswith(word) for token in tokens):
                return True
        elif word in tokens:
            return True
    return False


def negation_findings(source_phrases: list[str], translated_phrases: list[str],
                      source_lang: str, lang: str) -> list[str]:
    """Bold phrases whose source negates and whose translation does not."""
    found = []
    for source_phrase, translated_phrase in zip(source_phrases, translated_phrases,
                                                strict=True):
        if negates(source_phrase, source_lang) and negates(translated_phrase, lang) is False:
            found.append(f"the bold phrase **{source_phrase}** says what not to do, but the "
                         f"translation's **{translated_phrase}** has no word of negation: "
                         "check that the warning still warns")
    return found
