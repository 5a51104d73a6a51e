"""The same scenarios through `OpenFaaS` and `AsyncOpenFaaS`, over the in-process transport and a real HTTP server,
against both provider flavours of the fake gateway (issue 4)."""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from pyopenfaas import (
    AsyncInvocationResponse,
    AsyncOpenFaaS,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FunctionError,
    FunctionNotReadyError,
    InternalServerError,
    InvocationResponse,
    LogEntry,
    NotFoundError,
    NotSupportedError,
    OpenFaaS,
    OpenFaaSError,
)
from pyopenfaas.testing import FakeGateway, FunctionRequest, FunctionResponse
from pytest_httpserver import HTTPServer

from .conftest import SSL_CONTEXT

pytestmark = pytest.mark.anyio

T = TypeVar("T")
Client = OpenFaaS | AsyncOpenFaaS
USERNAME, PASSWORD = "admin", "s3cret"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def gateway(flavour: str) -> Iterator[FakeGateway]:
    with FakeGateway(flavour=flavour, username=USERNAME, password=PASSWORD) as gateway:  # type: ignore[arg-type]
        yield gateway


@pytest.fixture
async def make_client(kind: str, front: str, gateway: FakeGateway) -> AsyncIterator[Any]:
    """A factory of clients of the kind under test, bound to ``gateway`` through the front end under test."""
    made: list[Client] = []
    with ExitStack() as stack:
        url = "http://fake-gateway:8080" if front == "in-process" else stack.enter_context(gateway.serve())

        def make(**credentials: str) -> Client:
            options: dict[str, Any] = {"env": {}, **credentials}
            if front == "in-process":
                options["transport"] = gateway.transport()
            else:
                options["verify"] = SSL_CONTEXT  # plain HTTP; saves loading the CA bundle per client
            client = OpenFaaS(url, **options) if kind == "sync" else AsyncOpenFaaS(url, **options)
            made.append(client)
            return client

        yield make
        for client in made:
            if isinstance(client, AsyncOpenFaaS):
                await client.aclose()
            else:
                client.close()


@pytest.fixture
def client(make_client: Any) -> Client:
    return make_client(username=USERNAME, password=PASSWORD)  # type: ignore[no-any-return]


async def call(value: Awaitable[T] | T) -> T:
    """The result of a sync call, or of an async one once awaited."""
    if inspect.isawaitable(value):
        return await value
    return value


async def invoked(
    value: InvocationResponse | Awaitable[AsyncInvocationResponse],
) -> InvocationResponse | AsyncInvocationResponse:
    """`call` for an invocation, whose response class differs between the twins."""
    return await value if inspect.isawaitable(value) else value


async def raises(exception: type[OpenFaaSError], value: Any) -> OpenFaaSError:
    """Call ``value`` (a sync call, or one returning an awaitable) and expect it to raise ``exception``."""
    with pytest.raises(exception) as caught:
        await call(value())
    return caught.value


async def read_stream(stream: Any) -> list[LogEntry]:
    if hasattr(stream, "__aiter__"):
        async with stream:
            return [entry async for entry in stream]
    with stream:
        return list(stream)


async def next_entry(stream: Any) -> LogEntry:
    return await anext(stream) if hasattr(stream, "__anext__") else next(stream)


async def first_entry(stream: Any) -> LogEntry:
    if hasattr(stream, "__anext__"):
        async with stream:
            return await anext(stream)
    with stream:
        return next(stream)  # type: ignore[no-any-return]


async def close_stream(stream: Any) -> None:
    await call(stream.aclose() if hasattr(stream, "aclose") else stream.close())


def describe(request: FunctionRequest) -> dict[str, Any]:
    return {"method": request.method, "path": request.path, "query": dict(request.query), "body": request.text}


