"""`/components/schemas/ProviderInfo` in openapi.yaml: The provider behind the gateway, e.g. `faas-netes-ce` on `kubernetes`, `faasd-ce` on `containerd`."""

import msgspec

from ..models.version_info import VersionInfo
from ..types import Model


class ProviderInfo(Model, kw_only=True, frozen=True):
    """The provider behind the gateway, e.g. `faas-netes-ce` on `kubernetes`, `faasd-ce` on `containerd`."""

    name: str = msgspec.field(name="provider")
    orchestration: str
    version: VersionInfo | None


ProviderInfo.__module__ = "pyopenfaas"  # its public home: tracebacks, reprs and pickle name it there
