"""Gateway credentials (basic, bearer, and user:password in the URL) go to /system/* only, as the server sees it,
and appear in no repr, no exception message and no DEBUG log line; secret values are never logged either."""

from __future__ import annotations

import base64
import logging
import socket
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pyopenfaas import (
    APIConnectionError,
    APIResponseValidationError,
    AuthenticationError,
    FunctionError,
    InternalServerError,
    NotSupportedError,
    OpenFaaSError,
)
from werkzeug import Request

from tests.contract.server import Gateway
from tests.support.clients import Client, Clients, collect, invoked, resolve

pytestmark = pytest.mark.anyio

SECRET_VALUE = "s3cr3t-value-frobozz"
OCTETS = "application/octet-stream"


@dataclass(frozen=True)
class Auth:
    name: str
    options: dict[str, Any]
    url_userinfo: str = ""

    def header(self, gateway: Gateway) -> str:
        if "token" in self.options:
            return f"Bearer {gateway.token}"
        return "Basic " + base64.b64encode(f"{gateway.username}:{gateway.password}".encode()).decode()

    def secrets(self, gateway: Gateway) -> list[str]:
        """Every form in which the credentials could leak."""
        encoded = base64.b64encode(f"{gateway.username}:{gateway.password}".encode()).decode()
        return [gateway.password, gateway.token, encoded, SECRET_VALUE]

    def make(self, clients: Clients, base_url: str | None = None, **options: Any) -> Client:
        gateway = clients.gateway
        url = base_url or gateway.url
        if self.url_userinfo:
            url = url.replace("http://", f"http://{gateway.username}:{gateway.password}@")
            return clients.make(url, auth=None, **options)
        if "token" in self.options:
            return clients.make(url, token=gateway.token, **options)
        return clients.make(url, username=gateway.username, password=gateway.password, **options)


AUTHS = [
    Auth("basic", {"password": True}),
    Auth("bearer", {"token": True}),
    Auth("url-userinfo", {"password": True}, url_userinfo="yes"),
]


@pytest.fixture(params=AUTHS, ids=lambda auth: auth.name)
def auth(request: pytest.FixtureRequest) -> Auth:
    value = request.param
    assert isinstance(value, Auth)
    return value


def assert_no_secret(text: str, auth: Auth, gateway: Gateway) -> None:
    for secret in auth.secrets(gateway):
        assert secret not in text, f"a credential or secret value leaked: {text!r}"


def expect_everything(gateway: Gateway) -> None:
    server = gateway.server
    server.expect_request("/system/functions", method="GET").respond_with_json([])
    server.expect_request("/system/secrets", method="POST").respond_with_data("", status=202)
    server.expect_request("/system/logs").respond_with_data("", content_type="text/plain")
    server.expect_request("/system/info").respond_with_data("invalid credentials", status=401)
    server.expect_request("/healthz").respond_with_data("OK", content_type="text/plain")
    server.expect_request("/function/figlet").respond_with_data(b"ok", content_type=OCTETS)
    server.expect_request("/function/figlet/sub/path").respond_with_data(b"ok", content_type=OCTETS)
    server.expect_request("/function/figlet.staging").respond_with_data(b"ok", content_type=OCTETS)
    server.expect_request("/async-function/figlet").respond_with_data("", status=202)


async def use_everything(client: Client) -> None:
    await resolve(client.functions.list())
    await resolve(client.secrets.create("api-key", SECRET_VALUE))
    await collect(client.functions.logs("figlet"))
    with pytest.raises(AuthenticationError):
        await resolve(client.info())
    await resolve(client.health())
    await invoked(client.functions.invoke("figlet", b"x"))
    await invoked(client.functions.invoke("figlet", method="GET", path="/sub/path", query={"q": "1"}))
    await invoked(client.functions.invoke("figlet", namespace="staging", headers={"X-Mine": "1"}))
    await resolve(client.functions.invoke_async("figlet", b"x", callback_url="http://example.com/cb"))


def credentials_seen(request: Request) -> str | None:
    return request.headers.get("Authorization")


# ---- on the wire -----------------------------------------------------------------------------------------------


async def test_credentials_go_to_system_paths_only(clients: Clients, gateway: Gateway, auth: Auth) -> None:
    expect_everything(gateway)
    client = auth.make(clients)
    await use_everything(client)

    seen = {(request.method, request.path): credentials_seen(request) for request in gateway.requests}
    assert len(seen) == 9
    for (method, path), header in seen.items():
        if path.startswith("/system/"):
            assert header == auth.header(gateway), (method, path)
        else:
            assert header is None, f"credentials sent to {method} {path}"
    # Nor anywhere else in what the functions receive.
    for request in gateway.requests:
        if not request.path.startswith("/system/"):
            everything = f"{request.full_path} {dict(request.headers)} {request.get_data()!r}"
            assert_no_secret(everything, auth, gateway)


