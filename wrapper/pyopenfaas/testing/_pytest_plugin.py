"""pytest fixtures for pyopenfaas users (registered through the ``pytest11`` entry point).

- ``fake_gateway``: a fresh :class:`~pyopenfaas.testing.FakeGateway`, closed after the test. Options come from
  ``@pytest.mark.fake_gateway(flavour="faasd", username=..., password=..., token=...)``.
- ``openfaas_client`` / ``async_openfaas_client``: ``OpenFaaS`` / ``AsyncOpenFaaS`` bound to that gateway
  through its in-process transport, with its credentials, never reading the environment or faas-cli config.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pyopenfaas import AsyncOpenFaaS, OpenFaaS

    from ._gateway import FakeGateway

BASE_URL = "http://fake-gateway:8080"
_CREDENTIALS = ("username", "password", "token")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fake_gateway(**options): FakeGateway options for the fake_gateway fixture (flavour, credentials)"
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("fake_gateway")
    return dict(marker.kwargs) if marker is not None else {}


def _credentials(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {key: value for key, value in _options(request).items() if key in _CREDENTIALS}


@pytest.fixture
def fake_gateway(request: pytest.FixtureRequest) -> Iterator[FakeGateway]:
    """A fresh in-memory OpenFaaS gateway."""
    from ._gateway import FakeGateway

    with FakeGateway(**_options(request)) as gateway:
        yield gateway


@pytest.fixture
def openfaas_client(fake_gateway: FakeGateway, request: pytest.FixtureRequest) -> Iterator[OpenFaaS]:
    """An ``OpenFaaS`` client talking to ``fake_gateway`` in-process."""
    from pyopenfaas import OpenFaaS

    with OpenFaaS(BASE_URL, transport=fake_gateway.transport(), env={}, **_credentials(request)) as client:
        yield client


@pytest.fixture
def async_openfaas_client(fake_gateway: FakeGateway, request: pytest.FixtureRequest) -> Iterator[AsyncOpenFaaS]:
    """An ``AsyncOpenFaaS`` client talking to ``fake_gateway`` in-process (usable from any event loop)."""
    from pyopenfaas import AsyncOpenFaaS

    client = AsyncOpenFaaS(BASE_URL, transport=fake_gateway.transport(), env={}, **_credentials(request))
    yield client
    # The in-process transport holds no connections bound to a loop, so closing on a fresh one is safe.
    asyncio.run(client.close())
