"""FakeGateway: the in-memory gateway, its routes and its one request handler shared by both front ends."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import platform
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, TextIO
from urllib.parse import parse_qsl

import httpx

from ._flavours import Flavour, new_store
from ._http import TEXT, Fail, Reply, empty, error, json_reply
from ._invoke import SERVED_BY, Invoker, call_headers
from ._logs import LogBook, LogStream
from ._queue import FakeQueue, QueueConfig
from ._state import DEFAULT_NAMESPACE, GATEWAY_VERSION
from ._types import Handler, RecordedRequest

if TYPE_CHECKING:
    from ._iam import FakeIAM
    from ._transport import FakeTransport

_ROUTE_NAME = re.compile(r"[-a-zA-Z_0-9.]+")
_NAMESPACE_PATH = re.compile(r"[-a-zA-Z_0-9]*")
_INVOKE_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
_INTEGER = re.compile(r"[+-]?[0-9]+")
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))")
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_ARCH = {"x86_64": "amd64", "AMD64": "amd64", "aarch64": "arm64"}


def parse_rfc3339(value: str) -> datetime | None:
    """The time in ``value`` if it is RFC 3339 (what Go's ``time.Parse(time.RFC3339, ...)`` takes), else None."""
    match = _RFC3339.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zulu, sign, off_hours, off_minutes = match.groups()
    offset = timedelta() if zulu else timedelta(hours=int(off_hours), minutes=int(off_minutes))
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=timezone(-offset if sign == "-" else offset),
        )
    except ValueError:
        return None


def _not_found() -> Reply:
    return error(404, "404 page not found")


def _split_target(rest: str) -> tuple[str, str] | None:
    """``name[.ns][/sub/path]`` into the function target and the sub-path, or None if the name is invalid."""
    target, slash, sub = rest.partition("/")
    if _ROUTE_NAME.fullmatch(target) is None:
        return None
    return target, slash + sub


