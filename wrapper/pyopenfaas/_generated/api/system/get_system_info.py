"""`GET /system/info`: Gateway and provider version information"""

from __future__ import annotations

from ...models.gateway_info import GatewayInfo
from ...types import Request, json_answer

_decode = json_answer(GatewayInfo)


def request() -> Request[GatewayInfo]:
    """Gateway and provider version information"""
    return Request("GET", "/system/info", _decode)
