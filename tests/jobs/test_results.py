"""A job's result read as text, JSON or an error, the way an `InvocationResponse` (httpx) reads the same answer."""

from __future__ import annotations

import httpx
import pytest
from pyopenfaas import APIResponseValidationError, FunctionError
from pyopenfaas._jobs import JobResult

BODY = b"caf\xe9"


def result(status: int, content: bytes, content_type: str) -> JobResult:
    return JobResult("k", status, "echo", 1, "call-1", content, None, [("Content-Type", content_type)])


@pytest.mark.parametrize(
    "content_type",
    ["text/plain; charset=iso-8859-1", 'text/plain; charset="ISO-8859-1"', "text/plain", "text/plain; charset=bogus"],
)
def test_text_follows_the_charset_as_httpx_does_an_unknown_one_read_as_utf8(content_type: str) -> None:
    expected = httpx.Response(200, headers={"Content-Type": content_type}, content=BODY).text
    assert result(200, BODY, content_type).text == expected


def test_a_body_that_is_not_json_and_a_failed_status_raise_typed_errors() -> None:
    with pytest.raises(APIResponseValidationError, match="job 'k'"):
        result(200, BODY, "application/json").json()
    with pytest.raises(FunctionError, match=r"job 'k' \(call call-1\)"):
        result(500, b"boom", "text/plain").raise_for_status()
