"""`/components/schemas/FunctionNamespace` in openapi.yaml: A namespace functions can be deployed to."""

from __future__ import annotations

import msgspec

from ..models.string_map import StringMap
from ..types import Model


class Namespace(Model, kw_only=True, frozen=True):
    """A namespace functions can be deployed to."""

    name: str
    labels: StringMap = msgspec.field(default_factory=dict)
    annotations: StringMap = msgspec.field(default_factory=dict)
