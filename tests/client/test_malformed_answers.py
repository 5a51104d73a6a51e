"""Malformed answers: whatever the gateway (or a proxy in front of it) sends back, a read operation returns a
result or raises an `OpenFaaSError` subclass. Never KeyError, AttributeError, TypeError, ValueError or
anything else from parsing, and never a hang (the conftest watchdog turns a hang into a failure).

Answers are served in-process by httpx.MockTransport, so hundreds of examples per operation take seconds.
Every field and property of every result is read. At the end, answers that break openapi.yaml in one field, served
by the contract gateway (which confirms that each really breaks the spec), raise APIResponseValidationError naming
what is wrong, on every client kind.
"""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Callable
from typing import Any

import httpx
import msgspec
import pytest
from hypothesis import HealthCheck, given, note, settings
from pyopenfaas import (
    APIResponseValidationError,
    APIStatusError,
    AsyncInvocationResponse,
    AsyncOpenFaaS,
    Function,
    InternalServerError,
    InvocationResponse,
    OpenFaaS,
    OpenFaaSError,
)

from tests import payloads
from tests.client.answers import DEEP, SHAPES, VALID_FUNCTION, VALID_LOG_LINE, Answer, answers
from tests.contract.server import Gateway
from tests.support import stats
from tests.support.clients import HTTPX_KINDS, Client, resolve

EXAMPLES = 200  # per read operation and client: the issue asks for at least 200
OPERATIONS = sorted(SHAPES)
GATEWAY = "http://gateway.test:8080"
FUNCTION_PROPERTIES = sorted(name for name, value in vars(Function).items() if isinstance(value, property))

hardening_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def touch(value: object) -> None:
    """Read everything a caller could read from a result."""
    if isinstance(value, list):
        for item in value:
            touch(item)
    elif isinstance(value, msgspec.Struct):
        for name in FUNCTION_PROPERTIES if isinstance(value, Function) else ():
            getattr(value, name)
        for name in value.__struct_fields__:
            touch(getattr(value, name))
        repr(value)
        value.to_dict()  # type: ignore[attr-defined]  # every generated struct has one


def sync_client(answer: Answer | Callable[[httpx.Request], httpx.Response]) -> OpenFaaS:
    handler = answer.response if isinstance(answer, Answer) else answer
    client = OpenFaaS(GATEWAY, password="hunter2", env={}, transport=httpx.MockTransport(handler))
    client._api.sleep = lambda seconds: None  # 502/503/504 are retried: no waiting
    return client


def async_client(answer: Answer | Callable[[httpx.Request], httpx.Response]) -> AsyncOpenFaaS:
    handler = answer.response if isinstance(answer, Answer) else answer

    async def no_sleep(seconds: float) -> None:
        return None

    client = AsyncOpenFaaS(GATEWAY, password="hunter2", env={}, transport=httpx.MockTransport(handler))
    client._api.sleep = no_sleep
    return client


def run_sync(client: OpenFaaS, operation: str) -> object:
    if operation == "functions.list":
        return client.functions.list()
    if operation == "functions.get":
        return client.functions.get("figlet")
    if operation == "secrets.list":
        return client.secrets.list()
    if operation == "namespaces.list":
        return client.namespaces.list()
    if operation == "namespaces.get":
        return client.namespaces.get("openfaas-fn")
    if operation == "info":
        return client.info()
    if operation == "health":
        return client.health()
    assert operation == "logs"
    with client.functions.logs("figlet", tail=10) as stream:
        return list(stream)


async def run_async(client: AsyncOpenFaaS, operation: str) -> object:
    if operation == "functions.list":
        return await client.functions.list()
    if operation == "functions.get":
        return await client.functions.get("figlet")
    if operation == "secrets.list":
        return await client.secrets.list()
    if operation == "namespaces.list":
        return await client.namespaces.list()
    if operation == "namespaces.get":
        return await client.namespaces.get("openfaas-fn")
    if operation == "info":
        return await client.info()
    if operation == "health":
        return await client.health()
    assert operation == "logs"
    async with client.functions.logs("figlet", tail=10) as stream:
        return [entry async for entry in stream]


