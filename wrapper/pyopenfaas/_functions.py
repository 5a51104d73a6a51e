"""`client.functions`, the wire side: deployment bodies, invocation and log requests, and the results read back.
The methods themselves are in `_async/functions.py` (and its generated sync twin)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from ._bodies import Body
from ._config import no_function_auth
from ._engine import EngineBase
from ._errors import APIStatusError, status_error
from ._models import Function, QueuedInvocation
from ._oauth import FUNCTION_REALM, realm
from ._types import NotGiven, Query, Since, TimeoutTypes, as_timeout
from ._validation import (
    check_bool,
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
    from pyopenfaas._generated.models.function_deployment import DeployOptions, FunctionDeployment


def deployment(engine: EngineBase, name: str, image: str, options: DeployOptions) -> FunctionDeployment:
    """The body `deploy`, `update` and `apply` send: an unknown option is a TypeError (as any keyword a function
    does not take), each known one checked; `namespace` is the client's when not given."""
    from pyopenfaas._generated.models.function_deployment import DeployOptions, FunctionDeployment

    check_name(name)
    check_image(image)
    unknown = options.keys() - DeployOptions.__optional_keys__
    if unknown:
        known = ", ".join(DeployOptions.__annotations__)
        raise TypeError(f"unexpected keyword argument {min(unknown)!r}: the deployment options are {known}")
    fields: dict[str, Any] = {key: _OPTION_CHECKS.get(key, _as_is)(value, key) for key, value in options.items()}
    fields["namespace"] = engine.namespace(options.get("namespace"))
    given = {key: value for key, value in fields.items() if value is not None}
    return FunctionDeployment(service=name, image=image, **given)


def _as_is(value: object, what: str) -> object:
    return value


def _str_or_none(value: object, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    return value


# How each field of DeployOptions is checked: a field new in openapi.yaml is sent as given until it has an entry
# here (a test gives each field of the generated type a value of the wrong type). `namespace` is the engine's.
_OPTION_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "env_process": _str_or_none,
    "env_vars": check_string_map,
    "constraints": check_strings,
    "secrets": check_strings,
    "labels": check_string_map,
    "annotations": check_string_map,
    "limits": check_resources,
    "requests": check_resources,
    "read_only_root_filesystem": check_bool,
}


def _invocation_target(engine: EngineBase, prefix: str, name: str, namespace: str | None, path: str) -> str:
    check_name(name)
    ns = engine.namespace(namespace)
    return f"{prefix}/{name}{'.' + ns if ns else ''}{check_sub_path(path)}"


def _merge_headers(defaults: Mapping[str, str], given: Mapping[str, str]) -> Mapping[str, str]:
    """The caller's headers over pyopenfaas's defaults, names compared without case."""
    if not defaults or not given:  # nothing to merge: spares parsing them twice
        return given or defaults
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


_OWN_AUTHORIZATION = "function_auth=True sets the Authorization header: do not pass one in headers"


@dataclass(slots=True)
class FunctionAuth:
    """OpenFaaS IAM for one invocation: whether to get the function's token up front, and the token to send."""

    engine: EngineBase
    name: str
    namespace: str | None
    own_authorization: bool  # the caller set Authorization: leave it alone
    wanted: bool
    token: str | None = None

    @classmethod
    def plan(
        cls,
        engine: EngineBase,
        function_auth: bool | None,
        headers: Mapping[str, str] | None,
        name: str,
        namespace: str | None,
    ) -> FunctionAuth | None:
        """None when no function token can be involved: no IAM credentials, or `function_auth=False`. Without
        opting in, a fresh token the function earned on an earlier call is sent (it demands one). `headers` are
        the caller's."""
        check_function_auth(engine, function_auth, headers)
        own_authorization = headers is not None and any(key.lower() == "authorization" for key in headers)
        if engine.iam is None or function_auth is False:
            return None
        ns = engine.namespace(namespace)
        wanted = engine.settings.function_auth if function_auth is None else function_auth
        known = None if wanted or own_authorization else engine.iam.known_function_token(ns, name)
        return cls(engine, name, ns, own_authorization, wanted, known)

    def refused(self, response: httpx.Response) -> bool:
        """faas-middleware refused the call (401, realm `IAM function invoke`) and a function token can answer
        it: the caller did not set `Authorization` itself (faas-cli's retry). A token that was sent is dropped."""
        if response.status_code != 401 or self.own_authorization or realm(response) != FUNCTION_REALM:
            return False
        if self.token is not None and self.engine.iam is not None:
            self.engine.iam.function_cache(self.namespace, self.name).drop(self.token)
        return True


