"""`/components/schemas/LogEntry` in openapi.yaml: One line of a function's log."""

import datetime

import msgspec

from ..types import Model


class LogEntry(Model, kw_only=True, frozen=True):
    """One line of a function's log."""

    name: str
    namespace: str
    instance: str
    timestamp: datetime.datetime | None
    text: str

    def __post_init__(self) -> None:
        # Go's zero time.Time (year 1) is what the providers send for a time they do not know: None.
        if self.timestamp is not None and self.timestamp.year == 1:
            msgspec.structs.force_setattr(self, "timestamp", None)


LogEntry.__module__ = "pyopenfaas"  # its public home: tracebacks, reprs and pickle name it there
