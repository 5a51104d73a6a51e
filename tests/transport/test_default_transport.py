"""What only pyopenfaas's default transport promises: a lazy aiohttp import, and any event loop, in turn or at once.

httpx's own transport is not tested here: a second asyncio.run() on it fails with "Event loop is closed".
"""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import threading
import warnings

import httpx
import pytest
from pyopenfaas import default_async_transport

from tests.transport.server import Exchange, serve


async def _hello(exchange: Exchange) -> None:
    await exchange.respond(body=b"hello")


def test_importing_pyopenfaas_does_not_import_aiohttp() -> None:
    code = (
        "import sys, pyopenfaas\n"
        "assert 'aiohttp' not in sys.modules\n"
        "pyopenfaas.default_async_transport()\n"
        "assert 'aiohttp' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_max_connections_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_connections"):
        default_async_transport(max_connections=0)


def test_made_outside_a_loop_then_used_by_one_loop_after_another_without_leaks() -> None:
    transport = default_async_transport()  # no running loop, as in AsyncOpenFaaS() at import time

    async def call() -> bytes:
        async with serve(_hello) as server:
            # Not `async with` the client: that would close the transport after the first loop.
            client = httpx.AsyncClient(transport=transport)
            return (await client.get(server.url)).content

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        assert asyncio.run(call()) == b"hello"
        assert asyncio.run(call()) == b"hello"  # the first loop is closed by now
        asyncio.run(transport.aclose())
        gc.collect()
    assert [str(warning.message) for warning in caught] == []


def test_loops_in_two_threads_share_the_transport_at_once() -> None:
    transport = default_async_transport(max_connections=2)
    both_running = threading.Barrier(2, timeout=5)
    results: list[list[bytes]] = []

    async def calls() -> None:
        async with serve(_hello) as server:
            client = httpx.AsyncClient(transport=transport)
            await client.get(server.url)
            await asyncio.to_thread(both_running.wait)
            # More calls than connections, so each loop queues for its own pool's slots.
            responses = await asyncio.gather(*(client.get(server.url) for _ in range(10)))
            results.append([response.content for response in responses])

    threads = [threading.Thread(target=asyncio.run, args=(calls(),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    asyncio.run(transport.aclose())
    assert results == [[b"hello"] * 10] * 2