def check_function_auth(engine: EngineBase, function_auth: bool | None, headers: Mapping[str, str] | None) -> None:
    """`function_auth` is a bool or None, and True only on a client with IAM credentials and no `Authorization`
    header of the caller's."""
    if function_auth is not None and not isinstance(function_auth, bool):
        raise TypeError(f"function_auth must be a bool or None, not {function_auth!r}")
    if not function_auth:
        return
    if engine.iam is None:
        raise no_function_auth(engine.settings.auth_kind, engine.settings.looked_at)
    if headers is not None and any(key.lower() == "authorization" for key in headers):
        raise ValueError(_OWN_AUTHORIZATION)


def opt_in_error(response: httpx.Response) -> APIStatusError:
    """The function's 401, saying why it was not answered with a function token (the body was a stream)."""
    error = status_error(response, function=True)
    error.args = (
        f"{error.args[0]} (the function requires a function token, and a streamed body cannot be sent twice: "
        "pass function_auth=True to get the token before sending)",
    )
    return error


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
    idle_timeout: float | None,
) -> httpx.Request:
    from pyopenfaas._generated.api.system import get_function_logs

    check_name(name)
    if instance is not None and (not isinstance(instance, str) or not instance):
        raise ValueError(f"instance must be a non-empty str, not {instance!r}")
    check_bool(follow, "follow")
    tail = check_tail(tail)
    if idle_timeout is not None and (
        isinstance(idle_timeout, bool) or not isinstance(idle_timeout, int | float) or not idle_timeout > 0
    ):
        raise ValueError(f"idle_timeout must be a positive number of seconds, or None; not {idle_timeout!r}")
    spec = get_function_logs.request(
        name=name,
        namespace=engine.namespace(namespace),
        instance=instance,
        tail=tail,
        follow=follow,
        since=since_moment(since),
    )
    request = engine.build_generated(spec)
    if follow or idle_timeout is not None:
        # The read timeout is the longest wait for the next line. A followed stream may be quiet for as long
        # as the function is: none, unless the caller gives one.
        timeout = dict(request.extensions["timeout"])
        timeout["read"] = idle_timeout
        request.extensions["timeout"] = timeout
    return request


def wait_message(name: str, timeout: float, last: Function) -> str:
    state = f"{last.available_replicas}/{last.replicas} replicas available"
    return f"function {name!r} was not ready after {timeout:g} s ({state})"


def check_wait(timeout: float, poll_interval: float) -> None:
    for label, value in (("timeout", timeout), ("poll_interval", poll_interval)):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{label} must be a positive number of seconds, not {value!r}")


def json_null_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """The caller's headers for a JSON `null` body sent as bytes: with `Content-Type: application/json`, as
    `json=` would send it, unless the caller chose a type."""
    given = dict(headers or {})
    if not any(key.lower() == "content-type" for key in given):
        given["Content-Type"] = "application/json"
    return given


def check_fan_out(
    name: str,
    concurrency: int,
    method: str,
    path: str,
    headers: Mapping[str, str] | None,
    payloads: object,
    json_payloads: object,
) -> None:
    """`invoke_many`'s arguments, checked when it is called rather than when its results are first read."""
    if (payloads is None) == (json_payloads is None):
        raise ValueError("give payloads (bytes or str bodies) or json_payloads (JSON values), one of the two")
    given, label = (payloads, "payloads") if json_payloads is None else (json_payloads, "json_payloads")
    if isinstance(given, str | bytes | bytearray | memoryview | Mapping) or not isinstance(given, Iterable):
        raise TypeError(f"{label} must be an iterable of bodies, one per call, not a {type(given).__name__}")
    check_name(name)
    check_method(method)
    check_sub_path(path)
    check_headers(headers)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be an int of 1 or more, not {concurrency!r}")
