"""`client.functions`: deploy, inspect, scale, invoke and watch functions. Sync and async twins side by side."""

from __future__ import annotations

import collections
import datetime
import io
import os
import time
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import httpx

from ._base import (
    BODY_ERRORS,
    NOT_GIVEN,
    AsyncAPI,
    NotGiven,
    SyncAPI,
    TimeoutTypes,
    as_timeout,
    body_error,
    json_body,
    malformed,
    resolve_namespace,
    unset,
)
from ._errors import FunctionNotReadyError, NotFoundError, OpenFaaSError, status_error
from ._models import AsyncInvocationResponse, Function, InvocationResponse, LogEntry, QueuedInvocation
from ._signing import Sign, signed_body
from ._validation import (
    check_call_id,
    check_callback_url,
    check_headers,
    check_image,
    check_method,
    check_name,
    check_replicas,
    check_resources,
    check_string_map,
    check_strings,
    check_sub_path,
    check_tail,
    format_since,
)

if TYPE_CHECKING:
    import asyncio
    import concurrent.futures

    from pyopenfaas._generated.models import FunctionDeployment

_CHUNK = 64 * 1024
Since = datetime.datetime | datetime.timedelta | str | None
Query = Mapping[str, str | Sequence[str]] | Sequence[tuple[str, str]] | None
SyncData = bytes | str | Iterable[bytes] | io.IOBase | None
AsyncData = bytes | str | Iterable[bytes] | AsyncIterable[bytes] | io.IOBase | None


# ---- shared pure helpers ---------------------------------------------------------------------------------


def _deployment(
    name: str,
    image: str,
    namespace: str | None,
    env_process: str | None,
    env_vars: Mapping[str, str] | None,
    constraints: Sequence[str] | None,
    secrets: Sequence[str] | None,
    labels: Mapping[str, str] | None,
    annotations: Mapping[str, str] | None,
    limits: Mapping[str, str] | None,
    requests: Mapping[str, str] | None,
    read_only_root_filesystem: bool,
) -> FunctionDeployment:
    from pyopenfaas._generated.models import FunctionDeployment

    if env_process is not None and not isinstance(env_process, str):
        raise TypeError(f"env_process must be a str, not {type(env_process).__name__}")
    if not isinstance(read_only_root_filesystem, bool):
        raise TypeError(f"read_only_root_filesystem must be a bool, not {read_only_root_filesystem!r}")
    fields: dict[str, Any] = {
        "service": check_name(name),
        "image": check_image(image),
        "namespace": namespace,
        "envProcess": env_process,
        "envVars": check_string_map(env_vars, "env_vars"),
        "constraints": check_strings(constraints, "constraints"),
        "secrets": check_strings(secrets, "secrets"),
        "labels": check_string_map(labels, "labels"),
        "annotations": check_string_map(annotations, "annotations"),
        "limits": check_resources(limits, "limits"),
        "requests": check_resources(requests, "requests"),
        "readOnlyRootFilesystem": read_only_root_filesystem or None,
    }
    return FunctionDeployment.from_dict({k: v for k, v in fields.items() if v is not None})


def _functions(response: httpx.Response) -> list[Function]:
    # Parsed here, not through the generated models: building 100 attrs models per list() cost three times the
    # raw request's CPU (measured), and `Function` checks its fields when they are read.
    items = json_body(response)
    if not isinstance(items, list):
        raise malformed(response, "expected a JSON array")
    try:
        return [Function(item) for item in items]
    except OpenFaaSError as exc:
        exc.args = (f"{response.request.method} {response.request.url}: {exc}",)
        raise


def _function(response: httpx.Response) -> Function:
    body = json_body(response)
    try:
        return Function(body)
    except OpenFaaSError as exc:
        exc.args = (f"{response.request.method} {response.request.url}: {exc}",)
        raise


def _invocation_target(api: SyncAPI | AsyncAPI, prefix: str, name: str, namespace: str | None, path: str) -> str:
    check_name(name)
    ns = resolve_namespace(api, namespace)
    return f"{prefix}/{name}{'.' + ns if ns else ''}{check_sub_path(path)}"


