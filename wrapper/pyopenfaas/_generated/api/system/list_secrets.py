"""`GET /system/secrets`: List secret names (values are never returned)"""

from __future__ import annotations

from ...models.secret import Secret
from ...types import Request, list_answer

_decode = list_answer(Secret)


def request(*, namespace: str | None = None) -> Request[list[Secret]]:
    """List secret names (values are never returned)"""
    return Request("GET", "/system/secrets", _decode, None if namespace is None else {"namespace": namespace})
