"""The core's reply type and the gateway's ways of writing errors (Go's ``http.Error``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

TEXT = "text/plain; charset=utf-8"
JSON = "application/json"


class Stream(Protocol):
    """A body sent a chunk at a time (chunked), as a Go handler that flushes after each write."""

    def next_chunk(self, timeout: float | None = None) -> bytes | None:
        """The next chunk; ``b""`` when ``timeout`` passed with nothing new; ``None`` at the end."""

    def close(self) -> None:
        """End the stream, from any thread."""

    def __iter__(self) -> Iterator[bytes]: ...


@dataclass(slots=True)
class Reply:
    """A status, headers, and either the whole body or a stream of chunks (logs, build results)."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Stream = b""


class Served(Protocol):
    """What the front ends (``_server.py``, ``_transport.py``) serve: the gateway, or the builder."""

    def handle(
        self, method: str, path: str, query: str, headers: httpx.Headers | Iterable[tuple[str, str]], body: bytes
    ) -> Reply: ...


class Chunks:
    """A :class:`Stream` whose chunks are known in advance (the fake builder's results)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._closed = False

    def next_chunk(self, timeout: float | None = None) -> bytes | None:
        return None if self._closed else next(self._chunks, None)

    def close(self) -> None:
        self._closed = True

    def __iter__(self) -> Iterator[bytes]:
        while (chunk := self.next_chunk()) is not None:
            yield chunk


class Fail(Exception):
    """Raised inside the core to answer with an error reply."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


def error(status: int, message: str) -> Reply:
    """What Go's ``http.Error`` writes: plain text, newline-terminated."""
    return Reply(status, [("Content-Type", TEXT), ("X-Content-Type-Options", "nosniff")], f"{message}\n".encode())


def empty(status: int) -> Reply:
    """A bare ``WriteHeader(status)``: no body, and so no Content-Type (Go sniffs one only from a body)."""
    return Reply(status)


def json_reply(value: Any, status: int = 200) -> Reply:
    """A compact JSON body, as Go's ``json.Marshal`` writes it."""
    return Reply(status, [("Content-Type", JSON)], json.dumps(value, separators=(",", ":")).encode())


def parse_json_object(body: bytes, what: str) -> dict[str, Any]:
    """The body as a JSON object, or a 400 as Go's ``json.Unmarshal`` failure gives."""
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise Fail(error(400, f"unable to unmarshal {what}: {exc}")) from None
    if not isinstance(value, dict):
        raise Fail(error(400, f"unable to unmarshal {what}: expected a JSON object"))
    return value
