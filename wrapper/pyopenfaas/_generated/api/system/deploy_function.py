"""`POST /system/functions`: Deploy a new function"""

from __future__ import annotations

from ...models.function_deployment import FunctionDeployment
from ...types import Request, no_answer


def request(*, body: FunctionDeployment) -> Request[None]:
    """faas-netes answers 202, faasd 200. Both answer 500 when the function exists (use PUT to update).

    A 200 answer's body (Any) is not decoded.
    """
    return Request.json("POST", "/system/functions", no_answer, body)
