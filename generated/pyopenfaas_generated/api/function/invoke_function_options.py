"""`OPTIONS /function/{function_name}`: Invoke a function with OPTIONS"""

from __future__ import annotations

from urllib.parse import quote

from ...types import Request, no_answer


def request(
    function_name: str,
) -> Request[None]:
    """Forwarded to the function as it is: method, headers, query string and body. Sub-paths
    (`/function/{name}/any/path`) are passed on too. The function's own status, headers and body
    come back; the gateway adds `X-Call-Id`, `X-Start-Time` and `X-Served-By`. 503 with
    `X-OpenFaaS-Internal: proxy` means no endpoint for the function; 502 means the provider is
    unreachable; with scale-from-zero an unknown function gets 404.
    """
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "OPTIONS",
        "/function/{function_name}".format(
            function_name=quote(str(function_name), safe=""),
        ),
        no_answer,
        params=None,
        headers=headers or None,
        content=content,
    )