async def test_function_lifecycle(client: Client, gateway: FakeGateway, flavour: str) -> None:
    info = await call(client.info())
    assert info.provider is not None
    assert info.provider.name == {"faas-netes": "faas-netes-ce", "faasd": "faasd-ce"}[flavour]
    assert await call(client.health()) is True
    assert await call(client.functions.list()) == []

    gateway.register("describe", describe)
    await call(client.functions.deploy("describe", "ghcr.io/openfaas/describe:1", env_process="describe",
                                       labels={"team": "edge"}, env_vars={"mode": "test"}))  # fmt: skip
    ready = await call(client.functions.wait_ready("describe", timeout=5))
    assert (ready.replicas, ready.available_replicas) == (1, 1)
    [listed] = await call(client.functions.list())
    assert listed == ready
    assert (listed.name, listed.namespace, listed.image) == ("describe", "openfaas-fn", "ghcr.io/openfaas/describe:1")
    assert (listed.env_process, listed.labels, listed.env_vars) == ("describe", {"team": "edge"}, {"mode": "test"})
    assert listed.invocation_count == 0
    assert listed.created_at is not None
    assert abs(listed.created_at - datetime.now(UTC)) < timedelta(minutes=1)

    text = await invoked(client.functions.invoke("describe", "hello"))
    assert text.json() == {"method": "POST", "path": "", "query": {}, "body": "hello"}
    assert text.call_id
    as_json = await invoked(client.functions.invoke("describe", json={"a": 1}))
    assert json.loads(as_json.json()["body"]) == {"a": 1}
    get = await invoked(client.functions.invoke("describe", method="GET", path="/items/7", query={"q": "x"}))
    assert get.json() == {"method": "GET", "path": "/items/7", "query": {"q": "x"}, "body": ""}
    assert (await call(client.functions.get("describe"))).invocation_count == 3

    await call(client.functions.update("describe", "ghcr.io/openfaas/describe:2"))
    assert (await call(client.functions.get("describe"))).image == "ghcr.io/openfaas/describe:2"
    await call(client.functions.apply("describe", "ghcr.io/openfaas/describe:3"))
    await call(client.functions.apply("fresh", "ghcr.io/openfaas/fresh:1"))  # not there yet: deployed
    assert sorted(fn.name for fn in await call(client.functions.list())) == ["describe", "fresh"]

    await call(client.functions.scale("describe", 3))
    assert (await call(client.functions.get("describe"))).replicas == (3 if flavour == "faas-netes" else 1)

    await call(client.functions.delete("describe"))
    await raises(NotFoundError, lambda: client.functions.get("describe"))
    assert [fn.name for fn in await call(client.functions.list())] == ["fresh"]


async def test_errors(client: Client, gateway: FakeGateway, flavour: str) -> None:
    gateway.deploy("teapot", handler=lambda request: FunctionResponse("short and stout", status=418))
    error = await raises(FunctionError, lambda: client.functions.invoke("teapot"))
    assert isinstance(error, FunctionError)
    assert (error.status_code, error.body) == (418, "short and stout")
    as_is = await invoked(client.functions.invoke("teapot", raise_for_status=False))
    assert (as_is.status_code, as_is.text) == (418, "short and stout")

    missing = await raises(FunctionError, lambda: client.functions.invoke("ghost"))
    assert isinstance(missing, FunctionError)
    assert (missing.status_code, missing.body) == (503, "No endpoints available for: ghost.")

    # An existing function: faas-netes's Kubernetes error (500); faasd's containerd one (400).
    exists = InternalServerError if flavour == "faas-netes" else BadRequestError
    await raises(exists, lambda: client.functions.deploy("teapot", "x"))
    await raises(NotFoundError, lambda: client.functions.get("ghost"))
    await raises(NotFoundError, lambda: client.functions.update("ghost", "x"))
    await raises(NotFoundError, lambda: client.functions.delete("ghost"))
    # Scaling one: faas-netes's failed lookup is a 500; faasd's a 404.
    unscalable = InternalServerError if flavour == "faas-netes" else NotFoundError
    await raises(unscalable, lambda: client.functions.scale("ghost", 2))
    for index in range(14):
        await call(client.functions.deploy(f"fn-{index}", "x"))
    capped = await raises(BadRequestError, lambda: client.functions.deploy("one-too-many", "x"))
    assert ("maximum: 15" if flavour == "faas-netes" else "allows 15/16 function(s)") in str(capped)

    gateway.set_replicas("teapot", 1, available=0)
    await raises(FunctionNotReadyError, lambda: client.functions.wait_ready("teapot", timeout=0.2, poll_interval=0.05))


