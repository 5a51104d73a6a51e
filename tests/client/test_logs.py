"""client.functions.logs on both clients: exactly what goes on the wire (`follow` always, `since` in RFC 3339, the
namespace in the query), parsing by line whatever the Content-Type, 501, malformed lines, and closing."""

from __future__ import annotations

import asyncio
import datetime
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from pyopenfaas import (
    APIResponseValidationError,
    APITimeoutError,
    AsyncLogStream,
    AuthenticationError,
    LogEntry,
    LogStream,
    NotSupportedError,
)
from werkzeug import Request, Response

from tests import payloads
from tests.contract.server import Gateway
from tests.support.clients import Client, Clients, close_client, close_stream, collect, next_entry

pytestmark = pytest.mark.anyio

UTC = datetime.UTC


def line(number: int, **overrides: Any) -> str:
    entry = {**payloads.LOG_ENTRY, "text": f"line {number}", **overrides}
    return json.dumps(entry)


def ndjson(count: int) -> str:
    return "".join(line(number) + "\n" for number in range(count))


def query(request: Request) -> dict[str, list[str]]:
    return request.args.to_dict(flat=False)


async def read_all(stream: LogStream | AsyncLogStream) -> list[LogEntry]:
    return await collect(stream)


# ---- the query string -----------------------------------------------------------------------------------------


