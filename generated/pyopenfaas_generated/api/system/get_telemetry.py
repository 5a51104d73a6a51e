"""`GET /system/telemetry`: Telemetry proxied from an OpenFaaS Pro backend"""

from __future__ import annotations

from ...models.get_telemetry_response_200 import GetTelemetryResponse200
from ...types import Request, json_answer

_decode = json_answer(GetTelemetryResponse200)


def request() -> Request[GetTelemetryResponse200]:
    """Community Edition providers do not serve it, so a CE gateway answers 404."""
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/system/telemetry",
        _decode,
        params=None,
        headers=headers or None,
        content=content,
    )
