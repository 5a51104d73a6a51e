"""What only pyopenfaas's default transport promises: a lazy aiohttp import, and any event loop, in turn or at once.

httpx's own transport is not tested here: a second asyncio.run() on it fails with "Event loop is closed".
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from typing import Any

import aiohttp
import httpx
import pytest
from pyopenfaas import default_async_transport

from tests.support.faultserver import Exchange, serve


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


def test_made_outside_a_loop_then_used_by_one_loop_after_another_without_leaks(monkeypatch: pytest.MonkeyPatch) -> None:
    # The transport's own sessions are watched, not the process's garbage: a warning about what another test left
    # for the collector says nothing about this transport.
    sessions: list[aiohttp.ClientSession] = []
    init = aiohttp.ClientSession.__init__

    def recording_init(self: aiohttp.ClientSession, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        sessions.append(self)

    monkeypatch.setattr(aiohttp.ClientSession, "__init__", recording_init)
    transport = default_async_transport()  # no running loop, as in AsyncOpenFaaS() at import time

    async def call() -> tuple[bytes, bool]:
        async with serve(_hello) as server:
            # Not `async with` the client: that would close the transport after the first loop.
            client = httpx.AsyncClient(transport=transport)
            return (await client.get(server.url)).content, sessions[-1].closed

    assert asyncio.run(call()) == (b"hello", False)
    assert len(sessions) == 1
    assert sessions[0].closed, "asyncio.run() shut the first loop down: its session must be closed with it"
    assert asyncio.run(call()) == (b"hello", False)  # the first loop is closed by now: a session of its own
    asyncio.run(transport.aclose())
    assert len(sessions) == 2
    assert [(session.closed, session.connector) for session in sessions] == [(True, None)] * 2


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
