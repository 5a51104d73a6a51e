"""What `OpenFaaS` and `AsyncOpenFaaS` share: checking their options, the alert body they send, and the
methods that send nothing. The clients themselves are in `_async/client.py` (and its generated sync twin)."""

from __future__ import annotations

import functools
import logging
import os
import ssl
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import httpx

from ._config import Settings
from ._defaults import DEFAULT_MAX_CONNECTIONS
from ._engine import EngineBase, logger
from ._errors import ConfigurationError
from ._models import GatewayInfo
from ._retry import RetryPolicy, check_retry_policy
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes, as_timeout, check_max_retries
from ._version import __version__

if TYPE_CHECKING:
    from pyopenfaas._generated.models import PrometheusAlert

VerifyTypes = bool | str | os.PathLike[str] | ssl.SSLContext
USER_AGENT = f"pyopenfaas/{__version__} python-httpx/{httpx.__version__}"


def ssl_context(verify: VerifyTypes) -> bool | ssl.SSLContext:
    """A CA bundle path (file or folder) becomes an SSL context; `False` turns verification off (unsafe); `True`
    is the default context (certifi's bundle, or the environment's SSL_CERT_FILE/SSL_CERT_DIR)."""
    if verify is True:
        return _default_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
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


@functools.cache
def _default_context(cafile: str | None, capath: str | None) -> ssl.SSLContext:
    # Loading a CA bundle costs tens of milliseconds of CPU: every client with the default settings shares one
    # context per SSL_CERT_FILE/SSL_CERT_DIR (the arguments: what httpx reads from the environment).
    where = f"SSL_CERT_FILE={cafile!r}" if cafile else f"SSL_CERT_DIR={capath!r}"
    # Checked here: httpx 0.27 quietly loads no CA at all from a path that is not there.
    if (cafile and not os.path.isfile(cafile)) or (not cafile and capath and not os.path.isdir(capath)):
        raise ConfigurationError(f"{where}: no such CA bundle file or folder")
    try:
        return httpx.create_ssl_context()
    except (ssl.SSLError, OSError) as exc:
        raise ConfigurationError(f"{where} is not a usable CA bundle: {exc}") from None


def check_transport_options(http_client: object, transport: object, verify: object, max_connections: object) -> int:
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


def enable_debug_logging(settings: Settings) -> None:
    """`FAAS_DEBUG=1`: log every request to stderr, unless the application configured the `pyopenfaas` logger."""
    if settings.debug and not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("pyopenfaas: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)


def alert_body(payload: Mapping[str, Any]) -> PrometheusAlert:
    from pyopenfaas._generated.models import PrometheusAlert

    if not isinstance(payload, Mapping):
        raise TypeError(f"alert payload must be a mapping (an Alertmanager webhook body), not {type(payload).__name__}")
    try:
        return PrometheusAlert.from_dict(payload)
    except ValueError as exc:
        raise ValueError(f"invalid alert payload: {exc}") from None


def read_env_file(env_file: str | os.PathLike[str] | None) -> dict[str, str]:
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


class ClientBase:
    _settings: Settings
    _owns_http: bool
    _api: EngineBase
    _learned_cluster_type: str | None = None  # from the last info(), when no cluster type was configured

    def _bind(self, api: Any) -> None:
        raise NotImplementedError

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry_policy: RetryPolicy | NotGiven = NOT_GIVEN,
    ) -> Self:
        """A client that shares this one's connection pool, with another default timeout, retry count or retry
        policy: `client.with_options(max_retries=0).functions.delete("f")`. Closing it leaves the pool open."""
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
                retry_policy=self._api.retry_policy
                if isinstance(retry_policy, NotGiven)
                else check_retry_policy(retry_policy),
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
