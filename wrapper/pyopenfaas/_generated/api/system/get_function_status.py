"""`GET /system/function/{function_name}`: Describe one function"""

from __future__ import annotations

from urllib.parse import quote

from ...models.function import Function
from ...types import Request, json_answer

_decode = json_answer(Function)


def request(
    function_name: str,
    *,
    namespace: str | None = None,
    usage: str | None = None,
) -> Request[Function]:
    """The name is the plain function name; the namespace goes in the query string. With `usage=1` (as
    `faas-cli describe` sends it) an OpenFaaS Pro provider adds `usage`; the Community Edition providers
    (faas-netes CE, faasd) ignore the parameter.
    """
    params: dict[str, str] = {}
    if namespace is not None:
        params["namespace"] = namespace
    if usage is not None:
        params["usage"] = usage
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/system/function/{function_name}".format(
            function_name=quote(str(function_name), safe=""),
        ),
        _decode,
        params=params or None,
        headers=headers or None,
        content=content,
    )
