"""The three clients under test behind one awaitable interface: `OpenFaaS`, and `AsyncOpenFaaS` on its
default (aiohttp) transport and on httpx.AsyncHTTPTransport. A scenario is written once and runs on all three.
The sync client's calls block the event loop while they run: fine, the servers run in their own threads."""

from __future__ import annotations

import inspect
import operator
import ssl
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import httpx
from pyopenfaas import AsyncOpenFaaS, LogEntry, OpenFaaS, OpenFaaSError

KINDS = ["sync", "aiohttp", "httpx"]


def make_async(kind: str, url: str, *, verify: bool | str | ssl.SSLContext = True, **kwargs: Any) -> AsyncOpenFaaS:
    """AsyncOpenFaaS on its default transport ("aiohttp") or on httpx.AsyncHTTPTransport ("httpx")."""
    kwargs.setdefault("env", {})
    if kind == "httpx":
        # With transport=, the client's own verify= and max_connections= do not apply: give them to the transport.
        context = ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify
        limits = httpx.Limits(max_connections=kwargs.pop("max_connections", 100))
        return AsyncOpenFaaS(url, transport=httpx.AsyncHTTPTransport(verify=context, limits=limits), **kwargs)
    assert kind == "aiohttp"
    return AsyncOpenFaaS(url, verify=verify, **kwargs)


class Twin:
    """`await twin("functions.list")` calls `client.functions.list()` on whichever client this is.

    The retry sleep is replaced: the delays the client asks for are recorded in `sleeps` (nothing waits),
    and `on_sleep`, when set, runs at each one.
    """

    def __init__(self, kind: str, url: str, **kwargs: Any) -> None:
        self.kind = kind
        self.client: OpenFaaS | AsyncOpenFaaS
        if kind == "sync":
            kwargs.setdefault("env", {})
            self.client = OpenFaaS(url, **kwargs)
        else:
            self.client = make_async(kind, url, **kwargs)
        self.sleeps: list[float] = []
        self.on_sleep: Callable[[], None] | None = None

        def record(seconds: float) -> None:
            self.sleeps.append(seconds)
            if self.on_sleep is not None:
                self.on_sleep()

        async def arecord(seconds: float) -> None:
            record(seconds)

        if isinstance(self.client, OpenFaaS):
            self.client._api.sleep = record
        else:
            self.client._api.sleep = arecord

    @classmethod
    def wrap(cls, client: OpenFaaS | AsyncOpenFaaS) -> Twin:
        """A Twin around a client made elsewhere (its sleep is left alone)."""
        twin = object.__new__(cls)
        twin.kind = "sync" if isinstance(client, OpenFaaS) else "async"
        twin.client = client
        twin.sleeps = []
        twin.on_sleep = None
        return twin

    async def __call__(self, operation: str, /, *args: Any, **kwargs: Any) -> Any:
        result = operator.attrgetter(operation)(self.client)(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    @staticmethod
    async def settle(value: Any) -> Any:
        """`value`, awaited if it is awaitable (what a sync or an async method returned)."""
        return await value if inspect.isawaitable(value) else value

    async def logs(
        self, name: str, *, on_entry: Callable[[int], None] | None = None, **kwargs: Any
    ) -> tuple[list[LogEntry], OpenFaaSError | None]:
        """Read the log stream to its end: the entries, and the error that ended it (None if it ended well).
        `on_entry(n)` runs after the n-th entry arrives."""
        entries: list[LogEntry] = []
        try:
            if isinstance(self.client, OpenFaaS):
                with self.client.functions.logs(name, **kwargs) as stream:
                    for entry in stream:
                        entries.append(entry)
                        if on_entry is not None:
                            on_entry(len(entries))
            else:
                async with self.client.functions.logs(name, **kwargs) as astream:
                    async for entry in astream:
                        entries.append(entry)
                        if on_entry is not None:
                            on_entry(len(entries))
        except OpenFaaSError as exc:
            return entries, exc
        return entries, None

    async def aclose(self) -> None:
        if isinstance(self.client, OpenFaaS):
            self.client.close()
        else:
            await self.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
