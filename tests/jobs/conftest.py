"""Fixtures for the jobs tests: a served fake gateway (callbacks over real HTTP) and a client kind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyopenfaas.testing import FakeGateway, QueueConfig

from tests.jobs.support import KINDS


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def served() -> Iterator[tuple[FakeGateway, str]]:
    """A fake gateway on 127.0.0.1 with an `echo` function and four CE queue workers; its queue drained and
    closed at the end. A callback caught by a receiver as it stops waits for the worker's timeout: 5 s here."""
    gateway = FakeGateway(queue=QueueConfig(workers=4, callback_timeout=5.0))
    gateway.deploy("echo")
    with gateway.serve() as url:
        yield gateway, url
    gateway.close()
