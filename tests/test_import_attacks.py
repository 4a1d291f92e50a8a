"""`leaflet import` against hostile and tricky inputs, each the smallest case of an
attack that once got through: void elements that swallowed the text after them, a
contact's web address that crashed the emitter, Word zip bombs, files that take
minutes to read, LibreOffice fetching what a document links to, and a leaflet folder
that is a link out of the library.  The files are made by fixtures/import/make_attacks.py."""

from __future__ import annotations

import http.server
import importlib.util
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import run_leaflet
from leaflet.errors import LeafletError
from leaflet.importers import docx as word
from leaflet.importers import import_files
from leaflet.library import Library
from leaflet.model import Contact, Contacts
from leaflet.source import emit

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


attacks = load("make_attacks")


def library(root: Path) -> Library:
    (root / "leaflet_src").mkdir(parents=True, exist_ok=True)
    return Library(root)


def one_line_refusal(path: Path, root: Path, **options) -> str:
    with pytest.raises(LeafletError) as caught:
        import_files(library(root), [path], **options)
    shown = str(caught.value)
    assert "\n" not in shown and shown.startswith(path.as_posix()), shown
    assert not any((root / "leaflet_src").iterdir()), "nothing is written"
    return shown


# Void elements --------------------------------------------------------------------------

@pytest.mark.parametrize("element", attacks.VOID_ELEMENTS)
def test_the_text_after_every_void_element_is_imported(element, tmp_path):
    page = tmp_path / "leg-care.html"
    page.write_text(attacks.page_with_void(element), encoding="utf-8")
    report = import_files(library(tmp_path / "lib"), [page], slug="leg-care")
    written = report.written[0].read_text(encoding="utf-8")
    assert attacks.SENTENCE in written, written
    assert "Walk a little every day." in written


def test_web_page_lines_are_still_reported(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body>\n<main>\n<h1>Leg care</h1>\n<p>Rest.</p>\n"
                    '<img src="https://example.org/leg.png" alt="A leg">\n</main></body></html>',
                    encoding="utf-8")
    report = import_files(library(tmp_path / "lib"), [page], language="en-GB")
    assert any(p.line == 5 and "is on the web" in p.message for p in report.problems), \
        [str(p) for p in report.problems]


# A contact's web address ----------------------------------------------------------------

class Smart(str):
    """A string subclass, as XPath returns for an attribute."""


def test_contacts_with_a_string_subclass_are_written_as_plain_yaml():
    block = Contacts(contacts=(Contact(name=Smart("Ward 4"), web=Smart("https://a.nhs.uk/")),))
    written = emit.contacts(block)
    assert "web: https://a.nhs.uk/" in written and "!!" not in written, written


CONTACT_PAGE = """<!DOCTYPE html><html lang="en-GB"><body><main>
<h1 id="title">Leg care</h1><h2>Contact us</h2>
<ul class="contacts"><li><p class="contact-name">Leg clinic</p>
<p class="contact-phone"><a href="tel:+441914452180">0191 445 2180</a></p>
<p class="contact-web"><a href="https://a.nhs.uk/">a.nhs.uk</a></p></li></ul>
</main></body></html>"""


def test_our_own_web_page_with_a_contacts_web_address_imports_back(tmp_path):
    page = tmp_path / "leg-care.html"
    page.write_text(CONTACT_PAGE, encoding="utf-8")
    report = import_files(library(tmp_path / "lib"), [page])
    assert "  web: https://a.nhs.uk/\n" in report.written[0].read_text(encoding="utf-8")


# Errors about the file written end with exit status 1 ----------------------------------

def test_import_exits_1_when_it_reports_an_error_about_what_it_wrote(tmp_path):
    page = tmp_path / "leg-care.html"
    no_way = '<p class="contact-phone"><a href="tel:+441914452180">0191 445 2180</a></p>\n' \
        '<p class="contact-web"><a href="https://a.nhs.uk/">a.nhs.uk</a></p>'
    assert no_way in CONTACT_PAGE
    page.write_text(CONTACT_PAGE.replace(no_way, ""), encoding="utf-8")  # a name alone
    (tmp_path / "lib" / "leaflet_src").mkdir(parents=True)
    result = run_leaflet("--root", str(tmp_path / "lib"), "import", str(page))
    assert "wrote leaflet_src/leg-care/leaflet.md" in result.stdout
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert any('has no phone or e-mail' in line for line in errors), result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr


def test_import_with_only_warnings_exits_0(tmp_path):
    page = tmp_path / "leg-care.html"
    page.write_text(CONTACT_PAGE, encoding="utf-8")
    (tmp_path / "lib" / "leaflet_src").mkdir(parents=True)
    result = run_leaflet("--root", str(tmp_path / "lib"), "import", str(page))
    assert result.returncode == 0, result.stderr


# A leaflet folder that is a link ---------------------------------------------------------