async def test_a_callers_own_authorization_reaches_the_function(clients: Clients, gateway: Gateway, auth: Auth) -> None:
    # Functions may have their own auth: a header the caller passes goes through untouched.
    gateway.server.expect_request("/function/figlet").respond_with_data(b"ok", content_type=OCTETS)
    gateway.server.expect_request("/async-function/figlet").respond_with_data("", status=202)
    client = auth.make(clients)
    await invoked(client.functions.invoke("figlet", headers={"Authorization": "Bearer function-key"}))
    await resolve(client.functions.invoke_async("figlet", headers={"Authorization": "Bearer function-key"}))
    assert [credentials_seen(request) for request in gateway.requests] == ["Bearer function-key"] * 2


async def test_a_function_redirect_is_not_followed(clients: Clients, gateway: Gateway, auth: Auth) -> None:
    # A function that redirects to the gateway's own API must not make the client send its credentials there.
    gateway.server.expect_request("/function/figlet").respond_with_data(
        b"", status=307, headers={"Location": "/system/functions"}, content_type=OCTETS
    )
    with pytest.raises(FunctionError) as caught:
        await invoked(auth.make(clients).functions.invoke("figlet", method="GET"))
    assert caught.value.status_code == 307
    assert [request.path for request in gateway.requests] == ["/function/figlet"]


async def test_behind_a_path_prefix(clients: Clients, gateway: Gateway, auth: Auth) -> None:
    gateway.server.path_prefix = "/openfaas"
    gateway.server.expect_request("/openfaas/system/functions").respond_with_json([])
    gateway.server.expect_request("/openfaas/function/figlet").respond_with_data(b"ok", content_type=OCTETS)
    gateway.server.expect_request("/openfaas/async-function/figlet").respond_with_data("", status=202)
    client = auth.make(clients, gateway.url + "/openfaas/")
    await resolve(client.functions.list())
    await invoked(client.functions.invoke("figlet"))
    await resolve(client.functions.invoke_async("figlet"))
    assert [(request.path, credentials_seen(request)) for request in gateway.requests] == [
        ("/openfaas/system/functions", auth.header(gateway)),
        ("/openfaas/function/figlet", None),
        ("/openfaas/async-function/figlet", None),
    ]


class ApiKey(httpx.Auth):
    """A custom auth (`auth=` takes any httpx.Auth), here a key header rather than Authorization."""

    def __init__(self, key: str) -> None:
        self.key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.key}"
        request.headers["X-Api-Key"] = self.key
        yield request


