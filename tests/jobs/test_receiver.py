"""The callback receiver, driven by hand: submissions go to a mock gateway that only answers 202, and the test
posts the queue worker's callbacks itself, over HTTP, crafted as the real one sends them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading

import anyio
import httpx
import pytest
from anyio import to_thread
from pyopenfaas import FunctionError, InternalServerError, JobTimeoutError, NotSupportedError

from tests.jobs.support import Twin
from tests.support.clients import HTTPX_KINDS

pytestmark = pytest.mark.anyio


class Queue:
    """A gateway that accepts every async call (202) and keeps what was queued."""

    def __init__(self) -> None:
        self.queued: list[httpx.Request] = []
        self.other: list[httpx.Request] = []
        self._changed = threading.Condition()

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.startswith("/async-function/"):
            request.read()
            with self._changed:
                self.queued.append(request)
                self._changed.notify_all()
            return httpx.Response(202)
        self.other.append(request)
        return httpx.Response(405)

    async def wait_for(self, count: int) -> None:
        """Until `count` submissions were queued (a worker thread waits, the event loop runs on)."""

        def wait() -> None:
            with self._changed:
                assert self._changed.wait_for(lambda: len(self.queued) >= count, timeout=30)

        await to_thread.run_sync(wait)


@pytest.fixture
def queue() -> Queue:
    return Queue()


@pytest.fixture(params=HTTPX_KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    """The receiver's tests answer in-process (httpx.MockTransport): the kinds that take an httpx transport."""
    return str(request.param)


@pytest.fixture
def twin(kind: str, queue: Queue) -> Twin:
    transport = httpx.MockTransport(queue.handle)
    return Twin(kind, "http://gateway.test:8080", transport, username="admin", password="s3cr3t-pass")


def callback_headers(call_id: str, status: int = 200, **extra: str) -> dict[str, str]:
    return {
        "X-Call-Id": call_id, "X-Function-Status": str(status), "X-Function-Name": "echo",
        "X-Duration-Seconds": "0.001876", "Content-Type": "text/plain", "User-Agent": "Go-http-client/1.1",
        "Connection": "close", **extra,
    }  # fmt: skip


async def test_a_callback_becomes_the_jobs_result_and_a_second_one_is_dropped(twin: Twin, queue: Queue) -> None:
    async with twin.jobs() as jobs, httpx.AsyncClient(trust_env=False) as poster:
        job = await jobs.submit("echo", "hello", key="greeting")
        [sent] = queue.queued
        url = sent.headers["X-Callback-Url"]
        assert sent.headers["X-Call-Id"] == job.call_id
        assert "Authorization" not in sent.headers  # gateway credentials never go to /async-function
        assert sent.content == b"hello"

        answer = await poster.post(url, content=b"HELLO", headers=callback_headers(job.call_id, 201, **{"X-Fn": "1"}))
        assert (answer.status_code, answer.content) == (200, b"")
        result = await jobs.result(job)
        again = await poster.post(url, content=b"HELLO", headers=callback_headers(job.call_id, 201))
        assert again.status_code == 200  # accepted, and dropped
        stats = jobs.stats

    assert (result.key, result.call_id, result.status_code, result.ok) == ("greeting", job.call_id, 201, True)
    assert (result.content, result.text, result.function_name) == (b"HELLO", "HELLO", "echo")
    assert result.duration_s == pytest.approx(0.001876)
    assert result.headers["X-Fn"] == "1"
    assert "User-Agent" not in result.headers  # the callback's own headers are not the function's
    assert result.attempts == 1
    assert (stats.submitted, stats.resubmitted, stats.duplicates_dropped, stats.refused_posts) == (1, 0, 1, 0)


async def test_anything_without_the_token_is_refused_and_counted(twin: Twin, queue: Queue) -> None:
    async with twin.jobs() as jobs, httpx.AsyncClient(trust_env=False) as poster:
        job = await jobs.submit("echo", b"x")
        url = httpx.URL(queue.queued[0].headers["X-Callback-Url"])
        base = url.copy_with(path="/")
        token = url.path.rsplit("/", 1)[-1]
        assert len(token) >= 40
        headers = callback_headers(job.call_id)
        answers = [
            await poster.post(base, headers=headers),
            await poster.post(base.copy_with(path="/" + token[:-1] + "x"), headers=headers),
            await poster.post(base.copy_with(path="/jobs"), headers=headers),
            await poster.get(url),
            await poster.post(url, headers={**headers, "X-Call-Id": "not-one-of-ours"}),
            await poster.post(url, headers={k: v for k, v in headers.items() if k != "X-Function-Status"}),
        ]
        stats = jobs.stats
        assert jobs.stats.results == 0
    assert [answer.status_code for answer in answers] == [404, 404, 404, 404, 404, 400]
    assert all(token not in answer.text for answer in answers)  # the receiver never echoes its secret
    assert stats.refused_posts == 6


