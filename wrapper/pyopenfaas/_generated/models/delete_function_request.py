"""`/components/schemas/DeleteFunctionRequest` in openapi.yaml"""

import msgspec

from ..types import Model


class DeleteFunctionRequest(Model, kw_only=True, frozen=True):
    """`/components/schemas/DeleteFunctionRequest` in openapi.yaml"""

    function_name: str = msgspec.field(name="functionName")
    namespace: str | None = None
