"""`PUT /system/namespace/{namespace}`: Change a namespace's labels and annotations"""

from __future__ import annotations

from urllib.parse import quote

import msgspec

from ...models.namespace import Namespace
from ...types import Request


def request(
    namespace: str,
    *,
    body: Namespace,
) -> Request:
    """The body `name` must equal the path. faas-netes CE answers 405.

    A 200 answer's body: Any.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "PUT",
        "/system/namespace/{namespace}".format(
            namespace=quote(str(namespace), safe=""),
        ),
        params=None,
        headers=headers or None,
        content=content,
    )
