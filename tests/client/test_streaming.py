"""Log streams against a raw socket server on 127.0.0.1, which sees exactly what the client does with the
connection: 100,000 lines consumed as they arrive, the connection closed when the stream is, and a stream cut in
the middle of a line. The request each client sends is validated against openapi.yaml here too."""

from __future__ import annotations

import contextlib
import functools
import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import anyio.to_thread
import pytest
from pyopenfaas import APIConnectionError, APIResponseValidationError, AsyncLogStream, LogStream
from werkzeug.datastructures import Headers

from tests import payloads
from tests.contract.server import Gateway
from tests.contract.spec import Contract, SpecRequest, SpecResponse
from tests.support.clients import Client, Clients, close_stream, next_entry

pytestmark = pytest.mark.anyio

WAIT = 5.0  # the longest the server waits for the client, so that a broken client fails instead of hanging
TOTAL = 100_000
PER_CHUNK = 100
FIRST_BATCH = 1_000  # lines sent before the server waits for the client to have read one
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"


def log_line(number: int) -> bytes:
    return (json.dumps({**payloads.LOG_ENTRY, "text": f"line {number}"}) + "\n").encode()


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


@functools.cache
def hundred_thousand_chunks() -> list[bytes]:
    """The 100,000 lines in chunks of PER_CHUNK, made once: the server's own JSON encoding must not be what
    paces the stream."""
    return [
        chunk(b"".join(log_line(n) for n in range(start, start + PER_CHUNK))) for start in range(0, TOTAL, PER_CHUNK)
    ]


class RawServer:
    """Serves one connection with `script`, which writes the response by hand and records what it saw."""

    def __init__(self, script: Callable[[socket.socket, RawServer], None]) -> None:
        self.script = script
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(WAIT)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.request_head = b""
        self.sent_lines = 0
        self.client_read_one = threading.Event()
        self.disconnected = threading.Event()
        self.errors: list[BaseException] = []
        self.connection: socket.socket | None = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError as exc:
            self.errors.append(exc)
            return
        self.connection = connection
        with connection:
            connection.settimeout(WAIT)
            try:
                while b"\r\n\r\n" not in self.request_head:
                    data = connection.recv(4096)
                    if not data:
                        return
                    self.request_head += data
                self.script(connection, self)
            except OSError as exc:  # the client went away while the script was writing
                self.errors.append(exc)
                self.disconnected.set()

    def wait_for_disconnect(self, connection: socket.socket) -> None:
        """Block until the client closes the connection: recv returns b"" or the connection is reset. A timeout
        is not a disconnect."""
        connection.settimeout(3 * WAIT)
        try:
            while connection.recv(4096):
                pass
        except TimeoutError:
            return
        except OSError:
            pass
        self.disconnected.set()

    def close(self) -> None:
        self.client_read_one.set()
        self.listener.close()
        if self.connection is not None:
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
        self.thread.join(WAIT)


@pytest.fixture
async def raw_clients(kind: str, gateway: Gateway) -> Any:
    made = Clients(kind, gateway)
    yield made
    await made.close()


