"""`leaflet serve` under strain: slow clients, odd paths, and the headers a browser is given."""

from __future__ import annotations

import http.client
import os
import re
import resource
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO

SLOW_CLIENTS = 300
FILES = 256  # the descriptor limit under which 250 slow clients once took the server down


def _limit_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILES, FILES))


@pytest.fixture
def folder(tmp_path) -> Path:
    out = tmp_path / "build"
    (out / "t" / "en-GB").mkdir(parents=True)
    (out / "index.html").write_text("<!doctype html><title>Leaflets</title><p>Index</p>\n",
                                    encoding="utf-8")
    (out / "t" / "en-GB" / "t.en-GB.txt").write_text("A leaflet.\n", encoding="utf-8")
    (out / "t" / "en-GB" / "t.en-GB.pdf").write_bytes(b"%PDF-1.7\n%%EOF\n")
    (tmp_path / "secret.txt").write_text("not for the web\n", encoding="utf-8")
    (out / "t" / "link.txt").symlink_to(tmp_path / "secret.txt")
    return out


@pytest.fixture
def served(folder):
    """`leaflet serve` on a free loopback port, run as a user runs it, with few descriptors;
    yields (port, process).  Its stderr is read once it has stopped."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "-o", str(folder), "--port", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"), preexec_fn=_limit_files)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()))
    reader.start()
    reader.join(timeout=30)
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", lines[0] if lines else "")
    assert match, f"leaflet serve printed {lines!r}"
    try:
        yield int(match.group(1)), process
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=20)
        process.stdout.close()
        process.stderr.close()


def stopped_stderr(process: subprocess.Popen) -> str:
    process.terminate()
    _, err = process.communicate(timeout=20)
    return err


def get(port: int, path: str, timeout: float = 5) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_every_answer_has_the_safety_headers_and_no_python_version(served):
    port, _ = served
    response, body = get(port, "/")
    assert response.status == 200 and b"<p>Index</p>" in body
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Cache-Control") == "no-cache"
    policy = response.getheader("Content-Security-Policy")
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert response.getheader("Server") == "leaflet"
    assert "python" not in str(response.headers).lower()
    text, _ = get(port, "/t/en-GB/t.en-GB.txt")
    assert text.getheader("Content-Type") == "text/plain; charset=utf-8"
    assert text.getheader("X-Content-Type-Options") == "nosniff"
    pdf, data = get(port, "/t/en-GB/t.en-GB.pdf")
    assert data.startswith(b"%PDF") and pdf.getheader("X-Content-Type-Options") == "nosniff"
    assert pdf.getheader("Content-Security-Policy") is None  # the PDF viewer needs its page


def test_no_listing_no_link_out_and_a_nul_is_a_plain_error(served):
    port, process = served
    listing, body = get(port, "/t/")
    assert listing.status == 404 and b"t.en-GB.txt" not in body
    link, body = get(port, "/t/link.txt")
    assert link.status == 404 and b"not for the web" not in body
    for path in ("/%00", "/t/%00.txt", "/%2e%2e/secret.txt"):
        response, body = get(port, path)
        assert response.status in (400, 404), path
        assert b"Traceback" not in body
    assert get(port, "/")[0].status == 200  # still serving
    err = stopped_stderr(process)
    assert "Traceback" not in err and "Error" not in err, err


def threads_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    return int(re.search(r"^Threads:\s+(\d+)", status, re.M).group(1))


def test_300_slow_clients_cannot_keep_a_normal_request_waiting(served):
    port, process = served
    slow = []
    try:
        for _ in range(SLOW_CLIENTS):
            # Half a request, never finished: each once held a thread for good.
            client = socket.create_connection(("127.0.0.1", port), timeout=5)
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow")
            slow.append(client)
        time.sleep(0.5)
        assert threads_of(process.pid) <= 12  # the fixed workers, not one per client
        started = time.monotonic()
        response, body = get(port, "/", timeout=10)
        assert response.status == 200 and b"<p>Index</p>" in body
        assert time.monotonic() - started < 3
    finally:
        for client in slow:
            client.close()
    assert get(port, "/t/en-GB/t.en-GB.txt")[1] == b"A leaflet.\n"
    err = stopped_stderr(process)
    assert "Traceback" not in err, err


@pytest.mark.slow  # waits out the server's idle timeout
def test_an_idle_connection_is_closed_by_the_server(served):
    port, _ = served
    idle = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        started = time.monotonic()
        assert idle.recv(100) == b""  # closed from the other end, nothing sent
        assert time.monotonic() - started < 15
    finally:
        idle.close()


def test_the_server_starts_and_stops_cleanly_in_process(folder):
    """The same server in-process, as the browser tests use it: it starts and stops cleanly."""
    from leaflet import serve

    server = serve.server(folder, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        assert get(port, "/t/en-GB/t.en-GB.txt")[1] == b"A leaflet.\n"
    finally:
        server.shutdown()
        server.server_close()
    thread.join(timeout=5)
    assert not thread.is_alive()


@pytest.mark.parametrize("host, local", [("127.0.0.1", True), ("localhost", True),
                                         ("::1", True), ("0.0.0.0", False),
                                         ("192.168.1.20", False), ("::", False)])
def test_which_addresses_keep_the_server_to_this_computer(host, local):
    from leaflet import serve

    assert serve.is_local(host) is local


def test_serving_beyond_this_computer_warns(folder, monkeypatch):
    """The warning's wiring, checked without opening a port to the network."""
    import cli
    from leaflet import serve

    class Stub:
        server_address = ("0.0.0.0", 8000)

        def serve_forever(self):
            raise KeyboardInterrupt

        def server_close(self):
            pass

    monkeypatch.setattr(serve, "server", lambda *args: Stub())
    result = CliRunner().invoke(cli.main, ["serve", "-o", str(folder), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "warning: serving on 0.0.0.0 lets other computers on the network" in result.output
