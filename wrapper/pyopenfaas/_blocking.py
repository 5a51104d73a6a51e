"""Blocking work (writing a build tar) off the event loop for the async twin, in place for the sync one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def in_worker_thread(function: Callable[..., T], *args: Any) -> T:
    from anyio import to_thread

    return await to_thread.run_sync(function, *args)


def in_this_thread(function: Callable[..., T], *args: Any) -> T:
    return function(*args)