async def test_a_body_over_the_limit_is_refused(twin: Twin, queue: Queue) -> None:
    async with twin.jobs() as jobs, httpx.AsyncClient(trust_env=False, timeout=30) as poster:
        job = await jobs.submit("echo", b"x")
        url = queue.queued[0].headers["X-Callback-Url"]

        async def huge() -> object:
            chunk = b"x" * (1 << 20)
            for _ in range(65):
                yield chunk

        try:
            answer = await poster.post(url, content=huge(), headers=callback_headers(job.call_id))  # type: ignore[arg-type]
            status = answer.status_code
        except httpx.TransportError:  # the server may close the connection while the client still sends
            status = 413
        assert status == 413
        assert jobs.stats.refused_posts == 1
        assert jobs.stats.results == 0


async def test_a_retryable_status_is_resubmitted_with_the_same_call_id_until_max_attempts(
    twin: Twin, queue: Queue
) -> None:
    got = []
    async with twin.jobs(max_attempts=3) as jobs, httpx.AsyncClient(trust_env=False) as poster:
        job = await jobs.submit("echo", b"x", key="k")
        url = queue.queued[0].headers["X-Callback-Url"]

        async def wait() -> None:
            got.append(await jobs.result(job))

        busy = callback_headers(job.call_id, 429, **{"Retry-After": "0"})
        async with anyio.create_task_group() as group:
            group.start_soon(wait)
            for attempt in (1, 2):
                assert (await poster.post(url, content=b"busy", headers=busy)).status_code == 200
                await queue.wait_for(attempt + 1)  # submitted again by the waiting driver
            await poster.post(url, content=b"still busy", headers=busy)
        stats = jobs.stats
    [result] = got
    assert (result.status_code, result.content, result.attempts, result.ok) == (429, b"still busy", 3, False)
    assert [request.headers["X-Call-Id"] for request in queue.queued] == [job.call_id] * 3
    assert [request.content for request in queue.queued] == [b"x"] * 3
    assert (stats.submitted, stats.resubmitted, stats.results) == (3, 2, 1)
    with pytest.raises(FunctionError, match="429") as raised:
        result.raise_for_status()
    assert raised.value.status_code == 429


async def test_a_pro_callback_with_retries_left_is_not_final(twin: Twin, queue: Queue) -> None:
    """OpenFaaS Pro retries itself and says so (`X-Retry` below `X-Retry-Max`): wait for its next callback."""
    async with twin.jobs() as jobs, httpx.AsyncClient(trust_env=False) as poster:
        job = await jobs.submit("echo", b"x")
        url = queue.queued[0].headers["X-Callback-Url"]
        retrying = callback_headers(job.call_id, 502, **{"X-Retry": "1", "X-Retry-Max": "3"})
        await poster.post(url, content=b"bad gateway", headers=retrying)
        with pytest.raises(JobTimeoutError):
            await jobs.result(job, timeout=0.01)
        done = callback_headers(job.call_id, 200, **{"X-Retry": "2", "X-Retry-Max": "3"})
        await poster.post(url, content=b"fine", headers=done)
        result = await jobs.result(job)
        stats = jobs.stats
    assert (result.status_code, result.content) == (200, b"fine")
    assert len(queue.queued) == 1
    assert (stats.resubmitted, stats.duplicates_dropped) == (0, 0)


async def test_cancel_on_a_gateway_without_it_raises_not_supported(twin: Twin, queue: Queue) -> None:
    async with twin.jobs() as jobs:
        job = await jobs.submit("echo", b"x")
        with pytest.raises(NotSupportedError, match="cannot cancel"):
            await jobs.cancel(job)
    [delete] = queue.other
    assert (delete.method, delete.url.path) == ("DELETE", f"/async-function/{job.call_id}")
    assert "Authorization" not in delete.headers


