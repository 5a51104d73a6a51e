"""`DELETE /system/functions`: Remove a function"""

from __future__ import annotations

import msgspec

from ...models.delete_function_request import DeleteFunctionRequest
from ...types import Request, no_answer


def request(
    *,
    body: DeleteFunctionRequest,
    namespace: str | None = None,
) -> Request[None]:
    """faasd reads the namespace from the body, faas-netes CE from the query string.

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
        "/system/functions",
        no_answer,
        params=params or None,
        headers=headers or None,
        content=content,
    )
