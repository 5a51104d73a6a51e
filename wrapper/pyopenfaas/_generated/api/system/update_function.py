"""`PUT /system/functions`: Update an existing function"""

from __future__ import annotations

import msgspec

from ...models.function_deployment import FunctionDeployment
from ...types import Request, no_answer


def request(
    *,
    body: FunctionDeployment,
) -> Request[None]:
    """Update an existing function

    A 200 answer's body (Any) is not decoded.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "PUT",
        "/system/functions",
        no_answer,
        params=None,
        headers=headers or None,
        content=content,
    )
