"""HMAC signatures of request bodies: `<algorithm>=<hex HMAC of the body>`, as `faas-cli invoke --sign` sends them
(`sha256=` since faas-cli 0.17.1, `sha1=` before) and as webhook senders do (GitHub's `X-Hub-Signature-256`).

Checking one inside a function, which needs nothing heavier than the standard library:

    from pyopenfaas.function import read_secret
    from pyopenfaas.signing import SignatureError, verify

    def handle(event, context):
        try:
            verify(event.body, event.headers.get("X-Hub-Signature"), read_secret("webhook-key"))
        except SignatureError:
            return {"statusCode": 401, "body": "bad signature"}
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection
from typing import Literal, TypeAlias, get_args

__all__ = ["Algorithm", "SignatureError", "signature", "verify"]

Algorithm: TypeAlias = Literal["sha256", "sha1"]
"""The hash of the HMAC, and the signature's prefix: `sha256` (the default) or `sha1` (faas-cli before 0.17.1)."""

_ALGORITHMS: tuple[Algorithm, ...] = get_args(Algorithm)
_DIGESTS = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}


class SignatureError(ValueError):
    """The signature is missing, malformed, of an algorithm not accepted, or does not match the body.
    The message says which, never the key nor the expected value."""


def signature(body: bytes | str, key: bytes | str, algorithm: Algorithm = "sha256") -> str:
    """`<algorithm>=<hex HMAC of body under key>`, a str body encoded as UTF-8."""
    check_algorithm(algorithm)
    return f"{algorithm}={_hexdigest(body, key, algorithm)}"


def verify(
    body: bytes | bytearray | memoryview | str,
    signature: str | None,
    key: bytes | str,
    *,
    algorithms: Collection[Algorithm] = _ALGORITHMS,
) -> Algorithm:
    """Check that `signature` (a header's value: `sha256=<hex>` or `sha1=<hex>`) is the HMAC of `body` under
    `key`, in constant time. Returns the algorithm that matched; raises `SignatureError` otherwise.
    `algorithms` limits what is accepted (e.g. `("sha256",)` to refuse SHA-1)."""
    for accepted in algorithms:
        check_algorithm(accepted)
    if not signature:
        raise SignatureError("no signature was given")
    prefix, eq, given = signature.strip().partition("=")
    if not eq or prefix not in _DIGESTS:
        raise SignatureError("the signature must be sha256=<hex> or sha1=<hex>")
    if prefix not in algorithms:
        raise SignatureError(f"{prefix} signatures are not accepted here (accepted: {', '.join(algorithms)})")
    algorithm: Algorithm = "sha256" if prefix == "sha256" else "sha1"
    expected = _hexdigest(body, key, algorithm)
    if not (given.isascii() and hmac.compare_digest(given.lower(), expected)):
        raise SignatureError(f"the {algorithm} signature does not match the body")
    return algorithm


def check_algorithm(algorithm: object) -> None:
    if algorithm not in _DIGESTS:
        raise ValueError(f"the signature algorithm must be 'sha256' or 'sha1', not {algorithm!r}")


def _hexdigest(body: bytes | bytearray | memoryview | str, key: bytes | str, algorithm: Algorithm) -> str:
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes) or not key:
        raise ValueError("the signing key must be a non-empty str or bytes")
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError(f"the body must be bytes (or a bytes-like object) or str, not {type(body).__name__}")
    return hmac.new(key, body, _DIGESTS[algorithm]).hexdigest()
