"""Bad input is refused before anything is sent, with a message that names the bad value.

Each test runs on OpenFaaS and on AsyncOpenFaaS over both transports against a real server on 127.0.0.1
that counts what reaches it: it must count nothing. Bad names are also generated with hypothesis.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyopenfaas import AsyncOpenFaaS, OpenFaaS

from tests.support import stats
from tests.support.clients import Twin
from tests.support.faultserver import FaultServer, answer

pytestmark = pytest.mark.anyio

DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
IMAGE = "ghcr.io/openfaas/figlet:latest"


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer(answer(200, b"[]")) as server:
        yield server
    assert server.count() == 0, f"bad input reached the server: {server.received}"


async def refused(client: Twin, value: object, operation: str, *args: Any, **kwargs: Any) -> str:
    """Call `operation`; it must raise ValueError or TypeError before sending. The message, for more checks."""
    stats.add("bad inputs refused before sending")

    async def attempt() -> None:
        result = await client(operation, *args, **kwargs)
        if operation.endswith("invoke_many"):  # a generator: it checks when iterated
            if isinstance(client.client, OpenFaaS):
                list(result)
            else:
                [item async for item in result]

    with pytest.raises((ValueError, TypeError)) as info:
        await attempt()
    message = str(info.value)
    assert message, f"{operation}: an empty message"
    return message


async def refused_naming(client: Twin, value: object, operation: str, *args: Any, **kwargs: Any) -> None:
    message = await refused(client, value, operation, *args, **kwargs)
    assert repr(value) in message, f"{operation}({value!r}): the message does not name the value: {message}"


# ---- function and namespace names -----------------------------------------------------------------------------

BAD_NAMES: list[object] = [
    "",
    "Figlet",
    "FIGLET",
    "fig_let",
    "fig.let",
    "fig let",
    "-figlet",
    "figlet-",
    "-",
    "a" * 64,
    "figlet\n",
    "figlet/../x",
    "é",
    "fig\x00let",
]
NOT_STRINGS: list[object] = [None, 1, b"figlet", ["figlet"]]


def name_operations(name: object) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """Every call that takes a function or namespace name, with `name` in that place (namespace=None is the
    default namespace, not a bad one)."""
    as_name = [
        ("functions.get", (name,), {}),
        ("functions.delete", (name,), {}),
        ("functions.scale", (name, 1), {}),
        ("functions.deploy", (name, IMAGE), {}),
        ("functions.update", (name, IMAGE), {}),
        ("functions.apply", (name, IMAGE), {}),
        ("functions.invoke", (name, b"x"), {}),
        ("functions.invoke_async", (name, b"x"), {}),
        ("functions.invoke_many", (name, [b"x"]), {}),
        ("functions.logs", (name,), {}),
        ("functions.wait_ready", (name,), {"timeout": 0.1}),
        ("namespaces.get", (name,), {}),
        ("namespaces.create", (name,), {}),
        ("namespaces.update", (name,), {}),
        ("namespaces.delete", (name,), {}),
    ]
    as_namespace = [
        ("functions.list", (), {"namespace": name}),
        ("functions.get", ("figlet",), {"namespace": name}),
        ("functions.deploy", ("figlet", IMAGE), {"namespace": name}),
        ("functions.scale", ("figlet", 1), {"namespace": name}),
        ("functions.invoke", ("figlet", b"x"), {"namespace": name}),
        ("functions.invoke_async", ("figlet", b"x"), {"namespace": name}),
        ("functions.logs", ("figlet",), {"namespace": name}),
        ("secrets.list", (), {"namespace": name}),
        ("secrets.create", ("db-password", "s3cret"), {"namespace": name}),
        ("secrets.delete", ("db-password",), {"namespace": name}),
    ]
    return as_name + (as_namespace if name is not None else [])


async def test_names_the_providers_refuse(kind: str, server: FaultServer) -> None:
    async with Twin(kind, server.url) as client:
        for name in BAD_NAMES + NOT_STRINGS:
            for operation, args, kwargs in name_operations(name):
                await refused_naming(client, name, operation, *args, **kwargs)


async def test_a_bad_default_namespace_is_refused_when_the_client_is_made(kind: str, server: FaultServer) -> None:
    with pytest.raises(ValueError, match=re.escape(repr("Prod_NS"))):
        Twin(kind, server.url, namespace="Prod_NS")


# Anything that is not a DNS-1123 label (or longer than 63), with a bias to almost-valid names.
bad_name_strategy = st.one_of(
    st.text(max_size=70),
    st.from_regex(r"[a-z0-9][-a-z0-9]{63,70}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[-a-z0-9]{0,10}[A-Z_.~ /:@][-a-z0-9]{0,10}", fullmatch=True),
    st.from_regex(r"-[a-z0-9]{0,10}|[a-z0-9]{0,10}-", fullmatch=True),
).filter(lambda name: len(name) > 63 or not DNS_LABEL.fullmatch(name))


@settings(max_examples=60, deadline=None)
@given(name=bad_name_strategy)
async def test_generated_bad_names_are_refused_by_both_clients(name: str) -> None:
    """In-process (httpx.MockTransport) so hundreds of names take little time; nothing may be sent."""
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    sync = OpenFaaS("http://gateway.test", env={}, transport=httpx.MockTransport(record))
    async_ = AsyncOpenFaaS("http://gateway.test", env={}, transport=httpx.MockTransport(record))
    for client in (sync, async_):
        twin = Twin.wrap(client)
        for operation, args, kwargs in name_operations(name):
            await refused_naming(twin, name, operation, *args, **kwargs)
    sync.close()
    await async_.aclose()
    assert sent == []


@settings(max_examples=30, deadline=None)
@given(name=st.from_regex(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", fullmatch=True))
async def test_generated_good_names_are_accepted(name: str) -> None:
    """The other side of the rule: every DNS-1123 label goes through (so the refusals above are not blanket)."""
    sent: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, json={"name": name, "image": IMAGE})

    async with AsyncOpenFaaS("http://gateway.test", env={}, transport=httpx.MockTransport(record)) as client:
        assert (await client.functions.get(name, namespace=name)).name == name
    assert sent == [f"/system/function/{name}"]


# ---- numbers --------------------------------------------------------------------------------------------------


async def test_replicas_that_are_negative_or_not_integers(kind: str, server: FaultServer) -> None:
    async with Twin(kind, server.url) as client:
        for replicas in [-1, -100, 1.5, 2.0, "3", None, True, float("nan")]:
            await refused_naming(client, replicas, "functions.scale", "figlet", replicas)


async def test_negative_or_non_integer_tail(kind: str, server: FaultServer) -> None:
    async with Twin(kind, server.url) as client:
        for tail in [-1, -1000, 1.5, "10", True]:
            await refused_naming(client, tail, "functions.logs", "figlet", tail=tail)


# ---- secrets --------------------------------------------------------------------------------------------------


async def test_empty_and_invalid_secret_names(kind: str, server: FaultServer) -> None:
    async with Twin(kind, server.url) as client:
        for operation, extra in [
            ("secrets.create", ("v",)),
            ("secrets.update", ("v",)),
            ("secrets.apply", ("v",)),
            ("secrets.delete", ()),
        ]:
            message = await refused(client, "", operation, "", *extra)
            assert "empty" in message, message
            for name in ["DB_PASSWORD", "-db", "db-", "db password", "a" * 254, None, 7]:
                await refused_naming(client, name, operation, name, *extra)


async def test_secret_values_that_are_neither_str_nor_bytes(kind: str, server: FaultServer) -> None:
    """The message names the type, not the value: a value in the wrong type is still a secret."""
    async with Twin(kind, server.url) as client:
        for value in [12345678901, None, 3.25, ["hunter2-in-a-list"], {"password": "hunter2-in-a-dict"}, object()]:
            for operation in ("secrets.create", "secrets.update", "secrets.apply"):
                message = await refused(client, value, operation, "db-password", value)
                assert type(value).__name__ in message, message
                if value is not None:
                    assert str(value) not in message, f"the secret value is in the message: {message}"


# ---- invocation ----------------------------------------------------------------------------------------------

BAD_CALLBACK_URLS: list[object] = [
    "",
    "/relative/callback",
    "callback.example.com/hook",
    "localhost:8080/hook",
    "http://",
    "https://",
    "ftp://example.com/hook",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "mailto:ops@example.com",
    "http://exa mple.com/hook",
    "http://example.com/hook\r\nX-Injected: 1",
    "http://example.com/\nhook",
    42,
]


async def test_callback_urls_that_are_not_absolute_http(kind: str, server: FaultServer) -> None:
    async with Twin(kind, server.url) as client:
        for url in BAD_CALLBACK_URLS:
            await refused_naming(client, url, "functions.invoke_async", "figlet", b"x", callback_url=url)


BAD_HEADER_NAMES = ["X-A\r\nX-Injected", "X-A\nB", "X-A\rB", "", "X A", "X-A:", "X-Ä"]
BAD_HEADER_VALUES = ["v\r\nX-Injected: 1", "v\n", "\rv", "v\x00"]


@pytest.mark.parametrize("operation", ["functions.invoke", "functions.invoke_async"])
async def test_header_names_and_values_with_cr_lf(kind: str, server: FaultServer, operation: str) -> None:
    async with Twin(kind, server.url) as client:
        for name in BAD_HEADER_NAMES:
            await refused_naming(client, name, operation, "figlet", b"x", headers={name: "v"})
        for value in BAD_HEADER_VALUES:
            await refused_naming(client, value, operation, "figlet", b"x", headers={"X-Trace": value})


@settings(max_examples=100, deadline=None)
@given(value=st.tuples(st.text(max_size=10), st.sampled_from(["\r", "\n", "\r\n"]), st.text(max_size=10)).map("".join))
async def test_generated_header_values_with_cr_or_lf_are_refused(value: str) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    async with AsyncOpenFaaS("http://gateway.test", env={}, transport=httpx.MockTransport(record)) as client:
        await refused_naming(Twin.wrap(client), value, "functions.invoke", "figlet", headers={"X-Trace": value})
    assert sent == []


BAD_SUB_PATHS = [
    "..",
    "/..",
    "../system/functions",
    "/../../system/secrets",
    "/a/../../system/functions",
    "a/..",
    "/./x",
    "/%2e%2e/system/functions",
    "/%2E%2E/system/functions",
    "/.%2e/x",
    "/x?admin=true",
    "/x#fragment",
    "/x\r\ny",
    "/x\x00",
]


@pytest.mark.parametrize("operation", ["functions.invoke", "functions.invoke_async"])
async def test_sub_paths_that_climb_out(kind: str, server: FaultServer, operation: str) -> None:
    async with Twin(kind, server.url) as client:
        for path in BAD_SUB_PATHS:
            await refused_naming(client, path, operation, "figlet", b"x", path=path)


async def test_other_invocation_arguments(kind: str, server: FaultServer) -> None:
    async with Twin(kind, server.url) as client:
        for method in ["TRACE", "CONNECT", "GET\r\n", "", "FETCH"]:
            await refused_naming(client, method, "functions.invoke", "figlet", method=method)
        for call_id in ["", "id\r\nX-Injected: 1"]:
            await refused_naming(client, call_id, "functions.invoke_async", "figlet", call_id=call_id)
        for timeout in [-1, 0, "10"]:
            await refused_naming(client, timeout, "functions.invoke", "figlet", timeout=timeout)
        naive = datetime.datetime(2024, 1, 2, 3, 4, 5)
        await refused_naming(client, naive, "functions.logs", "figlet", since=naive)
        await refused_naming(client, "yesterday", "functions.logs", "figlet", since="yesterday")


async def test_deployment_arguments(kind: str, server: FaultServer) -> None:
    async with Twin(kind, server.url) as client:
        for image in ["", "   ", "ghcr.io/openfaas/fig let:latest", None]:
            await refused_naming(client, image, "functions.deploy", "figlet", image)
        await refused_naming(client, "gpus", "functions.deploy", "figlet", IMAGE, limits={"gpus": "1"})
        await refused_naming(client, 1, "functions.deploy", "figlet", IMAGE, env_vars={"PORT": 1})


async def test_arguments_of_the_wrong_type_are_a_type_error_naming_the_type(kind: str, server: FaultServer) -> None:
    async def type_error(fragment: str, operation: str, *args: Any, **kwargs: Any) -> None:
        stats.add("bad inputs refused before sending")
        with pytest.raises(TypeError, match=re.escape(fragment)):
            await client(operation, *args, **kwargs)

    async with Twin(kind, server.url) as client:
        await type_error("env_vars must be a mapping of str to str, not list", "functions.deploy", "figlet", IMAGE,
                         env_vars=["PORT=8080"])  # fmt: skip
        await type_error("labels must be a mapping of str to str, not str", "namespaces.create", "team", labels="a=b")
        await type_error("secrets must be a list of str, not 'db-password'", "functions.deploy", "figlet", IMAGE,
                         secrets="db-password")  # fmt: skip
        await type_error("constraints must be a list of str, not ['zone=a', 1]", "functions.deploy", "figlet", IMAGE,
                         constraints=["zone=a", 1])  # fmt: skip
        await type_error("path must be a str, not int: 7", "functions.invoke", "figlet", b"x", path=7)
        await type_error("headers must be a mapping of str to str, not list", "functions.invoke", "figlet", b"x",
                         headers=[("X-A", "1")])  # fmt: skip
        await type_error("headers must map str to str; got 'X-A': 1", "functions.invoke", "figlet", b"x",
                         headers={"X-A": 1})  # fmt: skip
        await type_error("call_id must be a str, not int: 7", "functions.invoke_async", "figlet", b"x", call_id=7)
        await type_error("since must be a datetime, timedelta or RFC 3339 str, not int", "functions.logs", "figlet",
                         since=1700000000)  # fmt: skip
        await type_error("env_process must be a str, not int", "functions.deploy", "figlet", IMAGE, env_process=1)
        await type_error("read_only_root_filesystem must be a bool, not 'yes'", "functions.deploy", "figlet", IMAGE,
                         read_only_root_filesystem="yes")  # fmt: skip
        await type_error("follow must be a bool, not 'yes'", "functions.logs", "figlet", follow="yes")
        for concurrency in [0, True, 2.5]:
            await refused_naming(
                client, concurrency, "functions.invoke_many", "figlet", [b"x"], concurrency=concurrency
            )


async def test_a_since_shaped_like_rfc3339_but_not_a_date_is_refused(kind: str, server: FaultServer) -> None:
    async with Twin(kind, server.url) as client:
        for since in ["2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T25:00:00+01:00"]:
            await refused_naming(client, since, "functions.logs", "figlet", since=since)
