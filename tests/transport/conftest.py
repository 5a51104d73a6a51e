"""The transports' tests run on each async transport (tests/support/clients.py: ASYNC_TRANSPORTS), under an
`httpx.AsyncClient`: pyopenfaas's default (aiohttp) and httpx's own."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import trustme
from pyopenfaas import CertTypes, default_async_transport

from tests.support.clients import ASYNC_TRANSPORTS
from tests.support.fixtures import _no_proxy_variables, _watchdog, kind

__all__ = ["_no_proxy_variables", "_watchdog", "kind"]

MakeClient = Callable[..., httpx.AsyncClient]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=ASYNC_TRANSPORTS)
def transport_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def default_context() -> ssl.SSLContext:
    """What verify=True builds, built once: loading the CA store takes a good part of a second."""
    return httpx.create_ssl_context()


@pytest.fixture
def make_client(transport_kind: str, default_context: ssl.SSLContext) -> MakeClient:
    """Make an httpx.AsyncClient on the transport under test, set up the same way on both."""

    def make(
        *,
        verify: bool | str | ssl.SSLContext | None = None,
        cert: CertTypes | None = None,
        trust_env: bool = True,
        proxy: str | None = None,
        max_connections: int = 100,
        timeout: float | httpx.Timeout = 5.0,
    ) -> httpx.AsyncClient:
        if verify is None:
            verify = default_context
        if transport_kind == "aiohttp":
            transport = default_async_transport(
                verify=verify, cert=cert, trust_env=trust_env, proxy=proxy, max_connections=max_connections
            )
            return httpx.AsyncClient(transport=transport, timeout=timeout)
        # httpx 0.28 deprecates verify=<path> and cert=: the same settings, as it asks for them.
        if isinstance(verify, str):
            verify = ssl.create_default_context(cafile=verify)
        if cert is not None:
            assert isinstance(verify, ssl.SSLContext)
            verify.load_cert_chain(*((cert,) if isinstance(cert, str) else cert))
        return httpx.AsyncClient(
            verify=verify,
            trust_env=trust_env,
            proxy=proxy,
            limits=httpx.Limits(max_connections=max_connections),
            timeout=timeout,
        )

    return make


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
