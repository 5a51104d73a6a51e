"""Settings: gateway URL, credentials, namespace and provider, resolved from arguments > environment >
the faas-cli config file > defaults."""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import AsyncGenerator, Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ._credentials import BearerAuth, TokenExchangeAuth
from ._defaults import DEFAULT_GATEWAY_URL, DEFAULT_USERNAME
from ._errors import NO_CREDENTIALS, ConfigurationError
from ._iam import IAM
from ._tokens import TokenCache, check_token_cache
from ._validation import check_bool, check_name

CLUSTER_TYPES = ("kubernetes", "faasd", "swarm")

ENV_URL = "OPENFAAS_URL"
ENV_GATEWAY_ADDR = "OPENFAAS_GATEWAY_ADDR"
ENV_USER = "OPENFAAS_USER"
ENV_PASSWORD = "OPENFAAS_PASSWORD"  # noqa: S105 - a variable name, not a password
ENV_PASSWORD_FILE = "OPENFAAS_PASSWORD_FILE"  # noqa: S105
ENV_TOKEN = "OPENFAAS_TOKEN"  # noqa: S105
ENV_NAMESPACE = "OPENFAAS_NAMESPACE"
ENV_CLUSTER_TYPE = "OPENFAAS_CLUSTER_TYPE"
ENV_CONFIG = "OPENFAAS_CONFIG"
ENV_DEBUG = "FAAS_DEBUG"

