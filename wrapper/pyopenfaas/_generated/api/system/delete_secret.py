"""`DELETE /system/secrets`: Remove a secret"""

from __future__ import annotations

from ...models.secret import Secret
from ...types import Request, no_answer


def request(*, body: Secret, namespace: str | None = None) -> Request[None]:
    """faasd reads the namespace from the query string, faas-netes from the body.

    A 200 answer's body (Any) is not decoded.
    """
    return Request.json(
        "DELETE", "/system/secrets", no_answer, body, None if namespace is None else {"namespace": namespace}
    )
