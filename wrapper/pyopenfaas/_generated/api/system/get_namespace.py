"""`GET /system/namespace/{namespace}`: Describe a namespace"""

from __future__ import annotations

from ...models.namespace import Namespace
from ...types import Request, json_answer, segment

_decode = json_answer(Namespace)


def request(namespace: str) -> Request[Namespace]:
    """faas-netes CE answers 501."""
    return Request("GET", f"/system/namespace/{segment(namespace)}", _decode)
