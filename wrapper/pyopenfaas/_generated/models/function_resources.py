"""`/components/schemas/FunctionResources` in openapi.yaml: Kubernetes-style resource quantities, by resource name (the usual ones are listed)."""

FunctionResources = dict[str, str]
