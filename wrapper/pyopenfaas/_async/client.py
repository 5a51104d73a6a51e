"""The client: settings, the pooled httpx client, the engine, and the resources registered on it."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Self

import httpx

from .._client import ClientBase, VerifyTypes, alert_body, enable_debug_logging, read_env_file
from .._config import resolve_settings
from .._credentials import TokenExchangeAuth
from .._defaults import (
    DEFAULT_JOB_RETRY_STATUSES,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_RESUBMIT_AFTER,
    DEFAULT_RETRY_POLICY,
    DEFAULT_TIMEOUT,
)
from .._errors import ConfigurationError
from .._jobs import job_settings
from .._models import GatewayInfo
from .._retry import RetryPolicy, check_retry_policy
from .._tokens import TokenCache
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes, as_timeout, check_max_retries
from .._validation import check_name
from .engine import AsyncEngine
from .functions import AsyncFunctions
from .namespaces import AsyncNamespaces
from .pool import AsyncPoolOwner, pooled_client

if TYPE_CHECKING:
    from .jobs import AsyncJobs
    from .stack import AsyncStackResource
from .secrets import AsyncSecrets


class AsyncOpenFaaS(ClientBase, AsyncPoolOwner):
    """A client for the OpenFaaS gateway.

    Settings come from the arguments, then the environment (`OPENFAAS_URL`, `OPENFAAS_USER`,
    `OPENFAAS_PASSWORD`, `OPENFAAS_TOKEN`, ...; `env` replaces `os.environ`), then the faas-cli config file
    (`faas-cli login`), then defaults. Credentials go to `/system/*` only, never to functions. Use it as a
    context manager, or `aclose()` it, to release its connection pool.

    `timeout` (seconds or an `httpx.Timeout`) applies to every call; `with_options()` changes it for some.
    `max_retries` retries idempotent calls on connection errors and 502/503/504; `retry_policy` (a
    `RetryPolicy`) changes which failures are retried and how long to wait. `verify` checks TLS
    certificates against certifi's CA bundle by default (or `SSL_CERT_FILE`/`SSL_CERT_DIR`); give a CA
    bundle path or an `ssl.SSLContext` for a private CA. `verify=False` turns the check off and is unsafe:
    anyone on the network path can read the credentials. `http_client` or `transport` replace pyopenfaas's own.

    OpenFaaS IAM: `auth=TokenExchangeAuth(source)` exchanges an identity (e.g. `ServiceAccountTokenSource()`)
    for gateway tokens, cached and renewed before they expire. With IAM credentials (that, or a bearer
    token), `function_auth=True` makes every invocation carry a token scoped to its function (see `invoke`);
    `function_token(name)` gives you one. Function tokens are kept in `token_cache` (a `TokenCache`; default:
    a `MemoryTokenCache` of this client and its `with_options` copies): pass one cache to several clients to
    share them (clients with other gateway credentials never get each other's tokens).

    Its resources: `functions` (deploy, invoke, scale, logs), `secrets`, `namespaces`, and `stack` (stack files
    and the Function Builder); the gateway itself: `info()`, `health()`, `alert()`.

    Methods are awaitable. By default it sends through aiohttp (several times faster than httpx's own
    async transport when many calls are in flight); pass `transport=` or `http_client=` to choose another.
    """

    functions: AsyncFunctions
    """Functions: list, get, deploy, update, apply, delete, scale, wait_ready, invoke, invoke_async,
    invoke_many, logs."""
    secrets: AsyncSecrets
    """Secrets: list, create, update, apply, delete (values are sent, never returned)."""
    namespaces: AsyncNamespaces
    """Namespaces: list, get, create, update, delete (faasd; faas-netes CE only lists)."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        auth: httpx.Auth | TokenExchangeAuth | None = None,
        namespace: str | None = None,
        cluster_type: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        verify: VerifyTypes = True,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        env: Mapping[str, str] | None = None,
        config_dir: str | os.PathLike[str] | None = None,
        function_auth: bool = False,
        token_cache: TokenCache | None = None,
    ) -> None:
        settings = resolve_settings(
            base_url, username=username, password=password, token=token, auth=auth, namespace=namespace,
            cluster_type=cluster_type, env=env, config_dir=config_dir, function_auth=function_auth,
            token_cache=token_cache,
        )  # fmt: skip
        default_timeout = as_timeout(timeout, DEFAULT_TIMEOUT)
        retries = check_max_retries(max_retries)
        policy = check_retry_policy(retry_policy)
        http = pooled_client(http_client, transport, verify, max_connections, default_timeout)
        self._owns_http = http_client is None
        enable_debug_logging(settings)
        self._settings = settings
        self._bind(AsyncEngine(settings, http, timeout=default_timeout, max_retries=retries, retry_policy=policy))

    _api: AsyncEngine

    @classmethod
    def from_env(cls, env_file: str | os.PathLike[str] | None = None, **kwargs: Any) -> Self:
        """A client configured from the environment, with the values of `env_file` (a `.env` file) under it."""
        return cls(env=read_env_file(env_file), **kwargs)

    def _bind(self, api: AsyncEngine) -> None:
        """Attach the engine and the resources that send through it (a new resource is registered here)."""
        self._api = api
        self.functions = AsyncFunctions(api)
        self.secrets = AsyncSecrets(api)
        self.namespaces = AsyncNamespaces(api)

    @property
    def stack(self) -> AsyncStackResource:
        """Stack files (`pyopenfaas.stack`): deploy, remove, and build-then-deploy with a Function Builder.
        Loaded on first use: most programs never need it."""
        from .stack import AsyncStackResource

        return AsyncStackResource(self.functions)

    def jobs(
        self,
        *,
        listen: str = "127.0.0.1:0",
        public_url: str | None = None,
        journal: str | os.PathLike[str] | None = None,
        resubmit_after: float = DEFAULT_RESUBMIT_AFTER,
        retry_statuses: Iterable[int] = DEFAULT_JOB_RETRY_STATUSES,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> AsyncJobs:
        """Queued jobs with results: use it as a context manager, which runs a callback receiver for the block.

        `listen`: the receiver's `host:port` (default any free port on 127.0.0.1); `public_url`: the base URL the
        queue worker reaches it at (default: the listen address); `journal`: a SQLite file that keeps every
        submission and result, so that a new process picks up where one that died left off (default: memory).
        A job with no callback within `resubmit_after` seconds is submitted again with the same call id; one
        whose status is in `retry_statuses` is submitted again with back-off, `max_attempts` times in all.
        """
        from .jobs import AsyncJobs

        settings = job_settings(listen, public_url, journal, resubmit_after, retry_statuses, max_attempts)
        return AsyncJobs(self.functions, self._api, settings)

    async def info(self) -> GatewayInfo:
        """The gateway's and provider's versions (`GET /system/info`)."""
        from pyopenfaas._generated.api.system import get_system_info

        return self._learn(await self._api.call(get_system_info.request()))

    async def health(self) -> bool:
        """True when the gateway and its provider are healthy (`GET /healthz`); raises otherwise."""
        from pyopenfaas._generated.api.internal import healthcheck

        await self._api.call(healthcheck.request())
        return True

    async def alert(self, payload: Mapping[str, Any]) -> None:
        """Send an Alertmanager webhook body to `/system/alert`, which scales the named functions up."""
        from pyopenfaas._generated.api.internal import scale_alert

        await self._api.call(scale_alert.request(body=alert_body(payload)))

    async def function_token(self, name: str, namespace: str | None = None) -> str:
        """An OpenFaaS IAM token scoped to function `name` (in `namespace`, default the client's, else
        `openfaas-fn`): the client's gateway token exchanged at the gateway's `/oauth/token` with
        `scope=function`, cached until 10 s before it expires, one exchange at a time (the token `invoke`
        sends with `function_auth=True`). `ConfigurationError` without IAM credentials."""
        check_name(name)
        if self._api.iam is None:
            raise ConfigurationError(
                f"function tokens need IAM credentials (a token or TokenExchangeAuth); this client has "
                f"{self._settings.auth_kind} auth"
            )
        return await self._api.function_token(self._api.namespace(namespace), name)
