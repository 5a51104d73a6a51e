"""`buildArgs` in openapi.yaml: Dockerfile build arguments"""

from __future__ import annotations

BuildConfigBuildArgs = dict[str, str]
