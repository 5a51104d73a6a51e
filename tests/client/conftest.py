"""Fixtures for the client tests: the contract-checking gateway, clients of each kind, and (for streamed bodies)
an httpx.AsyncClient on each async transport."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pyopenfaas import AsyncOpenFaaS, OpenFaaS

from tests.contract.server import Gateway, contract, contract_server, gateway
from tests.support.clients import ASYNC_KINDS, Client, Clients
from tests.support.fixtures import (
    _no_proxy_variables,
    _watchdog,
    default_context,
    kind,
    make_client,
    restore_pyopenfaas_logger,
    transport_kind,
)

__all__ = [
    "_no_proxy_variables",
    "_watchdog",
    "contract",
    "contract_server",
    "default_context",
    "gateway",
    "kind",
    "make_client",
    "restore_pyopenfaas_logger",
    "transport_kind",
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def clients(kind: str, gateway: Gateway) -> AsyncIterator[Clients]:
    """Client factory for the kind under test (tests/support/clients.py: KINDS)."""
    made = Clients(kind, gateway)
    yield made
    await made.close()


@pytest.fixture
def client(clients: Clients) -> Client:
    """A client of the kind under test, with the gateway's basic credentials."""
    made = clients.make()
    assert isinstance(made, AsyncOpenFaaS if clients.is_async else OpenFaaS)
    return made


@pytest.fixture(params=ASYNC_KINDS)
async def async_clients(request: pytest.FixtureRequest, gateway: Gateway) -> AsyncIterator[Clients]:
    """`clients`, for what only `AsyncOpenFaaS` offers (async iterators as request bodies)."""
    made = Clients(str(request.param), gateway)
    yield made
    await made.close()
