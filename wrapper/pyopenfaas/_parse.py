"""The seam to the generated client's response side: its typed parse of a 2xx, and the error for an answer
that does not have the shape the API describes."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import httpx

from ._errors import APIResponseValidationError

# What parsing a hostile body can raise: bad JSON (ValueError, RecursionError when nested too deep), wrong
# shapes (KeyError, TypeError, AttributeError), undecodable text (UnicodeError), huge numbers (OverflowError).
PARSE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, RecursionError, UnicodeError, OverflowError)


def parse_generated(module: ModuleType, response: httpx.Response, generated_client: Any) -> Any:
    """The generated endpoint module's typed parse of a 2xx response."""
    if response.status_code != 200:
        # The generated parser reads only the 200 it documents; any 2xx is success, so show it as one.
        # The content is already decoded: the copy must not say it is still compressed.
        headers = [(k, v) for k, v in response.headers.raw if k.lower() != b"content-encoding"]
        response = httpx.Response(200, headers=headers, content=response.content, request=response.request)
    try:
        parsed = module._build_response(client=generated_client, response=response).parsed
    except PARSE_ERRORS as exc:
        raise malformed(response, exc) from None
    if parsed is None or isinstance(parsed, str):
        raise malformed(response, "unexpected body")
    return parsed


def malformed(response: httpx.Response, why: object) -> APIResponseValidationError:
    try:
        body = response.content[:120].decode("utf-8", "replace") if response.is_closed else ""
    except httpx.ResponseNotRead:
        body = ""
    request = response.request
    return APIResponseValidationError(
        f"{request.method} {request.url.copy_with(query=None)} -> {response.status_code}: "
        f"malformed answer ({type(why).__name__ if isinstance(why, Exception) else why}): {body!r}",
        response=response,
    )


def json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except PARSE_ERRORS as exc:
        raise malformed(response, exc) from None


def unset(value: Any) -> Any:
    """None as the generated code's UNSET (a field or parameter left out)."""
    from pyopenfaas._generated.types import UNSET

    return UNSET if value is None else value