async def test_a_custom_auth_goes_to_system_paths_only(clients: Clients, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/functions").respond_with_json([])
    gateway.server.expect_request("/function/figlet").respond_with_data(b"ok", content_type=OCTETS)
    client = clients.make(auth=ApiKey(gateway.token))
    await resolve(client.functions.list())
    await invoked(client.functions.invoke("figlet"))
    system, function = gateway.requests
    assert system.headers.get("X-Api-Key") == gateway.token
    assert "X-Api-Key" not in function.headers
    assert "Authorization" not in function.headers


async def test_a_system_redirect_to_a_function_carries_no_credentials(
    clients: Clients, gateway: Gateway, auth: Auth
) -> None:
    gateway.serve_bad_responses()  # a 307 from /system/info is not in openapi.yaml
    gateway.server.expect_request("/system/info").respond_with_data(
        "", status=307, headers={"Location": "/function/figlet"}
    )
    gateway.server.expect_request("/function/figlet").respond_with_data(b"{}", content_type=OCTETS)
    try:
        # pyopenfaas follows no redirect (httpx would keep Authorization on a same-origin hop): it says where to go.
        with pytest.raises(OpenFaaSError, match="redirected to /function/figlet"):
            await resolve(auth.make(clients).info())
        gateway.server.wait_idle()
        seen = [(request.path, credentials_seen(request)) for request in gateway.requests]
        assert seen == [("/system/info", auth.header(gateway))]
    finally:
        gateway.server.clear()  # the contract server saw the leak too: this test reports it, not the teardown


# ---- reprs -----------------------------------------------------------------------------------------------------


async def test_no_credentials_in_reprs(clients: Clients, gateway: Gateway, auth: Auth) -> None:
    client = auth.make(clients, namespace="staging")
    for shown in (repr(client), str(client), repr(client.with_options(max_retries=0))):
        assert_no_secret(shown, auth, gateway)
        assert gateway.username + ":" not in shown
    assert gateway.url in repr(client)  # the URL is shown, without the user:password part
    assert "@" not in repr(client)


# ---- exception messages ----------------------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def caught_errors(client: Client, unreachable: Client, gateway: Gateway) -> list[BaseException]:
    server = gateway.server
    server.expect_request("/system/functions", method="GET").respond_with_data("invalid credentials", status=401)
    server.expect_request("/system/functions", method="POST").respond_with_data("provider failed", status=500)
    server.expect_request("/system/function/figlet").respond_with_json({"name": "figlet", "image": 1})
    server.expect_request("/function/figlet").respond_with_data(b"function failed", status=500, content_type=OCTETS)
    gateway.serve_bad_responses()  # the malformed function status above
    calls: list[Any] = [
        lambda: resolve(client.functions.list()),
        lambda: resolve(client.functions.deploy("figlet", "img:1", env_vars={"TOKEN": SECRET_VALUE})),
        lambda: resolve(client.functions.get("figlet")),
        lambda: invoked(client.functions.invoke("figlet", SECRET_VALUE.encode())),
        lambda: resolve(unreachable.functions.list()),
        lambda: resolve(unreachable.secrets.create("api-key", SECRET_VALUE)),
        lambda: invoked(unreachable.functions.invoke("figlet")),
        lambda: resolve(client.secrets.create("", SECRET_VALUE)),
    ]
    errors: list[BaseException] = []
    for call in calls:
        try:
            await call()
        except (OpenFaaSError, ValueError) as exc:
            errors.append(exc)
    return errors


async def test_no_credentials_in_exception_messages(clients: Clients, gateway: Gateway, auth: Auth) -> None:
    client = auth.make(clients, max_retries=0)
    unreachable = auth.make(clients, f"http://127.0.0.1:{closed_port()}", max_retries=0)
    errors = await caught_errors(client, unreachable, gateway)
    kinds = [type(error) for error in errors]
    assert kinds[:4] == [AuthenticationError, InternalServerError, APIResponseValidationError, FunctionError]
    assert all(issubclass(kind, APIConnectionError) for kind in kinds[4:7])
    assert kinds[7] is ValueError
    for error in errors:
        for shown in (str(error), repr(error), *map(str, error.args)):
            assert_no_secret(shown, auth, gateway)
            assert "@127.0.0.1" not in shown


async def test_no_credentials_in_the_swarm_refusal(clients: Clients, gateway: Gateway, auth: Auth) -> None:
    with pytest.raises(NotSupportedError) as caught:
        await resolve(auth.make(clients, cluster_type="swarm").secrets.update("api-key", SECRET_VALUE))
    assert_no_secret(f"{caught.value} {caught.value!r} {caught.value.body}", auth, gateway)


# ---- DEBUG logs ------------------------------------------------------------------------------------------------


@pytest.fixture
def pyopenfaas_logger() -> Iterator[logging.Logger]:
    """The `pyopenfaas` logger with no handler (as in a fresh process), restored afterwards."""
    logger = logging.getLogger("pyopenfaas")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    logger.handlers.clear()
    logger.setLevel(logging.NOTSET)
    yield logger
    logger.handlers[:] = saved[0]
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


async def test_faas_debug_logs_no_credentials(
    clients: Clients,
    gateway: Gateway,
    auth: Auth,
    pyopenfaas_logger: logging.Logger,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """FAAS_DEBUG=1 with logging not configured: the client logs every request to stderr."""
    expect_everything(gateway)
    client = auth.make(clients, env={"FAAS_DEBUG": "1"})
    assert pyopenfaas_logger.handlers, "FAAS_DEBUG=1 did not turn on the pyopenfaas log"
    await use_everything(client)

    stderr = capsys.readouterr().err
    lines = [line for line in stderr.splitlines() if line.startswith("pyopenfaas: ")]
    assert len(lines) >= 9, stderr
    assert any("/system/functions" in line and "200" in line for line in lines)
    assert any("/function/figlet" in line for line in lines)
    assert_no_secret(stderr, auth, gateway)
    assert_no_secret(caplog.text, auth, gateway)
    assert "@127.0.0.1" not in stderr


async def test_debug_logs_with_logging_configured_carry_no_credentials(
    clients: Clients, gateway: Gateway, auth: Auth, pyopenfaas_logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    """The application configures logging at DEBUG for everything (pyopenfaas, httpx, httpcore, aiohttp)."""
    caplog.set_level(logging.DEBUG)
    expect_everything(gateway)
    client = auth.make(clients)
    await use_everything(client)

    own = [record for record in caplog.records if record.name == "pyopenfaas"]
    assert len(own) >= 9
    methods = {record.getMessage().split(" ", 1)[0] for record in own}
    assert {"GET", "POST"} <= methods
    for record in caplog.records:
        assert_no_secret(record.getMessage(), auth, gateway)
    assert_no_secret(caplog.text, auth, gateway)
