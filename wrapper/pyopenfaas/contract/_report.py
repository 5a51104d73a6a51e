"""What a contract check found, operation by operation, and its two renderings: a table and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Outcome = Literal["conforms", "departs", "not supported", "not run"]
_ORDER: tuple[Outcome, ...] = ("departs", "not supported", "conforms", "not run")


@dataclass(frozen=True)
class Departure:
    """One way an exchange departs from openapi.yaml.

    `what` says what is wrong; `where` is the JSON pointer of the rule in openapi.yaml it breaks; `at` is where in
    the exchange: `request`, `status`, `Content-Type`, `body`, or a JSON path into the body (`$[0].name`).
    """

    what: str
    where: str
    at: str

    def __str__(self) -> str:
        return f"{self.what} (at {self.at}; openapi.yaml {self.where})"


@dataclass(frozen=True)
class Call:
    """One request the check sent (the gateway's path, without credentials) and how its exchange went."""

    request: str
    status: int
    outcome: Outcome
    departures: tuple[Departure, ...] = ()


@dataclass
class OperationResult:
    """An operation of openapi.yaml (`operation_id`, `method`, `path`) and the calls that exercised it.

    `outcome` is `departs` when any call departed, else `not supported` when every call got 501, 405 or the
    router's 404 for the route, else `conforms`; `not run` when the check sent nothing for it (`note` says why).
    """

    operation_id: str
    method: str
    path: str
    calls: list[Call] = field(default_factory=list)
    note: str = ""

    @property
    def outcome(self) -> Outcome:
        if not self.calls:
            return "not run"
        outcomes = {call.outcome for call in self.calls}
        if "departs" in outcomes:
            return "departs"
        return "not supported" if outcomes == {"not supported"} else "conforms"

    @property
    def departures(self) -> list[tuple[Call, Departure]]:
        return [(call, departure) for call in self.calls for departure in call.departures]

    def detail(self) -> str:
        """The table's last column: the first departure, why it is not supported, or the note."""
        if self.outcome == "departs":
            departure = self.departures[0][1]
            more = len(self.departures) - 1
            return f"{departure}" + (f" (+{more} more)" if more else "")
        if self.outcome == "not supported":
            return f"{self.calls[0].status} answered to {self.calls[0].request}"
        return self.note


@dataclass
class Report:
    """The result of a contract check: one `OperationResult` per operation of openapi.yaml."""

    gateway: str
    write: bool
    operations: list[OperationResult]
    leftovers: list[str] = field(default_factory=list)  # scratch objects the check could not remove

    @property
    def conforms(self) -> bool:
        """True when no operation departs from openapi.yaml."""
        return not any(operation.outcome == "departs" for operation in self.operations)

    @property
    def exit_status(self) -> int:
        """1 when an operation departs from openapi.yaml, else 0."""
        return 0 if self.conforms else 1

    def counts(self) -> dict[str, int]:
        return {outcome: sum(op.outcome == outcome for op in self.operations) for outcome in _ORDER}

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (what `--json` prints)."""
        operations = [
            {"operation": op.operation_id, "method": op.method, "path": op.path, "outcome": op.outcome,
             "note": op.note, "calls": [asdict(call) for call in op.calls]}
            for op in self.operations
        ]  # fmt: skip
        return {"gateway": self.gateway, "write": self.write, "conforms": self.conforms, "counts": self.counts(),
                "leftovers": self.leftovers, "operations": operations}  # fmt: skip

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def table(self) -> str:
        """A table of the operations, then every departure in full."""
        rows = [("OPERATION", "METHOD", "PATH", "RESULT", "DETAIL")]
        rows += [(op.operation_id, op.method, op.path, op.outcome, op.detail()) for op in self.operations]
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)) + "  " + row[4]
                 for row in rows]  # fmt: skip
        lines = [line.rstrip() for line in lines]
        departures = [(op, call, d) for op in self.operations for call, d in op.departures]
        if departures:
            lines += ["", "Departures from openapi.yaml:"]
            lines += [f"  {op.operation_id}: {call.request} -> {call.status}: {d.what}\n"
                      f"      at {d.at}; openapi.yaml {d.where}" for op, call, d in departures]  # fmt: skip
        if self.leftovers:
            lines += ["", "Could not remove (remove by hand):"] + [f"  {leftover}" for leftover in self.leftovers]
        counts = ", ".join(f"{n} {outcome}" for outcome, n in self.counts().items() if n)
        lines += ["", f"{self.gateway}: {counts}" + ("" if self.write else " (read-only; --write checks the rest)")]
        return "\n".join(lines)
