"""`RetryPolicy`: the one place that says which failures are sent again and how long to wait, overridable per
client and per `with_options()`, on every client kind."""

from __future__ import annotations

import dataclasses

import pytest
from pyopenfaas import InternalServerError, OpenFaaS, RetryPolicy

from tests.support.clients import Twin
from tests.support.faultserver import Conn, FaultServer, Received

pytestmark = pytest.mark.anyio


def failing_first(failures: int, status: int) -> FaultServer:
    """A server that answers `status` to the first `failures` requests, then succeeds."""

    def behave(conn: Conn, request: Received, index: int) -> None:
        if index < failures:
            conn.reply(status, "not now", {"Content-Type": "text/plain"})
        else:
            conn.reply(200 if request.method == "GET" else 202, "[]")

    return FaultServer(behave)


async def test_the_default_policy_does_not_retry_a_500(kind: str) -> None:
    with failing_first(1, 500) as server:
        async with Twin(kind, server.url) as client:
            with pytest.raises(InternalServerError) as info:
                await client("functions.list")
    assert server.count() == 1
    assert client.sleeps == []
    assert "attempts" not in str(info.value)


async def test_a_policy_of_the_clients_own_retries_the_statuses_it_names(kind: str) -> None:
    policy = RetryPolicy(retry_statuses=frozenset({500}), initial_delay=0.25, max_delay=0.25)
    with failing_first(2, 500) as server:
        async with Twin(kind, server.url, retry_policy=policy) as client:
            assert await client("functions.list") == []
    assert server.count() == 3
    assert len(client.sleeps) == 2
    assert all(0.1875 <= delay <= 0.25 for delay in client.sleeps)  # capped at max_delay, 25% jitter at most


async def test_a_policy_can_make_post_retryable(kind: str) -> None:
    policy = RetryPolicy(idempotent_methods=frozenset({"GET", "POST"}))
    with failing_first(1, 503) as server:
        async with Twin(kind, server.url, retry_policy=policy) as client:
            await client("functions.deploy", "figlet", "ghcr.io/openfaas/figlet:latest")
    assert server.count("POST", "/system/functions") == 2


async def test_with_options_changes_the_policy_and_keeps_the_count() -> None:
    with failing_first(4, 500) as server, OpenFaaS(server.url, env={}, max_retries=3) as client:
        strict = client.with_options(retry_policy=RetryPolicy(retry_statuses=frozenset({500}), initial_delay=0))
        with pytest.raises(InternalServerError):
            client.functions.list()  # the original client keeps the default policy: a 500 is final
        assert server.count() == 1
        assert strict.functions.list() == []  # three more 500s, then the answer: max_retries=3 was kept
        assert server.count() == 5


def test_policy_delays_back_off_exponentially_up_to_the_cap() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=3.0)
    assert all(0.75 * cap <= policy.delay(attempt) <= cap for attempt, cap in ((1, 1.0), (2, 2.0), (3, 3.0), (9, 3.0)))


@pytest.mark.parametrize("field", ["initial_delay", "max_delay", "max_retry_after"])
@pytest.mark.parametrize("value", [-1, True, "1"])
def test_a_policy_refuses_unusable_delays(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        RetryPolicy(**{field: value})  # type: ignore[arg-type]


def test_a_client_refuses_what_is_not_a_policy() -> None:
    with pytest.raises(TypeError, match="RetryPolicy"):
        OpenFaaS("http://127.0.0.1:1", env={}, retry_policy={"max_delay": 1})  # type: ignore[arg-type]


def test_the_policy_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RetryPolicy().max_delay = 1.0  # type: ignore[misc]
