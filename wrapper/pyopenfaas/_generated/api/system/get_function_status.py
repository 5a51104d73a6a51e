"""`GET /system/function/{function_name}`: Describe one function"""

from __future__ import annotations

from ...models.function import Function
from ...types import Request, json_answer, segment

_decode = json_answer(Function)


def request(function_name: str, *, namespace: str | None = None, usage: str | None = None) -> Request[Function]:
    """The name is the plain function name; the namespace goes in the query string. With `usage=1` (as
    `faas-cli describe` sends it) an OpenFaaS Pro provider adds `usage`; the Community Edition providers
    (faas-netes CE, faasd) ignore the parameter.
    """
    params: dict[str, str] = {}
    if namespace is not None:
        params["namespace"] = namespace
    if usage is not None:
        params["usage"] = usage
    return Request("GET", f"/system/function/{segment(function_name)}", _decode, params or None)
