"""The local server: a build folder over HTTP, to open the leaflets and their index in a browser.

It is meant for this computer, and stays usable when something else talks to it.
One event loop reads the head of every request, so a client that sends slowly
holds a socket, not a thread; only whole requests go to a small, fixed set of
worker threads.  A connection has a few seconds to send its request, and when
too many are still sending, the oldest is dropped for the newest.  Only files
inside the build folder are served (no directory listings, no links out), with
headers that stop a browser guessing types or running what a page did not
bring, and no word of which Python runs it.  A bad request gets an error page,
never a traceback.
"""

from __future__ import annotations

import functools
import io
import ipaddress
import queue
import selectors
import socket
import threading
import time
from http import HTTPStatus
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

from .errors import LeafletError

INDEX = "index.html"
VERSION_PATH = "/__leaflet/version"  # in watch mode: the build's version, for reloading
WORKERS = 8               # threads that answer whole requests
MAX_WAITING = 64          # whole requests queued for a worker
MAX_PENDING = 100         # connections still sending their request
HEAD_SECONDS = 10.0       # time a connection has to send its request
SEND_SECONDS = 10.0       # time a client has to take each part of the answer
MAX_HEAD_BYTES = 16_384

# Types a browser needs to open or download what a build holds; the standard
# library's table lacks EPUB and Word, and would guess text without a charset.
SERVED_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".epub": "application/epub+zip",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# The pages bring their own, stricter policies (their scripts by hash); this one
# also covers what cannot carry a policy of its own.  Not sent with PDFs: a
# browser's PDF viewer is a page of its own that such a policy would leave blank.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; font-src 'self' data:; media-src 'self'; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",  # a rebuilt leaflet shows at once
    "Referrer-Policy": "no-referrer",
}


class _Handler(SimpleHTTPRequestHandler):
    """Answers one whole request whose head the event loop has read."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **SERVED_TYPES}
    server_version = "leaflet"
    sys_version = ""
    timeout = SEND_SECONDS

    def __init__(self, *args, head: bytes = b"", **kwargs):
        self.head = head
        self.content_type = ""
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        super().setup()
        # GET and HEAD have no body: the head is all there is to read.
        self.rfile = io.BytesIO(self.head)

    def version_string(self) -> str:
        return self.server_version

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "content-type":
            self.content_type = value
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        for keyword, value in HEADERS.items():
            self.send_header(keyword, value)
        if not self.content_type.startswith("application/pdf"):
            policy = CONTENT_SECURITY_POLICY
            if getattr(self.server, "watcher", None) is not None:
                policy += "; connect-src 'self'"  # the reload script asks for the version
            self.send_header("Content-Security-Policy", policy)
        super().end_headers()

    def send_head(self):
        try:
            target = Path(self.translate_path(self.path)).resolve()
        except (ValueError, OSError):  # "/%00": a NUL no file name can hold
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request")
            return None
        if not target.is_relative_to(Path(self.directory).resolve()):
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        watcher = getattr(self.server, "watcher", None)
        if watcher is not None:
            answer = self._watched(watcher, target)
            if answer is not None:
                return answer
        try:
            return super().send_head()
        except ValueError:
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request")
            return None

    def _watched(self, watcher, target: Path):
        """In watch mode: the build's version, and pages with their reload script."""
        if self.path.split("?")[0] == VERSION_PATH:
            return self._send(watcher.version_answer(), "application/json")
        if target.is_dir() and self.path.split("?")[0].endswith("/"):
            target = target / INDEX
        if target.suffix == ".html" and target.is_file():
            try:
                return self._send(watcher.page(target.read_bytes()), SERVED_TYPES[".html"])
            except OSError:
                return None
        return None

    def _send(self, body: bytes, content_type: str):
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "Not found")
        return None

    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        pass  # a request log is noise to someone opening leaflets


