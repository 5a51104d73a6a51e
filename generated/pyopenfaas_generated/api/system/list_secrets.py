"""`GET /system/secrets`: List secret names (values are never returned)"""

from __future__ import annotations

from ...types import Request


def request(
    *,
    namespace: str | None = None,
) -> Request:
    """List secret names (values are never returned)

    A 200 answer's body: list[Secret] | None.
    """
    params: dict[str, str] = {}
    if namespace is not None:
        params["namespace"] = namespace
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/system/secrets",
        params=params or None,
        headers=headers or None,
        content=content,
    )
