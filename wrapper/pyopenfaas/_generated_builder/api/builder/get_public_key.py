"""`GET /publickey`: The key build secrets are sealed to"""

from __future__ import annotations

from ...models.builder_public_key import BuilderPublicKey
from ...types import Request, json_answer

_decode = json_answer(BuilderPublicKey)


def request() -> Request[BuilderPublicKey]:
    """The key build secrets are sealed to"""
    return Request("GET", "/publickey", _decode)
