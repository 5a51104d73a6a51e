"""`/components/schemas/BuildResult` in openapi.yaml: One report from the builder: `status` is `in_progress`, `success` or `failed`; `log` holds the
lines this report adds (all of them in a non-streamed answer); `image` is set when the build is
over, `error` when it failed; `duration` is the seconds since the build started."""

import msgspec

from ..types import Model


class BuildResult(Model, kw_only=True, frozen=True):
    """One report from the builder: `status` is `in_progress`, `success` or `failed`; `log` holds the
    lines this report adds (all of them in a non-streamed answer); `image` is set when the build is
    over, `error` when it failed; `duration` is the seconds since the build started."""

    status: str
    log: list[str] = msgspec.field(default_factory=list)
    image: str = ""
    error: str = ""
    duration: float = 0.0

    @property
    def done(self) -> bool:
        """The last result of a build (`success` or `failed`)."""
        return self.status in ("success", "failed")


BuildResult.__module__ = "pyopenfaas.builder"  # its public home: tracebacks, reprs and pickle name it there
