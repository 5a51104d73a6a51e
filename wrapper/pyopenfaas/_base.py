"""The request engine shared by every operation: building requests, the retry loop, error mapping, logging.

`SyncAPI` and `AsyncAPI` are twins: the only difference is `await`. Everything that can be pure lives in
module-level helpers they share.
"""

from __future__ import annotations

import email.utils
import functools
import logging
import random
import ssl
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._config import Settings
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    OpenFaaSError,
    status_error,
)
from ._validation import check_name

if TYPE_CHECKING:
    from pyopenfaas._generated.types import Request

logger = logging.getLogger("pyopenfaas")

RETRY_STATUSES = frozenset({502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_CONNECTIONS = 100

_TIMEOUT_PHASES: dict[type[httpx.TimeoutException], str] = {
    httpx.ConnectTimeout: "connect",
    httpx.ReadTimeout: "read",
    httpx.WriteTimeout: "write",
    httpx.PoolTimeout: "pool",
}


class NotGiven:
    """Marks an argument left out, where None means something (e.g. `timeout=None`: no timeout)."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
TimeoutTypes = float | httpx.Timeout | None


def as_timeout(value: TimeoutTypes | NotGiven, default: httpx.Timeout) -> httpx.Timeout:
    if isinstance(value, NotGiven):
        return default
    if isinstance(value, httpx.Timeout):
        return value
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
        raise ValueError(f"timeout must be a positive number of seconds, an httpx.Timeout or None, not {value!r}")
    return httpx.Timeout(value)


def check_max_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"max_retries must be an int of 0 or more, not {value!r}")
    return value


def never_left(exc: httpx.TransportError) -> bool:
    """The request was not sent, so even a POST can be retried."""
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def retryable(exc: httpx.TransportError, safe: bool) -> bool:
    """Worth sending again: not a certificate the client refused, which no retry can change."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return False
        cause = cause.__cause__ or cause.__context__
    return safe or never_left(exc)


def retry_delay(attempt: int, response: httpx.Response | None) -> float:
    """Capped exponential backoff with jitter, or the gateway's `Retry-After` when it gives a sane one."""
    if response is not None:
        retry_after = _retry_after(response.headers.get("Retry-After"))
        if retry_after is not None and 0 <= retry_after <= MAX_RETRY_AFTER:
            return retry_after
    delay = min(INITIAL_RETRY_DELAY * 2.0 ** (attempt - 1), MAX_RETRY_DELAY)
    return delay * (0.75 + random.random() / 4)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    """`APITimeoutError` naming the timeout that fired, or `APIConnectionError`."""
    target = f"{request.method} {request.url.copy_with(query=None)}"
    if isinstance(exc, httpx.TimeoutException):
        phase = next((name for cls, name in _TIMEOUT_PHASES.items() if isinstance(exc, cls)), "request")
        seconds = (request.extensions.get("timeout") or {}).get(phase)
        limit = f" ({seconds:g} s)" if isinstance(seconds, int | float) else ""
        return APITimeoutError(f"{target}: {phase} timeout{limit} fired", request=request)
    detail = str(exc) or type(exc).__name__
    return APIConnectionError(f"{target}: {detail}", request=request)


def request_error(exc: httpx.RequestError, request: httpx.Request) -> OpenFaaSError:
    """A request failure that is not the connection's: an undecodable body, a redirect loop."""
    target = f"{request.method} {request.url.copy_with(query=None)}"
    if isinstance(exc, httpx.DecodingError):
        return APIResponseValidationError(f"{target}: the body cannot be decoded: {exc}")
    return APIConnectionError(f"{target}: {exc}", request=request)


def stream_error(exc: httpx.TransportError, request: httpx.Request, received: str) -> APIConnectionError:
    """The connection dropped after part of a streamed body had arrived."""
    error = connection_error(exc, request)
    error.args = (f"{error.args[0]} (the stream was cut after {received})",)
    return error


def body_error(exc: Exception, request: httpx.Request, received: str) -> OpenFaaSError:
    """What a failure while reading a streamed body means: the connection dropped, or the body is bad."""
    if isinstance(exc, httpx.TransportError):
        return stream_error(exc, request, received)
    if isinstance(exc, httpx.RequestError):
        return request_error(exc, request)
    target = f"{request.method} {request.url.copy_with(query=None)}"
    return APIResponseValidationError(f"{target}: the body cannot be decoded: {exc}")


BODY_ERRORS = (httpx.RequestError, UnicodeError)


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


def resolve_namespace(api: APIBase, namespace: str | None) -> str | None:
    """The namespace for a call: the argument, else the client's default, else None (the provider's)."""
    if namespace is None:
        return api.settings.namespace
    return check_name(namespace, "namespace")


class _NoCookies(httpx.Cookies):
    """A jar that keeps nothing: a cookie one function sets must never reach another function or the gateway.
    (It also spares httpx's cookie extraction, a sixth of an invocation's CPU.)"""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


_NO_COOKIES = _NoCookies()


class _CookielessMixin:
    @property
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, value: object) -> None:
        raise TypeError("pyopenfaas's HTTP clients keep no cookies")

    def _build_redirect_request(self, request: httpx.Request, response: httpx.Response) -> httpx.Request:
        # httpx prepares the next hop of every 3xx, even one it will not follow, and raises RemoteProtocolError
        # on a Location it cannot parse. pyopenfaas follows no redirect: the 3xx itself is the answer to report.
        try:
            return super()._build_redirect_request(request, response)  # type: ignore[misc, no-any-return]
        except httpx.RemoteProtocolError:
            return request


class HTTPClient(_CookielessMixin, httpx.Client):
    """The httpx client pyopenfaas makes for `OpenFaaS` (one connection pool, no cookie jar)."""


class AsyncHTTPClient(_CookielessMixin, httpx.AsyncClient):
    """The httpx client pyopenfaas makes for `AsyncOpenFaaS` (one connection pool, no cookie jar)."""


class APIBase:
    """What both twins hold: settings, the httpx client, the generated client, defaults."""

    def __init__(
        self,
        settings: Settings,
        http: httpx.Client | httpx.AsyncClient,
        *,
        timeout: httpx.Timeout,
        max_retries: int,
    ) -> None:
        self.settings = settings
        self.http = http
        self.timeout = timeout
        self.max_retries = max_retries
        self.auth = settings.request_auth()
        self.sleep: Callable[[float], Any] = time.sleep
        # Parsing a URL is a tenth of an invocation's CPU in httpx; the same few targets recur.
        self._url = functools.lru_cache(maxsize=512)(self._parse_url)

    def _parse_url(self, path: str) -> httpx.URL:
        return httpx.URL(self.settings.base_url + path)

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

    def build_generated(self, spec: Request) -> httpx.Request:
        """The httpx request for a generated operation's `request(...)`."""
        return self.build(spec.method, spec.url, params=spec.params, headers=spec.headers, content=spec.content)


class SyncAPI(APIBase):
    http: httpx.Client

    def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        retry_safe: bool | None = None,
        max_retries: int | None = None,
    ) -> httpx.Response:
        """Send with retries: idempotent methods on connection errors and 502/503/504, others only when the
        request never left. Returns any status; the caller decides what is an error. Redirects are not
        followed: a same-origin redirect from `/system/*` to a function would carry the gateway credentials."""
        retries = self.max_retries if max_retries is None else max_retries
        safe = request.method in IDEMPOTENT_METHODS if retry_safe is None else retry_safe
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                response = self.http.send(request, auth=self.auth, stream=stream, follow_redirects=False)
            except httpx.TransportError as exc:
                if attempt < retries and retryable(exc, safe):
                    attempt += 1
                    self.sleep(retry_delay(attempt, None))
                    continue
                raise connection_error(exc, request) from exc
            except httpx.RequestError as exc:
                raise request_error(exc, request) from exc
            log_response(response, started)
            if safe and attempt < retries and response.status_code in RETRY_STATUSES:
                attempt += 1
                response.close()
                self.sleep(retry_delay(attempt, response))
                continue
            return response

    def call(self, spec: Request) -> httpx.Response:
        """Send a generated operation's request; a non-2xx raises the matching `APIStatusError`."""
        response = self.send(self.build_generated(spec))
        if not response.is_success:
            raise status_error(response)
        return response

    def close(self) -> None:
        self.http.close()