async def test_the_token_stays_out_of_reprs_and_logs(
    twin: Twin, queue: Queue, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with twin.jobs() as jobs:
        job = await jobs.submit("echo", b"x")
        token = queue.queued[0].headers["X-Callback-Url"].rsplit("/", 1)[-1]
        shown = [repr(jobs.jobs), str(jobs.jobs), repr(job), repr(jobs.stats)]
    assert all(token not in text for text in shown)
    assert token not in caplog.text


@pytest.mark.parametrize(
    ("call", "error"),
    [
        ({"name": "Bad_Name"}, ValueError),
        ({"key": ""}, ValueError),
        ({"data": b"x", "json": {}}, ValueError),
        ({"path": "../system"}, ValueError),
        ({"headers": {"Bad Header": "x"}}, ValueError),
        ({"data": iter([b"x"])}, TypeError),
        ({"function_auth": "yes"}, TypeError),
    ],
)
async def test_bad_submit_arguments_raise_before_anything_is_sent(
    twin: Twin, queue: Queue, call: dict[str, object], error: type[Exception]
) -> None:
    arguments: dict[str, object] = {"name": "echo", **call}
    name = arguments.pop("name")
    async with twin.jobs() as jobs:
        with pytest.raises(error):
            await jobs.submit(name, **arguments)  # type: ignore[arg-type]
    assert queue.queued == []


@pytest.mark.parametrize(
    ("call", "error"),
    [
        ({"name": "Bad_Name"}, ValueError),
        ({"max_pending": 0}, ValueError),
        ({"timeout": -1}, ValueError),
        ({"inputs": b"not a list"}, TypeError),
        ({"keys": "abc"}, TypeError),
    ],
)
async def test_bad_map_arguments_raise_before_anything_is_sent(
    twin: Twin, queue: Queue, call: dict[str, object], error: type[Exception]
) -> None:
    arguments: dict[str, object] = {"name": "echo", "inputs": [b"x"], **call}
    name, inputs = arguments.pop("name"), arguments.pop("inputs")
    async with twin.jobs() as jobs:
        with pytest.raises(error):
            await jobs.map(name, inputs, **arguments)  # type: ignore[arg-type]
    assert queue.queued == []


async def test_a_key_given_twice_in_a_map_raises(twin: Twin, queue: Queue) -> None:
    async with twin.jobs() as jobs:
        with pytest.raises(ValueError, match="'a' appears twice"):
            await jobs.map("echo", [b"1", b"2"], keys=["a", "a"])
        job = await jobs.submit("echo", b"1", key="a")  # the failed map left nothing outstanding
    assert queue.queued[-1].headers["X-Call-Id"] == job.call_id


async def test_a_body_the_gateway_refuses_as_too_large_says_so(kind: str) -> None:
    refusal = "Error queuing request: request body too large for OpenFaaS CE (300000 bytes), maximum: 256000 bytes"
    transport = httpx.MockTransport(lambda request: httpx.Response(500, text=refusal))
    twin = Twin(kind, "http://gateway.test:8080", transport)
    async with twin.jobs() as jobs:
        with pytest.raises(InternalServerError, match=r"refused the job's body as too large: 300,000 bytes"):
            await jobs.submit("echo", b"x" * 300_000, key="big")
        again = jobs.map("echo", [b"y" * 300_000])
        with pytest.raises(InternalServerError, match="too large"):
            await again
        assert jobs.stats.results == 0


def test_a_connection_accepted_as_the_receiver_stops_is_closed_not_left_half_made() -> None:
    """asyncio makes an accepted connection's transport one turn after the accept: a receiver that closed its
    server in between left it half made (an AssertionError in the loop; a TypeError as it is collected on
    Python 3.13.0). Now the receiver stops accepting first, then closes every connection it has."""
    from aiohttp import web
    from pyopenfaas._receiver import AsyncReceiverServer

    async def accept_while_stopping() -> list[dict[str, object]]:
        errors: list[dict[str, object]] = []
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: errors.append(context))
        server = AsyncReceiverServer(web.Application())
        address = await server.start("127.0.0.1", 0)
        with socket.create_connection(address, timeout=5) as peer:
            await asyncio.sleep(0)  # the loop sees the connection waiting,
            await asyncio.sleep(0)  # and accepts it: its transport is made on the next turn
            await server.stop()
            with contextlib.suppress(ConnectionResetError):  # aborted: a reset, or an end of stream
                assert peer.recv(1) == b""
        return errors

    assert asyncio.run(accept_while_stopping()) == []
