"""Function invocation: handlers and the provider proxy's errors (the async queue is ``_queue.py``)."""

from __future__ import annotations

import json
import threading
import time
import traceback
import uuid
from functools import partial
from typing import TYPE_CHECKING

import httpx

from ._http import JSON, TEXT, Reply, error
from ._logs import LogBook
from ._state import DEFAULT_NAMESPACE, GATEWAY_VERSION, Store
from ._types import FunctionRequest, FunctionResponse, Handler, HandlerResult

if TYPE_CHECKING:
    from ._iam import FakeIAM

SERVED_BY = f"openfaas-ce/{GATEWAY_VERSION}"
_TRUE = frozenset({"true", "1"})  # how the watchdog reads jwt_auth


def split_function(target: str) -> tuple[str, str]:
    """``name.namespace`` split on the last dot, as the gateway and providers do; no dot: the default."""
    name, dot, namespace = target.rpartition(".")
    if not dot:
        return target, DEFAULT_NAMESPACE
    return name, namespace or DEFAULT_NAMESPACE


def echo(request: FunctionRequest) -> FunctionResponse:
    """The default handler: the request body back, with its Content-Type."""
    content_type = request.headers.get("Content-Type")
    return FunctionResponse(request.body, headers={"Content-Type": content_type} if content_type else {})


def _to_reply(result: HandlerResult) -> Reply:
    if isinstance(result, FunctionResponse):
        body, status, headers = result.body, result.status, list(result.headers.items())
        if not any(key.lower() == "content-type" for key, _ in headers) and body:
            headers.append(("Content-Type", TEXT if isinstance(body, str) else "application/octet-stream"))
        return Reply(status, headers, body.encode() if isinstance(body, str) else body)
    if result is None:
        return Reply(200)
    if isinstance(result, bytes):
        return Reply(200, [("Content-Type", "application/octet-stream")], result)
    if isinstance(result, str):
        return Reply(200, [("Content-Type", TEXT)], result.encode())
    return Reply(200, [("Content-Type", JSON)], json.dumps(result).encode())


def call_headers(headers: httpx.Headers) -> tuple[str, list[tuple[str, str]]]:
    """The call id and the response headers the gateway's call-id middleware adds.

    A caller's own ``X-Call-Id`` is kept but not echoed; a generated one is returned in the response.
    """
    added = [("X-Start-Time", str(time.time_ns())), ("X-Served-By", SERVED_BY)]
    call_id = headers.get("X-Call-Id")
    if not call_id:
        call_id = str(uuid.uuid4())
        added.append(("X-Call-Id", call_id))
    return call_id, added


class Invoker:
    """Runs handlers for deployed functions (for ``/function/`` and for the queue's workers)."""

    def __init__(self, store: Store, logs: LogBook, lock: threading.Lock) -> None:
        self._store = store
        self._logs = logs
        self._lock = lock
        self.handlers: dict[tuple[str, str], Handler] = {}
        self.iam: FakeIAM | None = None

    def invoke(
        self, method: str, target: str, path: str, query: str, headers: httpx.Headers, body: bytes, call_id: str
    ) -> Reply:
        """Call the function ``target`` (``name`` or ``name.namespace``) the way the provider proxy does."""
        name, namespace = split_function(target)
        with self._lock:
            resolved = self._store.resolve_locked(name, namespace)
            handler = self.handlers.get((namespace, name), echo)
        if resolved is None:
            proxy_headers = [("Content-Type", TEXT), ("X-OpenFaaS-Internal", "proxy")]
            return Reply(503, proxy_headers, f"No endpoints available for: {target}.".encode())
        function, instance = resolved
        if self.iam is not None and (function.deployment.get("envVars") or {}).get("jwt_auth") in _TRUE:
            refusal = self.iam.check_function(namespace, name, path, headers)
            if refusal is not None:
                return refusal
        log = partial(self._logs.append, namespace, name, instance)
        request = FunctionRequest(name, namespace, method, path, httpx.QueryParams(query), headers, body, call_id, log)
        try:
            reply = _to_reply(handler(request))
        except Exception as exc:
            log("".join(traceback.format_exception_only(exc)).rstrip())
            return error(500, f"{type(exc).__name__}: {exc}")
        if method == "HEAD":
            reply.body = b""
        return reply
