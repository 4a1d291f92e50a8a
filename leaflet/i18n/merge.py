"""Keeping a catalog in step with its source, as ``msgmerge --previous`` does: kept
translations, changed messages fuzzy with their old msgid, removed ones obsolete."""

from __future__ import annotations

import difflib

import polib

from .. import langs
from .catalogs import GETTEXT_PLURAL_FORMS, creation_date, new_pofile, plural_forms

FUZZY_THRESHOLD = 0.6


def key(entry: polib.POEntry) -> tuple[str, str]:
    """What identifies a message: its msgctxt ("" for none) and its msgid."""
    return (entry.msgctxt or "", entry.msgid)


def _similar(msgid: str, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    best, best_ratio = None, FUZZY_THRESHOLD
    for entry in candidates:
        matcher = difflib.SequenceMatcher(None, msgid, entry.msgid, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio:
            best, best_ratio = entry, ratio
    return best


def merge(old: polib.POFile | None, pot: polib.POFile, lang: str) -> polib.POFile:
    """A catalog for ``lang`` with the POT's messages, as ``msgmerge --previous`` makes it:
    kept translations; a changed message fuzzy with its old msgid as ``#| msgid``;
    messages the POT no longer has obsolete (``#~``).  Messages are matched by msgctxt and
    msgid; a message that gains a context starts fuzzy from its words' translation
    without one (``#| msgctxt``), for the translator to make agree."""
    if old is None:
        name = langs.english_name(lang)
        header = [line for line in pot.header.split("\n") if not line.startswith("Made by")]
        header[0] = header[0].replace("Messages of", f"{name} translation of", 1)
        header.append(f"Kept in step with the source by 'leaflet update -l {lang}'.")
        po = new_pofile("\n".join(header))
        po.metadata.update({k: v for k, v in pot.metadata.items() if k != "X-Source-Language"})
        po.metadata.update({"Language": lang, "Plural-Forms": plural_forms(lang),
                            "Language-Team": name if name != lang else ""})
        old_entries: list[polib.POEntry] = []
    else:
        po = polib.POFile(wrapwidth=78)
        po.header, po.metadata = old.header, dict(old.metadata)
        po.metadata["POT-Creation-Date"] = pot.metadata.get("POT-Creation-Date", creation_date())
        po.metadata["Project-Id-Version"] = pot.metadata.get("Project-Id-Version", "")
        po.metadata.setdefault("Language", lang)
        standard = plural_forms(lang)
        current = po.metadata.get("Plural-Forms")
        if current is None or (current != standard and lang.split("-")[0] in GETTEXT_PLURAL_FORMS
                               and current.split(";")[0] == standard.split(";")[0]):
            po.metadata["Plural-Forms"] = standard  # gettext's formula, where babel's differs
        old_entries = list(old)
    current = {key(e): e for e in old_entries if not e.obsolete}
    obsolete = {key(e): e for e in old_entries if e.obsolete}
    exact = {key(e) for e in pot if key(e) in current or key(e) in obsolete}
    candidates = [e for e in old_entries if e.msgstr and key(e) not in exact]
    same_words = {e.msgid: e for e in reversed(old_entries) if e.msgstr and not e.obsolete
                  and "fuzzy" not in e.flags}
    used: set[tuple[str, str]] = set(exact)
    for item in pot:
        entry = polib.POEntry(msgctxt=item.msgctxt, msgid=item.msgid, msgstr="",
                              occurrences=list(item.occurrences), comment=item.comment)
        previous = current.get(key(item)) or obsolete.get(key(item))
        if previous is not None:
            entry.msgstr = previous.msgstr
            entry.tcomment = previous.tcomment
            entry.flags = [f for f in previous.flags]
            if "fuzzy" in entry.flags:
                entry.previous_msgid = previous.previous_msgid
                entry.previous_msgctxt = previous.previous_msgctxt
        else:
            similar = same_words.get(item.msgid)
            if similar is None:
                similar = _similar(item.msgid, candidates)
                if similar is not None:
                    used.add(key(similar))
            if similar is not None:
                entry.msgstr = similar.msgstr
                entry.tcomment = similar.tcomment
                entry.flags = ["fuzzy"]
                entry.previous_msgid = similar.msgid
                if similar.msgctxt != item.msgctxt:
                    entry.previous_msgctxt = similar.msgctxt or None
        po.append(entry)
    for entry in old_entries:
        if key(entry) in used or not entry.msgstr:
            continue
        if entry.obsolete or key(entry) not in exact:
            gone = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr,
                                 tcomment=entry.tcomment,
                                 flags=[f for f in entry.flags if f == "fuzzy"])
            gone.obsolete = True
            po.append(gone)
    return po
