"""Connection failures surface as httpx exceptions that tell whether the request may have left. The faults are
not counted in the run's figures (those count what the clients survive, tests/client/test_faults.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.support.faultserver import Conn, FaultServer, Received
from tests.support.fixtures import MakeClient

pytestmark = pytest.mark.anyio


@pytest.fixture
def refusing_port() -> Iterator[int]:
    """A port bound but not listening: connects are refused (and nobody else can take the port)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


async def test_a_refused_connection_raises_connect_error_not_a_timeout(
    make_client: MakeClient, refusing_port: int
) -> None:
    async with make_client() as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(f"http://127.0.0.1:{refusing_port}/")


async def test_a_reset_mid_response_raises_a_read_side_error(make_client: MakeClient) -> None:
    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")
        conn.reset(counted=False)

    with FaultServer(behave) as server:
        async with make_client() as client:
            with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)) as caught:
                await client.get(server.url)
    assert not isinstance(caught.value, httpx.ConnectError | httpx.TimeoutException)


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_a_reset_before_the_response_raises_a_read_side_error_after_one_try(
    make_client: MakeClient, method: str
) -> None:
    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.reset(counted=False)

    with FaultServer(behave) as server:
        async with make_client() as client:
            with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
                await client.request(method, server.url)
    assert server.count() == 1  # retrying is the client's job, not the transport's


async def test_a_close_without_a_response_raises_remote_protocol_error(make_client: MakeClient) -> None:
    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.close(counted=False)

    with FaultServer(behave) as server:
        async with make_client() as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.post(server.url, content=b"sent")
    assert server.received[0].body == b"sent"


async def test_a_response_that_is_not_http_raises_remote_protocol_error(make_client: MakeClient) -> None:
    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.send(b"SMTP ready\r\n\r\n")
        conn.close(counted=False)

    with FaultServer(behave) as server:
        async with make_client() as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(server.url)
