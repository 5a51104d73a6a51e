"""`PUT /system/functions`: Update an existing function"""

from __future__ import annotations

import msgspec

from ...models.function_deployment import FunctionDeployment
from ...types import Request


def request(
    *,
    body: FunctionDeployment,
) -> Request:
    """Update an existing function

    A 200 answer's body: Any.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "PUT",
        "/system/functions",
        params=None,
        headers=headers or None,
        content=content,
    )
