"""FakeBuilder: a fake OpenFaaS Function Builder (pro-builder), its routes and its one request handler, served by
the same front ends as the fake gateway (`_transport.py` in-process, `_server.py` over HTTP).

Wire behaviour (builder-openapi.yaml), from the go-sdk `builder` package and its recorded build stream
(testdata/buildlogs.ndjson), faas-cli's remote build, and alexellis/hmac (which checks `X-Build-Signature`):

- `POST /build`: 401 with hmac's error text when the signature is missing or wrong; otherwise a build. With
  `Accept: application/x-ndjson` the answer is 200 and NDJSON results (`{"log":[...],"status":"in_progress",
  "duration":s}` ..., then `{"image":...,"status":"success",...}` or a `failed` result with `error`); without
  it, one JSON result: 200 on success, 500 with the failed result otherwise. Go's encoder writes them compact.
- `GET /publickey`: `{"key_id","algorithm":"nacl/box","public_key"}`; `GET /healthz`: `OK`.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from typing import Any

import httpx

from ._builds import DEFAULT_FAILURE, Builds, Outcome, RecordedBuild
from ._http import Chunks, Reply, error, json_reply
from ._transport import FakeBuilderTransport

_NDJSON = "application/x-ndjson"


class FakeBuilder:
    """An in-memory Function Builder. `transport()` serves httpx in-process; `serve()` runs it on 127.0.0.1.

    `fail(pattern, error)` makes builds of images matching the glob `pattern` fail with `error` (BuildKit's
    wording by default). `builds` records every build that passed the signature check.
    """

    def __init__(self, hmac_secret: str | bytes = "fake-builder-payload-secret") -> None:  # noqa: S107
        self._key = (hmac_secret.encode() if isinstance(hmac_secret, str) else hmac_secret).strip()
        self._builds = Builds()

    @property
    def builds(self) -> list[RecordedBuild]:
        """The builds that passed the signature check, oldest first."""
        return self._builds.recorded

    @property
    def public_key(self) -> str:
        """The builder's Curve25519 public key, base64 (what `/publickey` answers)."""
        return self._builds.public_key

    @property
    def key_id(self) -> str:
        return self._builds.key_id

    def fail(self, pattern: str = "*", error: str = DEFAULT_FAILURE) -> None:
        """Fail the builds of images matching `pattern` with `error`."""
        self._builds.fail(pattern, error)

    def reset(self) -> None:
        """Forget the failures asked for with `fail` and the recorded `builds` (the keys stay)."""
        self._builds.reset()

    def transport(self) -> FakeBuilderTransport:
        """An httpx transport (sync and async) serving this builder in-process."""
        return FakeBuilderTransport(self)

    @contextlib.contextmanager
    def serve(self, port: int = 0) -> Iterator[str]:
        """Serve on 127.0.0.1 (a free port by default) for the `with` block; yields the base URL."""
        from ._server import FakeServer

        server = FakeServer(self, "127.0.0.1", port)
        try:
            yield server.url
        finally:
            server.stop()

    # The core.

    def handle(
        self, method: str, path: str, query: str, headers: httpx.Headers | Iterable[tuple[str, str]], body: bytes
    ) -> Reply:
        """Answer one request (`path` percent-decoded); the transport and the server share it."""
        if path == "/publickey" and method == "GET":
            return json_reply({"key_id": self.key_id, "algorithm": "nacl/box", "public_key": self.public_key})
        if path == "/healthz" and method == "GET":
            return Reply(200, [("Content-Type", "text/plain")], b"OK")
        if path != "/build":
            return error(404, "404 page not found")
        if method != "POST":
            return error(405, "Method not allowed")
        request_headers = headers if isinstance(headers, httpx.Headers) else httpx.Headers(list(headers))
        problem = _check_signature(request_headers.get("X-Build-Signature", ""), self._key, body)
        if problem:
            return error(401, problem)
        streamed = _NDJSON in request_headers.get("Accept", "")
        outcome = self._builds.run(body, streamed=streamed)
        return _streamed(outcome) if streamed else _whole(outcome)


def _check_signature(header: str, key: bytes, body: bytes) -> str:
    """alexellis/hmac's Validate, word for word: its error text, or "" when the signature holds."""
    if header.startswith("sha256="):
        given = header.removeprefix("sha256=")
    elif header.startswith("sha1="):
        return "invalid message digest or secret"  # we sign with SHA-256 only
    else:
        return f"valid hash prefixes: [sha1=, sha256=], got: {header}"
    digest = hmac.new(key, body, hashlib.sha256).hexdigest()
    return "" if hmac.compare_digest(given.lower(), digest) else "invalid message digest or secret"


def _duration(results: int) -> float:
    return round(0.004 * results, 3)


def _final(outcome: Outcome) -> dict[str, Any]:
    """The last result; a tar that could not be built fails at once."""
    return {**outcome.final, "duration": _duration(len(outcome.lines) + 1) if outcome.lines else 0.0}


def _whole(outcome: Outcome) -> Reply:
    """One JSON result holding the whole log (Go's `omitempty` leaves out an empty one): 200 on success, 500
    with the failed result."""
    log = {"log": outcome.lines} if outcome.lines else {}
    return json_reply({**log, **_final(outcome)}, 200 if outcome.final["status"] == "success" else 500)


def _streamed(outcome: Outcome) -> Reply:
    """200 and NDJSON: one `in_progress` result per log line, then the final result."""

    def lines() -> Iterator[bytes]:
        for index, line in enumerate(outcome.lines, 1):
            yield _line({"log": [line], "status": "in_progress", "duration": _duration(index)})
        yield _line(_final(outcome))

    return Reply(200, [("Content-Type", _NDJSON)], Chunks(lines()))


def _line(result: dict[str, Any]) -> bytes:
    return json.dumps(result, separators=(",", ":")).encode() + b"\n"
