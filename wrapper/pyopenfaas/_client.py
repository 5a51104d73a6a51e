"""`OpenFaaS` and `AsyncOpenFaaS`: settings, the pooled httpx client, and the resources."""

from __future__ import annotations

import logging
import os
import ssl
import sys
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

from ._base import (
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    APIBase,
    AsyncAPI,
    AsyncHTTPClient,
    HTTPClient,
    NotGiven,
    SyncAPI,
    TimeoutTypes,
    as_timeout,
    check_max_retries,
    logger,
    malformed,
    parse_generated,
)
from ._config import Settings, resolve_settings
from ._errors import ConfigurationError
from ._functions import AsyncFunctions, Functions
from ._models import GatewayInfo, ProviderInfo, VersionInfo
from ._namespaces import AsyncNamespaces, Namespaces
from ._secrets import AsyncSecrets, Secrets
from ._version import __version__

VerifyTypes = bool | str | os.PathLike[str] | ssl.SSLContext
USER_AGENT = f"pyopenfaas/{__version__} python-httpx/{httpx.__version__}"


def _ssl_context(verify: VerifyTypes) -> bool | ssl.SSLContext:
    """A CA bundle path (file or folder) becomes an SSL context; `False` turns verification off (unsafe)."""
    if isinstance(verify, bool | ssl.SSLContext):
        return verify
    path = Path(verify)
    if not path.exists():
        raise ConfigurationError(f"verify={str(verify)!r}: no such CA bundle file or folder")
    try:
        if path.is_dir():
            return ssl.create_default_context(capath=str(path))
        return ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError) as exc:
        raise ConfigurationError(f"verify={str(verify)!r} is not a usable CA bundle: {exc}") from None


def _check_transport_options(http_client: object, transport: object, verify: object, max_connections: object) -> int:
    """`verify` and `max_connections` configure the default transport: refuse them where they would be ignored."""
    if isinstance(max_connections, bool) or not isinstance(max_connections, int) or max_connections < 1:
        raise ValueError(f"max_connections must be an int of 1 or more, not {max_connections!r}")
    if http_client is not None and transport is not None:
        raise ConfigurationError("give http_client or transport, not both")
    if (http_client is not None or transport is not None) and (
        verify is not True or max_connections != DEFAULT_MAX_CONNECTIONS
    ):
        raise ConfigurationError(
            "verify and max_connections configure the default transport; set them on your own transport or client"
        )
    return max_connections


def _enable_debug_logging(settings: Settings) -> None:
    """`FAAS_DEBUG=1`: log every request to stderr, unless the application configured the `pyopenfaas` logger."""
    if settings.debug and not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("pyopenfaas: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)


def _gateway_info(response: httpx.Response, generated_client: Any) -> GatewayInfo:
    from pyopenfaas._generated.api.system import get_system_info
    from pyopenfaas._generated.types import Unset

    info = parse_generated(get_system_info, response, generated_client)

    def version(value: Any) -> VersionInfo | None:
        if value is None:
            return None
        if not isinstance(value.release, str) or not isinstance(value.sha, str):
            raise malformed(response, "version release or sha is not a string")
        message = None if isinstance(value.commit_message, Unset) else value.commit_message
        return VersionInfo(release=value.release, sha=value.sha, commit_message=message)

    provider = None
    if info.provider is not None:
        if not hasattr(info.provider, "orchestration"):
            raise malformed(response, "provider is not an object")
        if not isinstance(info.provider.provider, str) or not isinstance(info.provider.orchestration, str):
            raise malformed(response, "provider name or orchestration is not a string")
        provider = ProviderInfo(
            name=info.provider.provider,
            orchestration=info.provider.orchestration,
            version=version(info.provider.version),
        )
    gateway_version = version(info.version)
    if gateway_version is None or not isinstance(info.arch, str):
        raise malformed(response, "version or arch missing")
    return GatewayInfo(provider=provider, version=gateway_version, arch=info.arch)


def _alert_body(payload: Mapping[str, Any]) -> Any:
    from pyopenfaas._generated.models import PrometheusAlert

    if not isinstance(payload, Mapping):
        raise TypeError(f"alert payload must be a mapping (an Alertmanager webhook body), not {type(payload).__name__}")
    try:
        return PrometheusAlert.from_dict(payload)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"invalid alert payload: missing or malformed {exc}") from None


