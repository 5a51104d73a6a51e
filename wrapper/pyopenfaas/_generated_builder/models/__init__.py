"""Contains all the data models used in inputs/outputs"""

from .build_result import BuildResult
from .builder_public_key import BuilderPublicKey

__all__ = (
    "BuildResult",
    "BuilderPublicKey",
)
