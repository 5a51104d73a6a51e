"""client.functions.invoke, invoke_async and invoke_many on both clients: every method, sub-paths, query strings,
headers, every kind of body, streamed responses, FunctionError, and the `name.namespace` invocation path."""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pyopenfaas import (
    APITimeoutError,
    AsyncInvocationResponse,
    AsyncOpenFaaS,
    FunctionError,
    InvocationResponse,
    NotFoundError,
    OpenFaaSError,
)
from werkzeug import Request, Response

from tests.contract.server import Gateway
from tests.support.clients import Client, Clients, body_chunks, close_response, collect, invoked, resolve

pytestmark = pytest.mark.anyio

OCTETS = "application/octet-stream"
GATEWAY_HEADERS = {"X-Call-Id": "6b1c2b4e-0f7e-4b43-9d8e-6a1c2b4e0f7e", "X-Start-Time": "1764259200000000000"}
WAIT = 5.0  # the longest a server handler waits for the client to act, so a broken client fails instead of hanging


def echo(request: Request) -> Response:
    """A function that answers with what it received: method, sub-path, query, and body."""
    summary = {
        "method": request.method,
        "path": request.path,
        "query": request.args.to_dict(flat=False),
        "body": request.get_data().decode("latin-1"),
    }
    body = b"" if request.method == "HEAD" else json.dumps(summary).encode()
    return Response(body, status=200, content_type=OCTETS, headers=GATEWAY_HEADERS)


def echoed(response: InvocationResponse | AsyncInvocationResponse) -> dict[str, Any]:
    value = response.json()
    assert isinstance(value, dict)
    return value


# ---- methods, paths, query strings, headers --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_invoke_with_each_method(client: Client, gateway: Gateway, method: str) -> None:
    gateway.server.expect_request("/function/figlet", method=method).respond_with_handler(echo)
    response = await invoked(client.functions.invoke("figlet", b"hi", method=method.lower()))
    assert response.status_code == 200
    assert response.is_success
    assert echoed(response) == {"method": method, "path": "/function/figlet", "query": {}, "body": "hi"}
    assert response.call_id == GATEWAY_HEADERS["X-Call-Id"]
    assert response.headers["X-Start-Time"] == GATEWAY_HEADERS["X-Start-Time"]
    assert "Authorization" not in gateway.only_request().headers


async def test_invoke_with_head(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet", method="HEAD").respond_with_handler(echo)
    response = await invoked(client.functions.invoke("figlet", method="HEAD"))
    assert response.status_code == 200
    assert response.content == b""
    assert response.call_id == GATEWAY_HEADERS["X-Call-Id"]
    assert gateway.only_request().method == "HEAD"


@pytest.mark.parametrize(
    ("default", "namespace", "path", "expected"),
    [
        (None, None, "", "/function/figlet"),
        (None, None, "/a/b", "/function/figlet/a/b"),
        (None, None, "a/b/", "/function/figlet/a/b/"),
        (None, "staging", "", "/function/figlet.staging"),
        (None, "staging", "/v1/items", "/function/figlet.staging/v1/items"),
        ("team-a", None, "/x", "/function/figlet.team-a/x"),
        ("team-a", "staging", "", "/function/figlet.staging"),
    ],
)
async def test_invocation_path(
    clients: Clients, gateway: Gateway, default: str | None, namespace: str | None, path: str, expected: str
) -> None:
    gateway.server.expect_request(expected, method="POST").respond_with_handler(echo)
    client = clients.make(namespace=default)
    response = await invoked(client.functions.invoke("figlet", namespace=namespace, path=path))
    assert echoed(response)["path"] == expected
    assert gateway.only_request().query_string == b""


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"q": "hello world"}, {"q": ["hello world"]}),
        ({"tag": ["a", "b"], "n": "1"}, {"tag": ["a", "b"], "n": ["1"]}),
        ([("k", "1"), ("k", "2")], {"k": ["1", "2"]}),
    ],
    ids=["mapping", "mapping-of-lists", "pairs"],
)
async def test_invoke_passes_the_query_string(
    client: Client, gateway: Gateway, given: Any, expected: dict[str, list[str]]
) -> None:
    gateway.server.expect_request("/function/figlet/search").respond_with_handler(echo)
    response = await invoked(client.functions.invoke("figlet", method="GET", path="/search", query=given))
    assert echoed(response)["query"] == expected


