"""`POST /system/namespace/{namespace}`: Create a namespace"""

from __future__ import annotations

from ...models.namespace import Namespace
from ...types import Request, no_answer, segment


def request(namespace: str, *, body: Namespace) -> Request[None]:
    """faasd requires `labels.openfaas = "1"`. faas-netes CE answers 405.

    A 200 answer's body (Any) is not decoded.
    """
    return Request.json("POST", f"/system/namespace/{segment(namespace)}", no_answer, body)
