# Generated from _async/pool.py by tools/unasync.py (`make unasync`): do not edit.
"""What the clients and the Function Builder share: the pooled httpx client they own; and the context manager
protocol of everything that is closed after use (clients, builder, responses, log streams, jobs)."""

from __future__ import annotations

from typing import Self

import httpx

from .._client import USER_AGENT, VerifyTypes, check_transport_options, ssl_context
from .._http import HTTPClient
from .engine import Engine


def pooled_client(
    http_client: httpx.Client | None,
    transport: httpx.BaseTransport | None,
    verify: VerifyTypes,
    max_connections: int,
    timeout: httpx.Timeout,
) -> httpx.Client:
    """`http_client`, else a pooled client of pyopenfaas's own (`verify` and `max_connections` are for that one)."""
    connections = check_transport_options(http_client, transport, verify, max_connections)
    if http_client is not None:
        return http_client
    return HTTPClient.create(
        transport=transport,
        verify=ssl_context(verify),
        max_connections=connections,
        timeout=timeout,
        user_agent=USER_AGENT,
    )


class Closing:
    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class PoolOwner(Closing):
    _api: Engine
    _owns_http: bool

    def close(self) -> None:
        """Close the connection pool (not an `http_client` you passed in)."""
        if self._owns_http:
            self._api.close()
