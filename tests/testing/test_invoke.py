"""Synchronous invocation: any method, sub-paths, handlers, the gateway's headers and the proxy's errors."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from pyopenfaas.testing import FakeGateway, FunctionRequest, FunctionResponse, HandlerResult

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def describe(request: FunctionRequest) -> dict[str, object]:
    return {
        "name": request.name,
        "namespace": request.namespace,
        "method": request.method,
        "path": request.path,
        "query": str(request.query),
        "body": request.text,
        "call_id": request.call_id,
    }


@pytest.mark.parametrize("method", METHODS)
def test_any_method_reaches_the_handler(client: httpx.Client, gateway: FakeGateway, method: str) -> None:
    gateway.deploy("describe", handler=describe)
    response = client.request(method, "/function/describe/a/b", params={"x": "1", "y": "2"}, content=b"data")
    assert response.status_code == 200
    if method == "HEAD":
        assert response.content == b""
        return
    assert response.json() == {
        "name": "describe",
        "namespace": "openfaas-fn",
        "method": method,
        "path": "/a/b",
        "query": "x=1&y=2",
        "body": "data",
        "call_id": response.headers["x-call-id"],
    }


def test_other_methods_are_refused(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn")
    assert client.request("TRACE", "/function/fn").status_code == 405


@pytest.mark.parametrize(("suffix", "path"), [("", ""), ("/", "/"), ("/deep/er/", "/deep/er/")])
def test_sub_paths(client: httpx.Client, gateway: FakeGateway, suffix: str, path: str) -> None:
    gateway.deploy("describe", handler=describe)
    assert client.get(f"/function/describe{suffix}").json()["path"] == path


def test_the_default_handler_echoes(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("echo")
    body = bytes(range(256))
    response = client.post("/function/echo", content=body, headers={"Content-Type": "application/x-thing"})
    assert response.content == body
    assert response.headers["content-type"] == "application/x-thing"
    assert "content-type" not in client.post("/function/echo", content=b"").headers


def test_gateway_headers(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("describe", handler=describe)
    first, second = client.post("/function/describe"), client.post("/function/describe")
    for response in (first, second):
        uuid.UUID(response.headers["x-call-id"])
        assert re.fullmatch(r"[0-9]{19}", response.headers["x-start-time"])
        assert response.headers["x-served-by"] == "openfaas-ce/0.27.12"
    assert first.headers["x-call-id"] != second.headers["x-call-id"]

    own = client.post("/function/describe", headers={"X-Call-Id": "mine"})
    assert own.json()["call_id"] == "mine"  # forwarded to the function
    assert "x-call-id" not in own.headers  # but not echoed
    assert "x-start-time" in own.headers


@pytest.mark.parametrize(
    ("result", "status", "content_type", "body"),
    [
        (b"\x00raw", 200, "application/octet-stream", b"\x00raw"),
        ("text", 200, "text/plain; charset=utf-8", b"text"),
        ({"a": [1]}, 200, "application/json", b'{"a": [1]}'),
        ([1, 2], 200, "application/json", b"[1, 2]"),
        (None, 200, None, b""),
        (FunctionResponse("made", status=201, headers={"X-Extra": "1"}), 201, "text/plain; charset=utf-8", b"made"),
        (FunctionResponse(b"<p/>", headers={"Content-Type": "text/html"}), 200, "text/html", b"<p/>"),
        (FunctionResponse(b"b", status=418), 418, "application/octet-stream", b"b"),
        (FunctionResponse(status=204), 204, None, b""),
    ],
)
def test_handler_results(
    client: httpx.Client,
    gateway: FakeGateway,
    result: HandlerResult,
    status: int,
    content_type: str | None,
    body: bytes,
) -> None:
    gateway.deploy("fn", handler=lambda request: result)
    response = client.post("/function/fn")
    assert (response.status_code, response.headers.get("content-type"), response.content) == (
        status,
        content_type,
        body,
    )
    if isinstance(result, FunctionResponse) and "X-Extra" in result.headers:
        assert response.headers["x-extra"] == "1"


def test_a_failing_handler_answers_500_and_logs(client: httpx.Client, gateway: FakeGateway) -> None:
    def broken(request: FunctionRequest) -> str:
        raise RuntimeError("boom")

    gateway.deploy("broken", handler=broken)
    response = client.post("/function/broken")
    assert (response.status_code, response.text) == (500, "RuntimeError: boom\n")
    logs = client.get("/system/logs", params={"name": "broken"}).text
    assert "RuntimeError: boom" in logs


def test_unknown_and_undeployed_functions_get_the_proxy_503(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.register("registered", describe)
    for name in ("unknown", "registered", "registered.elsewhere"):
        response = client.post(f"/function/{name}")
        assert response.status_code == 503
        assert response.text == f"No endpoints available for: {name}."
        assert response.headers["x-openfaas-internal"] == "proxy"
        assert "x-call-id" in response.headers


def test_no_ready_replica_gets_503(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("cold")
    gateway.set_replicas("cold", 1, available=0)
    assert client.post("/function/cold").status_code == 503
    gateway.set_replicas("cold", 1)
    assert client.post("/function/cold").status_code == 200


def test_invalid_route_names_are_404(client: httpx.Client) -> None:
    assert client.post("/function/bad name!").status_code == 404
    assert client.post("/function/").status_code == 404


def test_invocations_are_counted(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("counted")
    for _ in range(3):
        client.get("/function/counted")
    client.post("/function/uncounted")
    assert client.get("/system/function/counted").json()["invocationCount"] == 3


def test_dotted_names_split_on_the_last_dot(connect: object) -> None:
    with FakeGateway(flavour="faasd", ce_limits=False) as gateway:
        client = connect(gateway)  # type: ignore[operator]
        labels = {"openfaas": "1"}
        client.post("/system/namespace/", json={"name": "dev", "labels": labels})
        gateway.deploy("fn", namespace="dev", handler=describe)
        gateway.deploy("fn", handler=lambda request: "default namespace")
        assert client.post("/function/fn.dev").json()["namespace"] == "dev"
        assert client.post("/function/fn").text == "default namespace"
        assert client.post("/function/fn.openfaas-fn").text == "default namespace"
        assert client.post("/function/fn.").text == "default namespace"
        assert client.post("/function/fn.x.dev").status_code == 503  # a function called "fn.x" in dev


def test_handlers_are_per_namespace(gateway: FakeGateway) -> None:
    client = httpx.Client(transport=gateway.transport(), base_url="http://fake")

    @gateway.handler("fn", namespace="openfaas-fn")
    def default(request: FunctionRequest) -> str:
        return "mine"

    gateway.deploy("fn")
    assert client.post("/function/fn").text == "mine"


def test_request_helpers(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("json", handler=lambda request: {"got": request.json(), "agent": request.headers["x-agent"]})
    response = client.post("/function/json", json={"n": 1}, headers={"X-Agent": "test"})
    assert response.json() == {"got": {"n": 1}, "agent": "test"}


def test_handlers_can_be_unit_tested_without_a_gateway() -> None:
    request = FunctionRequest(body=b'{"n": 2}', query=httpx.QueryParams("x=1"))
    request.log("goes nowhere")
    assert (request.name, request.namespace, request.method, request.path) == ("fn", "openfaas-fn", "POST", "")
    assert (request.json(), request.query["x"], request.headers.get("X-Missing")) == ({"n": 2}, "1", None)
