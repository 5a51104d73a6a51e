"""client.namespaces on both clients: faasd's CRUD (the `openfaas=1` label it requires) and faas-netes CE's
list-only answers (501 on GET, 405 on writes)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pyopenfaas import APIStatusError, ConflictError, Namespace, NotFoundError, NotSupportedError
from werkzeug import Request

from tests import payloads
from tests.contract.server import Gateway
from tests.support.clients import Client, resolve

pytestmark = pytest.mark.anyio


def sent_json(request: Request) -> Any:
    assert request.content_type == "application/json"
    return json.loads(request.get_data())


@pytest.mark.parametrize(
    "names", [["openfaas-fn"], ["openfaas-fn", "staging", "team-a"], []], ids=["faas-netes", "faasd", "none"]
)
async def test_list(client: Client, gateway: Gateway, names: list[str]) -> None:
    gateway.server.expect_request("/system/namespaces", method="GET").respond_with_json(names)
    listed = await resolve(client.namespaces.list())
    assert listed == names
    assert all(type(name) is str for name in listed)
    assert gateway.only_request().query_string == b""


async def test_get_on_faasd(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/namespace/staging", method="GET").respond_with_json(payloads.NAMESPACE)
    namespace = await resolve(client.namespaces.get("staging"))
    assert namespace == Namespace(name="staging", labels={"openfaas": "1"}, annotations={"owner": "ci"})
    assert gateway.only_request().get_data() == b""


async def test_get_without_labels(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/namespace/bare").respond_with_json({"name": "bare"})
    assert await resolve(client.namespaces.get("bare")) == Namespace(name="bare", labels={}, annotations={})


async def test_get_on_faas_netes_ce_is_not_supported(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/namespace/staging").respond_with_data(
        "Feature not implemented in this version of OpenFaaS", status=501
    )
    with pytest.raises(NotSupportedError, match="Feature not implemented"):
        await resolve(client.namespaces.get("staging"))


async def test_get_missing_namespace_is_not_found(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/namespace/ghost").respond_with_data("not found", status=404)
    with pytest.raises(NotFoundError):
        await resolve(client.namespaces.get("ghost"))


@pytest.mark.parametrize("status", [201, 200, 202])
async def test_create(client: Client, gateway: Gateway, status: int) -> None:
    gateway.server.expect_request("/system/namespace/staging", method="POST").respond_with_data("", status=status)
    await resolve(client.namespaces.create("staging", labels={"team": "a"}, annotations={"owner": "ci"}))
    request = gateway.only_request()
    assert sent_json(request) == {
        "name": "staging",
        "labels": {"openfaas": "1", "team": "a"},
        "annotations": {"owner": "ci"},
    }
    assert request.query_string == b""


async def test_create_keeps_the_openfaas_label(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/namespace/staging", method="POST").respond_with_data("", status=201)
    await resolve(client.namespaces.create("staging"))
    assert sent_json(gateway.only_request()) == {"name": "staging", "labels": {"openfaas": "1"}}


async def test_create_existing_namespace_is_a_conflict(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/namespace/staging", method="POST").respond_with_data(
        "namespace staging already exists", status=409
    )
    with pytest.raises(ConflictError):
        await resolve(client.namespaces.create("staging"))


@pytest.mark.parametrize("status", [202, 200])
async def test_update(client: Client, gateway: Gateway, status: int) -> None:
    gateway.server.expect_request("/system/namespace/staging", method="PUT").respond_with_data("", status=status)
    await resolve(client.namespaces.update("staging", labels={"tier": "2"}))
    assert sent_json(gateway.only_request()) == {"name": "staging", "labels": {"openfaas": "1", "tier": "2"}}


@pytest.mark.parametrize("status", [202, 200, 204])
async def test_delete(client: Client, gateway: Gateway, status: int) -> None:
    # faasd requires the body, with the name equal to the path and the openfaas label.
    gateway.server.expect_request("/system/namespace/staging", method="DELETE").respond_with_data("", status=status)
    await resolve(client.namespaces.delete("staging"))
    assert sent_json(gateway.only_request()) == {"name": "staging", "labels": {"openfaas": "1"}}


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("POST", lambda c: c.namespaces.create("staging")),
        ("PUT", lambda c: c.namespaces.update("staging")),
        ("DELETE", lambda c: c.namespaces.delete("staging")),
    ],
    ids=["create", "update", "delete"],
)
async def test_writes_on_faas_netes_ce_are_not_allowed(
    client: Client, gateway: Gateway, method: str, call: Any
) -> None:
    # faas-netes CE registers the route for GET only: gorilla/mux answers other methods with 405.
    gateway.server.expect_request("/system/namespace/staging", method=method).respond_with_data(
        "Method Not Allowed", status=405
    )
    with pytest.raises(APIStatusError) as caught:
        await resolve(call(client))
    assert caught.value.status_code == 405
    assert len(gateway.requests) == 1  # not retried


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.namespaces.get("Staging"),
        lambda c: c.namespaces.create("with_underscore"),
        lambda c: c.namespaces.update(""),
        lambda c: c.namespaces.delete("x" * 64),
        lambda c: c.namespaces.create("staging", labels={"n": 1}),
    ],
    ids=["uppercase", "underscore", "empty", "too-long", "non-str-label"],
)
async def test_bad_arguments_are_refused_before_sending(client: Client, gateway: Gateway, call: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        await resolve(call(client))
    assert gateway.requests == []
