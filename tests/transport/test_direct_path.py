"""AsyncOpenFaaS on its own aiohttp transport sends plain invocations past httpx's client layers (see
`AsyncHTTPClient.send`): what goes on the wire and what the caller gets back must be what httpx's path gives."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import random
from collections.abc import Awaitable, Callable

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyopenfaas import APITimeoutError, AsyncOpenFaaS
from pyopenfaas._aiohttp_transport import PlainRequest

from tests.support.faultserver import Exchange, serve, wait

ANSWER = "gr\u00fc\u00dfe".encode()


async def _answer(exchange: Exchange) -> None:
    encoded = exchange.target.endswith("/gz")
    await exchange.respond(
        201,
        gzip.compress(ANSWER) if encoded else ANSWER,
        {"Content-Type": "text/plain; charset=utf-8", "X-Call-Id": "c-1", "Set-Cookie": "a=b"}
        | ({"Content-Encoding": "gzip"} if encoded else {}),
        reason="Made",
    )


def _head(exchange: Exchange) -> list[bytes]:
    return exchange.raw_head.split(b"\r\n")[1:]  # the request line differs only in the port


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["", "/gz"])
@pytest.mark.parametrize("data", [b"\x00\x01", "text", None])
async def test_direct_path_matches_httpx(anyio_backend: str, path: str, data: bytes | str | None) -> None:
    async with serve(_answer) as server:
        direct = AsyncOpenFaaS(server.url, env={})
        reference = AsyncOpenFaaS(server.url, env={}, transport=httpx.AsyncHTTPTransport())
        try:
            assert direct._api.http._direct is not None  # type: ignore[attr-defined]  # the path under test
            got = await direct.functions.invoke("echo", data, path=path, headers={"X-A": "1"})
            want = await reference.functions.invoke("echo", data, path=path, headers={"X-A": "1"})
        finally:
            await direct.aclose()
            await reference.aclose()
    mine, theirs = got.http_response, want.http_response
    assert (got.status_code, got.content, got.text, got.call_id) == (201, ANSWER, "gr\u00fc\u00dfe", "c-1")
    assert (mine.status_code, mine.content, mine.text) == (theirs.status_code, theirs.content, theirs.text)
    assert mine.headers.multi_items() == theirs.headers.multi_items()
    assert (mine.http_version, mine.reason_phrase, mine.encoding) == (theirs.http_version, "Made", "utf-8")
    assert mine.is_closed
    assert mine.elapsed.total_seconds() >= 0
    assert mine.request.headers.multi_items() == theirs.request.headers.multi_items()
    sent, reference_sent = server.exchanges
    assert sorted(_head(sent)) == sorted(_head(reference_sent))


@pytest.mark.anyio
@pytest.mark.parametrize("size", [2**16, 2**16 + 1, 3 * 2**20 + 5])  # the read timeout's two clocks; in slices
async def test_a_large_body_goes_out_whole(anyio_backend: str, size: int) -> None:
    async def digest(exchange: Exchange) -> None:
        await exchange.respond(body=hashlib.sha256(await exchange.body()).hexdigest().encode())

    body = random.Random(size).randbytes(size)
    async with serve(digest) as server, AsyncOpenFaaS(server.url, env={}) as client:
        assert client._api.http._direct is not None  # type: ignore[attr-defined]  # the path under test
        response = await client.functions.invoke("sink", body)
    assert response.text == hashlib.sha256(body).hexdigest()


@pytest.mark.anyio
async def test_an_event_hook_sees_every_request(anyio_backend: str) -> None:
    seen: list[str] = []

    async def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    async with serve(_answer) as server:
        client = AsyncOpenFaaS(server.url, env={})
        try:
            client._api.http.event_hooks = {"request": [hook]}
            await client.functions.invoke("echo", b"x")
        finally:
            await client.aclose()
    assert seen == ["/function/echo"]


# Read timeouts on the direct path: the wait for the head is timed by the transport's one timer per event loop
# (`_ReadDeadlines`), the rest of a body by aiohttp; both must behave as httpx's read timeout does.

SHORT = httpx.Timeout(5, read=0.2)


def _timing_server(
    release: asyncio.Event, arrived: asyncio.Event | None = None
) -> Callable[[Exchange], Awaitable[None]]:
    async def handler(exchange: Exchange) -> None:
        name = exchange.target.split("/")[2]
        await exchange.body()
        if arrived is not None:
            arrived.set()
        if name == "stall":  # no answer until released
            await wait(release)
            await exchange.respond(body=b"late")
        elif name == "cut":  # half the body, then nothing
            exchange.write_head(200, {"content-length": "10"})
            exchange.writer.write(b"12345")
            await exchange.writer.drain()
            await wait(release)
        elif name == "trickle":  # the body in pieces, each well within the read timeout, all of them beyond it
            exchange.write_head(200, {"transfer-encoding": "chunked"})
            for piece in range(6):
                await exchange.send_chunk(b"%d" % piece)
                await asyncio.sleep(0.3)
            await exchange.send_chunk(b"")
        else:
            await exchange.respond(body=name.encode())

    return handler


@pytest.mark.anyio
async def test_a_head_that_never_comes_raises_a_read_timeout_and_the_next_call_works(anyio_backend: str) -> None:
    release = asyncio.Event()
    async with serve(_timing_server(release)) as server, AsyncOpenFaaS(server.url, env={}) as client:
        # The first deadline passes with nothing left to time: the timer must wake again for the next.
        quick = await client.functions.invoke("quick", timeout=httpx.Timeout(5, read=0.1))
        with pytest.raises(APITimeoutError, match=r"read timeout \(0.2 s\) fired"):
            await client.functions.invoke("stall", timeout=SHORT)
        again = await client.functions.invoke("again", timeout=SHORT)
        release.set()
    assert (quick.content, again.content) == (b"quick", b"again")
    assert server.connections == 2  # the timed-out connection was closed, not reused


@pytest.mark.anyio
async def test_each_call_keeps_its_own_read_timeout(anyio_backend: str) -> None:
    release, arrived = asyncio.Event(), asyncio.Event()
    async with serve(_timing_server(release, arrived)) as server, AsyncOpenFaaS(server.url, env={}) as client:
        patient = asyncio.create_task(client.functions.invoke("stall", timeout=httpx.Timeout(5, read=4)))
        assert await wait(arrived)  # the patient call waits for its head
        with pytest.raises(APITimeoutError):  # a shorter deadline after a longer one
            await client.functions.invoke("stall", timeout=SHORT)
        assert not patient.done()
        release.set()
        assert (await patient).content == b"late"


@pytest.mark.anyio
async def test_a_body_that_stops_after_the_head_raises_a_read_timeout(anyio_backend: str) -> None:
    release = asyncio.Event()
    async with serve(_timing_server(release)) as server, AsyncOpenFaaS(server.url, env={}) as client:
        with pytest.raises(APITimeoutError, match="read timeout"):
            await client.functions.invoke("cut", timeout=SHORT)
        release.set()


@pytest.mark.anyio
async def test_a_body_that_keeps_coming_outlasts_the_read_timeout(anyio_backend: str) -> None:
    async with serve(_timing_server(asyncio.Event())) as server, AsyncOpenFaaS(server.url, env={}) as client:
        response = await client.functions.invoke("trickle", timeout=httpx.Timeout(5, read=1))
    assert response.content == b"012345"


@pytest.mark.anyio
async def test_cancelling_a_call_that_waits_for_its_head_is_a_cancellation(anyio_backend: str) -> None:
    release, arrived = asyncio.Event(), asyncio.Event()
    async with serve(_timing_server(release, arrived)) as server, AsyncOpenFaaS(server.url, env={}) as client:
        call = asyncio.create_task(client.functions.invoke("stall", timeout=SHORT))
        assert await wait(arrived)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert (await client.functions.invoke("after", timeout=SHORT)).content == b"after"
        release.set()


_NAMES = st.sampled_from(["Authorization", "authorization", "X-A", "x-a", "Accept"])
_PAIRS = st.lists(st.tuples(_NAMES, st.text(alphabet="abc =", max_size=4)), max_size=6)


@settings(max_examples=200, deadline=None)
@given(pairs=_PAIRS, name=_NAMES, value=st.text(alphabet="abc =", max_size=4), read_first=st.booleans())
def test_setting_a_header_on_a_plain_request_is_what_httpx_does(
    pairs: list[tuple[str, str]], name: str, value: str, read_first: bool
) -> None:
    request = PlainRequest("POST", httpx.URL("http://gateway/function/f"), list(pairs), b"", {})
    if read_first:
        request.headers  # noqa: B018  # parsed before the change
    request.set_header(name, value)
    expected = httpx.Headers(pairs)
    expected[name] = value
    assert request.pairs() == [(key.decode(), item.decode()) for key, item in expected.raw]  # what is sent
    assert request.headers.raw == expected.raw
