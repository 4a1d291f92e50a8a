"""The local server: a build folder over HTTP, to open the leaflets and their index in a browser.

It is meant for this computer, and stays usable when something else talks to it.
One event loop reads the head of every request and writes every answer, so a
client that sends or reads slowly holds a socket, never a thread; a small, fixed
set of worker threads only turns a whole request into its answer's head and the
file to send.  A connection has a few seconds to send its request and to take
each part of the answer; when too many are still sending, or still being
answered, the oldest is dropped for the newest.  Only files inside the build
folder are served: every path, a folder's index page included, is resolved
(links followed) and refused unless it ends inside the folder, with no directory
listings.  Headers stop a browser guessing types or running what a page did not
bring, and say nothing of which Python runs it.  A bad request gets an error
page, never a traceback.
"""

from __future__ import annotations

import collections
import errno
import functools
import io
import ipaddress
import os
import queue
import selectors
import socket
import stat
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

from .errors import LeafletError

INDEX = "index.html"
VERSION_PATH = "/__leaflet/version"  # in watch mode: the build's version, for reloading
WORKERS = 8               # threads that answer whole requests
MAX_WAITING = 64          # whole requests queued for a worker
MAX_PENDING = 100         # connections still sending their request
MAX_ANSWERING = 64        # connections still taking their answer (each holds a file)
HEAD_SECONDS = 10.0       # time a connection has to send its request
SEND_SECONDS = 10.0       # time a client has to take each part of the answer
MAX_HEAD_BYTES = 16_384
CHUNK_BYTES = 65_536      # the part of a file read and sent at a time

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
    """Turns one whole request, whose head the event loop has read, into its answer:
    ``answer`` (the bytes of the head, or a whole error page) and ``body`` (the file
    to send after it, or None).  Nothing here writes to the client."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **SERVED_TYPES}
    server_version = "leaflet"
    sys_version = ""

    def __init__(self, *args, head: bytes = b"", **kwargs):
        self.head = head
        self.content_type = ""
        self.answer = b""
        self.body = None  # what follows the head: an open file, or bytes made here
        self.length = 0   # how much of it the head announced
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        self.connection = self.request
        # GET and HEAD have no body: the head is all there is to read.
        self.rfile = io.BytesIO(self.head)
        self.wfile = io.BytesIO()

    def finish(self) -> None:
        self.answer = self.wfile.getvalue()

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

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.body = self.send_head()

    def send_head(self):
        watcher = getattr(self.server, "watcher", None)
        if watcher is not None and self.path.split("?")[0] == VERSION_PATH:
            return self._send(watcher.version_answer(), "application/json")
        try:
            target = self.confined(self.translate_path(self.path))
            if target is not None and target.is_dir():
                parts = urllib.parse.urlsplit(self.path)
                if not parts.path.endswith("/"):
                    self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                    self.send_header("Location", urllib.parse.urlunsplit(
                        parts._replace(path=parts.path + "/")))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                target = self.confined(target / INDEX)
        except (ValueError, OSError):  # "/%00": a NUL no file name can hold
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request")
            return None
        opened = self._open(target) if target is not None else None
        if opened is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        file, size, modified = opened
        content_type = self.guess_type(str(target))
        if watcher is not None and target.suffix == ".html":
            with file:
                data = file.read()
            return self._send(watcher.page(data), SERVED_TYPES[".html"])
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(size))
        self.send_header("Last-Modified", self.date_time_string(modified))
        self.end_headers()
        self.length = size
        return file

    def confined(self, path) -> Path | None:
        """``path`` with every link resolved, or None when that leaves the build folder."""
        target = Path(path).resolve()
        return target if target.is_relative_to(Path(self.directory).resolve()) else None

    @staticmethod
    def _open(target: Path):
        """(file, size, modified) for a regular file at a resolved path, else None.  The
        last part may not have become a link since it was resolved, and a pipe or a
        device is never opened for reading."""
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | \
            getattr(os, "O_CLOEXEC", 0)
        try:
            descriptor = os.open(target, flags)
        except OSError:
            return None
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            os.close(descriptor)
            return None
        return os.fdopen(descriptor, "rb"), info.st_size, info.st_mtime

    def _send(self, body: bytes, content_type: str):
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.length = len(body)
        return io.BytesIO(body)

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "Not found")
        return None

    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        pass  # a request log is noise to someone opening leaflets


class _Answer:
    """An answer the event loop is writing: bytes not yet sent, then the rest of a file
    (no more of it than its head announced, should it grow meanwhile)."""

    def __init__(self, data: bytes, body, length: int) -> None:
        self.data = memoryview(data)
        self.body = body
        self.left = length
        self.deadline = time.monotonic() + SEND_SECONDS

    def next_part(self) -> bool:
        """Whether there is more to send, reading the file's next part when needed."""
        if not self.data and self.body is not None:
            part = self.body.read(min(CHUNK_BYTES, self.left)) if self.left > 0 else b""
            if part:
                self.data = memoryview(part)
                self.left -= len(part)
            else:
                self.close()
        return bool(self.data)

    def close(self) -> None:
        if self.body is not None:
            self.body.close()
            self.body = None


