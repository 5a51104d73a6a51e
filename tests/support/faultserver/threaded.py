"""A small threaded HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose.

Written on raw sockets so a test controls every byte: a reply cut in the middle, a reset, headers that
never come. Each accepted connection gets a thread that reads requests (keep-alive) and hands each one to
the test's `Behaviour`, which writes whatever it likes through the `Conn`. The server is bounded (at most
`max_connections` connections, `lifetime` seconds) and stops itself when its `with` block ends: every
wait inside it is on the server's stop event, so nothing outlives the test.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from io import BufferedReader
from types import TracebackType

from tests.support import stats

# The longest a misbehaving handler waits (for the test's event or the server's stop) before giving up.
PATIENCE = 10.0


@dataclass(frozen=True)
class Received:
    """One request as the server read it."""

    method: str
    path: str  # the request target, query included
    headers: dict[str, str]  # lower-case names
    body: bytes


class Conn:
    """The connection a behaviour answers on."""

    def __init__(self, sock: socket.socket, stop: threading.Event) -> None:
        self.sock = sock
        self.stop = stop
        self.keep_alive = True

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def reply(
        self,
        status: int = 200,
        body: bytes | str = b"",
        headers: dict[str, str] | None = None,
        *,
        reason: str = "",
    ) -> None:
        """A complete response with a Content-Length."""
        payload = body.encode() if isinstance(body, str) else body
        head = [f"HTTP/1.1 {status} {reason or 'Whatever'}"]
        merged = {"Content-Type": "application/json", **(headers or {})}
        head += [f"{name}: {value}" for name, value in merged.items()]
        head.append(f"Content-Length: {len(payload)}")
        self.send(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload)

    def chunked_head(self, status: int = 200, content_type: str = "application/x-ndjson") -> None:
        self.send(
            f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
        )

    def chunk(self, data: bytes) -> None:
        self.send(b"%x\r\n%s\r\n" % (len(data), data))

    def end_chunks(self) -> None:
        self.send(b"0\r\n\r\n")

    def close(self, *, counted: bool = True) -> None:
        """Close (FIN) after whatever was sent: a body cut short if it was not complete."""
        self.keep_alive = False
        if counted:
            stats.fault("close")

    def reset(self, *, counted: bool = True) -> None:
        """Abort the connection with a TCP RST."""
        self.keep_alive = False
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        if counted:
            stats.fault("reset")

    def hang(self, until: threading.Event | None = None) -> None:
        """Send nothing more until `until` (or the server's stop) is set, then close."""
        stats.fault("hang")
        (until or self.stop).wait(PATIENCE)
        self.keep_alive = False

    def wait(self, event: threading.Event) -> None:
        """Wait for the test to set `event` (bounded by PATIENCE)."""
        event.wait(PATIENCE)


Behaviour = Callable[[Conn, Received, int], None]
"""Answers one request: (connection, request, index of the request on this server, from 0)."""


def answer(status: int = 200, body: bytes | str = b"[]", headers: dict[str, str] | None = None) -> Behaviour:
    """A behaviour that always answers the same, properly."""

    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.reply(status, body, headers)

    return behave


class FaultServer:
    """`with FaultServer(behaviour) as server:` serves on `server.url` until the block ends."""

    def __init__(
        self,
        behaviour: Behaviour,
        *,
        ssl_context: ssl.SSLContext | None = None,
        host: str = "127.0.0.1",
        url_host: str | None = None,
        max_connections: int = 256,
        lifetime: float = 60.0,
        refuse: bool = False,
    ) -> None:
        """`refuse=True`: the port is bound but not listening (connections are refused) until `listen()`."""
        self._behaviour = behaviour
        self._ssl = ssl_context
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind((host, 0))
        self._listener.settimeout(0.5)  # the lifetime check; close() wakes accept() at once
        self._refuse = refuse
        self.port: int = self._listener.getsockname()[1]
        scheme = "https" if ssl_context else "http"
        self.url = f"{scheme}://{url_host or host}:{self.port}"
        self.stop = threading.Event()
        self._slots = threading.BoundedSemaphore(max_connections)
        self._lifetime = lifetime
        self._lock = threading.Lock()
        self.received: list[Received] = []
        self.connections = 0
        self.handshake_failures = 0
        self.handshake_failed = threading.Event()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, name=f"faultserver-{self.port}", daemon=True)

    def __enter__(self) -> FaultServer:
        if self._refuse:
            stats.fault("refused")
        else:
            self.listen()
        return self

    def listen(self) -> None:
        """Start accepting connections (at once, unless made with `refuse=True`); once only."""
        if not self.listening:
            self._listener.listen(64)
            self._acceptor.start()

    @property
    def listening(self) -> bool:
        return self._acceptor.is_alive()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.stop.set()
        if self._acceptor.is_alive():
            with contextlib.suppress(OSError):  # wake accept() up
                socket.create_connection(self._listener.getsockname()[:2], timeout=1).close()
            self._acceptor.join(5)
        self._listener.close()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(5)

    def count(self, method: str | None = None, path_prefix: str = "") -> int:
        """Requests received, optionally only those with this method and path prefix."""
        with self._lock:
            return sum(
                1 for r in self.received if (method is None or r.method == method) and r.path.startswith(path_prefix)
            )

    def _accept(self) -> None:
        expired = threading.Timer(self._lifetime, self.stop.set)
        expired.daemon = True
        expired.start()
        try:
            while not self.stop.is_set():
                try:
                    sock, _ = self._listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                if self.stop.is_set():
                    sock.close()
                    return
                if not self._slots.acquire(blocking=False):
                    sock.close()  # over the bound: refuse rather than queue
                    continue
                thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
                with self._lock:
                    self.connections += 1
                    self._threads.append(thread)
                thread.start()
        finally:
            expired.cancel()

    def _serve(self, sock: socket.socket) -> None:
        try:
            sock.settimeout(PATIENCE)
            if self._ssl is not None:
                try:
                    sock = self._ssl.wrap_socket(sock, server_side=True)
                except (ssl.SSLError, OSError):
                    with self._lock:
                        self.handshake_failures += 1
                    self.handshake_failed.set()
                    return
            reader = sock.makefile("rb")
            conn = Conn(sock, self.stop)
            while conn.keep_alive and not self.stop.is_set():
                request = _read_request(reader)
                if request is None:
                    return
                with self._lock:
                    index = len(self.received)
                    self.received.append(request)
                self._behaviour(conn, request, index)
        except OSError:
            pass  # the client went away: fine for a server that misbehaves anyway
        finally:
            try:
                sock.close()
            finally:
                self._slots.release()


def _read_request(reader: BufferedReader) -> Received | None:
    line = reader.readline(65537)
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        header = reader.readline(65537)
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        parts = []
        while size := int(reader.readline(65537).split(b";")[0].strip(), 16):
            parts.append(reader.read(size))
            reader.readline(65537)
        reader.readline(65537)
        body = b"".join(parts)
    elif headers.get("content-length"):
        body = reader.read(int(headers["content-length"]))
    return Received(method, target, headers, body)
