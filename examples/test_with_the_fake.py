"""Testing your own code with pyopenfaas.testing: a pytest file (`pytest examples/test_with_the_fake.py`).

Installing pyopenfaas gives pytest the fixtures `fake_gateway`, `openfaas_client`, `async_openfaas_client`
and `openfaas_env`. Async tests need pytest-asyncio or anyio; this file keeps to sync ones.
"""

from __future__ import annotations

import pytest
from pyopenfaas import OpenFaaS
from pyopenfaas.testing import FakeGateway, FunctionRequest

# ---- the code under test: an application module would hold these --------------------------------------------------


def publish_thumbnail(client: OpenFaaS, image: bytes) -> str:
    """Calls the `thumbnail` function and returns the URL it answers with."""
    return client.functions.invoke("thumbnail", image).text


def ensure_deployed() -> list[str]:
    """Builds its own client from the environment (OPENFAAS_URL, credentials), as deploy scripts do."""
    with OpenFaaS() as client:
        client.functions.apply("thumbnail", "ghcr.io/example/thumbnail:1.2")
        return [function.image for function in client.functions.list()]


# ---- the tests -----------------------------------------------------------------------------------------------------


def test_publish_thumbnail(fake_gateway: FakeGateway, openfaas_client: OpenFaaS) -> None:
    @fake_gateway.handler("thumbnail")
    def thumbnail(request: FunctionRequest) -> str:
        return f"https://cdn.example.com/{len(request.body)}.png"

    fake_gateway.deploy("thumbnail")
    assert publish_thumbnail(openfaas_client, b"\x89PNG...") == "https://cdn.example.com/7.png"
    [call] = [request for request in fake_gateway.requests if request.path == "/function/thumbnail"]
    assert call.method == "POST"


@pytest.mark.fake_gateway(flavour="faasd", username="admin", password="test-only")
def test_ensure_deployed_uses_the_environment(fake_gateway: FakeGateway, openfaas_env: str) -> None:
    # openfaas_env served the fake on 127.0.0.1 and set OPENFAAS_URL, OPENFAAS_USER and OPENFAAS_PASSWORD.
    assert ensure_deployed() == ["ghcr.io/example/thumbnail:1.2"]
    assert ensure_deployed() == ["ghcr.io/example/thumbnail:1.2"]  # the second run updates in place
