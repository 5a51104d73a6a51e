"""`GET /system/secrets`: List secret names (values are never returned)"""

from __future__ import annotations

from ...models.secret import Secret
from ...types import Request, list_answer

_decode = list_answer(Secret)


def request(
    *,
    namespace: str | None = None,
) -> Request[list[Secret]]:
    """List secret names (values are never returned)"""
    params: dict[str, str] = {}
    if namespace is not None:
        params["namespace"] = namespace
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/system/secrets",
        _decode,
        params=params or None,
        headers=headers or None,
        content=content,
    )
