"""Streaming, both ways, never buffered whole.

Log streams against the fault server, which sees exactly what the client does with the connection: 100,000 lines
consumed as they arrive, the connection closed when the stream is, and a stream cut in the middle of a line (on
every client kind; the request each client sends is validated against openapi.yaml here too). Then bodies under
httpx.AsyncClient on each async transport: lines and bytes that arrive while the server still sends, uploads sent
as they are produced, large bodies whole."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
import pytest
from pyopenfaas import APIConnectionError, APIResponseValidationError, AsyncLogStream, LogStream
from werkzeug.datastructures import Headers

from tests import payloads
from tests.contract.spec import Contract, SpecRequest, SpecResponse
from tests.support.clients import Client, Clients, close_stream, next_entry
from tests.support.faultserver import Conn, Exchange, FaultServer, Received, serve, wait
from tests.support.fixtures import MakeClient

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


@dataclass
class Seen:
    """What a scripted server saw and did: its one request, how far it got, and the client's side of it."""

    request: Received | None = None
    sent_lines: int = 0
    finished: threading.Event = field(default_factory=threading.Event)
    client_read_one: threading.Event = field(default_factory=threading.Event)
    disconnected: threading.Event = field(default_factory=threading.Event)
    conn: Conn | None = None

    @property
    def request_head(self) -> bytes:
        assert self.request is not None
        lines = [f"{self.request.method} {self.request.path} HTTP/1.1"]
        lines += [f"{name}: {value}" for name, value in self.request.headers.items()]
        return "\r\n".join(lines).encode("latin-1")


Script = Callable[[Conn, Seen], None]


def wait_for_disconnect(conn: Conn, seen: Seen) -> None:
    """Block until the client closes the connection: recv returns b"" or the connection is reset. A timeout
    is not a disconnect."""
    conn.sock.settimeout(3 * WAIT)
    try:
        while conn.sock.recv(4096):
            pass
    except TimeoutError:
        return
    except OSError:
        pass
    seen.disconnected.set()


@pytest.fixture
def scripted(contract: Contract) -> Iterator[Callable[[Script], tuple[FaultServer, Seen]]]:
    """Starts a fault server whose one answer is written by `script`; at the end, ends them all and checks each
    request the clients sent against openapi.yaml, like every other."""
    started: list[tuple[FaultServer, Seen]] = []
    with contextlib.ExitStack() as stack:

        def start(script: Script) -> tuple[FaultServer, Seen]:
            seen = Seen()

            def behave(conn: Conn, request: Received, index: int) -> None:
                seen.request, seen.conn = request, conn
                conn.sock.settimeout(WAIT)
                script(conn, seen)
                conn.close(counted=False)  # one answer a connection: these are not counted as faults

            server = stack.enter_context(FaultServer(behave, max_connections=1))
            started.append((server, seen))
            return server, seen

        yield start
        for _, seen in started:  # unblock scripts still waiting for the client
            seen.client_read_one.set()
            if seen.conn is not None:
                with contextlib.suppress(OSError):
                    seen.conn.sock.shutdown(socket.SHUT_RDWR)
    for _, seen in started:
        if seen.request is not None:
            assert contract.request_problems(SpecRequest.from_raw(seen.request_head)) == []


def client_for(clients: Clients, server: FaultServer, **options: Any) -> Client:
    return clients.make(server.url, **options)


# ---- 100,000 lines ----------------------------------------------------------------------------------------------


def hundred_thousand_lines(conn: Conn, seen: Seen) -> None:
    conn.send(HEAD)
    for number, data in enumerate(hundred_thousand_chunks(), 1):
        conn.send(data)
        seen.sent_lines = number * PER_CHUNK
        if seen.sent_lines == FIRST_BATCH:
            # The rest waits until the client has handed over one entry. A client that read the whole body before
            # yielding would see this wait time out, and its first entry would come after all 100,000 were sent.
            seen.client_read_one.wait(WAIT)
    conn.end_chunks()
    seen.finished.set()


