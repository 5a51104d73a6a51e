"""The auth types, the token requests on the wire, their answers, and IAM settings (faas-cli oauth2, the
service-account token's folder)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from pyopenfaas import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncOpenFaaS,
    BadRequestError,
    ConfigurationError,
    InternalServerError,
    OpenFaaS,
    TokenExchangeError,
)
from pyopenfaas._oauth import realm
from pyopenfaas.auth import (
    BearerAuth,
    ClientCredentialsTokenSource,
    ServiceAccountTokenSource,
    TokenExchangeAuth,
)
from pyopenfaas.testing import FakeGateway

pytestmark = pytest.mark.anyio


class TokenEndpoint:
    """A MockTransport handler: records token requests, answers with `answer`, serves `[]` elsewhere."""

    def __init__(self, status: int = 200, body: object = None) -> None:
        self.forms: list[dict[str, list[str]]] = []
        self.headers: list[httpx.Headers] = []
        self.status = status
        self.body = {"access_token": "gw-token", "expires_in": 3600} if body is None else body

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            self.forms.append(parse_qs(request.content.decode()))
            self.headers.append(request.headers)
            content = self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()
            return httpx.Response(self.status, content=content)
        self.headers.append(request.headers)
        return httpx.Response(200, json=[])


def client_for(endpoint: TokenEndpoint, auth: object, **kwargs: object) -> OpenFaaS:
    return OpenFaaS("http://gw.test", auth=auth, env={}, transport=httpx.MockTransport(endpoint), **kwargs)  # type: ignore[arg-type]


def test_the_exchange_on_the_wire() -> None:
    endpoint = TokenEndpoint()
    auth = TokenExchangeAuth(lambda: "id-token", audience=["a", "b"], scope="openid profile")
    with client_for(endpoint, auth) as client:
        client.functions.list()
    assert endpoint.forms == [
        {
            "grant_type": ["urn:ietf:params:oauth:grant-type:token-exchange"],
            "subject_token_type": ["urn:ietf:params:oauth:token-type:id_token"],
            "subject_token": ["id-token"],
            "audience": ["a", "b"],
            "scope": ["openid profile"],
        }
    ]
    assert endpoint.headers[0]["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in endpoint.headers[0]  # nothing of the client's on the token request
    assert endpoint.headers[1]["Authorization"] == "Bearer gw-token"


def test_the_token_url_defaults_to_the_gateway_and_keeps_its_prefix() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("/oauth/token"):
            return httpx.Response(200, json={"access_token": "t"})
        return httpx.Response(200, json=[])

    auth = TokenExchangeAuth(lambda: "id")
    with OpenFaaS("http://gw.test/prefix", auth=auth, env={}, transport=httpx.MockTransport(handler)) as client:
        client.functions.list()
    assert seen == ["http://gw.test/prefix/oauth/token", "http://gw.test/prefix/system/functions"]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, {"token_type": "Bearer"}, APIResponseValidationError),
        (200, b"<html>", APIResponseValidationError),
        (200, {"access_token": "t", "expires_in": "soon"}, APIResponseValidationError),
        (400, b"not json", BadRequestError),
        (500, {"error": "server_error"}, InternalServerError),
        (400, {"error": "invalid_request", "error_description": "no subject"}, TokenExchangeError),
        (401, {"error": "invalid_client"}, TokenExchangeError),
    ],
)
def test_answers_of_the_token_endpoint(status: int, body: object, error: type[Exception]) -> None:
    client = client_for(TokenEndpoint(status, body), TokenExchangeAuth(lambda: "id"), max_retries=0)
    with client, pytest.raises(error) as caught:
        client.functions.list()
    assert type(caught.value) is error
    if isinstance(caught.value, TokenExchangeError):
        assert isinstance(body, dict)
        assert caught.value.error == body["error"]
        assert caught.value.error_description == body.get("error_description")
        assert body["error"] in str(caught.value)


def test_identity_sources_must_return_a_token() -> None:
    returns_int = client_for(TokenEndpoint(), TokenExchangeAuth(lambda: 42))  # type: ignore[arg-type, return-value]
    with returns_int, pytest.raises(TypeError, match="returned int"):
        returns_int.functions.list()
    returns_empty = client_for(TokenEndpoint(), TokenExchangeAuth(lambda: ""))
    with returns_empty, pytest.raises(ConfigurationError, match="empty token"):
        returns_empty.functions.list()
    with pytest.raises(TypeError, match="callable"):
        TokenExchangeAuth("not callable")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="token_url"):
        TokenExchangeAuth(lambda: "x", token_url="ftp://idp")
    with pytest.raises(TypeError, match="audience"):
        TokenExchangeAuth(lambda: "x", audience=[""])
    with pytest.raises(ConfigurationError, match="client_secret"):
        ClientCredentialsTokenSource("https://idp/token", "id", "")
    with pytest.raises(TypeError, match="auth must be"):
        OpenFaaS("http://gw.test", auth="token", env={})  # type: ignore[arg-type]


def test_service_account_source_reads_the_mount_path_at_every_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("token_mount_path", str(tmp_path))
    source = ServiceAccountTokenSource()
    (tmp_path / "openfaas-token").write_text("first\n")
    assert source() == "first"
    (tmp_path / "openfaas-token").write_text("rotated")
    assert source() == "rotated"
    assert source.path == tmp_path / "openfaas-token"
    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.setenv("token_mount_path", str(other))
    with pytest.raises(ConfigurationError, match="elsewhere/openfaas-token"):
        source()
    (other / "openfaas-token").write_text("")
    with pytest.raises(ConfigurationError, match="is empty"):
        source()
    monkeypatch.setenv("token_mount_path", " ")
    with pytest.raises(ConfigurationError, match="token_mount_path is set but empty"):
        source()
    monkeypatch.delenv("token_mount_path")
    assert str(ServiceAccountTokenSource().path) == "/var/secrets/tokens/openfaas-token"
    assert repr(ServiceAccountTokenSource()) == "ServiceAccountTokenSource(path=$token_mount_path/openfaas-token)"


def test_client_credentials_on_its_own() -> None:
    with FakeGateway(iam=True) as gateway, gateway.serve() as url:
        assert gateway.iam is not None
        gateway.iam.add_client("bot", "s3cret")
        source = ClientCredentialsTokenSource(f"{url}/oauth/token", "bot", "s3cret", audience="openfaas")
        first = source()
        assert source() == first  # kept until near its expiry
        assert gateway.iam.client_credentials_grants == 1
        with pytest.raises(TokenExchangeError, match="invalid_client"):
            ClientCredentialsTokenSource(f"{url}/oauth/token", "bot", "wrong")()
    with pytest.raises(APIConnectionError, match=r"POST http://127\.0\.0\.1:9/token"):
        ClientCredentialsTokenSource("http://127.0.0.1:9/token", "bot", "s3cret")()


def test_a_faas_cli_oauth2_login_earns_function_tokens(tmp_path: Path) -> None:
    with FakeGateway(iam=True) as gateway:
        assert gateway.iam is not None
        gateway.deploy("secure", env_vars={"jwt_auth": "true"})
        transport = gateway.transport()
        with OpenFaaS("http://fake", auth=TokenExchangeAuth(gateway.iam.service_account_token), env={},
                      transport=transport) as probe:  # fmt: skip
            probe.functions.list()
            login = probe._api.gateway_token()
        (tmp_path / "config.yml").write_text(
            f"authurl: http://fake/oauth/token\nauths:\n- gateway: http://fake\n  auth: oauth2\n  token: {login}\n"
        )
        with OpenFaaS("http://fake", env={}, config_dir=tmp_path, transport=transport, function_auth=True) as client:
            assert "auth='bearer'" in repr(client)
            assert client.functions.invoke("secure", b"ok").content == b"ok"
            assert [fn.name for fn in client.functions.list()] == ["secure"]
        assert (gateway.iam.exchanges, gateway.iam.function_exchanges) == (1, 1)


async def test_with_options_shares_the_tokens() -> None:
    with FakeGateway(iam=True) as gateway:
        assert gateway.iam is not None
        gateway.deploy("secure", env_vars={"jwt_auth": "true"})
        auth = TokenExchangeAuth(gateway.iam.service_account_token)
        async with AsyncOpenFaaS("http://fake", auth=auth, env={}, transport=gateway.transport()) as client:
            await client.functions.invoke("secure", b"1", function_auth=True)
            await client.with_options(max_retries=0).functions.invoke("secure", b"2", function_auth=True)
            # Another client of the same gateway shares the TokenExchangeAuth's gateway token.
            async with AsyncOpenFaaS("http://fake", auth=auth, env={}, transport=gateway.transport()) as other:
                await other.functions.list()
        assert (gateway.iam.exchanges, gateway.iam.function_exchanges) == (1, 1)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer realm=IAM function invoke", "IAM function invoke"),
        ('Bearer realm="IAM function invoke", error="invalid_token"', "IAM function invoke"),
        ('Basic realm="Restricted"', "Restricted"),
        ("Bearer", None),
        ("", None),
    ],
)
def test_realm(header: str, expected: str | None) -> None:
    assert realm(httpx.Response(401, headers={"WWW-Authenticate": header} if header else {})) == expected


def test_bearer_auth_is_public_and_discreet() -> None:
    assert repr(BearerAuth("s3cret")) == "BearerAuth(token=***)"
    with pytest.raises(ConfigurationError):
        BearerAuth("")
    endpoint = TokenEndpoint()
    with client_for(endpoint, BearerAuth("static")) as client:
        client.functions.list()
        assert "auth='bearer'" in repr(client)
    assert endpoint.headers[0]["Authorization"] == "Bearer static"


async def test_function_auth_arguments_are_checked_before_anything_is_sent() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    async with AsyncOpenFaaS("http://gw.test", env={}, password="pw", transport=httpx.MockTransport(record)) as basic:
        with pytest.raises(ConfigurationError, match="this client has basic auth"):
            basic.functions.invoke_many("fn", [b"x"], function_auth=True)
        with pytest.raises(TypeError, match="function_auth must be a bool or None"):
            await basic.functions.invoke("fn", b"x", function_auth="yes")  # type: ignore[arg-type]
    with OpenFaaS("http://gw.test", env={}, token="t", transport=httpx.MockTransport(record)) as iam:
        with pytest.raises(ValueError, match="do not pass one"):
            iam.functions.invoke_many("fn", [b"x"], function_auth=True, headers={"authorization": "Bearer mine"})
        with pytest.raises(ValueError, match="do not pass one"):
            iam.functions.invoke_async("fn", b"x", function_auth=True, headers={"Authorization": "Bearer mine"})
        with pytest.raises(TypeError, match="function_auth must be a bool"):
            OpenFaaS("http://gw.test", env={}, token="t", function_auth=1)  # type: ignore[arg-type]
    assert sent == []


def test_importing_pyopenfaas_loads_no_jwt_library_and_no_asyncio() -> None:
    """PyJWT and cryptography are for the fake IAM only; the token caches load asyncio when first needed."""
    import subprocess
    import sys

    code = (
        "import sys, pyopenfaas, pyopenfaas.auth, pyopenfaas.testing; "
        "print(sorted(m for m in ('jwt', 'cryptography', 'asyncio') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({}, r"IAM credentials.*; no credentials were configured for http://gw\.test: pyopenfaas looked at"),
        ({"password": "pw"}, r"; this client has basic auth \(a gateway user and password\), which cannot be"),
        ({"auth": httpx.BasicAuth("u", "p")}, r"; this client's auth= is an httpx\.Auth of the caller's"),
    ],
    ids=["none", "basic", "custom"],
)
def test_function_auth_without_iam_says_why(options: dict[str, object], says: str) -> None:
    with pytest.raises(ConfigurationError, match=says) as caught:
        OpenFaaS("http://gw.test", env={}, config_dir=None, function_auth=True, **options)  # type: ignore[arg-type]
    assert "none auth" not in str(caught.value)
