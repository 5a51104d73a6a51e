"""Basic auth and bearer tokens on /system/*; none on functions or health.

See docs/gateway-behaviour.md, Authentication."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pyopenfaas.testing import FakeGateway, FunctionRequest

from .conftest import Connect


@pytest.fixture
def guarded(connect: Connect) -> Iterator[tuple[FakeGateway, httpx.Client]]:
    with FakeGateway(username="admin", password="pa:ss", token="t0ken") as gateway:
        yield gateway, connect(gateway)


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Restricted"'
    assert response.text == "invalid credentials\n"


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Basic " + "YWRtaW46d3Jvbmc=",  # admin:wrong
        "Basic " + "bm9ib2R5OnBhOnNz",  # nobody:pa:ss
        "Basic YWRtaW4=",  # admin, no colon
        "Basic !!!",
        "Bearer wrong",
        "Token t0ken",
        "t0ken",
    ],
)
def test_wrong_or_missing_credentials_get_401(
    guarded: tuple[FakeGateway, httpx.Client], authorization: str | None
) -> None:
    _, client = guarded
    headers = {"Authorization": authorization} if authorization else {}
    for method, path in [
        ("GET", "/system/info"),
        ("GET", "/system/functions"),
        ("POST", "/system/functions"),
        ("GET", "/system/function/x"),
        ("POST", "/system/scale-function/x"),
        ("GET", "/system/secrets"),
        ("GET", "/system/logs"),
        ("GET", "/system/namespaces"),
        ("GET", "/system/namespace/x"),
        ("POST", "/system/alert"),
        ("GET", "/system/telemetry"),
    ]:
        assert_refused(client.request(method, path, headers=headers))


def test_basic_auth_and_bearer_token_are_accepted(guarded: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = guarded
    assert client.get("/system/functions", auth=("admin", "pa:ss")).status_code == 200
    assert client.get("/system/functions", headers={"Authorization": "Bearer t0ken"}).status_code == 200
    assert client.get("/system/functions", headers={"Authorization": "bearer t0ken"}).status_code == 200


def test_only_the_configured_scheme_works(connect: Connect) -> None:
    with FakeGateway(token="t0ken") as gateway:
        client = connect(gateway)
        assert client.get("/system/info", headers={"Authorization": "Bearer t0ken"}).status_code == 200
        assert_refused(client.get("/system/info", auth=("admin", "t0ken")))
    with FakeGateway(username="admin", password="pw") as gateway:
        client = connect(gateway)
        assert client.get("/system/info", auth=("admin", "pw")).status_code == 200
        assert_refused(client.get("/system/info", headers={"Authorization": "Bearer pw"}))


def test_functions_and_health_need_no_credentials(guarded: tuple[FakeGateway, httpx.Client]) -> None:
    gateway, client = guarded
    gateway.deploy("open")
    assert client.get("/healthz").status_code == 200
    assert client.post("/function/open", content=b"hi").text == "hi"
    assert client.post("/async-function/open").status_code == 202
    gateway.wait_idle()


def test_the_gateway_records_what_reached_functions(guarded: tuple[FakeGateway, httpx.Client]) -> None:
    gateway, client = guarded
    seen: list[str | None] = []

    @gateway.handler("spy")
    def spy(request: FunctionRequest) -> None:
        seen.append(request.headers.get("Authorization"))

    gateway.deploy("spy")
    client.post("/function/spy")
    client.post("/function/spy", auth=("admin", "pa:ss"))
    function_calls = [request for request in gateway.requests if request.path.startswith("/function/")]
    assert [request.headers.get("authorization") for request in function_calls] == [None, "Basic YWRtaW46cGE6c3M="]
    assert seen == [None, "Basic YWRtaW46cGE6c3M="]  # the gateway forwards whatever it was sent
    assert function_calls[0].method == "POST"
    assert function_calls[0].query == ""


def test_a_recorded_request_keeps_the_headers_it_arrived_with() -> None:
    # An httpx client may change a request and send it again (a retry with a function token): the first
    # record must not change with it.
    with FakeGateway() as gateway:
        gateway.deploy("spy")
        client = httpx.Client(transport=gateway.transport(), base_url="http://fake")
        request = client.build_request("POST", "/function/spy", content=b"hi")
        client.send(request)
        request.headers["Authorization"] = "Bearer function-token"
        client.send(request)
        assert [r.headers.get("authorization") for r in gateway.requests] == [None, "Bearer function-token"]


def test_recorded_requests_are_bounded() -> None:
    with FakeGateway(max_recorded_requests=2) as gateway:
        client = httpx.Client(transport=gateway.transport(), base_url="http://fake")
        for path in ("/healthz", "/system/info", "/system/namespaces"):
            client.get(path, params={"q": "1"})
        assert [(request.path, request.query) for request in gateway.requests] == [
            ("/system/info", "q=1"),
            ("/system/namespaces", "q=1"),
        ]
