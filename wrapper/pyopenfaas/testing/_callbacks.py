"""The queue worker's callback POST, over real HTTP, with the headers Go's client writes.

A callback is one small POST and the fake posts thousands a second, in the process that also serves the
gateway. Measured per callback (keep-alive, localhost): http.client 112 us of CPU, h11 177 us, this 15 us. So
the request is written in one ``sendall`` and the answer is read just far enough to find its end (the
receiver's answer is ignored, as the queue worker only logs it). Connections are per thread; with
``keep_alive`` they are reused.
"""

from __future__ import annotations

import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

GO_AGENT = "Go-http-client/1.1"
_MAX_HEAD = 65536
_BREAKS = frozenset("\r\n")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"  # what Go's URL.RequestURI leaves as it is
_Key = tuple[str, str, int]


@dataclass(frozen=True, slots=True)
class Callback:
    """One callback to post: where, the headers after Go's own, and the body."""

    url: str
    headers: list[tuple[str, str]]
    body: bytes


class _BadResponse(Exception):
    """The receiver's answer is not HTTP/1.x."""


class _Connection:
    """A socket and what was read past the previous answer."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def _fill(self) -> bytes:
        data = self.sock.recv(65536)
        self.buffer += data
        return data

    def _take(self, count: int) -> None:
        while len(self.buffer) < count:
            if not self._fill():
                raise ConnectionError("the receiver closed the connection mid-answer")
        self.buffer = self.buffer[count:]

    def _line(self) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            if len(self.buffer) > _MAX_HEAD or not self._fill():
                raise _BadResponse
        line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
        return line

    def _head(self) -> tuple[bytes, int, dict[bytes, bytes]]:
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            if len(self.buffer) > _MAX_HEAD or not self._fill():
                raise _BadResponse
        lines = self.buffer[:end].split(b"\r\n")
        self.buffer = self.buffer[end + 4 :]
        version, _, rest = lines[0].partition(b" ")
        status = rest[:3]
        if not version.startswith(b"HTTP/1.") or not status.isdigit():
            raise _BadResponse
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip().lower()
        return version, int(status), headers

    def read_answer(self) -> bool:
        """Read one answer to its end; whether the connection can carry another request."""
        version, status, headers = self._head()
        while 100 <= status < 200:  # interim answers (100 Continue) come before the real one
            version, status, headers = self._head()
        keep = version == b"HTTP/1.1" and b"close" not in headers.get(b"connection", b"")
        if status in (204, 304):
            return keep
        if b"chunked" in headers.get(b"transfer-encoding", b""):
            while size := int(self._line().split(b";")[0], 16):
                self._take(size + 2)
            while self._line():  # trailers, up to the empty line
                pass
            return keep
        length = headers.get(b"content-length")
        if length is None:  # the body runs to the end of the connection
            while self._fill():
                self.buffer = b""
            return False
        self._take(int(length))
        return keep


class CallbackPoster:
    """Posts callbacks; ``keep_alive=False`` sends ``Connection: close`` and opens a connection per callback,
    as the CE queue worker (``DisableKeepAlives``) does."""

    def __init__(self, *, keep_alive: bool, timeout: float) -> None:
        self._keep_alive = keep_alive
        self._timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[_Connection] = set()
        self._tls: ssl.SSLContext | None = None

    def post(self, callback: Callback) -> bool:
        """POST it; whether the receiver answered (with any status)."""
        parts = urlsplit(callback.url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            request = self._request(parts.netloc.rpartition("@")[2], parts.path, parts.query, callback)
        except ValueError:
            return False  # Go: an invalid port, or a header it cannot write
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False  # Go: unsupported protocol scheme, or no host
        key = (parts.scheme, parts.hostname, port)
        pool: dict[_Key, _Connection] = self._pool()
        connection = pool.pop(key, None)
        try:
            if connection is not None:
                try:
                    keep = self._exchange(connection, request)
                except (ConnectionError, _BadResponse):
                    # The receiver closed the idle connection: once more, on a new one.
                    self._discard(connection)
                    connection = None
            if connection is None:
                connection = self._connect(key)
                keep = self._exchange(connection, request)
        except (OSError, _BadResponse, ValueError):
            if connection is not None:
                self._discard(connection)
            return False
        if self._keep_alive and keep:
            pool[key] = connection
        else:
            self._discard(connection)
        return True

    def close(self) -> None:
        """Close every connection (of every thread). Idempotent."""
        with self._lock:
            connections, self._open = self._open, set()
        for connection in connections:
            connection.close()

    def _request(self, host: str, path: str, query: str, callback: Callback) -> bytes:
        """The request as Go's client writes it; ValueError for a header it refuses (CR or LF in it)."""
        target = quote(path or "/", safe=_PATH_SAFE) + (f"?{query}" if query else "")
        names = {name.lower() for name, _ in callback.headers}
        lines = [f"POST {target} HTTP/1.1", f"Host: {host}"]
        if "user-agent" not in names:
            lines.append(f"User-Agent: {GO_AGENT}")
        lines.append(f"Content-Length: {len(callback.body)}")
        lines += [f"{name}: {value}" for name, value in callback.headers]
        if "accept-encoding" not in names:
            lines.append("Accept-Encoding: gzip")
        if not self._keep_alive:
            lines.append("Connection: close")
        if any(_BREAKS.intersection(line) for line in lines):
            raise ValueError("a header holds a line break")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + callback.body

    def _pool(self) -> dict[_Key, _Connection]:
        pool = getattr(self._local, "pool", None)
        if pool is None:
            pool = self._local.pool = {}
        return pool

    def _connect(self, key: _Key) -> _Connection:
        scheme, host, port = key
        sock = socket.create_connection((host, port), timeout=self._timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == "https":
                if self._tls is None:
                    self._tls = ssl.create_default_context()
                sock = self._tls.wrap_socket(sock, server_hostname=host)
        except BaseException:
            sock.close()
            raise
        connection = _Connection(sock)
        with self._lock:
            self._open.add(connection)
        return connection

    def _discard(self, connection: _Connection) -> None:
        connection.close()
        with self._lock:
            self._open.discard(connection)

    @staticmethod
    def _exchange(connection: _Connection, request: bytes) -> bool:
        connection.sock.sendall(request)
        return connection.read_answer()
