"""Fixtures the client, transport, IAM and jobs tests share (their conftests import them): the client kind under
test, a watchdog, no proxy variables from the machine, the `pyopenfaas` logger restored; and for the transports'
own tests, `make_client`: an httpx.AsyncClient on the async transport under test (`transport_kind`)."""

from __future__ import annotations

import faulthandler
import logging
import ssl
import sys
from collections.abc import Callable, Iterator

import httpx
import pytest
from pyopenfaas import CertTypes, default_async_transport

from tests.support.clients import ASYNC_TRANSPORTS, KINDS

# No test here may take longer than this: a hang is a failure (with every thread's stack), never a stuck run.
WATCHDOG_SECONDS = 60.0


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _watchdog() -> Iterator[None]:
    stream = sys.__stderr__  # the real stderr, not pytest's capture
    assert stream is not None
    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True, file=stream)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(autouse=True)
def _no_proxy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The transports read proxy variables from os.environ (not from `env=`): keep the machine's out."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def restore_pyopenfaas_logger() -> Iterator[logging.Logger]:
    """FAAS_DEBUG=1 adds a handler to the `pyopenfaas` logger and sets DEBUG: undo that after the test."""
    logger = logging.getLogger("pyopenfaas")
    handlers, level = list(logger.handlers), logger.level
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    """The client under test, one of KINDS (tests/support/clients.py)."""
    return str(request.param)


MakeClient = Callable[..., httpx.AsyncClient]


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