def _read_env_file(env_file: str | os.PathLike[str] | None) -> dict[str, str]:
    """The process environment over the `.env` file's values (the environment wins, as with python-dotenv)."""
    if env_file is None:
        return dict(os.environ)
    path = Path(env_file)
    if not path.is_file():
        raise ConfigurationError(f"env_file {str(path)!r} does not exist")
    from dotenv import dotenv_values

    values = {key: value for key, value in dotenv_values(path).items() if value is not None}
    return {**values, **os.environ}


# What /system/info's provider.orchestration says, in OPENFAAS_CLUSTER_TYPE's words.
_CLUSTER_BY_ORCHESTRATION = {"kubernetes": "kubernetes", "containerd": "faasd", "swarm": "swarm"}


class _ClientBase:
    _settings: Settings
    _owns_http: bool
    _api: APIBase
    _learned_cluster_type: str | None = None  # from the last info(), when no cluster type was configured

    def _bind(self, api: Any) -> None:
        raise NotImplementedError

    def with_options(
        self, *, timeout: TimeoutTypes | NotGiven = NOT_GIVEN, max_retries: int | NotGiven = NOT_GIVEN
    ) -> Self:
        """A client that shares this one's connection pool, with another default timeout or retry count:
        `client.with_options(max_retries=0).functions.delete("f")`. Closing it leaves the pool open."""
        clone = object.__new__(type(self))
        clone._settings = self._settings
        clone._owns_http = False
        clone._learned_cluster_type = self._learned_cluster_type
        clone._bind(
            type(self._api)(
                self._settings,
                self._api.http,
                timeout=as_timeout(timeout, self._api.timeout),
                max_retries=self._api.max_retries
                if isinstance(max_retries, NotGiven)
                else check_max_retries(max_retries),
            )
        )
        return clone

    @property
    def base_url(self) -> str:
        """The gateway's URL, normalised."""
        return self._settings.base_url

    @property
    def namespace(self) -> str | None:
        """The default namespace for calls (None: the provider's default)."""
        return self._settings.namespace

    @property
    def cluster_type(self) -> str | None:
        """`kubernetes` (faas-netes), `faasd` or `swarm`: as configured, else as the gateway's `info()` last
        reported it; None until known."""
        return self._settings.cluster_type or self._learned_cluster_type

    def _learn(self, info: GatewayInfo) -> GatewayInfo:
        if info.provider is not None:
            self._learned_cluster_type = _CLUSTER_BY_ORCHESTRATION.get(info.provider.orchestration)
        return info

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._settings.base_url!r}, auth={self._settings.auth_kind!r}, "
            f"namespace={self._settings.namespace!r}, cluster_type={self.cluster_type!r})"
        )


