"""Tokens as a public API: `client.function_token()`, `exchange_token`, and a `TokenCache` several clients share
(`MemoryTokenCache` or the user's own), on OpenFaaS and AsyncOpenFaaS against the fake IAM over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from pyopenfaas import AuthenticationError, ConfigurationError, TokenExchangeError
from pyopenfaas import _oauth as oauth
from pyopenfaas.auth import (
    MemoryTokenCache,
    ServiceAccountTokenSource,
    Token,
    TokenCache,
    TokenExchangeAuth,
    async_exchange_token,
    exchange_token,
)
from pyopenfaas.testing import FakeGateway
from pyopenfaas.testing._iam import FakeIAM

from tests.support.clients import Twin

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(oauth, "monotonic", fake)
    return fake


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with FakeGateway(iam=True) as made:
        made.deploy("secure", env_vars={"jwt_auth": "true"})
        made.deploy("billing", namespace="openfaas-fn", env_vars={"jwt_auth": "true"})
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
def source(tmp_path: Path, iam: FakeIAM) -> ServiceAccountTokenSource:
    path = tmp_path / "openfaas-token"
    path.write_text(iam.service_account_token())
    return ServiceAccountTokenSource(path)


@pytest.fixture
async def make(kind: str, url: str) -> Any:
    made: list[Twin] = []

    def factory(**kwargs: Any) -> Twin:
        twin = Twin(kind, url, **kwargs)
        made.append(twin)
        return twin

    yield factory
    for twin in made:
        await twin.aclose()


def claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


class DictCache:
    """A user's own TokenCache: a plain dict behind a lock, recording what it is asked."""

    def __init__(self) -> None:
        self.tokens: dict[str, Token] = {}
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def get(self, key: str) -> Token | None:
        with self._lock:
            self.calls.append("get")
            return self.tokens.get(key)

    def set(self, key: str, token: Token) -> None:
        with self._lock:
            self.calls.append("set")
            self.tokens[key] = token

    def delete(self, key: str) -> None:
        with self._lock:
            self.calls.append("delete")
            self.tokens.pop(key, None)


# ---- client.function_token ---------------------------------------------------------------------------------


