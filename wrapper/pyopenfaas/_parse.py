"""Decoding failures, and NDJSON decoded a chunk at a time.

Each generated operation's `request(...)` is a `Request[T]` that carries its answer's msgspec decoder: the
engine's `call` sends it and decodes the answer into `T` (a malformed one raises `malformed(...)` here). NDJSON
log lines are decoded here, straight from bytes into the generated types (why msgspec: docs/regenerating.md).
"""

from __future__ import annotations

from typing import Any

import httpx
import msgspec

from ._errors import APIResponseValidationError

# Whole floats are taken as integers (the fakes and Go's float64 counters may write `12.0`), so decoding is lax.
_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}
DECODE_ERRORS = (msgspec.DecodeError, RecursionError)


def decoder(into: Any) -> msgspec.json.Decoder[Any]:
    """A cached decoder for `into` (building one costs more than decoding a small answer)."""
    found = _DECODERS.get(into)
    if found is None:
        found = _DECODERS[into] = msgspec.json.Decoder(into, strict=False)
    return found


def malformed(response: httpx.Response, why: Exception) -> APIResponseValidationError:
    """A read answer's body did not decode as its operation says."""
    body = response.content[:120].decode("utf-8", "replace")
    request = response.request
    return APIResponseValidationError(
        f"{request.method} {request.url.copy_with(query=None)} -> {response.status_code}: "
        f"malformed answer ({type(why).__name__}: {why}): {body!r}",
        response=response,
    )


class NDJSONDecoder:
    """NDJSON bytes in, decoded items out, a chunk at a time: msgspec decodes every complete line of a chunk
    in one call, and a line split across chunks waits for its end. A malformed line raises
    `APIResponseValidationError` naming its line number (as a `what` from `source`), once the lines before it
    have been handed out."""

    def __init__(self, item: type[Any], what: str = "log line", source: str = "the gateway") -> None:
        self._decoder = decoder(item)
        self._what = f"malformed {what} {{}} from {source}"
        self._pending = b""
        self._lines = 0  # complete lines decoded so far
        self._error: APIResponseValidationError | None = None

    def feed(self, chunk: bytes) -> list[Any]:
        end = chunk.rfind(b"\n") + 1
        if not end:
            self._pending += chunk
            return self._decode(b"") if self._error else []
        block = self._pending + chunk[:end] if self._pending else chunk[:end]
        self._pending = chunk[end:]
        return self._decode(block)

    def finish(self) -> list[Any]:
        """The last line, when the stream ended without a newline."""
        block, self._pending = self._pending, b""
        return self._decode(block)

    def _decode(self, block: bytes) -> list[Any]:
        if self._error is not None:
            raise self._error
        try:
            items: list[Any] = self._decoder.decode_lines(block)
        except DECODE_ERRORS:
            return self._good_lines(block)
        self._lines += block.count(b"\n")
        return items

    def _good_lines(self, block: bytes) -> list[Any]:
        """The lines before the first malformed one; the error waits for the next call."""
        items = []
        for number, line in enumerate(block.split(b"\n"), start=self._lines + 1):
            if not line.strip():
                continue
            try:
                items.append(self._decoder.decode(line))
            except DECODE_ERRORS as exc:
                text = line.decode("utf-8", "replace")
                shown = text if len(text) <= 120 else text[:120] + "..."
                self._error = APIResponseValidationError(f"{self._what.format(number)} ({exc}): {shown!r}")
                break
        if not items and self._error is not None:
            raise self._error
        return items
