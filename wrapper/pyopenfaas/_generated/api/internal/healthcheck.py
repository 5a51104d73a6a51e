"""`GET /healthz`: Gateway health (forwarded to the provider's /healthz)"""

from __future__ import annotations

from ...types import Request, no_answer


def request() -> Request[None]:
    """Gateway health (forwarded to the provider's /healthz)

    A 200 answer's body (str) is not decoded.
    """
    return Request("GET", "/healthz", no_answer)
