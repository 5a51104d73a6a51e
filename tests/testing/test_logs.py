"""GET /system/logs: NDJSON lines with name, namespace, instance, tail, since and follow.

See docs/gateway-behaviour.md, Logs."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from pyopenfaas.testing import FakeGateway, FunctionRequest

from .conftest import SSL_CONTEXT


def read_logs(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/system/logs", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/plain; charset=utf-8"  # the gateway's sniffed type
    return [json.loads(line) for line in response.text.splitlines()]


def texts(entries: list[dict[str, Any]]) -> list[str]:
    return [entry["text"] for entry in entries]


def test_deploy_and_handler_lines(client: httpx.Client, gateway: FakeGateway, flavour: str) -> None:
    def chatty(request: FunctionRequest) -> str:
        request.log("line one\nline two")
        return "ok"

    gateway.deploy("chatty", env_process="python index.py", handler=chatty)
    client.post("/function/chatty")
    entries = read_logs(client, name="chatty")
    assert texts(entries) == ["Forked fprocess: python index.py", "line one", "line two"]
    for entry in entries:
        assert set(entry) == {"name", "namespace", "instance", "timestamp", "text"}
        assert (entry["name"], entry["namespace"]) == ("chatty", "openfaas-fn")
        assert datetime.fromisoformat(entry["timestamp"]).tzinfo is not None
    pattern = r"chatty-[a-z0-9]{10}-[a-z0-9]{5}" if flavour == "faas-netes" else r"[0-9]+"  # a pod; faasd: a PID
    assert re.fullmatch(pattern, entries[0]["instance"])


def test_tail(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn")
    for index in range(5):
        gateway.write_log("fn", f"line {index}")
    assert texts(read_logs(client, name="fn", tail=2)) == ["line 3", "line 4"]
    assert len(read_logs(client, name="fn", tail=0)) == 6
    assert len(read_logs(client, name="fn", tail=-1)) == 6
    # For a repeated key the last value wins.
    response = client.get("/system/logs?name=fn&tail=1&tail=3")
    assert len(response.text.splitlines()) == 3


def test_since(client: httpx.Client, gateway: FakeGateway, flavour: str) -> None:
    gateway.deploy("fn")
    gateway.write_log("fn", "old")
    last_old = datetime.fromisoformat(read_logs(client, name="fn")[-1]["timestamp"])
    gateway.write_log("fn", "new")
    # The boundary in another time zone, to check offsets are honoured.
    boundary = (last_old + timedelta(microseconds=1)).astimezone(timezone(timedelta(hours=2)))
    assert texts(read_logs(client, name="fn", since=boundary.isoformat())) == ["new"]
    assert len(read_logs(client, name="fn", since="2000-01-01T00:00:00.123456789Z")) == 3
    future = read_logs(client, name="fn", since="2999-01-01T00:00:00Z")
    assert len(future) == (0 if flavour == "faas-netes" else 3)  # faasd reads the last 5 minutes instead


@pytest.mark.parametrize(
    "params",
    [
        {"since": "yesterday"},
        {"since": "2024-01-01"},
        {"since": "2024-13-01T00:00:00Z"},
        {"tail": "ten"},
        {"tail": "1_0"},
    ],
)
def test_unparsable_tail_or_since_gets_the_gateways_500(
    client: httpx.Client, gateway: FakeGateway, params: dict[str, str]
) -> None:
    gateway.deploy("fn")
    response = client.get("/system/logs", params={"name": "fn", **params})
    assert (response.status_code, response.text) == (500, "unknown log request error (422)\n")


@pytest.mark.parametrize("flavour", ["faas-netes"], indirect=True)  # faasd ignores `instance`: test_faasd.py
def test_instance(client: httpx.Client, gateway: FakeGateway, flavour: str) -> None:
    gateway.deploy("fn")
    client.post("/system/scale-function/fn", json={"serviceName": "fn", "replicas": 3})
    instances = [entry["instance"] for entry in read_logs(client, name="fn")]
    assert len(instances) == (3 if flavour == "faas-netes" else 1)  # one "Forked" line per instance
    for instance in instances:
        assert [entry["instance"] for entry in read_logs(client, name="fn", instance=instance)] == [instance]
    assert read_logs(client, name="fn", instance="other") == []


def test_invocations_rotate_over_instances(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn", handler=lambda request: request.log("served"))
    gateway.set_replicas("fn", 2)
    for _ in range(4):
        client.post("/function/fn")
    served = [entry["instance"] for entry in read_logs(client, name="fn") if entry["text"] == "served"]
    assert len(set(served)) == (2 if gateway.flavour == "faas-netes" else 1)


@pytest.mark.parametrize("flavour", ["faas-netes"], indirect=True)  # faasd answers 200: test_faasd.py
def test_unknown_functions_get_501(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn")
    for params in ({"name": "nope"}, {}, {"name": "fn", "namespace": "elsewhere"}):
        response = client.get("/system/logs", params=params)
        assert (response.status_code, response.content) == (501, b"")


def test_without_follow_the_stream_ends(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn")
    for value in ("false", "0", "nonsense"):  # ParseBool: anything unparsable is false
        assert len(read_logs(client, name="fn", follow=value)) == 1


def test_follow_sends_new_lines(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn")
    gateway.write_log("fn", "one\ntwo")
    with client.stream("GET", "/system/logs", params={"name": "fn", "follow": "true", "tail": "1"}) as response:
        assert response.status_code == 200
        lines = response.iter_lines()
        assert json.loads(next(lines))["text"] == "two"
        gateway.write_log("fn", "three")
        assert json.loads(next(lines))["text"] == "three"
        client.post("/function/fn")  # other requests go on meanwhile; the default handler logs the call
        assert re.fullmatch(
            r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d POST / - 200 OK - ContentLength: 0B \(\d+\.\d{4}s\)",
            json.loads(next(lines))["text"],
        )
        gateway.write_log("fn", "four")
        assert json.loads(next(lines))["text"] == "four"


def test_follow_filters_new_lines(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn")
    gateway.deploy("other")
    instance = read_logs(client, name="fn")[0]["instance"]
    with client.stream("GET", "/system/logs", params={"name": "fn", "follow": "1", "instance": instance}) as response:
        lines = response.iter_lines()
        next(lines)
        gateway.write_log("other", "not mine")
        gateway.set_replicas("fn", 2)  # a new instance's "Forked" line is not for this stream
        gateway.write_log("fn", "mine")
        assert json.loads(next(lines))["text"] == "mine"


def test_follow_ends_when_the_function_is_deleted(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn")
    with client.stream("GET", "/system/logs", params={"name": "fn", "follow": "true"}) as response:
        lines = response.iter_lines()
        next(lines)
        client.request("DELETE", "/system/functions", json={"functionName": "fn"})
        assert list(lines) == []


def test_follow_ends_when_the_gateway_closes(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("fn")
    with client.stream("GET", "/system/logs", params={"name": "fn", "follow": "true"}) as response:
        lines = response.iter_lines()
        next(lines)
        gateway.close()
        assert list(lines) == []


def test_a_stopping_server_ends_follow_streams() -> None:
    with FakeGateway() as gateway, httpx.Client(trust_env=False, verify=SSL_CONTEXT) as client:
        gateway.deploy("fn")
        serving = gateway.serve()
        url = serving.__enter__()
        with client.stream("GET", f"{url}/system/logs?name=fn&follow=true") as response:
            lines = response.iter_lines()
            next(lines)
            serving.__exit__(None, None, None)
            assert list(lines) == []  # a clean end of the chunked body
        with pytest.raises(httpx.ConnectError):
            client.get(f"{url}/healthz")


def test_follow_over_async_clients(gateway: FakeGateway, front: str) -> None:
    gateway.deploy("fn")

    async def follow(client: httpx.AsyncClient) -> list[str]:
        async with client.stream("GET", "/system/logs", params={"name": "fn", "follow": "true"}) as response:
            lines = response.aiter_lines()
            first = json.loads(await anext(lines))["text"]
            gateway.write_log("fn", "later")
            second = json.loads(await anext(lines))["text"]
        assert (await client.get("/system/logs", params={"name": "fn"})).status_code == 200
        return [first, second]

    async def run(base_url: str, transport: httpx.AsyncBaseTransport | None) -> list[str]:
        async with httpx.AsyncClient(base_url=base_url, transport=transport, trust_env=False) as client:
            return await follow(client)

    if front == "in-process":
        result = asyncio.run(run("http://fake", gateway.transport()))
    else:
        with gateway.serve() as url:
            result = asyncio.run(run(url, None))
    assert result == ["Forked fprocess: python handler.py", "later"]


def test_write_log_needs_a_running_function(gateway: FakeGateway) -> None:
    with pytest.raises(KeyError):
        gateway.write_log("nope", "text")
    gateway.deploy("fn")
    gateway.set_replicas("fn", 0)
    with pytest.raises(ValueError, match="no instances"):
        gateway.write_log("fn", "text")
