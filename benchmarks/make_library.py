"""Make a leaflet library of any size from the sample, for the benchmark.

    python benchmarks/make_library.py OUT --leaflets 50 --langs pl,ar

Each generated leaflet is the sample's standard edition with its own title, its sections
in its own order and one or two of them left out, so no two leaflets have the same text
or the same page breaks.  Each gets a complete catalog per language, made from the
sample's translations (the title keeps its number in every language), so that every
language really is translated rather than falling back to English.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from leaflet import i18n, source  # noqa: E402  (the tool from this checkout)
from leaflet.library import Library  # noqa: E402

SAMPLE_SLUG = "secondary-breast-cancer"
# A trust's library is grouped by the clinic a leaflet comes from.
SPECIALTIES = ("Oncology", "Cardiology", "Radiology", "Maternity", "Orthopaedics", "Renal")


def sections(body: str) -> tuple[str, list[str]]:
    """The text before the first `# ` heading, and each top-level section."""
    parts = ("\n" + body).split("\n# ")
    return parts[0].strip("\n"), ["# " + part.strip("\n") for part in parts[1:]]


def make_source(text: str, number: int) -> tuple[str, str]:
    """The generated leaflet.md and the title it was given."""
    front, body, _ = source.split_front_matter(text, "leaflet.md")
    lead, parts = sections(body)
    chance = random.Random(number)
    # The last section (contacts and where to get help) stays last, as in any leaflet.
    *others, last = parts
    middle = chance.sample(others, k=max(1, len(others) - chance.randint(1, 2)))
    chosen = [*middle, last]
    title = None
    lines = []
    for line in front.split("\n"):
        if line.startswith("title:"):
            title = line.split(":", 1)[1].strip()
            line = f"title: {title} {number}"
        elif line.startswith("code:"):
            line = f"code: GEN-{number:03d}"
            lines.append(line)
            line = f"specialty: {SPECIALTIES[number % len(SPECIALTIES)]}"
        lines.append(line)
    text = "---\n" + "\n".join(lines).strip("\n") + "\n---\n\n" + \
        "\n\n".join(p for p in [lead, *chosen] if p) + "\n"
    return text, title


def make_catalog(library: Library, slug: str, lang: str, sample: polib.POFile,
                 title: str, number: int) -> None:
    leaflet = source.parse_file(library.source_file(slug), library.root)
    known = {e.msgid: e.msgstr for e in sample if e.msgstr and not e.obsolete
             and "fuzzy" not in e.flags}
    po = polib.POFile(wrapwidth=0)
    po.metadata = dict(sample.metadata)
    for message in i18n.messages(leaflet):
        if message.msgid == f"{title} {number}":
            msgstr = f"{known[title]} {number}"
        else:
            msgstr = known[message.msgid]
        po.append(polib.POEntry(msgid=message.msgid, msgstr=msgstr,
                                occurrences=message.occurrences))
    path = library.catalog(lang, slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def sample_catalog(sample_library: Library, lang: str, index: int) -> polib.POFile:
    """The sample's catalog for ``lang``; for a language the sample has no translation
    into, one of its translations declared that language (a benchmark needs the bytes
    and the work of a translated edition, not a real translation)."""
    path = sample_library.catalog(lang, SAMPLE_SLUG)
    if not path.is_file():
        others = sample_library.catalog_languages(SAMPLE_SLUG)
        path = sample_library.catalog(others[index % len(others)], SAMPLE_SLUG)
    catalog = polib.pofile(str(path))
    catalog.metadata["Language"] = lang
    return catalog


def make_library(out: Path, leaflets: int, langs: list[str]) -> Library:
    if out.exists():
        shutil.rmtree(out)
    (out / "leaflet_src").mkdir(parents=True)
    if (REPO / "theme").is_dir():
        shutil.copytree(REPO / "theme", out / "theme")
    library = Library(out)
    sample_library = Library(REPO)
    text = sample_library.source_file(SAMPLE_SLUG).read_text(encoding="utf-8")
    catalogs = {lang: sample_catalog(sample_library, lang, index)
                for index, lang in enumerate(langs)}
    for number in range(1, leaflets + 1):
        slug = f"leaflet-{number:03d}"
        generated, title = make_source(text, number)
        folder = library.folder(slug)
        # Whatever else the sample's folder holds (pictures, if it has any) comes
        # along; its own sources are replaced by the generated one.
        shutil.copytree(sample_library.folder(SAMPLE_SLUG), folder,
                        ignore=shutil.ignore_patterns("*.md"))
        library.source_file(slug).write_text(generated, encoding="utf-8")
        for lang in langs:
            make_catalog(library, slug, lang, catalogs[lang], title, number)
    return library


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--leaflets", type=int, default=50)
    parser.add_argument("--langs", default="pl,ar",
                        help="translations besides the source language (default pl,ar)")
    args = parser.parse_args()
    make_library(args.out, args.leaflets, [l for l in args.langs.split(",") if l])
    print(f"{args.leaflets} leaflets in {args.out}")


if __name__ == "__main__":
    main()