async def test_minimal_query_always_sends_follow(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/logs", method="GET").respond_with_data("", content_type="text/plain")
    assert await read_all(client.functions.logs("figlet")) == []
    request = gateway.only_request()
    assert query(request) == {"name": ["figlet"], "follow": ["false"]}
    assert request.get_data() == b""


@pytest.mark.parametrize(
    ("since", "sent"),
    [
        (datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "2026-01-02T03:04:05Z"),
        (datetime.datetime(2026, 1, 2, 3, 4, 5, 120000, tzinfo=UTC), "2026-01-02T03:04:05.120000Z"),
        (
            datetime.datetime(2026, 1, 2, 5, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
            "2026-01-02T03:04:05Z",
        ),
        ("2026-01-02T05:04:05+02:00", "2026-01-02T03:04:05Z"),
        ("2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z"),
    ],
    ids=["utc", "fraction", "offset", "rfc3339-offset", "rfc3339-z"],
)
async def test_every_parameter(client: Client, gateway: Gateway, since: datetime.datetime | str, sent: str) -> None:
    gateway.server.expect_request("/system/logs").respond_with_data("", content_type="text/plain")
    stream = client.functions.logs(
        "figlet", namespace="staging", instance="figlet-7d4b9c6f5-x2x9q", tail=10, follow=True, since=since
    )
    await read_all(stream)
    assert query(gateway.only_request()) == {
        "name": ["figlet"],
        "namespace": ["staging"],
        "instance": ["figlet-7d4b9c6f5-x2x9q"],
        "tail": ["10"],
        "follow": ["true"],
        "since": [sent],
    }


async def test_since_as_a_timedelta_means_that_long_ago(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/logs").respond_with_data("", content_type="text/plain")
    before = datetime.datetime.now(UTC)
    await read_all(client.functions.logs("figlet", since=datetime.timedelta(minutes=5)))
    after = datetime.datetime.now(UTC)
    sent = query(gateway.only_request())["since"][0]
    assert sent.endswith("Z")
    moment = datetime.datetime.fromisoformat(sent.replace("Z", "+00:00"))
    assert before - datetime.timedelta(minutes=5, seconds=1) <= moment <= after - datetime.timedelta(minutes=5)


async def test_tail_zero_is_sent(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/logs").respond_with_data("", content_type="text/plain")
    await read_all(client.functions.logs("figlet", tail=0))
    assert query(gateway.only_request()) == {"name": ["figlet"], "tail": ["0"], "follow": ["false"]}


async def test_the_client_namespace_goes_in_the_query(clients: Clients, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/logs").respond_with_data("", content_type="text/plain")
    client = clients.make(namespace="team-a")
    await read_all(client.functions.logs("figlet"))
    await read_all(client.functions.logs("figlet", namespace="staging"))
    assert [query(request)["namespace"] for request in gateway.requests] == [["team-a"], ["staging"]]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"since": datetime.datetime(2026, 1, 2, 3, 4, 5)},  # naive, on purpose
        {"since": "yesterday"},
        {"since": "2026-01-02"},
        {"since": datetime.timedelta(seconds=-1)},
        {"tail": -1},
        {"instance": ""},
        {"namespace": "Bad_NS"},
    ],
    ids=["naive-since", "words", "date-only", "negative-timedelta", "negative-tail", "empty-instance", "namespace"],
)
async def test_bad_arguments_are_refused_before_sending(
    client: Client, gateway: Gateway, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each names its value; the point is that nothing is sent
        client.functions.logs("figlet", **kwargs)
    assert gateway.requests == []


# ---- entries ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["text/plain; charset=utf-8", "application/x-ndjson"], ids=["gateway-sniffed", "provider"]
)
async def test_entries_are_parsed_by_line_whatever_the_content_type(
    client: Client, gateway: Gateway, content_type: str
) -> None:
    body = line(0) + "\n\n" + line(1, instance="figlet-2", text="héllo ✓") + "\n" + line(2)  # no final newline
    gateway.server.expect_request("/system/logs").respond_with_data(body, content_type=content_type)
    entries = await read_all(client.functions.logs("figlet"))
    assert [entry.text for entry in entries] == ["line 0", "héllo ✓", "line 2"]
    first = entries[0]
    assert first == LogEntry(
        name="figlet",
        namespace="openfaas-fn",
        instance="figlet-7d4b9c6f5-x2x9q",
        timestamp=datetime.datetime(2026, 11, 20, 9, 15, tzinfo=UTC),
        text="line 0",
    )
    assert entries[1].instance == "figlet-2"
    assert first.timestamp is not None
    assert first.timestamp.tzinfo is not None


async def test_go_zero_time_reads_as_none_as_in_every_time_field(client: Client, gateway: Gateway) -> None:
    # The same rule as Function.created_at: a provider that does not know when a line was written sends Go's
    # zero time.Time.
    body = line(0, timestamp="0001-01-01T00:00:00Z") + "\n" + line(1, timestamp="0001-01-01T00:00:00.000000000Z") + "\n"
    gateway.server.expect_request("/system/logs").respond_with_data(body, content_type="text/plain")
    entries = await read_all(client.functions.logs("figlet"))
    assert [(entry.timestamp, entry.text) for entry in entries] == [(None, "line 0"), (None, "line 1")]


async def test_nothing_is_sent_until_the_stream_is_read(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/logs").respond_with_data(ndjson(2), content_type="text/plain")
    stream = client.functions.logs("figlet")
    assert gateway.requests == []
    entry = await next_entry(stream)
    assert entry.text == "line 0"
    assert len(gateway.requests) == 1
    assert [entry.text for entry in await read_all(stream)] == ["line 1"]


async def test_with_block(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/logs").respond_with_data(ndjson(3), content_type="text/plain")
    stream = client.functions.logs("figlet", tail=3)
    if isinstance(stream, AsyncLogStream):
        async with stream as opened:
            assert len(gateway.requests) == 1  # entering the block opens the stream
            first = await anext(opened)
    else:
        with stream as opened:
            assert len(gateway.requests) == 1
            first = next(opened)
    assert first.text == "line 0"
    assert await read_all(stream) == []  # closed: nothing more


@pytest.mark.parametrize(
    ("status", "error", "text"),
    [
        (501, NotSupportedError, "Not Implemented"),
        (401, AuthenticationError, "invalid credentials"),
    ],
)
async def test_error_statuses(client: Client, gateway: Gateway, status: int, error: type[Exception], text: str) -> None:
    headers = {"WWW-Authenticate": 'Basic realm="Restricted"'} if status == 401 else None
    gateway.server.expect_request("/system/logs").respond_with_data(text, status=status, headers=headers)
    stream = client.functions.logs("figlet")
    with pytest.raises(error, match=text):
        await next_entry(stream)


async def test_501_names_the_function_and_what_it_may_mean(client: Client, gateway: Gateway) -> None:
    # The gateway turns the provider's 404 for a function it does not know into 501 (gateway-api.md, section 4).
    gateway.server.expect_request("/system/logs").respond_with_data("", status=501)
    with pytest.raises(NotSupportedError) as caught:
        await next_entry(client.functions.logs("nope", namespace="staging"))
    message = str(caught.value)
    assert "logs of function 'nope' in namespace 'staging'" in message
    assert "501 when the provider does not know the function, or has no log support" in message
    assert caught.value.status_code == 501


async def test_a_bad_since_reaches_the_client_as_500(client: Client, gateway: Gateway) -> None:
    # The provider answers 422; the gateway turns any status but 200, 404 and 501 into 500.
    gateway.server.expect_request("/system/logs").respond_with_data("unknown log request error (422)", status=500)
    with pytest.raises(Exception, match=r"500.*unknown log request error") as caught:
        await read_all(client.functions.logs("figlet"))
    assert getattr(caught.value, "status_code", None) == 500


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("this is not json", "JSON is malformed"),
        ("[1, 2]", "Expected `object`, got `array`"),
        (line(2, timestamp="yesterday"), "$.timestamp"),
        (line(2, text=42), "$.text"),
    ],
    ids=["not-json", "array", "bad-timestamp", "text-not-string"],
)
async def test_a_malformed_line_raises_naming_it(client: Client, gateway: Gateway, bad: str, why: str) -> None:
    gateway.serve_bad_responses()
    body = line(0) + "\n" + line(1) + "\n" + bad + "\n" + line(3) + "\n"
    gateway.server.expect_request("/system/logs").respond_with_data(body, content_type="application/x-ndjson")
    stream = client.functions.logs("figlet")
    received = [await next_entry(stream), await next_entry(stream)]
    assert [entry.text for entry in received] == ["line 0", "line 1"]
    with pytest.raises(APIResponseValidationError, match="line 3") as caught:
        await next_entry(stream)
    assert why in str(caught.value)
    assert await read_all(stream) == []  # the stream is closed after the error


# ---- timeouts -------------------------------------------------------------------------------------------------


def pausing(pause: float) -> Any:
    """A log stream with a pause between two lines, longer than the client's read timeout."""

    def handler(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield (line(0) + "\n").encode()
            threading.Event().wait(pause)  # a quiet function: the time is the point of the test
            yield (line(1) + "\n").encode()

        return Response(body(), content_type="text/plain; charset=utf-8")

    return handler


async def test_follow_has_no_read_timeout(clients: Clients, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/logs").respond_with_handler(pausing(0.3))
    client = clients.make(timeout=0.1)
    entries = await read_all(client.functions.logs("figlet", follow=True))
    assert [entry.text for entry in entries] == ["line 0", "line 1"]


async def test_without_follow_the_read_timeout_applies(clients: Clients, gateway: Gateway) -> None:
    # The second line never comes.
    served, release = threading.Event(), threading.Event()
    gateway.server.expect_request("/system/logs").respond_with_handler(quiet(served, release))
    client = clients.make(timeout=FIRST_LINE_WAIT, max_retries=0)
    stream = client.functions.logs("figlet")
    try:
        assert (await next_entry(stream)).text == "line 0"
        with pytest.raises(APITimeoutError):
            await next_entry(stream)
    finally:
        release.set()
        await close_client(client)
    gateway.server.wait_idle()


# The timeout under test also bounds the wait for the answer and its first line, which the server in this process
# must send in time: 0.5 s was once too short while make stress loaded every CPU. The test waits this long once.
FIRST_LINE_WAIT = 1.5


def quiet(served: threading.Event, release: threading.Event) -> Any:
    """A followed stream that sends one line, then stays quiet until `release`."""

    def handler(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield (line(0) + "\n").encode()
            served.set()
            release.wait()

        return Response(body(), content_type="text/plain; charset=utf-8")

    return handler


async def test_close_from_elsewhere_ends_a_quiet_follow(client: Client, gateway: Gateway) -> None:
    """The sync stream closed from another thread, the async one from another task, while the reader waits in
    the socket for a line that never comes: the iteration ends, without an error."""
    served, release = threading.Event(), threading.Event()
    gateway.server.expect_request("/system/logs").respond_with_handler(quiet(served, release))
    stream = client.functions.logs("figlet", follow=True)
    try:
        assert (await next_entry(stream)).text == "line 0"
        if isinstance(stream, AsyncLogStream):
            reader = asyncio.ensure_future(read_all(stream))
            await asyncio.sleep(0)  # not a delay: one turn of the loop, in which the reader runs until it waits
            await stream.aclose()
            rest = await asyncio.wait_for(reader, 30)  # a bound for a failure, not a synchronisation
        else:
            results: list[list[LogEntry]] = []
            thread = threading.Thread(target=lambda: results.append(list(stream)))
            thread.start()
            stream.close()
            thread.join(30)  # a bound for a failure, not a synchronisation
            assert not thread.is_alive(), "close() from another thread did not end the iteration"
            rest = results[0]
        assert rest == []
        assert await read_all(stream) == []
    finally:
        release.set()
        await close_stream(stream)
    gateway.server.wait_idle()


async def test_idle_timeout_bounds_the_wait_for_the_next_line(clients: Clients, gateway: Gateway) -> None:
    served, release = threading.Event(), threading.Event()
    gateway.server.expect_request("/system/logs").respond_with_handler(quiet(served, release))
    client = clients.make(max_retries=0)
    stream = client.functions.logs("figlet", follow=True, idle_timeout=FIRST_LINE_WAIT)
    try:
        assert (await next_entry(stream)).text == "line 0"
        with pytest.raises(APITimeoutError, match=r"read timeout \(1.5 s\) fired .*after 1 log entries"):
            await next_entry(stream)
        assert await read_all(stream) == []  # closed after the error
    finally:
        release.set()
    gateway.server.wait_idle()


@pytest.mark.parametrize("idle_timeout", [0, -1, "5", True, float("nan")])
async def test_a_bad_idle_timeout_is_refused_before_sending(
    client: Client, gateway: Gateway, idle_timeout: Any
) -> None:
    with pytest.raises(ValueError, match="idle_timeout must be a positive number of seconds"):
        client.functions.logs("figlet", follow=True, idle_timeout=idle_timeout)
    assert gateway.requests == []
