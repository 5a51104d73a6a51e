"""`DELETE /system/namespace/{namespace}`: Remove a namespace"""

from __future__ import annotations

from urllib.parse import quote

import msgspec

from ...models.namespace import Namespace
from ...types import Request, no_answer


def request(
    namespace: str,
    *,
    body: Namespace,
) -> Request[None]:
    """faasd requires the body, with `name` equal to the path. faas-netes CE answers 405.

    A 200 answer's body (Any) is not decoded.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "DELETE",
        "/system/namespace/{namespace}".format(
            namespace=quote(str(namespace), safe=""),
        ),
        no_answer,
        params=None,
        headers=headers or None,
        content=content,
    )
