"""Argument types that appear in public signatures: `NOT_GIVEN`, timeouts, bodies, queries."""

from __future__ import annotations

import datetime
import io
from collections.abc import AsyncIterable, Iterable, Mapping, Sequence

import httpx

__all__ = ["NOT_GIVEN", "AsyncData", "NotGiven", "Query", "Since", "SyncData", "TimeoutTypes"]


class NotGiven:
    """Marks an argument left out, where None means something (e.g. `timeout=None`: no timeout)."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
TimeoutTypes = float | httpx.Timeout | None
Since = datetime.datetime | datetime.timedelta | str | None
Query = Mapping[str, str | Sequence[str]] | Sequence[tuple[str, str]] | None
SyncData = bytes | str | Iterable[bytes] | io.IOBase | None
AsyncData = bytes | str | Iterable[bytes] | AsyncIterable[bytes] | io.IOBase | None


def as_timeout(value: TimeoutTypes | NotGiven, default: httpx.Timeout) -> httpx.Timeout:
    if isinstance(value, NotGiven):
        return default
    if isinstance(value, httpx.Timeout):
        return value
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
        raise ValueError(f"timeout must be a positive number of seconds, an httpx.Timeout or None, not {value!r}")
    return httpx.Timeout(value)


def check_max_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"max_retries must be an int of 0 or more, not {value!r}")
    return value
