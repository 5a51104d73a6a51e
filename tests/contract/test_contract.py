"""The contract check itself: one sweep through every client method covers every operation in openapi.yaml, each
exchange is counted, and requests or responses that break the spec are caught (so the check can fail)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from werkzeug.datastructures import Headers

from tests import payloads
from tests.contract.server import PASSWORD, TOKEN, USERNAME, Gateway
from tests.contract.spec import Contract, SpecRequest, SpecResponse
from tests.support.clients import KINDS, Client, Clients, collect, invoked, resolve

OCTETS = "application/octet-stream"
# No client method: the Pro-only telemetry endpoint (a Community Edition gateway answers 404).
NOT_IN_THE_CLIENT = {("GET", "/system/telemetry")}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=KINDS)
async def clients(request: pytest.FixtureRequest, gateway: Gateway) -> AsyncIterator[Clients]:
    made = Clients(str(request.param), gateway)
    yield made
    await made.close()


def expect_every_operation(gateway: Gateway) -> None:
    server = gateway.server
    server.expect_request("/healthz").respond_with_data("OK", content_type="text/plain")
    server.expect_request("/system/info").respond_with_json(payloads.GATEWAY_INFO_FAAS_NETES)
    server.expect_request("/system/alert", method="POST").respond_with_data("")
    server.expect_request("/system/functions", method="GET").respond_with_json([payloads.FAAS_NETES_FUNCTION])
    for method in ("POST", "PUT"):
        server.expect_request("/system/functions", method=method).respond_with_data("", status=202)
    server.expect_request("/system/functions", method="DELETE").respond_with_data("", status=200)
    server.expect_request("/system/function/figlet").respond_with_json(payloads.FAAS_NETES_FUNCTION)
    server.expect_request("/system/scale-function/figlet", method="POST").respond_with_data("", status=202)
    server.expect_request("/system/secrets", method="GET").respond_with_json([payloads.SECRET_DESCRIPTION])
    for method in ("POST", "PUT", "DELETE"):
        server.expect_request("/system/secrets", method=method).respond_with_data("", status=202)
    server.expect_request("/system/logs").respond_with_data(
        '{"name": "figlet", "namespace": "openfaas-fn", "instance": "i", "timestamp": "2026-01-01T00:00:00Z", '
        '"text": "hi"}\n',
        content_type="application/x-ndjson",
    )
    server.expect_request("/system/namespaces").respond_with_json(["openfaas-fn", "staging"])
    server.expect_request("/system/namespace/staging", method="GET").respond_with_json(payloads.NAMESPACE)
    server.expect_request("/system/namespace/staging", method="POST").respond_with_data("", status=201)
    for method in ("PUT", "DELETE"):
        server.expect_request("/system/namespace/staging", method=method).respond_with_data("", status=202)
    server.expect_request("/async-function/figlet.staging/hook", method="POST").respond_with_data("", status=202)
    server.expect_request("/function/figlet").respond_with_data(b"", content_type=OCTETS)
    server.expect_request("/function/figlet.staging/a/b").respond_with_data(b"ok", content_type=OCTETS)


async def call_every_operation(client: Client) -> int:
    """Every client method once (invoke once per method); returns how many requests that is."""
    await resolve(client.health())
    await resolve(client.info())
    await resolve(client.alert(payloads.ALERT))
    await resolve(client.functions.list(namespace="openfaas-fn"))
    await resolve(client.functions.get("figlet"))
    await resolve(client.functions.deploy("figlet", "ghcr.io/openfaas/figlet:latest", labels={"a": "b"}))
    await resolve(client.functions.update("figlet", "ghcr.io/openfaas/figlet:latest", limits={"memory": "1Gi"}))
    await resolve(client.functions.apply("figlet", "ghcr.io/openfaas/figlet:latest"))
    await resolve(client.functions.scale("figlet", 2, namespace="openfaas-fn"))
    await resolve(client.functions.wait_ready("figlet", timeout=5))
    await resolve(client.functions.delete("figlet", namespace="openfaas-fn"))
    await resolve(client.secrets.list())
    await resolve(client.secrets.create("api-key", "text"))
    await resolve(client.secrets.update("tls-key", b"\x00\xff"))
    await resolve(client.secrets.apply("api-key", "text", namespace="openfaas-fn"))
    await resolve(client.secrets.delete("api-key", namespace="openfaas-fn"))
    await collect(client.functions.logs("figlet", tail=5, since="2026-01-01T00:00:00Z", instance="i"))
    await resolve(client.namespaces.list())
    await resolve(client.namespaces.get("staging"))
    await resolve(client.namespaces.create("staging", annotations={"a": "b"}))
    await resolve(client.namespaces.update("staging", labels={"x": "y"}))
    await resolve(client.namespaces.delete("staging"))
    await resolve(
        client.functions.invoke_async(
            "figlet", b"x", namespace="staging", path="/hook", callback_url="http://cb.example/r", call_id="c-1"
        )
    )
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"):
        await invoked(client.functions.invoke("figlet", b"" if method in ("GET", "HEAD") else b"x", method=method))
    await invoked(client.functions.invoke("figlet", json={"a": 1}, namespace="staging", path="/a/b", query={"q": "1"}))
    return 31


@pytest.mark.anyio
async def test_one_sweep_covers_every_operation_in_the_spec(
    clients: Clients, gateway: Gateway, contract: Contract
) -> None:
    expect_every_operation(gateway)
    requests_before, responses_before = contract.requests_validated, contract.responses_validated
    sent = await call_every_operation(clients.make())

    assert len(gateway.requests) == sent
    assert gateway.server.validated_requests == sent
    assert contract.requests_validated - requests_before >= sent
    assert contract.responses_validated - responses_before >= sent
    assert gateway.server.operations == contract.spec_operations() - NOT_IN_THE_CLIENT


# ---- the check catches what breaks the spec ---------------------------------------------------------------------

AUTH = {"Authorization": "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "problem"),
    [
        ("GET", "/system/functions", {}, "Security"),
        ("GET", "/system/functions", {"params": {"namespace": "Bad_NS"}, "headers": AUTH}, "namespace"),
        ("POST", "/system/functions", {"json": {"service": "figlet"}, "headers": AUTH}, "image"),
        ("DELETE", "/system/functions", {"json": {"functionName": "f", "name": "f"}, "headers": AUTH}, "unexpected"),
        ("POST", "/system/scale-function/figlet", {"json": {"serviceName": "f", "replicas": -1}, "headers": AUTH},
         "replicas"),
        ("PUT", "/system/secrets", {"json": {"name": "s", "rawValue": "not base64!"}, "headers": AUTH}, "rawValue"),
        ("GET", "/system/logs", {"params": {"follow": "true"}, "headers": AUTH}, "name"),
        ("GET", "/system/logs", {"params": {"name": "f", "since": "yesterday"}, "headers": AUTH}, "since"),
        ("GET", "/system/logs", {"params": {"name": "f", "tail": "ten"}, "headers": AUTH}, "tail"),
        ("GET", "/system/nothing-here", {"headers": AUTH}, "not found"),
        ("POST", "/function/figlet", {"headers": AUTH}, "credentials were sent to a function"),
        ("POST", "/async-function/figlet/sub", {"headers": AUTH}, "credentials were sent to a function"),
        ("GET", "/function/figlet", {"headers": {"X-Api-Key": TOKEN}}, "credentials were sent to a function"),
        ("PUT", "/system/namespace/Staging", {"json": {"name": "Staging"}, "headers": AUTH}, "namespace"),
    ],
    ids=[
        "no-credentials", "bad-namespace", "missing-image", "undescribed-field", "negative-replicas",
        "raw-value-not-base64", "logs-without-name", "since-not-rfc3339", "tail-not-int", "unknown-path",
        "credentials-to-function", "credentials-to-async-function", "token-in-another-header", "namespace-path",
    ],
)  # fmt: skip
def test_a_request_that_breaks_the_spec_is_caught(
    gateway: Gateway, method: str, path: str, kwargs: dict[str, Any], problem: str
) -> None:
    gateway.server.no_handler_status_code = 404
    with httpx.Client(base_url=gateway.url) as raw:
        raw.request(method, path, **kwargs)
    problems = "\n".join(gateway.server.problems)
    assert problem.lower() in problems.lower(), problems
    assert gateway.server.validated_requests == 0
    gateway.server.clear()  # caught as it should be: the test passes


@pytest.mark.parametrize(
    ("path", "status", "body", "content_type", "problem"),
    [
        ("/system/function/figlet", 200, '{"name": "f", "image": "i", "replicas": "2"}', "application/json",
         "replicas"),
        ("/system/function/figlet", 200, '{"name": "f", "image": "i", "color": "red"}', "application/json",
         "unexpected"),
        ("/system/functions", 200, "", "application/json", "the body is empty"),
        ("/system/functions", 418, "teapot", "text/plain", "418"),
        ("/system/info", 200, '{"version": {"sha": "a", "release": "1"}, "arch": "x"}', "application/json",
         "provider"),
        ("/system/logs", 200, '{"name": "f"}\n', "application/x-ndjson", "line 1"),
        ("/system/namespaces", 200, '["a", 1]', "application/json", "1"),
    ],
    ids=["wrong-type", "undescribed-field", "empty-json", "undescribed-status", "missing-required", "ndjson-line",
         "namespaces-not-strings"],
)  # fmt: skip
def test_a_response_that_breaks_the_spec_is_caught(
    gateway: Gateway, path: str, status: int, body: str, content_type: str, problem: str
) -> None:
    gateway.server.expect_request(path).respond_with_data(body, status=status, content_type=content_type)
    with httpx.Client(base_url=gateway.url, headers=AUTH) as raw:
        raw.get(path, params={"name": "f"} if path == "/system/logs" else None)
    problems = "\n".join(gateway.server.problems)
    assert problem in problems, problems
    assert gateway.server.validated_requests == 1  # the request itself was fine
    gateway.server.clear()


def test_empty_bodies_pass_only_where_the_schema_allows_them(contract: Contract) -> None:
    text = Headers({"Content-Type": "text/plain"})
    not_found = SpecRequest.build("GET", "/system/function/figlet", headers=AUTH)
    assert contract.response_problems(not_found, SpecResponse(404, b"", text)) == []  # faas-netes' empty 404
    function = SpecRequest.build("POST", "/function/figlet")
    assert contract.response_problems(function, SpecResponse(200, b"", Headers())) == []
    listing = SpecRequest.build("GET", "/system/functions", headers=AUTH)
    json_type = Headers({"Content-Type": "application/json"})
    assert contract.response_problems(listing, SpecResponse(200, b"", json_type)) != []


def test_invocation_sub_paths_are_validated_as_the_function_path(contract: Contract) -> None:
    # The sub-path is stripped: `/function/{functionName}` is what openapi.yaml can describe.
    request = SpecRequest.build("PATCH", "/function/figlet.staging/v1/items/7", query=[("x", "1")])
    assert request.path == "/function/figlet.staging"
    assert contract.request_problems(request) == []
    assert contract.template_for(request.path) == "/function/{functionName}"
    bad_name = SpecRequest.build("POST", "/function/fig$let/x")
    assert contract.request_problems(bad_name) != []


def test_a_raw_request_head_is_validated(contract: Contract) -> None:
    good = (
        b"GET /system/logs?name=figlet&follow=true&since=2026-01-01T00%3A00%3A00Z HTTP/1.1\r\n"
        b"Host: 127.0.0.1\r\nAuthorization: Bearer t\r\n"
    )
    assert contract.request_problems(SpecRequest.from_raw(good)) == []
    bad = b"GET /system/logs?follow=true HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\n"
    assert contract.request_problems(SpecRequest.from_raw(bad)) != []
