"""`GET /system/namespace/{namespace}`: Describe a namespace"""

from __future__ import annotations

from urllib.parse import quote

from ...models.namespace import Namespace
from ...types import Request, json_answer

_decode = json_answer(Namespace)


def request(
    namespace: str,
) -> Request[Namespace]:
    """faas-netes CE answers 501."""
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/system/namespace/{namespace}".format(
            namespace=quote(str(namespace), safe=""),
        ),
        _decode,
        params=None,
        headers=headers or None,
        content=content,
    )