@pytest.fixture
def serve(contract: Contract) -> Iterator[Callable[[Callable[[socket.socket, RawServer], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(script: Callable[[socket.socket, RawServer], None]) -> RawServer:
        server = RawServer(script)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
        # Each request the clients sent here is checked against openapi.yaml like every other.
        if server.request_head:
            head = server.request_head.split(b"\r\n\r\n", 1)[0]
            assert contract.request_problems(SpecRequest.from_raw(head)) == []


def make_client(clients: Clients, server: RawServer, **options: Any) -> Client:
    return clients.make(server.url, **options)


# ---- 100,000 lines ----------------------------------------------------------------------------------------------


def hundred_thousand_lines(connection: socket.socket, server: RawServer) -> None:
    connection.sendall(HEAD)
    for number, data in enumerate(hundred_thousand_chunks(), 1):
        connection.sendall(data)
        server.sent_lines = number * PER_CHUNK
        if server.sent_lines == FIRST_BATCH:
            # The rest waits until the client has handed over one entry. A client that read the whole body before
            # yielding would see this wait time out, and its first entry would come after all 100,000 were sent.
            server.client_read_one.wait(WAIT)
    connection.sendall(b"0\r\n\r\n")


async def test_a_hundred_thousand_lines_are_consumed_as_they_arrive(
    raw_clients: Clients, serve: Any, contract: Contract
) -> None:
    hundred_thousand_chunks()  # made before the clock matters
    server = serve(hundred_thousand_lines)
    client = make_client(raw_clients, server, timeout=10.0)
    stream = client.functions.logs("figlet", follow=True)
    first = await next_entry(stream)
    sent_when_first_read = server.sent_lines
    server.client_read_one.set()
    assert first.text == "line 0"
    assert sent_when_first_read <= FIRST_BATCH < TOTAL

    count, last = 1, first
    if isinstance(stream, AsyncLogStream):
        async for entry in stream:
            count, last = count + 1, entry
    else:
        for entry in stream:
            count, last = count + 1, entry
    assert count == TOTAL
    assert last.text == f"line {TOTAL - 1}"
    assert server.sent_lines == TOTAL
    assert not server.errors
    # The lines served are LogEntry objects as openapi.yaml describes them.
    sample = b"".join(log_line(n) for n in (0, TOTAL - 1))
    ndjson = Headers({"Content-Type": "application/x-ndjson"})
    assert (
        contract.response_problems(SpecRequest.from_raw(server.request_head), SpecResponse(200, sample, ndjson)) == []
    )


# ---- closing the stream closes the connection --------------------------------------------------------------------


def ten_lines_then_wait(connection: socket.socket, server: RawServer) -> None:
    connection.sendall(HEAD + chunk(b"".join(log_line(n) for n in range(10))))
    server.wait_for_disconnect(connection)


async def close_by(stream: LogStream | AsyncLogStream, how: str) -> str:
    """Read one entry, then end the stream the way `how` says."""
    if how == "close":
        first = await next_entry(stream)
        await close_stream(stream)
    elif isinstance(stream, AsyncLogStream):
        async with stream:
            first = await anext(stream)
    else:
        with stream:
            first = next(stream)
    return first.text


@pytest.mark.parametrize("how", ["close", "with-block"])
async def test_closing_the_stream_closes_the_connection(raw_clients: Clients, serve: Any, how: str) -> None:
    server = serve(ten_lines_then_wait)
    client = make_client(raw_clients, server)
    stream = client.functions.logs("figlet", follow=True)
    assert await close_by(stream, how) == "line 0"
    # Waited for off the event loop: asyncio closes a socket on a later turn of the loop.
    disconnected = await anyio.to_thread.run_sync(server.disconnected.wait, WAIT)
    assert disconnected, "the server still holds an open connection after the stream was closed"
    assert await next_entry_or_none(stream) is None


async def next_entry_or_none(stream: LogStream | AsyncLogStream) -> Any:
    if isinstance(stream, AsyncLogStream):
        return await anext(stream, None)
    return next(stream, None)


# ---- a stream cut short --------------------------------------------------------------------------------------------


def cut_mid_line(connection: socket.socket, server: RawServer) -> None:
    whole = b"".join(log_line(n) for n in range(3))
    connection.sendall(HEAD + chunk(whole + log_line(3)[:25]))
    connection.shutdown(socket.SHUT_RDWR)  # no last chunk: the stream is cut in the middle of line 4


async def test_a_stream_cut_mid_line_raises_after_the_complete_entries(raw_clients: Clients, serve: Any) -> None:
    server = serve(cut_mid_line)
    client = make_client(raw_clients, server, max_retries=0)
    stream = client.functions.logs("figlet")
    received = [(await next_entry(stream)).text for _ in range(3)]
    assert received == ["line 0", "line 1", "line 2"]
    with pytest.raises(APIConnectionError) as caught:
        await next_entry(stream)
    assert not isinstance(caught.value, APIResponseValidationError)
    assert "3 log entries" in str(caught.value)
