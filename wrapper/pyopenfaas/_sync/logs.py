# Generated from _async/logs.py by tools/unasync.py (`make unasync`): do not edit.
"""Log streaming: `functions.logs()` hands back a stream of `LogEntry`, decoded as the lines arrive."""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Self

import httpx

from .._errors import BODY_ERRORS, OpenFaaSError, body_error, status_error
from .._models import LogEntry
from .._parse import NDJSONDecoder
from .engine import Engine


class LogStream:
    """Iterator of `LogEntry`, read as the gateway sends them. Also a context manager that closes the stream;
    the stream also closes when exhausted. Nothing is sent until iteration or `with` starts."""

    def __init__(self, api: Engine, request: httpx.Request) -> None:
        self._api = api
        self._request = request
        self._response: httpx.Response | None = None
        self._chunks: Iterator[bytes] | None = None
        self._decoder = NDJSONDecoder(LogEntry)
        self._entries: Iterator[LogEntry] = iter(())
        self._decoded = 0
        self._closed = False

    def _open(self) -> Iterator[bytes]:
        response = self._api.send(self._request, stream=True)
        if not response.is_success:
            response.read()
            response.close()
            raise status_error(response)
        self._response = response
        return response.iter_bytes()

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> LogEntry:
        for entry in self._entries:
            return entry
        # Decoded a chunk at a time: one msgspec call for all the complete lines that arrived together.
        while not self._closed:
            if self._chunks is None:
                self._chunks = self._open()
            try:
                chunk = next(self._chunks, None)
                entries = self._decoder.feed(chunk) if chunk is not None else self._decoder.finish()
            except BODY_ERRORS as exc:
                self.close()
                raise body_error(exc, self._request, f"{self._decoded} log entries") from exc
            except OpenFaaSError:
                self.close()
                raise
            if chunk is None:
                self.close()  # the entries decoded last are still handed out
            if entries:
                self._decoded += len(entries)
                self._entries = iter(entries)
                return next(self._entries)
        raise StopIteration

    def close(self) -> None:
        self._closed = True
        self._entries = iter(())
        if self._response is not None:
            self._response.close()

    def __enter__(self) -> Self:
        if self._chunks is None and not self._closed:
            self._chunks = self._open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
