"""TLS: verified by default, against a CA bundle when given one, not at all when asked; client certificates."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest
import trustme

from tests.support.faultserver import Exchange, serve
from tests.transport.conftest import MakeClient

pytestmark = pytest.mark.anyio


async def _hello(exchange: Exchange) -> None:
    await exchange.respond(body=b"hello")


async def test_a_certificate_from_an_unknown_ca_is_refused_by_default(
    make_client: MakeClient, server_context: ssl.SSLContext
) -> None:
    async with serve(_hello, ssl_context=server_context) as server, make_client(verify=True) as client:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.get(server.url)


async def test_a_ca_bundle_path_is_trusted(
    make_client: MakeClient, server_context: ssl.SSLContext, ca_bundle: str
) -> None:
    async with serve(_hello, ssl_context=server_context) as server, make_client(verify=ca_bundle) as client:
        assert (await client.get(server.url)).content == b"hello"


async def test_an_ssl_context_is_used_as_given(
    make_client: MakeClient, server_context: ssl.SSLContext, ca: trustme.CA
) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    async with serve(_hello, ssl_context=server_context) as server, make_client(verify=context) as client:
        assert (await client.get(server.url)).content == b"hello"


async def test_verify_false_accepts_any_certificate(make_client: MakeClient, server_context: ssl.SSLContext) -> None:
    async with serve(_hello, ssl_context=server_context) as server, make_client(verify=False) as client:
        assert (await client.get(server.url)).content == b"hello"


async def test_a_client_certificate_is_presented(
    make_client: MakeClient, server_context: ssl.SSLContext, ca: trustme.CA, ca_bundle: str, tmp_path: Path
) -> None:
    server_context.verify_mode = ssl.CERT_REQUIRED
    ca.configure_trust(server_context)
    client_pem = tmp_path / "client.pem"
    ca.issue_cert("client@example.com").private_key_and_cert_chain_pem.write_to_path(str(client_pem))

    async def who(exchange: Exchange) -> None:
        peer = exchange.writer.get_extra_info("peercert")
        await exchange.respond(body=str(peer["subjectAltName"]).encode())

    async with (
        serve(who, ssl_context=server_context) as server,
        make_client(verify=ca_bundle, cert=str(client_pem)) as client,
    ):
        assert "client@example.com" in (await client.get(server.url)).text
