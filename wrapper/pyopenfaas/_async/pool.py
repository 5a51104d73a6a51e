"""What the clients and the Function Builder share: the pooled httpx client they own; and the context manager
protocol of everything that is closed after use (clients, builder, responses, log streams, jobs)."""

from __future__ import annotations

from typing import Self

import httpx

from .._client import USER_AGENT, VerifyTypes, check_transport_options, ssl_context
from .._http import AsyncHTTPClient
from .engine import AsyncEngine


def pooled_client(
    http_client: httpx.AsyncClient | None,
    transport: httpx.AsyncBaseTransport | None,
    verify: VerifyTypes,
    max_connections: int,
    timeout: httpx.Timeout,
) -> httpx.AsyncClient:
    """`http_client`, else a pooled client of pyopenfaas's own (`verify` and `max_connections` are for that one)."""
    connections = check_transport_options(http_client, transport, verify, max_connections)
    if http_client is not None:
        return http_client
    return AsyncHTTPClient.create(
        transport=transport,
        verify=ssl_context(verify),
        max_connections=connections,
        timeout=timeout,
        user_agent=USER_AGENT,
    )


class AsyncClosing:
    async def aclose(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class AsyncPoolOwner(AsyncClosing):
    _api: AsyncEngine
    _owns_http: bool

    async def aclose(self) -> None:
        """Close the connection pool (not an `http_client` you passed in)."""
        if self._owns_http:
            await self._api.aclose()
