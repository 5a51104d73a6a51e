"""`VersionInfo` in openapi.yaml"""

from __future__ import annotations

from ..types import Model


class VersionInfo(Model, kw_only=True, frozen=True):
    """VersionInfo"""

    sha: str
    release: str
    commit_message: str | None = None
