"""`/components/schemas/FunctionDeployment` in openapi.yaml"""

from __future__ import annotations

import msgspec

from ..models.function_resources import FunctionResources
from ..models.string_map import StringMap
from ..types import Model


class FunctionDeployment(Model, kw_only=True, frozen=True):
    """`/components/schemas/FunctionDeployment` in openapi.yaml"""

    service: str
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
    read_only_root_filesystem: bool = msgspec.field(
        default=False, name="readOnlyRootFilesystem"
    )
    registry_auth: str | None = msgspec.field(default=None, name="registryAuth")
    network: str | None = None
