"""Credentials for the gateway: a static bearer token, or OpenFaaS IAM token exchange from an identity source.

    from pyopenfaas import OpenFaaS
    from pyopenfaas.auth import ServiceAccountTokenSource, TokenExchangeAuth

    client = OpenFaaS("https://gateway.example.com", auth=TokenExchangeAuth(ServiceAccountTokenSource()))
    client.functions.invoke("figlet", "hi", function_auth=True)  # with a token scoped to that function

An identity source is any callable that returns an identity token (a JWT) as `str`. `TokenExchangeAuth`
exchanges it at the gateway's `/oauth/token` for a gateway token, caches that, and exchanges again at least
10 s before it expires; however many threads or tasks need a token at once, one exchange runs. Tokens and
secrets never appear in a repr, an exception or a log line.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import TypeAlias

import httpx

from ._errors import APIConnectionError, ConfigurationError, TokenExchangeError
from ._oauth import Token, TokenFlow, TokenRequest, client_credentials, parse_token, token_exchange
from ._tokens import TokenCache

__all__ = [
    "BearerAuth",
    "ClientCredentialsTokenSource",
    "ServiceAccountTokenSource",
    "TokenExchangeAuth",
    "TokenExchangeError",
    "TokenSource",
]

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
        self.token_url = _check_url(token_url, "token_url")
        self.client_id = client_id
        self._client_secret = client_secret
        self.scope = _words(scope, "scope")
        self.audience = _words(audience, "audience")
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
        with self._lock, httpx.Client(timeout=30.0) as http:
            flow = self._flow()
            try:
                request = next(flow)
                while True:
                    try:
                        response = http.post(request.url, data=request.form)
                    except httpx.TransportError as exc:
                        raise APIConnectionError(f"POST {request.url}: {str(exc) or type(exc).__name__}") from None
                    request = flow.send(response)
            except StopIteration as stop:
                value: str = stop.value
                return value

    def __repr__(self) -> str:
        return f"ClientCredentialsTokenSource(token_url={self.token_url!r}, client_id={self.client_id!r})"


class TokenExchangeAuth:
    """OpenFaaS IAM: the identity from `source` exchanged (RFC 8693) for a gateway token, cached until 10 s
    before it expires. `token_url` defaults to the gateway's `/oauth/token`; `audience` and `scope` are sent
    with the exchange when given. One instance may be shared by several clients of the same gateway."""

    def __init__(
        self,
        source: TokenSource,
        *,
        token_url: str | None = None,
        audience: str | Sequence[str] | None = None,
        scope: str | Sequence[str] | None = None,
    ) -> None:
        if not callable(source):
            raise TypeError(f"source must be a callable returning an identity token, not {type(source).__name__}")
        self.source = source
        self.token_url = None if token_url is None else _check_url(token_url, "token_url")
        self.audience = _words(audience, "audience")
        self.scope = _words(scope, "scope")
        self._caches: dict[str, TokenCache] = {}
        self._lock = threading.Lock()

    def _cache(self, token_url: str) -> TokenCache:
        """The gateway token cache for `token_url` (shared by every client bound to it)."""
        with self._lock:
            return self._caches.setdefault(token_url, TokenCache())

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


def _check_url(value: str, what: str) -> str:
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"{what} must be an http(s) URL, not {value!r}")
    return value


def _words(value: str | Sequence[str] | None, what: str) -> tuple[str, ...]:
    """A scope or audience: one space-separated string, or a sequence of strings."""
    if value is None:
        return ()
    words = value.split() if isinstance(value, str) else list(value)
    if not all(isinstance(word, str) and word for word in words):
        raise TypeError(f"{what} must be a str or a sequence of non-empty str, not {value!r}")
    return tuple(words)
