"""`GET /system/telemetry`: Telemetry proxied from an OpenFaaS Pro backend"""

from __future__ import annotations

from ...types import Request


def request() -> Request:
    """Community Edition providers do not serve it, so a CE gateway answers 404.

    A 200 answer's body: GetTelemetryResponse200.
    """
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/system/telemetry",
        params=None,
        headers=headers or None,
        content=content,
    )
