"""`/components/schemas/SecretDescription` in openapi.yaml: A secret's name and namespace (the gateway never returns values)."""

from ..types import Model


class Secret(Model, kw_only=True, frozen=True):
    """A secret's name and namespace (the gateway never returns values)."""

    name: str
    namespace: str | None = None


Secret.__module__ = "pyopenfaas"  # its public home: tracebacks, reprs and pickle name it there
