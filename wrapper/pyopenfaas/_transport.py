"""The default transport of AsyncOpenFaaS: httpx's API on top of aiohttp's connection pool."""

from __future__ import annotations

import ssl

import httpx

from ._defaults import DEFAULT_KEEPALIVE_EXPIRY, DEFAULT_MAX_CONNECTIONS

__all__ = ["CertTypes", "default_async_transport"]

# A certificate file (with its key), a (certificate, key) pair, or (certificate, key, password).
CertTypes = str | tuple[str, str] | tuple[str, str, str]


def default_async_transport(
    *,
    verify: bool | str | ssl.SSLContext = True,
    cert: CertTypes | None = None,
    trust_env: bool = True,
    proxy: str | httpx.URL | httpx.Proxy | None = None,
    max_connections: int | None = DEFAULT_MAX_CONNECTIONS,
    keepalive_expiry: float | None = DEFAULT_KEEPALIVE_EXPIRY,
) -> httpx.AsyncBaseTransport:
    """Make the transport AsyncOpenFaaS sends through by default.

    One pooled aiohttp session per event loop, opened by its first request, so the transport can be
    made in sync code and used under any number of asyncio.run() calls. `verify`: True (certifi's CA
    bundle, or SSL_CERT_FILE/SSL_CERT_DIR with `trust_env`), False, a CA bundle file or directory, or
    an `ssl.SSLContext`; `cert`: a client certificate. `trust_env` also reads HTTP_PROXY, HTTPS_PROXY,
    ALL_PROXY and NO_PROXY as httpx.AsyncClient does; an explicit `proxy` applies to every request
    instead. `max_connections` bounds the connections, and so the requests in flight (a wait for one
    raises httpx.PoolTimeout); `None` is unbounded. Idle connections close after `keepalive_expiry`
    seconds. Errors and timeouts are httpx's exceptions. `aclose()` closes the sessions.

    aiohttp is imported here, not when pyopenfaas is imported.
    """
    from pyopenfaas._aiohttp_transport import AiohttpTransport

    return AiohttpTransport(
        verify=verify,
        cert=cert,
        trust_env=trust_env,
        proxy=proxy,
        max_connections=max_connections,
        keepalive_expiry=keepalive_expiry,
    )
