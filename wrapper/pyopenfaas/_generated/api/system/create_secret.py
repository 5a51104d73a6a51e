"""`POST /system/secrets`: Create a secret"""

from __future__ import annotations

from ...models.secret_body import SecretBody
from ...types import Request, no_answer


def request(*, body: SecretBody) -> Request[None]:
    """faas-netes answers 409 when it exists; faasd overwrites it.

    A 200 answer's body (Any) is not decoded.
    """
    return Request.json("POST", "/system/secrets", no_answer, body)
