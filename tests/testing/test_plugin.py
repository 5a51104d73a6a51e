"""The pytest plugin's fixtures, as a pyopenfaas user gets them (the plugin is installed via its entry point)."""

from __future__ import annotations

import asyncio

import pytest
from pyopenfaas import AsyncOpenFaaS, OpenFaaS
from pyopenfaas.testing import FakeGateway, FunctionRequest


@pytest.fixture
def hostile_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """Settings that must not leak into the fixtures' clients."""
    monkeypatch.setenv("OPENFAAS_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("OPENFAAS_USER", "someone")
    monkeypatch.setenv("OPENFAAS_PASSWORD", "leaked")
    monkeypatch.setenv("OPENFAAS_TOKEN", "leaked")
    monkeypatch.setenv("HOME", str(tmp_path))


def test_fake_gateway_is_fresh_and_default(fake_gateway: FakeGateway) -> None:
    assert fake_gateway.flavour == "faas-netes"
    assert fake_gateway.requests == []


def test_openfaas_client(hostile_environment: None, fake_gateway: FakeGateway, openfaas_client: OpenFaaS) -> None:
    assert isinstance(openfaas_client, OpenFaaS)
    fake_gateway.deploy("hello", handler=lambda request: f"Hello, {request.text}")
    assert openfaas_client.functions.invoke("hello", "you").text == "Hello, you"
    assert [fn.name for fn in openfaas_client.functions.list()] == ["hello"]
    assert all("authorization" not in request.headers for request in fake_gateway.requests)


def test_async_openfaas_client(
    hostile_environment: None, fake_gateway: FakeGateway, async_openfaas_client: AsyncOpenFaaS
) -> None:
    assert isinstance(async_openfaas_client, AsyncOpenFaaS)
    fake_gateway.deploy("hello", handler=lambda request: f"Hello, {request.text}")

    async def main() -> tuple[str, list[str]]:
        response = await async_openfaas_client.functions.invoke("hello", "you")
        return response.text, [fn.name for fn in await async_openfaas_client.functions.list()]

    assert asyncio.run(main()) == ("Hello, you", ["hello"])


@pytest.mark.fake_gateway(flavour="faasd", username="admin", password="pw")
def test_the_marker_configures_gateway_and_clients(fake_gateway: FakeGateway, openfaas_client: OpenFaaS) -> None:
    assert fake_gateway.flavour == "faasd"
    info = openfaas_client.info()
    assert info.provider is not None
    assert info.provider.name == "faasd-ce"
    seen: list[str | None] = []

    @fake_gateway.handler("spy")
    def spy(request: FunctionRequest) -> str:
        seen.append(request.headers.get("Authorization"))
        return "ok"

    fake_gateway.deploy("spy")
    openfaas_client.functions.invoke("spy")
    assert seen == [None]  # gateway credentials never go to functions


@pytest.mark.fake_gateway(token="t0ken")
def test_the_marker_passes_a_token(fake_gateway: FakeGateway, async_openfaas_client: AsyncOpenFaaS) -> None:
    assert asyncio.run(async_openfaas_client.health()) is True
    assert asyncio.run(async_openfaas_client.namespaces.list()) == ["openfaas-fn"]
    [*_, last] = fake_gateway.requests
    assert last.headers["authorization"] == "Bearer t0ken"


def build_client_from_the_environment() -> list[str]:
    """Code under test, the way applications are written: settings from the environment."""
    with OpenFaaS() as client:
        return [fn.name for fn in client.functions.list()]


@pytest.mark.fake_gateway(username="admin", password="fixture-pw")
def test_openfaas_env_points_the_environment_at_a_served_fake(
    hostile_environment: None, fake_gateway: FakeGateway, openfaas_env: str
) -> None:
    import os

    assert openfaas_env.startswith("http://127.0.0.1:")
    assert os.environ["OPENFAAS_URL"] == openfaas_env
    assert (os.environ["OPENFAAS_USER"], os.environ["OPENFAAS_PASSWORD"]) == ("admin", "fixture-pw")
    assert "OPENFAAS_TOKEN" not in os.environ  # the hostile value is hidden
    fake_gateway.deploy("from-env")
    assert build_client_from_the_environment() == ["from-env"]
    assert fake_gateway.requests[-1].headers["Authorization"].startswith("Basic ")


@pytest.mark.fake_gateway(token="fixture-token")
def test_openfaas_env_with_a_token(fake_gateway: FakeGateway, openfaas_env: str) -> None:
    import os

    assert os.environ["OPENFAAS_TOKEN"] == "fixture-token"
    assert "OPENFAAS_PASSWORD" not in os.environ
    assert build_client_from_the_environment() == []


def test_openfaas_env_is_undone_after_the_test(monkeypatch: pytest.MonkeyPatch, pytester: pytest.Pytester) -> None:
    monkeypatch.setenv("OPENFAAS_URL", "http://production.example.com")
    pytester.makepyfile(
        """
        import os

        def test_inside(openfaas_env):
            assert os.environ["OPENFAAS_URL"] == openfaas_env != "http://production.example.com"

        def test_after():
            assert os.environ["OPENFAAS_URL"] == "http://production.example.com"
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=2)
