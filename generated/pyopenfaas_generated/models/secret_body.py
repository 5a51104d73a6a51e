"""`SecretBody` in openapi.yaml: Either `value` (text) or `rawValue` (base64 of binary data) carries the secret."""

from __future__ import annotations

import msgspec

from ..types import Model


class SecretBody(Model, kw_only=True, frozen=True):
    """Either `value` (text) or `rawValue` (base64 of binary data) carries the secret."""

    name: str
    namespace: str | None = None
    value: str | None = None
    raw_value: str | None = msgspec.field(default=None, name="rawValue")
