"""TLS against a local HTTPS server whose certificate comes from a CA made in the test (trustme): refused by
default with a clear error; accepted with verify=<CA bundle> or an SSLContext; verify=False works (unsafe); a
client certificate is presented. First on every client kind, then on each async transport under httpx.AsyncClient
(the exception the transport raises, and `cert=`)."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme
from pyopenfaas import APIConnectionError, AsyncOpenFaaS, ConfigurationError, OpenFaaS
from pyopenfaas._client import ssl_context

from tests.support import stats
from tests.support.clients import Twin, close_client, resolve
from tests.support.faultserver import Conn, FaultServer, Received, answer
from tests.support.fixtures import MakeClient

pytestmark = pytest.mark.anyio

INFO = {"provider": None, "version": {"release": "0.27.0", "sha": "abc"}, "arch": "amd64"}


def gateway(conn: Conn, request: Received, index: int) -> None:
    if request.path == "/healthz":
        conn.reply(200, "OK", {"Content-Type": "text/plain"})
    else:
        conn.reply(200, json.dumps(INFO))


def _https(ca: trustme.CA, *hosts: str) -> Iterator[FaultServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*hosts).configure_cert(context)
    with FaultServer(gateway, ssl_context=context) as server:
        yield server


@pytest.fixture
def https(ca: trustme.CA) -> Iterator[FaultServer]:
    """HTTPS on 127.0.0.1 with a certificate for 127.0.0.1 and localhost."""
    yield from _https(ca, "127.0.0.1", "localhost")


@pytest.fixture
def https_wrong_name(ca: trustme.CA) -> Iterator[FaultServer]:
    """HTTPS on 127.0.0.1 with a certificate for another name."""
    yield from _https(ca, "gateway.example")


async def test_an_unknown_ca_is_refused_by_default_with_a_clear_error(kind: str, https: FaultServer) -> None:
    stats.fault("tls: unknown CA")
    async with Twin(kind, https.url) as client:
        with pytest.raises(APIConnectionError) as info:
            await client("info")
    message = str(info.value)
    assert "CERTIFICATE_VERIFY_FAILED" in message, message
    assert f"GET {https.url}/system/info" in message
    assert https.count() == 0  # no request went over the unverified connection
    assert https.handshake_failed.wait(5)  # the server's side of the refused handshake may finish just after
    assert https.handshake_failures == 1  # a refused certificate is not retried


async def test_a_certificate_for_another_name_is_refused(
    kind: str, https_wrong_name: FaultServer, ca_bundle: str
) -> None:
    stats.fault("tls: wrong host name")
    async with Twin(kind, https_wrong_name.url, verify=ca_bundle) as client:
        with pytest.raises(APIConnectionError) as info:
            await client("health")
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value)
    assert "127.0.0.1" in str(info.value)
    assert https_wrong_name.count() == 0


async def test_the_ca_bundle_is_accepted_as_a_path(kind: str, https: FaultServer, ca_bundle: str) -> None:
    async with Twin(kind, https.url, verify=ca_bundle) as client:
        assert await client("health") is True
        assert (await client("info")).arch == "amd64"
    assert https.count() == 2


async def test_the_ca_is_accepted_as_an_ssl_context(kind: str, https: FaultServer, ca_bundle: str) -> None:
    context = ssl.create_default_context(cafile=ca_bundle)
    async with Twin(kind, https.url, verify=context) as client:
        assert await client("health") is True


async def test_verify_false_works(kind: str, https: FaultServer) -> None:
    async with Twin(kind, https.url, verify=False) as client:
        assert await client("health") is True
        assert (await client("info")).version.release == "0.27.0"


@pytest.mark.parametrize("client_class", [OpenFaaS, AsyncOpenFaaS])
def test_a_ca_bundle_that_is_missing_or_not_a_ca_is_a_configuration_error(
    client_class: type[OpenFaaS] | type[AsyncOpenFaaS], tmp_path: Path
) -> None:
    missing = str(tmp_path / "no-such-ca.pem")
    with pytest.raises(ConfigurationError, match=r"no-such-ca\.pem"):
        client_class("https://127.0.0.1:9", verify=missing, env={})
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    with pytest.raises(ConfigurationError, match=r"garbage\.pem"):
        client_class("https://127.0.0.1:9", verify=str(garbage), env={})


@pytest.mark.parametrize("client_class", [OpenFaaS, AsyncOpenFaaS])
def test_verify_false_is_documented_as_unsafe(client_class: type[OpenFaaS] | type[AsyncOpenFaaS]) -> None:
    documentation = " ".join(filter(None, [client_class.__doc__, client_class.__init__.__doc__]))
    assert "verify=False" in documentation
    assert "unsafe" in documentation.lower() or "insecure" in documentation.lower()


@pytest.mark.parametrize("verify", [False, "ca"])
def test_verify_is_not_silently_ignored_when_a_transport_is_given(ca_bundle: str, verify: bool | str) -> None:
    """With transport= the client's verify= could not apply: it is refused, not ignored."""
    setting = ca_bundle if verify == "ca" else verify
    with pytest.raises(ConfigurationError, match="verify"):
        OpenFaaS("https://127.0.0.1:9", env={}, verify=setting, transport=httpx.HTTPTransport())
    with pytest.raises(ConfigurationError, match="verify"):
        AsyncOpenFaaS("https://127.0.0.1:9", env={}, verify=setting, transport=httpx.AsyncHTTPTransport())


