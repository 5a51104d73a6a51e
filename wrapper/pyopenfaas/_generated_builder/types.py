"""The gateway package's `types`, which this package shares."""

from pyopenfaas._generated.types import *  # noqa: F403
