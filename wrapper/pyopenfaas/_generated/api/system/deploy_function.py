"""`POST /system/functions`: Deploy a new function"""

from __future__ import annotations

import msgspec

from ...models.function_deployment import FunctionDeployment
from ...types import Request, no_answer


def request(
    *,
    body: FunctionDeployment,
) -> Request[None]:
    """faas-netes answers 202, faasd 200. Both answer 500 when the function exists (use PUT to update).

    A 200 answer's body (Any) is not decoded.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "POST",
        "/system/functions",
        no_answer,
        params=None,
        headers=headers or None,
        content=content,
    )
