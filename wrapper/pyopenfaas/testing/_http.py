"""The core's reply type and the gateway's ways of writing errors (Go's ``http.Error``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ._logs import LogStream

TEXT = "text/plain; charset=utf-8"
JSON = "application/json"


@dataclass(slots=True)
class Reply:
    """A status, headers, and either the whole body or a stream of chunks (logs)."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | LogStream = b""


class Fail(Exception):
    """Raised inside the core to answer with an error reply."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


def error(status: int, message: str) -> Reply:
    """What Go's ``http.Error`` writes: plain text, newline-terminated."""
    return Reply(status, [("Content-Type", TEXT), ("X-Content-Type-Options", "nosniff")], f"{message}\n".encode())


def empty(status: int) -> Reply:
    """A bare ``WriteHeader(status)``: no body, and so no Content-Type (Go sniffs one only from a body)."""
    return Reply(status)


def json_reply(value: Any, status: int = 200) -> Reply:
    """A compact JSON body, as Go's ``json.Marshal`` writes it."""
    return Reply(status, [("Content-Type", JSON)], json.dumps(value, separators=(",", ":")).encode())


def parse_json_object(body: bytes, what: str) -> dict[str, Any]:
    """The body as a JSON object, or a 400 as Go's ``json.Unmarshal`` failure gives."""
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise Fail(error(400, f"unable to unmarshal {what}: {exc}")) from None
    if not isinstance(value, dict):
        raise Fail(error(400, f"unable to unmarshal {what}: expected a JSON object"))
    return value
