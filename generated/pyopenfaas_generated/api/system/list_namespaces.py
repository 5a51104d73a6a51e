"""`GET /system/namespaces`: List the namespaces functions can be deployed to"""

from __future__ import annotations

from ...types import Request


def request() -> Request:
    """List the namespaces functions can be deployed to

    A 200 answer's body: list[str] | None.
    """
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/system/namespaces",
        params=None,
        headers=headers or None,
        content=content,
    )
