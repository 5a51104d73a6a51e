"""The queue worker's callback POST, over real HTTP, with the headers Go's client writes.

The standard library's ``http.client`` is used directly: a callback is one small POST, and the fake has to
post thousands a second from a few threads. Connections are per thread; with ``keep_alive`` they are reused.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

GO_AGENT = "Go-http-client/1.1"


@dataclass(frozen=True, slots=True)
class Callback:
    """One callback to post: where, the headers after Go's own, and the body."""

    url: str
    headers: list[tuple[str, str]]
    body: bytes


class CallbackPoster:
    """Posts callbacks; ``keep_alive=False`` sends ``Connection: close`` and opens a connection per callback,
    as the CE queue worker (``DisableKeepAlives``) does."""

    def __init__(self, *, keep_alive: bool, timeout: float) -> None:
        self._keep_alive = keep_alive
        self._timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[http.client.HTTPConnection] = set()
        self._tls: ssl.SSLContext | None = None

    def post(self, callback: Callback) -> bool:
        """POST it; whether the receiver answered (with any status). The answer is read and ignored."""
        parts = urlsplit(callback.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False  # Go: unsupported protocol scheme, or no host
        try:
            port = parts.port
        except ValueError:
            return False
        key = (parts.scheme, parts.hostname, port)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        pool: dict[tuple[str, str, int | None], http.client.HTTPConnection] = self._pool()
        reused = key in pool
        connection = pool.pop(key, None) or self._connect(*key)
        try:
            try:
                response = self._exchange(connection, target, callback)
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                if not reused:
                    raise
                self._discard(connection)  # the receiver closed an idle connection: once more on a new one
                connection = self._connect(*key)
                response = self._exchange(connection, target, callback)
        except (OSError, http.client.HTTPException, ValueError):
            self._discard(connection)
            return False
        if self._keep_alive and not response.will_close:
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

    def _pool(self) -> dict[tuple[str, str, int | None], http.client.HTTPConnection]:
        pool = getattr(self._local, "pool", None)
        if pool is None:
            pool = self._local.pool = {}
        return pool

    def _connect(self, scheme: str, host: str, port: int | None) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection
        if scheme == "https":
            if self._tls is None:
                self._tls = ssl.create_default_context()
            connection = http.client.HTTPSConnection(host, port, timeout=self._timeout, context=self._tls)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=self._timeout)
        with self._lock:
            self._open.add(connection)
        return connection

    def _discard(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        with self._lock:
            self._open.discard(connection)

    def _exchange(
        self, connection: http.client.HTTPConnection, target: str, callback: Callback
    ) -> http.client.HTTPResponse:
        if connection.sock is None:
            _open(connection)
        connection.putrequest("POST", target, skip_accept_encoding=True)
        names = {name.lower() for name, _ in callback.headers}
        if "user-agent" not in names:
            connection.putheader("User-Agent", GO_AGENT)
        connection.putheader("Content-Length", str(len(callback.body)))
        for name, value in callback.headers:
            connection.putheader(name, value)
        if "accept-encoding" not in names:
            connection.putheader("Accept-Encoding", "gzip")
        if not self._keep_alive:
            connection.putheader("Connection", "close")
        connection.endheaders(callback.body)
        response = connection.getresponse()
        response.read()
        return response


def _open(connection: http.client.HTTPConnection) -> None:
    connection.connect()
    # http.client writes the head and the body in two sends: without this, Nagle's algorithm holds the body
    # back until the receiver acknowledges the head.
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
