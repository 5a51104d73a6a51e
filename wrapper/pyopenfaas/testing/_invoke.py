"""Function invocation: handlers, the provider proxy's errors, and the async queue with its callbacks."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import traceback
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from ._http import JSON, TEXT, Reply, error
from ._logs import LogBook
from ._state import DEFAULT_NAMESPACE, GATEWAY_VERSION, Store
from ._types import FunctionRequest, FunctionResponse, Handler, HandlerResult

if TYPE_CHECKING:
    from ._iam import FakeIAM

SERVED_BY = f"openfaas-ce/{GATEWAY_VERSION}"
_BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")
# Request headers a function's response never carries over (they describe the request's own framing).
_HOP_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})
_TRUE = frozenset({"true", "1"})  # how the watchdog reads jwt_auth
_WATCHDOG_PROBES = frozenset({"/_/health", "/_/ready"})


def split_function(target: str) -> tuple[str, str]:
    """``name.namespace`` split on the last dot, as the gateway and providers do; no dot: the default."""
    name, dot, namespace = target.rpartition(".")
    if not dot:
        return target, DEFAULT_NAMESPACE
    return name, namespace or DEFAULT_NAMESPACE


def callback_problem(url: str) -> str | None:
    """Why Go's ``url.Parse`` would refuse ``url`` (the gateway then answers 400), or ``None``."""
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        reason = "net/url: invalid control character in URL"
    elif match := _BAD_ESCAPE.search(url):
        reason = f'invalid URL escape "{url[match.start() : match.start() + 3]}"'
    elif url.startswith(":"):
        reason = "missing protocol scheme"
    else:
        try:
            urlsplit(url).port  # noqa: B018 (parsing the port validates it)
        except ValueError as exc:
            reason = str(exc)
        else:
            return None
    return f'parse "{url}": {reason}'


def _watchdog_probe(method: str, path: str) -> Reply:
    """of-watchdog's own ``/_/health`` (``OK``) and ``/_/ready`` (empty), GET only, no token needed; the
    function's handler never sees them (``pkg/watchdog.go``, ``pkg/readiness.go``)."""
    if method != "GET":
        return Reply(405)
    if path == "/_/health":
        return Reply(200, [("Content-Type", TEXT)], b"OK")  # Go sniffs the type of a body written bare
    return Reply(200)


def echo(request: FunctionRequest) -> FunctionResponse:
    """The default handler: the request body back, with its Content-Type; it logs the call as of-watchdog
    does (``log.Printf`` in ``executor/http_runner.go``), so that a followed log shows something."""
    started = time.perf_counter()
    content_type = request.headers.get("Content-Type")
    response = FunctionResponse(request.body, headers={"Content-Type": content_type} if content_type else {})
    uri = (request.path or "/") + (f"?{request.query}" if request.query else "")
    moment = time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime())
    took = time.perf_counter() - started
    request.log(
        f"{moment} {request.method} {uri} - 200 OK - ContentLength: {_human_size(len(request.body))} ({took:.4f}s)"
    )
    return response


def _human_size(size: float) -> str:
    """docker/go-units' ``HumanSize``: four significant digits, decimal units."""
    units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
    index = 0
    while size >= 1000 and index < len(units) - 1:
        size /= 1000
        index += 1
    return f"{size:.4g}{units[index]}"


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
    """Runs handlers for deployed functions, synchronously or from the async queue."""

    def __init__(self, store: Store, logs: LogBook, lock: threading.Lock) -> None:
        self._store = store
        self._logs = logs
        self._lock = lock
        self._idle = threading.Condition(lock)
        self._pending = 0
        self._closed = False
        self._executor: ThreadPoolExecutor | None = None
        self._callbacks: httpx.Client | None = None
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
        if path in _WATCHDOG_PROBES:
            return _watchdog_probe(method, path)
        if self.iam is not None and (function.deployment.get("envVars") or {}).get("jwt_auth") in _TRUE:
            refusal = self.iam.check_function(namespace, name, headers)
            if refusal is not None:
                if method == "HEAD":
                    refusal.body = b""
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

    def enqueue(self, target: str, path: str, query: str, headers: httpx.Headers, body: bytes) -> Reply:
        """Queue an async call: 202 at once; the function runs in the background, then the callback."""
        callback = headers.get("X-Callback-Url")
        if callback is not None and (problem := callback_problem(callback)) is not None:
            return error(400, problem)
        call_id, added = call_headers(headers)
        forwarded = headers.copy()
        forwarded["X-Call-Id"] = call_id
        with self._lock:
            if self._closed:
                return error(500, "Error queuing request: the gateway is closed")
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="pyopenfaas-fake-queue")
            if callback is not None and self._callbacks is None:
                self._callbacks = httpx.Client(timeout=10.0, trust_env=False)
            self._pending += 1
            self._executor.submit(self._work, target, path, query, forwarded, body, call_id, callback)
        return Reply(202, added)

    def _work(
        self,
        target: str,
        path: str,
        query: str,
        headers: httpx.Headers,
        body: bytes,
        call_id: str,
        callback: str | None,
    ) -> None:
        try:
            started = time.perf_counter()
            # The queue worker always POSTs to the function, through the gateway.
            reply = self.invoke("POST", target, path, query, headers, body, call_id)
            duration = time.perf_counter() - started
            if callback is None or self._callbacks is None:
                return
            sent = httpx.Headers([(key, value) for key, value in reply.headers if key.lower() not in _HOP_HEADERS])
            sent["X-Duration-Seconds"] = f"{duration:f}"
            sent["X-Function-Status"] = str(reply.status)
            sent["X-Function-Name"] = target
            sent["X-Call-Id"] = call_id
            content = reply.body if isinstance(reply.body, bytes) else b""
            with contextlib.suppress(httpx.HTTPError):  # the queue worker only logs a failed callback
                self._callbacks.post(callback, content=content, headers=sent)
        finally:
            with self._lock:
                self._pending -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float | None) -> None:
        """Block until no async call is queued or running (callbacks included)."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._pending == 0, timeout):
                raise TimeoutError(f"{self._pending} async invocation(s) still running after {timeout}s")

    def close(self) -> None:
        """Refuse new async calls, finish the queued ones (callbacks included), then close the callback client."""
        with self._lock:
            self._closed = True
            executor = self._executor
        if executor is not None:
            executor.shutdown(wait=True)
        if self._callbacks is not None:
            self._callbacks.close()
