"""The jobs callback receiver: an aiohttp.web application the queue worker POSTs results to. The handler is
shared; how the server runs is where the twins differ: on the running event loop for `AsyncOpenFaaS`
(`AsyncReceiverServer`), on a background thread's loop for `OpenFaaS` (`ReceiverServer`).

A callback is answered 2xx only once its result is durable in the journal (commits batched per loop turn).
Anything else is refused and counted: a path without one of the journal's tokens (404), a body over the limit
(413), a callback without a call id or status (400), or for a call the journal never saw (404). No access log:
the path carries the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._jobs import MAX_CALLBACK_BODY, JobBook

# How long a stopping receiver waits for the callbacks it is handling (each waits for one journal commit).
_SHUTDOWN_SECONDS = 5.0
# Turns of the event loop asyncio takes to set up an accepted connection (accept, transport, connection_made),
# and to close an aborted one.
_TURNS = 4

if TYPE_CHECKING:
    from aiohttp import web


def receiver_app(book: JobBook) -> web.Application:
    from aiohttp import web

    committer = _Committer(book)

    async def handle(request: web.Request) -> web.Response:
        if request.method != "POST" or not book.token_ok(request.path):
            book.refuse()
            return web.Response(status=404)
        try:
            content = await request.read()
        except web.HTTPRequestEntityTooLarge:
            book.refuse()
            return web.Response(status=413)
        call_id = request.headers.get("X-Call-Id", "")
        status_text = request.headers.get("X-Function-Status", "")
        if not call_id or not status_text.isdigit():
            book.refuse()
            return web.Response(status=400)
        decided = book.callback(call_id, int(status_text), request.headers, content, time.monotonic())
        if decided is None:
            return web.Response(status=404)
        _, entry, result = decided
        if result is not None:
            await committer.commit()
            book.deliver(entry, result)
        return web.Response(status=200)

    app = web.Application(client_max_size=MAX_CALLBACK_BODY)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


class _Committer:
    """Group commit: the results staged during one turn of the loop are committed together."""

    def __init__(self, book: JobBook) -> None:
        self._book = book
        self._pending: asyncio.Future[None] | None = None

    async def commit(self) -> None:
        if self._pending is None:
            loop = asyncio.get_running_loop()
            self._pending = loop.create_future()
            loop.call_soon(self._flush)
        await asyncio.shield(self._pending)

    def _flush(self) -> None:
        pending, self._pending = self._pending, None
        assert pending is not None
        try:
            self._book.journal.flush()
        except Exception as exc:  # handed to every waiting handler (aiohttp answers 500)
            pending.set_exception(exc)
        else:
            pending.set_result(None)


@dataclass(slots=True)
class _Running:
    """A receiver being served: aiohttp's runner, the listening server, and every connection it accepted."""

    runner: web.AppRunner
    server: asyncio.Server
    handlers: _Handlers

    @classmethod
    async def start(cls, app: web.Application, host: str, port: int) -> tuple[_Running, tuple[str, int]]:
        from aiohttp import web

        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=_SHUTDOWN_SECONDS)
        await runner.setup()
        assert runner.server is not None
        handlers = _Handlers(runner.server)
        try:
            server = await asyncio.get_running_loop().create_server(handlers.make, host, port, backlog=1024)
        except BaseException:
            await runner.cleanup()
            raise
        address = server.sockets[0].getsockname()
        return cls(runner, server, handlers), (str(address[0]), int(address[1]))

    async def stop(self) -> None:
        """Stop accepting, let the callbacks being handled finish, then close every connection: one accepted
        as the server closed would otherwise stay open, and the queue worker would wait on it."""
        loop = asyncio.get_running_loop()
        # Stop accepting before closing: asyncio makes an accepted connection's transport a turn after the
        # accept, and made after close() it fails half-built (a TypeError on Python 3.13.0 as it is collected).
        with contextlib.suppress(NotImplementedError):  # a loop without readers (proactor) has no such turn
            for sock in self.server.sockets:
                loop.remove_reader(sock.fileno())
        for _ in range(_TURNS):  # a connection accepted just now gets its transport and handler
            await asyncio.sleep(0)
        self.server.close()
        await self.runner.cleanup()
        self.handlers.abort()
        for _ in range(_TURNS):  # an aborted transport closes its socket on a later turn of the loop
            await asyncio.sleep(0)


class _Handlers:
    """aiohttp's protocol factory, keeping the connections it made (those closed are forgotten now and then)."""

    def __init__(self, factory: web.Server) -> None:
        self._factory = factory
        self._made: dict[Any, float] = {}  # handler -> when it was made
        self._prune_at = 256
        self._closed = False

    def make(self) -> Any:
        if self._closed:  # accepted as the server closed, its handler made after abort(): close it at once
            return _Refused()
        now = time.monotonic()
        if len(self._made) >= self._prune_at:
            # A handler's transport is None before connection_made (scheduled just after this) and after
            # connection_lost: only an old one without a transport is closed.
            self._made = {h: at for h, at in self._made.items() if h.transport is not None or now - at < 1.0}
            self._prune_at = max(256, 2 * len(self._made))
        handler = self._factory()
        self._made[handler] = now
        return handler

    def abort(self) -> None:
        self._closed = True
        for handler in self._made:
            transport = handler.transport
            if transport is not None and not transport.is_closing():
                transport.abort()
        self._made.clear()


class _Refused(asyncio.Protocol):
    """The protocol of a connection accepted after the receiver stopped: closed as soon as it is made."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.abort()  # type: ignore[attr-defined]


class AsyncReceiverServer:
    """The receiver on the running event loop."""

    def __init__(self, app: web.Application) -> None:
        self._app = app
        self._running: _Running | None = None

    async def start(self, host: str, port: int) -> tuple[str, int]:
        self._running, address = await _Running.start(self._app, host, port)
        return address

    async def stop(self) -> None:
        if self._running is not None:
            await self._running.stop()
            self._running = None


class ReceiverServer:
    """The receiver on an event loop of its own, in a background thread."""

    def __init__(self, app: web.Application) -> None:
        self._app = app
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._running: _Running | None = None

    def start(self, host: str, port: int) -> tuple[str, int]:
        loop = asyncio.new_event_loop()
        try:
            self._running, address = loop.run_until_complete(_Running.start(self._app, host, port))
        except BaseException:
            loop.close()
            raise
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="pyopenfaas-jobs-receiver", daemon=True)
        self._thread.start()
        return address

    def stop(self) -> None:
        loop, thread, running = self._loop, self._thread, self._running
        if loop is None or thread is None or running is None:
            return
        self._loop = self._thread = self._running = None
        asyncio.run_coroutine_threadsafe(running.stop(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
