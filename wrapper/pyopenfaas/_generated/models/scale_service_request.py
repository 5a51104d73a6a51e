"""`/components/schemas/ScaleServiceRequest` in openapi.yaml"""

from typing import Annotated

import msgspec

from ..types import Model


class ScaleServiceRequest(Model, kw_only=True, frozen=True):
    """`/components/schemas/ScaleServiceRequest` in openapi.yaml"""

    service_name: str = msgspec.field(name="serviceName")
    replicas: Annotated[int, msgspec.Meta(ge=0)]
    namespace: str | None = None
