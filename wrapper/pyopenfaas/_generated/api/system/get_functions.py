"""`GET /system/functions`: List deployed functions"""

from __future__ import annotations

from ...models.function import Function
from ...types import Request, list_answer

_decode = list_answer(Function)


def request(*, namespace: str | None = None) -> Request[list[Function]]:
    """The gateway fills `invocationCount` from Prometheus. `replicas` and `availableReplicas` are
    omitted when 0.
    """
    return Request("GET", "/system/functions", _decode, None if namespace is None else {"namespace": namespace})
