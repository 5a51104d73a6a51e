"""`GatewayInfo` in openapi.yaml"""

from __future__ import annotations

from ..models.provider_info import ProviderInfo
from ..models.version_info import VersionInfo
from ..types import Model


class GatewayInfo(Model, kw_only=True, frozen=True):
    """GatewayInfo"""

    provider: ProviderInfo | None
    version: VersionInfo
    arch: str
