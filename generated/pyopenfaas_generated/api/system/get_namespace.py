"""`GET /system/namespace/{namespace}`: Describe a namespace"""

from __future__ import annotations

from urllib.parse import quote

from ...types import Request


def request(
    namespace: str,
) -> Request:
    """faas-netes CE answers 501.

    A 200 answer's body: Namespace.
    """
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/system/namespace/{namespace}".format(
            namespace=quote(str(namespace), safe=""),
        ),
        params=None,
        headers=headers or None,
        content=content,
    )
