"""`POST /build`: Build an image from a signed tar, and push it"""

from __future__ import annotations

from ...models.build_result import BuildResult
from ...types import Content, Request, json_answer

_decode = json_answer(BuildResult)


def request(*, body: Content, x_build_signature: str) -> Request[BuildResult]:
    """Without `Accept: application/x-ndjson` the builder answers when the build is over: one JSON
    `BuildResult` holding the whole log, 200 on success and 500 with the `failed` result otherwise.
    With it, the answer is 200 at once and NDJSON: `in_progress` results with the log lines BuildKit
    reported since the last one, then one `success` or `failed` result (a failed build is a result
    there, not a status). A missing or wrong signature is a 401 before anything is unpacked.
    """
    return Request(
        "POST",
        "/build",
        _decode,
        None,
        {"X-Build-Signature": x_build_signature, "Content-Type": "application/octet-stream"},
        body,
    )
