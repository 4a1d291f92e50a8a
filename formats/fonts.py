"""Font coverage: before a PDF is rendered, make sure installed fonts can draw every
character of the leaflet, so a missing script fails with the package to install instead of
printing empty boxes.

Fonts come from the system through fontconfig; ``fc-list`` reports each font's character
set, read once per process.
"""

from __future__ import annotations

import dataclasses
import functools
import shutil
import subprocess
import unicodedata

from leaflet import langs
from leaflet.errors import LeafletError, Problem
from leaflet.model import Contacts, Figure, Heading, Leaflet, Paragraph, Table, plain_text, walk

from .options import WriterOptions


# The Debian package with a font for a script (the first word of a character's Unicode
# name, or the block it is in).
PACKAGES = {
    "Han": "fonts-noto-cjk", "Hiragana": "fonts-noto-cjk", "Katakana": "fonts-noto-cjk",
    "Hangul": "fonts-noto-cjk", "Bopomofo": "fonts-noto-cjk",
    "Emoji": "fonts-noto-color-emoji",
}
DEFAULT_PACKAGE = "fonts-noto-core"

# Unicode names that do not start with their script's name.
NAME_PREFIXES = {
    "CJK": "Han", "IDEOGRAPHIC": "Han", "KANGXI": "Han", "HALFWIDTH": "Han",
    "FULLWIDTH": "Han", "HANGUL": "Hangul", "HIRAGANA": "Hiragana", "KATAKANA": "Katakana",
    "NKO": "N'Ko", "OL": "Ol Chiki", "OLD": "Old script", "SYRIAC": "Syriac",
}


@functools.lru_cache(maxsize=1)
def installed_coverage() -> frozenset[int] | None:
    """Every code point some installed font has a glyph for; None when fontconfig is
    not there to ask (then nothing can be checked)."""
    if shutil.which("fc-list") is None:
        return None
    try:
        result = subprocess.run(["fc-list", "--format", "%{charset}\n"], capture_output=True,
                                text=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    covered: set[int] = set()
    for line in result.stdout.splitlines():
        for span in line.split():
            first, _, last = span.partition("-")
            try:
                start = int(first, 16)
                end = int(last, 16) if last else start
            except ValueError:
                continue
            covered.update(range(start, end + 1))
    return frozenset(covered)


def script_of(char: str) -> str:
    """A character's script as a reader would name it: "Bengali", "Arabic", "Han"."""
    name = unicodedata.name(char, "")
    if not name:
        return f"U+{ord(char):04X}"
    if unicodedata.category(char) == "So" and ord(char) >= 0x1F000:
        return "Emoji"
    first = name.split()[0].split("-")[0]
    if first in NAME_PREFIXES:
        return NAME_PREFIXES[first]
    return first.capitalize()


def needs_a_glyph(char: str) -> bool:
    """Spaces, controls and format characters (bidi marks, joiners) draw nothing."""
    return unicodedata.category(char)[0] not in ("Z", "C") and char not in "\n\t"


def leaflet_text(leaflet: Leaflet, options: WriterOptions) -> str:
    """Everything a PDF of the leaflet prints: its text, the tool's words, language names."""
    meta = leaflet.meta
    parts = [meta.title, meta.subtitle, meta.organisation, plain_text(meta.requests), meta.code,
             meta.version, meta.online]
    for block in walk(leaflet.blocks):
        if isinstance(block, (Heading, Paragraph)):
            parts.append(plain_text(block.children))
        elif isinstance(block, Table):
            parts.extend(plain_text(c.children) for c in (*block.head, *(c for row in block.rows
                                                                          for c in row)))
        elif isinstance(block, Figure):
            parts.append(block.caption)
        elif isinstance(block, Contacts):
            for contact in block.contacts:
                parts.extend([contact.name, plain_text(contact.about), plain_text(contact.hours),
                              contact.web,
                              *(p.display for p in contact.phones),
                              *(e.address for e in contact.emails)])
    parts.extend(options.words.values())
    parts.extend(a.name for a in options.available)
    return "\n".join(p for p in parts if p)


def printable_panel(options: WriterOptions) -> tuple[WriterOptions, list[Problem]]:
    """The options with each "also available" name that no installed font can draw (中文
    on a machine without fonts-noto-cjk) written in Latin letters, its English name, and a
    warning naming that language's catalog (the same for every PDF, so the build reports
    it once): a new catalog in a script this machine cannot print must not stop the PDFs
    of every other language.  A name some installed font covers is drawn from that font
    (fontconfig finds it)."""
    covered = installed_coverage()
    if covered is None:
        return options, []
    available, problems = [], []
    for entry in options.available:
        missing = sorted({c for c in entry.name if needs_a_glyph(c) and ord(c) not in covered})
        if not missing:
            available.append(entry)
            continue
        latin = latin_name(entry.lang)
        script = script_of(missing[0])
        problems.append(Problem("", None, (
            f"the '{entry.lang}' catalog: PDFs name {langs.english_name(entry.lang)} as "
            f"\"{latin}\" in the \"also available\" panel, since no installed font covers "
            f"{script} script (install {PACKAGES.get(script, DEFAULT_PACKAGE)} to print "
            f"\"{entry.name}\")"), warning=True))
        available.append(dataclasses.replace(entry, name=latin))
    return dataclasses.replace(options, available=tuple(available)), problems


def latin_name(lang: str) -> str:
    """A language's English name with its variant ("Chinese (Simplified)"), for a page
    that cannot print the language's own script."""
    locale = langs.babel_locale(lang)
    return (locale.get_display_name("en") if locale else "") or lang


def check_coverage(leaflet: Leaflet, options: WriterOptions) -> None:
    """Raise a LeafletError naming the script and the package to install when no
    installed font covers some character the PDF would print."""
    covered = installed_coverage()
    if covered is None:
        return
    missing: dict[str, list[str]] = {}
    for char in sorted(set(leaflet_text(leaflet, options))):
        if needs_a_glyph(char) and ord(char) not in covered:
            missing.setdefault(script_of(char), []).append(char)
    if not missing:
        return
    problems = []
    for script, chars in sorted(missing.items()):
        package = PACKAGES.get(script, DEFAULT_PACKAGE)
        sample = " ".join(f"{c} (U+{ord(c):04X})" for c in chars[:3])
        problems.append(f"no installed font covers {script} script: install {package} "
                        f"(characters {sample})")
    # no path: the builder names the artifact that could not be made
    raise LeafletError("", None, "; ".join(problems))
