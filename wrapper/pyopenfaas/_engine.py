"""What both engine twins share: settings, the pooled httpx client, the auth hook, the retry policy, and
building requests (by hand or from a generated operation's `request(...)`). Sending is in `_async/engine.py`."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._config import Settings
from ._oauth import TokenRequest
from ._retry import RetryPolicy
from ._validation import check_name

if TYPE_CHECKING:
    from pyopenfaas._generated.types import Request  # the Function Builder's package shares it

logger = logging.getLogger("pyopenfaas")


class EngineBase:
    """Settings, the httpx client and the defaults every call of one client uses.

    `auth` is the hook every request goes through (an `httpx.Auth`, which has a sync and an async flow): by
    default the gateway's credentials on `/system/*` and nothing elsewhere. With OpenFaaS IAM token exchange
    (`iam`), the engine itself puts the cached gateway token on `/system/*` requests to the gateway.
    """

    def __init__(
        self,
        settings: Settings,
        http: httpx.Client | httpx.AsyncClient,
        *,
        timeout: httpx.Timeout,
        max_retries: int,
        retry_policy: RetryPolicy,
    ) -> None:
        self.settings = settings
        self.http = http
        self.timeout = timeout
        self.max_retries = max_retries
        self.retry_policy = retry_policy
        self.auth: httpx.Auth = settings.request_auth()
        self.iam = settings.iam
        self._exchange = settings.iam is not None and settings.iam.exchange is not None
        self._system_prefix = settings.system_prefix
        self._gateway_host = httpx.URL(settings.base_url).host
        # Parsing a URL is a tenth of an invocation's CPU in httpx; the same few targets recur.
        self._url = functools.lru_cache(maxsize=512)(self._parse_url)

    def _parse_url(self, path: str) -> httpx.URL:
        return httpx.URL(self.settings.base_url + path)

    def namespace(self, namespace: str | None) -> str | None:
        """The namespace for a call: the argument, else the client's default, else None (the provider's)."""
        if namespace is None:
            return self.settings.namespace
        return check_name(namespace, "namespace")

    def build(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        headers: Mapping[str, str] | None = None,
        content: Any = None,
        json: Any = None,
        timeout: httpx.Timeout | None = None,
    ) -> httpx.Request:
        return self.http.build_request(
            method.upper(),
            self._url(path),
            params=params,
            headers=headers,
            content=content,
            json=json,
            timeout=timeout or self.timeout,
        )

    def build_generated(self, spec: Request[Any]) -> httpx.Request:
        """The httpx request for a generated operation's `request(...)`."""
        return self.build(spec.method, spec.url, params=spec.params, headers=spec.headers, content=spec.content)

    def needs_gateway_token(self, request: httpx.Request) -> bool:
        """A `/system/*` request to the gateway, on a client with token exchange."""
        return (
            self._exchange
            and request.url.path.startswith(self._system_prefix)
            and request.url.host == self._gateway_host
        )

    def token_request(self, step: TokenRequest) -> httpx.Request:
        """The POST of a token flow's step (to the gateway's token endpoint or an identity provider's)."""
        return self.http.build_request(
            "POST", step.url, data=step.form, headers={"Accept": "application/json"}, timeout=self.timeout
        )


def log_response(response: httpx.Response, started: float) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        request = response.request
        logger.debug(
            "%s %s -> %d (%.1f ms)",
            request.method,
            request.url,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