_HOST = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$")
# A scheme whose "://" was mistyped: "http//gw", "http:/gw", "https:gw/x" (but not "gw:8080").
_BROKEN_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*(//|:/|:(?![0-9]))")


class NoCredentials(httpx.Auth):
    """Sends nothing; marks each request with where credentials were looked for, for the 401 message."""

    def __init__(self, looked_at: str) -> None:
        self._looked_at = looked_at

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.extensions[NO_CREDENTIALS] = self._looked_at
        yield request

    def __repr__(self) -> str:
        return "NoCredentials()"


class GatewayAuth(httpx.Auth):
    """Applies the gateway credentials to `/system/*` requests only: functions never see them."""

    def __init__(self, inner: httpx.Auth, system_prefix: str) -> None:
        self._inner = inner
        self._prefix = system_prefix

    def applies(self, request: httpx.Request) -> bool:
        """Whether the request is one the credentials go on."""
        return request.url.path.startswith(self._prefix)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.applies(request):
            return self._inner.sync_auth_flow(request)
        return super().sync_auth_flow(request)

    def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self.applies(request):
            return self._inner.async_auth_flow(request)
        return super().async_auth_flow(request)

    def __repr__(self) -> str:
        return "GatewayAuth(***)"


@dataclass(frozen=True)
class Settings:
    """Resolved settings. The credentials live only inside `auth`, which has no revealing repr."""

    base_url: str
    auth_kind: str  # "basic", "bearer", "token-exchange", "custom" or "none": safe to show
    namespace: str | None
    cluster_type: str | None
    debug: bool
    auth: httpx.Auth | None = field(default=None, repr=False)
    looked_at: str = ""  # where credentials were looked for (names and paths only), for a 401's message
    # IAM credentials (a bearer token or token exchange): the gateway token, and the function tokens.
    iam: IAM | None = field(default=None, repr=False)
    function_auth: bool = False

    @property
    def system_prefix(self) -> str:
        return httpx.URL(self.base_url).path.rstrip("/") + "/system/"

    def request_auth(self) -> httpx.Auth:
        """The auth to pass on every request: credentials for `/system/*`, nothing elsewhere."""
        if self.auth is None and self.iam is not None:  # token exchange: the engine sets the gateway token
            return GatewayAuth(httpx.Auth(), self.system_prefix)
        return GatewayAuth(self.auth or NoCredentials(self.looked_at), self.system_prefix)


def normalise_gateway_url(value: str, source: str = "") -> tuple[str, str | None, str | None]:
    """(`scheme://host[:port][/prefix]`, user, password): `http://` added when no scheme, trailing slashes
    dropped, any path prefix kept, credentials in the URL taken out of it. `source` (e.g. "from
    OPENFAAS_URL") is named in the error when the value is unusable."""

    def unusable(why: str) -> ConfigurationError:
        origin = f" ({source})" if source else ""
        return ConfigurationError(f"unusable gateway URL {_redact_userinfo(value)!r}{origin}: {why}")

    raw = value.strip()
    if not raw:
        raise unusable("it is empty")
    if "://" not in raw:
        if _BROKEN_SCHEME.match(raw):
            raise unusable("the scheme is mistyped; write it as http://host:port or https://host")
        raw = f"http://{raw}"
    try:
        url = httpx.URL(raw)
    except httpx.InvalidURL as exc:
        raise unusable(str(exc)) from None
    if url.scheme not in ("http", "https"):
        raise unusable("the scheme must be http or https")
    host = url.netloc.decode("ascii").rsplit(":", 1)[0] if url.port is not None else url.netloc.decode("ascii")
    if not _HOST.match(host):
        raise unusable("no valid host")
    if url.port is not None and not 0 < url.port < 65536:
        raise unusable(f"port {url.port} is out of range")
    if url.query or url.fragment:
        raise unusable("a query string or fragment is not allowed")
    path = url.path.rstrip("/")
    if "//" in path or ":" in path:
        raise unusable("the path holds '//' or ':', which looks like a mistyped scheme")
    base = f"{url.scheme}://{url.netloc.decode('ascii')}{path}"
    return base, url.username or None, url.password or None


def _redact_userinfo(value: str) -> str:
    return re.sub(r"//[^/@]*@", "//***@", value)


def resolve_settings(
    base_url: str | None,
    *,
    username: str | None,
    password: str | None,
    token: str | None,
    auth: httpx.Auth | TokenExchangeAuth | None,
    namespace: str | None,
    cluster_type: str | None,
    env: Mapping[str, str] | None,
    config_dir: str | os.PathLike[str] | None,
    function_auth: bool = False,
    token_cache: TokenCache | None = None,
) -> Settings:
    """Resolve settings: arguments > environment > faas-cli config file > defaults."""
    environ: Mapping[str, str] = os.environ if env is None else env

    raw_url, source = _gateway_setting(base_url, environ)
    gateway, url_user, url_password = normalise_gateway_url(raw_url, source)

    config_path = _config_path(config_dir, environ)
    resolved_auth, kind = _explicit_auth(username or url_user, password or url_password, token, auth)
    if resolved_auth is None:
        resolved_auth, kind = _env_auth(environ)
    if resolved_auth is None:
        resolved_auth, kind = _config_file_auth(gateway, config_path)

    cluster = cluster_type if cluster_type is not None else environ.get(ENV_CLUSTER_TYPE) or None
    if cluster is not None and cluster not in CLUSTER_TYPES:
        raise ConfigurationError(
            f"unknown cluster type {cluster!r} (from {'the argument' if cluster_type else ENV_CLUSTER_TYPE}); "
            f"use one of: {', '.join(CLUSTER_TYPES)}"
        )

    if namespace is not None:
        ns: str | None = check_name(namespace, "namespace")
    else:
        ns = environ.get(ENV_NAMESPACE) or None
        if ns is not None:
            try:
                check_name(ns, "namespace")
            except ValueError as exc:
                raise ConfigurationError(f"{ENV_NAMESPACE}: {exc}") from None

    iam = _iam(gateway, resolved_auth, check_token_cache(token_cache))
    if token_cache is not None and iam is None:
        raise ConfigurationError(
            f"token_cache holds OpenFaaS IAM tokens: it needs IAM credentials (a token or TokenExchangeAuth); "
            f"this client has {kind} auth"
        )
    check_bool(function_auth, "function_auth")
    looked_at = _where_credentials_were_looked_for(gateway, config_path, injected=env is not None)
    if function_auth and iam is None:
        raise no_function_auth(kind, looked_at)
    return Settings(
        base_url=gateway,
        auth_kind=kind,
        namespace=ns,
        cluster_type=cluster,
        debug=environ.get(ENV_DEBUG, "").strip().lower() in ("1", "true", "yes", "on"),
        auth=None if isinstance(resolved_auth, TokenExchangeAuth) else resolved_auth,
        looked_at=looked_at,
        iam=iam,
        function_auth=function_auth,
    )


def _iam(gateway: str, auth: httpx.Auth | TokenExchangeAuth | None, token_cache: TokenCache | None) -> IAM | None:
    """IAM credentials: a gateway token can be exchanged for function tokens; basic auth cannot."""
    if isinstance(auth, TokenExchangeAuth):
        return IAM(gateway, exchange=auth, token_cache=token_cache)
    if isinstance(auth, BearerAuth):
        return IAM(gateway, static=auth._token, token_cache=token_cache)
    return None


def _gateway_setting(base_url: str | None, environ: Mapping[str, str]) -> tuple[str, str]:
    """The gateway URL as given, and where it came from (for error messages)."""
    if base_url is not None:
        return base_url, "from the base_url argument"
    for name in (ENV_URL, ENV_GATEWAY_ADDR):
        if environ.get(name):
            return environ[name], f"from {name}"
    return DEFAULT_GATEWAY_URL, "the default"


_NO_EXCHANGE = {
    "basic": "this client has basic auth (a gateway user and password), which cannot be exchanged for tokens",
    "custom": "this client's auth= is an httpx.Auth of the caller's, which pyopenfaas cannot exchange for tokens",
}


def no_function_auth(kind: str, looked_at: str) -> ConfigurationError:
    """Why `function_auth=True` cannot work on a client with `kind` auth (names and paths only, no value)."""
    why = _NO_EXCHANGE.get(kind, looked_at if kind == "none" else f"this client has {kind} auth")
    return ConfigurationError(
        "function_auth=True needs OpenFaaS IAM credentials, which are exchanged for function tokens (token=, "
        f"OPENFAAS_TOKEN, a faas-cli oauth2 login or auth=TokenExchangeAuth(...)); {why}"
    )


def _where_credentials_were_looked_for(gateway: str, config_path: Path | None, *, injected: bool) -> str:
    """Names and paths only (never a value): what a 401 without credentials reports."""
    environment = "the env= mapping" if injected else "the environment"
    if config_path is None:
        config = f"no faas-cli config file ({ENV_CONFIG} and HOME are unset)"
    elif config_path.is_file():
        config = f"the faas-cli config {config_path} (no entry for {gateway})"
    else:
        config = f"the faas-cli config {config_path} (no such file)"
    return (
        f"no credentials were configured for {gateway}: pyopenfaas looked at the arguments (password, token, "
        f"auth), {environment} ({ENV_PASSWORD}, {ENV_PASSWORD_FILE}, {ENV_TOKEN}) and {config}"
    )


def _explicit_auth(
    username: str | None, password: str | None, token: str | None, auth: httpx.Auth | TokenExchangeAuth | None
) -> tuple[httpx.Auth | TokenExchangeAuth | None, str]:
    given = [name for name, value in (("password", password), ("token", token), ("auth", auth)) if value]
    if len(given) > 1:
        raise ConfigurationError(f"give only one of password, token and auth (got {' and '.join(given)})")
    if isinstance(auth, TokenExchangeAuth):
        return auth, "token-exchange"
    if isinstance(auth, BearerAuth):
        return auth, "bearer"
    if auth is not None:
        if not isinstance(auth, httpx.Auth):
            raise TypeError(f"auth must be an httpx.Auth or a pyopenfaas.auth type, not {type(auth).__name__}")
        return auth, "custom"
    if token:
        return BearerAuth(token), "bearer"
    if password:
        return httpx.BasicAuth(username or DEFAULT_USERNAME, password), "basic"
    if username:
        raise ConfigurationError("a username was given without a password (password=)")
    return None, "none"


def _env_auth(environ: Mapping[str, str]) -> tuple[httpx.Auth | None, str]:
    password = environ.get(ENV_PASSWORD) or None
    password_file = environ.get(ENV_PASSWORD_FILE) or None
    token = environ.get(ENV_TOKEN) or None
    if password and password_file:
        raise ConfigurationError(f"set only one of {ENV_PASSWORD} and {ENV_PASSWORD_FILE}")
    if password_file:
        try:
            password = Path(password_file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise ConfigurationError(
                f"{ENV_PASSWORD_FILE}={password_file!r} cannot be read: {exc.strerror or exc}"
            ) from None
        if not password:
            raise ConfigurationError(f"{ENV_PASSWORD_FILE}={password_file!r} is empty")
    if password and token:
        raise ConfigurationError(f"set only one of {ENV_TOKEN} and a password ({ENV_PASSWORD}/{ENV_PASSWORD_FILE})")
    if environ.get(ENV_USER) and not password and not token:
        # As `username=` without `password=`: a user name alone cannot log in, so say so rather than ignore it.
        raise ConfigurationError(f"{ENV_USER} is set but {ENV_PASSWORD} (or {ENV_PASSWORD_FILE}) is not")
    if token:
        return BearerAuth(token), "bearer"
    if password:
        return httpx.BasicAuth(environ.get(ENV_USER) or DEFAULT_USERNAME, password), "basic"
    return None, "none"


def _config_path(config_dir: str | os.PathLike[str] | None, environ: Mapping[str, str]) -> Path | None:
    if config_dir is not None:
        return Path(config_dir).expanduser() / "config.yml"
    if environ.get(ENV_CONFIG):
        return Path(environ[ENV_CONFIG]).expanduser() / "config.yml"
    # Only the HOME of the environment in use: an injected environment without HOME reads no file.
    home = environ.get("HOME")
    return Path(home) / ".openfaas" / "config.yml" if home else None


def _config_file_auth(gateway: str, path: Path | None) -> tuple[httpx.Auth | None, str]:
    """Credentials `faas-cli login` stored for this gateway, if any."""
    if path is None or not path.is_file():
        return None, "none"
    import yaml

    try:
        document: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"faas-cli config {str(path)!r} cannot be read: {exc}") from None
    entries = document.get("auths") if isinstance(document, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("gateway"), str):
            continue
        entry_gateway = normalise_gateway_url(entry["gateway"], f"an entry of the faas-cli config {path}")[0]
        if entry_gateway != gateway:
            continue
        token = entry.get("token")
        kind = entry.get("auth")
        if not isinstance(token, str) or not token:
            raise ConfigurationError(f"faas-cli config {str(path)!r}: the entry for {gateway} has no token")
        if kind == "basic":
            try:
                user, sep, password = base64.b64decode(token, validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                sep = ""
            if not sep:
                raise ConfigurationError(
                    f"faas-cli config {str(path)!r}: the basic token for {gateway} is not base64 of user:password"
                )
            return httpx.BasicAuth(user, password), "basic"
        if kind == "oauth2":
            return BearerAuth(token), "bearer"
        raise ConfigurationError(
            f"faas-cli config {str(path)!r}: unknown auth {kind!r} for {gateway} (expected basic or oauth2)"
        )
    return None, "none"
