"""`/components/schemas/FunctionStatus` in openapi.yaml: A deployed function, as `GET /system/functions` and `GET /system/function/{name}` describe it. A
field the provider leaves out reads as Go's zero value (0, False, empty), `created_at` and the
strings as None; Go's zero time reads as None."""

import datetime
from typing import Annotated

import msgspec

from ..models.function_resources import FunctionResources
from ..models.function_usage import FunctionUsage
from ..models.string_map import StringMap
from ..types import Model


class Function(Model, kw_only=True, frozen=True):
    """A deployed function, as `GET /system/functions` and `GET /system/function/{name}` describe it. A field the
    provider leaves out reads as Go's zero value (0, False, empty), `created_at` and the strings as None; Go's zero
    time reads as None."""

    name: str
    image: str
    namespace: str | None = None
    env_process: str | None = msgspec.field(default=None, name="envProcess")
    env_vars: StringMap = msgspec.field(default_factory=dict, name="envVars")
    constraints: list[str] = msgspec.field(default_factory=list)
    secrets: list[str] = msgspec.field(default_factory=list)
    labels: StringMap = msgspec.field(default_factory=dict)
    annotations: StringMap = msgspec.field(default_factory=dict)
    limits: FunctionResources | None = None
    requests: FunctionResources | None = None
    read_only_root_filesystem: bool = msgspec.field(default=False, name="readOnlyRootFilesystem")
    invocation_count: Annotated[int, msgspec.Meta(ge=0)] = msgspec.field(default=0, name="invocationCount")
    replicas: Annotated[int, msgspec.Meta(ge=0)] = 0
    available_replicas: Annotated[int, msgspec.Meta(ge=0)] = msgspec.field(default=0, name="availableReplicas")
    created_at: datetime.datetime | None = msgspec.field(default=None, name="createdAt")
    usage: FunctionUsage | None = None

    @property
    def ready(self) -> bool:
        """At least one replica is available."""
        return self.available_replicas >= 1

    def __post_init__(self) -> None:
        # Go's zero time.Time (year 1) is what the providers send for a time they do not know: None.
        if self.created_at is not None and self.created_at.year == 1:
            msgspec.structs.force_setattr(self, "created_at", None)


Function.__module__ = "pyopenfaas"  # its public home: tracebacks, reprs and pickle name it there