class FakeGateway:
    """An in-memory OpenFaaS gateway (Community Edition) for tests, demos and local development.

    ``flavour`` (or ``flavor``) picks the provider's behaviour: ``"faas-netes"`` (202s, only the ``openfaas-fn``
    namespace, 409 on an existing secret) or ``"faasd"`` (200s, namespace CRUD, secrets overwritten).
    Both are the Community Editions, with their licence's limits (15 functions; faasd: one namespace,
    and functions only in namespaces labelled ``openfaas=true``, which the namespace API never sets).
    ``ce_limits=False`` lifts those, for tests of code that uses more functions or namespaces.
    With ``username``/``password`` and/or ``token``, ``/system/*`` needs basic auth or that bearer token.
    With ``iam=True`` it is an OpenFaaS IAM gateway (``gateway.iam``, a :class:`FakeIAM` whose issuer is
    ``issuer``): ``/system/*`` also takes the gateway tokens ``/oauth/token`` issues, and functions deployed
    with the environment variable ``jwt_auth=true`` require a function token, as faas-middleware does.
    ``queue`` configures ``/async-function/`` (a :class:`QueueConfig`: CE by default, or Pro-like);
    ``gateway.queue`` (a :class:`FakeQueue`) has its switches and counters.
    Use it in-process with :meth:`transport`, or over HTTP with :meth:`serve`. Thread-safe.
    """

    def __init__(
        self,
        *,
        flavour: Flavour = "faas-netes",
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        ce_limits: bool = True,
        iam: bool = False,
        issuer: str = "http://gateway.openfaas:8080",
        max_recorded_requests: int = 10_000,
        flavor: Flavour | None = None,
        queue: QueueConfig | None = None,
    ) -> None:
        if flavor is not None:  # the American spelling
            if flavour != "faas-netes" and flavour != flavor:
                raise ValueError(f"flavour={flavour!r} and flavor={flavor!r}: give one")
            flavour = flavor
        self._lock = threading.Lock()
        self._logs = LogBook(self._lock)
        self._store = new_store(flavour, self._logs, ce_limits=ce_limits)
        if (username is None) != (password is None):
            raise ValueError("username and password must be given together")
        self.flavour = flavour
        self._username = username
        self._password = password
        self._token = token
        self._invoker = Invoker(self._store, self._logs, self._lock)
        self.iam: FakeIAM | None = None
        if iam:
            from ._iam import FakeIAM

            self.iam = self._invoker.iam = FakeIAM(issuer)
        self.queue = FakeQueue(queue or QueueConfig(), self._queued_call, served_by=SERVED_BY)
        self._recorded: deque[RecordedRequest] = deque(maxlen=max_recorded_requests)
        self._routes: dict[str, dict[str, Callable[[str, bytes], Reply]]] = {
            "/system/info": {"GET": lambda query, body: self._info()},
            "/system/alert": {"POST": lambda query, body: self._store.alert(body)},
            "/system/functions": {
                "GET": lambda query, body: self._store.list_functions(_params(query)),
                "POST": lambda query, body: self._store.deploy(body),
                "PUT": lambda query, body: self._store.update(body),
                "DELETE": lambda query, body: self._store.delete(_params(query), body),
            },
            "/system/secrets": {
                "GET": lambda query, body: self._store.list_secrets(_params(query)),
                "POST": lambda query, body: self._store.create_secret(body),
                "PUT": lambda query, body: self._store.update_secret(body),
                "DELETE": lambda query, body: self._store.delete_secret(_params(query), body),
            },
            "/system/logs": {"GET": lambda query, body: self._open_logs(_params(query))},
            "/system/namespaces": {"GET": lambda query, body: self._store.list_namespaces()},
            "/system/telemetry": {"GET": lambda query, body: _not_found()},  # CE providers do not serve it
        }

    def __repr__(self) -> str:
        iam = ", iam=True" if self.iam is not None else ""
        return f"FakeGateway(flavour={self.flavour!r}, functions={len(self._store.functions)}{iam})"

    def __enter__(self) -> FakeGateway:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Set-up and inspection, for tests.

    def register(self, name: str, handler: Handler, *, namespace: str | None = None) -> None:
        """Run ``handler`` for invocations of function ``name`` (it still has to be deployed)."""
        with self._lock:
            self._invoker.handlers[(namespace or DEFAULT_NAMESPACE, name)] = handler

    def handler(self, name: str, *, namespace: str | None = None) -> Callable[[Handler], Handler]:
        """Decorator form of :meth:`register`."""

        def decorate(handler: Handler) -> Handler:
            self.register(name, handler, namespace=namespace)
            return handler

        return decorate

    def deploy(
        self,
        name: str,
        image: str = "ghcr.io/openfaas/alpine:latest",
        *,
        namespace: str | None = None,
        handler: Handler | None = None,
        env_process: str | None = None,
        env_vars: dict[str, str] | None = None,
        labels: dict[str, str] | None = None,
        annotations: dict[str, str] | None = None,
        secrets: list[str] | None = None,
    ) -> None:
        """Deploy a function directly (no HTTP, no auth), with the provider's rules; ValueError if refused."""
        if handler is not None:
            self.register(name, handler, namespace=namespace)
        fields = {
            "service": name,
            "image": image,
            "namespace": namespace,
            "envProcess": env_process,
            "envVars": env_vars,
            "labels": labels,
            "annotations": annotations,
            "secrets": secrets,
        }
        body = json.dumps({key: value for key, value in fields.items() if value is not None}).encode()
        with self._lock:
            try:
                reply = self._store.deploy(body)
            except Fail as fail:
                reply = fail.reply
        if reply.status >= 400:
            raise ValueError(reply.body.decode().strip() if isinstance(reply.body, bytes) else str(reply.status))

    def write_log(self, name: str, text: str, *, namespace: str | None = None) -> None:
        """Write log lines as the deployed function ``name``'s first instance would."""
        with self._lock:
            function = self._store.functions.get((namespace or DEFAULT_NAMESPACE, name))
            if function is None:
                raise KeyError(f"function {name} is not deployed")
            if not function.instances:
                raise ValueError(f"function {name} has no instances (0 replicas)")
            self._logs.append_locked(function.namespace, name, function.instances[0], text)

    def set_replicas(
        self, name: str, replicas: int, *, available: int | None = None, namespace: str | None = None
    ) -> None:
        """Set a function's replicas directly, as an idler or ``kubectl scale`` would (0 allowed).

        ``available`` (default: all of them) is how many are ready; with none ready, invocations get 503.
        """
        if replicas < 0 or (available is not None and available < 0):
            raise ValueError("replicas cannot be negative")
        with self._lock:
            function = self._store.functions.get((namespace or DEFAULT_NAMESPACE, name))
            if function is None:
                raise KeyError(f"function {name} is not deployed")
            self._store.scale_locked(function, replicas, available)

    def report_usage(self, name: str, *, cpu: float, total_memory_bytes: float, namespace: str | None = None) -> None:
        """Answer ``GET /system/function/<name>?usage=1`` with these figures from now on, as an OpenFaaS Pro
        provider does (the Community Edition ones, faas-netes CE and faasd, ignore ``usage``: until this is
        called, so does the fake). A zero figure is left out of the answer, as Go's ``omitempty`` does."""
        if cpu < 0 or total_memory_bytes < 0:
            raise ValueError("usage figures cannot be negative")
        with self._lock:
            function = self._store.functions.get((namespace or DEFAULT_NAMESPACE, name))
            if function is None:
                raise KeyError(f"function {name} is not deployed")
            function.usage = {"cpu": float(cpu), "totalMemoryBytes": float(total_memory_bytes)}

    def secret_value(self, name: str, *, namespace: str | None = None) -> bytes:
        """A stored secret's value (the API never returns it); KeyError if absent."""
        with self._lock:
            return self._store.secrets[(namespace or DEFAULT_NAMESPACE, name)]

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received so far (at most ``max_recorded_requests``, newest last)."""
        return list(self._recorded)

    def wait_idle(self, timeout: float | None = 5.0) -> None:
        """Wait until every async invocation has run and its callback was sent; TimeoutError otherwise.

        Callbacks held by ``queue.hold_callbacks()`` are not waited for.
        """
        self.queue.wait_idle(timeout)

    def reset(self) -> None:
        """Forget functions, secrets, namespaces, logs and recorded requests (handlers stay registered)."""
        with self._lock:
            self._store.reset_locked()
        self._recorded.clear()

    def close(self) -> None:
        """Finish queued async invocations (see :meth:`FakeQueue.close`) and end every log stream. Idempotent."""
        self.queue.close()
        self._logs.close()

    # The two front ends.

    def transport(self) -> FakeTransport:
        """An httpx transport (sync and async) that serves requests in-process, without sockets."""
        from ._transport import FakeTransport

        return FakeTransport(self)

    @contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0, *, access_log: TextIO | None = None) -> Iterator[str]:
        """Serve over real HTTP while the ``with`` block runs; yields the base URL (port 0: a free port).
        With ``access_log`` (``sys.stderr``, say), one line per request is written there, as a web server's
        access log: client, time, method, path, status, size (never a query string, a header or a body).

        A client in the same process shares the GIL with the server's threads, which adds latency; for
        benchmarks run the server in its own process (``python -m pyopenfaas.testing``).
        """
        from ._server import FakeServer

        server = FakeServer(self, host, port, access_log)
        try:
            yield server.url
        finally:
            server.stop()

    # The core.

    def handle(
        self, method: str, path: str, query: str, headers: httpx.Headers | Iterable[tuple[str, str]], body: bytes
    ) -> Reply:
        """Answer one request (``path`` percent-decoded, ``query`` raw); the transport and server share it."""
        request_headers = headers.copy() if isinstance(headers, httpx.Headers) else httpx.Headers(list(headers))
        # A copy: an httpx client may change and send the same request again (a retry with a function token).
        self._recorded.append(RecordedRequest(method, path, query, request_headers))
        try:
            return self._route(method, path, query, request_headers, body)
        except Fail as fail:
            return fail.reply

    def _route(self, method: str, path: str, query: str, headers: httpx.Headers, body: bytes) -> Reply:
        if path.startswith("/function/"):
            split = _split_target(path[len("/function/") :])
            if split is None:
                return _not_found()
            if method not in _INVOKE_METHODS:
                return error(405, "method not allowed")
            call_id, added = call_headers(headers)
            if "X-Call-Id" not in headers:
                headers = headers.copy()
                headers["X-Call-Id"] = call_id
            reply = self._invoker.invoke(method, *split, query, headers, body, call_id)
            reply.headers.extend(added)
            return reply
        if path.startswith("/async-function/"):
            split = _split_target(path[len("/async-function/") :])
            if split is None:
                return _not_found()
            if method == "DELETE" and self.queue.config.edition == "pro" and not split[1]:
                return self.queue.cancel(split[0])
            if method != "POST":
                return empty(405)
            # The gateway's call-id middleware runs first: its headers are on every answer, errors included.
            call_id, added = call_headers(headers)
            if "X-Call-Id" not in headers:
                headers = headers.copy()
                headers["X-Call-Id"] = call_id
            reply = self.queue.publish(*split, query, headers, body)
            reply.headers.extend(added)
            return reply
        if path == "/healthz":
            return Reply(200, [("Content-Type", TEXT)], b"OK") if method == "GET" else empty(405)
        if self.iam is not None and (iam_reply := self._iam_route(self.iam, method, path, headers, body)) is not None:
            return iam_reply
        operation = self._system_operation(method, path)
        if operation is None:
            return _not_found()
        if isinstance(operation, Reply):
            return operation
        if not self._authorized(headers.get("Authorization")):
            reply = error(401, "invalid credentials")
            reply.headers.append(("WWW-Authenticate", 'Basic realm="Restricted"'))
            return reply
        with self._lock:
            return operation(query, body)

    def _queued_call(
        self, target: str, path: str, query: str, headers: httpx.Headers, body: bytes, call_id: str
    ) -> Reply:
        """A queue worker's ``POST /function/<target><path>`` (it carries the call's ``X-Call-Id``)."""
        return self._invoker.invoke("POST", target, path, query, headers, body, call_id)

    def _system_operation(self, method: str, path: str) -> Callable[[str, bytes], Reply] | Reply | None:
        """The operation for a ``/system/*`` route, a 405 reply for a wrong method, or None (no route)."""
        methods = self._routes.get(path)
        if methods is not None:
            return methods.get(method) or empty(405)
        head, _, name = path.rpartition("/")
        if head == "/system/function" and _ROUTE_NAME.fullmatch(name):
            if method != "GET":
                return empty(405)
            return lambda query, body: self._store.get_function(name, _params(query))
        if head == "/system/scale-function" and _ROUTE_NAME.fullmatch(name):
            if method != "POST":
                return error(405, "Only POST is allowed")
            return lambda query, body: self._store.scale(name, _params(query), body)
        if head == "/system/namespace" and _NAMESPACE_PATH.fullmatch(name):
            if method not in ("GET", "POST", "PUT", "DELETE"):
                return empty(405)
            return lambda query, body: self._store.namespace_operation(method, name, body)
        return None

    def _iam_route(self, iam: FakeIAM, method: str, path: str, headers: httpx.Headers, body: bytes) -> Reply | None:
        if path == "/oauth/token":
            return iam.token_endpoint(method, headers, body)
        if path == "/.well-known/openid-configuration":
            return iam.discovery() if method == "GET" else empty(405)
        if path == "/.well-known/jwks.json":
            return iam.jwks() if method == "GET" else empty(405)
        return None

    def _authorized(self, header: str | None) -> bool:
        if self.iam is not None and self.iam.authorized_for_system(header):
            return True
        if self._username is None and self._token is None:
            return self.iam is None
        scheme, _, credentials = (header or "").partition(" ")
        if scheme.lower() == "basic" and self._username is not None and self._password is not None:
            try:
                user, colon, password = base64.b64decode(credentials, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            same_user = hmac.compare_digest(user.encode(), self._username.encode())
            return bool(colon) and same_user & hmac.compare_digest(password.encode(), self._password.encode())
        if scheme.lower() == "bearer" and self._token is not None:
            return hmac.compare_digest(credentials.encode(), self._token.encode())
        return False

    def _info(self) -> Reply:
        store = self._store
        version = {"commit_message": "pyopenfaas fake gateway", "sha": "0000000", "release": GATEWAY_VERSION}
        provider = {
            "provider": store.provider,
            "orchestration": store.orchestration,
            # The providers fill only sha and release (commit_message is omitempty).
            "version": {"sha": "0000000", "release": store.release},
        }
        machine = platform.machine()
        return json_reply({"provider": provider, "version": version, "arch": _ARCH.get(machine, machine)})

    def _open_logs(self, params: dict[str, str]) -> Reply:
        """``GET /system/logs`` as the provider parses it and the gateway maps its statuses."""
        tail, since = 0, None
        if params.get("tail"):
            if _INTEGER.fullmatch(params["tail"]) is None:
                return error(500, "unknown log request error (422)")
            tail = int(params["tail"])
        if params.get("since"):
            since = parse_rfc3339(params["since"])
            if since is None:
                return error(500, "unknown log request error (422)")
        namespace = params.get("namespace") or DEFAULT_NAMESPACE
        journal = self._logs.journals.get((namespace, params.get("name", "")))
        source = self._store.log_source(journal, params.get("instance", ""), since)
        if source is None:  # the provider's 404 becomes the gateway's 501
            return empty(501)
        journal, instance, since = source
        follow = params.get("follow", "") in _TRUE
        stream = LogStream(self._logs, journal, instance=instance, since=since, tail=tail, follow=follow)
        return Reply(200, [("Content-Type", TEXT)], stream)


def _params(query: str) -> dict[str, str]:
    """Query parameters; for a repeated key the last value wins, as the providers read them."""
    return dict(parse_qsl(query, keep_blank_values=True))
