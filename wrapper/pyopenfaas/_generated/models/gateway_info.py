"""`/components/schemas/GatewayInfo` in openapi.yaml: `GET /system/info`. `provider` is null when the gateway could not read its provider's answer."""

from ..models.provider_info import ProviderInfo
from ..models.version_info import VersionInfo
from ..types import Model


class GatewayInfo(Model, kw_only=True, frozen=True):
    """`GET /system/info`. `provider` is null when the gateway could not read its provider's answer."""

    provider: ProviderInfo | None
    version: VersionInfo
    arch: str


GatewayInfo.__module__ = "pyopenfaas"  # its public home: tracebacks, reprs and pickle name it there
