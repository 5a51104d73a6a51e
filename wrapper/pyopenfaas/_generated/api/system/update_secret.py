"""`PUT /system/secrets`: Change a secret's value"""

from __future__ import annotations

from ...models.secret_body import SecretBody
from ...types import Request, no_answer


def request(*, body: SecretBody) -> Request[None]:
    """Change a secret's value

    A 200 answer's body (Any) is not decoded.
    """
    return Request.json("PUT", "/system/secrets", no_answer, body)
