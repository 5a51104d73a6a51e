"""`GET /healthz`: Builder health (the chart's liveness probe)"""

from __future__ import annotations

from ...types import Request, no_answer


def request() -> Request[None]:
    """Builder health (the chart's liveness probe)

    A 200 answer's body (str) is not decoded.
    """
    return Request("GET", "/healthz", no_answer)
