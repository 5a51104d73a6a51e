"""`GET /system/info`: Gateway and provider version information"""

from __future__ import annotations

from ...types import Request


def request() -> Request:
    """Gateway and provider version information

    A 200 answer's body: GatewayInfo.
    """
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/system/info",
        params=None,
        headers=headers or None,
        content=content,
    )
