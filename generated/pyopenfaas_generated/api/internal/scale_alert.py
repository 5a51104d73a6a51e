"""`POST /system/alert`: Alertmanager webhook that scales functions up on an APIHighInvocationRate alert"""

from __future__ import annotations

import msgspec

from ...models.prometheus_alert import PrometheusAlert
from ...types import Request


def request(
    *,
    body: PrometheusAlert,
) -> Request:
    """Alertmanager webhook that scales functions up on an APIHighInvocationRate alert

    A 200 answer's body: Any.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "POST",
        "/system/alert",
        params=None,
        headers=headers or None,
        content=content,
    )
