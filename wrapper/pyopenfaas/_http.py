"""The httpx clients pyopenfaas makes: one connection pool each, no cookie jar. The sync and async twins differ
in their default transport (httpx's own for `OpenFaaS`, aiohttp for `AsyncOpenFaaS`)."""

from __future__ import annotations

import ssl
from typing import Self

import httpx


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

    @classmethod
    def create(
        cls,
        *,
        transport: httpx.BaseTransport | None,
        verify: bool | ssl.SSLContext,
        max_connections: int,
        timeout: httpx.Timeout,
        user_agent: str,
    ) -> Self:
        # Without a transport of the caller's, httpx makes its own and mounts proxies from the environment.
        return cls(
            headers={"User-Agent": user_agent},
            transport=transport,
            verify=verify,
            limits=httpx.Limits(max_connections=max_connections),
            timeout=timeout,
        )


class AsyncHTTPClient(_CookielessMixin, httpx.AsyncClient):
    """The httpx client pyopenfaas makes for `AsyncOpenFaaS` (one connection pool, no cookie jar)."""

    @classmethod
    def create(
        cls,
        *,
        transport: httpx.AsyncBaseTransport | None,
        verify: bool | ssl.SSLContext,
        max_connections: int,
        timeout: httpx.Timeout,
        user_agent: str,
    ) -> Self:
        if transport is None:
            from ._transport import default_async_transport

            transport = default_async_transport(verify=verify, max_connections=max_connections)
        return cls(transport=transport, timeout=timeout, headers={"User-Agent": user_agent})
