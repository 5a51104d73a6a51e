"""`FunctionUsage` in openapi.yaml"""

from __future__ import annotations

import msgspec

from ..types import Model


class FunctionUsage(Model, kw_only=True, frozen=True):
    """FunctionUsage"""

    cpu: float = 0.0
    total_memory_bytes: float = msgspec.field(default=0.0, name="totalMemoryBytes")
