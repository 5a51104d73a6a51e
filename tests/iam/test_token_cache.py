"""SingleFlight: one fetch in flight however many threads and tasks ask; failures shared, never cached."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pyopenfaas import _oauth
from pyopenfaas._oauth import Token
from pyopenfaas._tokens import FunctionTokenCaches, SingleFlight

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(_oauth, "monotonic", fake)
    return fake


class Boom(Exception):
    pass


def test_many_threads_one_fetch(clock: Clock) -> None:
    cache, fetches, release = SingleFlight(), [], threading.Event()

    def fetch() -> Token:
        fetches.append(1)
        release.wait(5)
        return Token("t1", clock.now + 3600)

    with ThreadPoolExecutor(32) as pool:
        futures = [pool.submit(cache.get, fetch) for _ in range(200)]
        release.set()
        assert {future.result() for future in futures} == {"t1"}
    assert len(fetches) == 1


async def test_many_tasks_one_fetch(clock: Clock) -> None:
    cache, fetches, release = SingleFlight(), [], asyncio.Event()

    async def fetch() -> Token:
        fetches.append(1)
        await release.wait()
        return Token("t1", clock.now + 3600)

    tasks = [asyncio.ensure_future(cache.aget(fetch)) for _ in range(500)]
    await asyncio.sleep(0)
    release.set()
    assert set(await asyncio.gather(*tasks)) == {"t1"}
    assert len(fetches) == 1


async def test_threads_and_tasks_share_one_flight(clock: Clock) -> None:
    """A thread leads the fetch; tasks on the loop wait for it without blocking the loop."""
    cache, started, release = SingleFlight(), threading.Event(), threading.Event()
    fetches = []

    def fetch() -> Token:
        fetches.append(1)
        started.set()
        release.wait(5)
        return Token("shared", clock.now + 3600)

    async def never() -> Token:
        raise AssertionError("a task fetched although a thread was fetching")

    leader = threading.Thread(target=cache.get, args=(fetch,))
    leader.start()
    assert started.wait(5)
    tasks = [asyncio.ensure_future(cache.aget(never)) for _ in range(50)]
    for _ in range(5):  # the loop still runs while they wait
        await asyncio.sleep(0)
    assert not any(task.done() for task in tasks)
    release.set()
    assert set(await asyncio.gather(*tasks)) == {"shared"}
    leader.join(5)
    assert fetches == [1]


def test_a_failed_fetch_raises_to_all_waiters_and_is_not_cached(clock: Clock) -> None:
    cache, release, calls = SingleFlight(), threading.Event(), []

    def failing() -> Token:
        calls.append(1)
        release.wait(5)
        raise Boom("idp down")

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(cache.get, failing) for _ in range(8)]
        release.set()
        for future in futures:
            with pytest.raises(Boom, match="idp down"):
                future.result()
    assert calls == [1]
    assert cache.peek() is None
    assert cache.get(lambda: Token("recovered", clock.now + 60)) == "recovered"


def test_refreshed_ten_seconds_before_expiry(clock: Clock) -> None:
    cache, issued = SingleFlight(), iter(["first", "second"])

    def fetch() -> Token:
        return Token(next(issued), clock.now + 100)

    assert cache.get(fetch) == "first"
    clock.now += 89.9
    assert cache.get(fetch) == "first"
    clock.now += 0.2  # 9.9 s left: too close to expiry
    assert cache.peek() is None
    assert cache.get(fetch) == "second"


def test_a_token_without_lifetime_is_kept(clock: Clock) -> None:
    cache = SingleFlight()
    assert cache.get(lambda: Token("forever", None)) == "forever"
    clock.now += 10**9
    assert cache.peek() == "forever"


def test_drop_forgets_only_the_refused_token(clock: Clock) -> None:
    cache = SingleFlight()
    cache.get(lambda: Token("new", clock.now + 60))
    cache.drop("old")
    assert cache.peek() == "new"
    cache.drop("new")
    assert cache.peek() is None


async def test_a_cancelled_leader_hands_the_fetch_to_a_waiter(clock: Clock) -> None:
    cache, entered = SingleFlight(), asyncio.Event()
    fetchers = []

    async def hang() -> Token:
        fetchers.append("leader")
        entered.set()
        await asyncio.Event().wait()
        raise AssertionError

    async def quick() -> Token:
        fetchers.append("waiter")
        return Token("from-waiter", clock.now + 60)

    leader = asyncio.ensure_future(cache.aget(hang))
    await entered.wait()
    waiter = asyncio.ensure_future(cache.aget(quick))
    await asyncio.sleep(0)
    leader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leader
    assert await waiter == "from-waiter"
    assert fetchers == ["leader", "waiter"]


async def test_a_cancelled_waiter_does_not_cancel_the_flight(clock: Clock) -> None:
    cache, release = SingleFlight(), asyncio.Event()

    async def fetch() -> Token:
        await release.wait()
        return Token("t", clock.now + 60)

    leader = asyncio.ensure_future(cache.aget(fetch))
    await asyncio.sleep(0)
    waiter = asyncio.ensure_future(cache.aget(fetch))
    await asyncio.sleep(0)
    waiter.cancel()
    release.set()
    assert await leader == "t"
    with pytest.raises(asyncio.CancelledError):
        await waiter


def test_function_caches_are_bounded_and_per_function() -> None:
    caches = FunctionTokenCaches(maxsize=3)
    first = caches.cache("ns", "a")
    assert caches.cache("ns", "a") is first
    assert caches.cache("other", "a") is not first
    caches.cache("ns", "b")
    caches.cache("ns", "a")  # used: now the most recent
    caches.cache("ns", "c")  # evicts ("other", "a"), the least recently used
    assert len(caches) == 3
    assert caches.cache("ns", "a") is first
