"""`LogEntry` in openapi.yaml"""

from __future__ import annotations

import datetime

from ..types import Model


class LogEntry(Model, kw_only=True, frozen=True):
    """LogEntry"""

    name: str
    namespace: str
    instance: str
    timestamp: datetime.datetime
    text: str