def check(answer: Answer, result: object, error: OpenFaaSError | None) -> None:
    """What the caller got is consistent with what the gateway said."""
    if error is None:
        assert 200 <= answer.status < 300, f"a {answer.status} answer was taken for success: {result!r}"
        return
    assert str(error)
    repr(error)
    if answer.honest_encoding and not 200 <= answer.status < 300:  # a 3xx too: redirects are not followed
        assert isinstance(error, APIStatusError), f"{answer.status} answer raised {error!r}"
        assert error.status_code == answer.status


def summary(value: object) -> str:
    """A comparable picture of a result (NaN-safe: Function compares its JSON form)."""
    if isinstance(value, Function):
        return json.dumps(value.to_dict(), sort_keys=True)
    if isinstance(value, list):
        return "[" + ", ".join(summary(item) for item in value) + "]"
    return repr(value)


def _property(operation: str) -> Callable[..., Any]:
    # The answer is drawn by @given before the coroutine runs (not with st.data() inside it): a draw that
    # overruns raises hypothesis's StopTest, which must not happen inside the anyio runner's task.
    @pytest.mark.anyio
    @hardening_settings
    @given(answer=answers(operation))
    async def test(answer: Answer) -> None:
        note(f"answer: {answer!r}")  # the anyio wrapper hides @given's arguments in the failure report
        stats.add(f"malformed answers tried, each on both clients: {operation}")
        outcomes: list[tuple[object, OpenFaaSError | None]] = []
        with sync_client(answer) as client:
            try:
                result = run_sync(client, operation)
                touch(result)
                outcomes.append((result, None))
            except OpenFaaSError as exc:
                outcomes.append((None, exc))
        async with async_client(answer) as aclient:
            try:
                result = await run_async(aclient, operation)
                touch(result)
                outcomes.append((result, None))
            except OpenFaaSError as exc:
                outcomes.append((None, exc))
        for result, error in outcomes:
            check(answer, result, error)
        (sync_result, sync_error), (async_result, async_error) = outcomes
        assert type(sync_error) is type(async_error), f"the twins disagree: {sync_error!r} / {async_error!r}"
        assert summary(sync_result) == summary(async_result)

    test.__doc__ = f"{operation}: both clients agree on {EXAMPLES} malformed answers, and raise only OpenFaaSError."
    made: Callable[..., Any] = test
    return made


# One test per read operation, each with EXAMPLES answers, each answer served to both clients.
for _operation in OPERATIONS:
    globals()[f"test_{_operation.replace('.', '_')}_survives_malformed_answers"] = _property(_operation)


# ---- sanity: the harness can tell a good answer from a bad one ------------------------------------------------


GOOD_BODIES: dict[str, object] = {
    "functions.list": [VALID_FUNCTION],
    "functions.get": VALID_FUNCTION,
    "secrets.list": [{"name": "db-password", "namespace": "openfaas-fn"}],
    "namespaces.list": ["openfaas-fn"],
    "namespaces.get": {"name": "openfaas-fn", "labels": {"openfaas": "1"}},
    "info": {
        "provider": {"provider": "faasd-ce", "orchestration": "containerd", "version": None},
        "version": {"release": "0.27.0", "sha": "abc"},
        "arch": "amd64",
    },
    "health": "OK",
}


# The operations whose 2xx body goes through the generated client's parser.
GENERATED_PARSERS = ["info", "namespaces.get", "namespaces.list", "secrets.list"]


def _good(operation: str) -> Answer:
    if operation == "logs":
        return Answer(200, (), json.dumps(VALID_LOG_LINE).encode() + b"\n", "good")
    return Answer(200, (("Content-Type", "application/json"),), json.dumps(GOOD_BODIES[operation]).encode(), "good")


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_good_answer_is_a_result(operation: str) -> None:
    with sync_client(_good(operation)) as client:
        result = run_sync(client, operation)
    touch(result)
    assert result


@pytest.mark.anyio
@pytest.mark.parametrize("operation", OPERATIONS)
async def test_a_good_answer_is_a_result_async(operation: str) -> None:
    async with async_client(_good(operation)) as client:
        result = await run_async(client, operation)
    touch(result)
    assert result


