"""`GET /healthz`: Builder health (the chart's liveness probe)"""

from __future__ import annotations

from ...types import Request


def request() -> Request:
    """Builder health (the chart's liveness probe)

    A 200 answer's body: str.
    """
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/healthz",
        params=None,
        headers=headers or None,
        content=content,
    )
