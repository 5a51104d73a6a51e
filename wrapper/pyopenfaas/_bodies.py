"""Invocation bodies: what `data=`/`json=` become for httpx. The sync and async twins differ in how a file or
an iterator is streamed (an async client needs an async iterator)."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from json import dumps
from typing import Any

_CHUNK = 64 * 1024

# httpx content arguments, extra headers, and whether the body can be sent twice.
Body = tuple[dict[str, Any], dict[str, str], bool]


def request_body(data: Any, json: Any) -> Body:
    """The body of a call from `OpenFaaS`: files and iterators streamed as they are read."""
    return _body(data, json, _read_chunks, iter, asynchronous=False)


def async_request_body(data: Any, json: Any) -> Body:
    """The body of a call from `AsyncOpenFaaS`: files and iterators streamed, async iterators too."""
    return _body(data, json, _aread_chunks, _aread_chunks, asynchronous=True)


def _body(
    data: Any,
    json: Any,
    from_file: Callable[[Any], Any],
    from_iterable: Callable[[Any], Any],
    *,
    asynchronous: bool,
) -> Body:
    if data is not None and json is not None:
        raise ValueError("give data or json, not both")
    if json is not None:
        # Encoded here, not by httpx: the bytes sent are the same with every httpx (0.27 adds spaces, 0.28 not).
        content = dumps(json, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
        return {"content": content}, {"Content-Type": "application/json"}, True
    if data is None:
        return {}, {}, True
    if isinstance(data, bytes | bytearray | memoryview):
        return {"content": bytes(data)}, {}, True
    if isinstance(data, str):
        return {"content": data.encode("utf-8")}, {"Content-Type": "text/plain; charset=utf-8"}, True
    if isinstance(data, io.TextIOBase):
        raise TypeError("data file objects must be opened in binary mode ('rb'), not text mode")
    if isinstance(data, io.IOBase) or hasattr(data, "read"):
        return {"content": from_file(data)}, _content_length(data), False
    if asynchronous and isinstance(data, AsyncIterable):
        return {"content": data}, {}, False
    if isinstance(data, Iterable) and not isinstance(data, Mapping):
        return {"content": from_iterable(data)}, {}, False
    raise TypeError(f"data must be bytes, str, a binary file object or an iterator of bytes, not {type(data).__name__}")


def _content_length(data: io.IOBase) -> dict[str, str]:
    """Content-Length for a regular file, so the function sees a sized body rather than a chunked one."""
    try:
        size = os.fstat(data.fileno()).st_size - data.tell()
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return {}
    return {"Content-Length": str(size)} if size >= 0 else {}


def _read_chunks(data: io.IOBase) -> Iterator[bytes]:
    while chunk := data.read(_CHUNK):
        if not isinstance(chunk, bytes):
            raise TypeError("data file objects must be opened in binary mode")
        yield chunk


async def _aread_chunks(data: Iterable[bytes] | io.IOBase) -> AsyncIterator[bytes]:
    for chunk in _read_chunks(data) if isinstance(data, io.IOBase) else data:
        yield chunk