async def test_async_invocation_and_callback(client: Client, gateway: FakeGateway, httpserver: HTTPServer) -> None:
    gateway.deploy("shout", handler=lambda request: request.text.upper())
    httpserver.expect_request("/done", method="POST").respond_with_data("")
    queued = await call(
        client.functions.invoke_async("shout", "hi", path="/x", callback_url=httpserver.url_for("/done"))
    )
    assert queued.call_id
    mine = await call(client.functions.invoke_async("shout", "again", call_id="my-call"))
    assert mine.call_id == "my-call"
    gateway.wait_idle()
    [(callback, _)] = httpserver.log
    assert callback.data == b"HI"
    assert callback.headers["X-Call-Id"] == queued.call_id
    assert (callback.headers["X-Function-Status"], callback.headers["X-Function-Name"]) == ("200", "shout")
    assert (await call(client.functions.get("shout"))).invocation_count == 2


async def test_logs(client: Client, gateway: FakeGateway, flavour: str) -> None:
    gateway.deploy("chatty", env_process="node index.js", handler=lambda request: request.log(f"got {request.text}"))
    for word in ("one", "two", "three"):
        await invoked(client.functions.invoke("chatty", word))
    entries = await read_stream(client.functions.logs("chatty"))
    assert [entry.text for entry in entries] == ["Forked fprocess: node index.js", "got one", "got two", "got three"]
    assert {(entry.name, entry.namespace) for entry in entries} == {("chatty", "openfaas-fn")}
    tail = await read_stream(client.functions.logs("chatty", tail=2))
    assert [entry.text for entry in tail] == ["got two", "got three"]
    since = await read_stream(client.functions.logs("chatty", since=entries[-1].timestamp))
    assert [entry.text for entry in since] == ["got three"]
    assert len(await read_stream(client.functions.logs("chatty", since=timedelta(hours=1)))) == 4
    future = await read_stream(client.functions.logs("chatty", since=datetime.now(UTC) + timedelta(hours=1)))
    assert len(future) == (0 if flavour == "faas-netes" else 4)  # faasd reads the last 5 minutes instead
    instance = entries[0].instance
    by_instance = await read_stream(client.functions.logs("chatty", instance=instance))
    assert {entry.instance for entry in by_instance} == {instance}

    stream = client.functions.logs("chatty", follow=True, tail=1)
    try:
        assert (await next_entry(stream)).text == "got three"
        gateway.write_log("chatty", "live")
        assert (await next_entry(stream)).text == "live"
    finally:
        await close_stream(stream)

    if flavour == "faas-netes":  # the provider's 404 is the gateway's 501
        await raises(NotSupportedError, lambda: first_entry(client.functions.logs("ghost")))
    else:  # journalctl finds nothing for a name it does not know
        assert await read_stream(client.functions.logs("ghost")) == []


async def test_secrets(client: Client, gateway: FakeGateway, flavour: str) -> None:
    assert await call(client.secrets.list()) == []
    await call(client.secrets.create("api-key", "s3cr3t"))
    await call(client.secrets.create("tls-key", b"\x00\x01\xfe\xff"))
    assert sorted(secret.name for secret in await call(client.secrets.list())) == ["api-key", "tls-key"]
    assert gateway.secret_value("tls-key") == b"\x00\x01\xfe\xff"
    if flavour == "faas-netes":
        await raises(ConflictError, lambda: client.secrets.create("api-key", "again"))
    else:
        await call(client.secrets.create("api-key", "again"))  # faasd overwrites
    await call(client.secrets.update("api-key", "rotated"))
    assert gateway.secret_value("api-key") == b"rotated"
    await call(client.secrets.apply("new-key", "v1"))
    await call(client.secrets.apply("new-key", "v2"))
    assert gateway.secret_value("new-key") == b"v2"
    await call(client.secrets.delete("api-key"))
    # faas-netes: 404; faasd: its os.Remove error as a 500
    gone = NotFoundError if flavour == "faas-netes" else InternalServerError
    await raises(gone, lambda: client.secrets.delete("api-key"))
    assert sorted(secret.name for secret in await call(client.secrets.list())) == ["new-key", "tls-key"]


