"""pyopenfaas.signing: `signature` and `verify` for `sha256=` and `sha1=` values, RFC 4231 / RFC 2202 vectors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyopenfaas.signing import Algorithm, SignatureError, signature, verify

KEY = "Jefe"
DATA = b"what do ya want for nothing?"
SHA256 = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"  # RFC 4231, case 2
SHA1 = "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"  # RFC 2202, case 2


def test_signature_matches_the_rfc_vectors() -> None:
    assert signature(DATA, KEY) == SHA256
    assert signature(DATA.decode(), KEY.encode(), "sha1") == SHA1


@pytest.mark.parametrize(("value", "algorithm"), [(SHA256, "sha256"), (SHA1, "sha1")])
def test_verify_returns_the_algorithm_that_matched(value: str, algorithm: str) -> None:
    assert verify(DATA, value, KEY) == algorithm
    assert verify(bytearray(DATA), f" {value.upper().replace(algorithm.upper(), algorithm)} ", KEY) == algorithm


@pytest.mark.parametrize(
    ("body", "value", "message"),
    [
        (DATA, None, "no signature"),
        (DATA, "", "no signature"),
        (DATA, "5bdcc146bf60754e", "must be sha256=<hex> or sha1=<hex>"),
        (DATA, "md5=abc", "must be sha256=<hex> or sha1=<hex>"),
        (DATA + b"!", SHA256, "sha256 signature does not match the body"),
        (DATA, SHA1[:-1], "sha1 signature does not match the body"),
        (DATA, "sha256=é", "sha256 signature does not match the body"),
    ],
)
def test_verify_refuses(body: bytes, value: str | None, message: str) -> None:
    with pytest.raises(SignatureError, match=message) as caught:
        verify(body, value, KEY)
    assert KEY not in str(caught.value)
    assert SHA256.partition("=")[2] not in str(caught.value)


def test_verify_can_refuse_sha1() -> None:
    only_sha256: tuple[Algorithm, ...] = ("sha256",)
    with pytest.raises(SignatureError, match="sha1 signatures are not accepted here"):
        verify(DATA, SHA1, KEY, algorithms=only_sha256)
    assert verify(DATA, SHA256, KEY, algorithms=only_sha256) == "sha256"


def test_a_signature_error_is_a_value_error() -> None:
    assert issubclass(SignatureError, ValueError)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: verify(DATA, SHA256, ""), ValueError),
        (lambda: verify(DATA, SHA256, KEY, algorithms=("md5",)), ValueError),  # type: ignore[arg-type]
        (lambda: signature(DATA, KEY, "sha512"), ValueError),  # type: ignore[arg-type]
        (lambda: signature(7, KEY), TypeError),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments(call: object, error: type[Exception]) -> None:
    assert callable(call)
    with pytest.raises(error) as caught:
        call()
    assert not isinstance(caught.value, SignatureError)


@settings(max_examples=50)
@given(body=st.binary(max_size=256), key=st.binary(min_size=1, max_size=64), flip=st.integers(0, 255))
def test_only_the_signature_of_the_body_verifies(body: bytes, key: bytes, flip: int) -> None:
    algorithms: tuple[Algorithm, ...] = ("sha256", "sha1")
    for algorithm in algorithms:
        value = signature(body, key, algorithm)
        assert verify(body, value, key) == algorithm
        with pytest.raises(SignatureError):
            verify(body + bytes([flip]), value, key)
