# Generated from _async/logs.py by tools/unasync.py (`make unasync`): do not edit.
"""Log streaming: `functions.logs()` hands back a stream of `LogEntry`, decoded as the lines arrive."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Self

import httpx

from .._errors import BODY_ERRORS, NotSupportedError, OpenFaaSError, body_error, status_error
from .._interrupt import interrupt
from .._models import LogEntry
from .._parse import NDJSONDecoder
from .engine import Engine
from .pool import Closing


class LogStream(Closing):
    """Iterator of `LogEntry`, read as the gateway sends them. Also a context manager that closes the stream;
    the stream also closes when exhausted. Nothing is sent until iteration or `with` starts. `close()` may
    come from another thread while one waits for the next line: that iteration then ends at once, without error."""

    def __init__(self, api: Engine, request: httpx.Request, name: str) -> None:
        self._api = api
        self._request = request
        self._name = name
        self._response: httpx.Response | None = None
        self._chunks: Iterator[bytes] | None = None
        self._decoder = NDJSONDecoder(LogEntry)
        self._entries: Iterator[LogEntry] = iter(())
        self._decoded = 0
        self._closed = False
        # Who is reading, so that closing from elsewhere wakes the reader rather than racing it.
        self._lock = threading.Lock()
        self._reading = False

    def _open(self) -> Iterator[bytes]:
        response = self._api.send(self._request, stream=True)
        if not response.is_success:
            response.read()
            response.close()
            raise self._status_error(response)
        with self._lock:
            self._response = response
        return response.iter_bytes()

    def _status_error(self, response: httpx.Response) -> OpenFaaSError:
        error = status_error(response)
        if isinstance(error, NotSupportedError):
            namespace = self._request.url.params.get("namespace")
            where = f" in namespace {namespace!r}" if namespace else ""
            error.args = (
                f"{error.args[0]} (logs of function {self._name!r}{where}: the gateway answers 501 when the "
                "provider does not know the function, or has no log support)",
            )
        return error

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> LogEntry:
        for entry in self._entries:
            return entry
        # Decoded a chunk at a time: one msgspec call for all the complete lines that arrived together.
        while True:
            with self._lock:
                if self._closed:
                    break
                self._reading = True
            try:
                if self._chunks is None:
                    self._chunks = self._open()
                chunk = next(self._chunks, None) if not self._is_closed() else None
                entries = self._decoder.feed(chunk) if chunk is not None else self._decoder.finish()
            except BODY_ERRORS as exc:
                if self._is_closed():  # woken by a close from elsewhere: the stream ends, no error
                    break
                self._release()
                raise body_error(exc, self._request, f"{self._decoded} log entries") from exc
            except OpenFaaSError:
                self._release()
                raise
            finally:
                with self._lock:
                    self._reading = False
            if self._is_closed():  # closed from elsewhere meanwhile: what was read is dropped
                break
            if chunk is None:
                self.close()  # the entries decoded last are still handed out
            if entries:
                self._decoded += len(entries)
                self._entries = iter(entries)
                return next(self._entries)
        self._release()
        raise StopIteration

    def _is_closed(self) -> bool:
        return self._closed  # read anew: another task or thread may have closed the stream meanwhile

    def close(self) -> None:
        """End the stream, from any thread; a read in progress ends at once."""
        with self._lock:
            self._closed = True
            self._entries = iter(())
            reading, response = self._reading, self._response
        if reading:
            if response is not None:
                interrupt(response)  # the reader wakes, sees the stream closed, and releases it
        else:
            self._release()

    def _release(self) -> None:
        with self._lock:
            self._closed = True
            response = self._response
        if response is not None:
            response.close()

    def __enter__(self) -> Self:
        if self._chunks is None and not self._closed:
            self._chunks = self._open()
        return self
