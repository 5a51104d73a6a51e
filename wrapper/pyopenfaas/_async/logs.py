"""Log streaming: `functions.logs()` hands back a stream of `LogEntry`, read line by line as they arrive."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import TracebackType
from typing import Self

import httpx

from .._errors import BODY_ERRORS, OpenFaaSError, body_error, status_error
from .._models import LogEntry
from .engine import AsyncEngine


class AsyncLogStream:
    """Iterator of `LogEntry`, read line by line as the gateway sends them. Also a context manager that closes
    the stream; the stream also closes when exhausted. Nothing is sent until iteration or `with` starts."""

    def __init__(self, api: AsyncEngine, request: httpx.Request) -> None:
        self._api = api
        self._request = request
        self._response: httpx.Response | None = None
        self._lines: AsyncIterator[str] | None = None
        self._count = 0
        self._line = 0
        self._closed = False

    async def _open(self) -> AsyncIterator[str]:
        response = await self._api.send(self._request, stream=True)
        if not response.is_success:
            await response.aread()
            await response.aclose()
            raise status_error(response)
        self._response = response
        return response.aiter_lines()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> LogEntry:
        if self._closed:
            raise StopAsyncIteration
        if self._lines is None:
            self._lines = await self._open()
        try:
            line = await anext(self._lines)
            self._line += 1
            while not line.strip():
                line = await anext(self._lines)
                self._line += 1
        except StopAsyncIteration:
            await self.aclose()
            raise
        except BODY_ERRORS as exc:
            await self.aclose()
            raise body_error(exc, self._request, f"{self._count} log entries") from exc
        self._count += 1
        try:
            return LogEntry.from_line(line, self._line)
        except OpenFaaSError:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        self._closed = True
        if self._response is not None:
            await self._response.aclose()

    async def __aenter__(self) -> Self:
        if self._lines is None and not self._closed:
            self._lines = await self._open()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
