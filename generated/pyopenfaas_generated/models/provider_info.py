"""`ProviderInfo` in openapi.yaml"""

from __future__ import annotations

import msgspec

from ..models.version_info import VersionInfo
from ..types import Model


class ProviderInfo(Model, kw_only=True, frozen=True):
    """ProviderInfo"""

    name: str = msgspec.field(name="provider")
    orchestration: str
    version: VersionInfo | None
