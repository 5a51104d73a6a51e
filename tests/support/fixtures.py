"""Fixtures the client, transport, IAM and jobs tests share (their conftests import them): the client kind under
test, a watchdog, no proxy variables from the machine, the `pyopenfaas` logger restored."""

from __future__ import annotations

import faulthandler
import logging
import sys
from collections.abc import Iterator

import pytest

from tests.support.clients import KINDS

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