async def test_a_hundred_thousand_lines_are_consumed_as_they_arrive(
    clients: Clients, scripted: Any, contract: Contract
) -> None:
    hundred_thousand_chunks()  # made before the clock matters
    server, seen = scripted(hundred_thousand_lines)
    client = client_for(clients, server, timeout=10.0)
    stream = client.functions.logs("figlet", follow=True)
    first = await next_entry(stream)
    sent_when_first_read = seen.sent_lines
    seen.client_read_one.set()
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
    assert seen.sent_lines == TOTAL
    # The server wrote the whole stream without a socket error. The client can read the last chunk before the
    # server's thread gets to say so: wait for it (bounded).
    assert seen.finished.wait(WAIT)
    # The lines served are LogEntry objects as openapi.yaml describes them.
    sample = b"".join(log_line(n) for n in (0, TOTAL - 1))
    ndjson = Headers({"Content-Type": "application/x-ndjson"})
    assert contract.response_problems(SpecRequest.from_raw(seen.request_head), SpecResponse(200, sample, ndjson)) == []


# ---- closing the stream closes the connection --------------------------------------------------------------------


def ten_lines_then_wait(conn: Conn, seen: Seen) -> None:
    conn.send(HEAD + chunk(b"".join(log_line(n) for n in range(10))))
    wait_for_disconnect(conn, seen)


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
async def test_closing_the_stream_closes_the_connection(clients: Clients, scripted: Any, how: str) -> None:
    server, seen = scripted(ten_lines_then_wait)
    client = client_for(clients, server)
    stream = client.functions.logs("figlet", follow=True)
    assert await close_by(stream, how) == "line 0"
    # Waited for off the event loop: asyncio closes a socket on a later turn of the loop.
    disconnected = await anyio.to_thread.run_sync(seen.disconnected.wait, WAIT)
    assert disconnected, "the server still holds an open connection after the stream was closed"
    assert await next_entry_or_none(stream) is None


async def next_entry_or_none(stream: LogStream | AsyncLogStream) -> Any:
    if isinstance(stream, AsyncLogStream):
        return await anext(stream, None)
    return next(stream, None)


# ---- a stream cut short --------------------------------------------------------------------------------------------


def cut_mid_line(conn: Conn, seen: Seen) -> None:
    whole = b"".join(log_line(n) for n in range(3))
    conn.send(HEAD + chunk(whole + log_line(3)[:25]))
    conn.sock.shutdown(socket.SHUT_RDWR)  # no last chunk: the stream is cut in the middle of line 4


async def test_a_stream_cut_mid_line_raises_after_the_complete_entries(clients: Clients, scripted: Any) -> None:
    server, _ = scripted(cut_mid_line)
    client = client_for(clients, server, max_retries=0)
    stream = client.functions.logs("figlet")
    received = [(await next_entry(stream)).text for _ in range(3)]
    assert received == ["line 0", "line 1", "line 2"]
    with pytest.raises(APIConnectionError) as caught:
        await next_entry(stream)
    assert not isinstance(caught.value, APIResponseValidationError)
    assert "3 log entries" in str(caught.value)


# ---- bodies both ways, on each async transport under httpx.AsyncClient ------------------------------------------

MiB = 2**20


async def test_response_lines_arrive_while_the_server_is_still_sending(make_client: MakeClient) -> None:
    first_line_read = asyncio.Event()
    waited: list[bool] = []

    async def handler(exchange: Exchange) -> None:
        exchange.write_head(200, {"transfer-encoding": "chunked"})
        await exchange.send_chunk(b'{"text": "one"}\n')
        waited.append(await wait(first_line_read))  # a transport that buffers never lets the client set it
        await exchange.send_chunk(b'{"text": "two"}\n')
        await exchange.send_chunk(b"")

    async with serve(handler) as server, make_client() as client, client.stream("GET", server.url) as response:
        lines = response.aiter_lines()
        assert await anext(lines) == '{"text": "one"}'
        first_line_read.set()
        assert [line async for line in lines] == ['{"text": "two"}']
    assert waited == [True]


