"""Against a real gateway, only on request: PYOPENFAAS_REAL_GATEWAY=1 (`make check REAL_GATEWAY=1`) and
OPENFAAS_URL (or OPENFAAS_GATEWAY_ADDR) set; skipped otherwise, saying so. An exported OPENFAAS_URL alone (faas-cli
users often have one, pointing at production) is not enough.

Credentials come from the environment or `faas-cli login`. Deploys, invokes and removes a function called
`pyopenfaas-it-<random>` running the public `ghcr.io/openfaas/alpine` image with `cat`, and a secret.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from pyopenfaas import AsyncOpenFaaS, NotFoundError, OpenFaaS

OPTED_IN = os.environ.get("PYOPENFAAS_REAL_GATEWAY") == "1"
CONFIGURED = bool(os.environ.get("OPENFAAS_URL") or os.environ.get("OPENFAAS_GATEWAY_ADDR"))

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not OPTED_IN,
        reason="real-gateway tests are opt-in: run `make check REAL_GATEWAY=1` (or set PYOPENFAAS_REAL_GATEWAY=1) "
        "to deploy, scale and delete test functions and secrets on the gateway OPENFAAS_URL points to",
    ),
    pytest.mark.skipif(
        OPTED_IN and not CONFIGURED,
        reason="PYOPENFAAS_REAL_GATEWAY=1 but OPENFAAS_URL is not set: which gateway should the tests use?",
    ),
]


@pytest.fixture
def client() -> Iterator[OpenFaaS]:
    with OpenFaaS() as client:
        yield client


@pytest.fixture
def function(client: OpenFaaS) -> Iterator[str]:
    name = f"pyopenfaas-it-{uuid.uuid4().hex[:8]}"
    client.functions.apply(name, "ghcr.io/openfaas/alpine:latest", env_process="cat")
    try:
        client.functions.wait_ready(name, timeout=180)
        yield name
    finally:
        client.functions.delete(name)


def test_gateway_answers(client: OpenFaaS) -> None:
    assert client.health() is True
    info = client.info()
    assert info.version.release
    assert isinstance(client.namespaces.list(), list)


def test_function_lifecycle(client: OpenFaaS, function: str) -> None:
    assert function in [f.name for f in client.functions.list()]
    assert client.functions.invoke(function, "ping").text == "ping"
    assert client.functions.invoke(function, json={"a": 1}).json() == {"a": 1}
    client.functions.scale(function, 2)
    assert client.functions.wait_ready(function, timeout=180).replicas >= 1


def test_secret_lifecycle(client: OpenFaaS) -> None:
    name = f"pyopenfaas-it-{uuid.uuid4().hex[:8]}"
    client.secrets.apply(name, "value")
    try:
        assert name in [s.name for s in client.secrets.list()]
    finally:
        client.secrets.delete(name)
    with pytest.raises(NotFoundError):
        client.secrets.delete(name)


@pytest.mark.anyio
async def test_async_client_reads(anyio_backend: str) -> None:
    async with AsyncOpenFaaS() as client:
        assert await client.health() is True
        assert isinstance(await client.functions.list(), list)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_the_contract_check_finds_no_departure() -> None:
    """`python -m pyopenfaas.contract --write` against the real gateway: it answers as openapi.yaml says."""
    from pyopenfaas.contract import check

    report = check(write=True, namespace=os.environ.get("OPENFAAS_NAMESPACE") or "openfaas-fn", ready_timeout=180)
    assert report.conforms, report.table()
    assert report.leftovers == []
