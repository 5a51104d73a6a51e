"""The in-process front end: an httpx transport, sync and async, with no sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from functools import partial

import httpx

from ._http import Served, Stream


class _SyncStream(httpx.SyncByteStream):
    def __init__(self, stream: Stream) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)

    def close(self) -> None:
        self._stream.close()


class _AsyncStream(httpx.AsyncByteStream):
    def __init__(self, stream: Stream) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        from anyio import to_thread

        # Waiting for the next line blocks, so it happens in a worker thread; aclose() wakes it.
        while (chunk := await to_thread.run_sync(self._stream.next_chunk, abandon_on_cancel=True)) is not None:
            if chunk:
                yield chunk

    async def aclose(self) -> None:
        self._stream.close()


def _split(request: httpx.Request) -> tuple[str, str, str, httpx.Headers]:
    return request.method, request.url.path, request.url.query.decode("ascii"), request.headers


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves httpx requests from a :class:`FakeGateway` in-process; works for ``Client`` and ``AsyncClient``.

    Streamed responses (``GET /system/logs?follow=true``) stream for both; closing the response ends them.
    """

    def __init__(self, gateway: Served) -> None:
        self._gateway = gateway

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        reply = self._gateway.handle(*_split(request), request.read())
        if not isinstance(reply.body, bytes):
            return httpx.Response(reply.status, headers=reply.headers, stream=_SyncStream(reply.body))
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        if request.url.path.startswith("/function/"):
            from anyio import to_thread

            # A handler may block (it is user code): keep it off the event loop.
            reply = await to_thread.run_sync(partial(self._gateway.handle, *_split(request), body))
        else:
            reply = self._gateway.handle(*_split(request), body)
        if not isinstance(reply.body, bytes):
            return httpx.Response(reply.status, headers=reply.headers, stream=_AsyncStream(reply.body))
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body)


class FakeBuilderTransport(FakeTransport):
    """Serves httpx requests from a ``FakeBuilder`` in-process; works for ``Client`` and ``AsyncClient``."""
