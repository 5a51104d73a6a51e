"""`POST /system/scale-function/{function_name}`: Set a function's desired replica count"""

from __future__ import annotations

from ...models.scale_service_request import ScaleServiceRequest
from ...types import Request, no_answer, segment


def request(function_name: str, *, body: ScaleServiceRequest, namespace: str | None = None) -> Request[None]:
    """faas-netes takes the function from the path, faasd from `serviceName`: send both, identical.
    The CE gateway clamps `replicas` to 1..5 before forwarding; providers reject 0 with 400.

    A 200 answer's body (Any) is not decoded.
    """
    return Request.json(
        "POST",
        f"/system/scale-function/{segment(function_name)}",
        no_answer,
        body,
        None if namespace is None else {"namespace": namespace},
    )
