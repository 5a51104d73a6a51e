"""`/components/schemas/BuildConfig` in openapi.yaml: `com.openfaas.docker.config` in the build tar (the Go SDK's `BuildConfig`)."""

from __future__ import annotations

import msgspec

from ..models.build_config_build_args import BuildConfigBuildArgs
from ..types import Model


class BuildConfig(Model, kw_only=True, frozen=True):
    """`com.openfaas.docker.config` in the build tar (the Go SDK's `BuildConfig`)."""

    image: str
    build_args: BuildConfigBuildArgs = msgspec.field(
        default_factory=dict, name="buildArgs"
    )
    platforms: list[str] = msgspec.field(default_factory=list)
    skip_push: bool = msgspec.field(default=False, name="skipPush")
