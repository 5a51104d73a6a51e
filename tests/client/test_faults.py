"""Faults on a real socket: a server on 127.0.0.1 that refuses, resets, stalls, cuts streams and answers
502/503 on purpose. Every scenario runs on OpenFaaS and on AsyncOpenFaaS over aiohttp and over httpx.

What the client promises: connection trouble is `APIConnectionError` (`APITimeoutError` naming the timeout
that fired); idempotent calls (GET, PUT, DELETE) are retried on connection errors and 502/503/504 with
backoff and `Retry-After`; a POST is sent once, unless it never left (refused: retried).
"""

from __future__ import annotations

import email.utils
import json
import math
import threading
import time

import anyio
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyopenfaas import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    FunctionError,
    InternalServerError,
    OpenFaaSError,
    RetryPolicy,
)

from tests.support import stats
from tests.support.clients import Twin
from tests.support.faultserver import Conn, FaultServer, Received, answer

POLICY = RetryPolicy()  # the default policy

pytestmark = pytest.mark.anyio

FUNCTION = {"name": "figlet", "image": "ghcr.io/openfaas/figlet:latest", "replicas": 1, "availableReplicas": 1}
LOG = {"name": "figlet", "namespace": "openfaas-fn", "instance": "figlet-1", "timestamp": "2024-01-02T03:04:05Z"}


def log_line(n: int) -> bytes:
    return json.dumps({**LOG, "text": f"line {n}"}).encode() + b"\n"


def deploy_args() -> tuple[tuple[str, str], dict[str, object]]:
    return ("figlet", "ghcr.io/openfaas/figlet:latest"), {}


# ---- connection refused ---------------------------------------------------------------------------------------


async def test_refused_is_a_connection_error_retried_then_raised(kind: str) -> None:
    with FaultServer(answer(), refuse=True) as server:
        async with Twin(kind, server.url) as client:
            with pytest.raises(APIConnectionError) as info:
                await client("functions.list")
    assert not isinstance(info.value, APITimeoutError)
    assert f"GET {server.url}/system/functions" in str(info.value)
    assert len(client.sleeps) == 2  # max_retries=2: three attempts
    assert str(info.value).endswith("; gave up after 3 attempts"), info.value
    assert server.count() == 0


async def test_a_post_refused_is_retried_and_sent_once_when_the_gateway_comes_back(kind: str) -> None:
    """A refused POST never left, so it is safe to send again: it arrives exactly once."""
    with FaultServer(answer(202, b""), refuse=True) as server:
        async with Twin(kind, server.url) as client:
            client.on_sleep = server.listen
            await client("functions.deploy", "figlet", "ghcr.io/openfaas/figlet:latest")
    assert len(client.sleeps) == 1
    assert server.count("POST", "/system/functions") == 1


# ---- reset ------------------------------------------------------------------------------------------------


