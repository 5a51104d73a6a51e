"""A fast canned-response HTTP/1.1 keep-alive server for the benchmarks, run in its own process.

Routes (anything else is 404):

- ``GET /system/functions``: 100 realistic FunctionStatus objects.
- ``GET /system/function/{name}``: one of those (fn-000 to fn-099).
- ``GET /system/logs?name=...&tail=N``: N NDJSON log lines, chunked.
- ``POST /function/echo``: the request body back.
- ``* /function/download?bytes=N``: N bytes, streamed.
- ``* /function/sink``: counts and drops the request body, answers ``{"received": N}``.
- ``POST /build``: a Function Builder that drops the tar and answers two NDJSON results (a log, a success).
- ``POST /oauth/token``: a token answer (an access token the size of an OpenFaaS IAM JWT, valid for an hour);
  the server checks nothing, the client's cost of holding and sending a token is what is measured.

Control channel: each ``stats`` line on stdin is answered on stdout with a JSON line of cumulative
counters (accepted connections, requests, bytes received, the server's own CPU seconds), so reading the
counters opens no connection. The process exits when stdin closes. On start it prints ``{"port": N}``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Iterator
from urllib.parse import parse_qs

from benchmarks.payloads import function_json, function_list_json, log_lines

_DOWNLOAD_BLOCK = memoryview(bytes(range(256)) * 4096)  # 1 MiB
_LOG_BLOCK_LINES = 256
_REASONS = {200: b"OK", 404: b"Not Found"}
# The size of a function token: an RS256 JWT with the function claim, 770 bytes as pyopenfaas.testing's IAM issues.
_TOKEN_ANSWER = json.dumps({"access_token": "eyJ" + "x" * 767, "token_type": "Bearer", "expires_in": 3600}).encode()


class Stats:
    """Cumulative counters, reported on the control channel."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests = 0
        self.bytes_received = 0

    def as_json(self) -> str:
        """The counters plus this process's CPU seconds, as one JSON line."""
        times = os.times()
        return json.dumps(
            {
                "connections": self.connections,
                "requests": self.requests,
                "bytes_received": self.bytes_received,
                "cpu": times.user + times.system,
            }
        )


