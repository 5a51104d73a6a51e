"""`/components/schemas/ProviderInfo` in openapi.yaml: The provider behind the gateway, e.g. `faas-netes-ce` on `kubernetes`, `faasd-ce` on `containerd`."""

from __future__ import annotations

import msgspec

from ..models.version_info import VersionInfo
from ..types import Model


class ProviderInfo(Model, kw_only=True, frozen=True):
    """The provider behind the gateway, e.g. `faas-netes-ce` on `kubernetes`, `faasd-ce` on `containerd`."""

    name: str = msgspec.field(name="provider")
    orchestration: str
    version: VersionInfo | None