def _content_length(data: io.IOBase) -> dict[str, str]:
    """Content-Length for a regular file, so the function sees a sized body rather than a chunked one."""
    try:
        size = os.fstat(data.fileno()).st_size - data.tell()
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return {}
    return {"Content-Length": str(size)} if size >= 0 else {}


def _read_chunks(data: io.IOBase) -> Iterator[bytes]:
    while chunk := data.read(_CHUNK):
        if not isinstance(chunk, bytes):
            raise TypeError("data file objects must be opened in binary mode")
        yield chunk


async def _aread_chunks(data: Iterable[bytes] | io.IOBase) -> AsyncIterator[bytes]:
    for chunk in _read_chunks(data) if isinstance(data, io.IOBase) else data:
        yield chunk


def _body(data: Any, json: Any, *, asynchronous: bool) -> tuple[dict[str, Any], dict[str, str], bool]:
    """httpx content/json arguments, extra headers, and whether the body can be sent twice."""
    if data is not None and json is not None:
        raise ValueError("give data or json, not both")
    if json is not None:
        return {"json": json}, {}, True
    if data is None:
        return {}, {}, True
    if isinstance(data, bytes | bytearray | memoryview):
        return {"content": bytes(data)}, {}, True
    if isinstance(data, str):
        return {"content": data.encode("utf-8")}, {"Content-Type": "text/plain; charset=utf-8"}, True
    if isinstance(data, io.TextIOBase):
        raise TypeError("data file objects must be opened in binary mode ('rb'), not text mode")
    if isinstance(data, io.IOBase) or hasattr(data, "read"):
        content = _aread_chunks(data) if asynchronous else _read_chunks(data)
        return {"content": content}, _content_length(data), False
    if asynchronous and isinstance(data, AsyncIterable):
        return {"content": data}, {}, False
    if isinstance(data, Iterable) and not isinstance(data, Mapping):
        return {"content": _aread_chunks(data) if asynchronous else iter(data)}, {}, False
    raise TypeError(f"data must be bytes, str, a binary file object or an iterator of bytes, not {type(data).__name__}")


def _merge_headers(defaults: Mapping[str, str], given: Mapping[str, str]) -> httpx.Headers:
    """The caller's headers over pyopenfaas's defaults, names compared without case."""
    headers = httpx.Headers(defaults)
    headers.update(given)
    return headers


def _invocation(
    api: SyncAPI | AsyncAPI,
    name: str,
    data: Any,
    json: Any,
    namespace: str | None,
    method: str,
    path: str,
    query: Query,
    headers: Mapping[str, str] | None,
    timeout: TimeoutTypes | NotGiven,
    *,
    asynchronous: bool,
    sign: Sign | None = None,
) -> tuple[httpx.Request, bool]:
    verb = check_method(method)
    target = _invocation_target(api, "/function", name, namespace, path)
    extra = check_headers(headers)
    body, body_headers, replayable = _body(data, json, asynchronous=asynchronous)
    if sign is not None:
        body, signature = signed_body(sign, body, replayable)
        body_headers = {**body_headers, **signature}
    request = api.build(
        verb,
        target,
        params=query,
        headers=_merge_headers(body_headers, extra),
        timeout=as_timeout(timeout, api.timeout),
        **body,
    )
    return request, replayable and verb in ("GET", "HEAD", "OPTIONS", "PUT", "DELETE")


def _queued_invocation(
    api: SyncAPI | AsyncAPI,
    name: str,
    data: Any,
    json: Any,
    namespace: str | None,
    path: str,
    query: Query,
    headers: Mapping[str, str] | None,
    callback_url: str | None,
    call_id: str | None,
    timeout: TimeoutTypes | NotGiven,
    *,
    asynchronous: bool,
) -> httpx.Request:
    target = _invocation_target(api, "/async-function", name, namespace, path)
    extra = check_headers(headers)
    if callback_url is not None:
        extra["X-Callback-Url"] = check_callback_url(callback_url)
    if call_id is not None:
        extra["X-Call-Id"] = check_call_id(call_id)
    body, body_headers, _ = _body(data, json, asynchronous=asynchronous)
    return api.build(
        "POST",
        target,
        params=query,
        headers=_merge_headers(body_headers, extra),
        timeout=as_timeout(timeout, api.timeout),
        **body,
    )