class Canned:
    """Response bodies built once at start."""

    def __init__(self) -> None:
        self.functions = function_list_json(100)
        self.function = {f"fn-{i:03d}": function_json(i) for i in range(100)}
        lines = log_lines(_LOG_BLOCK_LINES)
        self.log_frame = _chunk(b"".join(lines))
        self.log_lines = lines


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def _head(status: int, headers: list[tuple[bytes, bytes]]) -> bytes:
    lines = [b"HTTP/1.1 %d %s" % (status, _REASONS[status])]
    lines += [name + b": " + value for name, value in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _response(status: int, body: bytes, content_type: bytes = b"application/json") -> bytes:
    head = _head(status, [(b"Content-Type", content_type), (b"Content-Length", b"%d" % len(body))])
    return head + body


class HTTPProtocol(asyncio.Protocol):
    """One keep-alive connection: parses requests (Content-Length or chunked bodies), answers them."""

    def __init__(self, stats: Stats, canned: Canned) -> None:
        self.stats = stats
        self.canned = canned
        self.buf = bytearray()
        self.transport: asyncio.Transport | None = None
        self.writable = asyncio.Event()
        self.writable.set()
        self.streaming = False
        self._reset()

    def _reset(self) -> None:
        self.method = b""
        self.target = b""
        self.close_after = False
        self.body = bytearray()
        self.keep_body = False
        self.received = 0
        self.remaining = 0  # bytes left in a Content-Length body or in the current chunk
        self.state = "head"  # head, body, chunk_size, chunk_data, chunk_crlf, trailer

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.stats.connections += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.writable.set()

    def pause_writing(self) -> None:
        self.writable.clear()

    def resume_writing(self) -> None:
        self.writable.set()

    def eof_received(self) -> bool:
        return False

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if not self.streaming:
            self._process()

    def _take_body(self, n: int) -> None:
        part = self.buf[:n]
        del self.buf[:n]
        self.received += n
        if self.keep_body:
            self.body += part

    def _process(self) -> None:
        while self.transport is not None and not self.streaming:
            if self.state == "head":
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    return
                self._parse_head(bytes(self.buf[:end]))
                del self.buf[: end + 4]
            elif self.state == "body":
                n = min(self.remaining, len(self.buf))
                if self.remaining and not n:
                    return
                self._take_body(n)
                self.remaining -= n
                if not self.remaining:
                    self._dispatch()
            elif self.state == "chunk_size":
                end = self.buf.find(b"\r\n")
                if end < 0:
                    return
                size = int(bytes(self.buf[:end]).split(b";", 1)[0], 16)
                del self.buf[: end + 2]
                self.remaining = size
                self.state = "chunk_data" if size else "trailer"
            elif self.state == "chunk_data":
                n = min(self.remaining, len(self.buf))
                if not n:
                    return
                self._take_body(n)
                self.remaining -= n
                if not self.remaining:
                    self.state = "chunk_crlf"
            elif self.state == "chunk_crlf":
                if len(self.buf) < 2:
                    return
                del self.buf[:2]
                self.state = "chunk_size"
            else:  # trailer: skip header lines until the empty one
                end = self.buf.find(b"\r\n")
                if end < 0:
                    return
                del self.buf[: end + 2]
                if end == 0:
                    self._dispatch()

    def _parse_head(self, head: bytes) -> None:
        request_line, _, header_block = head.partition(b"\r\n")
        self.method, self.target, version = request_line.split(b" ", 2)
        length = 0
        chunked = False
        self.close_after = version == b"HTTP/1.0"
        for line in header_block.split(b"\r\n"):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            value = value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value
            elif name == b"connection":
                self.close_after = value == b"close"
            elif name == b"expect" and value == b"100-continue":
                self._write(b"HTTP/1.1 100 Continue\r\n\r\n")
        self.keep_body = not self.target.startswith((b"/function/sink", b"/build"))
        if chunked:
            self.state = "chunk_size"
        else:
            self.state = "body"
            self.remaining = length

    def _write(self, data: bytes | memoryview) -> None:
        if self.transport is not None:
            self.transport.write(data)

    def _dispatch(self) -> None:
        self.stats.requests += 1
        self.stats.bytes_received += self.received
        path, _, query_string = self.target.decode("latin-1").partition("?")
        method, body, received, close_after = self.method, bytes(self.body), self.received, self.close_after
        self._reset()
        if path == "/function/echo" and method == b"POST":
            self._finish(_response(200, body, b"application/octet-stream"), close_after)
        elif path == "/system/functions" and method == b"GET":
            self._finish(_response(200, self.canned.functions), close_after)
        elif path.startswith("/system/function/") and method == b"GET" and path[17:] in self.canned.function:
            self._finish(_response(200, self.canned.function[path[17:]]), close_after)
        elif path == "/oauth/token" and method == b"POST":
            self._finish(_response(200, _TOKEN_ANSWER), close_after)
        elif path == "/function/sink":
            self._finish(_response(200, b'{"received": %d}' % received), close_after)
        elif path == "/build" and method == b"POST":
            results = b'{"log":["received %d bytes"],"status":"in_progress"}\n' % received
            results += b'{"image":"bench/build:latest","status":"success"}\n'
            self._finish(_response(200, results, b"application/x-ndjson"), close_after)
        elif path == "/function/download":
            size = int(parse_qs(query_string).get("bytes", ["0"])[0])
            head = _head(200, [(b"Content-Type", b"application/octet-stream"), (b"Content-Length", b"%d" % size)])
            self._stream(head, _download(size), close_after)
        elif path == "/system/logs" and method == b"GET":
            lines = int(parse_qs(query_string).get("tail", ["0"])[0])
            head = _head(200, [(b"Content-Type", b"application/x-ndjson"), (b"Transfer-Encoding", b"chunked")])
            self._stream(head, _log_frames(self.canned, lines), close_after)
        else:
            self._finish(_response(404, b"not found\n", b"text/plain"), close_after)

    def _finish(self, response: bytes, close_after: bool) -> None:
        self._write(response)
        if close_after and self.transport is not None:
            self.transport.close()

    def _stream(self, head: bytes, frames: Iterator[bytes | memoryview], close_after: bool) -> None:
        self.streaming = True
        self._write(head)
        asyncio.get_running_loop().create_task(self._pump(frames, close_after))

    async def _pump(self, frames: Iterator[bytes | memoryview], close_after: bool) -> None:
        for frame in frames:
            if self.transport is None:
                return
            self.transport.write(frame)
            if not self.writable.is_set():
                await self.writable.wait()
        self.streaming = False
        if close_after and self.transport is not None:
            self.transport.close()
        elif self.buf:
            self._process()


def _download(size: int) -> Iterator[memoryview]:
    block = len(_DOWNLOAD_BLOCK)
    for start in range(0, size, block):
        yield _DOWNLOAD_BLOCK[: min(block, size - start)]


def _log_frames(canned: Canned, lines: int) -> Iterator[bytes]:
    full, rest = divmod(lines, _LOG_BLOCK_LINES)
    for _ in range(full):
        yield canned.log_frame
    if rest:
        yield _chunk(b"".join(canned.log_lines[:rest]))
    yield b"0\r\n\r\n"


async def _control(stats: Stats) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        if line.strip() == b"stats":
            print(stats.as_json(), flush=True)


async def serve() -> None:
    """Serve on 127.0.0.1 (a free port) until stdin closes."""
    stats = Stats()
    canned = Canned()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: HTTPProtocol(stats, canned), "127.0.0.1", 0, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    async with server:
        await _control(stats)


if __name__ == "__main__":
    asyncio.run(serve())
