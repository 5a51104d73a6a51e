"""Waiting between retries and polls: a primitive whose sync and async twins differ (the engine's `sleep`,
which tests replace)."""

from __future__ import annotations

import time
from collections.abc import Callable

sleep: Callable[[float], None] = time.sleep


async def async_sleep(seconds: float) -> None:
    import asyncio  # not at `import pyopenfaas`: a sync user never needs it

    await asyncio.sleep(seconds)
