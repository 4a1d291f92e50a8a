"""The library index at a trust's scale: its size, and how fast its filter answers in Chromium.

    .venv/bin/python benchmarks/index_scale.py --leaflets 500 --langs pl,ar,bn,ur,fr,de,es

A generated library is built with ``-f text -f html`` only (the index lists what
was built; those two are quick), then the index is opened in headless Chromium
and a word is typed the way a member of staff types it: the time from each key
to the list being laid out again is what "answers as you type" means.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_library import make_library  # noqa: E402

BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
LIGHT_PAGE_BYTES = 2 * 1024 * 1024
LANGS = ["pl", "ar", "bn", "ur", "fr", "de", "es"]  # with the source language: 8
# What staff type: a language by its English name, its own, another English name and
# its code, a leaflet's code, and a specialty.
QUERIES = ("Bengali", "বাংলা", "Bangla", "bn", "GEN-042", "cardiology")


def build_library(work: Path, leaflets: int, langs: list[str]) -> tuple[Path, float]:
    """A generated library built into ``work/out`` (text and web pages); the build's time."""
    root = work / "library"
    make_library(root, leaflets, langs)
    out = work / "out"
    started = time.perf_counter()
    subprocess.run([str(BIN / "leaflet"), "--root", str(root), "build", "-f", "text",
                    "-f", "html", "-o", str(out)], check=True, capture_output=True)
    return out, time.perf_counter() - started


def filter_times(page, query: str) -> list[float]:
    """Milliseconds from each key of ``query`` to the next frame with the list redrawn."""
    box = page.get_by_label("Filter the list")
    box.fill("")
    times = []
    for end in range(1, len(query) + 1):
        times.append(page.evaluate("""async (text) => {
            const box = document.getElementById("filter");
            const started = performance.now();
            box.value = text;
            box.dispatchEvent(new Event("input", {bubbles: true}));
            document.body.offsetHeight;  // the layout the filter caused
            await new Promise(done => requestAnimationFrame(() => done()));
            return performance.now() - started;
        }""", query[:end]))
    return times


def measure(index: Path, browser) -> dict:
    """The index's size and its filter's times (slowest key, median key) per query."""
    page = browser.new_page()
    try:
        started = time.perf_counter()
        page.goto(index.as_uri())
        load_seconds = time.perf_counter() - started
        results = {"bytes": index.stat().st_size, "load_seconds": load_seconds, "queries": {}}
        for query in QUERIES:
            times = filter_times(page, query)
            shown = page.locator("#filter-status").inner_text()
            results["queries"][query] = (max(times), statistics.median(times), shown)
    finally:
        page.close()
    return results


def run(work: Path, leaflets: int, langs: list[str]) -> dict:
    """Build the library and measure its index in a fresh headless Chromium."""
    from playwright.sync_api import sync_playwright

    out, build_seconds = build_library(work, leaflets, langs)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            results = measure(out / "index.html", browser)
        finally:
            browser.close()
    results["build_seconds"] = build_seconds
    return results


def report(results: dict, leaflets: int, languages: int) -> list[str]:
    """The measurement as lines of the benchmark's table."""
    size = results["bytes"]
    verdict = "within" if size <= LIGHT_PAGE_BYTES else "over"
    lines = [f"index of {leaflets} leaflets x {languages} languages: "
             f"{size / 1024 / 1024:.2f} MB ({verdict} 2 MB), opened in "
             f"{results['load_seconds']:.2f} s, built (-f text -f html) in "
             f"{results['build_seconds']:.1f} s"]
    for query, (slowest, median, shown) in results["queries"].items():
        lines.append(f"  filter '{query}': slowest key {slowest:.0f} ms, median "
                     f"{median:.0f} ms ({shown})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaflets", type=int, default=500)
    parser.add_argument("--langs", default=",".join(LANGS))
    args = parser.parse_args()
    langs = [lang for lang in args.langs.split(",") if lang]
    with tempfile.TemporaryDirectory(prefix="leaflet-index-") as work:
        results = run(Path(work), args.leaflets, langs)
    print("\n".join(report(results, args.leaflets, len(langs) + 1)))


if __name__ == "__main__":
    main()
