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
import threading
import time
from typing import TYPE_CHECKING

from ._jobs import MAX_CALLBACK_BODY, JobBook

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


async def _start(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, tuple[str, int]]:
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, backlog=1024)
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    address = runner.addresses[0]
    return runner, (str(address[0]), int(address[1]))


class AsyncReceiverServer:
    """The receiver on the running event loop."""

    def __init__(self, app: web.Application) -> None:
        self._app = app
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> tuple[str, int]:
        self._runner, address = await _start(self._app, host, port)
        return address

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class ReceiverServer:
    """The receiver on an event loop of its own, in a background thread."""

    def __init__(self, app: web.Application) -> None:
        self._app = app
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    def start(self, host: str, port: int) -> tuple[str, int]:
        loop = asyncio.new_event_loop()
        try:
            self._runner, address = loop.run_until_complete(_start(self._app, host, port))
        except BaseException:
            loop.close()
            raise
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="pyopenfaas-jobs-receiver", daemon=True)
        self._thread.start()
        return address

    def stop(self) -> None:
        loop, thread, runner = self._loop, self._thread, self._runner
        if loop is None or thread is None or runner is None:
            return
        self._loop = self._thread = self._runner = None
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
