"""client.secrets on both clients: str values as `value`, bytes as base64 `rawValue`, faas-netes' 409 on an existing
secret, the namespace in the body (and also in the query for delete), and Swarm's missing update."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from pyopenfaas import ConflictError, NotFoundError, NotSupportedError, Secret
from werkzeug import Request

from tests import payloads
from tests.contract.server import Gateway
from tests.support.clients import Client, Clients, resolve

pytestmark = pytest.mark.anyio

PROVIDER_OK = pytest.mark.parametrize("status", [202, 200], ids=["faas-netes", "faasd"])


def sent_json(request: Request) -> Any:
    assert request.content_type == "application/json"
    return json.loads(request.get_data())


def query(request: Request) -> dict[str, list[str]]:
    return request.args.to_dict(flat=False)


async def test_list(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/secrets", method="GET").respond_with_json(
        [payloads.SECRET_DESCRIPTION, {"name": "tls-key", "namespace": "openfaas-fn"}, {"name": "bare"}]
    )
    secrets = await resolve(client.secrets.list())
    assert secrets == [
        Secret(name="api-key", namespace="openfaas-fn"),
        Secret(name="tls-key", namespace="openfaas-fn"),
        Secret(name="bare", namespace=None),
    ]
    assert query(gateway.only_request()) == {}


async def test_list_reads_in_a_namespace(clients: Clients, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/secrets").respond_with_json([])
    await resolve(clients.make().secrets.list(namespace="staging"))
    await resolve(clients.make(namespace="team-a").secrets.list())
    assert [query(request) for request in gateway.requests] == [{"namespace": ["staging"]}, {"namespace": ["team-a"]}]


@pytest.mark.parametrize("status", [202, 200, 201], ids=["faas-netes", "faasd", "spec"])
async def test_create_text_secret(client: Client, gateway: Gateway, status: int) -> None:
    gateway.server.expect_request("/system/secrets", method="POST").respond_with_data("", status=status)
    await resolve(client.secrets.create("api-key", "s3cr3t"))
    request = gateway.only_request()
    assert sent_json(request) == {"name": "api-key", "value": "s3cr3t"}
    assert query(request) == {}


async def test_create_binary_secret_as_raw_value(clients: Clients, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/secrets", method="POST").respond_with_data("", status=202)
    raw = bytes([0, 1, 2, 253, 254, 255])
    await resolve(clients.make().secrets.create("tls-key", raw, namespace="openfaas-fn"))
    body = sent_json(gateway.only_request())
    assert body == payloads.SECRET_RAW
    assert base64.b64decode(body["rawValue"]) == raw
    assert "value" not in body


async def test_create_uses_the_client_namespace(clients: Clients, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/secrets", method="POST").respond_with_data("", status=202)
    await resolve(clients.make(namespace="team-a").secrets.create("api-key", "v"))
    request = gateway.only_request()
    assert sent_json(request) == {"name": "api-key", "namespace": "team-a", "value": "v"}
    assert query(request) == {}


async def test_create_existing_secret_on_faas_netes_is_a_conflict(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/secrets", method="POST").respond_with_data(
        'secret "api-key" already exists', status=409
    )
    with pytest.raises(ConflictError, match="already exists") as caught:
        await resolve(client.secrets.create("api-key", "v"))
    assert caught.value.status_code == 409


@PROVIDER_OK
async def test_update(client: Client, gateway: Gateway, status: int) -> None:
    gateway.server.expect_request("/system/secrets", method="PUT").respond_with_data("", status=status)
    await resolve(client.secrets.update("api-key", "new", namespace="staging"))
    request = gateway.only_request()
    assert sent_json(request) == {"name": "api-key", "namespace": "staging", "value": "new"}
    assert query(request) == {}


async def test_update_missing_secret_is_not_found(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/secrets", method="PUT").respond_with_data("not found", status=404)
    with pytest.raises(NotFoundError):
        await resolve(client.secrets.update("ghost", "v"))


async def test_update_on_swarm_is_not_supported_and_sends_nothing(clients: Clients, gateway: Gateway) -> None:
    client = clients.make(cluster_type="swarm")
    with pytest.raises(NotSupportedError, match="Swarm") as caught:
        await resolve(client.secrets.update("api-key", "new"))
    assert caught.value.status_code == 501
    assert "PUT" in str(caught.value)
    assert gateway.requests == []


@pytest.mark.parametrize("cluster_type", ["kubernetes", "faasd"])
async def test_update_on_other_providers_is_sent(clients: Clients, gateway: Gateway, cluster_type: str) -> None:
    gateway.server.expect_request("/system/secrets", method="PUT").respond_with_data("", status=202)
    await resolve(clients.make(cluster_type=cluster_type).secrets.update("api-key", "new"))
    assert len(gateway.requests) == 1


@PROVIDER_OK
async def test_apply_updates_an_existing_secret(client: Client, gateway: Gateway, status: int) -> None:
    gateway.server.expect_ordered_request("/system/secrets", method="PUT").respond_with_data("", status=status)
    await resolve(client.secrets.apply("api-key", b"\x00raw"))
    request = gateway.only_request()
    assert request.method == "PUT"
    assert sent_json(request) == {"name": "api-key", "rawValue": base64.b64encode(b"\x00raw").decode()}


@PROVIDER_OK
async def test_apply_creates_when_update_finds_nothing(client: Client, gateway: Gateway, status: int) -> None:
    gateway.server.expect_ordered_request("/system/secrets", method="PUT").respond_with_data("", status=404)
    gateway.server.expect_ordered_request("/system/secrets", method="POST").respond_with_data("", status=status)
    await resolve(client.secrets.apply("api-key", "v", namespace="staging"))
    assert [request.method for request in gateway.requests] == ["PUT", "POST"]
    expected = {"name": "api-key", "namespace": "staging", "value": "v"}
    assert [sent_json(request) for request in gateway.requests] == [expected, expected]


@pytest.mark.parametrize("status", [202, 200, 204], ids=["faas-netes", "faasd", "spec"])
async def test_delete(clients: Clients, gateway: Gateway, status: int) -> None:
    gateway.server.expect_request("/system/secrets", method="DELETE").respond_with_data("", status=status)
    await resolve(clients.make().secrets.delete("api-key"))
    await resolve(clients.make().secrets.delete("api-key", namespace="staging"))
    await resolve(clients.make(namespace="team-a").secrets.delete("api-key"))
    # faasd reads the namespace from the query, faas-netes from the body: both are sent.
    assert [(query(request), sent_json(request)) for request in gateway.requests] == [
        ({}, {"name": "api-key"}),
        ({"namespace": ["staging"]}, {"name": "api-key", "namespace": "staging"}),
        ({"namespace": ["team-a"]}, {"name": "api-key", "namespace": "team-a"}),
    ]


async def test_delete_missing_secret_is_not_found(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/secrets", method="DELETE").respond_with_data("not found", status=404)
    with pytest.raises(NotFoundError):
        await resolve(client.secrets.delete("ghost"))


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: c.secrets.create("", "v"), ValueError),
        (lambda c: c.secrets.create("Upper", "v"), ValueError),
        (lambda c: c.secrets.create("api-key", 42), TypeError),
        (lambda c: c.secrets.update("", "v"), ValueError),
        (lambda c: c.secrets.delete(""), ValueError),
        (lambda c: c.secrets.list(namespace="Bad_NS"), ValueError),
    ],
    ids=["empty-name", "uppercase", "int-value", "update-empty", "delete-empty", "bad-namespace"],
)
async def test_bad_arguments_are_refused_before_sending(
    client: Client, gateway: Gateway, call: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await resolve(call(client))
    assert gateway.requests == []
