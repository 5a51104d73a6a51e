"""`invoke_many`'s fan-out: threads for `OpenFaaS`, tasks for `AsyncOpenFaaS`, the one place where the twins
differ in how calls run side by side. Payloads are read lazily; at most `concurrency` calls are pending."""

from __future__ import annotations

import collections
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterable, Mapping
from typing import TYPE_CHECKING, Generic, TypedDict, TypeVar

from ._errors import OpenFaaSError
from ._types import NotGiven, Query, TimeoutTypes

if TYPE_CHECKING:
    import asyncio
    import concurrent.futures
    import queue

P = TypeVar("P")
R = TypeVar("R")


class FanOutOptions(TypedDict, total=False):
    """`invoke_many`'s keywords but its payloads and `return_exceptions` (its overloads take them as `**options`)."""

    concurrency: int
    ordered: bool
    namespace: str | None
    method: str
    path: str
    query: Query
    headers: Mapping[str, str] | None
    timeout: TimeoutTypes | NotGiven
    function_auth: bool | None


def fan_out_threads(
    call: Callable[[P], R], payloads: Iterable[P], concurrency: int, ordered: bool, return_exceptions: bool
) -> Generator[tuple[int, R | OpenFaaSError], None]:
    """`(index, result)` of `call(payload)` for each payload, run in a pool of `concurrency` threads."""
    import concurrent.futures
    import queue

    # The pool's threads bound the calls in flight; payloads queued beyond them keep every thread busy (a thread
    # that finds the queue empty sleeps and must be woken, which costs more CPU than the call's own overhead).
    read_ahead = 2 * concurrency
    with concurrent.futures.ThreadPoolExecutor(concurrency, thread_name_prefix="pyopenfaas-invoke") as pool:
        pending: collections.deque[tuple[int, concurrent.futures.Future[R]]] = collections.deque()
        finished: queue.SimpleQueue[concurrent.futures.Future[R]] = queue.SimpleQueue()
        indexes: dict[concurrent.futures.Future[R], int] = {}
        try:
            for index, payload in enumerate(payloads):
                future = pool.submit(call, payload)
                if ordered:
                    pending.append((index, future))
                else:
                    indexes[future] = index
                    future.add_done_callback(finished.put)
                if len(pending) + len(indexes) >= read_ahead:
                    outcome = _next_future(pending, finished, indexes, return_exceptions)
                    yield outcome
            while pending or indexes:
                rest = _next_future(pending, finished, indexes, return_exceptions)
                yield rest
        finally:
            for future in [future for _, future in pending] + list(indexes):
                future.cancel()


def _next_future(
    pending: collections.deque[tuple[int, concurrent.futures.Future[R]]],
    finished: queue.SimpleQueue[concurrent.futures.Future[R]],
    indexes: dict[concurrent.futures.Future[R], int],
    return_exceptions: bool,
) -> tuple[int, R | OpenFaaSError]:
    if pending:
        index, future = pending.popleft()
    else:
        future = finished.get()
        index = indexes.pop(future)
    try:
        return index, future.result()
    except OpenFaaSError as exc:
        if not return_exceptions:
            raise
        return index, exc


async def fan_out_tasks(
    call: Callable[[P], Awaitable[R]], payloads: Iterable[P], concurrency: int, ordered: bool, return_exceptions: bool
) -> AsyncGenerator[tuple[int, R | OpenFaaSError], None]:
    """`(index, result)` of `await call(payload)` for each payload, at most `concurrency` tasks at a time."""
    import asyncio

    loop = asyncio.get_running_loop()
    tasks: _Tasks[R] = _Tasks(loop, ordered)
    try:
        for index, payload in enumerate(payloads):
            tasks.start(index, call(payload))
            if tasks.count >= concurrency:
                yield await tasks.next(return_exceptions)
        while tasks.count:
            yield await tasks.next(return_exceptions)
    finally:
        await tasks.cancel()


class _Tasks(Generic[R]):
    """The tasks in flight, handed back in input order (the oldest awaited) or as they complete."""

    def __init__(self, loop: asyncio.AbstractEventLoop, ordered: bool) -> None:
        self._loop = loop
        self._ordered = ordered
        self._pending: collections.deque[tuple[int, asyncio.Task[R]]] = collections.deque()
        self._indexes: dict[asyncio.Task[R], int] = {}
        self._finished: collections.deque[asyncio.Task[R]] = collections.deque()
        self._wakeup: asyncio.Future[None] | None = None

    @property
    def count(self) -> int:
        return len(self._pending) + len(self._indexes)

    def start(self, index: int, call: Awaitable[R]) -> None:
        task: asyncio.Task[R] = self._loop.create_task(call)  # type: ignore[arg-type]
        if self._ordered:
            self._pending.append((index, task))
        else:
            self._indexes[task] = index
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[R]) -> None:
        self._finished.append(task)
        if self._wakeup is not None and not self._wakeup.done():
            self._wakeup.set_result(None)

    async def next(self, return_exceptions: bool) -> tuple[int, R | OpenFaaSError]:
        if self._ordered:
            index, task = self._pending.popleft()
        else:
            while not self._finished:
                self._wakeup = self._loop.create_future()
                await self._wakeup
            task = self._finished.popleft()
            index = self._indexes.pop(task)
        try:
            return index, await task
        except OpenFaaSError as exc:
            if not return_exceptions:
                raise
            return index, exc

    async def cancel(self) -> None:
        import asyncio

        left = [task for _, task in self._pending] + list(self._indexes)
        for task in left:
            task.cancel()
        if left:
            await asyncio.gather(*left, return_exceptions=True)
