"""HMAC-signed invocations in the form of `faas-cli invoke --sign HEADER --key KEY`, with SHA-256:
`HEADER: sha256=<hex HMAC-SHA256 of the body>` (the faas-cli revisions read for docs/migrating.md sign with
SHA-1, `sha1=...`; a function checking those refuses this)."""

from __future__ import annotations

import hashlib
import hmac
import json as jsonlib

from ._bodies import Body
from ._validation import check_headers

Sign = tuple[str, str | bytes]


def sign_body(sign: Sign, body: Body) -> Body:
    """`body` with the signature header added (JSON encoded here, so the bytes signed are the bytes sent).
    Only a body held whole can be signed: a streamed one is refused before anything is sent."""
    content, body_headers, replayable = body
    if not (isinstance(sign, tuple) and len(sign) == 2):
        raise TypeError("sign must be a (header name, key) tuple, e.g. ('X-Hub-Signature', key)")
    header, key = sign
    name = next(iter(check_headers({header: "sha256="})))
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes) or not key:
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
    digest = hmac.new(key, content.get("content", b""), hashlib.sha256).hexdigest()
    headers[name] = f"sha256={digest}"
    return content, headers, replayable
