"""`/components/schemas/SecretDescription` in openapi.yaml: A secret's name and namespace (the gateway never returns values)."""

from __future__ import annotations

from ..types import Model


class Secret(Model, kw_only=True, frozen=True):
    """A secret's name and namespace (the gateway never returns values)."""

    name: str
    namespace: str | None = None
