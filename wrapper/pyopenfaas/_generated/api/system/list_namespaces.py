"""`GET /system/namespaces`: List the namespaces functions can be deployed to"""

from __future__ import annotations

from ...types import Request, list_answer

_decode = list_answer(str)


def request() -> Request[list[str]]:
    """List the namespaces functions can be deployed to"""
    return Request("GET", "/system/namespaces", _decode)
