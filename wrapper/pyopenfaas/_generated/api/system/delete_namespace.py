"""`DELETE /system/namespace/{namespace}`: Remove a namespace"""

from __future__ import annotations

from ...models.namespace import Namespace
from ...types import Request, no_answer, segment


def request(namespace: str, *, body: Namespace) -> Request[None]:
    """faasd requires the body, with `name` equal to the path. faas-netes CE answers 405.

    A 200 answer's body (Any) is not decoded.
    """
    return Request.json("DELETE", f"/system/namespace/{segment(namespace)}", no_answer, body)
