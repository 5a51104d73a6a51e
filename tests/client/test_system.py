"""client.info(), health() and alert() on both clients."""

from __future__ import annotations

import json

import pytest
from pyopenfaas import GatewayInfo, InternalServerError, ProviderInfo, VersionInfo

from tests import payloads
from tests.contract.server import Gateway
from tests.support.clients import Client, resolve

pytestmark = pytest.mark.anyio


async def test_info_faas_netes(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/info", method="GET").respond_with_json(payloads.GATEWAY_INFO_FAAS_NETES)
    info = await resolve(client.info())
    assert info == GatewayInfo(
        provider=ProviderInfo(
            name="faas-netes-ce",
            orchestration="kubernetes",
            version=VersionInfo(release="0.18.13", sha="5d1b2c", commit_message="Release 0.18.13"),
        ),
        version=VersionInfo(release="0.27.12", sha="a1b2c3d", commit_message="Bump"),
        arch="x86_64",
    )


async def test_info_with_an_unreadable_provider_and_a_dev_build(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/info").respond_with_json(payloads.GATEWAY_INFO_FAASD)
    info = await resolve(client.info())
    assert info == GatewayInfo(provider=None, version=VersionInfo(release="dev", sha="dirty"), arch="arm64")
    assert info.version.commit_message is None


async def test_info_faasd_without_provider_version(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/info").respond_with_json(payloads.GATEWAY_INFO_FAASD_PROVIDER)
    info = await resolve(client.info())
    assert info.provider == ProviderInfo(name="faasd-ce", orchestration="containerd", version=None)
    assert info.arch == "aarch64"


async def test_health(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/healthz", method="GET").respond_with_data("OK", content_type="text/plain")
    assert await resolve(client.health()) is True
    # /healthz is not a /system/* path: no credentials.
    assert "Authorization" not in gateway.only_request().headers


async def test_unhealthy(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/healthz").respond_with_data("provider unhealthy", status=500)
    with pytest.raises(InternalServerError, match="provider unhealthy"):
        await resolve(client.health())


async def test_alert(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/alert", method="POST").respond_with_data("", status=200)
    await resolve(client.alert(payloads.ALERT))
    request = gateway.only_request()
    assert request.content_type == "application/json"
    assert json.loads(request.get_data()) == payloads.ALERT


@pytest.mark.parametrize(
    ("payload", "error"),
    [([], TypeError), ({"status": "firing"}, ValueError), ({"status": "firing", "receiver": "r"}, ValueError)],
    ids=["not-a-mapping", "no-receiver", "no-alerts"],
)
async def test_alert_refuses_a_malformed_payload(
    client: Client, gateway: Gateway, payload: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await resolve(client.alert(payload))  # type: ignore[arg-type]
    assert gateway.requests == []