async def test_response_bytes_arrive_while_the_server_is_still_sending(make_client: MakeClient) -> None:
    first_piece_read = asyncio.Event()
    waited: list[bool] = []

    async def handler(exchange: Exchange) -> None:
        exchange.write_head(200, {"content-length": "10"})
        exchange.writer.write(b"first")
        await exchange.writer.drain()
        waited.append(await wait(first_piece_read))
        exchange.writer.write(b"after")
        await exchange.writer.drain()

    async with serve(handler) as server, make_client() as client, client.stream("GET", server.url) as response:
        pieces = response.aiter_bytes()
        assert await anext(pieces) == b"first"
        first_piece_read.set()
        assert b"".join([piece async for piece in pieces]) == b"after"
    assert waited == [True]


async def test_a_streamed_upload_is_sent_as_it_is_produced(make_client: MakeClient) -> None:
    first_piece_received = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        yield b"first "
        # A transport that reads the whole body before sending leaves this to time out.
        await asyncio.wait_for(first_piece_received.wait(), 2)
        yield b"second"

    async def handler(exchange: Exchange) -> None:
        received = []
        async for piece in exchange.body_chunks():
            received.append(piece)
            first_piece_received.set()
        await exchange.respond(body=b"".join(received))

    async with serve(handler) as server, make_client() as client:
        response = await client.post(server.url, content=body())
    assert response.content == b"first second"
    assert server.exchanges[0].headers["transfer-encoding"] == "chunked"


async def _digest(exchange: Exchange) -> None:
    digest = hashlib.sha256()
    async for piece in exchange.body_chunks():
        digest.update(piece)
    await exchange.respond(body=digest.hexdigest().encode())


async def test_a_large_streamed_upload_arrives_whole(make_client: MakeClient) -> None:
    piece = bytes(range(256)) * 256  # 64 KiB

    async def body() -> AsyncIterator[bytes]:
        for _ in range(64):  # 4 MiB
            yield piece

    async with serve(_digest) as server, make_client() as client:
        response = await client.put(server.url, content=body())
    assert response.text == hashlib.sha256(piece * 64).hexdigest()


# aiohttp warns (ResourceWarning) when given a bytes body over 1 MiB; the transport must not let it.
@pytest.mark.filterwarnings("error")
async def test_a_large_bytes_body_arrives_whole_with_its_length(make_client: MakeClient) -> None:
    body = bytes(range(256)) * (4 * MiB // 256 + 1)

    async with serve(_digest) as server, make_client() as client:
        response = await client.post(server.url, content=body)
    assert response.text == hashlib.sha256(body).hexdigest()
    assert server.exchanges[0].headers["content-length"] == str(len(body))


async def test_a_large_download_streams_whole(make_client: MakeClient) -> None:
    piece = bytes(range(256)) * 256

    async def handler(exchange: Exchange) -> None:
        exchange.write_head(200, {"transfer-encoding": "chunked"})
        for _ in range(64):
            await exchange.send_chunk(piece)
        await exchange.send_chunk(b"")

    digest = hashlib.sha256()
    async with serve(handler) as server, make_client() as client, client.stream("GET", server.url) as response:
        async for data in response.aiter_bytes():
            digest.update(data)
    assert digest.hexdigest() == hashlib.sha256(piece * 64).hexdigest()


async def test_an_error_in_the_callers_upload_stream_reaches_the_caller(make_client: MakeClient) -> None:
    async def body() -> AsyncIterator[bytes]:
        yield b"some"
        raise ValueError("the caller's own error")

    async def handler(exchange: Exchange) -> None:
        await exchange.respond()

    async with serve(handler) as server, make_client() as client:
        with pytest.raises(ValueError, match="the caller's own error"):
            await client.post(server.url, content=body())