async def test_function_token_is_scoped_cached_and_accepted(
    make: Any, source: ServiceAccountTokenSource, iam: FakeIAM
) -> None:
    client = make(auth=TokenExchangeAuth(source))
    token = await client("function_token", "secure")
    assert claims(token)["function"]["audience"] == ["openfaas-fn:secure"]
    assert await client("function_token", "secure") == token
    assert (iam.exchanges, iam.function_exchanges) == (1, 1)
    # The token invoke would send: the function takes it, and invoke reuses it.
    own = make(username="admin", password="pw")  # no IAM of its own: the header is the only token sent
    response = await own("functions.invoke", "secure", b"hi", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert (await client("functions.invoke", "secure", b"x", function_auth=True)).status_code == 200
    assert iam.function_exchanges == 1


async def test_function_token_namespace(make: Any, source: ServiceAccountTokenSource) -> None:
    client = make(auth=TokenExchangeAuth(source), namespace="team-a")
    assert claims(await client("function_token", "secure"))["function"]["audience"] == ["team-a:secure"]
    token = await client("function_token", "secure", "staging")
    assert claims(token)["function"]["audience"] == ["staging:secure"]


async def test_function_token_needs_iam_credentials(make: Any) -> None:
    client = make(username="admin", password="pw")
    with pytest.raises(ConfigurationError, match=r"function tokens need IAM credentials.*this client has basic auth"):
        await client("function_token", "secure")
    with pytest.raises(ValueError, match="name"):
        await make(token="t")("function_token", "Not A Name")


# ---- a shared TokenCache -------------------------------------------------------------------------------------


async def test_clients_sharing_a_cache_share_function_tokens(
    make: Any, source: ServiceAccountTokenSource, iam: FakeIAM
) -> None:
    cache, auth = MemoryTokenCache(), TokenExchangeAuth(source)
    first, second = make(auth=auth, token_cache=cache), make(auth=auth, token_cache=cache)
    token = await first("function_token", "secure")
    assert await second("function_token", "secure") == token
    assert iam.function_exchanges == 1
    assert len(cache) == 1
    # A client with its own cache (the default) exchanges for itself.
    assert await make(auth=auth)("function_token", "secure")
    assert iam.function_exchanges == 2


async def test_other_credentials_never_get_each_others_tokens(make: Any, url: str, iam: FakeIAM) -> None:
    cache = MemoryTokenCache()
    gateway_tokens = [
        exchange_token(f"{url}/oauth/token", iam.service_account_token(name)).value for name in ("alice", "bob")
    ]
    alice, bob = (make(token=value, token_cache=cache) for value in gateway_tokens)
    alices = await alice("function_token", "secure")
    bobs = await bob("function_token", "secure")
    assert alices != bobs
    assert "alice" in claims(alices)["sub"]
    assert "bob" in claims(bobs)["sub"]
    assert iam.function_exchanges == 2
    assert len(cache) == 2


async def test_gateway_tokens_go_to_the_auth_objects_cache(
    make: Any, source: ServiceAccountTokenSource, iam: FakeIAM
) -> None:
    cache = DictCache()
    client = make(auth=TokenExchangeAuth(source, token_cache=cache), token_cache=cache)
    await client("functions.list")
    await client("function_token", "secure")
    assert (iam.exchanges, iam.function_exchanges) == (1, 1)
    kinds = sorted(key.split("|")[0] for key in cache.tokens)
    assert kinds == ["function", "gateway"]
    assert "set" in cache.calls


async def test_a_refused_gateway_token_is_deleted_from_the_cache(
    make: Any, source: ServiceAccountTokenSource, iam: FakeIAM, gateway: FakeGateway
) -> None:
    cache = DictCache()
    client = make(auth=TokenExchangeAuth(source, token_cache=cache))
    await client("functions.list")
    key = next(iter(cache.tokens))
    cache.tokens[key] = Token("refused-token", None)  # e.g. revoked since
    with pytest.raises(AuthenticationError):
        await client("functions.list")
    assert "delete" in cache.calls
    assert key not in cache.tokens
    await client("functions.list")
    assert iam.exchanges == 2


def test_memory_token_cache(clock: Clock) -> None:
    cache = MemoryTokenCache(maxsize=2)
    assert isinstance(cache, TokenCache)
    cache.set("a", Token("ta", clock.now + 60))
    cache.set("b", Token("tb", None))
    assert cache.get("a") == Token("ta", clock.now + 60)
    cache.set("c", Token("tc", clock.now + 60))  # "a" was stored least recently
    assert (cache.get("a"), len(cache)) == (None, 2)
    cache.set("a", Token("ta", clock.now + 60))  # "b" goes
    assert cache.get("b") is None
    clock.now += 51  # within the 10 s margin of "a"'s and "c"'s expiry
    assert cache.get("a") is None
    assert len(cache) == 1
    cache.delete("c")
    cache.delete("c")
    assert cache.get("c") is None
    assert repr(cache) == "MemoryTokenCache(tokens=0, maxsize=2)"
    assert "tc" not in repr(Token("tc", None))


@pytest.mark.parametrize("maxsize", [0, -1, True, 1.5])
def test_memory_token_cache_size_is_checked(maxsize: Any) -> None:
    with pytest.raises(ValueError, match="maxsize must be a positive int"):
        MemoryTokenCache(maxsize)


def test_token_cache_arguments_are_checked(source: ServiceAccountTokenSource, url: str) -> None:
    with pytest.raises(TypeError, match="token_cache must have get, set and delete"):
        TokenExchangeAuth(source, token_cache={})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="token_cache must have get, set and delete"):
        Twin("sync-httpx", url, token="t", token_cache=object())
    with pytest.raises(ConfigurationError, match="token_cache holds OpenFaaS IAM tokens: it needs IAM credentials"):
        Twin("sync-httpx", url, username="admin", password="pw", token_cache=MemoryTokenCache())


# ---- exchange_token ------------------------------------------------------------------------------------------


def test_exchange_token_for_a_gateway_then_a_function_token(url: str, iam: FakeIAM, clock: Clock) -> None:
    gateway_token = exchange_token(f"{url}/oauth/token", iam.service_account_token())
    assert gateway_token.expires_at is not None
    assert gateway_token.fresh()
    with httpx.Client() as http:
        function = exchange_token(
            f"{url}/oauth/token",
            gateway_token.value,
            scope="function",
            audience=["openfaas-fn:secure"],
            http_client=http,
        )
    assert claims(function.value)["function"]["audience"] == ["openfaas-fn:secure"]
    assert (iam.exchanges, iam.function_exchanges) == (1, 1)


async def test_async_exchange_token(url: str, iam: FakeIAM) -> None:
    token = await async_exchange_token(f"{url}/oauth/token", iam.service_account_token())
    async with httpx.AsyncClient() as http:
        again = await async_exchange_token(f"{url}/oauth/token", iam.service_account_token(), http_client=http)
    assert token.fresh()
    assert again.fresh()
    assert iam.exchanges == 2


async def test_a_refused_exchange_names_the_reason_not_the_token(url: str) -> None:
    subject = "not-a-jwt-but-secret"
    with pytest.raises(TokenExchangeError) as caught:
        exchange_token(f"{url}/oauth/token", subject)
    assert caught.value.error
    assert subject not in str(caught.value)
    with pytest.raises(TokenExchangeError) as caught_async:
        await async_exchange_token(f"{url}/oauth/token", subject)
    assert subject not in str(caught_async.value)


@pytest.mark.parametrize(
    ("url", "subject", "error"),
    [("ftp://x/oauth/token", "t", ConfigurationError), ("http://x/oauth/token", "", ValueError)],
)
def test_exchange_token_checks_its_arguments(url: str, subject: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        exchange_token(url, subject)