@pytest.mark.parametrize("dangling", [False, True], ids=["to an empty folder", "dangling"])
def test_slug_whose_folder_is_a_link_is_refused(dangling, tmp_path):
    outside = tmp_path / "outside"
    if not dangling:
        outside.mkdir()
    root = tmp_path / "lib"
    (root / "leaflet_src").mkdir(parents=True)
    (root / "leaflet_src" / "leg-care").symlink_to(outside, target_is_directory=True)
    page = tmp_path / "page.html"
    page.write_text(attacks.page_with_void("br"), encoding="utf-8")
    result = run_leaflet("--root", str(root), "import", "--slug", "leg-care", str(page))
    assert result.returncode == 1, result.stdout
    assert "leaflet_src/leg-care: is a link to another folder" in result.stderr, result.stderr
    assert not outside.exists() or not any(outside.iterdir())


# Word zip bombs and slow files -------------------------------------------------------------

@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {"size": attacks.bomb_by_size(folder / "size.docx"),
            "ratio": attacks.bomb_by_ratio(folder / "ratio.docx"),
            "entries": attacks.bomb_by_entries(folder / "entries.docx")}


@pytest.mark.parametrize("kind, words", [
    ("size", "unpacks to 300 MB (at most 200 MB is read)"),
    ("ratio", "(word/media/blank.bin) unpacks to"),
    ("entries", "holds 5,003 parts"),
])
def test_word_zip_bombs_are_refused_before_reading(kind, words, bombs, tmp_path):
    started = time.monotonic()
    shown = one_line_refusal(bombs[kind], tmp_path)
    assert words in shown, shown
    assert time.monotonic() - started < 10


def test_an_odt_zip_bomb_is_refused_before_libreoffice_runs(bombs, tmp_path, monkeypatch):
    odt = tmp_path / "bomb.odt"
    shutil.copy(bombs["size"], odt)
    monkeypatch.setattr(word, "convert_in_group", lambda *a: pytest.fail("LibreOffice ran"))
    assert "unpacks to 300 MB" in one_line_refusal(odt, tmp_path / "lib")


def test_a_file_that_reads_too_long_is_stopped_at_the_time_limit(tmp_path, monkeypatch):
    from leaflet.importers import txt

    monkeypatch.setattr(txt, "read", lambda *args: time.sleep(60))
    text = tmp_path / "leaflet.txt"
    text.write_text("Leg care\n\nRest.\n", encoding="utf-8")
    started = time.monotonic()
    shown = one_line_refusal(text, tmp_path / "lib", seconds=1)
    assert "took over 1 s and was stopped" in shown, shown
    assert time.monotonic() - started < 15


@pytest.mark.slow
def test_a_word_file_of_200000_paragraphs_is_stopped_at_the_time_limit(tmp_path):
    slow = attacks.many_paragraphs(tmp_path / "many.docx")
    assert slow.stat().st_size < 1_000_000
    started = time.monotonic()
    assert "took over 5 s" in one_line_refusal(slow, tmp_path / "lib", seconds=5)
    assert time.monotonic() - started < 20


# LibreOffice fetches nothing and leaves nothing running -----------------------------------

@pytest.fixture
def listener():
    """A web server on 127.0.0.1 that records every request made of it."""
    requests: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def handle_one_request(self):
            self.raw_requestline = self.rfile.readline(65537)
            if self.raw_requestline:
                requests.append(self.raw_requestline.decode("latin-1").strip())
            self.close_connection = True

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/picture.png", requests
    server.shutdown()
    server.server_close()


needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="LibreOffice is not installed")


@pytest.mark.slow
@needs_libreoffice
@pytest.mark.parametrize("namespace", [True, False], ids=["own network", "profile alone"])
def test_libreoffice_fetches_nothing_an_odt_links_to(namespace, listener, tmp_path, monkeypatch):
    url, requests = listener
    if not namespace:
        monkeypatch.setattr(word, "no_network", lambda: ())
    odt = attacks.odt_with_linked_picture(tmp_path / "leg-care.odt", url)
    report = import_files(library(tmp_path / "lib"), [odt])
    assert attacks.SENTENCE in report.written[0].read_text(encoding="utf-8")
    time.sleep(0.5)
    assert requests == []


@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_is_stopped_with_its_process_group_on_time_out(tmp_path, monkeypatch):
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(word.subprocess, "Popen", recording_popen)
    monkeypatch.setattr(word, "CONVERT_SECONDS", 1)
    odt = attacks.odt_with_linked_picture(tmp_path / "leg-care.odt", "https://example.org/p.png")
    with pytest.raises(LeafletError, match="took over 1 s to convert the file and was stopped"):
        word.read_converted(odt, "leg-care.odt")
    assert started, "LibreOffice was not started"
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(started[0].pid, 0)  # no process is left in its group
