"""The whole IAM flow on OpenFaaS and AsyncOpenFaaS (aiohttp and httpx transports), against the fake IAM over
real HTTP: token exchange from a service account, function auth opted in or earned by faas-cli's retry, token
scoping, failures, and one exchange for a thousand concurrent invocations."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from pyopenfaas import (
    APIConnectionError,
    ConfigurationError,
    FunctionError,
    OpenFaaSError,
    TokenExchangeError,
)
from pyopenfaas.auth import ClientCredentialsTokenSource, ServiceAccountTokenSource, TokenExchangeAuth
from pyopenfaas.testing import FakeGateway, FunctionRequest
from pyopenfaas.testing._iam import FakeIAM

from tests.support.clients import Twin

pytestmark = pytest.mark.anyio


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with FakeGateway(iam=True) as made:
        made.deploy("secure", env_vars={"jwt_auth": "true"})
        made.deploy("other", env_vars={"jwt_auth": "true"})
        made.deploy("open")
        yield made


@pytest.fixture
def iam(gateway: FakeGateway) -> FakeIAM:
    assert gateway.iam is not None
    return gateway.iam


@pytest.fixture
def url(gateway: FakeGateway) -> Iterator[str]:
    with gateway.serve() as served:
        yield served


@pytest.fixture
def token_file(tmp_path: Path, iam: FakeIAM) -> Path:
    path = tmp_path / "openfaas-token"
    path.write_text(iam.service_account_token() + "\n")
    return path


@pytest.fixture
async def make(kind: str, url: str, token_file: Path) -> Any:
    made: list[Twin] = []

    def factory(**kwargs: Any) -> Twin:
        kwargs.setdefault("auth", TokenExchangeAuth(ServiceAccountTokenSource(token_file)))
        twin = Twin(kind, url, **kwargs)
        made.append(twin)
        return twin

    yield factory
    for twin in made:
        await twin.aclose()


def rotate(path: Path, token: str) -> None:
    """What the kubelet does: a new token in the mounted file."""
    path.write_text(token)


def claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


async def test_exchange_then_function_auth_by_retry(make: Any, iam: FakeIAM, gateway: FakeGateway) -> None:
    client = make()
    assert sorted(fn.name for fn in await client("functions.list")) == ["open", "other", "secure"]
    assert (iam.exchanges, iam.function_exchanges) == (1, 0)
    # Not opted in: the middleware's 401 (realm IAM function invoke) earns a function token and one retry.
    response = await client("functions.invoke", "secure", b"hello")
    assert response.status_code == 200
    assert response.content == b"hello"
    assert (iam.exchanges, iam.function_exchanges) == (1, 1)
    # Cached from now on, whether opted in or not.
    assert (await client("functions.invoke", "secure", "again", function_auth=True)).text == "again"
    assert (await client("functions.invoke", "secure", b"x")).status_code == 200
    assert (iam.exchanges, iam.function_exchanges) == (1, 1)
    calls = [r for r in gateway.requests if r.path == "/function/secure"]
    assert [("Authorization" in r.headers) for r in calls] == [False, True, True, True]


async def test_client_wide_function_auth_and_queued_calls(make: Any, iam: FakeIAM, gateway: FakeGateway) -> None:
    client = make(function_auth=True)
    seen: list[FunctionRequest] = []
    gateway.register("secure", seen.append)
    assert (await client("functions.invoke_async", "secure", b"queued")).status_code == 202
    gateway.wait_idle()
    assert [request.body for request in seen] == [b"queued"]
    assert claims(seen[0].headers["Authorization"].removeprefix("Bearer "))["function"]["audience"] == [
        "openfaas-fn:secure"
    ]
    assert (await client("functions.invoke", "secure", b"direct")).status_code == 200
    assert iam.function_exchanges == 1
    assert next(r for r in gateway.requests if r.path == "/function/secure").headers["Authorization"]


async def test_tokens_go_only_to_their_own_function(make: Any, gateway: FakeGateway, iam: FakeIAM) -> None:
    client = make()
    await client("functions.invoke", "secure", b"a", function_auth=True)
    await client("functions.invoke", "other", b"b", function_auth=True)
    await client("functions.invoke", "open", b"c")
    await client("functions.list")
    assert iam.function_exchanges == 2
    for recorded in gateway.requests:
        bearer = recorded.headers.get("Authorization", "").removeprefix("Bearer ")
        if recorded.path.startswith("/function/"):
            name = recorded.path.removeprefix("/function/")
            if bearer:  # a function token for this very function, never the gateway token
                assert claims(bearer)["function"]["audience"] == [f"openfaas-fn:{name}"]
            else:
                assert name == "open"
        elif recorded.path.startswith("/system/"):
            assert "function" not in claims(bearer)


async def test_a_streamed_body_cannot_be_replayed(make: Any, iam: FakeIAM) -> None:
    client = make()
    with pytest.raises(FunctionError, match=r"pass function_auth=True") as caught:
        await client("functions.invoke", "secure", iter([b"chunk"]))
    assert caught.value.status_code == 401
    assert iam.function_exchanges == 0
    streamed = await client("functions.invoke", "secure", iter([b"one", b"two"]), function_auth=True)
    assert streamed.content == b"onetwo"


async def test_a_function_the_identity_may_not_call(make: Any, iam: FakeIAM) -> None:
    iam.set_permissions("system:serviceaccount:openfaas-fn:default", ["openfaas-fn:sec*"])
    client = make()
    assert (await client("functions.invoke", "secure", b"x", namespace="openfaas-fn")).status_code == 200
    # The token for openfaas-fn:other lacks the permission: the middleware's 403 comes back as it is.
    with pytest.raises(FunctionError) as caught:
        await client("functions.invoke", "other", b"x")
    assert caught.value.status_code == 403
    assert caught.value.body == "insufficient permissions"
    assert iam.function_exchanges == 2


async def test_a_failed_exchange_raises_and_is_not_cached(make: Any, iam: FakeIAM, token_file: Path) -> None:
    rotate(token_file, iam.service_account_token(expires_in=-60))
    client = make()
    with pytest.raises(TokenExchangeError) as caught:
        await client("functions.list")
    assert caught.value.error == "invalid_grant"
    assert caught.value.error_description is not None
    assert "token is expired" in caught.value.error_description
    assert caught.value.status_code == 400
    # The kubelet rotates the file: the next call reads it again and succeeds.
    rotate(token_file, iam.service_account_token())
    assert len(await client("functions.list")) == 3
    assert iam.exchanges == 1


async def test_tokens_close_to_expiry_are_exchanged_again(make: Any, iam: FakeIAM) -> None:
    iam.token_lifetime = 10  # inside the 10 s margin: never reused
    client = make()
    for _ in range(3):
        await client("functions.list")
    assert iam.exchanges == 3
    iam.token_lifetime = 3600
    for _ in range(3):
        await client("functions.list")
    assert iam.exchanges == 4


async def test_an_unreachable_identity_provider(make: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make(auth=TokenExchangeAuth(lambda: "id-token", token_url=f"http://127.0.0.1:{port}/oauth/token"))
    client.client._api.max_retries = 0
    with pytest.raises(APIConnectionError, match=f"POST http://127.0.0.1:{port}/oauth/token"):
        await client("functions.list")


async def test_client_credentials(make: Any, iam: FakeIAM, url: str) -> None:
    iam.add_client("ci-bot", "cc-Secret-9")
    source = ClientCredentialsTokenSource(f"{url}/oauth/token", "ci-bot", "cc-Secret-9", scope="openid")
    client = make(auth=TokenExchangeAuth(source))
    assert (await client("functions.invoke", "secure", b"ok", function_auth=True)).text == "ok"
    assert (iam.client_credentials_grants, iam.exchanges, iam.function_exchanges) == (1, 1, 1)
    wrong = make(auth=TokenExchangeAuth(ClientCredentialsTokenSource(f"{url}/oauth/token", "ci-bot", "nope")))
    with pytest.raises(TokenExchangeError) as caught:
        await wrong("functions.list")
    assert (caught.value.error, caught.value.status_code) == ("invalid_client", 401)


async def test_a_static_gateway_token_earns_function_tokens(make: Any, url: str, iam: FakeIAM) -> None:
    """`OPENFAAS_TOKEN` (or a faas-cli oauth2 login) holding a gateway token, as faas-cli uses it."""
    probe = make()
    await probe("functions.list")
    gateway_token = probe.client._api.iam.gateway.peek()
    assert gateway_token is not None
    client = make(auth=None, env={"OPENFAAS_TOKEN": gateway_token})
    assert (await client("functions.invoke", "secure", b"s")).status_code == 200
    assert iam.function_exchanges == 1


async def test_function_auth_needs_iam_credentials(make: Any) -> None:
    with pytest.raises(ConfigurationError, match="function_auth=True needs OpenFaaS IAM credentials"):
        make(auth=None, username="admin", password="pw", function_auth=True)
    basic = make(auth=None, username="admin", password="pw")
    with pytest.raises(ConfigurationError, match="this client has basic auth"):
        await basic("functions.invoke", "secure", b"x", function_auth=True)
    with pytest.raises(ValueError, match="do not pass one"):
        await make()("functions.invoke", "secure", b"x", function_auth=True, headers={"Authorization": "Bearer x"})


async def test_a_caller_authorization_header_is_left_alone(make: Any, iam: FakeIAM) -> None:
    client = make()
    response = await client(
        "functions.invoke", "secure", b"x", headers={"Authorization": "Bearer mine"}, raise_for_status=False
    )
    assert response.status_code == 401
    assert iam.function_exchanges == 0


@pytest.mark.parametrize("opt_in", [True, False])
async def test_two_hundred_concurrent_calls_make_one_exchange_each(make: Any, iam: FakeIAM, opt_in: bool) -> None:
    # 200 calls at 64 in flight: every one of the first 64 misses the cache at once, which is what single-flight is for.
    client = make(max_connections=64)
    count = 200
    results = client.client.functions.invoke_many(
        "secure", [f"p{index}".encode() for index in range(count)], concurrency=64, function_auth=opt_in or None
    )
    answers = [item async for item in results] if hasattr(results, "__aiter__") else list(results)
    assert [(index, response.content) for index, response in answers] == [
        (index, f"p{index}".encode()) for index in range(count)
    ]
    assert not any(isinstance(response, OpenFaaSError) for _, response in answers)
    assert (iam.exchanges, iam.function_exchanges) == (1, 1)
