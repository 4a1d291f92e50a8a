"""``leaflet serve --watch``: a saved change reaches the served page within seconds, the page
carries its reload script (built files never do), and a source error is shown with its
file:line over the last good output.

The server runs as a user runs it, in its own process, on a copy of the sample
and a free port.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import REPO, SAMPLE_SLUG

PAGE = f"{SAMPLE_SLUG}/en-GB/{SAMPLE_SLUG}.en-GB.html"
OLD = "Sometimes cancer cells can travel"
NEW = "Now and then cancer cells can travel"
DEADLINE = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, condition, seconds: float = DEADLINE) -> tuple[str, float]:
    """The page once ``condition(text)`` holds, and how long that took."""
    started = time.monotonic()
    text = ""
    while time.monotonic() - started < seconds:
        text = fetch(url)
        if condition(text):
            return text, time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"not within {seconds:.0f} s; last answer began: {text[:300]!r}")


@pytest.fixture
def watched(sample_library, tmp_path):
    """``leaflet serve --watch --fast`` on a copy of the sample: (library, base URL)."""
    import shutil
    root = tmp_path / "library"
    shutil.copytree(sample_library, root)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "--root", str(root), "serve", "--watch", "--fast",
         "--port", str(port), "-o", str(root / "out")],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"), start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base + PAGE, lambda text: OLD in text, seconds=180)  # the first build
        yield root, base
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.mark.slow  # a whole build or process: the full tier
def test_a_saved_sentence_reaches_the_page_and_an_error_is_shown(watched):
    root, base = watched
    source = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    served = fetch(base + PAGE)
    built = (root / "out" / PAGE).read_text(encoding="utf-8")
    # Only the served page reloads itself; the file on disk is as a build writes it.
    assert "/__leaflet/version" in served and "/__leaflet/version" not in built
    version = json.loads(fetch(base + "__leaflet/version"))
    assert version["errors"] == []

    text = source.read_text(encoding="utf-8")
    assert OLD in text
    source.write_text(text.replace(OLD, NEW), encoding="utf-8")
    page, seconds = wait_for(base + PAGE, lambda page: NEW in page)
    assert OLD not in page and seconds < DEADLINE
    # The open page sees the new version and reloads (the build finishes its manifest
    # and index after the page's file is written).
    wait_for(base + "__leaflet/version",
             lambda answer: answer and json.loads(answer)["version"] > version["version"])
    index, _ = wait_for(base, lambda page: "/__leaflet/version" in page)
    assert "Patient leaflets" in index

    # A picture that is not there: the error, with its file and line, over the last page.
    lines = source.read_text(encoding="utf-8").split("\n")
    line = next(n for n, l in enumerate(lines, start=1) if NEW in l)
    lines.insert(line, "\n![A scan](no-such-picture.png)\n")
    source.write_text("\n".join(lines), encoding="utf-8")
    where = f"leaflet_src/{SAMPLE_SLUG}/leaflet.md:{line + 2}"
    page, _ = wait_for(base + PAGE, lambda page: where in page)
    assert "leaflet-watch-error" in page and "no-such-picture.png" in page
    assert NEW in page  # the last good output stays
    assert where in " ".join(json.loads(fetch(base + "__leaflet/version"))["errors"])

    # Fixed again: the notice goes.
    source.write_text(text.replace(OLD, NEW), encoding="utf-8")
    wait_for(base + PAGE, lambda page: "leaflet-watch-error" not in page and NEW in page)


def test_the_open_page_reloads_itself_in_the_browser(watched, browser):
    root, base = watched
    source = root / "leaflet_src" / SAMPLE_SLUG / "leaflet.md"
    context = browser.new_context()  # the page's own Content-Security-Policy stays on
    try:
        page = context.new_page()
        blocked = []
        page.on("console", lambda message: blocked.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(base + PAGE)
        assert OLD in page.inner_text("body")
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace(OLD, NEW), encoding="utf-8")
        # Nothing here navigates: only the page's own script can bring the new text.
        started, shown = time.monotonic(), ""
        while NEW not in shown and time.monotonic() - started < DEADLINE:
            page.wait_for_timeout(250)
            try:
                shown = page.inner_text("body")
            except Exception:  # noqa: BLE001 - the page is between two loads
                shown = ""
        assert NEW in shown
        assert not blocked
    finally:
        context.close()