def _queued(response: httpx.Response, call_id: str | None) -> QueuedInvocation:
    if not response.is_success:
        raise status_error(response)
    return QueuedInvocation(
        call_id=response.headers.get("X-Call-Id") or call_id, status_code=response.status_code, headers=response.headers
    )


def _logs_request(
    api: SyncAPI | AsyncAPI,
    name: str,
    namespace: str | None,
    instance: str | None,
    tail: int | None,
    follow: bool,
    since: Since,
) -> httpx.Request:
    from pyopenfaas._generated.api.system import get_function_logs

    check_name(name)
    if instance is not None and (not isinstance(instance, str) or not instance):
        raise ValueError(f"instance must be a non-empty str, not {instance!r}")
    if not isinstance(follow, bool):
        raise TypeError(f"follow must be a bool, not {follow!r}")
    tail = check_tail(tail)
    since_text = format_since(since)
    request = api.build_generated(
        get_function_logs,
        name=name,
        namespace=unset(resolve_namespace(api, namespace)),
        instance=unset(instance),
        tail=unset(tail),
        follow=follow,
    )
    if since_text is not None:
        request.url = request.url.copy_merge_params({"since": since_text})
    if follow:
        # A followed stream may be quiet for as long as the function is: no read timeout.
        timeout = dict(request.extensions["timeout"])
        timeout["read"] = None
        request.extensions["timeout"] = timeout
    return request


def _wait_message(name: str, timeout: float, last: Function | None) -> str:
    state = "it was not found" if last is None else f"{last.available_replicas}/{last.replicas} replicas available"
    return f"function {name!r} was not ready after {timeout:g} s ({state})"


def _check_wait(timeout: float, poll_interval: float) -> None:
    for label, value in (("timeout", timeout), ("poll_interval", poll_interval)):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{label} must be a positive number of seconds, not {value!r}")


def _check_fan_out(name: str, concurrency: int, method: str, path: str, headers: Mapping[str, str] | None) -> None:
    """`invoke_many`'s arguments, checked when it is called rather than when its results are first read."""
    check_name(name)
    check_method(method)
    check_sub_path(path)
    check_headers(headers)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be an int of 1 or more, not {concurrency!r}")


def _fan_out_threads(
    call: Callable[[bytes | str], InvocationResponse],
    payloads: Iterable[bytes | str],
    concurrency: int,
    ordered: bool,
    return_exceptions: bool,
) -> Iterator[tuple[int, InvocationResponse | OpenFaaSError]]:
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(concurrency, thread_name_prefix="pyopenfaas-invoke") as pool:
        pending: collections.deque[tuple[int, concurrent.futures.Future[InvocationResponse]]] = collections.deque()
        try:
            for index, payload in enumerate(payloads):
                pending.append((index, pool.submit(call, payload)))
                if len(pending) >= concurrency:
                    yield from _drain_threads(pending, ordered, return_exceptions, keep=concurrency - 1)
            yield from _drain_threads(pending, ordered, return_exceptions, keep=0)
        finally:
            for _, future in pending:
                future.cancel()


async def _fan_out_tasks(
    call: Callable[[bytes | str], Awaitable[AsyncInvocationResponse]],
    payloads: Iterable[bytes | str],
    concurrency: int,
    ordered: bool,
    return_exceptions: bool,
) -> AsyncIterator[tuple[int, AsyncInvocationResponse | OpenFaaSError]]:
    import asyncio

    pending: collections.deque[tuple[int, asyncio.Task[AsyncInvocationResponse]]] = collections.deque()
    try:
        for index, payload in enumerate(payloads):
            pending.append((index, asyncio.ensure_future(call(payload))))
            while len(pending) >= concurrency:
                yield await _next_task(pending, ordered, return_exceptions)
        while pending:
            yield await _next_task(pending, ordered, return_exceptions)
    finally:
        for _, task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*(task for _, task in pending), return_exceptions=True)


