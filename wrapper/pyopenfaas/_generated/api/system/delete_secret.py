"""`DELETE /system/secrets`: Remove a secret"""

from __future__ import annotations

import msgspec

from ...models.secret import Secret
from ...types import Request, no_answer


def request(
    *,
    body: Secret,
    namespace: str | None = None,
) -> Request[None]:
    """faasd reads the namespace from the query string, faas-netes from the body.

    A 200 answer's body (Any) is not decoded.
    """
    params: dict[str, str] = {}
    if namespace is not None:
        params["namespace"] = namespace
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "DELETE",
        "/system/secrets",
        no_answer,
        params=params or None,
        headers=headers or None,
        content=content,
    )
