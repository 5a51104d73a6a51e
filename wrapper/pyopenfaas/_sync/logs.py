# Generated from _async/logs.py by tools/unasync.py (`make unasync`): do not edit.
"""Log streaming: `functions.logs()` hands back a stream of `LogEntry`, read line by line as they arrive."""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Self

import httpx

from .._errors import BODY_ERRORS, OpenFaaSError, body_error, status_error
from .._models import LogEntry
from .engine import Engine


class LogStream:
    """Iterator of `LogEntry`, read line by line as the gateway sends them. Also a context manager that closes
    the stream; the stream also closes when exhausted. Nothing is sent until iteration or `with` starts."""

    def __init__(self, api: Engine, request: httpx.Request) -> None:
        self._api = api
        self._request = request
        self._response: httpx.Response | None = None
        self._lines: Iterator[str] | None = None
        self._count = 0
        self._line = 0
        self._closed = False

    def _open(self) -> Iterator[str]:
        response = self._api.send(self._request, stream=True)
        if not response.is_success:
            response.read()
            response.close()
            raise status_error(response)
        self._response = response
        return response.iter_lines()

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> LogEntry:
        if self._closed:
            raise StopIteration
        if self._lines is None:
            self._lines = self._open()
        try:
            line = next(self._lines)
            self._line += 1
            while not line.strip():
                line = next(self._lines)
                self._line += 1
        except StopIteration:
            self.close()
            raise
        except BODY_ERRORS as exc:
            self.close()
            raise body_error(exc, self._request, f"{self._count} log entries") from exc
        self._count += 1
        try:
            return LogEntry.from_line(line, self._line)
        except OpenFaaSError:
            self.close()
            raise

    def close(self) -> None:
        self._closed = True
        if self._response is not None:
            self._response.close()

    def __enter__(self) -> Self:
        if self._lines is None and not self._closed:
            self._lines = self._open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
