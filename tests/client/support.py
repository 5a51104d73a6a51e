"""Helpers that let one test body drive `OpenFaaS` and `AsyncOpenFaaS` alike."""

from __future__ import annotations

import functools
import inspect
import ssl
from collections.abc import AsyncIterator, Awaitable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pyopenfaas import (
    AsyncInvocationResponse,
    AsyncLogStream,
    AsyncOpenFaaS,
    InvocationResponse,
    LogEntry,
    LogStream,
    OpenFaaS,
)

from tests.contract.server import Gateway

T = TypeVar("T")
Client = OpenFaaS | AsyncOpenFaaS
KINDS = ("sync", "async-default", "async-httpx")
ASYNC_KINDS = ("async-default", "async-httpx")


async def close_client(client: OpenFaaS | AsyncOpenFaaS) -> None:
    """`close()` on `OpenFaaS`, `aclose()` on `AsyncOpenFaaS`."""
    if isinstance(client, AsyncOpenFaaS):
        await client.aclose()
    else:
        client.close()


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
    which would dominate the suite's run time. The servers are plain http; TLS is not under test here."""
    return ssl.create_default_context()


@dataclass
class Clients:
    """Makes clients of one kind (sync, async on the default transport, async on httpx's) for `gateway`,
    with the gateway's basic credentials unless told otherwise, never reading the environment."""

    kind: str
    gateway: Gateway
    made: list[Client] = field(default_factory=list)

    @property
    def is_async(self) -> bool:
        return self.kind != "sync"

    def make(self, base_url: str | None = None, **options: Any) -> Client:
        options.setdefault("env", {})
        options.setdefault("timeout", 5.0)
        if not {"password", "token", "auth"} & options.keys():
            options.setdefault("username", self.gateway.username)
            options["password"] = self.gateway.password
        url = self.gateway.url if base_url is None else base_url
        client: Client
        if self.kind == "sync":
            client = OpenFaaS(url, verify=tls_context(), **options)
        elif self.kind == "async-httpx":
            client = AsyncOpenFaaS(url, transport=httpx.AsyncHTTPTransport(verify=tls_context()), **options)
        else:
            client = AsyncOpenFaaS(url, verify=tls_context(), **options)
        self.made.append(client)
        return client

    async def close(self) -> None:
        for client in self.made:
            await close_client(client)
