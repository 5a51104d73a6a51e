"""Contains all the data models used in inputs/outputs"""

from .build_config import BuildConfig
from .build_config_build_args import BuildConfigBuildArgs
from .build_result import BuildResult
from .builder_public_key import BuilderPublicKey

__all__ = (
    "BuildConfig",
    "BuildConfigBuildArgs",
    "BuildResult",
    "BuilderPublicKey",
)
