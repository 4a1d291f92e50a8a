"""The one e-mail address recogniser, for the source, the importers and the translation
checks: internationalised addresses ("józef@szpital.pl", "ł.nowak@szpital.pl",
"info@münchen.de") are found whole.

A pattern finds where an address may stand; ``email-validator`` decides whether what
it found is an address (no leading, trailing or doubled dot, a domain IDNA accepts),
so the syntax rules are a maintained library's, not ours.
"""

from __future__ import annotations

import functools
import re

from email_validator import EmailNotValidError, validate_email

# CJK text has no spaces: an address may run straight into an ideograph or full-width stop.
CJK = "\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
WORD = rf"(?![{CJK}_])\w"  # a letter or digit of a word an address cannot touch
LOCAL = rf"(?:(?![{CJK}])[\w.%+-])+"
LABEL = rf"(?:(?![{CJK}_])\w|-)+"
# Whole addresses only: "a@b.com.evil.example" and "xa@b.com" are other addresses, not
# a@b.com with something around it.  The left boundary also means a match is tried only
# where a word starts, so a long word costs one pass, not one pass per letter.
EMAIL_RE = re.compile(rf"(?<![.%+-])(?<!{WORD}){LOCAL}@{LABEL}(?:\.{LABEL})*"
                      rf"\.(?:(?![{CJK}])[^\W\d_]){{2,}}(?![@-])(?!{WORD})(?!\.{WORD})")


@functools.lru_cache(maxsize=1024)
def is_email(address: str) -> bool:
    """Whether ``address`` is one e-mail address, whole (a ``mailto:`` link's, a
    contact's ``email:`` field)."""
    if not EMAIL_RE.fullmatch(address):
        return False
    try:
        validate_email(address, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True


def find(text: str) -> list[tuple[int, int, str]]:
    """Every e-mail address in ``text``: (start, end, address), in order."""
    return [(match.start(), match.end(), match.group()) for match in EMAIL_RE.finditer(text)
            if is_email(match.group())]


def addresses(text: str) -> list[str]:
    """The e-mail addresses in ``text``, in order."""
    return [address for _start, _end, address in find(text)]
