"""What `client.jobs(...)` waits with, where the twins differ: a signal that results arrived (threads wait on
a condition, tasks on a future) and the submissions in flight (a thread pool, or tasks)."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio
    import concurrent.futures


class Signal:
    """Woken from any thread: `wait(seen)` returns once `generation` has moved past `seen`, or on timeout."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.generation = 0

    def notify(self) -> None:
        with self._condition:
            self.generation += 1
            self._condition.notify_all()

    def wait(self, seen: int, timeout: float | None) -> None:
        with self._condition:
            self._condition.wait_for(lambda: self.generation != seen, timeout)


class AsyncSignal:
    """Woken from the event loop (the receiver runs on it): `await wait(seen)` as `Signal.wait`."""

    def __init__(self) -> None:
        self.generation = 0
        self._waiters: list[asyncio.Future[None]] = []

    def notify(self) -> None:
        self.generation += 1
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self, seen: int, timeout: float | None) -> None:
        import asyncio

        if self.generation != seen:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            pass
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)


class Senders:
    """Submissions run in a pool of `concurrency` threads; `close` waits for those in flight."""

    def __init__(self, concurrency: int) -> None:
        self._concurrency = concurrency
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def start(self, call: Callable[..., Any], *args: Any) -> None:
        import concurrent.futures

        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(self._concurrency, thread_name_prefix="pyopenfaas-jobs")
        self._pool.submit(call, *args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class AsyncSenders:
    """Submissions run as tasks, at most `concurrency` at a time; `aclose` cancels those in flight."""

    def __init__(self, concurrency: int) -> None:
        self._concurrency = concurrency
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots: asyncio.Semaphore | None = None

    def start(self, call: Callable[..., Awaitable[None]], *args: Any) -> None:
        import asyncio

        if self._slots is None:
            self._slots = asyncio.Semaphore(self._concurrency)
        task = asyncio.get_running_loop().create_task(self._run(self._slots, call, *args))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _run(slots: asyncio.Semaphore, call: Callable[..., Awaitable[None]], *args: Any) -> None:
        async with slots:
            await call(*args)

    async def aclose(self) -> None:
        import asyncio

        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
