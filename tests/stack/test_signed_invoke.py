"""invoke(..., sign=(header, key)): faas-cli `invoke --sign HEADER --key KEY` sends
`HEADER: sha256=<hex HMAC-SHA256 of the body>` (since 0.17.1; `sha1=` before, `sign=(header, key, "sha1")`).
Checked with RFC 4231's and RFC 2202's test vectors and by the function."""

from __future__ import annotations

import hashlib
import hmac
import io
from collections.abc import AsyncIterator

import pytest
from pyopenfaas import AsyncOpenFaaS, OpenFaaS
from pyopenfaas.signing import Algorithm, verify
from pyopenfaas.testing import FakeGateway, FunctionRequest

# RFC 4231, test case 2.
RFC4231_KEY = "Jefe"
RFC4231_DATA = b"what do ya want for nothing?"
RFC4231_MAC = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
# RFC 2202, test case 2 (HMAC-SHA1 of the same key and data).
RFC2202_MAC = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def received(fake_gateway: FakeGateway) -> list[FunctionRequest]:
    seen: list[FunctionRequest] = []

    def record(request: FunctionRequest) -> str:
        seen.append(request)
        return "ok"

    fake_gateway.deploy("verify", handler=record)
    return seen


def test_sign_bytes(openfaas_client: OpenFaaS, received: list[FunctionRequest]) -> None:
    openfaas_client.functions.invoke("verify", RFC4231_DATA, sign=("X-Hub-Signature", RFC4231_KEY))
    assert received[0].headers["X-Hub-Signature"] == f"sha256={RFC4231_MAC}"
    assert received[0].body == RFC4231_DATA


@pytest.mark.parametrize(("algorithm", "mac"), [("sha256", RFC4231_MAC), ("sha1", RFC2202_MAC)], ids=["sha256", "sha1"])
def test_sign_with_an_algorithm(
    openfaas_client: OpenFaaS, received: list[FunctionRequest], algorithm: Algorithm, mac: str
) -> None:
    openfaas_client.functions.invoke("verify", RFC4231_DATA, sign=("X-Hub-Signature", RFC4231_KEY, algorithm))
    assert received[0].headers["X-Hub-Signature"] == f"{algorithm}={mac}"
    assert verify(received[0].body, received[0].headers["X-Hub-Signature"], RFC4231_KEY) == algorithm


def test_sign_json_signs_the_bytes_sent(openfaas_client: OpenFaaS, received: list[FunctionRequest]) -> None:
    openfaas_client.functions.invoke("verify", json={"order": 1, "name": "é"}, sign=("Http-Hmac", b"k"))
    body = received[0].body
    assert received[0].headers["Content-Type"] == "application/json"
    assert received[0].headers["Http-Hmac"] == "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()


def test_sign_empty_body(openfaas_client: OpenFaaS, received: list[FunctionRequest]) -> None:
    openfaas_client.functions.invoke("verify", sign=("X-Sig", "k"))
    assert received[0].headers["X-Sig"] == "sha256=" + hmac.new(b"k", b"", hashlib.sha256).hexdigest()


@pytest.mark.parametrize("body", [io.BytesIO(b"x"), iter([b"a", b"b"])], ids=["file", "iterator"])
def test_streamed_body_cannot_be_signed(
    openfaas_client: OpenFaaS, fake_gateway: FakeGateway, received: list[FunctionRequest], body: object
) -> None:
    with pytest.raises(ValueError, match="streamed and cannot be signed: pass the body as bytes or str"):
        openfaas_client.functions.invoke("verify", body, sign=("X-Sig", "k"))  # type: ignore[arg-type]
    assert received == []


@pytest.mark.parametrize(
    ("sign", "error"),
    [
        (("X-Sig",), TypeError),
        (("X-Sig", "k", "sha256", "extra"), TypeError),
        (("Bad Header", "k"), ValueError),
        (("X-Sig", ""), ValueError),
        (("X-Sig", "k", "md5"), ValueError),
        (("X-Sig", "k", "SHA256"), ValueError),
    ],
)
def test_bad_sign_argument(
    openfaas_client: OpenFaaS, received: list[FunctionRequest], sign: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        openfaas_client.functions.invoke("verify", b"x", sign=sign)  # type: ignore[arg-type]
    assert received == []


@pytest.mark.anyio
async def test_async_sign(async_openfaas_client: AsyncOpenFaaS, received: list[FunctionRequest]) -> None:
    await async_openfaas_client.functions.invoke("verify", RFC4231_DATA, sign=("X-Hub-Signature", RFC4231_KEY))
    assert received[0].headers["X-Hub-Signature"] == f"sha256={RFC4231_MAC}"


@pytest.mark.anyio
async def test_async_stream_refused(async_openfaas_client: AsyncOpenFaaS, received: list[FunctionRequest]) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"x"

    with pytest.raises(ValueError, match="cannot be signed"):
        await async_openfaas_client.functions.invoke("verify", chunks(), sign=("X-Sig", "k"))
    assert received == []
