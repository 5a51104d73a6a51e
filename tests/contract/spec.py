"""The test suite's view of pyopenfaas's own openapi.yaml validator (`pyopenfaas._spec`), with a record of what was
checked.

`Contract.request_problems` / `response_problems` validate one exchange as it was on the wire (the server's view),
count it, and return the problems found as text instead of raising, so a server thread can record them for the
test to fail on.
"""

from __future__ import annotations

import threading
from typing import ClassVar

from pyopenfaas._spec import SpecRequest, SpecResponse, SpecValidator, load_spec

__all__ = ["Contract", "SpecRequest", "SpecResponse", "load_spec"]


class Contract(SpecValidator):
    """The validator, counting what it validated. Thread-safe (servers run in threads)."""

    instances: ClassVar[list[Contract]] = []  # for the run's summary (tests/conftest.py)

    def __init__(self) -> None:
        super().__init__()
        Contract.instances.append(self)
        self._lock = threading.Lock()
        self.requests_validated = 0
        self.responses_validated = 0
        self.operations: set[tuple[str, str]] = set()

    def request_problems(self, request: SpecRequest) -> list[str]:
        """Validate a request; count it when valid."""
        departures = self.request_departures(request)
        if departures:
            return [f"{request.method.upper()} {request.full_path}: request does not match openapi.yaml: {d}"
                    for d in departures]  # fmt: skip
        template = self.template_for(request.path)
        with self._lock:
            self.requests_validated += 1
            if template is not None:
                self.operations.add((request.method.upper(), template))
        return []

    def response_problems(self, request: SpecRequest, response: SpecResponse) -> list[str]:
        """Validate a response to `request`; count it when valid."""
        departures = self.response_departures(request, response)
        if departures:
            where = f"{request.method.upper()} {request.full_path} -> {response.status_code}"
            return [f"{where}: response does not match openapi.yaml: {d}" for d in departures]
        with self._lock:
            self.responses_validated += 1
        return []