def reset_mid_response(conn: Conn, request: Received, index: int) -> None:
    conn.send(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n[{"name": "fig')
    conn.reset()


def reset_before_response(conn: Conn, request: Received, index: int) -> None:
    conn.reset()


@pytest.mark.parametrize("max_retries", [0, 2])
@pytest.mark.parametrize("fault", [reset_mid_response, reset_before_response], ids=["mid-response", "no-response"])
async def test_a_get_reset_is_retried_max_retries_times_then_raised(kind: str, fault: object, max_retries: int) -> None:
    """Exactly max_retries + 1 requests, on every transport (aiohttp's own hidden resend is off)."""
    with FaultServer(fault) as server:  # type: ignore[arg-type]
        async with Twin(kind, server.url, max_retries=max_retries) as client:
            with pytest.raises(APIConnectionError) as info:
                await client("functions.list")
    assert not isinstance(info.value, APITimeoutError)
    assert len(client.sleeps) == max_retries
    assert server.count("GET", "/system/functions") == max_retries + 1
    if max_retries:
        assert str(info.value).endswith(f"; gave up after {max_retries + 1} attempts"), info.value
    else:
        assert "attempts" not in str(info.value)  # sent once: nothing was retried


async def test_a_get_reset_once_then_answered_succeeds(kind: str) -> None:
    def behave(conn: Conn, request: Received, index: int) -> None:
        if index == 0:
            reset_mid_response(conn, request, index)
        else:
            conn.reply(200, json.dumps([FUNCTION]))

    with FaultServer(behave) as server:
        async with Twin(kind, server.url) as client:
            functions = await client("functions.list")
    assert [fn.name for fn in functions] == ["figlet"]
    assert server.count() == 2


@pytest.mark.parametrize("fault", [reset_mid_response, reset_before_response], ids=["mid-response", "no-response"])
@pytest.mark.parametrize(
    ("operation", "path"),
    [
        ("functions.deploy", "/system/functions"),
        ("functions.invoke", "/function/figlet"),
        ("functions.invoke_async", "/async-function/figlet"),
    ],
)
async def test_a_post_reset_is_not_sent_again(kind: str, fault: object, operation: str, path: str) -> None:
    args = ("figlet", "ghcr.io/openfaas/figlet:latest") if operation == "functions.deploy" else ("figlet", b"hi")
    with FaultServer(fault) as server:  # type: ignore[arg-type]
        async with Twin(kind, server.url) as client:
            with pytest.raises(APIConnectionError) as info:
                await client(operation, *args)
    assert server.count("POST", path) == 1
    assert client.sleeps == []
    assert "attempts" not in str(info.value)


# ---- timeouts --------------------------------------------------------------------------------------------------


def never_answer(conn: Conn, request: Received, index: int) -> None:
    conn.hang()


async def test_headers_that_never_come_are_a_read_timeout(kind: str) -> None:
    with FaultServer(never_answer) as server:
        async with Twin(kind, server.url, timeout=httpx.Timeout(5.0, read=0.2), max_retries=0) as client:
            with pytest.raises(APITimeoutError) as info:
                await client("info")  # the server never answers: only the 0.2 s read timeout can end this
    message = str(info.value)
    assert "read timeout" in message, message
    assert "0.2 s" in message, message
    assert f"GET {server.url}/system/info" in message
    assert server.count() == 1


async def test_a_get_that_times_out_is_retried(kind: str) -> None:
    with FaultServer(never_answer) as server:
        async with Twin(kind, server.url, timeout=httpx.Timeout(5.0, read=0.1)) as client:
            with pytest.raises(APITimeoutError, match=r"read timeout \(0.1 s\) fired; gave up after 3 attempts$"):
                await client("functions.list")
    assert server.count("GET", "/system/functions") == 3


async def test_a_post_that_times_out_is_not_sent_again(kind: str) -> None:
    with FaultServer(never_answer) as server:
        async with Twin(kind, server.url, timeout=httpx.Timeout(5.0, read=0.1)) as client:
            with pytest.raises(APITimeoutError, match="read timeout"):
                await client("functions.deploy", "figlet", "ghcr.io/openfaas/figlet:latest")
    assert server.count("POST", "/system/functions") == 1


async def test_a_full_pool_is_a_pool_timeout(kind: str) -> None:
    """max_connections=1 and that one connection busy: the next call waits `pool` seconds, then says so."""
    arrived, release = threading.Event(), threading.Event()

    def behave(conn: Conn, request: Received, index: int) -> None:
        if request.path.startswith("/system/info"):
            arrived.set()
            conn.wait(release)
            conn.reply(200, json.dumps({"version": {"release": "1", "sha": "a"}, "arch": "amd64", "provider": None}))
        else:
            conn.reply(200, "[]")

    async def second_call(client: Twin) -> OpenFaaSError | None:
        try:
            if kind == "sync-httpx":  # from a thread, as the first call runs in another
                await anyio.to_thread.run_sync(client.client.functions.list)
            else:
                await client("functions.list")
        except OpenFaaSError as exc:
            return exc
        finally:
            release.set()
        return None

    timeout = httpx.Timeout(5.0, pool=0.2)
    with FaultServer(behave) as server:
        async with (
            Twin(kind, server.url, timeout=timeout, max_connections=1, max_retries=0) as client,
            anyio.create_task_group() as group,
        ):
            if kind == "sync-httpx":
                group.start_soon(anyio.to_thread.run_sync, client.client.info)
            else:
                group.start_soon(client, "info")
            await anyio.to_thread.run_sync(arrived.wait, 5.0)
            error = await second_call(client)
    assert isinstance(error, APITimeoutError), repr(error)
    assert "pool timeout" in str(error)


# ---- log streams cut -------------------------------------------------------------------------------------------


async def test_a_log_stream_cut_in_the_middle_of_a_line(kind: str) -> None:
    """Two whole lines, half a third, then the connection closes: two entries, then APIConnectionError (not a
    'malformed line' error for the half line: the stream was cut, the gateway did not send garbage)."""

    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.chunked_head()
        conn.chunk(log_line(1) + log_line(2) + log_line(3)[:25])
        conn.close()

    with FaultServer(behave) as server:
        async with Twin(kind, server.url) as client:
            entries, error = await client.logs("figlet")
    assert [entry.text for entry in entries] == ["line 1", "line 2"]
    assert isinstance(error, APIConnectionError), repr(error)
    assert "cut after 2 log entries" in str(error)


@pytest.mark.parametrize("cut", ["reset", "close"])
async def test_a_log_stream_cut_after_some_entries_yields_them_then_raises(kind: str, cut: str) -> None:
    got_three = threading.Event()

    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.chunked_head()
        conn.chunk(log_line(1) + log_line(2))
        conn.chunk(log_line(3))
        conn.wait(got_three)  # the client holds all three: only now cut (a reset may discard unread data)
        if cut == "reset":
            conn.reset()
        else:
            conn.close()

    def after_three(n: int) -> None:
        if n == 3:
            got_three.set()

    with FaultServer(behave) as server:
        async with Twin(kind, server.url) as client:
            entries, error = await client.logs("figlet", on_entry=after_three)
    assert [entry.text for entry in entries] == ["line 1", "line 2", "line 3"]
    assert isinstance(error, APIConnectionError), repr(error)
    assert "cut after 3 log entries" in str(error)


async def test_a_complete_log_stream_ends_cleanly(kind: str) -> None:
    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.chunked_head()
        conn.chunk(log_line(1))
        conn.chunk(b"\n" + log_line(2))  # a blank line between entries is skipped
        conn.end_chunks()

    with FaultServer(behave) as server:
        async with Twin(kind, server.url) as client:
            entries, error = await client.logs("figlet", tail=2)
    assert error is None
    assert [entry.text for entry in entries] == ["line 1", "line 2"]
    assert "tail=2" in server.received[0].path


@pytest.mark.parametrize("follow", [False, True])
async def test_only_a_followed_log_stream_may_be_quiet_longer_than_the_read_timeout(kind: str, follow: bool) -> None:
    """follow=True has no read timeout (a function may log rarely); follow=False keeps it."""

    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.chunked_head()
        conn.chunk(log_line(1))
        stats.fault("stall")
        conn.stop.wait(0.8)  # quiet for four read timeouts
        conn.chunk(log_line(2))
        conn.end_chunks()

    with FaultServer(behave) as server:
        async with Twin(kind, server.url, timeout=httpx.Timeout(5.0, read=0.2)) as client:
            entries, error = await client.logs("figlet", follow=follow)
    if follow:
        assert error is None
        assert len(entries) == 2
    else:
        assert isinstance(error, APITimeoutError), repr(error)
        assert "read timeout" in str(error)
        assert "cut after 1 log entries" in str(error)
        assert len(entries) == 1


# ---- 502/503/504, then success --------------------------------------------------------------------------------


def flaky(failures: int, body: bytes | str = "[]", *, retry_after: str | None = None) -> tuple[FaultServer, list[int]]:
    """A server that answers 502, 503, 504, ... for the first `failures` requests, then `body`."""
    statuses = [502, 503, 504]

    def behave(conn: Conn, request: Received, index: int) -> None:
        if index < failures:
            stats.fault(f"{statuses[index % 3]}")
            headers = {"Content-Type": "text/plain"} | ({"Retry-After": retry_after} if retry_after else {})
            conn.reply(statuses[index % 3], "upstream unavailable", headers)
        else:
            conn.reply(200 if request.method == "GET" else 202, body)

    return FaultServer(behave), statuses


async def test_a_get_succeeds_after_502_and_503(kind: str) -> None:
    server, _ = flaky(2, json.dumps([FUNCTION]))
    with server:
        async with Twin(kind, server.url) as client:
            functions = await client("functions.list")
    assert [fn.name for fn in functions] == ["figlet"]
    assert server.count("GET", "/system/functions") == 3
    assert len(client.sleeps) == 2
    assert all(0 < delay <= POLICY.max_delay for delay in client.sleeps)
    assert client.sleeps[1] > client.sleeps[0]  # exponential: 0.5 s then 1 s, each with at most 25% jitter


@pytest.mark.parametrize(("operation", "path"), [("functions.update", "/system/functions"), ("functions.delete", "")])
async def test_put_and_delete_are_retried_too(kind: str, operation: str, path: str) -> None:
    server, _ = flaky(2, "")
    args: tuple[str, ...] = ("figlet", "ghcr.io/openfaas/figlet:latest") if operation.endswith("update") else ("f",)
    with server:
        async with Twin(kind, server.url) as client:
            await client(operation, *args)
    assert server.count(path_prefix="/system/functions") == 3


async def test_a_get_gives_up_after_max_retries_with_the_last_status(kind: str) -> None:
    server, _ = flaky(10)
    with server:
        async with Twin(kind, server.url, max_retries=3) as client:
            with pytest.raises(InternalServerError) as info:
                await client("functions.list")
    assert info.value.status_code == 502  # the fourth answer: 502, 503, 504, 502
    assert server.count() == 4
    assert "upstream unavailable" in str(info.value)
    assert str(info.value).endswith("; gave up after 4 attempts"), info.value


@pytest.mark.parametrize(
    ("operation", "path", "error"),
    [
        ("functions.deploy", "/system/functions", InternalServerError),
        ("functions.invoke", "/function/figlet", FunctionError),
        ("functions.invoke_async", "/async-function/figlet", InternalServerError),
        ("secrets.create", "/system/secrets", InternalServerError),
    ],
)
async def test_a_post_answered_503_is_sent_exactly_once(
    kind: str, operation: str, path: str, error: type[APIStatusError]
) -> None:
    args = {
        "functions.deploy": ("figlet", "ghcr.io/openfaas/figlet:latest"),
        "functions.invoke": ("figlet", b"payload"),
        "functions.invoke_async": ("figlet", b"payload"),
        "secrets.create": ("db-password", "s3cret"),
    }[operation]
    server, _ = flaky(1)
    with server:
        async with Twin(kind, server.url) as client:
            with pytest.raises(error) as info:
                await client(operation, *args)
    assert info.value.status_code == 502
    assert server.count("POST", path) == 1
    assert client.sleeps == []
    assert "attempts" not in str(info.value)


async def test_an_idempotent_invoke_is_retried_but_a_post_invoke_is_not(kind: str) -> None:
    server, _ = flaky(1, "pong")
    with server:
        async with Twin(kind, server.url) as client:
            response = await client("functions.invoke", "figlet", b"ping", method="PUT")
    assert response.text == "pong"
    assert server.count("PUT", "/function/figlet") == 2


# ---- Retry-After ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("retry_after", "low", "high"),
    [
        ("3", 3.0, 3.0),
        ("0", 0.0, 0.0),
        ("1.5", 1.5, 1.5),
        ("http-date", 7.0, 10.0),  # an HTTP date 10 s from now
        ("3600", 0.0, 0.5),  # longer than MAX_RETRY_AFTER (60 s): ignored, the backoff is used
        ("soon", 0.0, 0.5),  # unparsable: the backoff
        ("-5", 0.0, 0.5),
        ("NaN", 0.0, 0.5),
        ("1e309", 0.0, 0.5),  # infinity
    ],
    ids=["seconds", "zero", "fraction", "http-date", "too-long", "garbage", "negative", "nan", "infinite"],
)
async def test_retry_after_is_honoured(kind: str, retry_after: str, low: float, high: float) -> None:
    if retry_after == "http-date":
        retry_after = email.utils.formatdate(time.time() + 10, usegmt=True)
    server, _ = flaky(1, retry_after=retry_after)
    with server:
        async with Twin(kind, server.url) as client:
            assert await client("functions.list") == []
    assert len(client.sleeps) == 1
    assert low <= client.sleeps[0] <= high, client.sleeps


retry_after_values = st.one_of(
    st.text(max_size=40),
    st.from_regex(
        r"(Mon|Sun|Xyz), [0-9]{1,3} (Jan|Dec|Foo) [0-9]{1,6} [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2} (GMT|[+-][0-9]{4}|XYZ)",
        fullmatch=True,
    ),
    st.floats().map(repr),
)


@settings(max_examples=200, deadline=None)
@given(value=retry_after_values, attempt=st.integers(1, 20))
def test_any_retry_after_gives_a_sane_delay(value: str, attempt: int) -> None:
    """Whatever a Retry-After header says, the client waits a finite time between 0 and 60 s."""
    header = value.encode("latin-1", "replace")  # what can travel in a header: bytes
    delay = POLICY.delay(attempt, httpx.Response(503, headers=[(b"Retry-After", header)]))
    assert math.isfinite(delay)
    assert 0 <= delay <= POLICY.max_retry_after


# ---- the wire itself is broken -----------------------------------------------------------------------------------


def _raw(data: bytes) -> object:
    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.send(data)
        conn.close(counted=False)  # counted as the wire fault it is, once

    return behave


WIRE_FAULTS = {
    "not HTTP": _raw(b"SSH-2.0-OpenSSH_9.6\r\n"),
    "closed without a word": _raw(b""),
    "headers cut": _raw(b"HTTP/1.1 200 OK\r\nContent-Type: appl"),
    "body shorter than Content-Length": _raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[]"),
    "bad chunk size": _raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n[]\r\n0\r\n\r\n"),
    "bad status line": _raw(b"HTTP/1.1 two hundred OK\r\nContent-Length: 2\r\n\r\n[]"),
    "bad header line": _raw(b"HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 2\r\n\r\n[]"),
    "gzip that is not": _raw(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n[]"),
    "not JSON": _raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n<html"),
}


@pytest.mark.parametrize("fault", sorted(WIRE_FAULTS))
async def test_a_broken_wire_is_an_openfaas_error(kind: str, fault: str) -> None:
    stats.fault(f"wire: {fault}")
    with FaultServer(WIRE_FAULTS[fault]) as server:  # type: ignore[arg-type]
        async with Twin(kind, server.url, max_retries=1) as client:
            with pytest.raises(OpenFaaSError) as info:
                await client("functions.list")
    if fault in ("gzip that is not", "not JSON"):
        assert isinstance(info.value, APIResponseValidationError), repr(info.value)
    else:
        assert isinstance(info.value, APIConnectionError), repr(info.value)


# ---- streamed bodies that fail while being read ------------------------------------------------------------------


async def test_a_log_stream_that_cannot_be_decoded_is_a_validation_error(kind: str) -> None:
    def behave(conn: Conn, request: Received, index: int) -> None:
        stats.fault("wire: log stream gzip that is not")
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n")
        conn.chunk(log_line(1))
        conn.end_chunks()

    with FaultServer(behave) as server:
        async with Twin(kind, server.url) as client:
            entries, error = await client.logs("figlet")
    assert entries == []
    assert isinstance(error, APIResponseValidationError)


async def test_a_streamed_invocation_cut_mid_body_is_a_connection_error(kind: str) -> None:
    def behave(conn: Conn, request: Received, index: int) -> None:
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nhello")
        conn.close()

    with FaultServer(behave) as server:
        async with Twin(kind, server.url) as client:
            response = await client("functions.invoke", "figlet", b"x", stream=True)
            read = response.read if kind == "sync-httpx" else response.aread
            with pytest.raises(APIConnectionError):
                await client.settle(read())
