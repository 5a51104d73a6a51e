"""Result types. Those the gateway's JSON carries are the structs generated from openapi.yaml (re-exported
here under their public names); the invocation results wrap the function's own HTTP response."""

from __future__ import annotations

import json as jsonlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, AnyStr, Self

import httpx

from ._errors import BODY_ERRORS, APIResponseValidationError, body_error
from ._generated.models import (
    Function,
    FunctionUsage,
    GatewayInfo,
    LogEntry,
    Namespace,
    ProviderInfo,
    Secret,
    VersionInfo,
)

__all__ = [
    "AsyncInvocationResponse",
    "Function",
    "FunctionUsage",
    "GatewayInfo",
    "InvocationResponse",
    "LogEntry",
    "Namespace",
    "ProviderInfo",
    "QueuedInvocation",
    "Secret",
    "VersionInfo",
]


@dataclass(frozen=True, slots=True)
class QueuedInvocation:
    """An accepted asynchronous invocation."""

    call_id: str | None
    status_code: int
    headers: httpx.Headers


class _InvocationResponseBase:
    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def is_success(self) -> bool:
        return self.http_response.is_success

    @property
    def call_id(self) -> str | None:
        """The gateway's `X-Call-Id` for this call."""
        call_id: str | None = self.http_response.headers.get("X-Call-Id")
        return call_id

    @property
    def content(self) -> bytes:
        """The body (read it first with `read()` when the response was streamed)."""
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> Any:
        """The body parsed as JSON; a body that is not JSON raises `APIResponseValidationError`."""
        try:
            return jsonlib.loads(self.http_response.content)
        except (ValueError, RecursionError) as exc:
            raise APIResponseValidationError(
                f"the function's response is not JSON: {exc}", response=self.http_response
            ) from None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] call_id={self.call_id!r}>"


class InvocationResponse(_InvocationResponseBase):
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

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncInvocationResponse(_InvocationResponseBase):
    """`InvocationResponse` for `AsyncOpenFaaS`: `aread`, `aiter_bytes`, `aiter_lines`, `aclose`."""

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

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
