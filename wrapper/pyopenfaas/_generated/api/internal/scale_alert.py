"""`POST /system/alert`: Alertmanager webhook that scales functions up on an APIHighInvocationRate alert"""

from __future__ import annotations

import msgspec

from ...models.prometheus_alert import PrometheusAlert
from ...types import Request, no_answer


def request(
    *,
    body: PrometheusAlert,
) -> Request[None]:
    """Alertmanager webhook that scales functions up on an APIHighInvocationRate alert

    A 200 answer's body (Any) is not decoded.
    """
    headers: dict[str, str] = {}
    content = msgspec.json.encode(body)
    headers["Content-Type"] = "application/json"
    return Request(
        "POST",
        "/system/alert",
        no_answer,
        params=None,
        headers=headers or None,
        content=content,
    )
