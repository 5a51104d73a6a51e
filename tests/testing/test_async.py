"""Async invocation: 202 and a call id at once, the function in the background, then the callback."""

from __future__ import annotations

import threading

import httpx
import pytest
from pyopenfaas.testing import FakeGateway, FunctionRequest, FunctionResponse
from pytest_httpserver import HTTPServer


def test_the_callback_carries_the_result(client: httpx.Client, gateway: FakeGateway, httpserver: HTTPServer) -> None:
    seen: list[tuple[str, str, str, bytes]] = []

    def shout(request: FunctionRequest) -> FunctionResponse:
        seen.append((request.method, request.path, str(request.query), request.body))
        return FunctionResponse(request.text.upper(), status=201, headers={"X-Fn": "yes"})

    gateway.deploy("shout", handler=shout)
    httpserver.expect_request("/done", method="POST").respond_with_data("thanks")
    response = client.post(
        "/async-function/shout/sub/path",
        params={"x": "1"},
        content=b"hi",
        headers={"X-Callback-Url": httpserver.url_for("/done")},
    )
    assert (response.status_code, response.content) == (202, b"")
    call_id = response.headers["x-call-id"]
    assert "x-start-time" in response.headers

    gateway.wait_idle()
    assert seen == [("POST", "/sub/path", "x=1", b"hi")]
    [(callback, _)] = httpserver.log
    assert callback.data == b"HI"
    assert callback.headers["X-Function-Status"] == "201"
    assert callback.headers["X-Function-Name"] == "shout"
    assert callback.headers["X-Call-Id"] == call_id
    assert float(callback.headers["X-Duration-Seconds"]) >= 0
    assert callback.headers["X-Fn"] == "yes"  # the function's own headers are copied
    assert callback.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert client.get("/system/function/shout").json()["invocationCount"] == 1


def test_a_callers_call_id_is_kept_but_not_echoed(
    client: httpx.Client, gateway: FakeGateway, httpserver: HTTPServer
) -> None:
    ids: list[str] = []
    gateway.deploy("fn", handler=lambda request: ids.append(request.call_id))
    httpserver.expect_request("/done").respond_with_data("")
    headers = {"X-Call-Id": "my-id", "X-Callback-Url": httpserver.url_for("/done")}
    response = client.post("/async-function/fn", headers=headers)
    assert response.status_code == 202
    assert "x-call-id" not in response.headers
    gateway.wait_idle()
    assert ids == ["my-id"]
    assert httpserver.log[0][0].headers["X-Call-Id"] == "my-id"


def test_failures_reach_the_callback(client: httpx.Client, gateway: FakeGateway, httpserver: HTTPServer) -> None:
    def broken(request: FunctionRequest) -> None:
        raise ValueError("bad input")

    gateway.deploy("broken", handler=broken)
    httpserver.expect_request("/done").respond_with_data("")
    callback = {"X-Callback-Url": httpserver.url_for("/done")}
    assert client.post("/async-function/ghost", headers=callback).status_code == 202  # queued even if unknown
    assert client.post("/async-function/broken", headers=callback).status_code == 202
    gateway.wait_idle()
    results = sorted((request.headers["X-Function-Name"], request.headers["X-Function-Status"], request.data)
                     for request, _ in httpserver.log)  # fmt: skip
    assert results == [
        ("broken", "500", b"ValueError: bad input\n"),
        ("ghost", "503", b"No endpoints available for: ghost."),
    ]


def test_without_a_callback_the_function_still_runs(client: httpx.Client, gateway: FakeGateway) -> None:
    done = threading.Event()
    gateway.deploy("fn", handler=lambda request: done.set())
    assert client.post("/async-function/fn").status_code == 202
    assert done.wait(5)
    gateway.wait_idle()


def test_namespaced_async_calls(connect: object, httpserver: HTTPServer) -> None:
    with FakeGateway(flavour="faasd", ce_limits=False) as gateway:
        client = connect(gateway)  # type: ignore[operator]
        client.post("/system/namespace/", json={"name": "dev", "labels": {"openfaas": "1"}})
        gateway.deploy("fn", namespace="dev", handler=lambda request: request.namespace)
        httpserver.expect_request("/done").respond_with_data("")
        client.post("/async-function/fn.dev", headers={"X-Callback-Url": httpserver.url_for("/done")})
        gateway.wait_idle()
        [(callback, _)] = httpserver.log
        assert (callback.data, callback.headers["X-Function-Name"]) == (b"dev", "fn.dev")


@pytest.mark.parametrize("url", ["http://[::1", "http://host/%zz", "://nowhere", "http://host:port/", "http://a\x7fb/"])
def test_an_unparsable_callback_url_gets_400(client: httpx.Client, gateway: FakeGateway, url: str) -> None:
    gateway.deploy("fn")
    response = client.post("/async-function/fn", headers={"X-Callback-Url": url})
    assert response.status_code == 400
    quoted = url.replace("\x7f", "\\x7f")  # as Go's %q writes it
    assert response.text.startswith(f'parse "{quoted}": ')
    gateway.wait_idle()
    assert "invocationCount" not in client.get("/system/function/fn").json()


def test_a_callback_that_cannot_be_delivered_is_dropped(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn")
    # Go's url.Parse accepts a relative URL; the queue worker then fails to POST it and moves on.
    assert client.post("/async-function/fn", headers={"X-Callback-Url": "not a url"}).status_code == 202
    gateway.wait_idle()
    assert client.get("/system/function/fn").json()["invocationCount"] == 1


def test_routes(client: httpx.Client) -> None:
    assert client.get("/async-function/fn").status_code == 405
    assert client.put("/async-function/fn").status_code == 405
    assert client.post("/async-function/bad name").status_code == 404


def test_wait_idle_waits_for_running_calls(client: httpx.Client, gateway: FakeGateway) -> None:
    release, started = threading.Event(), threading.Event()

    def slow(request: FunctionRequest) -> None:
        started.set()
        release.wait(10)

    gateway.deploy("slow", handler=slow)
    client.post("/async-function/slow")
    assert started.wait(5)
    with pytest.raises(TimeoutError, match="1 async invocation"):
        gateway.wait_idle(timeout=0.01)
    release.set()
    gateway.wait_idle()


def test_a_closed_gateway_queues_nothing(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn")
    gateway.close()
    response = client.post("/async-function/fn")
    assert response.status_code == 500
    assert response.text.startswith("Error queuing request")
