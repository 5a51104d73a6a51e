"""`/components/schemas/VersionInfo` in openapi.yaml: A release and the commit it was built from."""

from ..types import Model


class VersionInfo(Model, kw_only=True, frozen=True):
    """A release and the commit it was built from."""

    sha: str
    release: str
    commit_message: str | None = None


VersionInfo.__module__ = "pyopenfaas"  # its public home: tracebacks, reprs and pickle name it there
