"""The fake queue (/async-function/): answers, callbacks over real HTTP, CE and Pro-like, and the switches."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from pyopenfaas.testing import FakeGateway, FakeQueue, FunctionRequest, FunctionResponse, QueueConfig
from pyopenfaas.testing.__main__ import main

from .conftest import SSL_CONTEXT

PRO = QueueConfig(edition="pro", initial_retry_wait=0.0, manual_clock=True)


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes
    port: int  # the poster's port: the same for callbacks on one connection

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


class Receiver:
    """A callback receiver on 127.0.0.1 (an ephemeral port) that records what it is sent."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 10  # a safety net: an idle keep-alive connection ends by itself

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._arrived:
                    item = Received("POST", self.path, list(self.headers.items()), body, self.client_address[1])
                    receiver.received.append(item)
                    receiver._arrived.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = False
        self._server.block_on_close = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # shutdown() waits for serve_forever to poll: every 0.5 s by default, a wait every test would pay.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02})
        self._thread.start()

    def wait(self, count: int) -> list[Received]:
        with self._arrived:
            assert self._arrived.wait_for(lambda: len(self.received) >= count, 10), self.received
            return list(self.received)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.close()


Make = Callable[..., tuple[FakeGateway, httpx.Client]]


@pytest.fixture
def make(front: str) -> Iterator[Make]:
    """A gateway (closed after the test) and a client for it, in-process or over HTTP."""
    with ExitStack() as stack:

        def make(**options: object) -> tuple[FakeGateway, httpx.Client]:
            gateway = stack.enter_context(FakeGateway(**options))  # type: ignore[arg-type]
            if front == "in-process":
                client = httpx.Client(transport=gateway.transport(), base_url="http://fake")
            else:
                url = stack.enter_context(gateway.serve())
                client = httpx.Client(base_url=url, trust_env=False, verify=SSL_CONTEXT)
            return gateway, stack.enter_context(client)

        yield make


def submit(client: httpx.Client, receiver: Receiver, target: str = "fn", **headers: str) -> httpx.Response:
    sent = {"X-Callback-Url": f"{receiver.url}/done?job=1", **{k.replace("_", "-"): v for k, v in headers.items()}}
    return client.post(f"/async-function/{target}", content=b"hi", headers=sent)


# The gateway's answers.


@pytest.mark.parametrize("flavour", ["faas-netes", "faasd"])
def test_a_call_is_accepted_at_once_without_credentials(make: Make, receiver: Receiver, flavour: str) -> None:
    gateway, client = make(flavour=flavour, username="admin", password="secret")
    gateway.deploy("fn")
    response = submit(client, receiver)
    assert (response.status_code, response.content) == (202, b"")
    assert uuid.UUID(response.headers["X-Call-Id"])
    assert response.headers["X-Served-By"].startswith("openfaas-ce/")
    assert response.headers["X-Start-Time"].isdigit()
    assert "content-type" not in response.headers
    [callback] = receiver.wait(1)
    assert callback.header("X-Call-Id") == response.headers["X-Call-Id"]