# ---- targeted cases: the bugs these found are fixed (c64f16e); they stay as regression tests ---------------------


@pytest.fixture(params=HTTPX_KINDS)
def client_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def outcome(kind: str, answer: Answer, operation: str) -> object:
    """Run `operation` against `answer` on the sync or the async client, reading the whole result."""
    if kind == "sync-httpx":
        with sync_client(answer) as client:
            result = run_sync(client, operation)
    else:
        async with async_client(answer) as client:
            result = await run_async(client, operation)
    touch(result)
    return result


PARSED = [operation for operation in OPERATIONS if operation != "health"]  # health reads no body on 2xx


@pytest.mark.anyio
@pytest.mark.parametrize("operation", PARSED)
async def test_json_nested_too_deep_is_a_validation_error(client_kind: str, operation: str) -> None:
    answer = Answer(200, (("Content-Type", "application/json"),), DEEP, "deep")
    with pytest.raises(APIResponseValidationError):
        await outcome(client_kind, answer, operation)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("functions.get", {**VALID_FUNCTION, "replicas": 10**400}),
        ("functions.get", {**VALID_FUNCTION, "invocationCount": -(10**400)}),
        ("functions.list", [{**VALID_FUNCTION, "usage": {"cpu": 10**400}}]),
    ],
    ids=["replicas", "invocationCount", "usage.cpu"],
)
async def test_integers_too_large_for_a_float_are_a_result_or_a_validation_error(
    client_kind: str, operation: str, body: object
) -> None:
    """Never OverflowError: a count is a Python int however large; usage (a float) is refused."""
    answer = Answer(200, (("Content-Type", "application/json"),), json.dumps(body).encode(), "huge integer")
    with contextlib.suppress(APIResponseValidationError):
        await outcome(client_kind, answer, operation)


@pytest.mark.anyio
@pytest.mark.parametrize("charset", ["utf-16"])
@pytest.mark.parametrize("operation", PARSED)
async def test_a_2xx_body_its_charset_cannot_decode_is_a_validation_error(
    client_kind: str, operation: str, charset: str
) -> None:
    answer = Answer(200, (("Content-Type", f"application/json; charset={charset}"),), b"not json", "charset")
    with pytest.raises(APIResponseValidationError):
        await outcome(client_kind, answer, operation)


@pytest.mark.anyio
@pytest.mark.parametrize("operation", OPERATIONS)
async def test_an_error_body_its_charset_cannot_decode_is_still_a_status_error(
    client_kind: str, operation: str
) -> None:
    answer = Answer(500, (("Content-Type", "text/plain; charset=utf-16"),), b"oops", "charset")
    with pytest.raises(InternalServerError):
        await outcome(client_kind, answer, operation)


@pytest.mark.anyio
@pytest.mark.parametrize("status", [201, 203])
@pytest.mark.parametrize("operation", GENERATED_PARSERS)
async def test_any_2xx_with_a_valid_body_is_a_result(client_kind: str, operation: str, status: int) -> None:
    answer = Answer(status, (("Content-Type", "application/json"),), json.dumps(GOOD_BODIES[operation]).encode(), "")
    assert await outcome(client_kind, answer, operation)


@pytest.mark.anyio
@pytest.mark.parametrize("status", [201, 203])
@pytest.mark.parametrize("operation", ["functions.list", "functions.get"])
async def test_any_2xx_with_a_valid_body_is_a_result_for_functions(
    client_kind: str, operation: str, status: int
) -> None:
    answer = Answer(status, (("Content-Type", "application/json"),), json.dumps(GOOD_BODIES[operation]).encode(), "")
    assert await outcome(client_kind, answer, operation)


@pytest.mark.anyio
async def test_a_function_answer_nested_too_deep_is_a_validation_error(client_kind: str) -> None:
    answer = Answer(200, (("Content-Type", "application/json"),), DEEP, "deep")
    response: InvocationResponse | AsyncInvocationResponse
    if client_kind == "sync-httpx":
        with sync_client(answer) as client:
            response = client.functions.invoke("figlet")
    else:
        async with async_client(answer) as aclient:
            response = await aclient.functions.invoke("figlet")
    with pytest.raises(APIResponseValidationError):
        response.json()