class _Server(HTTPServer):
    """An HTTP server whose requests are read and answers written by one loop, and
    answered by WORKERS threads; ``serve_forever``, ``shutdown`` and ``server_close``
    as usual."""

    request_queue_size = 128
    watcher = None  # leaflet/watch.py's Watcher, in watch mode

    def __init__(self, address, handler) -> None:
        # Set before the socket is bound: a failed bind closes the server at once.
        self._selector = selectors.DefaultSelector()
        self._pending: dict[socket.socket, tuple[bytearray, float, tuple]] = {}  # oldest first
        self._answering: dict[socket.socket, _Answer] = {}  # oldest first
        self._waiting: queue.Queue = queue.Queue(MAX_WAITING)
        self._ready: collections.deque = collections.deque()  # answers made by the workers
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._wake_writer.setblocking(False)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._workers: list[threading.Thread] = []
        self.address_family = _family(address[0])
        super().__init__(address, handler)
        self.socket.setblocking(False)
        for _ in range(WORKERS):
            worker = threading.Thread(target=self._work, daemon=True)
            worker.start()
            self._workers.append(worker)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stop.clear()
        self._stopped.clear()
        self._selector.register(self.socket, selectors.EVENT_READ, "accept")
        self._selector.register(self._wake_reader, selectors.EVENT_READ, "wake")
        try:
            while not self._stop.is_set():
                for key, _ in self._selector.select(poll_interval):
                    if key.data == "accept":
                        self._accept()
                    elif key.data == "wake":
                        self._take_answers()
                    elif key.data == "head":
                        self._read(key.fileobj)
                    else:
                        self._write(key.fileobj)
                self._expire()
        finally:
            self._selector.unregister(self.socket)
            self._selector.unregister(self._wake_reader)
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        self._stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        for connection in list(self._pending) + list(self._answering):
            self._drop(connection)
        while self._ready:
            connection, answer = self._ready.popleft()
            answer.close()
            connection.close()
        self._selector.close()
        for _ in self._workers:
            try:
                self._waiting.put_nowait(None)
            except queue.Full:
                break
        self._wake_reader.close()
        self._wake_writer.close()

    def handle_error(self, request, client_address) -> None:
        pass  # a client that went away mid-answer is not the user's problem

    # The loop's work ---------------------------------------------------------------

    def _accept(self) -> None:
        while True:
            try:
                connection, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of file descriptors: make room, try again later
                oldest = next(iter(self._pending or self._answering), None)
                if oldest is not None:
                    self._drop(oldest)
                return
            if len(self._pending) >= MAX_PENDING:
                self._drop(next(iter(self._pending)))
            connection.setblocking(False)
            self._pending[connection] = (bytearray(), time.monotonic() + HEAD_SECONDS, address)
            self._selector.register(connection, selectors.EVENT_READ, "head")

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
            try:
                self._waiting.put_nowait((connection, address, bytes(head)))
            except queue.Full:
                connection.close()
        elif len(head) > MAX_HEAD_BYTES:
            self._drop(connection)

    def _take_answers(self) -> None:
        try:
            while self._wake_reader.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        while self._ready:
            connection, answer = self._ready.popleft()
            if len(self._answering) >= MAX_ANSWERING:
                self._drop(next(iter(self._answering)))
            self._answering[connection] = answer
            self._selector.register(connection, selectors.EVENT_WRITE, "answer")

    def _write(self, connection: socket.socket) -> None:
        answer = self._answering[connection]
        try:
            if answer.next_part():
                sent = connection.send(answer.data)
                answer.data = answer.data[sent:]
                answer.deadline = time.monotonic() + SEND_SECONDS
                if answer.next_part():
                    return
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # the client went away, or the file could not be read
            self._drop(connection)
            return
        self._finish(connection)

    def _expire(self) -> None:
        now = time.monotonic()
        for connection, (_, deadline, _) in list(self._pending.items()):
            if deadline > now:
                break  # the rest came later
            self._drop(connection)
        for connection, answer in list(self._answering.items()):
            if answer.deadline <= now:
                self._drop(connection)

    def _finish(self, connection: socket.socket) -> None:
        """A whole answer sent: the connection is closed the way a client expects."""
        self._forget(connection)
        try:
            connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        connection.close()

    def _drop(self, connection: socket.socket) -> None:
        self._forget(connection)
        connection.close()

    def _forget(self, connection: socket.socket) -> None:
        self._pending.pop(connection, None)
        answer = self._answering.pop(connection, None)
        if answer is not None:
            answer.close()
        try:
            self._selector.unregister(connection)
        except (KeyError, ValueError):
            pass

    # The workers' ------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            job = self._waiting.get()
            if job is None:
                return
            connection, address, head = job
            try:
                handler = self.RequestHandlerClass(connection, address, self, head=head)
            except Exception:  # noqa: BLE001 - a client's failure must not reach the console
                connection.close()
                continue
            self._ready.append((connection, _Answer(handler.answer, handler.body,
                                                    handler.length)))
            try:
                self._wake_writer.send(b"\0")
            except (BlockingIOError, InterruptedError):
                pass  # the loop has wake-ups waiting already
            except OSError:  # closed: the server has stopped
                return


def _family(host: str) -> socket.AddressFamily:
    """The address family of the address ``host`` names (IPv6 for "::1")."""
    try:
        infos = socket.getaddrinfo(host or None, 0, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        return socket.AF_INET  # binding then fails with the reason, as a one-line error
    families = [info[0] for info in infos]
    return socket.AF_INET if socket.AF_INET in families else families[0]


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
        option = "--port" if exc.errno in (errno.EADDRINUSE, errno.EACCES) else "--host"
        raise LeafletError("", None, f"cannot serve on {host} port {port} "
                           f"({exc.strerror or exc}): choose another with {option}") from None


def is_local(host: str) -> bool:
    """Whether ``host`` keeps the server to this computer (a loopback address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