# ---- log streams ----------------------------------------------------------------------------------------------


class LogStream:
    """Iterator of `LogEntry`, read line by line as the gateway sends them. Also a context manager that closes
    the stream; the stream also closes when exhausted. Nothing is sent until iteration or `with` starts."""

    def __init__(self, api: SyncAPI, request: httpx.Request) -> None:
        self._api = api
        self._request = request
        self._response: httpx.Response | None = None
        self._lines: Iterator[str] | None = None
        self._count = 0
        self._line = 0
        self._closed = False

    def _open(self) -> Iterator[str]:
        response = self._api.send(self._request, stream=True)
        if not response.is_success:
            response.read()
            response.close()
            raise status_error(response)
        self._response = response
        return response.iter_lines()

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> LogEntry:
        if self._closed:
            raise StopIteration
        if self._lines is None:
            self._lines = self._open()
        try:
            line = next(self._lines)
            self._line += 1
            while not line.strip():
                line = next(self._lines)
                self._line += 1
        except StopIteration:
            self.close()
            raise
        except BODY_ERRORS as exc:
            self.close()
            raise body_error(exc, self._request, f"{self._count} log entries") from exc
        self._count += 1
        try:
            return LogEntry.from_line(line, self._line)
        except OpenFaaSError:
            self.close()
            raise

    def close(self) -> None:
        self._closed = True
        if self._response is not None:
            self._response.close()

    def __enter__(self) -> Self:
        if self._lines is None and not self._closed:
            self._lines = self._open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncLogStream:
    """`LogStream` for `AsyncOpenFaaS`: an async iterator and async context manager."""

    def __init__(self, api: AsyncAPI, request: httpx.Request) -> None:
        self._api = api
        self._request = request
        self._response: httpx.Response | None = None
        self._lines: AsyncIterator[str] | None = None
        self._count = 0
        self._line = 0
        self._closed = False

    async def _open(self) -> AsyncIterator[str]:
        response = await self._api.send(self._request, stream=True)
        if not response.is_success:
            await response.aread()
            await response.aclose()
            raise status_error(response)
        self._response = response
        return response.aiter_lines()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> LogEntry:
        if self._closed:
            raise StopAsyncIteration
        if self._lines is None:
            self._lines = await self._open()
        try:
            line = await anext(self._lines)
            self._line += 1
            while not line.strip():
                line = await anext(self._lines)
                self._line += 1
        except StopAsyncIteration:
            await self.aclose()
            raise
        except BODY_ERRORS as exc:
            await self.aclose()
            raise body_error(exc, self._request, f"{self._count} log entries") from exc
        self._count += 1
        try:
            return LogEntry.from_line(line, self._line)
        except OpenFaaSError:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        self._closed = True
        if self._response is not None:
            await self._response.aclose()

    async def __aenter__(self) -> Self:
        if self._lines is None and not self._closed:
            self._lines = await self._open()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


# ---- the resources ----------------------------------------------------------------------------------------------


