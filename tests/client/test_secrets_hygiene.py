"""Secrets hygiene: credentials never in a repr, an exception's text or a log line; never sent to functions
or to another host; secret values never logged.

The credentials below are distinctive strings, searched for verbatim and (for basic auth) as the base64 the
Authorization header carries.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pyopenfaas import (
    APIConnectionError,
    APIStatusError,
    AsyncOpenFaaS,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    OpenFaaS,
    OpenFaaSError,
)

from tests.support import stats
from tests.support.clients import Twin
from tests.support.faultserver import Conn, FaultServer, Received, answer

pytestmark = pytest.mark.anyio

USER = "ops-admin"
PASSWORD = "pw-Zq8-hunter2-sekrit"
TOKEN = "tok-Xy9-bearer-sekrit"
SECRET_VALUE = "sv-Kk4-database-sekrit"
BASIC_B64 = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
FORBIDDEN = (PASSWORD, TOKEN, BASIC_B64, SECRET_VALUE)
FUNCTION = {"name": "figlet", "image": "ghcr.io/openfaas/figlet:latest"}
LOG_LINE = {"name": "figlet", "namespace": "fn", "instance": "i", "timestamp": "2024-01-02T03:04:05Z", "text": "x"}

CREDENTIALS: dict[str, dict[str, Any]] = {
    "basic": {"username": USER, "password": PASSWORD},
    "bearer": {"token": TOKEN},
    "basic from env": {"env": {"OPENFAAS_USER": USER, "OPENFAAS_PASSWORD": PASSWORD}},
    "bearer from env": {"env": {"OPENFAAS_TOKEN": TOKEN}},
}


@pytest.fixture(params=sorted(CREDENTIALS))
def any_credentials(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Each way of giving credentials."""
    return dict(CREDENTIALS[request.param])