# ---- each async transport, under httpx.AsyncClient ---------------------------------------------------------------

hello = answer(200, "hello", {"Content-Type": "text/plain"})


async def test_a_certificate_from_an_unknown_ca_is_refused_by_default(
    make_client: MakeClient, server_context: ssl.SSLContext
) -> None:
    with FaultServer(hello, ssl_context=server_context) as server:
        async with make_client(verify=True) as client:
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await client.get(server.url)


async def test_a_ca_bundle_path_is_trusted(
    make_client: MakeClient, server_context: ssl.SSLContext, ca_bundle: str
) -> None:
    with FaultServer(hello, ssl_context=server_context) as server:
        async with make_client(verify=ca_bundle) as client:
            assert (await client.get(server.url)).content == b"hello"


async def test_an_ssl_context_is_used_as_given(
    make_client: MakeClient, server_context: ssl.SSLContext, ca: trustme.CA
) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    with FaultServer(hello, ssl_context=server_context) as server:
        async with make_client(verify=context) as client:
            assert (await client.get(server.url)).content == b"hello"


async def test_verify_false_accepts_any_certificate(make_client: MakeClient, server_context: ssl.SSLContext) -> None:
    with FaultServer(hello, ssl_context=server_context) as server:
        async with make_client(verify=False) as client:
            assert (await client.get(server.url)).content == b"hello"


async def test_a_client_certificate_is_presented(
    make_client: MakeClient, server_context: ssl.SSLContext, ca: trustme.CA, ca_bundle: str, tmp_path: Path
) -> None:
    server_context.verify_mode = ssl.CERT_REQUIRED
    ca.configure_trust(server_context)
    client_pem = tmp_path / "client.pem"
    ca.issue_cert("client@example.com").private_key_and_cert_chain_pem.write_to_path(str(client_pem))

    def who(conn: Conn, request: Received, index: int) -> None:
        assert isinstance(conn.sock, ssl.SSLSocket)
        peer = conn.sock.getpeercert()
        conn.reply(200, str(peer["subjectAltName"]) if peer else "no certificate", {"Content-Type": "text/plain"})

    with FaultServer(who, ssl_context=server_context) as server:
        async with make_client(verify=ca_bundle, cert=str(client_pem)) as client:
            assert "client@example.com" in (await client.get(server.url)).text


@pytest.mark.parametrize("client_class", [OpenFaaS, AsyncOpenFaaS])
async def test_the_default_context_follows_ssl_cert_file(
    client_class: type[OpenFaaS] | type[AsyncOpenFaaS],
    https: FaultServer,
    ca_bundle: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Clients with the default `verify=True` share one TLS context per SSL_CERT_FILE/SSL_CERT_DIR (loading a CA
    bundle costs tens of milliseconds per client): a changed SSL_CERT_FILE still reaches the next client."""

    async def health() -> bool:
        client = client_class(https.url, env={}, max_retries=0)
        try:
            return await resolve(client.health())
        finally:
            await close_client(client)

    monkeypatch.setenv("SSL_CERT_FILE", ca_bundle)
    assert await health() is True
    monkeypatch.delenv("SSL_CERT_FILE")
    with pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        await health()
    assert https.handshake_failed.wait(5)
    assert ssl_context(True) is ssl_context(True)


def test_an_unusable_ssl_cert_file_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigurationError, match="SSL_CERT_FILE"):
        OpenFaaS("https://gateway.test", env={})
