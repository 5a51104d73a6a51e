"""The one client harness: the client kinds under test, named once, and what lets one test body drive them all.

A kind is a client on a transport: `OpenFaaS` on httpx ("sync-httpx"), `AsyncOpenFaaS` on its default aiohttp
transport ("async-aiohttp") and on `httpx.AsyncHTTPTransport` ("async-httpx"). Every test that runs on "every
client" takes the `kind` fixture (tests/support/fixtures.py), makes its clients with `make_openfaas`, and drives them
through `Clients` (a factory for the contract gateway), `Twin` (one client behind an awaitable interface, its retry
sleep recorded) or the small helpers below. The sync client's calls block the event loop while they run: fine, the
servers run in their own threads.
"""

from __future__ import annotations

import functools
import inspect
import operator
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, Self, TypeVar

import httpx
from pyopenfaas import (
    AsyncInvocationResponse,
    AsyncLogStream,
    AsyncOpenFaaS,
    InvocationResponse,
    LogEntry,
    LogStream,
    OpenFaaS,
    OpenFaaSError,
)

from tests.contract.server import Gateway

ASYNC_TRANSPORTS = ("aiohttp", "httpx")  # AsyncOpenFaaS's default transport first
KINDS = ("sync-httpx", *(f"async-{transport}" for transport in ASYNC_TRANSPORTS))
ASYNC_KINDS = KINDS[1:]
# The kinds whose HTTP an httpx transport given as `transport=` (httpx.MockTransport, the fake's) replaces whole.
HTTPX_KINDS = ("sync-httpx", "async-httpx")

T = TypeVar("T")
Client = OpenFaaS | AsyncOpenFaaS


async def resolve(value: Awaitable[T] | T) -> T:
    """The value of a sync call, or of an async call once awaited."""
    if inspect.isawaitable(value):
        return await value
    return value


async def invoked(
    value: InvocationResponse | Coroutine[Any, Any, AsyncInvocationResponse],
) -> InvocationResponse | AsyncInvocationResponse:
    """`resolve` for `invoke`, whose sync and async twins return different response types."""
    if isinstance(value, InvocationResponse):
        return value
    return await value


async def collect(items: Iterator[T] | AsyncIterator[T]) -> list[T]:
    if isinstance(items, AsyncIterator):
        return [item async for item in items]
    return list(items)


async def next_entry(stream: LogStream | AsyncLogStream) -> LogEntry:
    if isinstance(stream, AsyncLogStream):
        return await anext(stream)
    return next(stream)


async def close_client(client: OpenFaaS | AsyncOpenFaaS) -> None:
    """`close()` on `OpenFaaS`, `aclose()` on `AsyncOpenFaaS`."""
    if isinstance(client, AsyncOpenFaaS):
        await client.aclose()
    else:
        client.close()


async def close_stream(stream: LogStream | AsyncLogStream) -> None:
    if isinstance(stream, AsyncLogStream):
        await stream.aclose()
    else:
        stream.close()


async def read_body(response: InvocationResponse | AsyncInvocationResponse) -> bytes:
    if isinstance(response, AsyncInvocationResponse):
        return await response.aread()
    return response.read()


async def body_chunks(response: InvocationResponse | AsyncInvocationResponse) -> AsyncIterator[bytes]:
    """The body of a streamed response, chunk by chunk as it arrives."""
    if isinstance(response, AsyncInvocationResponse):
        async for chunk in response.aiter_bytes():
            yield chunk
    else:
        for chunk in response.iter_bytes():
            yield chunk


async def close_response(response: InvocationResponse | AsyncInvocationResponse) -> None:
    if isinstance(response, AsyncInvocationResponse):
        await response.aclose()
    else:
        response.close()


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verifying SSL context for every client: building one per client costs ~0.1 s (loading the CA store),
    which would dominate the suite's run time. Tests of TLS pass their own `verify=`."""
    return ssl.create_default_context()


def make_openfaas(
    kind: str,
    url: str,
    *,
    verify: bool | str | ssl.SSLContext | None = None,
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
    **options: Any,
) -> Client:
    """A client of `kind` for `url`, never reading the environment unless given `env=`. `transport=` replaces
    the kind's own (an httpx.MockTransport, the fake's): only for HTTPX_KINDS."""
    options.setdefault("env", {})
    if transport is not None:
        assert kind in HTTPX_KINDS, f"a transport= would replace {kind}'s own"
        if kind == "sync-httpx":
            return OpenFaaS(url, transport=transport, **options)  # type: ignore[arg-type]
        return AsyncOpenFaaS(url, transport=transport, **options)  # type: ignore[arg-type]
    verify = tls_context() if verify is None else verify
    if kind == "sync-httpx":
        return OpenFaaS(url, verify=verify, **options)
    if kind == "async-aiohttp":
        return AsyncOpenFaaS(url, verify=verify, **options)
    assert kind == "async-httpx", kind
    # With transport=, the client's own verify= and max_connections= do not apply: give them to the transport.
    context = ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify
    limits = httpx.Limits(max_connections=options.pop("max_connections", 100))
    return AsyncOpenFaaS(url, transport=httpx.AsyncHTTPTransport(verify=context, limits=limits), **options)


@dataclass
class Clients:
    """Makes clients of one kind (sync, async on the default transport, async on httpx's) for `gateway`,
    with the gateway's basic credentials unless told otherwise, never reading the environment."""

    kind: str
    gateway: Gateway
    made: list[Client] = field(default_factory=list)

    @property
    def is_async(self) -> bool:
        return self.kind in ASYNC_KINDS

    def make(self, base_url: str | None = None, **options: Any) -> Client:
        options.setdefault("timeout", 5.0)
        if not {"password", "token", "auth"} & options.keys():
            options.setdefault("username", self.gateway.username)
            options["password"] = self.gateway.password
        client = make_openfaas(self.kind, self.gateway.url if base_url is None else base_url, **options)
        self.made.append(client)
        return client

    async def close(self) -> None:
        for client in self.made:
            await close_client(client)


class Twin:
    """`await twin("functions.list")` calls `client.functions.list()` on whichever client this is.

    The retry sleep is replaced: the delays the client asks for are recorded in `sleeps` (nothing waits),
    and `on_sleep`, when set, runs at each one.
    """

    def __init__(self, kind: str, url: str, **kwargs: Any) -> None:
        self.client = make_openfaas(kind, url, **kwargs)
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
        twin.client = client
        twin.sleeps = []
        twin.on_sleep = None
        return twin

    async def __call__(self, operation: str, /, *args: Any, **kwargs: Any) -> Any:
        result = operator.attrgetter(operation)(self.client)(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    settle = staticmethod(resolve)

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
        await close_client(self.client)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
