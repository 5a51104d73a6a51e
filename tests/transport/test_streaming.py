"""Bodies stream both ways: nothing is buffered whole, by either transport."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator

import pytest

from tests.support.faultserver import Exchange, serve, wait
from tests.transport.conftest import MakeClient

pytestmark = pytest.mark.anyio

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
