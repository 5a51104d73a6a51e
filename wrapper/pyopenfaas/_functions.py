"""`client.functions`, the wire side: deployment bodies, invocation and log requests, and the results read back.
The methods themselves are in `_async/functions.py` (and its generated sync twin)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from ._bodies import Body
from ._engine import EngineBase
from ._errors import status_error
from ._models import Function, QueuedInvocation
from ._types import NotGiven, Query, Since, TimeoutTypes, as_timeout
from ._validation import (
    check_call_id,
    check_callback_url,
    check_headers,
    check_image,
    check_method,
    check_name,
    check_resources,
    check_string_map,
    check_strings,
    check_sub_path,
    check_tail,
    since_moment,
)

if TYPE_CHECKING:
    from pyopenfaas._generated.models import FunctionDeployment


def deployment(
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
        "namespace": namespace,
        "env_process": env_process,
        "env_vars": check_string_map(env_vars, "env_vars"),
        "constraints": check_strings(constraints, "constraints"),
        "secrets": check_strings(secrets, "secrets"),
        "labels": check_string_map(labels, "labels"),
        "annotations": check_string_map(annotations, "annotations"),
        "limits": check_resources(limits, "limits"),
        "requests": check_resources(requests, "requests"),
        "read_only_root_filesystem": read_only_root_filesystem,
    }
    given = {key: value for key, value in fields.items() if value is not None}
    return FunctionDeployment(service=check_name(name), image=check_image(image), **given)


def _invocation_target(engine: EngineBase, prefix: str, name: str, namespace: str | None, path: str) -> str:
    check_name(name)
    ns = engine.namespace(namespace)
    return f"{prefix}/{name}{'.' + ns if ns else ''}{check_sub_path(path)}"


def _merge_headers(defaults: Mapping[str, str], given: Mapping[str, str]) -> httpx.Headers:
    """The caller's headers over pyopenfaas's defaults, names compared without case."""
    headers = httpx.Headers(defaults)
    headers.update(given)
    return headers


def invocation_request(
    engine: EngineBase,
    name: str,
    body: Body,
    namespace: str | None,
    method: str,
    path: str,
    query: Query,
    headers: Mapping[str, str] | None,
    timeout: TimeoutTypes | NotGiven,
) -> tuple[httpx.Request, bool | None]:
    """The request of a synchronous invocation, and whether it may be retried (None: as its method says;
    False: its body is a stream that cannot be sent twice)."""
    verb = check_method(method)
    target = _invocation_target(engine, "/function", name, namespace, path)
    extra = check_headers(headers)
    content, body_headers, replayable = body
    request = engine.build(
        verb,
        target,
        params=query,
        headers=_merge_headers(body_headers, extra),
        timeout=as_timeout(timeout, engine.timeout),
        **content,
    )
    return request, None if replayable else False


def queued_request(
    engine: EngineBase,
    name: str,
    body: Body,
    namespace: str | None,
    path: str,
    query: Query,
    headers: Mapping[str, str] | None,
    callback_url: str | None,
    call_id: str | None,
    timeout: TimeoutTypes | NotGiven,
) -> httpx.Request:
    target = _invocation_target(engine, "/async-function", name, namespace, path)
    extra = check_headers(headers)
    if callback_url is not None:
        extra["X-Callback-Url"] = check_callback_url(callback_url)
    if call_id is not None:
        extra["X-Call-Id"] = check_call_id(call_id)
    content, body_headers, _ = body
    return engine.build(
        "POST",
        target,
        params=query,
        headers=_merge_headers(body_headers, extra),
        timeout=as_timeout(timeout, engine.timeout),
        **content,
    )


def queued(response: httpx.Response, call_id: str | None) -> QueuedInvocation:
    if not response.is_success:
        raise status_error(response)
    return QueuedInvocation(
        call_id=response.headers.get("X-Call-Id") or call_id, status_code=response.status_code, headers=response.headers
    )


def logs_request(
    engine: EngineBase,
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
    spec = get_function_logs.request(
        name=name,
        namespace=engine.namespace(namespace),
        instance=instance,
        tail=tail,
        follow=follow,
        since=since_moment(since),
    )
    request = engine.build_generated(spec)
    if follow:
        # A followed stream may be quiet for as long as the function is: no read timeout.
        timeout = dict(request.extensions["timeout"])
        timeout["read"] = None
        request.extensions["timeout"] = timeout
    return request


def wait_message(name: str, timeout: float, last: Function) -> str:
    state = f"{last.available_replicas}/{last.replicas} replicas available"
    return f"function {name!r} was not ready after {timeout:g} s ({state})"


def check_wait(timeout: float, poll_interval: float) -> None:
    for label, value in (("timeout", timeout), ("poll_interval", poll_interval)):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{label} must be a positive number of seconds, not {value!r}")


def check_fan_out(name: str, concurrency: int, method: str, path: str, headers: Mapping[str, str] | None) -> None:
    """`invoke_many`'s arguments, checked when it is called rather than when its results are first read."""
    check_name(name)
    check_method(method)
    check_sub_path(path)
    check_headers(headers)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be an int of 1 or more, not {concurrency!r}")
