"""Jobs end to end against the served fake gateway: its queue runs the function and calls back over HTTP."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from pyopenfaas import JobTimeoutError, NotSupportedError
from pyopenfaas.testing import FakeGateway, FunctionRequest, FunctionResponse

from tests.jobs.support import Twin

pytestmark = pytest.mark.anyio


async def test_submit_and_map(kind: str, served: tuple[FakeGateway, str]) -> None:
    _, url = served
    async with Twin(kind, url).jobs() as jobs:
        job = await jobs.submit("echo", json={"n": 1}, key="one")
        result = await jobs.result(job)
        results = await jobs.map("echo", [f"input {n}" for n in range(300)], max_pending=50)
        stats = jobs.stats
    assert (result.key, result.json(), result.ok, result.attempts) == ("one", {"n": 1}, True, 1)
    assert sorted(r.key for r in results) == sorted(str(n) for n in range(300))
    assert {r.key: r.text for r in results} == {str(n): f"input {n}" for n in range(300)}
    assert (stats.submitted, stats.resubmitted, stats.duplicates_dropped, stats.results) == (301, 0, 0, 301)


async def test_a_retryable_status_is_retried_honouring_retry_after(kind: str, served: tuple[FakeGateway, str]) -> None:
    gateway, url = served
    calls = []
    lock = threading.Lock()

    def flaky(request: FunctionRequest) -> FunctionResponse:
        with lock:
            calls.append(request.call_id)
            if len(calls) < 3:
                return FunctionResponse("slow down", status=429, headers={"Retry-After": "0"})
        return FunctionResponse(f"done after {len(calls)}")

    gateway.deploy("flaky", handler=flaky)
    async with Twin(kind, url).jobs() as jobs:
        [result] = await jobs.map("flaky", [b"x"], keys=["only"])
    assert (result.key, result.status_code, result.text, result.attempts) == ("only", 200, "done after 3", 3)
    assert len(set(calls)) == 1  # one call id throughout


async def test_a_restart_on_the_same_journal_yields_each_key_once(
    kind: str, served: tuple[FakeGateway, str], tmp_path: Path
) -> None:
    """The first run stops after 40 of 100 results (its receiver goes away with callbacks outstanding); the
    second run yields the stored ones without sending them again and resubmits what got no callback."""
    gateway, url = served
    journal = tmp_path / "jobs.db"
    inputs = [f"item {n}" for n in range(100)]
    twin = Twin(kind, url)
    async with twin.jobs(journal=journal) as jobs:
        first = await jobs.map("echo", inputs, first=40, max_pending=20)
    with sqlite3.connect(journal) as db:
        rows = db.execute("SELECT count(*) FROM jobs").fetchone()[0]
        stored_calls = {call_id for (call_id,) in db.execute("SELECT call_id FROM jobs WHERE status IS NOT NULL")}
    requests_before = len(gateway.requests)
    async with twin.jobs(journal=journal, resubmit_after=0.2) as jobs:
        second = await jobs.map("echo", inputs, max_pending=20)
        stats = jobs.stats
    assert len(first) == 40
    assert sorted(r.key for r in second) == sorted(str(n) for n in range(100))  # each key once
    assert {r.key: r.text for r in second} == {str(n): f"item {n}" for n in range(100)}
    stored = [r for r in second if r.call_id in stored_calls]
    assert second[: len(stored)] == stored  # the stored results come first
    assert {r.key for r in first} <= {r.key for r in stored}
    sent_again = {r.headers["X-Call-Id"] for r in gateway.requests[requests_before:] if r.path.startswith("/async")}
    assert not sent_again & stored_calls  # a stored result is never asked for again
    assert stats.submitted == (100 - rows) + stats.resubmitted
    assert stats.resubmitted >= rows - len(stored_calls)  # no callback came for those: sent again


async def test_a_timeout_raises_and_cancel_needs_pro(kind: str, served: tuple[FakeGateway, str]) -> None:
    gateway, url = served
    release = threading.Event()

    def stuck(request: FunctionRequest) -> str:
        release.wait(30)
        return "late"

    gateway.deploy("stuck", handler=stuck)
    async with Twin(kind, url).jobs() as jobs:
        job = await jobs.submit("stuck", b"x")
        with pytest.raises(JobTimeoutError):
            await jobs.result(job, timeout=0.05)
        with pytest.raises(NotSupportedError):
            await jobs.cancel(job)
        release.set()
        result = await jobs.result(job)
    assert result.text == "late"


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"listen": "nowhere"}, ValueError),
        ({"listen": "0.0.0.0:0"}, ValueError),
        ({"public_url": "ftp://x"}, ValueError),
        ({"resubmit_after": 0}, ValueError),
        ({"retry_statuses": (429, 999)}, ValueError),
        ({"max_attempts": 0}, ValueError),
        ({"journal": 3}, TypeError),
    ],
)
def test_bad_jobs_arguments_raise_before_anything_starts(arguments: dict[str, object], error: type[Exception]) -> None:
    from pyopenfaas import OpenFaaS

    with OpenFaaS("http://127.0.0.1:9") as client, pytest.raises(error):
        client.jobs(**arguments)  # type: ignore[arg-type]
