"""What a fake function's handler receives and returns, and what the gateway records."""

from __future__ import annotations

import json as _json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import httpx


def _discard(text: str) -> None:
    """Where a hand-made request's log lines go."""


@dataclass(frozen=True, slots=True)
class FunctionRequest:
    """One invocation of a fake function, as its handler sees it.

    ``path`` is the sub-path after ``/function/<name>`` (``""`` or starting with ``/``). Call
    :meth:`log` to write a line to the function's logs (``GET /system/logs``). Every field has a default,
    so a handler can be unit-tested with ``handler(FunctionRequest(body=b"..."))``.
    """

    name: str = "fn"
    namespace: str = "openfaas-fn"
    method: str = "POST"
    path: str = ""
    query: httpx.QueryParams = field(default_factory=httpx.QueryParams)
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""
    call_id: str = ""
    _log: Callable[[str], None] = field(default=_discard, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON."""
        return _json.loads(self.body)

    def log(self, text: str) -> None:
        """Write one log line for this function (one entry per line of ``text``)."""
        self._log(text)


@dataclass(slots=True)
class FunctionResponse:
    """What a handler returns: body, status and headers (``Content-Type`` guessed when not given)."""

    body: bytes | str = b""
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """A request that reached the fake gateway (the body is not kept)."""

    method: str
    path: str
    query: str
    headers: httpx.Headers


HandlerResult: TypeAlias = FunctionResponse | bytes | str | dict[str, Any] | list[Any] | None
"""A handler may return a :class:`FunctionResponse`, raw bytes, text, a JSON value or ``None`` (empty)."""

Handler: TypeAlias = Callable[[FunctionRequest], HandlerResult]
