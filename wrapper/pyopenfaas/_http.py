"""The httpx clients pyopenfaas makes: one connection pool each, no cookie jar. The sync and async twins differ
in their default transport (httpx's own for `OpenFaaS`, aiohttp for `AsyncOpenFaaS`)."""

from __future__ import annotations

import logging
import ssl
import sys
from typing import TYPE_CHECKING, Any, Self, cast

import httpx

from ._config import GatewayAuth

if TYPE_CHECKING:
    from ._aiohttp_transport import AiohttpTransport

# httpx's own INFO line per request ("HTTP Request: ..."): while it is on, requests take httpx's full path.
_HTTPX_LOGGER = logging.getLogger("httpx")
# The `build_request` arguments a request built by the aiohttp transport itself may have.
_PLAIN_ARGUMENTS = frozenset({"content", "headers", "timeout", "params", "json"})


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


def authorize(request: httpx.Request, token: str) -> None:
    """Put `Authorization: Bearer <token>` on `request`; one the aiohttp transport built (`PlainRequest`) takes it
    without parsing its other headers."""
    set_header = getattr(request, "set_header", None)
    if set_header is None:
        request.headers["Authorization"] = f"Bearer {token}"
    else:
        set_header("Authorization", f"Bearer {token}")


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
        # Idle connections do not expire by time: httpcore's sync pool can close a connection as expired after
        # handing it to a request in another thread, under that request (encode/httpcore#1110: EBADF or a hang).
        # A connection the server closed is still dropped before reuse, as requests does.
        return cls(
            headers={"User-Agent": user_agent},
            transport=transport,
            verify=verify,
            limits=httpx.Limits(max_connections=max_connections, keepalive_expiry=None),
            timeout=timeout,
        )


class AsyncHTTPClient(_CookielessMixin, httpx.AsyncClient):
    """The httpx client pyopenfaas makes for `AsyncOpenFaaS` (one connection pool, no cookie jar).

    On pyopenfaas's aiohttp transport, a request that nothing of httpx's has to see (no event hooks, no
    credentials to add, not streamed, no redirect to follow) goes to the transport directly and comes back
    read whole: httpx's streaming layers around aiohttp cost more CPU than aiohttp itself.
    """

    _direct: AiohttpTransport | None = None

    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        direct = self._direct
        if (
            direct is not None
            and type(url) is httpx.URL
            and kwargs.get("params") is None
            and kwargs.get("json") is None
            and kwargs.keys() <= _PLAIN_ARGUMENTS
        ):
            request = direct.plain_request(
                method, url, self.headers, kwargs.get("headers"), kwargs.get("content"), kwargs.get("timeout")
            )
            if request is not None:
                return request
        return super().build_request(method, url, **kwargs)

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: httpx._types.AuthTypes | httpx._client.UseClientDefault | None = httpx.USE_CLIENT_DEFAULT,
        follow_redirects: bool | httpx._client.UseClientDefault = httpx.USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        direct, hooks = self._direct, self.event_hooks
        if (
            direct is None
            or stream
            or follow_redirects is not False
            or not isinstance(auth, GatewayAuth)
            or auth.applies(request)
            or hooks["request"]
            or hooks["response"]
            or self.is_closed
            or _HTTPX_LOGGER.isEnabledFor(logging.INFO)
        ):
            return await super().send(request, stream=stream, auth=auth, follow_redirects=follow_redirects)
        try:
            return await direct.fetch(request, self._default_encoding)
        except httpx.RequestError as exc:
            exc.request = request  # as httpx's send does
            raise

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
        client = cls(transport=transport, timeout=timeout, headers={"User-Agent": user_agent})
        # Only an AiohttpTransport as it is (a subclass may change what it sends); none was made if its
        # module was never imported.
        ours = sys.modules.get("pyopenfaas._aiohttp_transport")
        if ours is not None and type(transport) is ours.AiohttpTransport:
            client._direct = cast("AiohttpTransport", transport)
        return client