class OpenFaaS(_ClientBase):
    """A client for the OpenFaaS gateway.

    Settings come from the arguments, then the environment (`OPENFAAS_URL`, `OPENFAAS_USER`,
    `OPENFAAS_PASSWORD`, `OPENFAAS_TOKEN`, ...; `env` replaces `os.environ`), then the faas-cli config file
    (`faas-cli login`), then defaults. Credentials go to `/system/*` only, never to functions. Use it as a
    context manager, or `close()` it, to release its connection pool.

    `timeout` (seconds or an `httpx.Timeout`) applies to every call; `with_options()` changes it for some.
    `max_retries` retries idempotent calls on connection errors and 502/503/504. `verify` checks TLS
    certificates against the system store by default; give a CA bundle path or an `ssl.SSLContext` for a
    private CA. `verify=False` turns the check off and is unsafe: anyone on the network path can read the
    credentials. `http_client` or `transport` replace pyopenfaas's own.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        namespace: str | None = None,
        cluster_type: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        verify: VerifyTypes = True,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        env: Mapping[str, str] | None = None,
        config_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        settings = resolve_settings(
            base_url, username=username, password=password, token=token, auth=auth, namespace=namespace,
            cluster_type=cluster_type, env=env, config_dir=config_dir,
        )  # fmt: skip
        default_timeout = as_timeout(timeout, DEFAULT_TIMEOUT)
        retries = check_max_retries(max_retries)
        connections = _check_transport_options(http_client, transport, verify, max_connections)
        self._owns_http = http_client is None
        if http_client is None:
            # Without a transport of the caller's, httpx makes its own and mounts proxies from the environment.
            http_client = HTTPClient(
                headers={"User-Agent": USER_AGENT},
                transport=transport,
                verify=_ssl_context(verify),
                limits=httpx.Limits(max_connections=connections),
                timeout=default_timeout,
            )
        _enable_debug_logging(settings)
        self._settings = settings
        self._bind(SyncAPI(settings, http_client, timeout=default_timeout, max_retries=retries))

    _api: SyncAPI

    @classmethod
    def from_env(cls, env_file: str | os.PathLike[str] | None = None, **kwargs: Any) -> Self:
        """A client configured from the environment, with the values of `env_file` (a `.env` file) under it."""
        return cls(env=_read_env_file(env_file), **kwargs)

    def _bind(self, api: SyncAPI) -> None:
        self._api = api
        self.functions = Functions(api)
        self.secrets = Secrets(api)
        self.namespaces = Namespaces(api)

    def info(self) -> GatewayInfo:
        """The gateway's and provider's versions (`GET /system/info`)."""
        from pyopenfaas._generated.api.system import get_system_info

        return self._learn(_gateway_info(self._api.call(get_system_info), self._api.generated))

    def health(self) -> bool:
        """True when the gateway and its provider are healthy (`GET /healthz`); raises otherwise."""
        from pyopenfaas._generated.api.internal import healthcheck

        self._api.call(healthcheck)
        return True

    def alert(self, payload: Mapping[str, Any]) -> None:
        """Send an Alertmanager webhook body to `/system/alert`, which scales the named functions up."""
        from pyopenfaas._generated.api.internal import scale_alert

        self._api.call(scale_alert, body=_alert_body(payload))

    def close(self) -> None:
        """Close the connection pool (not an `http_client` you passed in)."""
        if self._owns_http:
            self._api.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncOpenFaaS(_ClientBase):
    """`OpenFaaS` with awaitable methods and the same settings. By default it sends through aiohttp (several
    times faster than httpx's own async transport when many calls are in flight); pass `transport=` or
    `http_client=` to choose another. As with `OpenFaaS`, `verify=False` is unsafe."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        namespace: str | None = None,
        cluster_type: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        verify: VerifyTypes = True,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        env: Mapping[str, str] | None = None,
        config_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        settings = resolve_settings(
            base_url, username=username, password=password, token=token, auth=auth, namespace=namespace,
            cluster_type=cluster_type, env=env, config_dir=config_dir,
        )  # fmt: skip
        default_timeout = as_timeout(timeout, DEFAULT_TIMEOUT)
        retries = check_max_retries(max_retries)
        connections = _check_transport_options(http_client, transport, verify, max_connections)
        self._owns_http = http_client is None
        if http_client is None:
            if transport is None:
                from ._transport import default_async_transport

                transport = default_async_transport(verify=_ssl_context(verify), max_connections=connections)
            http_client = AsyncHTTPClient(
                transport=transport, timeout=default_timeout, headers={"User-Agent": USER_AGENT}
            )
        _enable_debug_logging(settings)
        self._settings = settings
        self._bind(AsyncAPI(settings, http_client, timeout=default_timeout, max_retries=retries))

    _api: AsyncAPI

    @classmethod
    def from_env(cls, env_file: str | os.PathLike[str] | None = None, **kwargs: Any) -> Self:
        """A client configured from the environment, with the values of `env_file` (a `.env` file) under it."""
        return cls(env=_read_env_file(env_file), **kwargs)

    def _bind(self, api: AsyncAPI) -> None:
        self._api = api
        self.functions = AsyncFunctions(api)
        self.secrets = AsyncSecrets(api)
        self.namespaces = AsyncNamespaces(api)

    async def info(self) -> GatewayInfo:
        """The gateway's and provider's versions (`GET /system/info`)."""
        from pyopenfaas._generated.api.system import get_system_info

        return self._learn(_gateway_info(await self._api.call(get_system_info), self._api.generated))

    async def health(self) -> bool:
        """True when the gateway and its provider are healthy (`GET /healthz`); raises otherwise."""
        from pyopenfaas._generated.api.internal import healthcheck

        await self._api.call(healthcheck)
        return True

    async def alert(self, payload: Mapping[str, Any]) -> None:
        """Send an Alertmanager webhook body to `/system/alert`, which scales the named functions up."""
        from pyopenfaas._generated.api.internal import scale_alert

        await self._api.call(scale_alert, body=_alert_body(payload))

    async def close(self) -> None:
        """Close the connection pool (not an `http_client` you passed in)."""
        if self._owns_http:
            await self._api.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
