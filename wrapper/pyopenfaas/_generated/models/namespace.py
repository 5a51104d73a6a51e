"""`/components/schemas/FunctionNamespace` in openapi.yaml: A namespace functions can be deployed to."""

import msgspec

from ..models.string_map import StringMap
from ..types import Model


class Namespace(Model, kw_only=True, frozen=True):
    """A namespace functions can be deployed to."""

    name: str
    labels: StringMap = msgspec.field(default_factory=dict)
    annotations: StringMap = msgspec.field(default_factory=dict)


Namespace.__module__ = "pyopenfaas"  # its public home: tracebacks, reprs and pickle name it there
