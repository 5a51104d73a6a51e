"""`GET /system/functions`: List deployed functions"""

from __future__ import annotations

from ...types import Request


def request(
    *,
    namespace: str | None = None,
) -> Request:
    """The gateway fills `invocationCount` from Prometheus. `replicas` and `availableReplicas` are
    omitted when 0.

    A 200 answer's body: list[FunctionStatus] | None.
    """
    params: dict[str, str] = {}
    if namespace is not None:
        params["namespace"] = namespace
    headers: dict[str, str] = {}
    content: bytes | None = None
    return Request(
        "GET",
        "/system/functions",
        params=params or None,
        headers=headers or None,
        content=content,
    )
