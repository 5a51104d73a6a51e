"""Fixtures for the fake gateway's own tests: both flavours, both front ends (in-process and HTTP)."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Literal

import httpx
import pytest
from pyopenfaas.testing import FakeGateway

Connect = Callable[[FakeGateway], httpx.Client]
SUCCESS = {"faas-netes": 202, "faasd": 200}
# httpx loads the CA bundle for every client it makes; plain-HTTP tests share one context instead.
SSL_CONTEXT = ssl.create_default_context()


@pytest.fixture(params=["faas-netes", "faasd"])
def flavour(request: pytest.FixtureRequest) -> Literal["faas-netes", "faasd"]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def gateway(flavour: Literal["faas-netes", "faasd"]) -> Iterator[FakeGateway]:
    with FakeGateway(flavour=flavour) as gateway:
        # A safety net for streaming tests: closing the gateway ends every log stream.
        watchdog = threading.Timer(20, gateway.close)
        watchdog.start()
        yield gateway
        watchdog.cancel()


@pytest.fixture(params=["in-process", "http"])
def front(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def connect(front: str) -> Iterator[Connect]:
    """Make an httpx client for a gateway, through the in-process transport or a real server."""
    with ExitStack() as stack:

        def connect(gateway: FakeGateway) -> httpx.Client:
            if front == "in-process":
                return stack.enter_context(httpx.Client(transport=gateway.transport(), base_url="http://fake"))
            url = stack.enter_context(gateway.serve())
            return stack.enter_context(httpx.Client(base_url=url, trust_env=False, verify=SSL_CONTEXT))

        yield connect


@pytest.fixture
def client(gateway: FakeGateway, connect: Connect) -> httpx.Client:
    return connect(gateway)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver (the callback receiver) on 127.0.0.1 only."""
    return ("127.0.0.1", 0)
