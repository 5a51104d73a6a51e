from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from pyopenfaas.builder import AsyncFunctionBuilder, FunctionBuilder
from pyopenfaas.testing import FakeBuilder

SECRET = "payload-secret"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fake() -> FakeBuilder:
    return FakeBuilder(hmac_secret=SECRET)


@pytest.fixture
def builder(fake: FakeBuilder) -> Iterator[FunctionBuilder]:
    with FunctionBuilder(
        "http://builder:8080", hmac_secret=SECRET, http_client=httpx.Client(transport=fake.transport())
    ) as client:
        yield client


@pytest.fixture
async def async_builder(fake: FakeBuilder) -> AsyncIterator[AsyncFunctionBuilder]:
    async with AsyncFunctionBuilder(
        "http://builder:8080", hmac_secret=SECRET, http_client=httpx.AsyncClient(transport=fake.transport())
    ) as client:
        yield client
