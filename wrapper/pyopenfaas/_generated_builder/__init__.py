"""The OpenFaaS gateway API, generated from openapi.yaml: `models` (msgspec structs) and, per operation in
`api`, a typed `request(...)` that describes the HTTP request. Sending it is the caller's business."""

from .types import Model, Request

__all__ = ("Model", "Request")
