"""client.functions: list, get, deploy, update, apply, delete, scale and wait_ready, on both clients, with the
status codes of faas-netes (202) and faasd (200) and the namespace rules of docs/gateway-behaviour.md."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

import pytest
from pyopenfaas import (
    BadRequestError,
    DeployOptions,
    Function,
    FunctionNotReadyError,
    FunctionUsage,
    InternalServerError,
    NotFoundError,
)
from werkzeug import Request

from tests import payloads
from tests.contract.server import Gateway
from tests.support.clients import Client, Clients, resolve

pytestmark = pytest.mark.anyio

PROVIDER_OK = pytest.mark.parametrize("status", [202, 200], ids=["faas-netes", "faasd"])
FUNCTION_FIELDS = (
    "name", "image", "namespace", "env_process", "env_vars", "constraints", "secrets", "labels", "annotations",
    "limits", "requests", "read_only_root_filesystem", "invocation_count", "replicas", "available_replicas",
    "created_at", "usage",
)  # fmt: skip


def sent_json(request: Request) -> Any:
    assert request.content_type == "application/json"
    return json.loads(request.get_data())


def query(request: Request) -> dict[str, list[str]]:
    return request.args.to_dict(flat=False)


# ---- list and get ----------------------------------------------------------------------------------------------


async def test_list_reads_both_providers_payloads(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/functions", method="GET").respond_with_json(
        [payloads.FAAS_NETES_FUNCTION, payloads.FAASD_FUNCTION]
    )
    netes, faasd = await resolve(client.functions.list())

    assert isinstance(netes, Function)
    assert (netes.name, netes.image, netes.namespace) == ("figlet", "ghcr.io/openfaas/figlet:latest", "openfaas-fn")
    assert netes.env_process == "figlet"
    assert netes.env_vars == {"write_debug": "true"}
    assert netes.constraints == ["node.platform.os == linux"]
    assert netes.secrets == ["api-key"]
    assert netes.labels == {"com.openfaas.scale.min": "1", "team": "edge"}
    assert netes.annotations == {"prometheus.io.scrape": "false"}
    assert netes.limits == {"memory": "128Mi", "cpu": "200m", "nvidia.com/gpu": "1"}
    assert netes.requests == {"memory": "64Mi", "cpu": "100m"}
    assert netes.read_only_root_filesystem is True
    assert (netes.invocation_count, netes.replicas, netes.available_replicas) == (1337, 2, 2)
    assert netes.ready
    # Nanoseconds are rounded to microseconds (msgspec); the time stays aware.
    assert netes.created_at == datetime.datetime(2026, 11, 20, 9, 14, 7, 123457, tzinfo=datetime.UTC)
    assert netes.usage is None

    # faasd, scaled to zero: replicas omitted, Go's zero createdAt, no resources.
    assert (faasd.replicas, faasd.available_replicas, faasd.invocation_count) == (0, 0, 0)
    assert not faasd.ready
    assert faasd.created_at is None
    assert (faasd.limits, faasd.requests, faasd.usage) == (None, None, None)
    assert (faasd.env_vars, faasd.constraints, faasd.secrets) == ({}, [], [])
    assert (faasd.labels, faasd.annotations) == ({}, {})
    assert faasd.read_only_root_filesystem is False


async def test_results_are_friendly(client: Client, gateway: Gateway) -> None:
    """Every documented field is there, counts are ints (the gateway's float64 invocationCount too), and every field
    has the documented type."""
    sparse = {"name": "bare", "image": "img:1", "invocationCount": 12.0, "createdAt": "0001-01-01T00:00:00Z"}
    usage = {**payloads.FAAS_NETES_FUNCTION, "usage": {"cpu": 0.25, "totalMemoryBytes": 1048576}}
    gateway.server.expect_request("/system/functions").respond_with_json(
        [sparse, payloads.FAASD_FUNCTION, payloads.FAAS_NETES_FUNCTION, usage]
    )
    functions = await resolve(client.functions.list())

    assert set(FUNCTION_FIELDS) <= set(Function.__struct_fields__)
    for function in functions:
        for name in ("invocation_count", "replicas", "available_replicas"):
            value = getattr(function, name)
            assert type(value) is int, (name, value)
    bare = functions[0]
    assert bare.invocation_count == 12
    assert (bare.namespace, bare.env_process, bare.created_at) == (None, None, None)
    assert functions[3].usage == FunctionUsage(cpu=0.25, total_memory_bytes=1048576.0)


async def test_list_of_nothing(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/functions").respond_with_json([])
    assert await resolve(client.functions.list()) == []


async def test_get(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/function/figlet", method="GET").respond_with_json(
        payloads.FAAS_NETES_FUNCTION
    )
    function = await resolve(client.functions.get("figlet"))
    # The wire form of the fields, the time to the microsecond.
    assert function.to_dict() == {**payloads.FAAS_NETES_FUNCTION, "createdAt": "2026-11-20T09:14:07.123457Z"}
    request = gateway.only_request()
    assert query(request) == {}
    assert request.get_data() == b""


async def test_get_with_usage_sends_usage_1_as_faas_cli_describe(client: Client, gateway: Gateway) -> None:
    payload = {**payloads.FAAS_NETES_FUNCTION, "usage": {"cpu": 0.5, "totalMemoryBytes": 1048576}}
    gateway.server.expect_request("/system/function/figlet", method="GET").respond_with_json(payload)
    function = await resolve(client.functions.get("figlet", usage=True))
    assert function.usage == FunctionUsage(cpu=0.5, total_memory_bytes=1048576)
    assert query(gateway.only_request()) == {"usage": ["1"]}


async def test_get_usage_must_be_a_bool(client: Client, gateway: Gateway) -> None:
    with pytest.raises(TypeError, match="usage must be a bool"):
        await resolve(client.functions.get("figlet", usage="yes"))  # type: ignore[arg-type]
    assert gateway.requests == []


async def test_get_missing_function_is_not_found(client: Client, gateway: Gateway) -> None:
    # faas-netes answers a missing function with 404 and an empty body.
    gateway.server.expect_request("/system/function/ghost").respond_with_data("", status=404)
    with pytest.raises(NotFoundError) as caught:
        await resolve(client.functions.get("ghost"))
    assert caught.value.status_code == 404
    assert "GET" in str(caught.value)
    assert "/system/function/ghost" in str(caught.value)


# ---- the namespace on reads: the query string -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("default", "argument", "expected"),
    [
        (None, None, {}),
        (None, "staging", {"namespace": ["staging"]}),
        ("team-a", None, {"namespace": ["team-a"]}),
        ("team-a", "staging", {"namespace": ["staging"]}),
    ],
    ids=["none", "argument", "client-default", "argument-over-default"],
)
async def test_reads_send_the_namespace_in_the_query(
    clients: Clients, gateway: Gateway, default: str | None, argument: str | None, expected: dict[str, list[str]]
) -> None:
    client = clients.make(namespace=default)
    gateway.server.expect_request("/system/functions", method="GET").respond_with_json([])
    gateway.server.expect_request("/system/function/figlet", method="GET").respond_with_json(payloads.FAASD_FUNCTION)
    await resolve(client.functions.list(namespace=argument))
    await resolve(client.functions.get("figlet", namespace=argument))
    assert [query(request) for request in gateway.requests] == [expected, expected]
    assert all(request.get_data() == b"" for request in gateway.requests)


async def test_the_dotted_name_is_not_used_on_system_paths(client: Client, gateway: Gateway) -> None:
    # faas-netes treats /system/function/a.b as a function literally called "a.b": the namespace goes in the query.
    gateway.server.expect_request("/system/function/figlet", query_string={"namespace": "staging"}).respond_with_json(
        {**payloads.FAASD_FUNCTION, "name": "figlet", "namespace": "staging"}
    )
    function = await resolve(client.functions.get("figlet", namespace="staging"))
    assert function.namespace == "staging"
    assert gateway.only_request().path == "/system/function/figlet"


# ---- deploy, update, apply: the namespace in the JSON body ------------------------------------------------------


FULL_OPTIONS: DeployOptions = {
    "namespace": "openfaas-fn",
    "env_process": "figlet",
    "env_vars": {"write_debug": "true"},
    "constraints": ["node.platform.os == linux"],
    "secrets": ["api-key"],
    "labels": {"team": "edge"},
    "annotations": {"topic": "cron"},
    "limits": {"memory": "128Mi", "amd.com/gpu": "1", "intel.com/gpu": "2"},
    "requests": {"cpu": "100m"},
    "read_only_root_filesystem": True,
}


@PROVIDER_OK
@pytest.mark.parametrize(("operation", "method"), [("deploy", "POST"), ("update", "PUT")])
async def test_deploy_and_update_send_every_field(
    client: Client, gateway: Gateway, status: int, operation: str, method: str
) -> None:
    gateway.server.expect_request("/system/functions", method=method).respond_with_data("", status=status)
    call = getattr(client.functions, operation)
    assert await resolve(call("figlet", "ghcr.io/openfaas/figlet:latest", **FULL_OPTIONS)) is None
    request = gateway.only_request()
    assert sent_json(request) == payloads.DEPLOYMENT
    assert query(request) == {}


def test_the_options_above_are_every_deploy_option() -> None:
    """`DeployOptions` is generated from openapi.yaml: a field added there is sent and checked like these."""
    assert FULL_OPTIONS.keys() == DeployOptions.__optional_keys__


@pytest.mark.parametrize("option", sorted(DeployOptions.__optional_keys__))
@pytest.mark.parametrize("operation", ["deploy", "update", "apply"])
async def test_each_option_of_the_wrong_type_is_a_type_error_before_sending(
    client: Client, gateway: Gateway, operation: str, option: str
) -> None:
    with pytest.raises(TypeError, match=option):
        await resolve(getattr(client.functions, operation)("figlet", "img:1", **{option: 12345}))
    assert gateway.requests == []


async def test_empty_collections_are_left_out_as_go_does(client: Client, gateway: Gateway) -> None:
    """The providers' `omitempty` fields: an empty list or map reads the same as one left out."""
    gateway.server.expect_request("/system/functions", method="POST").respond_with_data("", status=202)
    await resolve(client.functions.deploy("figlet", "img:1", constraints=[], labels={}, env_vars={}))
    assert sent_json(gateway.only_request()) == {"service": "figlet", "image": "img:1"}


@pytest.mark.parametrize(("operation", "method"), [("deploy", "POST"), ("update", "PUT")])
async def test_deploy_and_update_send_only_what_is_given(
    clients: Clients, gateway: Gateway, operation: str, method: str
) -> None:
    gateway.server.expect_request("/system/functions", method=method).respond_with_data("", status=202)
    plain = clients.make()
    await resolve(getattr(plain.functions, operation)("figlet", "img:1"))
    namespaced = clients.make(namespace="team-a")
    await resolve(getattr(namespaced.functions, operation)("figlet", "img:1"))
    await resolve(getattr(namespaced.functions, operation)("figlet", "img:1", namespace="staging"))
    bodies = [sent_json(request) for request in gateway.requests]
    assert bodies == [
        {"service": "figlet", "image": "img:1"},
        {"service": "figlet", "image": "img:1", "namespace": "team-a"},
        {"service": "figlet", "image": "img:1", "namespace": "staging"},
    ]
    # Writes carry the namespace in the body only.
    assert all(query(request) == {} for request in gateway.requests)


async def test_deploy_existing_function_on_faas_netes_is_an_internal_error(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/functions", method="POST").respond_with_data(
        'deployments.apps "figlet" already exists', status=500
    )
    with pytest.raises(InternalServerError, match="already exists"):
        await resolve(client.functions.deploy("figlet", "img:1"))


async def test_deploy_rejected_by_community_edition(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/functions", method="POST").respond_with_data(
        "the Community Edition license agreement only allows public images", status=400
    )
    with pytest.raises(BadRequestError, match="only allows public images") as caught:
        await resolve(client.functions.deploy("figlet", "registry.example/private:1"))
    assert caught.value.status_code == 400


async def test_update_missing_function_is_not_found(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/functions", method="PUT").respond_with_data("not found", status=404)
    with pytest.raises(NotFoundError):
        await resolve(client.functions.update("ghost", "img:1"))


@PROVIDER_OK
async def test_apply_updates_an_existing_function(client: Client, gateway: Gateway, status: int) -> None:
    gateway.server.expect_ordered_request("/system/functions", method="PUT").respond_with_data("", status=status)
    await resolve(client.functions.apply("figlet", "img:2", labels={"v": "2"}))
    request = gateway.only_request()
    assert request.method == "PUT"
    assert sent_json(request) == {"service": "figlet", "image": "img:2", "labels": {"v": "2"}}


@PROVIDER_OK
async def test_apply_deploys_when_update_finds_nothing(client: Client, gateway: Gateway, status: int) -> None:
    gateway.server.expect_ordered_request("/system/functions", method="PUT").respond_with_data("", status=404)
    gateway.server.expect_ordered_request("/system/functions", method="POST").respond_with_data("", status=status)
    await resolve(client.functions.apply("figlet", "img:2", namespace="staging"))
    assert [request.method for request in gateway.requests] == ["PUT", "POST"]
    expected = {"service": "figlet", "image": "img:2", "namespace": "staging"}
    assert [sent_json(request) for request in gateway.requests] == [expected, expected]


async def test_apply_does_not_deploy_after_another_error(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_ordered_request("/system/functions", method="PUT").respond_with_data("boom", status=500)
    with pytest.raises(InternalServerError):
        await resolve(client.functions.apply("figlet", "img:2"))
    assert [request.method for request in gateway.requests] == ["PUT"]


# ---- delete and scale: the namespace in the body and the query ------------------------------------------------


@PROVIDER_OK
async def test_delete(clients: Clients, gateway: Gateway, status: int) -> None:
    gateway.server.expect_request("/system/functions", method="DELETE").respond_with_data("", status=status)
    client = clients.make()
    await resolve(client.functions.delete("figlet"))
    await resolve(client.functions.delete("figlet", namespace="staging"))
    await resolve(clients.make(namespace="team-a").functions.delete("figlet"))
    sent = [(query(request), sent_json(request)) for request in gateway.requests]
    assert sent == [
        ({}, {"functionName": "figlet"}),
        ({"namespace": ["staging"]}, {"functionName": "figlet", "namespace": "staging"}),
        ({"namespace": ["team-a"]}, {"functionName": "figlet", "namespace": "team-a"}),
    ]


async def test_delete_missing_function_is_not_found(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/functions", method="DELETE").respond_with_data("not found", status=404)
    with pytest.raises(NotFoundError):
        await resolve(client.functions.delete("ghost"))


@PROVIDER_OK
async def test_scale(clients: Clients, gateway: Gateway, status: int) -> None:
    gateway.server.expect_request("/system/scale-function/figlet", method="POST").respond_with_data("", status=status)
    client = clients.make()
    await resolve(client.functions.scale("figlet", 3))
    await resolve(client.functions.scale("figlet", 1, namespace="staging"))
    await resolve(clients.make(namespace="team-a").functions.scale("figlet", 5))
    sent = [(query(request), sent_json(request)) for request in gateway.requests]
    # faas-netes reads the path and the query, faasd the body's serviceName and namespace: both are sent.
    assert sent == [
        ({}, {"serviceName": "figlet", "replicas": 3}),
        ({"namespace": ["staging"]}, {"serviceName": "figlet", "replicas": 1, "namespace": "staging"}),
        ({"namespace": ["team-a"]}, {"serviceName": "figlet", "replicas": 5, "namespace": "team-a"}),
    ]


async def test_scale_to_zero_rejected_by_community_edition(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/scale-function/figlet", method="POST").respond_with_data(
        "replicas cannot be set to 0 in OpenFaaS CE", status=400
    )
    with pytest.raises(BadRequestError, match="cannot be set to 0"):
        await resolve(client.functions.scale("figlet", 0))
    assert sent_json(gateway.only_request()) == {"serviceName": "figlet", "replicas": 0}


async def test_scale_missing_function_is_not_found(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/scale-function/ghost", method="POST").respond_with_data("", status=404)
    with pytest.raises(NotFoundError):
        await resolve(client.functions.scale("ghost", 2))


# ---- bad arguments are refused before anything is sent --------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.functions.get("Figlet"),
        lambda c: c.functions.get("fig.let"),
        lambda c: c.functions.get("-figlet"),
        lambda c: c.functions.get("a" * 64),
        lambda c: c.functions.list(namespace="Bad_NS"),
        lambda c: c.functions.deploy("figlet", "has space"),
        lambda c: c.functions.deploy("figlet", "img", limits={"disk": "1Gi"}),
        lambda c: c.functions.delete(""),
        lambda c: c.functions.scale("figlet", -1),
        lambda c: c.functions.wait_ready("figlet", timeout=0),
    ],
    ids=[
        "uppercase", "dotted", "leading-dash", "too-long", "bad-namespace", "bad-image", "bad-resource", "empty",
        "negative-replicas", "zero-timeout",
    ],
)  # fmt: skip
async def test_bad_arguments_raise_value_error_before_sending(client: Client, gateway: Gateway, call: Any) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is checked in the validation tests
        await resolve(call(client))
    assert gateway.requests == []


# ---- wait_ready ------------------------------------------------------------------------------------------------


async def test_wait_ready_polls_until_a_replica_is_available(client: Client, gateway: Gateway) -> None:
    server = gateway.server
    server.expect_ordered_request("/system/function/figlet").respond_with_json(
        {**payloads.FAASD_FUNCTION, "name": "figlet", "replicas": 1}
    )
    server.expect_ordered_request("/system/function/figlet").respond_with_json(payloads.FAAS_NETES_FUNCTION)
    function = await resolve(client.functions.wait_ready("figlet", namespace="openfaas-fn", poll_interval=0.01))
    assert function.name == "figlet"
    assert function.available_replicas == 2
    assert len(gateway.requests) == 2
    assert all(query(request) == {"namespace": ["openfaas-fn"]} for request in gateway.requests)


async def test_wait_ready_returns_at_once_when_ready(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/function/figlet").respond_with_json(
        {**payloads.FAASD_FUNCTION, "name": "figlet", "replicas": 1, "availableReplicas": 1}
    )
    function = await resolve(client.functions.wait_ready("figlet", timeout=5, poll_interval=5))
    assert function.available_replicas == 1
    assert len(gateway.requests) == 1


async def test_wait_ready_times_out(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/function/figlet").respond_with_json(
        {**payloads.FAASD_FUNCTION, "name": "figlet", "replicas": 1}
    )
    started = time.monotonic()
    with pytest.raises(FunctionNotReadyError) as caught:
        await resolve(client.functions.wait_ready("figlet", timeout=0.3, poll_interval=0.05))
    elapsed = time.monotonic() - started
    assert isinstance(caught.value, TimeoutError)
    assert "figlet" in str(caught.value)
    assert "0/1 replicas available" in str(caught.value)
    assert elapsed >= 0.3  # it waited out its timeout (no upper bound: a loaded machine is slow)
    assert len(gateway.requests) >= 3


async def test_wait_ready_ends_at_once_on_a_missing_function(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/function/ghost").respond_with_data("", status=404)
    with pytest.raises(NotFoundError):
        await resolve(client.functions.wait_ready("ghost", timeout=60, poll_interval=30))
    assert len(gateway.requests) == 1


async def test_wait_ready_raises_other_errors_at_once(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/function/figlet").respond_with_data("boom", status=500)
    with pytest.raises(InternalServerError):
        await resolve(client.functions.wait_ready("figlet", timeout=5, poll_interval=0.01))
    assert len(gateway.requests) == 1
