"""Concurrency: one OpenFaaS client shared by 16 threads, and one AsyncOpenFaaS with 200 calls in flight
(on both transports), against the fake gateway served on 127.0.0.1. Every answer matches its own request
(no cross-talk between connections, bodies or headers), and nothing is lost or sent twice.
"""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import anyio
import pytest
from pyopenfaas import AsyncOpenFaaS, OpenFaaS
from pyopenfaas.testing import FakeGateway, FunctionRequest, FunctionResponse

from tests.support import stats
from tests.support.clients import ASYNC_KINDS, make_openfaas
from tests.support.faultserver import PATIENCE, Conn, FaultServer, Received

FUNCTIONS = [f"echo-{n}" for n in range(4)]
THREADS = 16
CALLS_PER_THREAD = 40
IN_FLIGHT = 200


class Echo:
    """Echo handlers that also write down every payload they were called with."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: Counter[str] = Counter()

    def __call__(self, request: FunctionRequest) -> FunctionResponse:
        with self.lock:
            self.seen[request.text] += 1
        return FunctionResponse(
            f"{request.name}:{request.text}",
            headers={"X-Echo-Tag": request.headers.get("X-Tag", ""), "Content-Type": "text/plain"},
        )


@pytest.fixture
def echo() -> Echo:
    return Echo()


@pytest.fixture
def gateway_url(echo: Echo) -> Iterator[str]:
    with FakeGateway(flavour="faasd", username="admin", password="pw") as gateway:
        for name in FUNCTIONS:
            gateway.deploy(name, handler=echo)
        with gateway.serve() as url:
            yield url


def _expect(tag: str, n: int) -> tuple[str, str]:
    function = FUNCTIONS[n % len(FUNCTIONS)]
    return function, f"{function}:{tag}"


def test_one_sync_client_shared_by_16_threads(gateway_url: str, echo: Echo) -> None:
    with OpenFaaS(gateway_url, username="admin", password="pw", env={}) as client:

        def worker(thread: int) -> int:
            done = 0
            for i in range(CALLS_PER_THREAD):
                tag = f"t{thread}-c{i}"
                function, expected = _expect(tag, thread + i)
                if i % 4 == 3:  # a /system call now and then, with the credentials, on the same pool
                    assert client.functions.get(function).name == function
                else:
                    response = client.functions.invoke(function, tag, headers={"X-Tag": tag})
                    assert response.text == expected, f"{tag} got {response.text!r}"
                    assert response.headers["X-Echo-Tag"] == tag
                done += 1
            return done

        with ThreadPoolExecutor(THREADS) as pool:
            done = sum(pool.map(worker, range(THREADS)))
    invocations = {f"t{t}-c{i}" for t in range(THREADS) for i in range(CALLS_PER_THREAD) if i % 4 != 3}
    assert done == THREADS * CALLS_PER_THREAD
    assert set(echo.seen) == invocations  # nothing lost
    assert set(echo.seen.values()) == {1}  # nothing sent twice
    stats.add("concurrent calls checked: one OpenFaaS in 16 threads", done)


def test_an_idle_connection_of_the_sync_pool_does_not_expire_by_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpcore's sync pool can close a connection as expired after it handed it to a request in another thread
    (encode/httpcore#1110): `jobs.map` once failed with EBADF so. The pool of `OpenFaaS` never expires one by time,
    so that race has nothing to close; a connection the server closed is still replaced."""
    clock = [0.0]
    # httpcore reads its clock as `time.monotonic()` in this module (raises, so fails loudly, if that changes).
    monkeypatch.setattr("httpcore._sync.http11.time", SimpleNamespace(monotonic=lambda: clock[0]))
    calls, closed = [0], threading.Event()

    def behave(conn: Conn, request: Received, index: int) -> None:
        calls[0] += 1
        conn.reply(200, b"ok", {"Content-Type": "text/plain"})
        if calls[0] == 3:
            conn.close()
            conn.sock.shutdown(socket.SHUT_WR)  # the FIN now, not when the server's thread gets to close
            closed.set()

    with FaultServer(behave) as server, OpenFaaS(server.url, env={}) as client:
        assert client.functions.invoke("echo", b"1").text == "ok"
        clock[0] = 3600.0  # an hour idle: past httpx's default expiry of 5 s
        assert client.functions.invoke("echo", b"2").text == "ok"
        assert server.connections == 1
        assert client.functions.invoke("echo", b"3").text == "ok"  # the server then closes this connection
        # Sent only once it has: a request already under way when the server closes is lost (every client's race).
        assert closed.wait(PATIENCE)
        assert client.functions.invoke("echo", b"4").text == "ok"
        assert server.connections == 2


@pytest.mark.anyio
@pytest.mark.parametrize("async_kind", ASYNC_KINDS)
async def test_one_async_client_with_200_calls_in_flight(gateway_url: str, echo: Echo, async_kind: str) -> None:
    # httpcore's async pool is slow to open many connections at once (seconds for 100, against half a second
    # for aiohttp): on httpx, 20 connections carry the 200 calls, to keep the run short.
    connections = 100 if async_kind == "async-aiohttp" else 20
    client = make_openfaas(async_kind, gateway_url, username="admin", password="pw", max_connections=connections)
    assert isinstance(client, AsyncOpenFaaS)
    answers: dict[str, str] = {}
    started = anyio.Event()
    waiting = 0

    async def call(n: int) -> None:
        nonlocal waiting
        tag = f"a{n}"
        function, _ = _expect(tag, n)
        waiting += 1
        if waiting == IN_FLIGHT:
            started.set()
        await started.wait()  # all 200 are issued together
        if n % 5 == 4:
            answers[tag] = (await client.functions.get(function)).name
            return
        response = await client.functions.invoke(function, tag, headers={"X-Tag": tag})
        assert response.headers["X-Echo-Tag"] == tag
        answers[tag] = response.text

    async with client, anyio.create_task_group() as group:
        for n in range(IN_FLIGHT):
            group.start_soon(call, n)
    assert len(answers) == IN_FLIGHT
    for n in range(IN_FLIGHT):
        function, expected = _expect(f"a{n}", n)
        assert answers[f"a{n}"] == (function if n % 5 == 4 else expected), n
    invocations = {f"a{n}" for n in range(IN_FLIGHT) if n % 5 != 4}
    assert set(echo.seen) == invocations
    assert set(echo.seen.values()) == {1}
    stats.add(f"concurrent calls checked: one AsyncOpenFaaS ({async_kind}), 200 in flight", len(answers))
