"""Small HTTP/1.1 servers and a forward proxy on 127.0.0.1, written on asyncio streams.

Written by hand rather than with pytest-httpserver so that a test controls every byte and every pause:
a body sent in pieces, a stall, a reset. Everything runs on the test's own event loop, so handlers and
tests share asyncio.Events; `serve` cancels whatever is still running when the test leaves it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

# A handler never waits longer than this for the test, so a broken transport fails a test, not hangs it.
PATIENCE = 2.0


async def wait(event: asyncio.Event) -> bool:
    """Wait for `event`, at most PATIENCE seconds; whether it was set."""
    try:
        await asyncio.wait_for(event.wait(), PATIENCE)
    except TimeoutError:
        return False
    return True


@dataclass
class Exchange:
    """One request as the server sees it, and the means to answer it."""

    method: str
    target: str
    headers: dict[str, str]  # lower-case names
    raw_head: bytes
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    keep_alive: bool = True
    _body_done: bool = field(default=False, repr=False)

    async def body_chunks(self) -> AsyncIterator[bytes]:
        """The request body, piece by piece as it arrives (chunked or Content-Length)."""
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                yield await self.reader.readexactly(size)
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")
        else:
            left = int(self.headers.get("content-length", "0"))
            while left:
                piece = await self.reader.read(min(left, 65536))
                if not piece:
                    raise ConnectionError("body cut short")
                left -= len(piece)
                yield piece
        self._body_done = True

    async def body(self) -> bytes:
        return b"".join([piece async for piece in self.body_chunks()])

    async def respond(
        self, status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None, reason: str = "OK"
    ) -> None:
        if not self._body_done:
            await self.body()
        head = {"content-length": str(len(body)), **(headers or {})}
        self.write_head(status, head, reason)
        self.writer.write(body)
        await self.writer.drain()

    def write_head(self, status: int, headers: dict[str, str], reason: str = "OK") -> None:
        lines = [f"HTTP/1.1 {status} {reason}", *(f"{name}: {value}" for name, value in headers.items())]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    async def send_chunk(self, data: bytes) -> None:
        """One piece of a chunked response body; b"" ends it."""
        self.writer.write(b"%x\r\n%s\r\n" % (len(data), data))
        await self.writer.drain()

    def reset(self) -> None:
        """Drop the connection with a TCP RST."""
        sock = self.writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()
        self.keep_alive = False


Handler = Callable[[Exchange], Awaitable[None]]


@dataclass
class Server:
    url: str
    port: int
    connections: int = 0
    exchanges: list[Exchange] = field(default_factory=list)


async def _read_exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Exchange | None:
    try:
        raw_head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    request_line, *lines = raw_head.decode("latin-1").split("\r\n")[:-2]
    method, target, _ = request_line.split(" ", 2)
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Exchange(method, target, headers, raw_head, reader, writer)


@contextlib.asynccontextmanager
async def serve(handler: Handler, *, ssl_context: ssl.SSLContext | None = None) -> AsyncIterator[Server]:
    """Run `handler` for each request on a keep-alive HTTP/1.1 server, for the `async with` block."""
    tasks: set[asyncio.Task[None]] = set()

    async def exchanges(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while (exchange := await _read_exchange(reader, writer)) is not None:
                server.exchanges.append(exchange)
                await handler(exchange)
                if not exchange.keep_alive or exchange.headers.get("connection") == "close":
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # In a task of our own: asyncio 3.11 logs an error when the task it started is cancelled.
        server.connections += 1
        task = asyncio.create_task(exchanges(reader, writer))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    listener = await asyncio.start_server(connection, "127.0.0.1", 0, ssl=ssl_context)
    port = listener.sockets[0].getsockname()[1]
    server = Server(f"{'https' if ssl_context else 'http'}://127.0.0.1:{port}", port)
    try:
        yield server
    finally:
        listener.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await listener.wait_closed()


async def _relay(exchange: Exchange, counter: list[Exchange]) -> None:
    """Forward one absolute-form request to its origin, with Connection: close, and copy the answer back."""
    counter.append(exchange)
    assert exchange.target.startswith("http://"), exchange.target
    host_port, _, path = exchange.target.removeprefix("http://").partition("/")
    host, _, port = host_port.partition(":")
    body = await exchange.body()
    reader, writer = await asyncio.open_connection(host, int(port or 80))
    headers = {name: value for name, value in exchange.headers.items() if not name.startswith("proxy-")}
    headers.update({"connection": "close", "via": "1.1 test-proxy"})
    head = [f"{exchange.method} /{path} HTTP/1.1", *(f"{name}: {value}" for name, value in headers.items())]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
    answer = await reader.read()
    writer.close()
    exchange.writer.write(answer)
    await exchange.writer.drain()
    exchange.keep_alive = False


async def _tunnel(exchange: Exchange, counter: list[Exchange]) -> None:
    """Answer a CONNECT, then copy bytes both ways until either side closes."""
    counter.append(exchange)
    host, _, port = exchange.target.rpartition(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    exchange.writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")

    async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        finally:
            sink.close()

    await asyncio.gather(pipe(exchange.reader, writer), pipe(reader, exchange.writer), return_exceptions=True)
    exchange.keep_alive = False


@contextlib.asynccontextmanager
async def forward_proxy() -> AsyncIterator[tuple[Server, list[Exchange]]]:
    """A forward proxy (plain requests and CONNECT); yields the server and the requests it forwarded."""
    forwarded: list[Exchange] = []

    async def handler(exchange: Exchange) -> None:
        await (_tunnel if exchange.method == "CONNECT" else _relay)(exchange, forwarded)

    async with serve(handler) as proxy:
        yield proxy, forwarded
