"""The HTTP front end: a small threaded HTTP/1.1 server (keep-alive, chunked log streams)."""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from http import HTTPStatus
from io import BufferedReader
from typing import TextIO
from urllib.parse import unquote

from ._http import Reply, Served, Stream

_REASONS = {status.value: status.phrase for status in HTTPStatus}
_MAX_LINE = 65536
_MAX_HEADERS = 100
# How often an idle log stream checks that its client is still connected (the wait is on a condition).
_LIVENESS_SECONDS = 0.25
# Framing headers the server writes itself.
_FRAMING = frozenset({"content-length", "transfer-encoding", "connection"})
_BAD_REQUEST = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


class _BadRequest(Exception):
    pass


def _read_headers(reader: BufferedReader) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    while True:
        line = reader.readline(_MAX_LINE + 1)
        if line in (b"\r\n", b"\n", b""):
            return headers
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon or len(line) > _MAX_LINE or len(headers) >= _MAX_HEADERS:
            raise _BadRequest
        headers.append((name.strip(), value.strip()))


def _read_body(reader: BufferedReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks: list[bytes] = []
        while True:
            try:
                size = int(reader.readline(_MAX_LINE).split(b";")[0].strip(), 16)
            except ValueError:
                raise _BadRequest from None
            if size == 0:
                while reader.readline(_MAX_LINE) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(reader.read(size))
            reader.readline(_MAX_LINE)
    length = headers.get("content-length", "")
    if not length:
        return b""
    if not length.isdigit():
        raise _BadRequest
    return reader.read(int(length))


def _head(reply: Reply, framing: list[str], keep_alive: bool) -> bytes:
    lines = [f"HTTP/1.1 {reply.status} {_REASONS.get(reply.status, '')}"]
    lines.extend(f"{name}: {value}" for name, value in reply.headers if name.lower() not in _FRAMING)
    lines.extend(framing)
    if not keep_alive:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def _client_gone(connection: socket.socket) -> bool:
    readable, _, _ = select.select([connection], [], [], 0)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class FakeServer:
    """Serves a :class:`FakeGateway` or ``FakeBuilder`` over HTTP/1.1 on ``host:port`` from the moment it is made; with
    ``access_log``, writes a line there per request, as a web server's access log does (Common Log Format:
    client, time, method, path without its query, version, status, body size; never a header or a body)."""

    def __init__(self, gateway: Served, host: str, port: int, access_log: TextIO | None = None) -> None:
        self._gateway = gateway
        self._access_log = access_log
        self._listener = socket.create_server((host, port))
        self._address = self._listener.getsockname()[:2]
        self.url = f"http://{host}:{self._address[1]}"
        self._lock = threading.Lock()
        self._stopping = False
        self._connections: dict[socket.socket, threading.Thread] = {}
        self._streams: set[Stream] = set()
        self._acceptor = threading.Thread(target=self._accept, name="pyopenfaas-fake-accept", daemon=True)
        self._acceptor.start()

    def stop(self) -> None:
        """Stop accepting, end log streams, close every connection and wait for their threads."""
        with self._lock:
            self._stopping = True
            streams, connections = list(self._streams), dict(self._connections)
        with contextlib.suppress(OSError):  # wake the acceptor, blocked in accept()
            socket.create_connection(self._address, timeout=5).close()
        self._acceptor.join()
        self._listener.close()
        for stream in streams:
            stream.close()
        for connection in connections:  # idle keep-alive readers wake; replies being written still finish
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RD)
        for thread in connections.values():
            thread.join(timeout=5)

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if self._stopping:
                    connection.close()
                    return
                thread = threading.Thread(
                    target=self._serve_connection, args=(connection,), name="pyopenfaas-fake-connection", daemon=True
                )
                self._connections[connection] = thread
            thread.start()

    def _serve_connection(self, connection: socket.socket) -> None:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = connection.makefile("rb")
        try:
            client = connection.getpeername()[0]
        except OSError:
            client = "-"
        try:
            while self._serve_one(connection, reader, client):
                pass
        except _BadRequest:
            with contextlib.suppress(OSError):
                connection.sendall(_BAD_REQUEST)
        except OSError:
            pass  # the client went away
        finally:
            reader.close()
            connection.close()
            with self._lock:
                self._connections.pop(connection, None)

    def _serve_one(self, connection: socket.socket, reader: BufferedReader, client: str) -> bool:
        """Serve one request; whether to keep the connection open for another."""
        line = reader.readline(_MAX_LINE + 1)
        if not line:
            return False
        parts = line.decode("latin-1").split()
        if not parts:
            return True  # a stray empty line between requests
        if len(parts) != 3 or len(line) > _MAX_LINE:
            raise _BadRequest
        method, target, version = parts
        headers = _read_headers(reader)
        lowered = {name.lower(): value for name, value in headers}
        connection_header = lowered.get("connection", "").lower()
        keep_alive = "close" not in connection_header if version == "HTTP/1.1" else "keep-alive" in connection_header
        if lowered.get("expect", "").lower() == "100-continue":
            connection.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = _read_body(reader, lowered)
        path, _, query = target.partition("?")
        reply = self._gateway.handle(method, unquote(path), query, headers, body)
        if not isinstance(reply.body, bytes):
            self._log(client, method, path, version, reply.status, "-")  # at the start: a follow may last hours
            keep_alive = self._stream(connection, reply, reply.body, keep_alive)
        else:
            bodiless = reply.status < 200 or reply.status in (204, 304)
            framing = [] if bodiless else [f"Content-Length: {len(reply.body)}"]
            content = b"" if bodiless or method == "HEAD" else reply.body
            connection.sendall(_head(reply, framing, keep_alive) + content)
            self._log(client, method, path, version, reply.status, str(len(content)))
        return keep_alive and not self._stopping

    def _log(self, client: str, method: str, path: str, version: str, status: int, size: str) -> None:
        if self._access_log is None:
            return
        moment = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime())
        # The raw path, without its query: a query string may carry what a log must not keep.
        line = f'{client} - - [{moment}] "{method} {path} {version}" {status} {size}\n'
        with self._lock, contextlib.suppress(OSError, ValueError):  # a closed or broken log never stops serving
            self._access_log.write(line)
            self._access_log.flush()

    def _stream(self, connection: socket.socket, reply: Reply, stream: Stream, keep_alive: bool) -> bool:
        """Send a stream chunk by chunk until it ends, the client leaves or the server stops."""
        with self._lock:
            if self._stopping:
                stream.close()
            self._streams.add(stream)
        try:
            connection.sendall(_head(reply, ["Transfer-Encoding: chunked"], keep_alive))
            while (chunk := stream.next_chunk(_LIVENESS_SECONDS)) is not None:
                if chunk:
                    connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                elif _client_gone(connection):
                    return False
            connection.sendall(b"0\r\n\r\n")
            return keep_alive
        finally:
            stream.close()
            with self._lock:
                self._streams.discard(stream)
