"""`POST /system/namespace/{namespace}`: Create a namespace"""

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
    """faasd requires `labels.openfaas = "1"`. faas-netes CE answers 405.

    A 200 answer's body: Any.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "POST",
        "/system/namespace/{namespace}".format(
            namespace=quote(str(namespace), safe=""),
        ),
        params=None,
        headers=headers or None,
        content=content,
    )
