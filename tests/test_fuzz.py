"""A bounded fuzz of the source parser: each refusal is one `path:line: message` line.

The sample's leaflet.md (and its easy read edition) is mutated a few thousand
times with a fixed seed, so a failure is reproducible: the test names the case.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_SLUG
from leaflet import source
from leaflet.errors import Collector, LeafletError, Problem

SAMPLE = REPO / "leaflet_src" / SAMPLE_SLUG
REL = f"leaflet_src/{SAMPLE_SLUG}/leaflet.md"
CASES = 2500
FAST_CASES = 250  # make test-fast's share
CHECK_CASES = 100
SEED = 18
MAX_MESSAGE = 600

# What an attacker or a slip of the keyboard puts into a source.
FRAGMENTS = [
    "[", "]", "(", ")", "![", "](", "*", "**", "_", "`", "#", "## ", "> ", "- ", "1. ", "| a |",
    "|---|", ":::", "::: contacts", "::: callout urgent", "::: row", "::: nope", "---", "...",
    "\n", "\n\n", "    ", "\t", "<b>", "<!--", "&amp;", "&#0;", "\\", "~~~", "```",
    "[x](javascript:alert(1))", "[x](https://example.org)", "<https://a.b>", "mailto:a@b.co",
    "tel:0191 445 2180", "0191 445 2180", "+44 191 445 2180", "a@b.co", "![alt](missing.png)",
    "![](pictogram:phone)", "![](pictogram:../x)", "![a](../../etc/passwd)", "![a](/etc/passwd)",
    ": ", "- name: X", "  phone: 0191 445 2180", "  email: x@y.co", "  phone: [", "name:",
    "&a ", "*a", "!!", "!!timestamp x", "!!bool x", "!foo ", "!!python/name:os.system",
    "!!binary x", "{", "}", "? ", "%YAML 1.1\n", "'", '"', "|", ">-", "~", "null", "2025-02-30",
    "9" * 40, "x" * 300, "[" * 300, "*" * 200, "> " * 50, "- " * 40, "\u202e", "\u2066",
    "\u200f0", "\x0b", "\x1b", "\x85", "\ufffe", "\u2028", "\x7f", "\ufeff", "\u00a0", "\u0301",
    "\U0001F600", "\u05d0", "\u0627",
]


def mutate(text: str, rng: random.Random) -> str:
    """One to three random edits: delete, duplicate, insert a fragment, swap lines."""
    for _ in range(rng.randint(1, 3)):
        # The front matter is a tenth of the file but held the most crashes: aim there often.
        end_of_front = text.find("\n---", 3) + 1 or len(text)
        position = rng.randrange((end_of_front if rng.random() < 0.4 else len(text)) + 1)
        choice = rng.random()
        if choice < 0.25 and text:
            end = min(len(text), position + rng.randint(1, 40))
            text = text[:position] + text[end:]
        elif choice < 0.4 and text:
            start = rng.randrange(len(text))
            piece = text[start:start + rng.randint(1, 80)]
            text = text[:position] + piece + text[position:]
        elif choice < 0.85:
            text = text[:position] + rng.choice(FRAGMENTS) + text[position:]
        else:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


ONE_LINE = re.compile(r"(?P<path>[^\n:]+):(?P<line>[0-9]+): (?:warning: )?\S[^\n]*")


def assert_one_line(problem: Problem, text: str, rel: str | set[str], case: str) -> None:
    shown = str(problem)
    match = ONE_LINE.fullmatch(shown)
    assert match, f"{case}: not one 'path:line: message' line: {shown[:300]!r}"
    assert match["path"] in ({rel} if isinstance(rel, str) else rel), \
        f"{case}: names {match['path']!r}, not {rel!r}"
    assert 1 <= int(match["line"]) <= text.count("\n") + 2, f"{case}: line out of range: {shown}"
    assert len(problem.message) <= MAX_MESSAGE, f"{case}: a {len(problem.message)}-character " \
        f"message: {shown[:200]!r}..."


def parse(text: str, case: str, edition: str = "standard", rel: str = REL) -> None:
    """Parse as `check` does; a failure must be a LeafletError of one-line problems."""
    collector = Collector()
    try:
        source.parse_text(text, rel, SAMPLE, SAMPLE_SLUG, edition, problems=collector)
    except LeafletError as exc:
        assert exc.problems, f"{case}: a LeafletError without a problem"
        for problem in exc.problems:
            assert_one_line(problem, text, rel, case)
    except RecursionError as exc:  # said apart from other escapes: the usual culprit
        raise AssertionError(f"{case}: RecursionError escaped") from exc
    except Exception as exc:
        raise AssertionError(f"{case}: {type(exc).__name__} escaped: {exc!s:.300}") from exc
    for problem in collector.problems:
        assert_one_line(problem, text, rel, case)


# The first cases in the fast tier, the rest in the full one: together, the same cases
# in the same order as one run of all of them.
@pytest.mark.parametrize("cases", [
    pytest.param(range(FAST_CASES), id="first"),
    pytest.param(range(FAST_CASES, CASES), id="rest", marks=pytest.mark.slow),
])
def test_thousands_of_mutated_sources_fail_only_with_one_line_errors(cases):
    texts = [(SAMPLE / "leaflet.md").read_text(encoding="utf-8"),
             (SAMPLE / "easy-read.md").read_text(encoding="utf-8")]
    rng = random.Random(SEED)
    for number in range(cases.stop):  # about 20 s in all on one free core
        which = number % 2
        text = mutate(texts[which], rng)  # drawn for every case, so each case is the same
        if number not in cases:
            continue
        started = time.process_time()
        parse(text, f"case {number} (seed {SEED})", "easy-read" if which else "standard")
        # A source that takes seconds to read is a hang waiting for a longer input.
        assert time.process_time() - started < 5, f"case {number} took over 5 s"


@pytest.mark.slow  # a whole build or process: the full tier
def test_mutated_libraries_through_check_report_only_one_line_problems(tmp_path):
    """The same through `leaflet check`'s own function, easy read rules and review dates
    included, on a library on disk."""
    from leaflet import checks
    from leaflet.library import Library

    shutil.copytree(SAMPLE, tmp_path / "leaflet_src" / SAMPLE_SLUG)
    library = Library(tmp_path)
    names = ("leaflet.md", "easy-read.md")
    originals = {name: (SAMPLE / name).read_text(encoding="utf-8") for name in names}
    rels = {f"leaflet_src/{SAMPLE_SLUG}/{name}" for name in names}
    rng = random.Random(SEED + 1)
    for number in range(CHECK_CASES):
        name = names[number % 2]
        text = mutate(originals[name], rng)
        for other in names:
            (library.folder(SAMPLE_SLUG) / other).write_text(
                text if other == name else originals[other], encoding="utf-8")
        case = f"check case {number} (seed {SEED + 1}, {name})"
        try:
            found = checks.check_leaflet(library, SAMPLE_SLUG)
        except LeafletError as exc:
            found = exc.problems
        except Exception as exc:
            raise AssertionError(f"{case}: {type(exc).__name__} escaped: {exc!s:.300}") from exc
        # a problem may be in either file: the line must be inside the longer one
        longest = max([text, *originals.values()], key=lambda t: t.count("\n"))
        for problem in found:
            assert_one_line(problem, longest, rels, case)


def front(field: str, value: str) -> str:
    """The sample with one front-matter field given ``value`` (added if absent)."""
    text = (SAMPLE / "leaflet.md").read_text(encoding="utf-8")
    pattern = re.compile(rf"^{field}:.*$", re.M)
    if pattern.search(text):
        return pattern.sub(lambda _: f"{field}: {value}", text, count=1)
    return text.replace("\n---\n", f"\n{field}: {value}\n---\n", 1)


def body(extra: str) -> str:
    return (SAMPLE / "leaflet.md").read_text(encoding="utf-8") + "\n" + extra + "\n"


HAND_CASES = {
    "published !!timestamp x": front("published", "!!timestamp x"),
    "published !!bool x": front("published", "!!bool x"),
    "review !!bool x": front("review", "!!bool x"),
    "published !foo 2025-01-01": front("published", "!foo 2025-01-01"),
    "published !!python/name:os.system": front("published", "!!python/name:os.system"),
    "title !!python/name:os.system": front("title", "!!python/name:os.system"),
    "published !!binary x": front("published", "!!binary x"),
    "title !!merge x": front("title", "!!merge x"),
    "5,000 nested [ in a field": front("title", "[" * 5000),
    "5,000 nested { in a field": front("subtitle", "{" * 5000),
    "5,000 nested - in a field": front("subtitle", "\n" + "".join(
        " " * i + "-\n" for i in range(0, 2000, 2))),
    "a title over 255 characters": front("title", "A" * 256),
    "a 10,000-character requests": front("requests", "Ask us. " * 1250),
    "a 5,000-digit version": front("version", "9" * 5000),
    "5,000 nested [ in the body": body("[" * 5000),
    "5,000 nested * in the body": body("*" * 5000 + "x" + "*" * 5000),
    "5,000 nested > in the body": body("> " * 5000 + "x"),
    "a 100 KB word": body("x" * 100_000),
    "VT in the body": body("Phone us\x0b now."),
    "ESC in the body": body("Phone \x1b[31m now."),
    "NEL in the body": body("Phone us\x85 now."),
    "U+FFFE in the body": body("Phone us\ufffe now."),
    "NEL in the title": front("title", "Secondary\x85 breast cancer"),
    "U+2028 in the title": front("title", "Secondary\u2028 breast cancer"),
    "RLO spoofing a phone number": body("Phone \u202e0191 445 2180\u202c if you have a fever."),
    "RLI in a contact": body("::: contacts\n- name: Ward\n  phone: \u20670191 445 2180\u2069\n:::"),
    "RLM before a phone number": body("Phone \u200f0191 445 2180 now."),
    "title: null": front("title", "null"),
    "a duplicated field": front("title", "One\ntitle: Two"),
    "an alias bomb": front("title", "&a [x, x]\nsubtitle: *a"),
}


@pytest.mark.parametrize("text", HAND_CASES.values(), ids=HAND_CASES.keys())
def test_each_hand_case_fails_with_one_line_errors_or_passes(text):
    started = time.process_time()
    parse(text, "hand case")
    assert time.process_time() - started < 5


REFUSED_FIELDS = {
    "!!timestamp x": ("published", "!!timestamp x", "YAML tags"),
    "!!bool x": ("review", "!!bool x", "YAML tags"),
    "!foo 2025-01-01": ("published", "!foo 2025-01-01", "YAML tags"),
    "!!python/name:os.system": ("title", "!!python/name:os.system", "YAML tags"),
    "5,000 nested [": ("title", "[" * 5000, "nested more than 50 deep"),
    "a 256-character title": ("title", "A" * 256, "'title' is 256 characters long"),
    "a 60-character code": ("code", "C" * 60, "'code' is 60 characters long"),
}


@pytest.mark.parametrize("field, value, words", REFUSED_FIELDS.values(),
                         ids=REFUSED_FIELDS.keys())
def test_front_matter_tricks_are_refused_at_the_fields_line(field, value, words):
    text = front(field, value)
    number = next(n for n, line in enumerate(text.split("\n"), start=1)
                  if line.startswith(f"{field}:"))
    with pytest.raises(LeafletError) as caught:
        source.parse_text(text, REL, SAMPLE, SAMPLE_SLUG)
    shown = [str(p) for p in caught.value.problems]
    assert len(shown) == 1 and shown[0].startswith(f"{REL}:{number}: ") and words in shown[0], \
        shown


INVISIBLE = {
    "U+202E": ("Phone \u202e0191 445 2180\u202c if you have a fever.", "U+202E"),
    "U+202A": ("Phone \u202a0191 445 2180 please.", "U+202A"),
    "U+2066": ("Phone \u20660191 445 2180\u2069 please.", "U+2066"),
    "U+2069": ("Phone 0191 445 2180\u2069 please.", "U+2069"),
    "U+200E before a number": ("Phone \u200e0191 445 2180 please.", "U+200E"),
    "U+200F after an address": ("Write to help@example.org\u200f today.", "U+200F"),
    "VT": ("Phone us\x0b now.", "U+000B"),
    "ESC": ("Phone \x1b[31m now.", "U+001B"),
    "NEL": ("Phone us\x85 now.", "U+0085"),
    "U+FFFE": ("Phone us\ufffe now.", "U+FFFE"),
    "DEL": ("Phone us\x7f now.", "U+007F"),
    "CSI": ("Phone us\x9b now.", "U+009B"),
}


@pytest.mark.parametrize("line, code", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_controls_in_a_source_are_refused_with_their_line(line, code):
    text = body(line)
    number = text.split("\n").index(line) + 1
    with pytest.raises(LeafletError) as caught:
        source.parse_text(text, REL, SAMPLE, SAMPLE_SLUG)
    shown = [str(p) for p in caught.value.problems]
    assert any(s.startswith(f"{REL}:{number}: ") and code in s for s in shown), shown


def test_marks_in_right_to_left_words_away_from_numbers_are_kept():
    text = body("\u05e9\u05dc\u05d5\u05dd\u200f \u05e2\u05d5\u05dc\u05dd, and the word "
                "caf\u00e9 stays.")
    leaflet = source.parse_text(text, REL, SAMPLE, SAMPLE_SLUG)
    assert "\u200f" in leaflet.blocks[-1].markdown


def test_check_reports_a_spoofed_number_with_its_line(tmp_path):
    from conftest import run_leaflet

    root = tmp_path / "lib"
    for name in ("leaflet_src", "locales", "theme"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    path = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    text = body("Phone \u202e0191 445 2180\u202c if you have a fever.")
    path.write_text(text, encoding="utf-8")
    number = text.split("\n").index("Phone \u202e0191 445 2180\u202c if you have a fever.") + 1
    result = run_leaflet("check", cwd=root)
    assert result.returncode == 1
    assert f"{REL}:{number}: " in result.stderr and "U+202E" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# Import: Word files and web pages, mutated ---------------------------------------------------

IMPORT_FIXTURES = REPO / "tests" / "fixtures" / "import"
IMPORT_SEED = 29
WORD_CASES = 60
WEB_CASES = 150
IMPORT_SECONDS = 20  # a case taking longer is a hang
# What a hostile or broken page or Word part holds.
MARKUP_FRAGMENTS = [
    "<embed>", "<source>", "<track>", "<wbr>", "<keygen>", "<param>", "<br>", "<hr>", "<img>",
    "<img src=x>", "<img src='../../../etc/passwd'>", "<img src='data:image/png;base64,AAAA'>",
    "<p>", "</p>", "<div>", "</div>", "<table>", "<tr>", "<td>", "</table>", "<ul>", "<li>",
    "<ol start=99999999999999999999>", "<h1>", "<h2>", "</h2>", "<main>", "</main>", "<b>",
    "<i>", "<a href='tel:0191 445 2180'>", "<a href='mailto:'>", "<a href='javascript:x'>",
    "<div hidden>", "<div style='display:none'>", "<button aria-expanded=false>", "<summary>",
    "<details>", "<script>", "</script>", "<style>", "<!--", "-->", "<![CDATA[", "]]>", "&",
    "&amp;", "&#0;", "&#x202e;", "&#xD800;", "&nosuchentity;", "<", ">", "\"", "'", "\x00",
    "\u202e", "\ufeff", "\x0b", "<div>" * 300, "<b>" * 300, "<table><tr><td>" * 60,
    "0191 445 2180", "Review: 2027-02-30", "Leaflet code: X-1", "<w:p>", "</w:p>", "<w:r>",
    "<w:t>", "</w:t>", "<w:tbl>", "<w:strike/>", "<w:b/>", "<w:pStyle w:val='Heading1'/>",
    "<w:numPr><w:ilvl w:val='99'/><w:numId w:val='9'/></w:numPr>", '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
    "<?xml version='1.0'?>", "x" * 5000, "9" * 400,
]


def mutate_markup(text: str, rng: random.Random) -> str:
    """One to four edits: delete, duplicate, or insert a fragment of markup."""
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(text) + 1)
        choice = rng.random()
        if choice < 0.25 and text:
            text = text[:position] + text[position + rng.randint(1, 60):]
        elif choice < 0.4 and text:
            start = rng.randrange(len(text))
            text = text[:position] + text[start:start + rng.randint(1, 200)] + text[position:]
        else:
            text = text[:position] + rng.choice(MARKUP_FRAGMENTS) + text[position:]
    return text


def import_case(path: Path, root: Path, case: str) -> None:
    """Import as `leaflet import` does; a refusal must be one-line problems, and no
    case may come near the time limit."""
    from leaflet.importers import import_files
    from leaflet.library import Library

    (root / "leaflet_src").mkdir(parents=True)
    started = time.monotonic()
    try:
        report = import_files(Library(root), [path], seconds=IMPORT_SECONDS)
        problems = list(report.problems)
    except LeafletError as exc:
        problems = list(exc.problems)
    except Exception as exc:
        raise AssertionError(f"{case}: {type(exc).__name__} escaped: {exc!s:.300}") from exc
    assert time.monotonic() - started < IMPORT_SECONDS, f"{case}: a hang"
    for problem in problems:
        shown = str(problem)
        assert "\n" not in shown and len(problem.message) <= MAX_MESSAGE, f"{case}: {shown[:300]!r}"
        assert "took over" not in shown, f"{case}: a hang: {shown}"
        assert "internal error" not in shown and "Traceback" not in shown, f"{case}: {shown}"


def word_variants(original: Path, rng: random.Random):
    """Mutated copies of a Word file: its document.xml edited as text, or its zip bytes
    damaged."""
    import zipfile

    with zipfile.ZipFile(original) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    raw = original.read_bytes()
    while True:
        if rng.random() < 0.8:
            name = rng.choice(["word/document.xml"] * 4 + sorted(parts))
            edited = dict(parts)
            edited[name] = mutate_markup(parts[name].decode("utf-8", "replace"), rng).encode(
                "utf-8", "surrogatepass")
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
                for part, data in edited.items():
                    package.writestr(part, data)
            yield buffer.getvalue()
        else:
            data = bytearray(raw)
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            yield bytes(data)


@pytest.mark.slow
def test_mutated_word_files_import_or_fail_with_one_line_errors(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_word", IMPORT_FIXTURES / "make_word.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    originals = [tmp_path / "typed.docx", tmp_path / "styled.docx"]
    maker.typed(originals[0])
    maker.styled(originals[1])
    rng = random.Random(IMPORT_SEED)
    variants = [word_variants(original, rng) for original in originals]
    for number in range(WORD_CASES):
        path = tmp_path / f"case-{number}.docx"
        path.write_bytes(next(variants[number % 2]))
        import_case(path, tmp_path / f"lib-{number}", f"Word case {number} (seed {IMPORT_SEED})")


@pytest.mark.slow
def test_mutated_web_pages_import_or_fail_with_one_line_errors(tmp_path):
    original = (IMPORT_FIXTURES / "web-page.html").read_text(encoding="utf-8")
    rng = random.Random(IMPORT_SEED + 1)
    for number in range(WEB_CASES):
        path = tmp_path / f"case-{number}.html"
        path.write_text(mutate_markup(original, rng), encoding="utf-8", errors="surrogatepass")
        import_case(path, tmp_path / f"lib-{number}", f"web case {number} (seed {IMPORT_SEED + 1})")
