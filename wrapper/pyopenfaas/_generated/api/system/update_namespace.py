"""`PUT /system/namespace/{namespace}`: Change a namespace's labels and annotations"""

from __future__ import annotations

from ...models.namespace import Namespace
from ...types import Request, no_answer, segment


def request(namespace: str, *, body: Namespace) -> Request[None]:
    """The body `name` must equal the path. faas-netes CE answers 405.

    A 200 answer's body (Any) is not decoded.
    """
    return Request.json("PUT", f"/system/namespace/{segment(namespace)}", no_answer, body)
