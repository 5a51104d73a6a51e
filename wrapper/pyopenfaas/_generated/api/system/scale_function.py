"""`POST /system/scale-function/{function_name}`: Set a function's desired replica count"""

from __future__ import annotations

from urllib.parse import quote

import msgspec

from ...models.scale_service_request import ScaleServiceRequest
from ...types import Request, no_answer


def request(
    function_name: str,
    *,
    body: ScaleServiceRequest,
    namespace: str | None = None,
) -> Request[None]:
    """faas-netes takes the function from the path, faasd from `serviceName`: send both, identical.
    The CE gateway clamps `replicas` to 1..5 before forwarding; providers reject 0 with 400.

    A 200 answer's body (Any) is not decoded.
    """
    params: dict[str, str] = {}
    if namespace is not None:
        params["namespace"] = namespace
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "POST",
        "/system/scale-function/{function_name}".format(
            function_name=quote(str(function_name), safe=""),
        ),
        no_answer,
        params=params or None,
        headers=headers or None,
        content=content,
    )
