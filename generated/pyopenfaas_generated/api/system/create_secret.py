"""`POST /system/secrets`: Create a secret"""

from __future__ import annotations

import msgspec

from ...models.secret_body import SecretBody
from ...types import Request


def request(
    *,
    body: SecretBody,
) -> Request:
    """faas-netes answers 409 when it exists; faasd overwrites it.

    A 200 answer's body: Any.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "POST",
        "/system/secrets",
        params=None,
        headers=headers or None,
        content=content,
    )
