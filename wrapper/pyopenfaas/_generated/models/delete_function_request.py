"""`/components/schemas/DeleteFunctionRequest` in openapi.yaml"""

from __future__ import annotations

import msgspec

from ..types import Model


class DeleteFunctionRequest(Model, kw_only=True, frozen=True):
    """`/components/schemas/DeleteFunctionRequest` in openapi.yaml"""

    function_name: str = msgspec.field(name="functionName")
    namespace: str | None = None