class Functions:
    """Functions on the gateway: `client.functions`."""

    def __init__(self, api: SyncAPI) -> None:
        self._api = api

    def list(self, namespace: str | None = None) -> list[Function]:
        """The functions deployed in `namespace` (the client's default, else the provider's)."""
        from pyopenfaas._generated.api.system import get_functions

        return _functions(self._api.call(get_functions, namespace=unset(resolve_namespace(self._api, namespace))))

    def get(self, name: str, namespace: str | None = None) -> Function:
        """One function; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import get_function_status

        check_name(name)
        ns = unset(resolve_namespace(self._api, namespace))
        return _function(self._api.call(get_function_status, name, namespace=ns))

    def deploy(
        self,
        name: str,
        image: str,
        *,
        namespace: str | None = None,
        env_process: str | None = None,
        env_vars: Mapping[str, str] | None = None,
        constraints: Sequence[str] | None = None,
        secrets: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        limits: Mapping[str, str] | None = None,
        requests: Mapping[str, str] | None = None,
        read_only_root_filesystem: bool = False,
    ) -> None:
        """Deploy a new function (`POST /system/functions`). faas-netes answers an existing one with an error;
        use `apply` to deploy or update."""
        from pyopenfaas._generated.api.system import deploy_function

        body = _deployment(
            name, image, resolve_namespace(self._api, namespace), env_process, env_vars, constraints, secrets,
            labels, annotations, limits, requests, read_only_root_filesystem,
        )  # fmt: skip
        self._api.call(deploy_function, body=body)

    def update(
        self,
        name: str,
        image: str,
        *,
        namespace: str | None = None,
        env_process: str | None = None,
        env_vars: Mapping[str, str] | None = None,
        constraints: Sequence[str] | None = None,
        secrets: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        limits: Mapping[str, str] | None = None,
        requests: Mapping[str, str] | None = None,
        read_only_root_filesystem: bool = False,
    ) -> None:
        """Update an existing function (`PUT /system/functions`); `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import update_function

        body = _deployment(
            name, image, resolve_namespace(self._api, namespace), env_process, env_vars, constraints, secrets,
            labels, annotations, limits, requests, read_only_root_filesystem,
        )  # fmt: skip
        self._api.call(update_function, body=body)

    def apply(
        self,
        name: str,
        image: str,
        *,
        namespace: str | None = None,
        env_process: str | None = None,
        env_vars: Mapping[str, str] | None = None,
        constraints: Sequence[str] | None = None,
        secrets: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        limits: Mapping[str, str] | None = None,
        requests: Mapping[str, str] | None = None,
        read_only_root_filesystem: bool = False,
    ) -> None:
        """Update the function, or deploy it when it does not exist yet (as `faas-cli deploy` does)."""
        from pyopenfaas._generated.api.system import deploy_function, update_function

        body = _deployment(
            name, image, resolve_namespace(self._api, namespace), env_process, env_vars, constraints, secrets,
            labels, annotations, limits, requests, read_only_root_filesystem,
        )  # fmt: skip
        try:
            self._api.call(update_function, body=body)
        except NotFoundError:
            self._api.call(deploy_function, body=body)

    def delete(self, name: str, namespace: str | None = None) -> None:
        """Remove a function; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import delete_function
        from pyopenfaas._generated.models import DeleteFunctionRequest

        check_name(name)
        ns = resolve_namespace(self._api, namespace)
        body = DeleteFunctionRequest(function_name=name, namespace=unset(ns))
        self._api.call(delete_function, body=body, namespace=unset(ns))

    def scale(self, name: str, replicas: int, namespace: str | None = None) -> None:
        """Set the desired replica count. The Community Edition gateway clamps it to 1..5."""
        from pyopenfaas._generated.api.system import scale_function
        from pyopenfaas._generated.models import ScaleServiceRequest

        check_name(name)
        count = check_replicas(replicas)
        ns = resolve_namespace(self._api, namespace)
        body = ScaleServiceRequest(service_name=name, replicas=count, namespace=unset(ns))
        self._api.call(scale_function, name, body=body, namespace=unset(ns))

    def wait_ready(
        self, name: str, namespace: str | None = None, timeout: float = 120.0, poll_interval: float = 0.5
    ) -> Function:
        """Poll until the function has an available replica; `FunctionNotReadyError` after `timeout` seconds."""
        check_name(name)
        _check_wait(timeout, poll_interval)
        deadline = time.monotonic() + timeout
        last: Function | None = None
        while True:
            try:
                last = self.get(name, namespace)
                if last.ready:
                    return last
            except NotFoundError:
                last = None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FunctionNotReadyError(_wait_message(name, timeout, last))
            self._api.sleep(min(poll_interval, remaining))

    def invoke(
        self,
        name: str,
        data: SyncData = None,
        *,
        json: Any = None,
        namespace: str | None = None,
        method: str = "POST",
        path: str = "",
        query: Query = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        stream: bool = False,
        raise_for_status: bool = True,
        sign: Sign | None = None,
    ) -> InvocationResponse:
        """Call a function and return its response.

        `data` is bytes, str, a binary file object or an iterator of bytes (the last two are streamed, never
        read whole). `path` is a sub-path passed to the function; `query` its query string. A non-2xx answer
        raises `FunctionError` unless `raise_for_status=False`. With `stream=True` the body is not read:
        iterate it with `iter_bytes()` and close the response (or use it in a `with` block).
        `sign=(header, key)` adds `header: sha256=<hex HMAC-SHA256 of the body>` (faas-cli `invoke --sign`);
        the body must then be bytes, str or `json`, not a stream.
        """
        request, retry_safe = _invocation(
            self._api, name, data, json, namespace, method, path, query, headers, timeout, asynchronous=False,
            sign=sign,
        )  # fmt: skip
        response = self._api.send(request, stream=stream, retry_safe=retry_safe)
        if raise_for_status and not response.is_success:
            if stream:
                response.read()
                response.close()
            raise status_error(response, function=True)
        return InvocationResponse(response)

    def invoke_async(
        self,
        name: str,
        data: SyncData = None,
        *,
        json: Any = None,
        namespace: str | None = None,
        path: str = "",
        query: Query = None,
        headers: Mapping[str, str] | None = None,
        callback_url: str | None = None,
        call_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> QueuedInvocation:
        """Queue an invocation (`/async-function/...`); the gateway answers 202 with the call's id. With
        `callback_url`, the queue worker POSTs the function's response there."""
        request = _queued_invocation(
            self._api, name, data, json, namespace, path, query, headers, callback_url, call_id, timeout,
            asynchronous=False,
        )  # fmt: skip
        return _queued(self._api.send(request, retry_safe=False), call_id)

    def invoke_many(
        self,
        name: str,
        payloads: Iterable[bytes | str],
        *,
        concurrency: int = 32,
        ordered: bool = True,
        return_exceptions: bool = False,
        namespace: str | None = None,
        method: str = "POST",
        path: str = "",
        query: Query = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> Iterator[tuple[int, InvocationResponse | OpenFaaSError]]:
        """Invoke `name` once per payload, at most `concurrency` at a time (threads), yielding
        `(index, response)` in input order, or as they complete with `ordered=False`. A failed call raises
        (after the calls in flight finish) unless `return_exceptions=True`, which yields the error instead.
        Payloads are read lazily, so an endless iterator is fine."""
        _check_fan_out(name, concurrency, method, path, headers)

        def one(payload: bytes | str) -> InvocationResponse:
            return self.invoke(
                name, payload, namespace=namespace, method=method, path=path, query=query, headers=headers,
                timeout=timeout,
            )  # fmt: skip

        return _fan_out_threads(one, payloads, concurrency, ordered, return_exceptions)

    def logs(
        self,
        name: str,
        *,
        namespace: str | None = None,
        instance: str | None = None,
        tail: int | None = None,
        follow: bool = False,
        since: Since = None,
    ) -> LogStream:
        """Stream the function's logs as `LogEntry` objects, as they arrive.

        `tail`: at most this many of the newest lines; `since`: an aware datetime, a timedelta (that long
        ago) or an RFC 3339 string; `follow`: keep the stream open for new lines (no read timeout). Use it in
        a `with` block, or close it, to end the stream early. `NotSupportedError` when the provider has no
        log support.
        """
        return LogStream(self._api, _logs_request(self._api, name, namespace, instance, tail, follow, since))


def _drain_threads(
    pending: collections.deque[tuple[int, concurrent.futures.Future[InvocationResponse]]],
    ordered: bool,
    return_exceptions: bool,
    *,
    keep: int,
) -> Iterator[tuple[int, InvocationResponse | OpenFaaSError]]:
    import concurrent.futures

    while len(pending) > keep:
        if ordered:
            index, future = pending.popleft()
        else:
            futures = [future for _, future in pending]
            done, _ = concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)
            position = next(i for i, (_, future) in enumerate(pending) if future in done)
            index, future = pending[position]
            del pending[position]
        try:
            yield index, future.result()
        except OpenFaaSError as exc:
            if not return_exceptions:
                raise
            yield index, exc


class AsyncFunctions:
    """`Functions` for `AsyncOpenFaaS`."""

    def __init__(self, api: AsyncAPI) -> None:
        self._api = api

    async def list(self, namespace: str | None = None) -> list[Function]:
        """The functions deployed in `namespace` (the client's default, else the provider's)."""
        from pyopenfaas._generated.api.system import get_functions

        return _functions(await self._api.call(get_functions, namespace=unset(resolve_namespace(self._api, namespace))))

    async def get(self, name: str, namespace: str | None = None) -> Function:
        """One function; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import get_function_status

        check_name(name)
        ns = unset(resolve_namespace(self._api, namespace))
        return _function(await self._api.call(get_function_status, name, namespace=ns))

    async def deploy(
        self,
        name: str,
        image: str,
        *,
        namespace: str | None = None,
        env_process: str | None = None,
        env_vars: Mapping[str, str] | None = None,
        constraints: Sequence[str] | None = None,
        secrets: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        limits: Mapping[str, str] | None = None,
        requests: Mapping[str, str] | None = None,
        read_only_root_filesystem: bool = False,
    ) -> None:
        """Deploy a new function (`POST /system/functions`)."""
        from pyopenfaas._generated.api.system import deploy_function

        body = _deployment(
            name, image, resolve_namespace(self._api, namespace), env_process, env_vars, constraints, secrets,
            labels, annotations, limits, requests, read_only_root_filesystem,
        )  # fmt: skip
        await self._api.call(deploy_function, body=body)

    async def update(
        self,
        name: str,
        image: str,
        *,
        namespace: str | None = None,
        env_process: str | None = None,
        env_vars: Mapping[str, str] | None = None,
        constraints: Sequence[str] | None = None,
        secrets: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        limits: Mapping[str, str] | None = None,
        requests: Mapping[str, str] | None = None,
        read_only_root_filesystem: bool = False,
    ) -> None:
        """Update an existing function (`PUT /system/functions`); `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import update_function

        body = _deployment(
            name, image, resolve_namespace(self._api, namespace), env_process, env_vars, constraints, secrets,
            labels, annotations, limits, requests, read_only_root_filesystem,
        )  # fmt: skip
        await self._api.call(update_function, body=body)

    async def apply(
        self,
        name: str,
        image: str,
        *,
        namespace: str | None = None,
        env_process: str | None = None,
        env_vars: Mapping[str, str] | None = None,
        constraints: Sequence[str] | None = None,
        secrets: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
        limits: Mapping[str, str] | None = None,
        requests: Mapping[str, str] | None = None,
        read_only_root_filesystem: bool = False,
    ) -> None:
        """Update the function, or deploy it when it does not exist yet."""
        from pyopenfaas._generated.api.system import deploy_function, update_function

        body = _deployment(
            name, image, resolve_namespace(self._api, namespace), env_process, env_vars, constraints, secrets,
            labels, annotations, limits, requests, read_only_root_filesystem,
        )  # fmt: skip
        try:
            await self._api.call(update_function, body=body)
        except NotFoundError:
            await self._api.call(deploy_function, body=body)

    async def delete(self, name: str, namespace: str | None = None) -> None:
        """Remove a function; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import delete_function
        from pyopenfaas._generated.models import DeleteFunctionRequest

        check_name(name)
        ns = resolve_namespace(self._api, namespace)
        body = DeleteFunctionRequest(function_name=name, namespace=unset(ns))
        await self._api.call(delete_function, body=body, namespace=unset(ns))

    async def scale(self, name: str, replicas: int, namespace: str | None = None) -> None:
        """Set the desired replica count. The Community Edition gateway clamps it to 1..5."""
        from pyopenfaas._generated.api.system import scale_function
        from pyopenfaas._generated.models import ScaleServiceRequest

        check_name(name)
        count = check_replicas(replicas)
        ns = resolve_namespace(self._api, namespace)
        body = ScaleServiceRequest(service_name=name, replicas=count, namespace=unset(ns))
        await self._api.call(scale_function, name, body=body, namespace=unset(ns))

    async def wait_ready(
        self, name: str, namespace: str | None = None, timeout: float = 120.0, poll_interval: float = 0.5
    ) -> Function:
        """Poll until the function has an available replica; `FunctionNotReadyError` after `timeout` seconds."""
        check_name(name)
        _check_wait(timeout, poll_interval)
        deadline = time.monotonic() + timeout
        last: Function | None = None
        while True:
            try:
                last = await self.get(name, namespace)
                if last.ready:
                    return last
            except NotFoundError:
                last = None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FunctionNotReadyError(_wait_message(name, timeout, last))
            await self._api.sleep(min(poll_interval, remaining))

    async def invoke(
        self,
        name: str,
        data: AsyncData = None,
        *,
        json: Any = None,
        namespace: str | None = None,
        method: str = "POST",
        path: str = "",
        query: Query = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        stream: bool = False,
        raise_for_status: bool = True,
        sign: Sign | None = None,
    ) -> AsyncInvocationResponse:
        """Call a function and return its response (see `Functions.invoke`); `data` may also be an async
        iterator of bytes."""
        request, retry_safe = _invocation(
            self._api, name, data, json, namespace, method, path, query, headers, timeout, asynchronous=True,
            sign=sign,
        )  # fmt: skip
        response = await self._api.send(request, stream=stream, retry_safe=retry_safe)
        if raise_for_status and not response.is_success:
            if stream:
                await response.aread()
                await response.aclose()
            raise status_error(response, function=True)
        return AsyncInvocationResponse(response)

    async def invoke_async(
        self,
        name: str,
        data: AsyncData = None,
        *,
        json: Any = None,
        namespace: str | None = None,
        path: str = "",
        query: Query = None,
        headers: Mapping[str, str] | None = None,
        callback_url: str | None = None,
        call_id: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> QueuedInvocation:
        """Queue an invocation (`/async-function/...`); see `Functions.invoke_async`."""
        request = _queued_invocation(
            self._api, name, data, json, namespace, path, query, headers, callback_url, call_id, timeout,
            asynchronous=True,
        )  # fmt: skip
        return _queued(await self._api.send(request, retry_safe=False), call_id)

    def invoke_many(
        self,
        name: str,
        payloads: Iterable[bytes | str],
        *,
        concurrency: int = 32,
        ordered: bool = True,
        return_exceptions: bool = False,
        namespace: str | None = None,
        method: str = "POST",
        path: str = "",
        query: Query = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
    ) -> AsyncIterator[tuple[int, AsyncInvocationResponse | OpenFaaSError]]:
        """Invoke `name` once per payload, at most `concurrency` at a time, yielding `(index, response)` in
        input order, or as they complete with `ordered=False` (see `Functions.invoke_many`)."""
        _check_fan_out(name, concurrency, method, path, headers)

        async def one(payload: bytes | str) -> AsyncInvocationResponse:
            return await self.invoke(
                name, payload, namespace=namespace, method=method, path=path, query=query, headers=headers,
                timeout=timeout,
            )  # fmt: skip

        return _fan_out_tasks(one, payloads, concurrency, ordered, return_exceptions)

    def logs(
        self,
        name: str,
        *,
        namespace: str | None = None,
        instance: str | None = None,
        tail: int | None = None,
        follow: bool = False,
        since: Since = None,
    ) -> AsyncLogStream:
        """Stream the function's logs (see `Functions.logs`): an async iterator and async context manager."""
        return AsyncLogStream(self._api, _logs_request(self._api, name, namespace, instance, tail, follow, since))


async def _next_task(
    pending: collections.deque[tuple[int, asyncio.Task[AsyncInvocationResponse]]],
    ordered: bool,
    return_exceptions: bool,
) -> tuple[int, AsyncInvocationResponse | OpenFaaSError]:
    import asyncio

    if ordered:
        index, task = pending.popleft()
        await asyncio.wait([task])
    else:
        done, _ = await asyncio.wait([task for _, task in pending], return_when=asyncio.FIRST_COMPLETED)
        position = next(i for i, (_, task) in enumerate(pending) if task in done)
        index, task = pending[position]
        del pending[position]
    error = task.exception()
    if error is None:
        return index, task.result()
    if return_exceptions and isinstance(error, OpenFaaSError):
        return index, error
    raise error
