"""A function's response to an invocation, streamed or read whole."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import AnyStr

from .._errors import BODY_ERRORS, body_error
from .._models import InvocationResponseBase
from .pool import AsyncClosing


class AsyncInvocationResponse(InvocationResponseBase, AsyncClosing):
    """A function's response: status, headers and body. With `stream=True`, read the body with `aiter_bytes`
    or `aread`, and close it (or use it as a context manager). A connection that drops mid-body raises
    `APIConnectionError`."""

    async def aread(self) -> bytes:
        try:
            return await self.http_response.aread()
        except BODY_ERRORS as exc:
            raise body_error(exc, self.http_response.request, "part of the body") from exc

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self._mapped(self.http_response.aiter_bytes(chunk_size))

    def aiter_lines(self) -> AsyncIterator[str]:
        return self._mapped(self.http_response.aiter_lines())

    async def _mapped(self, chunks: AsyncIterator[AnyStr]) -> AsyncIterator[AnyStr]:
        received = 0
        try:
            async for chunk in chunks:
                received += len(chunk)
                yield chunk
        except BODY_ERRORS as exc:
            raise body_error(exc, self.http_response.request, f"{received} bytes/characters") from exc

    async def aclose(self) -> None:
        await self.http_response.aclose()