@pytest.fixture(params=["basic", "bearer from env"])
def credentials(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Both kinds of credentials, from both sources (arguments and environment), in two runs, not four."""
    return dict(CREDENTIALS[request.param])


def assert_clean(text: str, where: str) -> None:
    stats.add("texts searched for credentials and secret values")
    for secret in FORBIDDEN:
        assert secret not in text, f"{where} leaks {secret!r}: {text[:2000]}"


def gateway(conn: Conn, request: Received, index: int) -> None:
    """A well-behaved gateway for the calls the tests make."""
    path = request.path.split("?")[0]
    if path == "/system/functions" and request.method == "GET":
        conn.reply(200, json.dumps([FUNCTION]))
    elif path.startswith("/system/function/"):
        conn.reply(200, json.dumps(FUNCTION))
    elif path == "/system/logs":
        conn.reply(200, json.dumps(LOG_LINE) + "\n", {"Content-Type": "application/x-ndjson"})
    elif path.startswith("/function/"):
        conn.reply(200, "hello", {"Content-Type": "text/plain"})
    elif path.startswith("/async-function/"):
        conn.reply(202, "", {"X-Call-Id": "call-1"})
    else:
        conn.reply(202 if request.method == "POST" else 200, "")


# ---- repr ------------------------------------------------------------------------------------------------------


async def test_repr_shows_no_credentials(kind: str, any_credentials: dict[str, Any]) -> None:
    async with Twin(kind, "http://127.0.0.1:9", **any_credentials) as client:
        api = client.client._api
        for text in (repr(client.client), str(client.client), repr(api.auth), repr(api.settings), repr(api.http)):
            assert_clean(text, "a repr")
        assert "auth=" in repr(client.client)  # the kind of auth is shown, not its value


async def test_credentials_in_the_url_are_taken_out_of_it(kind: str) -> None:
    async with Twin(kind, f"http://{USER}:{PASSWORD}@127.0.0.1:9/") as client:
        assert_clean(repr(client.client), "repr")
        assert_clean(client.client.base_url, "base_url")
        assert client.client._settings.auth_kind == "basic"


# ---- exceptions -------------------------------------------------------------------------------------------------


def _everything(exc: BaseException) -> str:
    """str, repr and the whole printed traceback, chained exceptions included."""
    return "\n".join([str(exc), repr(exc), *traceback.format_exception(exc)])


async def _errors_from_failures(client: Twin, server: FaultServer) -> list[OpenFaaSError]:
    errors: list[OpenFaaSError] = []
    calls: list[tuple[str, tuple[object, ...], dict[str, object]]] = [
        ("functions.list", (), {}),  # 401
        ("functions.get", ("missing",), {}),  # 404
        ("functions.deploy", ("figlet", "img"), {}),  # 500
        ("secrets.create", ("db-password", SECRET_VALUE), {}),  # 500 (the value must not be echoed by us)
        ("secrets.update", ("db-password", SECRET_VALUE.encode()), {}),  # 503, retried
        ("namespaces.list", (), {}),  # malformed body
        ("info", (), {}),  # read timeout
        ("functions.delete", ("figlet",), {}),  # reset
        ("namespaces.get", ("loop",), {}),  # redirect loop
    ]
    for operation, args, kwargs in calls:
        try:
            await client(operation, *args, **kwargs)
        except OpenFaaSError as exc:
            errors.append(exc)
    _, error = await client.logs("figlet")
    assert error is not None
    errors.append(error)
    return errors


def failing_gateway(conn: Conn, request: Received, index: int) -> None:
    path, method = request.path.split("?")[0], request.method
    if path == "/system/functions" and method == "GET":
        conn.reply(401, "invalid credentials", {"WWW-Authenticate": 'Basic realm="Restricted"'})
    elif path.startswith("/system/function/"):
        conn.reply(404, "function not found")
    elif path == "/system/functions" and method == "POST":
        conn.reply(500, "deploy failed")
    elif path == "/system/secrets":
        conn.reply(500 if method == "POST" else 503, "secret store unavailable")
    elif path == "/system/namespaces":
        conn.reply(200, "<html>proxy login</html>")
    elif path == "/system/info":
        conn.hang()
    elif path == "/system/functions" and method == "DELETE":
        conn.reset()
    elif path == "/system/namespace/loop":
        conn.reply(302, "", {"Location": "/system/namespace/loop"})
    elif path == "/system/logs":
        conn.chunked_head()
        conn.chunk(json.dumps(LOG_LINE).encode() + b'\n{"name": ')
        conn.close()
    else:
        conn.reply(500, "unexpected")


async def test_no_exception_text_shows_credentials_or_secret_values(kind: str, credentials: dict[str, Any]) -> None:
    with FaultServer(failing_gateway) as server:
        timeout = httpx.Timeout(5.0, read=0.1)
        async with Twin(kind, server.url, timeout=timeout, max_retries=1, **credentials) as client:
            errors = await _errors_from_failures(client, server)
    assert len(errors) == 10, errors
    assert any(isinstance(error, AuthenticationError) for error in errors)
    for error in errors:
        assert_clean(_everything(error), f"{type(error).__name__}")
    # The credentials really were sent to /system/*: the test would see a leak if there were one.
    assert all("authorization" in r.headers for r in server.received if r.path.startswith("/system/"))


async def test_refused_and_configuration_errors_show_no_credentials(kind: str) -> None:
    errors: list[BaseException] = []
    with FaultServer(answer(), refuse=True) as server:
        async with Twin(kind, server.url, username=USER, password=PASSWORD) as client:
            with pytest.raises(APIConnectionError) as refused:
                await client("functions.list")
            errors.append(refused.value)
    makers: list[Callable[[], Twin]] = [
        lambda: Twin(kind, f"http://{USER}:{PASSWORD}@[::1", env={}),
        lambda: Twin(kind, f"ftp://{USER}:{PASSWORD}@gateway.example", env={}),
        lambda: Twin(kind, "http://127.0.0.1:9", password=PASSWORD, token=TOKEN),
        lambda: Twin(kind, "http://127.0.0.1:9", env={"OPENFAAS_PASSWORD": PASSWORD, "OPENFAAS_TOKEN": TOKEN}),
        lambda: Twin(kind, "http://127.0.0.1:9", env={"OPENFAAS_PASSWORD_FILE": "/nonexistent/password"}),
    ]
    for bad in makers:
        with pytest.raises(ConfigurationError) as info:
            bad()
        errors.append(info.value)
    for error in errors:
        assert_clean(_everything(error), type(error).__name__)


def echoing_gateway(conn: Conn, request: Received, index: int) -> None:
    """An upstream that echoes the request's headers in its error page, as debugging proxies do."""
    conn.reply(400, f"bad request; you sent Authorization: {request.headers.get('authorization')}", {})


@pytest.mark.parametrize("auth", ["basic", "bearer"])
async def test_an_error_body_that_echoes_the_credentials_does_not_put_them_in_the_message(kind: str, auth: str) -> None:
    with FaultServer(echoing_gateway) as server:
        async with Twin(kind, server.url, **CREDENTIALS[auth]) as client:
            with pytest.raises(BadRequestError) as info:
                await client("functions.list")
    assert "Authorization" in info.value.body  # the body does hold them: the message should not
    assert_clean(str(info.value), "str(exc)")


# ---- logs at DEBUG ----------------------------------------------------------------------------------------------


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture, restore_pyopenfaas_logger: logging.Logger) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # everything: pyopenfaas, httpx, httpcore, aiohttp, asyncio
    return caplog


