"""`DELETE /system/functions`: Remove a function"""

from __future__ import annotations

from ...models.delete_function_request import DeleteFunctionRequest
from ...types import Request, no_answer


def request(*, body: DeleteFunctionRequest, namespace: str | None = None) -> Request[None]:
    """faasd reads the namespace from the body, faas-netes CE from the query string.

    A 200 answer's body (Any) is not decoded.
    """
    return Request.json(
        "DELETE", "/system/functions", no_answer, body, None if namespace is None else {"namespace": namespace}
    )
