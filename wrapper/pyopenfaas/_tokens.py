"""Token caches with single flight: however many threads and tasks want a token at once, one fetch runs.

A flight is a `concurrent.futures.Future`, which threads wait on with `result()` and tasks await through
`asyncio.wrap_future`, so one flight serves a sync client in threads and an async client in tasks alike. The
tokens themselves are kept in a `TokenCache` (`MemoryTokenCache` unless the user gives another), under a key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ._defaults import DEFAULT_TOKEN_CACHE_SIZE
from ._oauth import Token

if TYPE_CHECKING:
    from concurrent.futures import Future


@runtime_checkable
class TokenCache(Protocol):
    """Where tokens are kept, by key: `MemoryTokenCache`, or your own. Keys are opaque strings made by
    pyopenfaas (the token URL, who asked, and for what); implementations must be thread-safe."""

    def get(self, key: str) -> Token | None:
        """The token stored under `key`, or None (an expired one may be returned: callers check it)."""
        ...

    def set(self, key: str, token: Token) -> None:
        """Store `token` under `key`, replacing what was there."""
        ...

    def delete(self, key: str) -> None:
        """Forget the token under `key` (the server refused it); nothing when there is none."""
        ...


class MemoryTokenCache:
    """A thread-safe in-process `TokenCache` of at most `maxsize` tokens (the least recently stored goes
    first); expired tokens are dropped when read. Share one between clients to share their tokens."""

    def __init__(self, maxsize: int = DEFAULT_TOKEN_CACHE_SIZE) -> None:
        if isinstance(maxsize, bool) or not isinstance(maxsize, int) or maxsize < 1:
            raise ValueError(f"maxsize must be a positive int, not {maxsize!r}")
        self._maxsize = maxsize
        self._tokens: OrderedDict[str, Token] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Token | None:
        # A hit takes no lock: it is on every call with a function token.
        token = self._tokens.get(key)
        if token is None or token.fresh():
            return token
        with self._lock:
            if self._tokens.get(key) is token:
                del self._tokens[key]
        return None

    def set(self, key: str, token: Token) -> None:
        with self._lock:
            self._tokens[key] = token
            self._tokens.move_to_end(key)
            while len(self._tokens) > self._maxsize:
                self._tokens.popitem(last=False)

    def delete(self, key: str) -> None:
        with self._lock:
            self._tokens.pop(key, None)

    def __len__(self) -> int:
        return len(self._tokens)

    def __repr__(self) -> str:
        return f"MemoryTokenCache(tokens={len(self._tokens)}, maxsize={self._maxsize})"


class _Abandoned(Exception):
    """The fetch was given up (its task cancelled, its thread interrupted): a waiter should fetch itself."""


class SingleFlight:
    """One token (`key` in `store`), refreshed through one fetch at a time. A failed fetch raises to everyone
    waiting for it and leaves the cache as it was, so the next call tries again."""

    __slots__ = ("_flight", "_key", "_lock", "_store")

    def __init__(self, store: TokenCache | None = None, key: str = "token") -> None:
        self._store: TokenCache = MemoryTokenCache(1) if store is None else store
        self._key = key
        self._flight: Future[str] | None = None
        self._lock = threading.Lock()

    def peek(self) -> str | None:
        """The cached token while it is fresh, else None."""
        token = self._store.get(self._key)
        return token.value if isinstance(token, Token) and token.fresh() else None

    def drop(self, value: str) -> None:
        """Forget `value` (it was refused), unless a newer token has replaced it already."""
        with self._lock:
            token = self._store.get(self._key)
            if token is not None and token.value == value:
                self._store.delete(self._key)

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
                self._store.set(self._key, token)
            self._flight = None
        if token is not None:
            flight.set_result(token.value)
        else:
            # Only an error of the fetch itself is shared; a cancellation or interrupt stays with its caller.
            flight.set_exception(exc if isinstance(exc, Exception) else _Abandoned())


class FunctionTokenCaches:
    """A `SingleFlight` per (namespace, function), at most `maxsize`: beyond, the one least recently fetched or
    looked up without a fresh token is dropped (a hit through `peek` takes no lock and leaves the order). The
    tokens are kept in `store` under `<prefix><namespace>:<name>`."""

    def __init__(self, maxsize: int = 256, *, store: TokenCache | None = None, prefix: str = "") -> None:
        self._maxsize = maxsize
        self._store: TokenCache = MemoryTokenCache(maxsize) if store is None else store
        self._prefix = prefix
        self._caches: OrderedDict[tuple[str, str], SingleFlight] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._caches)

    def peek(self, namespace: str, name: str) -> str | None:
        """The fresh token already held for this function, if any (creates nothing)."""
        token = self._store.get(f"{self._prefix}{namespace}:{name}")
        return token.value if isinstance(token, Token) and token.fresh() else None

    def cache(self, namespace: str, name: str) -> SingleFlight:
        key = (namespace, name)
        with self._lock:
            cache = self._caches.get(key)
            if cache is None:
                cache = self._caches[key] = SingleFlight(self._store, f"{self._prefix}{namespace}:{name}")
                if len(self._caches) > self._maxsize:
                    self._caches.popitem(last=False)
            else:
                self._caches.move_to_end(key)
            return cache


def check_token_cache(cache: object) -> TokenCache | None:
    if cache is not None and not isinstance(cache, TokenCache):
        raise TypeError(f"token_cache must have get, set and delete (a TokenCache), not {type(cache).__name__}")
    return cache
