"""`PUT /system/secrets`: Change a secret's value"""

from __future__ import annotations

import msgspec

from ...models.secret_body import SecretBody
from ...types import Request


def request(
    *,
    body: SecretBody,
) -> Request:
    """Change a secret's value

    A 200 answer's body: Any.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "PUT",
        "/system/secrets",
        params=None,
        headers=headers or None,
        content=content,
    )
