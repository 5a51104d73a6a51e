"""`POST /async-function/{function_name}`: Queue an invocation"""

from __future__ import annotations

from urllib.parse import quote

from ...types import Request, no_answer


def request(
    function_name: str,
    *,
    body: bytes | None = None,
    x_callback_url: str | None = None,
    x_call_id: str | None = None,
) -> Request[None]:
    """The request (method, headers, query string, body) is queued on NATS and answered with 202 and an
    empty body. Without NATS configured every /async-function path is 404. The queue worker POSTs
    the function's response to `X-Callback-Url` with `X-Function-Status`, `X-Duration-Seconds`,
    `X-Function-Name` and `X-Call-Id`. Sub-paths (`/async-function/{name}/...`) are passed to the
    function as they are.
    """
    headers: dict[str, str] = {}
    if x_callback_url is not None:
        headers["X-Callback-Url"] = x_callback_url
    if x_call_id is not None:
        headers["X-Call-Id"] = x_call_id
    content: bytes | None = None
    if body is not None:
        content = body
        headers["Content-Type"] = "application/octet-stream"
    return Request(
        "POST",
        "/async-function/{function_name}".format(
            function_name=quote(str(function_name), safe=""),
        ),
        no_answer,
        params=None,
        headers=headers or None,
        content=content,
    )
