"""`PUT /system/secrets`: Change a secret's value"""

from __future__ import annotations

import msgspec

from ...models.secret_body import SecretBody
from ...types import Request, no_answer


def request(
    *,
    body: SecretBody,
) -> Request[None]:
    """Change a secret's value

    A 200 answer's body (Any) is not decoded.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "PUT",
        "/system/secrets",
        no_answer,
        params=None,
        headers=headers or None,
        content=content,
    )
