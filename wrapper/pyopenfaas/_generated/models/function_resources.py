"""`/components/schemas/FunctionResources` in openapi.yaml: Kubernetes-style resource quantities, by resource name (the usual ones are listed)."""

from __future__ import annotations

FunctionResources = dict[str, str]
