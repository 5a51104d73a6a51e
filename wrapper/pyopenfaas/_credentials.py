"""The credential types of `pyopenfaas.auth` (which re-exports them) and the token flows they run: a static bearer
token, identity sources, and OpenFaaS IAM token exchange with its gateway token caches."""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import TypeAlias, TypeVar

import httpx

from ._defaults import DEFAULT_TOKEN_TIMEOUT
from ._errors import APIConnectionError, ConfigurationError
from ._oauth import Token, TokenFlow, TokenRequest, client_credentials, parse_token, token_exchange
from ._tokens import MemoryTokenCache, SingleFlight, TokenCache, check_token_cache

T = TypeVar("T")

TokenSource: TypeAlias = Callable[[], str]
"""An identity source: returns an identity token (a JWT the gateway's IAM trusts) each time it is called."""

DEFAULT_TOKEN_MOUNT_PATH = "/var/secrets/tokens"  # noqa: S105 - a folder
TOKEN_MOUNT_PATH_ENV = "token_mount_path"  # noqa: S105 - a variable name
TOKEN_FILE = "openfaas-token"  # noqa: S105 - a file name


class BearerAuth(httpx.Auth):
    """`Authorization: Bearer <token>` on gateway calls: a static token (`OPENFAAS_TOKEN`, `faas-cli login`)."""

    def __init__(self, token: str) -> None:
        if not isinstance(token, str) or not token:
            raise ConfigurationError("the bearer token must be a non-empty str")
        self._token = token
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token=***)"


class ServiceAccountTokenSource:
    """A Kubernetes projected service-account token, read from `<token_mount_path>/openfaas-token` (the
    environment variable `token_mount_path`, default `/var/secrets/tokens`), or from `path`. The file is read
    again for every exchange: the kubelet rotates it."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._path = None if path is None else Path(path)

    @property
    def path(self) -> Path:
        """The file read at the next exchange."""
        if self._path is not None:
            return self._path
        mount = os.environ.get(TOKEN_MOUNT_PATH_ENV, DEFAULT_TOKEN_MOUNT_PATH).strip()
        if not mount:
            raise ConfigurationError(f"{TOKEN_MOUNT_PATH_ENV} is set but empty: it must name the token's folder")
        return Path(mount) / TOKEN_FILE

    def __call__(self) -> str:
        path = self.path
        try:
            token = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            raise ConfigurationError(f"cannot read the service account token {str(path)!r}: {reason}") from None
        if not token:
            raise ConfigurationError(f"the service account token file {str(path)!r} is empty")
        return token

    def __repr__(self) -> str:
        where = repr(str(self._path)) if self._path is not None else f"${TOKEN_MOUNT_PATH_ENV}/{TOKEN_FILE}"
        return f"ServiceAccountTokenSource(path={where})"


class ClientCredentialsTokenSource:
    """An access token from an identity provider's token URL by the OIDC client-credentials grant, kept until
    10 s before it expires. Inside a client it is fetched through the client's own connection pool."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | Sequence[str] | None = None,
        audience: str | Sequence[str] | None = None,
    ) -> None:
        for name, value in (("token_url", token_url), ("client_id", client_id), ("client_secret", client_secret)):
            if not isinstance(value, str) or not value:
                raise ConfigurationError(f"ClientCredentialsTokenSource: {name} must be a non-empty str")
        self.token_url = check_url(token_url, "token_url")
        self.client_id = client_id
        self._client_secret = client_secret
        self.scope = words(scope, "scope")
        self.audience = words(audience, "audience")
        self._token: Token | None = None
        self._lock = threading.Lock()

    def _flow(self) -> Generator[TokenRequest, httpx.Response, str]:
        token = self._token
        if token is None or not token.fresh():
            request = client_credentials(
                self.token_url, self.client_id, self._client_secret, scope=self.scope, audience=self.audience
            )
            token = self._token = parse_token((yield request), request)
        return token.value

    def __call__(self) -> str:
        """Fetch (or reuse) the token outside a client, through a short-lived `httpx.Client`."""
        with self._lock:
            return run_flow(self._flow(), DEFAULT_TOKEN_TIMEOUT)

    def __repr__(self) -> str:
        return f"ClientCredentialsTokenSource(token_url={self.token_url!r}, client_id={self.client_id!r})"


