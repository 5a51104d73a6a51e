"""What every model and endpoint module shares: the model base class, the request description, what builds
one, and the decoders of the answers it carries."""

from __future__ import annotations

import datetime
import re
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from typing import Any, Generic, NamedTuple, Self, TypeVar
from urllib.parse import quote

import msgspec

__all__ = ("Content", "Model", "Request", "json_answer", "list_answer", "no_answer", "rfc3339", "segment")

T = TypeVar("T")


class Model(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """A schema of openapi.yaml: decoded straight from JSON by msgspec, fields in snake_case."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """From the gateway's JSON form, checked as an answer is; `msgspec.ValidationError` (a ValueError) if
        it does not fit."""
        return msgspec.convert(data, cls, strict=False)

    def to_dict(self) -> dict[str, Any]:
        """The fields in the gateway's JSON form (its camelCase keys), without those left at their default."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data


# A request body: bytes, or (for a binary body, e.g. a build tar read from its file) the chunks of a stream.
Content = bytes | Iterable[bytes] | AsyncIterable[bytes]


class Request(NamedTuple, Generic[T]):
    """One operation's request: send it with any HTTP client, relative to the server's URL. `decode` turns a
    2xx answer's body into `T` (raising `msgspec.DecodeError` when it does not fit)."""

    method: str
    url: str
    decode: Callable[[bytes], T]
    params: dict[str, str] | None = None
    headers: dict[str, str] | None = None
    content: Content | None = None

    @classmethod
    def json(
        cls,
        method: str,
        url: str,
        decode: Callable[[bytes], T],
        body: Any,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Request[T]:
        """A request whose body (`None`: none) is sent as JSON."""
        if body is None:
            return cls(method, url, decode, params, headers)
        headers = (
            {"Content-Type": "application/json"} if headers is None else {**headers, "Content-Type": "application/json"}
        )
        return cls(method, url, decode, params, headers, msgspec.json.encode(body))


def segment(value: str) -> str:
    """A path parameter, percent-encoded whole (a `/` in it too)."""
    return value if _UNRESERVED(value) else quote(value, safe="")


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch  # what quote leaves as it is: names pass unchanged, fast


def rfc3339(moment: datetime.datetime) -> str:
    """A time as RFC 3339 text, UTC written `Z` as Go writes it."""
    return moment.isoformat().replace("+00:00", "Z")


def json_answer(into: type[T]) -> Callable[[bytes], T]:
    """A JSON answer as `into`; lax, so whole floats read as integers (Go's float64 counters write `12.0`)."""
    return msgspec.json.Decoder(into, strict=False).decode


def list_answer(item: type[T]) -> Callable[[bytes], list[T]]:
    """A JSON array of `item`; `null` (Go's nil slice, faas-memory's answer when there is none) reads as empty."""
    decode = msgspec.json.Decoder(list[item] | None, strict=False).decode  # type: ignore[valid-type]

    def answer(content: bytes) -> list[T]:
        return decode(content) or []

    return answer


def no_answer(content: bytes) -> None:
    """An answer whose body is not JSON the caller reads: nothing to decode."""
