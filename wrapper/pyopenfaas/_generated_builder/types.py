"""What every model and endpoint module shares: the model base class and the request description."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, NamedTuple, Self

import msgspec


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


class Request(NamedTuple):
    """One operation's request: send it with any HTTP client, relative to the gateway's URL."""

    method: str
    url: str
    params: dict[str, str] | None = None
    headers: dict[str, str] | None = None
    content: bytes | None = None


def rfc3339(moment: datetime.datetime) -> str:
    """A time as RFC 3339 text, UTC written `Z` as Go writes it."""
    return moment.isoformat().replace("+00:00", "Z")
