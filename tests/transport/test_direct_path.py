"""AsyncOpenFaaS on its own aiohttp transport sends plain invocations past httpx's client layers (see
`AsyncHTTPClient.send`): what goes on the wire and what the caller gets back must be what httpx's path gives."""

from __future__ import annotations

import gzip

import httpx
import pytest
from pyopenfaas import AsyncOpenFaaS

from tests.support.faultserver import Exchange, serve

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
