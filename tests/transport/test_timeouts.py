"""Each timeout surfaces as the httpx exception that names it (on the threaded fault server, uncounted)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.support.faultserver import PATIENCE, Conn, FaultServer, Received, answer
from tests.support.fixtures import MakeClient

pytestmark = pytest.mark.anyio

SHORT = 0.1


@pytest.fixture
def unanswered_port() -> Iterator[int]:
    """A port whose accept queue is full, so a connect hangs (the kernel drops the SYN)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for sock in [*fillers, listener]:
        sock.close()


async def test_a_connect_that_hangs_raises_connect_timeout(make_client: MakeClient, unanswered_port: int) -> None:
    async with make_client(timeout=httpx.Timeout(5, connect=SHORT)) as client:
        with pytest.raises(httpx.ConnectTimeout):
            await client.get(f"http://127.0.0.1:{unanswered_port}/")


def silent(conn: Conn, request: Received, index: int) -> None:
    """Answers nothing until the server stops (the end of the test's `with` block)."""
    conn.stop.wait(PATIENCE)
    conn.close(counted=False)


async def test_headers_that_never_come_raise_read_timeout(make_client: MakeClient) -> None:
    with FaultServer(silent) as server:
        async with make_client(timeout=httpx.Timeout(5, read=SHORT)) as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.post(server.url, content=b"x")


async def test_a_stalled_stream_raises_read_timeout(make_client: MakeClient) -> None:
    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.chunked_head(200, "text/plain")
        conn.chunk(b"first\n")
        silent(conn, request, index)

    with FaultServer(behave) as server:
        async with (
            make_client(timeout=httpx.Timeout(5, read=SHORT)) as client,
            client.stream("GET", server.url) as response,
        ):
            lines = response.aiter_lines()
            assert await anext(lines) == "first"
            with pytest.raises(httpx.ReadTimeout):
                await anext(lines)


async def test_a_per_request_timeout_overrides_the_clients(make_client: MakeClient) -> None:
    with FaultServer(silent) as server:
        async with make_client(timeout=30) as client:
            with pytest.raises(httpx.ReadTimeout) as caught:
                await client.get(server.url, timeout=SHORT)
    assert caught.value.request.extensions["timeout"]["read"] == SHORT  # not the client's 30 s


async def test_no_read_timeout_lets_a_slow_answer_through(make_client: MakeClient) -> None:
    def late(conn: Conn, request: Received, index: int) -> None:
        conn.stop.wait(SHORT * 2)  # slower than the client's default read timeout: the point of the test
        conn.reply(200, "late", {"Content-Type": "text/plain"})

    with FaultServer(late) as server:
        async with make_client(timeout=SHORT) as client:
            response = await client.get(server.url, timeout=httpx.Timeout(5, read=None))  # only the read is unbounded
    assert response.content == b"late"


async def test_a_full_pool_raises_pool_timeout_and_frees_its_slot(make_client: MakeClient) -> None:
    with FaultServer(answer(200, "done", {"Content-Type": "text/plain"})) as server:
        async with make_client(max_connections=1) as client:
            async with client.stream("GET", server.url):  # holds the only connection until closed
                with pytest.raises(httpx.PoolTimeout):
                    await client.get(server.url, timeout=httpx.Timeout(5, pool=SHORT))
            assert (await client.get(server.url, timeout=httpx.Timeout(5, pool=SHORT))).content == b"done"