class AsyncAPI(APIBase):
    http: httpx.AsyncClient

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import asyncio

        self.sleep = asyncio.sleep

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        retry_safe: bool | None = None,
        max_retries: int | None = None,
    ) -> httpx.Response:
        """`SyncAPI.send`, awaitable."""
        retries = self.max_retries if max_retries is None else max_retries
        safe = request.method in IDEMPOTENT_METHODS if retry_safe is None else retry_safe
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                response = await self.http.send(request, auth=self.auth, stream=stream, follow_redirects=False)
            except httpx.TransportError as exc:
                if attempt < retries and retryable(exc, safe):
                    attempt += 1
                    await self.sleep(retry_delay(attempt, None))
                    continue
                raise connection_error(exc, request) from exc
            except httpx.RequestError as exc:
                raise request_error(exc, request) from exc
            log_response(response, started)
            if safe and attempt < retries and response.status_code in RETRY_STATUSES:
                attempt += 1
                await response.aclose()
                await self.sleep(retry_delay(attempt, response))
                continue
            return response

    async def call(self, spec: Request) -> httpx.Response:
        """`SyncAPI.call`, awaitable."""
        response = await self.send(self.build_generated(spec))
        if not response.is_success:
            raise status_error(response)
        return response

    async def close(self) -> None:
        await self.http.aclose()
