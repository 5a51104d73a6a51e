"""`Secret` in openapi.yaml"""

from __future__ import annotations

from ..types import Model


class Secret(Model, kw_only=True, frozen=True):
    """Secret"""

    name: str
    namespace: str | None = None
