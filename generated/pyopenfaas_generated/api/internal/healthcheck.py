"""`GET /healthz`: Gateway health (forwarded to the provider's /healthz)"""

from __future__ import annotations

from ...types import Request


def request() -> Request:
    """Gateway health (forwarded to the provider's /healthz)

    A 200 answer's body: str.
    """
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/healthz",
        params=None,
        headers=headers or None,
        content=content,
    )
