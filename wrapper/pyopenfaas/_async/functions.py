"""`client.functions`: deploy, inspect, scale, invoke and watch functions."""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncGenerator, Iterable, Mapping
from typing import Any, Literal, Unpack, overload

import httpx

from .._bodies import async_request_body
from .._defaults import DEFAULT_CONCURRENCY, DEFAULT_POLL_INTERVAL, DEFAULT_READY_TIMEOUT
from .._errors import FunctionNotReadyError, NotFoundError, OpenFaaSError, status_error
from .._fanout import FanOutOptions, fan_out_tasks
from .._functions import (
    FunctionAuth,
    check_fan_out,
    check_function_auth,
    check_wait,
    deployment,
    invocation_request,
    json_null_headers,
    logs_request,
    opt_in_error,
    queued,
    queued_request,
    wait_message,
)
from .._http import authorize
from .._models import DeployOptions, Function, QueuedInvocation
from .._signing import Sign, sign_body
from .._types import NOT_GIVEN, AsyncData, NotGiven, Query, Since, TimeoutTypes
from .._validation import check_name, check_replicas
from .engine import AsyncEngine
from .logs import AsyncLogStream
from .response import AsyncInvocationResponse


class AsyncFunctions:
    """Functions on the gateway: `client.functions`."""

    def __init__(self, api: AsyncEngine) -> None:
        self._api = api

    async def list(self, namespace: str | None = None) -> list[Function]:
        """The functions deployed in `namespace` (the client's default, else the provider's)."""
        from pyopenfaas._generated.api.system import get_functions

        spec = get_functions.request(namespace=self._api.namespace(namespace))
        return await self._api.call(spec)

    async def get(self, name: str, namespace: str | None = None, *, usage: bool = False) -> Function:
        """One function; `NotFoundError` when it does not exist. `usage=True` asks for its resource usage
        (`?usage=1`, as `faas-cli describe` does): OpenFaaS Pro fills `Function.usage`; the Community Edition
        providers ignore the request and it stays `None`."""
        from pyopenfaas._generated.api.system import get_function_status

        check_name(name)
        if not isinstance(usage, bool):
            raise TypeError(f"usage must be a bool, not {type(usage).__name__}")
        spec = get_function_status.request(name, namespace=self._api.namespace(namespace), usage="1" if usage else None)
        return await self._api.call(spec)

    async def deploy(self, name: str, image: str, **options: Unpack[DeployOptions]) -> None:
        """Deploy a new function (`POST /system/functions`). faas-netes answers an existing one with an error;
        use `apply` to deploy or update. Options: `DeployOptions` (`namespace` defaults to the client's)."""
        from pyopenfaas._generated.api.system import deploy_function

        await self._api.call(deploy_function.request(body=deployment(self._api, name, image, options)))

    async def update(self, name: str, image: str, **options: Unpack[DeployOptions]) -> None:
        """Update an existing function (`PUT /system/functions`); `NotFoundError` when it does not exist. The
        options are `deploy`'s."""
        from pyopenfaas._generated.api.system import update_function

        await self._api.call(update_function.request(body=deployment(self._api, name, image, options)))

    async def apply(self, name: str, image: str, **options: Unpack[DeployOptions]) -> None:
        """Update the function, or deploy it when it does not exist yet (as `faas-cli deploy` does). The options
        are `deploy`'s."""
        from pyopenfaas._generated.api.system import deploy_function, update_function

        body = deployment(self._api, name, image, options)
        try:
            await self._api.call(update_function.request(body=body))
        except NotFoundError:
            await self._api.call(deploy_function.request(body=body))

    async def delete(self, name: str, namespace: str | None = None) -> None:
        """Remove a function; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import delete_function
        from pyopenfaas._generated.models import DeleteFunctionRequest

        check_name(name)
        ns = self._api.namespace(namespace)
        body = DeleteFunctionRequest(function_name=name, namespace=ns)
        await self._api.call(delete_function.request(body=body, namespace=ns))

    async def scale(self, name: str, replicas: int, namespace: str | None = None) -> None:
        """Set the desired replica count. The Community Edition gateway clamps it to 1..5."""
        from pyopenfaas._generated.api.system import scale_function
        from pyopenfaas._generated.models import ScaleServiceRequest

        check_name(name)
        count = check_replicas(replicas)
        ns = self._api.namespace(namespace)
        body = ScaleServiceRequest(service_name=name, replicas=count, namespace=ns)
        await self._api.call(scale_function.request(name, body=body, namespace=ns))

    async def wait_ready(
        self,
        name: str,
        namespace: str | None = None,
        *,
        timeout: float = DEFAULT_READY_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
    ) -> Function:
        """Poll until the function has an available replica; `FunctionNotReadyError` after `timeout` seconds,
        `NotFoundError` at once when the function does not exist."""
        check_name(name)
        check_wait(timeout, poll_interval)
        deadline = time.monotonic() + timeout
        while True:
            last = await self.get(name, namespace)
            if last.ready:
                return last
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FunctionNotReadyError(wait_message(name, timeout, last))
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
        function_auth: bool | None = None,
    ) -> AsyncInvocationResponse:
        """Call a function and return its response.

        `data` is bytes, str, a binary file object or an iterator of bytes (the last two are streamed, never
        read whole). `path` is a sub-path passed to the function; `query` its query string. A non-2xx answer
        raises `FunctionError` unless `raise_for_status=False`. With `stream=True` the body is not read:
        iterate it with `iter_bytes()` and close the response (or use it in a `with` block).
        `data` may also be an async iterator of bytes.
        `sign=(header, key)` adds `header: sha256=<hex HMAC-SHA256 of the body>`, as `faas-cli invoke --sign`
        does since 0.17.1; `sign=(header, key, "sha1")` sends `sha1=<hex HMAC-SHA1>`, as older faas-cli did. The
        body must then be bytes, str or `json`, not a stream.

        OpenFaaS IAM: `function_auth=True` (default: the client's `function_auth`) sends a token scoped to this
        function, exchanged from the client's gateway token and cached until near its expiry. Otherwise a
        function that answers 401 with realm `IAM function invoke` is called once more with such a token (as
        faas-cli does), when the client has IAM credentials and the body can be sent again (not a file or an
        iterator); `function_auth=False` turns function tokens off for the call.
        """
        body = async_request_body(data, json)
        if sign is not None:
            body = sign_body(sign, body)
        request, retry_safe = invocation_request(
            self._api, name, body, namespace, method, path, query, headers, timeout
        )
        auth = None
        if function_auth is not None or self._api.iam is not None:  # a client without IAM pays nothing here
            auth = await self._function_auth(function_auth, request, headers, name, namespace)
        response = await self._api.send(request, stream=stream, retry_safe=retry_safe)
        if auth is not None and auth.refused(response):
            if retry_safe is None:  # the body can be sent again
                await response.aclose()
                token = await self._api.function_token(auth.namespace, name)
                authorize(request, token)
                response = await self._api.send(request, stream=stream, retry_safe=retry_safe)
            elif raise_for_status and auth.token is None:
                await response.aread()
                await response.aclose()
                raise opt_in_error(response)
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
        function_auth: bool | None = None,
    ) -> QueuedInvocation:
        """Queue an invocation (`/async-function/...`); the gateway answers 202 with the call's id. With
        `callback_url`, the queue worker POSTs the function's response there. `function_auth=True` queues the
        call with a function token (see `invoke`), which the queue worker passes on to the function."""
        body = async_request_body(data, json)
        request = queued_request(self._api, name, body, namespace, path, query, headers, callback_url, call_id, timeout)
        if function_auth is not None or self._api.iam is not None:
            await self._function_auth(function_auth, request, headers, name, namespace)
        return queued(await self._api.send(request, retry_safe=False), call_id)

    async def _function_auth(
        self,
        function_auth: bool | None,
        request: httpx.Request,
        headers: Mapping[str, str] | None,
        name: str,
        namespace: str | None,
    ) -> FunctionAuth | None:
        """Put the function's token on `request` when the call wants one (or the function earned one);
        `headers` are the caller's."""
        auth = FunctionAuth.plan(self._api, function_auth, headers, name, namespace)
        if auth is not None and auth.wanted:
            auth.token = await self._api.function_token(auth.namespace, name)
        if auth is not None and auth.token is not None:
            authorize(request, auth.token)
        return auth

    @overload
    def invoke_many(
        self,
        name: str,
        payloads: Iterable[bytes | str],
        *,
        return_exceptions: Literal[False] = False,
        **options: Unpack[FanOutOptions],
    ) -> AsyncGenerator[tuple[int, AsyncInvocationResponse], None]: ...

    @overload
    def invoke_many(
        self,
        name: str,
        payloads: None = None,
        *,
        json_payloads: Iterable[Any],
        return_exceptions: Literal[False] = False,
        **options: Unpack[FanOutOptions],
    ) -> AsyncGenerator[tuple[int, AsyncInvocationResponse], None]: ...

    @overload
    def invoke_many(
        self, name: str, payloads: Iterable[bytes | str], *, return_exceptions: bool, **options: Unpack[FanOutOptions]
    ) -> AsyncGenerator[tuple[int, AsyncInvocationResponse | OpenFaaSError], None]: ...

    @overload
    def invoke_many(
        self,
        name: str,
        payloads: None = None,
        *,
        json_payloads: Iterable[Any],
        return_exceptions: bool,
        **options: Unpack[FanOutOptions],
    ) -> AsyncGenerator[tuple[int, AsyncInvocationResponse | OpenFaaSError], None]: ...

    def invoke_many(
        self,
        name: str,
        payloads: Iterable[bytes | str] | None = None,
        *,
        json_payloads: Iterable[Any] | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        ordered: bool = True,
        return_exceptions: bool = False,
        namespace: str | None = None,
        method: str = "POST",
        path: str = "",
        query: Query = None,
        headers: Mapping[str, str] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        function_auth: bool | None = None,
    ) -> AsyncGenerator[tuple[int, AsyncInvocationResponse | OpenFaaSError], None]:
        """Invoke `name` once per payload, at most `concurrency` at a time (tasks), yielding
        `(index, response)` in input order, or as they complete with `ordered=False`. A failed call raises
        (and the calls in flight are cancelled) unless `return_exceptions=True`, which yields the error instead.
        `payloads` are bytes or str bodies; `json_payloads` (instead) are JSON-serialisable values, each sent
        as `invoke(json=...)` sends one (`Content-Type: application/json`). Payloads are read lazily, so an
        endless iterator is fine."""
        check_fan_out(name, concurrency, method, path, headers, payloads, json_payloads)
        check_function_auth(self._api, function_auth, headers)

        one = functools.partial(
            self.invoke, name, namespace=namespace, method=method, path=path, query=query, headers=headers,
            timeout=timeout, function_auth=function_auth,
        )  # fmt: skip
        if json_payloads is not None:
            null = json_null_headers(headers)  # `json=None` is no body: JSON's null goes as bytes
            return fan_out_tasks(
                lambda item: one(json=item) if item is not None else one(b"null", headers=null),
                json_payloads, concurrency, ordered, return_exceptions,
            )  # fmt: skip
        assert payloads is not None  # check_fan_out: one of the two
        return fan_out_tasks(one, payloads, concurrency, ordered, return_exceptions)

    def logs(
        self,
        name: str,
        *,
        namespace: str | None = None,
        instance: str | None = None,
        tail: int | None = None,
        follow: bool = False,
        since: Since = None,
        idle_timeout: float | None = None,
    ) -> AsyncLogStream:
        """Stream the function's logs as `LogEntry` objects, as they arrive.

        `tail`: at most this many of the newest lines; `since`: an aware datetime, a timedelta (that long
        ago) or an RFC 3339 string; `follow`: keep the stream open for new lines. `idle_timeout`: the longest
        wait, in seconds, for the answer and then for each next line, else `APITimeoutError`; by default the
        client's read timeout, and none with `follow` (a function may be quiet for hours). The client's
        connect, write and pool timeouts always apply. Use it in a `with` block, or close it (from any
        thread), to end the stream early. `NotSupportedError` when the gateway answers 501: the provider
        has no log support, or does not know the function.
        """
        request = logs_request(self._api, name, namespace, instance, tail, follow, since, idle_timeout)
        return AsyncLogStream(self._api, request, name)
