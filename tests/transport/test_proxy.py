"""Proxies: from HTTP_PROXY/NO_PROXY when trust_env is on (as httpx.AsyncClient does), or given outright."""

from __future__ import annotations

import base64
import ssl

import pytest

from tests.support.faultserver import Exchange, forward_proxy, serve
from tests.support.fixtures import MakeClient

pytestmark = pytest.mark.anyio


async def _origin(exchange: Exchange) -> None:
    await exchange.respond(body=f"origin saw via={exchange.headers.get('via')}".encode())


async def test_http_proxy_from_the_environment_carries_the_request(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with serve(_origin) as origin, forward_proxy() as (proxy, forwarded):
        monkeypatch.setenv("HTTP_PROXY", f"http://user:secret@127.0.0.1:{proxy.port}")
        async with make_client() as client:
            response = await client.post(f"{origin.url}/function/echo?x=1", content=b"payload")
    assert response.text == "origin saw via=1.1 test-proxy"
    [request] = forwarded
    assert request.target == f"{origin.url}/function/echo?x=1"
    assert request.headers["proxy-authorization"] == "Basic " + base64.b64encode(b"user:secret").decode()


async def test_no_proxy_bypasses_the_proxy(make_client: MakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    async with serve(_origin) as origin, forward_proxy() as (proxy, forwarded):
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
        async with make_client() as client:
            response = await client.get(origin.url)
    assert response.text == "origin saw via=None"
    assert forwarded == []


async def test_trust_env_off_ignores_proxy_variables(make_client: MakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    async with serve(_origin) as origin, forward_proxy() as (proxy, forwarded):
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with make_client(trust_env=False) as client:
            response = await client.get(origin.url)
    assert response.text == "origin saw via=None"
    assert forwarded == []


async def test_an_explicit_proxy_is_used(make_client: MakeClient) -> None:
    async with serve(_origin) as origin, forward_proxy() as (proxy, forwarded), make_client(proxy=proxy.url) as client:
        response = await client.get(origin.url)
    assert response.text == "origin saw via=1.1 test-proxy"
    assert len(forwarded) == 1


async def test_https_goes_through_a_connect_tunnel_with_the_proxy_credentials(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch, server_context: ssl.SSLContext, ca_bundle: str
) -> None:
    async with serve(_origin, ssl_context=server_context) as origin, forward_proxy() as (proxy, forwarded):
        monkeypatch.setenv("HTTPS_PROXY", f"http://user:secret@127.0.0.1:{proxy.port}")
        async with make_client(verify=ca_bundle) as client:
            response = await client.get(f"{origin.url}/function/echo")
    assert response.text == "origin saw via=None"  # a tunnel: the proxy cannot see or touch the request
    [connect] = forwarded
    assert (connect.method, connect.target) == ("CONNECT", f"127.0.0.1:{origin.port}")
    assert connect.headers["proxy-authorization"] == "Basic " + base64.b64encode(b"user:secret").decode()


async def test_pyopenfaas_clients_send_through_the_environment_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both clients, on the transports pyopenfaas makes itself, honour HTTP_PROXY for the gateway and functions."""
    import asyncio

    from pyopenfaas import AsyncOpenFaaS, OpenFaaS

    async with serve(_origin) as origin, forward_proxy() as (proxy, forwarded):
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)

        def sync_call() -> str:
            with OpenFaaS(origin.url, env={}, max_retries=0) as client:
                return client.functions.invoke("echo", b"x").text

        sync_text = await asyncio.to_thread(sync_call)  # the servers run on this event loop
        async with AsyncOpenFaaS(origin.url, env={}, max_retries=0) as client:
            async_text = (await client.functions.invoke("echo", b"x")).text
    assert sync_text == async_text == "origin saw via=1.1 test-proxy"
    assert [request.target for request in forwarded] == [f"{origin.url}/function/echo"] * 2
