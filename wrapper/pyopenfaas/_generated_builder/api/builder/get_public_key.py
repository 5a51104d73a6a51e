"""`GET /publickey`: The key build secrets are sealed to"""

from __future__ import annotations

from ...types import Request


def request() -> Request:
    """The key build secrets are sealed to

    A 200 answer's body: BuilderPublicKey.
    """
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/publickey",
        params=None,
        headers=headers or None,
        content=content,
    )
