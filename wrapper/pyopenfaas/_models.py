"""Result types. Those the gateway's JSON carries are the structs generated from openapi.yaml (re-exported
here under their public names); the invocation results (`_async/response.py`) wrap the function's own HTTP response."""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass
from typing import Any

import httpx

from ._errors import APIResponseValidationError
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
from ._generated.models.function_deployment import DeployOptions

__all__ = [
    "DeployOptions",
    "Function",
    "FunctionUsage",
    "GatewayInfo",
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


class InvocationResponseBase:
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
