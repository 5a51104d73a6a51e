# Generated from _async/response.py by tools/unasync.py (`make unasync`): do not edit.
"""A function's response to an invocation, streamed or read whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import AnyStr

from .._errors import BODY_ERRORS, body_error
from .._models import InvocationResponseBase
from .pool import Closing


class InvocationResponse(InvocationResponseBase, Closing):
    """A function's response: status, headers and body. With `stream=True`, read the body with `iter_bytes`
    or `read`, and close it (or use it as a context manager). A connection that drops mid-body raises
    `APIConnectionError`."""

    def read(self) -> bytes:
        try:
            return self.http_response.read()
        except BODY_ERRORS as exc:
            raise body_error(exc, self.http_response.request, "part of the body") from exc

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self._mapped(self.http_response.iter_bytes(chunk_size))

    def iter_lines(self) -> Iterator[str]:
        return self._mapped(self.http_response.iter_lines())

    def _mapped(self, chunks: Iterator[AnyStr]) -> Iterator[AnyStr]:
        received = 0
        try:
            for chunk in chunks:
                received += len(chunk)
                yield chunk
        except BODY_ERRORS as exc:
            raise body_error(exc, self.http_response.request, f"{received} bytes/characters") from exc

    def close(self) -> None:
        self.http_response.close()
