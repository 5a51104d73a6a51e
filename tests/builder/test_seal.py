"""The sealed envelope, checked with PyNaCl directly (not round-tripped through our code): YAML
{version: v1, algorithm: nacl/box, key_id, public_key, secrets: {name: base64(24-byte nonce || ciphertext)}},
each value boxed from one fresh sender key pair (public_key) to the builder's key; key_id is the first 8
characters of the builder's base64 key."""

from __future__ import annotations

import base64

import nacl.public
import pytest
import yaml
from pyopenfaas.builder import seal_secrets as seal

VALUES = {
    "pip_token": b"s3cr3t",
    "aws_secret_key": b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "null_bytes": b"\x00\x00\xff\x00\xfe",
}


@pytest.fixture
def builder_key() -> nacl.public.PrivateKey:
    return nacl.public.PrivateKey.generate()


def b64(key: nacl.public.PublicKey) -> str:
    return base64.b64encode(bytes(key)).decode()


def test_envelope_fields_in_order(builder_key: nacl.public.PrivateKey) -> None:
    recipient = b64(builder_key.public_key)
    text = seal(VALUES, recipient).decode()
    assert [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")] == [
        "version", "algorithm", "key_id", "public_key", "secrets",
    ]  # fmt: skip
    envelope = yaml.safe_load(text)
    assert envelope["version"] == "v1"
    assert envelope["algorithm"] == "nacl/box"
    assert envelope["key_id"] == recipient[:8]
    assert envelope["public_key"] != recipient  # the sender's key, not the builder's
    assert set(envelope["secrets"]) == set(VALUES)


def test_values_open_with_pynacl(builder_key: nacl.public.PrivateKey) -> None:
    envelope = yaml.safe_load(seal(VALUES, b64(builder_key.public_key)))
    sender = nacl.public.PublicKey(base64.b64decode(envelope["public_key"]))
    box = nacl.public.Box(builder_key, sender)
    nonces = set()
    for name, value in VALUES.items():
        raw = base64.b64decode(envelope["secrets"][name], validate=True)
        nonce, ciphertext = raw[:24], raw[24:]
        assert len(ciphertext) == len(value) + 16  # Poly1305 tag
        assert box.decrypt(ciphertext, nonce) == value
        nonces.add(nonce)
    assert len(nonces) == len(VALUES)  # a fresh nonce per value


def test_another_key_cannot_open(builder_key: nacl.public.PrivateKey) -> None:
    envelope = yaml.safe_load(seal({"k": b"v"}, b64(builder_key.public_key)))
    sender = nacl.public.PublicKey(base64.b64decode(envelope["public_key"]))
    stranger = nacl.public.Box(nacl.public.PrivateKey.generate(), sender)
    with pytest.raises(nacl.exceptions.CryptoError):
        stranger.decrypt(base64.b64decode(envelope["secrets"]["k"]))


def test_fresh_sender_key_per_envelope(builder_key: nacl.public.PrivateKey) -> None:
    first = yaml.safe_load(seal({"k": b"v"}, b64(builder_key.public_key)))
    second = yaml.safe_load(seal({"k": b"v"}, b64(builder_key.public_key)))
    assert first["public_key"] != second["public_key"]


@pytest.mark.parametrize("key", ["not-base64!!!", "AAAAAAAAAAAAAAAAAAAAAA==", ""])
def test_bad_public_key(key: str) -> None:
    with pytest.raises(ValueError, match="base64-encoded 32-byte Curve25519 key"):
        seal({"k": b"v"}, key)