async def test_invoke_passes_headers(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_handler(echo)
    headers = {"X-Request-Id": "r-1", "Content-Type": "text/csv", "Accept": "text/plain"}
    await invoked(client.functions.invoke("figlet", b"a,b", headers=headers))
    request = gateway.only_request()
    assert request.headers["X-Request-Id"] == "r-1"
    assert request.headers["Content-Type"] == "text/csv"
    assert request.headers["Accept"] == "text/plain"
    assert "Authorization" not in request.headers


# ---- bodies ----------------------------------------------------------------------------------------------------


async def test_invoke_with_json(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_handler(echo)
    payload = {"text": "hi", "n": [1, 2], "ok": True}
    await invoked(client.functions.invoke("figlet", json=payload))
    request = gateway.only_request()
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.get_data()) == payload
    # Compact UTF-8, as Go and httpx 0.28 write it, whichever httpx is installed.
    assert request.get_data() == b'{"text":"hi","n":[1,2],"ok":true}'


async def test_invoke_with_json_writes_utf_8_and_refuses_nan_before_sending(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_handler(echo)
    await invoked(client.functions.invoke("figlet", json={"name": "Zoë"}))
    assert gateway.only_request().get_data() == '{"name":"Zoë"}'.encode()
    with pytest.raises(ValueError, match="JSON compliant"):
        await invoked(client.functions.invoke("figlet", json={"x": float("nan")}))
    assert len(gateway.server.log) == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [(b"\x00\x01binary\xff", b"\x00\x01binary\xff"), ("héllo ✓", "héllo ✓".encode()), (bytearray(b"ba"), b"ba")],
    ids=["bytes", "str", "bytearray"],
)
async def test_invoke_with_bytes_and_str(client: Client, gateway: Gateway, data: Any, expected: bytes) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_handler(echo)
    await invoked(client.functions.invoke("figlet", data))
    request = gateway.only_request()
    assert request.get_data() == expected
    assert request.headers["Content-Length"] == str(len(expected))


async def test_invoke_with_a_file_object(client: Client, gateway: Gateway, tmp_path: Path) -> None:
    content = bytes(range(256)) * 1024  # 256 KiB, several chunks
    upload = tmp_path / "upload.bin"
    upload.write_bytes(content)
    gateway.server.expect_request("/function/figlet").respond_with_data(b"ok", content_type=OCTETS)
    with upload.open("rb") as handle:
        await invoked(client.functions.invoke("figlet", handle))
    request = gateway.only_request()
    assert request.get_data() == content
    assert request.headers["Content-Length"] == str(len(content))  # a regular file is sent with its size


async def test_invoke_refuses_a_text_file(client: Client, gateway: Gateway, tmp_path: Path) -> None:
    upload = tmp_path / "upload.txt"
    upload.write_text("text")
    with upload.open("r") as handle, pytest.raises(TypeError, match="binary mode"):
        await invoked(client.functions.invoke("figlet", handle))


async def test_a_text_file_is_refused_before_anything_is_sent(
    clients: Clients, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    upload = tmp_path / "upload.txt"
    upload.write_text("text")
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = clients.make(f"http://127.0.0.1:{listener.getsockname()[1]}", max_retries=0)
        with upload.open("r") as handle, pytest.raises(TypeError):
            await invoked(client.functions.invoke("figlet", handle))
        # Whatever the client sent went out before it raised, so it is already waiting here.
        listener.settimeout(0.2)
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            return
        with connection:
            connection.settimeout(0.2)
            try:
                received = connection.recv(4096)
            except TimeoutError:
                received = b""
        assert received == b"", f"sent before the data was refused: {received!r}"


async def test_invoke_with_an_iterator_streams_it(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_data(b"ok", content_type=OCTETS)
    produced: list[int] = []

    def chunks() -> Iterator[bytes]:
        for number in range(5):
            produced.append(number)
            yield f"part-{number};".encode()

    await invoked(client.functions.invoke("figlet", chunks()))
    request = gateway.only_request()
    assert request.get_data() == b"part-0;part-1;part-2;part-3;part-4;"
    # Sent as it is produced (chunked), not joined into one sized body first.
    assert request.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in request.headers
    assert produced == [0, 1, 2, 3, 4]


async def test_async_invoke_with_an_async_iterator(async_clients: Clients, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_data(b"ok", content_type=OCTETS)

    async def chunks() -> AsyncIterator[bytes]:
        for number in range(3):
            yield f"{number}|".encode()

    client = async_clients.make()
    assert isinstance(client, AsyncOpenFaaS)
    await client.functions.invoke("figlet", chunks())
    request = gateway.only_request()
    assert request.get_data() == b"0|1|2|"
    assert request.headers.get("Transfer-Encoding") == "chunked"


async def test_invoke_refuses_data_and_json_together(client: Client, gateway: Gateway) -> None:
    with pytest.raises(ValueError, match="data or json"):
        await invoked(client.functions.invoke("figlet", b"x", json={"a": 1}))
    assert gateway.requests == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "Figlet"},
        {"name": "figlet", "method": "TRACE"},
        {"name": "figlet", "path": "/../system/functions"},
        {"name": "figlet", "path": "/a?b=1"},
        {"name": "figlet", "headers": {"X-Bad": "a\r\nInjected: 1"}},
        {"name": "figlet", "namespace": "Not_Valid"},
    ],
    ids=["name", "method", "dot-dot", "query-in-path", "header-crlf", "namespace"],
)
async def test_invoke_refuses_bad_arguments_before_sending(
    client: Client, gateway: Gateway, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each names the bad value; the point is nothing is sent
        await invoked(client.functions.invoke(**kwargs))
    assert gateway.requests == []


# ---- responses -------------------------------------------------------------------------------------------------


async def test_invoke_response(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_data(
        '{"greeting": "héllo"}'.encode(), status=201, content_type=OCTETS, headers={"X-Custom": "1"}
    )
    response = await invoked(client.functions.invoke("figlet"))
    assert response.status_code == 201
    assert response.headers["X-Custom"] == "1"
    assert response.content == '{"greeting": "héllo"}'.encode()
    assert response.text == '{"greeting": "héllo"}'
    assert response.json() == {"greeting": "héllo"}
    assert response.call_id is None  # this gateway sent none


@pytest.mark.parametrize(
    ("status", "text", "headers"),
    [
        (500, "function crashed", {}),
        (400, "bad input", {}),
        (503, "No endpoints available for: figlet.", {"X-OpenFaaS-Internal": "proxy"}),
        (404, "error finding function figlet.openfaas-fn: not found", {}),
    ],
    ids=["500", "400", "503-no-endpoints", "404-scale-from-zero"],
)
async def test_non_2xx_from_a_function_raises_function_error(
    client: Client, gateway: Gateway, status: int, text: str, headers: dict[str, str]
) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_data(
        text, status=status, content_type=OCTETS, headers=headers
    )
    with pytest.raises(FunctionError) as caught:
        await invoked(client.functions.invoke("figlet", b"x"))
    error = caught.value
    assert error.status_code == status
    assert error.body == text
    assert error.response.status_code == status
    for name, value in headers.items():
        assert error.response.headers[name] == value
    assert f"POST {gateway.url}/function/figlet" in str(error)
    assert text in str(error)
    assert len(gateway.requests) == 1  # a POST is not retried once it has left


async def test_raise_for_status_false_returns_the_response(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_data(
        b"teapot", status=500, content_type=OCTETS, headers=GATEWAY_HEADERS
    )
    response = await invoked(client.functions.invoke("figlet", raise_for_status=False))
    assert response.status_code == 500
    assert not response.is_success
    assert response.content == b"teapot"
    assert response.call_id == GATEWAY_HEADERS["X-Call-Id"]


async def test_stream_true_hands_over_the_body_as_it_arrives(client: Client, gateway: Gateway) -> None:
    first_read = threading.Event()

    def slow(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b"first;"
            # The rest is sent only once the client has read the first chunk: a client that waited for the
            # whole body would see "late" instead.
            yield b"second;" if first_read.wait(WAIT) else b"late;"

        return Response(body(), status=200, content_type=OCTETS)

    gateway.server.expect_request("/function/figlet").respond_with_handler(slow)
    response = await invoked(client.functions.invoke("figlet", stream=True))
    try:
        received = []
        async for chunk in body_chunks(response):
            received.append(chunk)
            first_read.set()
    finally:
        first_read.set()
        await close_response(response)
    assert b"".join(received) == b"first;second;"


async def test_stream_true_with_an_error_still_raises(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_data(b"nope", status=502, content_type=OCTETS)
    with pytest.raises(FunctionError) as caught:
        await invoked(client.functions.invoke("figlet", stream=True))
    assert caught.value.body == "nope"


async def test_invoke_timeout_per_call(client: Client, gateway: Gateway) -> None:
    release = threading.Event()

    def stuck(request: Request) -> Response:
        release.wait(WAIT)
        return Response(b"late", content_type=OCTETS)

    gateway.server.expect_request("/function/figlet").respond_with_handler(stuck)
    try:
        with pytest.raises(APITimeoutError, match="timeout"):
            await invoked(client.functions.invoke("figlet", timeout=0.2))
    finally:
        release.set()


async def test_function_answering_json_matches_the_spec(client: Client, gateway: Gateway) -> None:
    # A function answers with any Content-Type: openapi.yaml declares its response as */*.
    gateway.server.expect_request("/function/figlet").respond_with_json({"ok": True})
    response = await invoked(client.functions.invoke("figlet"))
    assert response.json() == {"ok": True}
    assert response.headers["Content-Type"] == "application/json"


# ---- invoke_async ----------------------------------------------------------------------------------------------


async def test_invoke_async_returns_the_gateways_call_id(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/async-function/figlet", method="POST").respond_with_data(
        "", status=202, headers=GATEWAY_HEADERS
    )
    queued = await resolve(client.functions.invoke_async("figlet", b"payload"))
    assert queued.call_id == GATEWAY_HEADERS["X-Call-Id"]
    assert queued.status_code == 202
    request = gateway.only_request()
    assert request.get_data() == b"payload"
    assert "X-Call-Id" not in request.headers
    assert "X-Callback-Url" not in request.headers
    assert "Authorization" not in request.headers


async def test_invoke_async_with_the_callers_call_id_not_echoed(client: Client, gateway: Gateway) -> None:
    # The gateway keeps and forwards a caller's X-Call-Id but does not echo it.
    gateway.server.expect_request("/async-function/figlet.staging/hook").respond_with_data(
        "", status=202, headers={"X-Start-Time": "1"}
    )
    queued = await resolve(
        client.functions.invoke_async(
            "figlet",
            json={"a": 1},
            namespace="staging",
            path="/hook",
            query={"x": "1"},
            headers={"X-Tenant": "t1"},
            callback_url="https://example.com/callback?id=7",
            call_id="my-call-1",
        )
    )
    assert queued.call_id == "my-call-1"
    request = gateway.only_request()
    assert request.headers["X-Call-Id"] == "my-call-1"
    assert request.headers["X-Callback-Url"] == "https://example.com/callback?id=7"
    assert request.headers["X-Tenant"] == "t1"
    assert request.args.to_dict(flat=False) == {"x": ["1"]}
    assert json.loads(request.get_data()) == {"a": 1}


async def test_invoke_async_with_neither_call_id(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/async-function/figlet").respond_with_data("", status=202)
    queued = await resolve(client.functions.invoke_async("figlet"))
    assert queued.call_id is None


async def test_invoke_async_without_nats_is_not_found(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/async-function/figlet").respond_with_data("404 page not found", status=404)
    with pytest.raises(NotFoundError):
        await resolve(client.functions.invoke_async("figlet", b"x"))
    assert len(gateway.requests) == 1


@pytest.mark.parametrize(
    "callback_url", ["/relative/path", "ftp://example.com/x", "example.com/hook", "http://", "http://a b/"]
)
async def test_invoke_async_checks_the_callback_url_before_sending(
    client: Client, gateway: Gateway, callback_url: str
) -> None:
    with pytest.raises(ValueError, match="callback_url"):
        await resolve(client.functions.invoke_async("figlet", b"x", callback_url=callback_url))
    assert gateway.requests == []


# ---- invoke_many -----------------------------------------------------------------------------------------------


def upper(request: Request) -> Response:
    data = request.get_data()
    if data == b"fail":
        return Response(b"no", status=500, content_type=OCTETS)
    return Response(data.upper(), content_type=OCTETS)


async def test_invoke_many_ordered(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet.staging").respond_with_handler(upper)
    payloads = [f"p{number}" for number in range(10)]
    results = await collect(client.functions.invoke_many("figlet", payloads, concurrency=4, namespace="staging"))
    assert [index for index, _ in results] == list(range(10))
    assert [getattr(result, "content", None) for _, result in results] == [p.upper().encode() for p in payloads]
    assert sorted(request.get_data() for request in gateway.requests) == sorted(p.encode() for p in payloads)


async def test_invoke_many_unordered_yields_as_calls_complete(client: Client, gateway: Gateway) -> None:
    fast_seen = threading.Event()

    def handler(request: Request) -> Response:
        if request.get_data() == b"slow":
            # Answer only once the client has handed over the fast result: an ordered client would wait for
            # this one first, and see it after WAIT seconds, first.
            fast_seen.wait(WAIT)
        return Response(request.get_data(), content_type=OCTETS)

    gateway.server.expect_request("/function/figlet").respond_with_handler(handler)
    results = client.functions.invoke_many("figlet", [b"slow", b"fast"], ordered=False, concurrency=2)
    order = []
    try:
        if isinstance(results, Iterator):
            for index, _ in results:
                order.append(index)
                fast_seen.set()
        else:
            async for index, _ in results:
                order.append(index)
                fast_seen.set()
    finally:
        fast_seen.set()
    assert order == [1, 0]


async def test_invoke_many_keeps_to_its_concurrency(client: Client, gateway: Gateway) -> None:
    meet = threading.Barrier(2, timeout=WAIT)
    lock = threading.Lock()
    in_flight = [0, 0]  # now, most

    def handler(request: Request) -> Response:
        with lock:
            in_flight[0] += 1
            in_flight[1] = max(in_flight)
        try:
            meet.wait()  # two calls must be in flight together, or this times out
        finally:
            with lock:
                in_flight[0] -= 1
        return Response(request.get_data(), content_type=OCTETS)

    gateway.server.expect_request("/function/figlet").respond_with_handler(handler)
    results = await collect(client.functions.invoke_many("figlet", [b"1", b"2", b"3", b"4"], concurrency=2))
    assert [index for index, _ in results] == [0, 1, 2, 3]
    assert in_flight[1] == 2


async def test_invoke_many_reads_an_endless_iterator_lazily(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_handler(upper)
    read: list[int] = []

    def endless() -> Iterator[bytes]:
        for number in itertools.count():
            read.append(number)
            yield f"p{number}".encode()

    results = client.functions.invoke_many("figlet", endless(), concurrency=2)
    taken = []
    if isinstance(results, Generator):
        with contextlib.closing(results):
            taken = [result.content for _, result in itertools.islice(results, 5)]
    else:
        async with contextlib.aclosing(results):
            async for _, result in results:
                taken.append(result.content)
                if len(taken) == 5:
                    break
    assert taken == [b"P0", b"P1", b"P2", b"P3", b"P4"]
    assert len(read) <= 5 + 2 * 2  # what was yielded, and at most the read-ahead of two threads or tasks


async def test_invoke_many_raises_the_first_error(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_handler(upper)
    with pytest.raises(FunctionError) as caught:
        await collect(client.functions.invoke_many("figlet", [b"a", b"fail", b"c"], concurrency=1))
    assert caught.value.status_code == 500


async def test_invoke_many_return_exceptions(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/function/figlet").respond_with_handler(upper)
    results = await collect(
        client.functions.invoke_many("figlet", [b"a", b"fail", b"c"], concurrency=3, return_exceptions=True)
    )
    assert [index for index, _ in results] == [0, 1, 2]
    first, failed, last = (result for _, result in results)
    assert isinstance(failed, FunctionError)
    assert failed.status_code == 500
    assert not isinstance(first, OpenFaaSError)
    assert not isinstance(last, OpenFaaSError)
    assert (first.content, last.content) == (b"A", b"C")


async def test_invoke_many_sends_json_payloads_as_json(client: Client, gateway: Gateway) -> None:
    def echo(request: Request) -> Response:
        return Response(request.get_data(), content_type=request.content_type)

    gateway.server.expect_request("/function/orders").respond_with_handler(echo)
    documents: list[Any] = [{"id": 1, "items": ["a"]}, [1, 2], "text", 3.5, None, {"naïve": True}]
    results = await collect(client.functions.invoke_many("orders", json_payloads=iter(documents), concurrency=3))
    assert [index for index, _ in results] == list(range(len(documents)))
    assert [result.json() for _, result in results] == documents
    assert {request.content_type for request in gateway.requests} == {"application/json"}
    assert [json.loads(request.get_data()) for request in gateway.requests].count(None) == 1  # `null`, not empty


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "says"),
    [
        ((), {}, ValueError, "give payloads .* or json_payloads .*, one of the two"),
        (([b"x"],), {"json_payloads": [{}]}, ValueError, "one of the two"),
        (("abc",), {}, TypeError, "payloads must be an iterable of bodies, one per call, not a str"),
        ((), {"json_payloads": {"id": 1}}, TypeError, "json_payloads must be an iterable .* not a dict"),
        ((), {"json_payloads": 5}, TypeError, "json_payloads must be an iterable .* not a int"),
    ],
    ids=["neither", "both", "str", "dict", "int"],
)
async def test_invoke_many_payload_arguments_are_checked_when_called(
    client: Client, gateway: Gateway, args: tuple[Any, ...], kwargs: dict[str, Any], error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says):
        client.functions.invoke_many("orders", *args, **kwargs)
    assert gateway.requests == []