async def test_namespaces(client: Client, gateway: FakeGateway, flavour: str) -> None:
    assert await call(client.namespaces.list()) == ["openfaas-fn"]
    if flavour == "faas-netes":
        await raises(NotSupportedError, lambda: client.namespaces.get("openfaas-fn"))
        await raises(BadRequestError, lambda: client.functions.deploy("fn", "x", namespace="dev"))
        return
    await call(client.namespaces.create("dev", labels={"team": "a"}, annotations={"note": "x"}))
    await raises(ConflictError, lambda: client.namespaces.create("dev"))
    assert await call(client.namespaces.list()) == ["openfaas-fn", "dev"]  # the default first (ListNamespaces)
    dev = await call(client.namespaces.get("dev"))
    assert (dev.name, dev.labels, dev.annotations) == ("dev", {"openfaas": "1", "team": "a"}, {})  # none kept
    await call(client.namespaces.update("dev", labels={"team": "b"}))
    assert (await call(client.namespaces.get("dev"))).labels == {"openfaas": "1", "team": "b"}

    # faasd CE: a namespace made through the API is labelled openfaas=1, but functions need openfaas=true; and
    # with a second namespace the CE licence refuses every deploy.
    await raises(BadRequestError, lambda: client.functions.deploy("where", "x", namespace="dev"))
    await raises(BadRequestError, lambda: client.functions.list(namespace="dev"))
    with pytest.raises(BadRequestError, match=r"allows 1/2 namespace\(s\)"):
        await call(client.functions.deploy("where", "x"))
    await call(client.secrets.create("s", "v", namespace="dev"))  # secrets are files: any namespace will do
    await raises(BadRequestError, lambda: client.secrets.list(namespace="dev"))
    await call(client.secrets.delete("s", namespace="dev"))
    await call(client.namespaces.delete("dev"))
    await raises(NotFoundError, lambda: client.namespaces.get("dev"))
    await call(client.functions.deploy("where", "x"))


async def test_credentials(make_client: Any, gateway: FakeGateway) -> None:
    seen: list[str | None] = []
    gateway.deploy("spy", handler=lambda request: seen.append(request.headers.get("Authorization")))
    anonymous, wrong = make_client(), make_client(username=USERNAME, password="wrong")
    token = make_client(token="not-configured")
    for client in (anonymous, wrong, token):
        await raises(AuthenticationError, lambda client=client: client.functions.list())
        await invoked(client.functions.invoke("spy"))  # functions need no credentials
    right = make_client(username=USERNAME, password=PASSWORD)
    await call(right.functions.invoke("spy"))
    await call(right.functions.invoke_async("spy"))
    gateway.wait_idle()
    assert seen == [None] * 5  # gateway credentials never reach a function
    assert await call(anonymous.health()) is True


async def test_alert_scales_up(client: Client, gateway: FakeGateway, flavour: str) -> None:
    gateway.deploy("busy")
    labels = {"alertname": "APIHighInvocationRate", "function_name": "busy", "namespace": "openfaas-fn"}
    await call(client.alert({"status": "firing", "receiver": "scale-up",
                             "alerts": [{"status": "firing", "labels": labels}]}))  # fmt: skip
    assert (await call(client.functions.get("busy"))).replicas == (2 if flavour == "faas-netes" else 1)
