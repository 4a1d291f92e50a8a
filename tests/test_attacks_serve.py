"""`leaflet serve` against what got through: a linked folder index, links followed by the
watch, slow readers holding every worker, and a port that cannot be had.

The server runs in this process on 127.0.0.1 (a free port), as the browser tests run it."""

from __future__ import annotations

import http.client
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from leaflet import serve
from leaflet.library import Library
from leaflet.watch import Watcher

SECRET = b"root:x:0:0:not for the web\n"
BIG_BYTES = 16 * 1024 * 1024  # more than the kernel buffers between server and client
SLOW_READERS = 50
NORMAL_REQUESTS = 20
ANSWER_SECONDS = 5.0  # for all the normal requests together


@pytest.fixture
def folder(tmp_path) -> Path:
    out = tmp_path / "build"
    out.mkdir()
    (out / "index.html").write_text("<!doctype html><title>Leaflets</title><p>Index</p>\n",
                                    encoding="utf-8")
    (tmp_path / "passwd").write_bytes(SECRET)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes(SECRET)
    (out / "sub").mkdir()
    (out / "sub" / "index.html").symlink_to(tmp_path / "passwd")  # the attack's own case
    (out / "away").symlink_to(outside, target_is_directory=True)
    (out / "inside").mkdir()
    (out / "inside" / "index.html").symlink_to(out / "index.html")  # a link within: fine
    with open(out / "big.bin", "wb") as big:
        big.truncate(BIG_BYTES)
    return out


class _Running:
    def __init__(self, folder: Path, watcher=None, host: str = "127.0.0.1"):
        self.server = serve.server(folder, host, 0, watcher)
        self.port = self.server.server_address[1]
        self.host = host
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def get(self, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


class _StubWatcher:
    """What the server asks of a watcher in watch mode."""

    def version_answer(self) -> bytes:
        return b'{"version": 1, "errors": []}'

    def page(self, data: bytes) -> bytes:
        return data + b"<script>reload</script>"


# A folder's index page goes through the same confinement as every path ---------------

@pytest.mark.parametrize("watch", [False, True], ids=["serve", "serve-watch"])
def test_a_linked_folder_index_is_not_served(folder, watch):
    with _Running(folder, _StubWatcher() if watch else None) as running:
        for path in ("/sub/", "/sub/index.html", "/away/", "/away/index.html",
                     "/sub/?x=1", "/away/#top"):
            status, body = running.get(path)
            assert status == 404 and SECRET not in body, (path, status, body[:80])
        status, body = running.get("/sub")  # the folder itself: to its "/", then refused
        assert status == 301 and SECRET not in body
        status, body = running.get("/inside/")
        assert status == 200 and b"<p>Index</p>" in body
        assert running.get("/")[0] == 200


def test_a_pipe_in_the_build_folder_is_not_opened(folder):
    os.mkfifo(folder / "pipe.txt")
    with _Running(folder) as running:
        assert running.get("/pipe.txt", timeout=5)[0] == 404
        assert running.get("/")[0] == 200


# Slow readers hold a socket each, not a worker ---------------------------------------

def _trickle(readers: list[socket.socket], stop: threading.Event) -> None:
    """Read a little from each slow reader, now and then: about 10 kB/s each."""
    while not stop.is_set():
        for reader in readers:
            try:
                reader.recv(1024)
            except OSError:
                pass
        stop.wait(0.1)


def test_50_slow_readers_leave_normal_requests_answered(folder):
    with _Running(folder) as running:
        readers: list[socket.socket] = []
        stop = threading.Event()
        trickler = threading.Thread(target=_trickle, args=(readers, stop), daemon=True)
        try:
            for _ in range(SLOW_READERS):
                reader = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                reader.settimeout(5)
                reader.connect(("127.0.0.1", running.port))
                reader.sendall(b"GET /big.bin HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                assert reader.recv(12).startswith(b"HTTP/1.0 200")  # its answer has begun
                reader.settimeout(0.01)
                readers.append(reader)
            trickler.start()
            time.sleep(0.5)
            started = time.monotonic()
            for _ in range(NORMAL_REQUESTS):
                status, body = running.get("/", timeout=ANSWER_SECONDS)
                assert status == 200 and b"<p>Index</p>" in body
            seconds = time.monotonic() - started
            assert seconds < ANSWER_SECONDS, f"{NORMAL_REQUESTS} requests took {seconds:.1f} s"
        finally:
            stop.set()
            if trickler.is_alive():
                trickler.join(timeout=5)
            for reader in readers:
                reader.close()


def test_a_large_file_arrives_whole(folder):
    with _Running(folder) as running:
        status, body = running.get("/big.bin", timeout=30)
    assert status == 200 and len(body) == BIG_BYTES


def test_a_reader_that_stops_reading_is_dropped(folder, monkeypatch):
    monkeypatch.setattr(serve, "SEND_SECONDS", 0.5)
    with _Running(folder) as running:
        reader = socket.create_connection(("127.0.0.1", running.port), timeout=5)
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        reader.sendall(b"GET /big.bin HTTP/1.0\r\n\r\n")
        assert reader.recv(12).startswith(b"HTTP/1.0 200")
        deadline = time.monotonic() + 10
        while running.server._answering and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not running.server._answering  # it let go of the connection and its file
        reader.close()


# Where it cannot listen: one line, exit 1 ---------------------------------------------

def test_a_port_in_use_is_a_one_line_error(folder):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli.main, ["serve", "-o", str(folder), "--port", str(port)])
    finally:
        taken.close()
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and f"port {port}" in lines[0] and "--port" in lines[0], lines
    assert "AttributeError" not in result.output and "internal error" not in result.output


def test_an_unknown_host_is_a_one_line_error(folder):
    result = CliRunner().invoke(cli.main, ["serve", "-o", str(folder), "--host", "no such host"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot serve on no such host" in lines[0], lines


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="this computer has no IPv6 loopback")
def test_serving_on_the_ipv6_loopback(folder):
    with _Running(folder, host="::1") as running:
        status, body = running.get("/")
    assert status == 200 and b"<p>Index</p>" in body


# The watch stays inside the library ---------------------------------------------------

def _inotify_watches() -> int:
    count = 0
    for entry in Path("/proc/self/fdinfo").iterdir():
        try:
            count += sum(line.startswith("inotify wd:")
                         for line in entry.read_text(errors="replace").splitlines())
        except OSError:
            pass
    return count


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs Linux's /proc")
def test_the_watch_does_not_follow_links_out_of_the_library(tmp_path):
    root = tmp_path / "library"
    images = root / "leaflet_src" / "ct-scan" / "images"
    images.mkdir(parents=True)
    (root / "locales").mkdir()
    outside = tmp_path / "usr"
    for n in range(60):
        (outside / f"folder{n}").mkdir(parents=True)
    (images / "linked").symlink_to(outside, target_is_directory=True)
    (root / "theme").symlink_to(outside, target_is_directory=True)
    watcher = Watcher(Library(root), root / "build", fast=True)
    before = _inotify_watches()
    watcher.start()
    try:
        added = _inotify_watches() - before
    finally:
        watcher.stop()
    # the library's own: itself, leaflet_src/, ct-scan/, images/ and locales/
    assert 0 < added <= 5, f"{added} watches"
    folders = watcher.folders()
    assert images in folders and root in folders
    assert not [f for f in folders if f.resolve().is_relative_to(outside)], folders