async def test_debug_logging_shows_no_credentials_or_secret_values(
    kind: str, credentials: dict[str, Any], debug_logs: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    flaky = threading.Event()

    def behave(conn: Conn, request: Received, index: int) -> None:
        if request.path.startswith("/system/secrets") and request.method == "PUT" and not flaky.is_set():
            flaky.set()
            conn.reply(503, "try again", {"Retry-After": "0"})
        elif request.path.startswith("/system/namespaces"):
            conn.reply(401, "invalid credentials")
        else:
            gateway(conn, request, index)

    env = {**credentials.pop("env", {}), "FAAS_DEBUG": "1"}
    with FaultServer(behave) as server:
        async with Twin(kind, server.url, env=env, **credentials) as client:
            await client("functions.list")
            await client("functions.get", "figlet")
            await client("functions.deploy", "figlet", "img", env_vars={"DB": "x"}, secrets=["db-password"])
            await client("secrets.create", "db-password", SECRET_VALUE)
            await client("secrets.update", "db-password", SECRET_VALUE.encode())  # 503 once, retried
            await client("secrets.apply", "db-password", SECRET_VALUE)
            await client("functions.invoke", "figlet", b"payload", headers={"X-Trace": "t"})
            await client("functions.invoke_async", "figlet", b"payload", callback_url="http://127.0.0.1:9/cb")
            entries, error = await client.logs("figlet")
            assert error is None
            assert len(entries) == 1
            with pytest.raises(AuthenticationError):
                await client("namespaces.list")
    logged = "\n".join(record.getMessage() for record in debug_logs.records)
    stderr = capsys.readouterr().err
    assert "/system/functions" in logged  # debug logging is on, and says things
    assert "/system/secrets" in logged
    assert "/system/functions" in stderr  # FAAS_DEBUG=1 writes to stderr
    assert_clean(logged, "the logs")
    assert_clean(stderr, "stderr")
    # The server did get them: what stays out of the logs went over the wire.
    bodies = b"".join(r.body for r in server.received)
    assert SECRET_VALUE.encode() in bodies or base64.b64encode(SECRET_VALUE.encode()) in bodies


# ---- where the credentials go ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/gateway"])
async def test_credentials_go_to_system_calls_only(kind: str, credentials: dict[str, Any], prefix: str) -> None:
    def behave(conn: Conn, request: Received, index: int) -> None:
        request = Received(request.method, request.path.removeprefix(prefix), request.headers, request.body)
        gateway(conn, request, index)

    with FaultServer(behave) as server:
        async with Twin(kind, server.url + prefix, **credentials) as client:
            await client("functions.list")
            await client("functions.invoke", "figlet", b"x")
            await client("functions.invoke", "figlet", method="GET", path="/system/functions", query={"a": "b"})
            await client("functions.invoke", "figlet", b"x", namespace="staging", method="PUT")
            await client("functions.invoke_async", "figlet", b"x", callback_url="http://127.0.0.1:9/cb")
            await client("functions.invoke_async", "figlet", b"x", path="/system/secrets")
            await client("health")
    system = [r for r in server.received if r.path.startswith(f"{prefix}/system/")]
    functions = [r for r in server.received if r.path.startswith((f"{prefix}/function/", f"{prefix}/async-function/"))]
    assert len(system) == 1
    assert len(functions) == 5
    assert "authorization" in system[0].headers
    for r in functions:
        assert "authorization" not in r.headers, f"credentials sent to {r.method} {r.path}"
        assert_clean(json.dumps(r.headers), f"headers of {r.path}")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("target", ["another host", "a function on the same host"])
async def test_a_redirect_is_not_followed_so_the_credentials_go_nowhere_else(
    kind: str, credentials: dict[str, Any], status: int, target: str
) -> None:
    """The gateway on 127.0.0.1 redirects a /system/ call, to "localhost" on another port (another host) or to
    /function/ on itself (where httpx would keep the Authorization header). The client does not follow: it
    raises APIStatusError naming the Location, and nothing reaches the target."""
    with FaultServer(answer(200, json.dumps([FUNCTION])), url_host="localhost") as elsewhere:
        location = f"{elsewhere.url}/system/functions" if target == "another host" else "/function/evil"

        def redirect(conn: Conn, request: Received, index: int) -> None:
            if request.path.startswith("/function/"):
                conn.reply(200, json.dumps([FUNCTION]))
            else:
                conn.reply(status, "", {"Location": location})

        with FaultServer(redirect) as server:
            async with Twin(kind, server.url, **credentials) as client:
                with pytest.raises(APIStatusError) as info:
                    await client("functions.list")
    assert info.value.status_code == status
    assert location in str(info.value)
    assert_clean(_everything(info.value), "the redirect error")
    assert "authorization" in server.received[0].headers  # sent where it belongs
    assert server.count() == 1  # and only there
    assert elsewhere.count() == 0


async def test_async_and_sync_send_the_same_authorization() -> None:
    """Both clients build the header the same way (so the checks above test one thing, twice)."""
    seen: list[str | None] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        return httpx.Response(200, json=[])

    with OpenFaaS("http://g.test", env={}, token=TOKEN, transport=httpx.MockTransport(record)) as sync:
        sync.functions.list()
    async with AsyncOpenFaaS("http://g.test", env={}, token=TOKEN, transport=httpx.MockTransport(record)) as client:
        await client.functions.list()
    assert seen == [f"Bearer {TOKEN}"] * 2
    assert re.fullmatch(r"Bearer \S+", seen[0] or "")


# ---- OpenFaaS IAM: identity tokens, client secrets, gateway and function tokens --------------------------------

CLIENT_SECRET = "cs-Qw7-client-sekrit"


class IAMScene:
    """A fake IAM gateway over HTTP, with a protected function, and every IAM credential the clients will hold."""

    def __init__(self, gateway_: Any, url: str, identity: str) -> None:
        self.gateway, self.url, self.identity = gateway_, url, identity

    def issued(self) -> list[str]:
        """Every credential that went over the wire: the identity, the client secret, the tokens issued."""
        bearers = {r.headers.get("Authorization", "").partition(" ")[2] for r in self.gateway.requests}
        return [self.identity, CLIENT_SECRET, *sorted(bearer for bearer in bearers if len(bearer) > 20)]

    def assert_clean(self, text: str, where: str) -> None:
        stats.add("texts searched for IAM tokens and secrets")
        for secret in self.issued():
            assert secret not in text, f"{where} leaks an IAM credential: {text[:2000]}"


@pytest.fixture
def iam_scene(tmp_path: Any) -> Any:
    from pyopenfaas.testing import FakeGateway

    with FakeGateway(iam=True) as fake, fake.serve() as url:
        assert fake.iam is not None
        fake.deploy("secure", env_vars={"jwt_auth": "true"})
        fake.deploy("unseen", env_vars={"jwt_auth": "true"})
        fake.iam.add_client("ci", CLIENT_SECRET)
        identity = fake.iam.service_account_token()
        (tmp_path / "openfaas-token").write_text(identity)
        yield IAMScene(fake, url, identity)


def _iam_auths(scene: IAMScene, folder: str) -> list[Any]:
    from pyopenfaas.auth import ClientCredentialsTokenSource, ServiceAccountTokenSource, TokenExchangeAuth

    return [
        TokenExchangeAuth(ServiceAccountTokenSource(f"{folder}/openfaas-token")),
        TokenExchangeAuth(ClientCredentialsTokenSource(f"{scene.url}/oauth/token", "ci", CLIENT_SECRET)),
        TokenExchangeAuth(lambda: scene.identity),
    ]


async def test_iam_credentials_stay_out_of_reprs_logs_and_errors(
    kind: str,
    iam_scene: IAMScene,
    tmp_path: Any,
    debug_logs: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pyopenfaas import FunctionError, TokenExchangeError

    texts: list[tuple[str, str]] = []
    for auth in _iam_auths(iam_scene, str(tmp_path)):
        async with Twin(kind, iam_scene.url, auth=auth, env={"FAAS_DEBUG": "1"}) as client:
            await client("functions.list")
            await client("functions.invoke", "secure", b"x")  # 401, a function token, the retry
            await client("functions.invoke", "secure", b"x", function_auth=True)
            with pytest.raises(FunctionError) as streamed:
                await client("functions.invoke", "unseen", iter([b"x"]))
            api = client.client._api
            texts += [(repr(x), "a repr") for x in (client.client, auth, auth.source, api.settings, api.iam, api.auth)]
            texts.append((_everything(streamed.value), "the opt-in error"))
    wrong = _iam_auths(iam_scene, str(tmp_path))[1]
    wrong.source._client_secret = "not-" + CLIENT_SECRET
    async with Twin(kind, iam_scene.url, auth=wrong) as client:
        with pytest.raises(TokenExchangeError) as refused:
            await client("functions.list")
    texts.append((_everything(refused.value), "TokenExchangeError"))
    texts.append(("\n".join(record.getMessage() for record in debug_logs.records), "the logs"))
    texts.append((capsys.readouterr().err, "stderr"))
    assert len(iam_scene.issued()) >= 6  # identity, secret, gateway and function tokens: all seen on the wire
    assert "/oauth/token" in texts[-2][0]  # debug logging was on and logged the exchanges
    for text, where in texts:
        iam_scene.assert_clean(text, where)


def echoing_token_endpoint(conn: Conn, request: Received, index: int) -> None:
    """A token endpoint that quotes the whole form in its error, as a careless IdP might."""
    form = request.body.decode()
    conn.reply(400, json.dumps({"error": "invalid_grant", "error_description": f"bad: {form}"}), {})


async def test_a_token_endpoint_echoing_the_form_does_not_leak_it(kind: str) -> None:
    from urllib.parse import quote

    from pyopenfaas import TokenExchangeError
    from pyopenfaas.auth import ClientCredentialsTokenSource, TokenExchangeAuth

    with FaultServer(echoing_token_endpoint) as server:
        for auth in (
            TokenExchangeAuth(lambda: TOKEN),
            TokenExchangeAuth(ClientCredentialsTokenSource(f"{server.url}/idp", "ci", SECRET_VALUE)),
        ):
            async with Twin(kind, server.url, auth=auth) as client:
                with pytest.raises(TokenExchangeError) as info:
                    await client("functions.list")
            assert info.value.error == "invalid_grant"
            assert "bad: " in str(info.value)
            for secret in (TOKEN, SECRET_VALUE, quote(TOKEN), quote(SECRET_VALUE)):
                assert secret not in _everything(info.value)
                assert secret not in (info.value.error_description or "")
                assert secret not in info.value.body
