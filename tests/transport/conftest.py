"""The transports' tests run on each async transport (tests/support/clients.py: ASYNC_TRANSPORTS), under an
`httpx.AsyncClient`: pyopenfaas's default (aiohttp) and httpx's own."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import trustme

from tests.support.fixtures import (
    MakeClient,
    _no_proxy_variables,
    _watchdog,
    default_context,
    kind,
    make_client,
    transport_kind,
)

__all__ = [
    "MakeClient",
    "_no_proxy_variables",
    "_watchdog",
    "default_context",
    "kind",
    "make_client",
    "transport_kind",
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


@pytest.fixture
def ca_bundle(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)
