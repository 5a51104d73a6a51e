"""`/components/schemas/FunctionDeployment` in openapi.yaml"""

from collections.abc import Mapping, Sequence
from typing import TypedDict

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
    read_only_root_filesystem: bool = msgspec.field(default=False, name="readOnlyRootFilesystem")
    registry_auth: str | None = msgspec.field(default=None, name="registryAuth")
    network: str | None = None


class DeployOptions(TypedDict, total=False):
    """The optional fields of openapi.yaml's `FunctionDeployment` as keyword arguments; one left out
    is not sent."""

    namespace: str | None
    """The function's namespace"""
    env_process: str | None
    """The process the watchdog runs (fprocess)"""
    env_vars: Mapping[str, str] | None
    """Environment variables of the function's container"""
    constraints: Sequence[str] | None
    """Placement constraints (faas-netes: node selector terms such as `kubernetes.io/arch=arm64`)"""
    secrets: Sequence[str] | None
    """Names of secrets (in the function's namespace) mounted under /var/openfaas/secrets/"""
    labels: Mapping[str, str] | None
    """Labels of the function (`com.openfaas.scale.min` and the like)"""
    annotations: Mapping[str, str] | None
    """Annotations of the function (`topic`, `com.openfaas.health.http.path` and the like)"""
    limits: Mapping[str, str] | None
    """Resource limits, such as `{"memory": "128Mi", "cpu": "500m"}`"""
    requests: Mapping[str, str] | None
    """Resource requests, as `limits`"""
    read_only_root_filesystem: bool
    """Mount the container's root filesystem read-only"""


DeployOptions.__module__ = "pyopenfaas"  # its public home
