"""Blocking work (writing a build tar): a primitive whose twins differ, run off the event loop for the async
client (`async_run_blocking`), in place for the sync one (`run_blocking`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def run_blocking(function: Callable[..., T], *args: Any) -> T:
    return function(*args)


async def async_run_blocking(function: Callable[..., T], *args: Any) -> T:
    from anyio import to_thread

    return await to_thread.run_sync(function, *args)
