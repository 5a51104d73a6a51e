"""pytest fixtures for pyopenfaas users (registered through the ``pytest11`` entry point).

- ``fake_gateway``: a fresh :class:`~pyopenfaas.testing.FakeGateway`, closed after the test. Options come from
  ``@pytest.mark.fake_gateway(flavour="faasd", username=..., password=..., token=..., iam=True, queue=...)``
  (``queue=QueueConfig(edition="pro", ...)`` for a Pro-like queue).
- ``fake_queue``: that gateway's queue (:class:`~pyopenfaas.testing.FakeQueue`): switches and counters.
- ``openfaas_client`` / ``async_openfaas_client``: ``OpenFaaS`` / ``AsyncOpenFaaS`` bound to that gateway
  through its in-process transport, with its credentials, never reading the environment or faas-cli config.
  With ``iam=True`` they use OpenFaaS IAM: a service-account token of the fake exchanged for gateway tokens
  (``TokenExchangeAuth``), so ``function_auth=True`` works on functions deployed with ``jwt_auth=true``.
- ``openfaas_env``: for code that builds its own client from the environment (``OpenFaaS()``): serves
  ``fake_gateway`` over HTTP on 127.0.0.1 and, for the test only, points ``OPENFAAS_URL`` (and the
  credentials variables, when the gateway has any) at it; the other pyopenfaas variables and the faas-cli
  config are hidden. With ``iam=True`` it also sets ``token_mount_path`` to a folder holding a service-account
  token of the fake (for ``ServiceAccountTokenSource()``). Yields the URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pyopenfaas import AsyncOpenFaaS, OpenFaaS

    from ._gateway import FakeGateway
    from ._queue import FakeQueue

BASE_URL = "http://fake-gateway:8080"
_CREDENTIALS = ("username", "password", "token")
# Every variable pyopenfaas reads; openfaas_env clears them before setting its own.
_SETTINGS = (
    "OPENFAAS_URL", "OPENFAAS_GATEWAY_ADDR", "OPENFAAS_USER", "OPENFAAS_PASSWORD", "OPENFAAS_PASSWORD_FILE",
    "OPENFAAS_TOKEN", "OPENFAAS_NAMESPACE", "OPENFAAS_CLUSTER_TYPE", "OPENFAAS_CONFIG", "token_mount_path",
)  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fake_gateway(**options): FakeGateway options for the fake_gateway fixture (flavour, auth, iam, queue)",
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("fake_gateway")
    return dict(marker.kwargs) if marker is not None else {}


def _credentials(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {key: value for key, value in _options(request).items() if key in _CREDENTIALS}


def _client_credentials(request: pytest.FixtureRequest, gateway: FakeGateway) -> dict[str, Any]:
    """The marker's credentials; on an IAM gateway without any, token exchange for a service account."""
    credentials = _credentials(request)
    if gateway.iam is not None and not credentials:
        from pyopenfaas.auth import TokenExchangeAuth

        credentials["auth"] = TokenExchangeAuth(gateway.iam.service_account_token)
    return credentials


@pytest.fixture
def fake_gateway(request: pytest.FixtureRequest) -> Iterator[FakeGateway]:
    """A fresh in-memory OpenFaaS gateway."""
    from ._gateway import FakeGateway

    with FakeGateway(**_options(request)) as gateway:
        yield gateway


@pytest.fixture
def fake_queue(fake_gateway: FakeGateway) -> FakeQueue:
    """The async queue of ``fake_gateway``: its switches (drop, duplicate, delay, fail, pause...) and counters."""
    return fake_gateway.queue


@pytest.fixture
def openfaas_client(fake_gateway: FakeGateway, request: pytest.FixtureRequest) -> Iterator[OpenFaaS]:
    """An ``OpenFaaS`` client talking to ``fake_gateway`` in-process."""
    from pyopenfaas import OpenFaaS

    credentials = _client_credentials(request, fake_gateway)
    with OpenFaaS(BASE_URL, transport=fake_gateway.transport(), env={}, **credentials) as client:
        yield client


@pytest.fixture
def async_openfaas_client(fake_gateway: FakeGateway, request: pytest.FixtureRequest) -> Iterator[AsyncOpenFaaS]:
    """An ``AsyncOpenFaaS`` client talking to ``fake_gateway`` in-process (usable from any event loop)."""
    from pyopenfaas import AsyncOpenFaaS

    credentials = _client_credentials(request, fake_gateway)
    client = AsyncOpenFaaS(BASE_URL, transport=fake_gateway.transport(), env={}, **credentials)
    yield client
    # The in-process transport holds no connections bound to a loop, so closing on a fresh one is safe.
    asyncio.run(client.aclose())


@pytest.fixture
def openfaas_env(
    fake_gateway: FakeGateway, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[str]:
    """``fake_gateway`` served on 127.0.0.1, with ``OPENFAAS_URL`` (and credentials) pointing at it."""
    for name in _SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENFAAS_CONFIG", str(tmp_path / "no-faas-cli-config"))
    credentials = _credentials(request)
    with fake_gateway.serve() as url:
        monkeypatch.setenv("OPENFAAS_URL", url)
        if credentials.get("token"):
            monkeypatch.setenv("OPENFAAS_TOKEN", credentials["token"])
        elif credentials.get("password"):
            monkeypatch.setenv("OPENFAAS_USER", credentials["username"])
            monkeypatch.setenv("OPENFAAS_PASSWORD", credentials["password"])
        if fake_gateway.iam is not None:
            mount = tmp_path / "tokens"
            mount.mkdir()
            (mount / "openfaas-token").write_text(fake_gateway.iam.service_account_token(), encoding="utf-8")
            monkeypatch.setenv("token_mount_path", str(mount))
        yield url