class TokenExchangeAuth:
    """OpenFaaS IAM: the identity from `source` exchanged (RFC 8693) for a gateway token, cached until 10 s
    before it expires. `token_url` defaults to the gateway's `/oauth/token`; `audience` and `scope` are sent
    with the exchange when given. One instance may be shared by several clients of the same gateway.
    `token_cache` keeps the gateway tokens (default: a `MemoryTokenCache` of this instance's own)."""

    def __init__(
        self,
        source: TokenSource,
        *,
        token_url: str | None = None,
        audience: str | Sequence[str] | None = None,
        scope: str | Sequence[str] | None = None,
        token_cache: TokenCache | None = None,
    ) -> None:
        if not callable(source):
            raise TypeError(f"source must be a callable returning an identity token, not {type(source).__name__}")
        self.source = source
        self.token_url = None if token_url is None else check_url(token_url, "token_url")
        self.audience = words(audience, "audience")
        self.scope = words(scope, "scope")
        self.token_cache = check_token_cache(token_cache)
        # Who asks, in the cache's keys: this object's identity source (a callable cannot be compared).
        self._id = secrets.token_hex(8)
        self._caches: dict[str, SingleFlight] = {}
        self._lock = threading.Lock()

    def _cache(self, token_url: str) -> SingleFlight:
        """The gateway token cache for `token_url` (shared by every client bound to it)."""
        with self._lock:
            cache = self._caches.get(token_url)
            if cache is None:
                store = self.token_cache if self.token_cache is not None else MemoryTokenCache(1)
                cache = self._caches[token_url] = SingleFlight(store, f"gateway|{token_url}|{self._id}")
            return cache

    def _flow(self, token_url: str) -> TokenFlow:
        if isinstance(self.source, ClientCredentialsTokenSource):
            subject = yield from self.source._flow()
        else:
            subject = self.source()
            if not isinstance(subject, str):
                raise TypeError(f"the identity source returned {type(subject).__name__}, not a str token")
            if not subject:
                raise ConfigurationError("the identity source returned an empty token")
        request = token_exchange(token_url, subject, audience=self.audience, scope=self.scope)
        return parse_token((yield request), request)

    def __repr__(self) -> str:
        return f"TokenExchangeAuth(source={self.source!r}, token_url={self.token_url!r})"


def exchange_token(
    token_url: str,
    subject_token: str,
    *,
    audience: str | Sequence[str] | None = None,
    scope: str | Sequence[str] | None = None,
    http_client: httpx.Client | None = None,
    timeout: float = DEFAULT_TOKEN_TIMEOUT,
) -> Token:
    """One RFC 8693 token exchange: `subject_token` (an identity token the issuer trusts, or a gateway token)
    exchanged at `token_url` for an access token, e.g. a function token with `scope="function"` and
    `audience="<namespace>:<function>"`. Not cached. Sent through `http_client` when given, else a short-lived
    `httpx.Client`. `TokenExchangeError` when the issuer refuses."""
    request = _exchange_request(token_url, subject_token, audience, scope)
    return run_flow(_one_exchange(request), timeout, http_client)


async def async_exchange_token(
    token_url: str,
    subject_token: str,
    *,
    audience: str | Sequence[str] | None = None,
    scope: str | Sequence[str] | None = None,
    http_client: httpx.AsyncClient | None = None,
    timeout: float = DEFAULT_TOKEN_TIMEOUT,
) -> Token:
    """`exchange_token`, awaitable (through `http_client`, else a short-lived `httpx.AsyncClient`)."""
    request = _exchange_request(token_url, subject_token, audience, scope)
    async with contextlib.AsyncExitStack() as stack:
        http = http_client
        if http is None:
            http = await stack.enter_async_context(httpx.AsyncClient(timeout=timeout))
        try:
            response = await http.post(request.url, data=request.form)
        except httpx.TransportError as exc:
            raise APIConnectionError(f"POST {request.url}: {str(exc) or type(exc).__name__}") from None
    return parse_token(response, request)


def _exchange_request(
    token_url: str, subject_token: str, audience: str | Sequence[str] | None, scope: str | Sequence[str] | None
) -> TokenRequest:
    if not isinstance(subject_token, str) or not subject_token:
        raise ValueError("subject_token must be a non-empty str")
    url = check_url(token_url, "token_url")
    return token_exchange(url, subject_token, audience=words(audience, "audience"), scope=words(scope, "scope"))


def _one_exchange(request: TokenRequest) -> TokenFlow:
    return parse_token((yield request), request)


def run_flow(flow: Generator[TokenRequest, httpx.Response, T], timeout: float, http: httpx.Client | None = None) -> T:
    """Run a token flow outside a client, its requests sent through `http` or a short-lived `httpx.Client`."""
    with contextlib.ExitStack() as stack:
        if http is None:
            http = stack.enter_context(httpx.Client(timeout=timeout))
        try:
            request = next(flow)
            while True:
                try:
                    response = http.post(request.url, data=request.form)
                except httpx.TransportError as exc:
                    raise APIConnectionError(f"POST {request.url}: {str(exc) or type(exc).__name__}") from None
                request = flow.send(response)
        except StopIteration as stop:
            result: T = stop.value
            return result


def check_url(value: str, what: str) -> str:
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"{what} must be an http(s) URL, not {value!r}")
    return value


def words(value: str | Sequence[str] | None, what: str) -> tuple[str, ...]:
    """A scope or audience: one space-separated string, or a sequence of strings."""
    if value is None:
        return ()
    words = value.split() if isinstance(value, str) else list(value)
    if not all(isinstance(word, str) and word for word in words):
        raise TypeError(f"{what} must be a str or a sequence of non-empty str, not {value!r}")
    return tuple(words)
