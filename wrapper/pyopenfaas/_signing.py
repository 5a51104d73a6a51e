"""HMAC-signed invocations in the form of `faas-cli invoke --sign HEADER --key KEY`: `HEADER: sha256=<hex HMAC-SHA256
of the body>`, as faas-cli sends since 0.17.1; `(HEADER, KEY, "sha1")` sends `sha1=...`, for functions written for
older faas-cli."""

from __future__ import annotations

import json as jsonlib
from typing import TypeAlias

from ._bodies import Body
from ._validation import check_headers
from .signing import Algorithm, check_algorithm, signature

Sign: TypeAlias = tuple[str, str | bytes] | tuple[str, str | bytes, Algorithm]
_SHAPE = "sign must be (header name, key) or (header name, key, 'sha256' | 'sha1'), e.g. ('X-Hub-Signature', key)"


def sign_body(sign: Sign, body: Body) -> Body:
    """`body` with the signature header added (JSON encoded here, so the bytes signed are the bytes sent).
    Only a body held whole can be signed: a streamed one is refused before anything is sent."""
    content, body_headers, replayable = body
    if not (isinstance(sign, tuple) and len(sign) in (2, 3)):
        raise TypeError(_SHAPE)
    header, key = sign[0], sign[1]
    algorithm: Algorithm = sign[2] if len(sign) == 3 else "sha256"
    check_algorithm(algorithm)
    name = next(iter(check_headers({header: "sha256="})))
    if not isinstance(key, str | bytes) or not key:
        raise ValueError("sign: the key must be a non-empty str or bytes")
    if not replayable:
        raise ValueError(
            "sign= needs the whole body before sending, to compute its HMAC; a file object or iterator is streamed "
            "and cannot be signed: pass the body as bytes or str"
        )
    headers = dict(body_headers)
    if "json" in content:
        encoded = jsonlib.dumps(content["json"], ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        content = {"content": encoded}
        headers["Content-Type"] = "application/json"
    headers[name] = signature(content.get("content", b""), key, algorithm)
    return content, headers, replayable
