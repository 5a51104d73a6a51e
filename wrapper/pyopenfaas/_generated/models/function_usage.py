"""`/components/schemas/FunctionUsage` in openapi.yaml: Resource usage, where the provider reports it (not in Community Edition)."""

import msgspec

from ..types import Model


class FunctionUsage(Model, kw_only=True, frozen=True):
    """Resource usage, where the provider reports it (not in Community Edition)."""

    cpu: float = 0.0
    total_memory_bytes: float = msgspec.field(default=0.0, name="totalMemoryBytes")


FunctionUsage.__module__ = "pyopenfaas"  # its public home: tracebacks, reprs and pickle name it there