def test_a_callers_call_id_is_kept_and_not_echoed(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    response = submit(client, receiver, X_Call_Id="job-42")
    assert response.status_code == 202
    assert "x-call-id" not in response.headers
    [callback] = receiver.wait(1)
    assert callback.header("X-Call-Id") == "job-42"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_get_an_empty_405_on_ce(make: Make, method: str) -> None:
    _, client = make()
    response = client.request(method, "/async-function/fn")
    assert (response.status_code, response.content, response.headers.get("content-type")) == (405, b"", None)


def test_an_unparsable_callback_url_gets_go_s_400(make: Make) -> None:
    gateway, client = make()
    response = client.post("/async-function/fn", headers={"X-Callback-Url": "http://[::1"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "parse \"http://[::1\": missing ']' in host\n"
    assert "X-Served-By" in response.headers
    assert gateway.queue.stats.queued == 0


def test_ce_refuses_bodies_over_256000_bytes(make: Make) -> None:
    gateway, client = make()
    assert client.post("/async-function/fn", content=b"x" * 256_000).status_code == 202
    response = client.post("/async-function/fn", content=b"x" * 256_001)
    assert response.status_code == 500
    assert response.text == (
        "Error queuing request: request body too large for OpenFaaS CE (256001 bytes), maximum: 256000 bytes\n"
    )
    assert (gateway.queue.stats.queued, gateway.queue.stats.refused) == (1, 1)


def test_pro_takes_a_configured_body_limit(make: Make) -> None:
    _, client = make(queue=QueueConfig(edition="pro", body_limit=10))
    assert client.post("/async-function/fn", content=b"x" * 10).status_code == 202
    response = client.post("/async-function/fn", content=b"x" * 11)
    assert (response.status_code, response.text) == (500, "Error queuing request: nats: maximum payload exceeded\n")
    _, client = make(queue=QueueConfig(edition="pro", body_limit=None))
    assert client.post("/async-function/fn", content=b"x" * 300_000).status_code == 202


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_inflight": 2}, "needs edition='pro'"),
        ({"body_limit": 1_000_000}, "fixed at 256000"),
        ({"workers": 0}, "at least 1"),
        ({"edition": "ee"}, "'ce' or 'pro'"),
        ({"ack_wait": 0}, "must be positive"),
        ({"edition": "pro", "initial_retry_wait": -1}, "cannot be negative"),
    ],
)
def test_bad_queue_settings_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        QueueConfig(**options)  # type: ignore[arg-type]


# The worker and its callback.


def test_the_callback_carries_the_functions_answer_and_the_workers_headers(make: Make, receiver: Receiver) -> None:
    gateway, client = make(flavour="faasd", ce_limits=False)
    seen: list[FunctionRequest] = []

    def shout(request: FunctionRequest) -> FunctionResponse:
        seen.append(request)
        return FunctionResponse(request.text.upper(), status=201, headers={"X-Fn": "yes"})

    client.post("/system/namespace/", json={"name": "dev", "labels": {"openfaas": "1"}})
    gateway.deploy("shout", namespace="dev", handler=shout)
    response = client.post(
        "/async-function/shout.dev/sub?x=1", content=b"hi", headers={"X-Callback-Url": f"{receiver.url}/done?job=7"}
    )
    [callback] = receiver.wait(1)
    [request] = seen
    assert (request.method, request.path, str(request.query), request.body) == ("POST", "/sub", "x=1", b"hi")
    assert request.headers["User-Agent"] == "openfaas-ce/nats-queue-worker"
    assert request.headers["X-Callback-Url"] == f"{receiver.url}/done?job=7"
    assert (callback.method, callback.path, callback.body) == ("POST", "/done?job=7", b"HI")
    assert callback.header("X-Function-Status") == "201"
    assert callback.header("X-Function-Name") == "shout.dev"
    assert callback.header("X-Call-Id") == response.headers["X-Call-Id"]
    assert re.fullmatch(r"\d+\.\d{6}", callback.header("X-Duration-Seconds") or "")
    assert callback.header("X-Fn") == "yes"
    assert callback.header("Content-Type") == "text/plain; charset=utf-8"
    assert (callback.header("X-Start-Time") or "").isdigit()
    assert (callback.header("X-Served-By") or "").startswith("openfaas-ce/")
    assert callback.header("Date")
    assert callback.header("User-Agent") == "Go-http-client/1.1"
    assert callback.header("Connection") == "close"
    assert callback.header("Content-Length") == "2"
    assert callback.header("X-Retry") is None  # CE does not retry
    gateway.wait_idle()
    assert gateway.queue.stats.callbacks_posted == 1


def test_a_function_with_no_sub_path_is_called_at_slash(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn", handler=lambda request: request.path)
    submit(client, receiver)
    assert receiver.wait(1)[0].body == b"/"


@pytest.mark.parametrize("flavour", ["faas-netes", "faasd"])
def test_an_unknown_function_is_queued_and_called_back_with_the_providers_answer(
    make: Make, receiver: Receiver, flavour: str
) -> None:
    _, client = make(flavour=flavour)
    assert submit(client, receiver, "ghost").status_code == 202
    [callback] = receiver.wait(1)
    assert (callback.header("X-Function-Status"), callback.body) == ("503", b"No endpoints available for: ghost.")
    assert callback.header("X-OpenFaaS-Internal") == "proxy"


def test_a_function_that_cannot_be_reached_gives_503_with_no_body_or_headers(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    gateway.queue.fail_calls(None)
    submit(client, receiver)
    [callback] = receiver.wait(1)
    assert (callback.header("X-Function-Status"), callback.body) == ("503", b"")
    assert callback.header("Content-Type") is None
    assert callback.header("X-Start-Time") is None
    assert callback.header("X-Call-Id") is not None


def test_ce_posts_a_callback_once_even_if_nobody_receives_it(make: Make) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    down = Receiver()
    down.close()  # its port is closed now
    assert client.post("/async-function/fn", headers={"X-Callback-Url": f"{down.url}/done"}).status_code == 202
    gateway.wait_idle()
    stats = gateway.queue.stats
    assert (stats.delivered, stats.callbacks_posted, stats.callbacks_failed) == (1, 0, 1)


def test_a_callback_url_the_worker_cannot_post_to_is_counted_as_failed(make: Make) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    assert client.post("/async-function/fn", headers={"X-Callback-Url": "ftp://host/x"}).status_code == 202
    gateway.wait_idle()
    assert gateway.queue.stats.callbacks_failed == 1


def test_ce_runs_one_call_at_a_time(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    lock, running, most = threading.Lock(), [0], [0]

    def count(request: FunctionRequest) -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        with lock:
            running[0] -= 1

    gateway.deploy("fn", handler=count)
    gateway.queue.pause()
    for _ in range(6):
        submit(client, receiver)
    gateway.queue.resume()
    receiver.wait(6)
    assert most == [1]


def test_pro_runs_max_inflight_calls_at_once(make: Make, receiver: Receiver) -> None:
    gateway, client = make(queue=QueueConfig(edition="pro", max_inflight=4))
    together = threading.Barrier(4, timeout=10)
    gateway.deploy("fn", handler=lambda request: str(together.wait()))
    for _ in range(4):
        submit(client, receiver)
    assert sorted(callback.body for callback in receiver.wait(4)) == [b"0", b"1", b"2", b"3"]


def test_pro_retries_with_x_retry_headers_until_the_call_succeeds(make: Make, receiver: Receiver) -> None:
    gateway, client = make(queue=PRO)
    gateway.deploy("fn", handler=lambda request: "done")
    gateway.queue.fail_calls(502, count=2)
    submit(client, receiver)
    for expected in (1, 2):
        receiver.wait(expected)
        gateway.queue.advance(0)  # the back-off is 0 s: due at once
    callbacks = receiver.wait(3)
    answers = [(c.header("X-Function-Status"), c.header("X-Retry"), c.header("X-Retry-Max"), c.body) for c in callbacks]
    assert answers == [("502", "0", "10", b""), ("502", "1", "10", b""), ("200", "2", "10", b"done")]
    assert len({callback.header("X-Call-Id") for callback in callbacks}) == 1
    assert gateway.queue.stats.retried == 2


def test_pro_gives_up_when_x_retry_reaches_x_retry_max(make: Make, receiver: Receiver) -> None:
    gateway, client = make(
        queue=QueueConfig(edition="pro", initial_retry_wait=0, max_retry_attempts=1, manual_clock=True)
    )
    gateway.deploy("fn")
    gateway.queue.fail_calls(500, count=5, body=b"oops")
    submit(client, receiver)
    receiver.wait(1)
    gateway.queue.advance(0)
    callbacks = receiver.wait(2)
    gateway.wait_idle()
    assert [(c.header("X-Retry"), c.header("X-Retry-Max"), c.body) for c in callbacks] == [
        ("0", "1", b"oops"),
        ("1", "1", b"oops"),
    ]
    assert gateway.queue.stats.delivered == 2


def test_pro_backs_off_exponentially_and_honours_retry_after(make: Make, receiver: Receiver) -> None:
    config = QueueConfig(edition="pro", initial_retry_wait=1, max_retry_wait=3, manual_clock=True)
    gateway, client = make(queue=config)
    gateway.deploy("fn")
    queue = gateway.queue
    queue.fail_calls(504, count=3)
    queue.fail_calls(429, retry_after=30)
    submit(client, receiver)
    # Waits of 1, 2, then 3 (4 capped by max_retry_wait), then Retry-After's 30.
    for attempt, wait in enumerate([1, 2, 3, 30], start=1):
        receiver.wait(attempt)
        queue.advance(wait - 0.5)
        assert queue.stats.delivered == attempt
        queue.advance(0.5)
    assert [c.header("X-Function-Status") for c in receiver.wait(5)] == ["504", "504", "504", "429", "200"]


def test_on_the_real_clock_retries_and_redeliveries_happen_by_themselves(make: Make, receiver: Receiver) -> None:
    gateway, client = make(queue=QueueConfig(edition="pro", max_inflight=2, initial_retry_wait=0, ack_wait=0.05))
    second = threading.Event()
    calls: list[str] = []

    def handler(request: FunctionRequest) -> None:
        calls.append(request.call_id)
        if len(calls) == 1:  # outlasts ack_wait: delivered again while it runs
            assert second.wait(10)
        else:
            second.set()

    gateway.deploy("fn", handler=handler)
    gateway.queue.fail_calls(502)  # the first attempt fails and is retried (back-off 0 s)
    submit(client, receiver, X_Call_Id="job")
    receiver.wait(3)  # the 502, then the retry and its redelivered copy (or copies, on a slow machine)
    gateway.wait_idle()
    callbacks = receiver.received
    statuses = [callback.header("X-Function-Status") for callback in callbacks]
    assert (statuses[0], set(statuses[1:])) == ("502", {"200"})
    assert gateway.queue.stats.retried == 1
    assert gateway.queue.stats.redelivered >= 1
    assert {callback.header("X-Call-Id") for callback in callbacks} == {"job"}


def test_ce_does_not_retry(make: Make, receiver: Receiver) -> None:
    gateway, client = make(queue=QueueConfig(manual_clock=True))
    gateway.deploy("fn")
    gateway.queue.fail_calls(429, retry_after=1)
    submit(client, receiver)
    [callback] = receiver.wait(1)
    assert (callback.header("X-Function-Status"), callback.header("Retry-After")) == ("429", "1")
    gateway.queue.advance(60)
    gateway.wait_idle()
    assert (gateway.queue.stats.delivered, gateway.queue.stats.retried) == (1, 0)


def test_pro_cancels_a_queued_call(make: Make, receiver: Receiver) -> None:
    gateway, client = make(queue=PRO)
    ran: list[str] = []
    gateway.deploy("fn", handler=lambda request: ran.append(request.call_id))
    gateway.queue.pause()
    submit(client, receiver, X_Call_Id="cancel-me")
    submit(client, receiver, X_Call_Id="keep-me")
    response = client.delete("/async-function/cancel-me")
    assert (response.status_code, response.content) == (202, b"")
    gateway.queue.resume()
    [callback] = receiver.wait(1)
    gateway.wait_idle()
    assert (ran, callback.header("X-Call-Id")) == (["keep-me"], "keep-me")
    assert gateway.queue.stats.cancelled == 1


def test_pro_cancels_a_running_call_and_its_retries(make: Make, receiver: Receiver) -> None:
    gateway, client = make(queue=PRO)
    started, release = threading.Event(), threading.Event()

    def slow(request: FunctionRequest) -> FunctionResponse:
        started.set()
        release.wait(10)
        return FunctionResponse(b"", status=429)

    gateway.deploy("fn", handler=slow)
    submit(client, receiver, X_Call_Id="job")
    assert started.wait(10)
    assert client.delete("/async-function/job").status_code == 202
    release.set()
    gateway.wait_idle()
    gateway.queue.advance(60)
    gateway.wait_idle()
    assert (receiver.received, gateway.queue.stats.delivered, gateway.queue.stats.retried) == ([], 1, 0)


def test_ce_answers_405_to_a_cancel(make: Make) -> None:
    _, client = make()
    assert client.delete("/async-function/some-call-id").status_code == 405


# The switches.


def test_drop_callbacks(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    gateway.queue.drop_callbacks(1)
    submit(client, receiver, X_Call_Id="lost")
    submit(client, receiver, X_Call_Id="kept")
    [callback] = receiver.wait(1)
    gateway.wait_idle()
    assert callback.header("X-Call-Id") == "kept"
    assert (gateway.queue.stats.dropped, gateway.queue.stats.callbacks_posted) == (1, 1)


def test_drop_and_duplicate_rates_are_seeded(make: Make, receiver: Receiver) -> None:
    outcomes = []
    for _ in range(2):
        gateway, client = make(queue=QueueConfig(seed=7))
        gateway.deploy("fn")
        gateway.queue.drop_callbacks(0, rate=0.3)
        gateway.queue.duplicate_callbacks(0, rate=0.3)
        for index in range(20):
            submit(client, receiver, X_Call_Id=f"call-{index}")
        gateway.wait_idle()
        stats = gateway.queue.stats
        assert stats.callbacks_posted == 20 - stats.dropped + stats.duplicated
        outcomes.append((stats.dropped, stats.duplicated))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0] != (0, 0)


def test_duplicate_callbacks(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    gateway.queue.duplicate_callbacks(1)
    submit(client, receiver, X_Call_Id="twice")
    callbacks = receiver.wait(2)
    gateway.wait_idle()
    assert [callback.header("X-Call-Id") for callback in callbacks] == ["twice", "twice"]
    assert gateway.queue.stats.duplicated == 1


def test_delay_callbacks(make: Make, receiver: Receiver) -> None:
    gateway, client = make(queue=QueueConfig(manual_clock=True))
    gateway.deploy("fn")
    gateway.queue.delay_callbacks(5)
    submit(client, receiver)
    gateway.wait_idle()  # the call ran; its callback waits for the clock
    gateway.queue.advance(4.9)
    assert receiver.received == []
    gateway.queue.advance(0.1)  # posted before advance() returns
    assert len(receiver.received) == 1
    gateway.wait_idle()


def test_hold_and_release_callbacks_in_another_order(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    gateway.queue.hold_callbacks()
    for index in range(3):
        submit(client, receiver, X_Call_Id=f"call-{index}")
    gateway.wait_idle()
    assert (receiver.received, gateway.queue.stats.held) == ([], 3)
    assert gateway.queue.release_callbacks("lifo") == 3
    assert [c.header("X-Call-Id") for c in receiver.received] == ["call-2", "call-1", "call-0"]
    assert gateway.queue.stats.held == 0


def test_fail_calls_with_a_status_and_retry_after(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    ran: list[str] = []
    gateway.deploy("fn", handler=lambda request: ran.append("ran"))
    gateway.queue.fail_calls(429, retry_after=7, body=b"busy")
    submit(client, receiver)
    submit(client, receiver)
    first, second = receiver.wait(2)
    assert (first.header("X-Function-Status"), first.header("Retry-After"), first.body) == ("429", "7", b"busy")
    assert second.header("X-Function-Status") == "200"
    assert ran == ["ran"]


def test_redeliver_as_after_ack_wait(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    gateway.queue.redeliver(times=2)
    submit(client, receiver, X_Call_Id="again")
    callbacks = receiver.wait(3)
    gateway.wait_idle()
    assert [callback.header("X-Call-Id") for callback in callbacks] == ["again"] * 3
    assert (gateway.queue.stats.delivered, gateway.queue.stats.redelivered) == (3, 2)


def test_a_call_longer_than_ack_wait_is_delivered_again(make: Make, receiver: Receiver) -> None:
    gateway, client = make(queue=QueueConfig(ack_wait=3, manual_clock=True))
    calls: list[str] = []
    started, release = threading.Event(), threading.Event()

    def slow(request: FunctionRequest) -> None:
        calls.append(request.call_id)
        if len(calls) == 1:
            started.set()
            assert release.wait(10)

    gateway.deploy("fn", handler=slow)
    submit(client, receiver, X_Call_Id="slow")
    assert started.wait(10)
    gateway.queue.advance(2.9)
    assert gateway.queue.stats.redelivered == 0
    gateway.queue.advance(0.1)
    assert gateway.queue.stats.redelivered == 1
    release.set()
    callbacks = receiver.wait(2)
    gateway.wait_idle()
    assert [callback.header("X-Call-Id") for callback in callbacks] == ["slow", "slow"]
    assert calls == ["slow", "slow"]


def test_pause_and_resume(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    ran: list[str] = []
    gateway.deploy("fn", handler=lambda request: ran.append(request.call_id))
    gateway.queue.pause()
    for index in range(3):
        assert submit(client, receiver, X_Call_Id=f"call-{index}").status_code == 202
    assert (ran, gateway.queue.stats.pending) == ([], 3)
    gateway.queue.resume()
    receiver.wait(3)
    assert ran == ["call-0", "call-1", "call-2"]


def test_nats_down_and_back(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    gateway.queue.nats_down()
    response = submit(client, receiver)
    assert (response.status_code, response.text) == (
        500,
        "Error queuing request: nats: outbound buffer limit exceeded\n",
    )
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    gateway.queue.nats_up()
    response = submit(client, receiver)
    assert (response.status_code, response.text) == (500, "Error queuing request: stan: invalid publish request\n")
    assert submit(client, receiver).status_code == 202
    receiver.wait(1)
    gateway.wait_idle()
    assert (gateway.queue.stats.refused, gateway.queue.stats.queued) == (2, 1)


def test_keep_alive_reuses_the_connection(make: Make, receiver: Receiver) -> None:
    gateway, client = make(queue=QueueConfig(callback_keep_alive=True))
    gateway.deploy("fn")
    for _ in range(3):
        submit(client, receiver)
    callbacks = receiver.wait(3)
    assert {callback.port for callback in callbacks} == {callbacks[0].port}
    assert callbacks[0].header("Connection") is None
    gateway.close()  # closes the kept connection, before the receiver stops


def test_without_keep_alive_each_callback_has_its_own_connection(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    for _ in range(3):
        submit(client, receiver)
    assert len({callback.port for callback in receiver.wait(3)}) == 3


class RawReceiver:
    """A receiver that answers every request with the same raw bytes, closing the connection after if told."""

    def __init__(self, answer: bytes, *, close: bool) -> None:
        self.requests: list[bytes] = []
        self._answer, self._close = answer, close
        self._stopping = False
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}/done"
        self._thread = threading.Thread(target=self._serve)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            connection, _ = self._listener.accept()
            if self._stopping:
                connection.close()
                return
            with connection:
                buffer = b""
                while True:
                    while b"\r\n\r\n" not in buffer:
                        data = connection.recv(65536)
                        if not data:
                            break
                        buffer += data
                    if b"\r\n\r\n" not in buffer:
                        break
                    head, _, buffer = buffer.partition(b"\r\n\r\n")
                    length = int(re.search(rb"Content-Length: (\d+)", head)[1])  # type: ignore[index]
                    while len(buffer) < length:
                        buffer += connection.recv(65536)
                    self.requests.append(head)
                    buffer = buffer[length:]
                    connection.sendall(self._answer)
                    if self._close:
                        break

    def close(self) -> None:
        self._stopping = True
        socket.create_connection(self._listener.getsockname(), timeout=5).close()  # wakes accept()
        self._thread.join()
        self._listener.close()


@pytest.mark.parametrize(
    ("answer", "close"),
    [
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n", False),
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", False),
        (b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops", False),
        (b"HTTP/1.0 200 OK\r\n\r\nto the end", True),
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", True),
    ],
)
def test_any_answer_from_the_receiver_counts_as_posted(answer: bytes, close: bool) -> None:
    raw = RawReceiver(answer, close=close)
    try:
        with FakeGateway(queue=QueueConfig(callback_keep_alive=True)) as gateway:
            gateway.deploy("fn")
            client = httpx.Client(transport=gateway.transport(), base_url="http://fake")
            for _ in range(3):
                client.post("/async-function/fn", headers={"X-Callback-Url": raw.url})
            gateway.wait_idle()
            assert (gateway.queue.stats.callbacks_posted, gateway.queue.stats.callbacks_failed) == (3, 0)
    finally:
        raw.close()
    assert len(raw.requests) == 3


def test_a_function_header_go_cannot_write_fails_the_callback(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn", handler=lambda request: FunctionResponse("x", headers={"X-Bad": "a\r\nX-Injected: 1"}))
    submit(client, receiver)
    gateway.wait_idle()
    assert (gateway.queue.stats.callbacks_failed, receiver.received) == (1, [])


def test_a_callback_path_is_escaped_as_go_does(make: Make, receiver: Receiver) -> None:
    gateway, client = make()
    gateway.deploy("fn")
    client.post("/async-function/fn", headers={"X-Callback-Url": f"{receiver.url}/a b/c?q=1"})
    [callback] = receiver.wait(1)
    assert callback.path == "/a%20b/c?q=1"


def test_closing_the_gateway_finishes_the_queue_and_stops_its_threads(receiver: Receiver) -> None:
    gateway = FakeGateway()
    gateway.deploy("fn")
    client = httpx.Client(transport=gateway.transport(), base_url="http://fake")
    for _ in range(3):
        submit(client, receiver)
    gateway.close()
    assert len(receiver.received) == 3
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("pyopenfaas-fake-queue")]
    assert submit(client, receiver).status_code == 500


def test_switch_arguments_are_checked() -> None:
    with FakeGateway() as gateway:
        queue = gateway.queue
        for call, message in (
            (lambda: queue.drop_callbacks(-1), "count cannot be negative"),
            (lambda: queue.duplicate_callbacks(rate=2), "rate must be between 0 and 1"),
            (lambda: queue.delay_callbacks(-1), "seconds cannot be negative"),
            (lambda: queue.release_callbacks("random"), "order must be"),  # type: ignore[arg-type]
            (lambda: queue.fail_calls(count=-1), "count cannot be negative"),
            (lambda: queue.redeliver(times=-1), "cannot be negative"),
            (lambda: queue.advance(1), "manual_clock=True"),
        ):
            with pytest.raises(ValueError, match=message):
                call()


# The pytest fixture and the command line.


@pytest.mark.fake_gateway(queue=QueueConfig(edition="pro", max_inflight=3))
def test_the_fake_queue_fixture_is_the_gateways_queue_as_the_marker_configures_it(
    fake_gateway: FakeGateway, fake_queue: FakeQueue
) -> None:
    assert fake_queue is fake_gateway.queue
    assert (fake_queue.config.edition, fake_queue.config.max_inflight) == ("pro", 3)


def test_the_command_line_refuses_a_ce_queue_with_max_inflight(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--max-inflight", "4"])
    assert exit_info.value.code == 2
    assert "max_inflight > 1 needs edition='pro'" in capsys.readouterr().err


def test_the_served_command_line_runs_the_queue_it_is_asked_for(receiver: Receiver) -> None:
    command = [sys.executable, "-m", "pyopenfaas.testing", "--port", "0", "--queue", "pro", "--max-inflight", "2"]
    with subprocess.Popen([*command, "--callback-keep-alive"], stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            assert process.stdout.readline().strip() == "async queue: Pro-like, 1 worker(s) x max_inflight 2"
            url = banner.split(" listening on ")[1].split()[0]
            with httpx.Client(base_url=url, trust_env=False, verify=SSL_CONTEXT) as client:
                assert client.delete("/async-function/some-call-id").status_code == 202  # Pro cancels
                assert submit(client, receiver, "ghost", X_Call_Id="served").status_code == 202
                [callback] = receiver.wait(1)
        finally:
            process.terminate()  # SIGTERM: stops as Ctrl-C does
        assert process.wait(timeout=10) == 0
    assert (callback.header("X-Call-Id"), callback.header("X-Retry")) == ("served", "0")
    assert callback.header("Connection") is None  # --callback-keep-alive
