"""`PUT /system/functions`: Update an existing function"""

from __future__ import annotations

from ...models.function_deployment import FunctionDeployment
from ...types import Request, no_answer


def request(*, body: FunctionDeployment) -> Request[None]:
    """Update an existing function

    A 200 answer's body (Any) is not decoded.
    """
    return Request.json("PUT", "/system/functions", no_answer, body)