class _Server(HTTPServer):
    """An HTTP server whose request heads are read by one loop and answered by
    WORKERS threads; ``serve_forever``, ``shutdown`` and ``server_close`` as usual."""

    request_queue_size = 128
    watcher = None  # leaflet/watch.py's Watcher, in watch mode

    def __init__(self, address, handler) -> None:
        super().__init__(address, handler)
        self.socket.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._pending: dict[socket.socket, tuple[bytearray, float, tuple]] = {}  # oldest first
        self._waiting: queue.Queue = queue.Queue(MAX_WAITING)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        for _ in range(WORKERS):
            threading.Thread(target=self._work, daemon=True).start()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stop.clear()
        self._stopped.clear()
        self._selector.register(self.socket, selectors.EVENT_READ)
        try:
            while not self._stop.is_set():
                for key, _ in self._selector.select(poll_interval):
                    if key.fileobj is self.socket:
                        self._accept()
                    else:
                        self._read(key.fileobj)
                self._expire()
        finally:
            self._selector.unregister(self.socket)
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        for connection in list(self._pending):
            self._drop(connection)
        self._selector.close()
        for _ in range(WORKERS):
            try:
                self._waiting.put_nowait(None)
            except queue.Full:
                break

    def handle_error(self, request, client_address) -> None:
        pass  # a client that went away mid-answer is not the user's problem

    def _accept(self) -> None:
        while True:
            try:
                connection, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of file descriptors: make room, try again later
                if self._pending:
                    self._drop(next(iter(self._pending)))
                return
            if len(self._pending) >= MAX_PENDING:
                self._drop(next(iter(self._pending)))
            connection.setblocking(False)
            self._pending[connection] = (bytearray(), time.monotonic() + HEAD_SECONDS, address)
            self._selector.register(connection, selectors.EVENT_READ)

    def _read(self, connection: socket.socket) -> None:
        try:
            data = connection.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._drop(connection)
            return
        head, _, address = self._pending[connection]
        head += data
        if b"\r\n\r\n" in head or b"\n\n" in head:
            self._selector.unregister(connection)
            del self._pending[connection]
            connection.setblocking(True)
            try:
                self._waiting.put_nowait((connection, address, bytes(head)))
            except queue.Full:
                connection.close()
        elif len(head) > MAX_HEAD_BYTES:
            self._drop(connection)

    def _expire(self) -> None:
        now = time.monotonic()
        for connection, (_, deadline, _) in list(self._pending.items()):
            if deadline > now:
                break  # the rest came later
            self._drop(connection)

    def _drop(self, connection: socket.socket) -> None:
        self._pending.pop(connection, None)
        try:
            self._selector.unregister(connection)
        except (KeyError, ValueError):
            pass
        connection.close()

    def _work(self) -> None:
        while True:
            job = self._waiting.get()
            if job is None:
                return
            connection, address, head = job
            try:
                self.RequestHandlerClass(connection, address, self, head=head)
            except Exception:  # noqa: BLE001 - a client's failure must not reach the console
                pass
            finally:
                self.shutdown_request(connection)


def server(out_dir: Path, host: str = "127.0.0.1", port: int = 8000,
           watcher=None) -> HTTPServer:
    """An HTTP server for a build folder (not yet serving: call ``serve_forever``).

    Port 0 takes any free port; ``server.server_address`` says which.  With a
    ``watcher`` (leaflet/watch.py), pages reload themselves when it rebuilds."""
    folder = Path(out_dir)
    if not (folder / INDEX).is_file():
        raise LeafletError(str(folder), None, "nothing has been built here yet: run "
                           "'leaflet build' first")
    try:
        served = _Server((host, port), functools.partial(_Handler, directory=str(folder)))
        served.watcher = watcher
        return served
    except OSError as exc:
        raise LeafletError("", None, f"cannot serve on {host} port {port} ({exc.strerror}): "
                           "choose another with --port") from None


def is_local(host: str) -> bool:
    """Whether ``host`` keeps the server to this computer (a loopback address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