@pytest.mark.anyio
@pytest.mark.parametrize("operation", GENERATED_PARSERS)
async def test_any_2xx_with_a_gzip_body_is_a_result(client_kind: str, operation: str) -> None:
    body = gzip.compress(json.dumps(GOOD_BODIES[operation]).encode())
    headers = (("Content-Type", "application/json"), ("Content-Encoding", "gzip"))
    assert await outcome(client_kind, Answer(203, headers, body, "gzip 203"), operation)


@pytest.mark.anyio
@pytest.mark.parametrize("operation", GENERATED_PARSERS)
async def test_a_200_with_a_gzip_body_is_a_result(client_kind: str, operation: str) -> None:
    """The control for the test above."""
    body = gzip.compress(json.dumps(GOOD_BODIES[operation]).encode())
    headers = (("Content-Type", "application/json"), ("Content-Encoding", "gzip"))
    assert await outcome(client_kind, Answer(200, headers, body, "gzip 200"), operation)


# ---- answers that break openapi.yaml, from the contract gateway: the error names what is wrong -------------------


@pytest.mark.parametrize(
    ("path", "served", "call", "named"),
    [
        ("/system/functions", {"name": "figlet"}, lambda c: c.functions.list(), "array"),
        ("/system/functions", [{"name": "figlet"}], lambda c: c.functions.list(), "image"),
        ("/system/functions", [{"name": 7, "image": "x"}], lambda c: c.functions.list(), "name"),
        ("/system/function/figlet", "not json at all", lambda c: c.functions.get("figlet"), "malformed"),
        ("/system/function/figlet", [payloads.FAASD_FUNCTION], lambda c: c.functions.get("figlet"), "function"),
        ("/system/info", {**payloads.GATEWAY_INFO_FAASD, "arch": None}, lambda c: c.info(), "arch"),
        ("/system/info", {**payloads.GATEWAY_INFO_FAASD, "provider": "faasd"}, lambda c: c.info(), "provider"),
        ("/system/namespaces", ["openfaas-fn", 7], lambda c: c.namespaces.list(), "str"),
        ("/system/namespaces", {"names": []}, lambda c: c.namespaces.list(), "malformed"),
        ("/system/secrets", [{"namespace": "openfaas-fn"}], lambda c: c.secrets.list(), "malformed"),
        ("/system/namespace/staging", {"name": "staging", "labels": {"a": 1}}, lambda c: c.namespaces.get("staging"),
         "labels"),
    ],
    ids=[
        "list-not-array", "list-item-no-image", "list-name-not-string", "get-not-json", "get-array", "info-no-arch",
        "info-provider-string", "namespaces-not-strings", "namespaces-object", "secret-no-name", "namespace-labels",
    ],
)  # fmt: skip
@pytest.mark.anyio
async def test_malformed_answers_raise(
    client: Client, gateway: Gateway, path: str, served: Any, call: Any, named: str
) -> None:
    gateway.serve_bad_responses()
    if isinstance(served, str):
        gateway.server.expect_request(path).respond_with_data(served, content_type="application/json")
    else:
        gateway.server.expect_request(path).respond_with_json(served)
    with pytest.raises(APIResponseValidationError, match=named) as caught:
        await resolve(call(client))
    assert path in str(caught.value) or named in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("replicas", "two"),
        ("availableReplicas", -1),
        ("invocationCount", -3),
        ("createdAt", "yesterday"),
        ("envVars", {"a": 1}),
        ("secrets", "api-key"),
        ("readOnlyRootFilesystem", "yes"),
        ("usage", {"cpu": "lots"}),
    ],
)
@pytest.mark.anyio
async def test_a_malformed_field_raises_naming_it(client: Client, gateway: Gateway, field: str, value: Any) -> None:
    """Checked when the answer arrives, against openapi.yaml's types and minimums."""
    gateway.serve_bad_responses()
    gateway.server.expect_request("/system/function/figlet").respond_with_json(
        {**payloads.FAAS_NETES_FUNCTION, field: value}
    )
    with pytest.raises(APIResponseValidationError, match=field):
        await resolve(client.functions.get("figlet"))
