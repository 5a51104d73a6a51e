"""`POST /system/secrets`: Create a secret"""

from __future__ import annotations

import msgspec

from ...models.secret_body import SecretBody
from ...types import Request, no_answer


def request(
    *,
    body: SecretBody,
) -> Request[None]:
    """faas-netes answers 409 when it exists; faasd overwrites it.

    A 200 answer's body (Any) is not decoded.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "POST",
        "/system/secrets",
        no_answer,
        params=None,
        headers=headers or None,
        content=content,
    )
