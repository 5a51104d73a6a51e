"""Fixtures for the jobs tests: a served fake gateway (callbacks over real HTTP) and a client kind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyopenfaas.testing import FakeGateway, QueueConfig

from tests.support.fixtures import kind

__all__ = ["kind"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def served() -> Iterator[tuple[FakeGateway, str]]:
    """A fake gateway on 127.0.0.1 with an `echo` function and four CE queue workers; its queue drained and
    closed at the end (a receiver that left a callback's connection open would hold a worker for 30 s here)."""
    gateway = FakeGateway(queue=QueueConfig(workers=4))
    gateway.deploy("echo")
    with gateway.serve() as url:
        yield gateway, url
    gateway.close()
