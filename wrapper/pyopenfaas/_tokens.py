"""Token caches with single flight: however many threads and tasks want a token at once, one fetch runs.

A flight is a `concurrent.futures.Future`, which threads wait on with `result()` and tasks await through
`asyncio.wrap_future`, so one cache serves a sync client in threads and an async client in tasks alike.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from ._oauth import Token

if TYPE_CHECKING:
    from concurrent.futures import Future


class _Abandoned(Exception):
    """The fetch was given up (its task cancelled, its thread interrupted): a waiter should fetch itself."""


class TokenCache:
    """One token, refreshed through one fetch at a time. A failed fetch raises to everyone waiting for it and
    leaves the cache as it was, so the next call tries again."""

    __slots__ = ("_flight", "_lock", "_token")

    def __init__(self) -> None:
        self._token: Token | None = None
        self._flight: Future[str] | None = None
        self._lock = threading.Lock()

    def peek(self) -> str | None:
        """The cached token while it is fresh, else None."""
        token = self._token
        return token.value if token is not None and token.fresh() else None

    def drop(self, value: str) -> None:
        """Forget `value` (it was refused), unless a newer token has replaced it already."""
        with self._lock:
            if self._token is not None and self._token.value == value:
                self._token = None

    def get(self, fetch: Callable[[], Token]) -> str:
        """The cached token, or the result of one `fetch` shared with every concurrent caller."""
        while True:
            value, flight, leader = self._board()
            if value is not None:
                return value
            assert flight is not None
            if not leader:
                try:
                    return flight.result()
                except _Abandoned:
                    continue
            try:
                token = fetch()
            except BaseException as exc:
                self._land(flight, None, exc)
                raise
            self._land(flight, token, None)
            return token.value

    async def aget(self, fetch: Callable[[], Awaitable[Token]]) -> str:
        """`get`, awaitable: waiting tasks do not block the event loop."""
        import asyncio  # here, not at import: `import pyopenfaas` stays light

        while True:
            value, flight, leader = self._board()
            if value is not None:
                return value
            assert flight is not None
            if not leader:
                try:
                    # shield: a waiter cancelled must not cancel the flight the others wait for.
                    return await asyncio.shield(asyncio.wrap_future(flight))
                except _Abandoned:
                    continue
            try:
                token = await fetch()
            except BaseException as exc:
                self._land(flight, None, exc)
                raise
            self._land(flight, token, None)
            return token.value

    def _board(self) -> tuple[str | None, Future[str] | None, bool]:
        """(fresh token, None, False), or (None, the flight in progress, False), or (None, a new flight, True)."""
        with self._lock:
            value = self.peek()
            if value is not None:
                return value, None, False
            if self._flight is not None:
                return None, self._flight, False
            from concurrent.futures import Future

            self._flight = Future()
            self._flight.set_running_or_notify_cancel()
            return None, self._flight, True

    def _land(self, flight: Future[str], token: Token | None, exc: BaseException | None) -> None:
        with self._lock:
            if token is not None:
                self._token = token
            self._flight = None
        if token is not None:
            flight.set_result(token.value)
        else:
            # Only an error of the fetch itself is shared; a cancellation or interrupt stays with its caller.
            flight.set_exception(exc if isinstance(exc, Exception) else _Abandoned())


class FunctionTokenCaches:
    """A `TokenCache` per (namespace, function), at most `maxsize`: beyond, the one least recently fetched or
    looked up without a fresh token is dropped (a hit through `peek` takes no lock and leaves the order)."""

    def __init__(self, maxsize: int = 256) -> None:
        self._maxsize = maxsize
        self._caches: OrderedDict[tuple[str, str], TokenCache] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._caches)

    def peek(self, namespace: str, name: str) -> str | None:
        """The fresh token already held for this function, if any (creates nothing)."""
        cache = self._caches.get((namespace, name))
        return cache.peek() if cache is not None else None

    def cache(self, namespace: str, name: str) -> TokenCache:
        key = (namespace, name)
        with self._lock:
            cache = self._caches.get(key)
            if cache is None:
                cache = self._caches[key] = TokenCache()
                if len(self._caches) > self._maxsize:
                    self._caches.popitem(last=False)
            else:
                self._caches.move_to_end(key)
            return cache
