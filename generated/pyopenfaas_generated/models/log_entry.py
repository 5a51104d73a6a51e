"""`/components/schemas/LogEntry` in openapi.yaml: One line of a function's log."""

from __future__ import annotations

import datetime

from ..types import Model


class LogEntry(Model, kw_only=True, frozen=True):
    """One line of a function's log."""

    name: str
    namespace: str
    instance: str
    timestamp: datetime.datetime
    text: str
