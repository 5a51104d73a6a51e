"""`DeleteFunctionRequest` in openapi.yaml"""

from __future__ import annotations

import msgspec

from ..types import Model


class DeleteFunctionRequest(Model, kw_only=True, frozen=True):
    """DeleteFunctionRequest"""

    function_name: str = msgspec.field(name="functionName")
    namespace: str | None = None
