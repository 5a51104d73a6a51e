"""Opening sealed envelopes, generating key pairs and deriving key ids, against the Go SDK's `seal` format
(go-sdk seal/seal.go): the vector below was made with PyNaCl's primitives from that format (fixed keys and
nonces: recipient private key bytes 1..32, sender private key bytes 101..132), not with our code, and is
laid out as Go's yaml.v3 writes an `Envelope` (4-space indent, fields in struct order, names sorted)."""

from __future__ import annotations

import base64
from pathlib import Path

import nacl.public
import pytest
import yaml
from pyopenfaas.builder import KeyPair, derive_key_id, generate_key_pair, seal_secrets, unseal_secrets

RECIPIENT_PRIVATE = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
RECIPIENT_PUBLIC = "B6N8vBQgk8i3VdwbEOhstCY3StFqqFPtC9/AsrhtHHw="
GO_ENVELOPE = """\
version: v1
algorithm: nacl/box
key_id: B6N8vBQg
public_key: VxR2nRFr92Q2rnS8eT0sMK0ZA8WaxSc4BcfiaYtBDDY=
secrets:
    api-key: BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwKY/+DQS8t7ISPcIdxpnvdCUlgKuA==
    ca.crt: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXPzpRGKdUEO9B1TEJOfPokSd8LFtoqtHQ5fB9CPEObd1CbwyVuIrOuRd3a+b+Yh8BCw==
"""
PLAIN = {"api-key": b"s3cr3t", "ca.crt": b"-----BEGIN CERTIFICATE-----\nMIIB\n"}


def test_a_go_envelope_opens() -> None:
    assert unseal_secrets(GO_ENVELOPE, RECIPIENT_PRIVATE) == PLAIN
    assert unseal_secrets(GO_ENVELOPE.encode(), RECIPIENT_PRIVATE.encode() + b"\n") == PLAIN  # a key file


def test_a_sealed_file_opens(tmp_path: Path) -> None:
    (tmp_path / "com.openfaas.secrets").write_text(GO_ENVELOPE)
    assert unseal_secrets(tmp_path / "com.openfaas.secrets", RECIPIENT_PRIVATE) == PLAIN


def test_key_id_is_the_first_eight_base64_characters() -> None:
    assert derive_key_id(RECIPIENT_PUBLIC) == "B6N8vBQg"
    assert derive_key_id(f"  {RECIPIENT_PUBLIC}\n".encode()) == "B6N8vBQg"


@pytest.mark.parametrize("key", ["", "not base64!", base64.b64encode(bytes(31)).decode(), "AAAA" * 12])
def test_key_id_of_a_bad_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match=r"invalid public key: expected a base64-encoded 32-byte"):
        derive_key_id(key)


def test_a_generated_pair_is_a_curve25519_pair() -> None:
    pair = generate_key_pair()
    private = nacl.public.PrivateKey(base64.b64decode(pair.private_key, validate=True))
    assert base64.b64encode(bytes(private.public_key)).decode() == pair.public_key
    assert pair.key_id == pair.public_key[:8]
    assert pair.private_key not in repr(pair)
    assert generate_key_pair().public_key != pair.public_key


def test_what_we_seal_opens_with_the_generated_key() -> None:
    pair = generate_key_pair()
    sealed = seal_secrets({"b": "text", "a": b"\x00\xff"}, pair.public_key)
    assert unseal_secrets(sealed, pair.private_key) == {"a": b"\x00\xff", "b": b"text"}
    envelope = yaml.safe_load(sealed)
    assert envelope["key_id"] == pair.key_id
    assert list(envelope["secrets"]) == ["a", "b"]  # sorted, as Go writes a map


def test_another_key_cannot_open() -> None:
    with pytest.raises(ValueError, match=r"decryption failed for key 'api-key': invalid key or corrupted data"):
        unseal_secrets(GO_ENVELOPE, generate_key_pair().private_key)


def change(envelope: str, old: str, new: str) -> str:
    assert old in envelope
    return envelope.replace(old, new)


@pytest.mark.parametrize(
    ("envelope", "message"),
    [
        (change(GO_ENVELOPE, "version: v1", "version: v2"), r"unsupported envelope version: 'v2', expected 'v1'"),
        (change(GO_ENVELOPE, "nacl/box", "age"), r"unsupported algorithm: 'age', expected 'nacl/box'"),
        (change(GO_ENVELOPE, "VxR2nRFr", "VxR2"), r"invalid envelope public key"),
        (change(GO_ENVELOPE, "BwcHBwcHBwcHBwcHBwcH", "Bw-_"), r"invalid base64 for key 'api-key'"),
        (change(GO_ENVELOPE, "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwKY/+DQS8t7ISPcIdxpnvdCUlgKuA==", "AAAA"),
         r"sealed value for key 'api-key' too short: expected at least 24 bytes, got 3"),
        (change(GO_ENVELOPE, "vdCUlgKuA", "vdCUlhKuA"), r"decryption failed for key .api-key."),
        ("- a list\n", r"invalid sealed envelope: not a YAML mapping"),
        ("version: [\n", r"invalid sealed envelope"),
    ],
)  # fmt: skip
def test_a_bad_envelope_is_refused(envelope: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        unseal_secrets(envelope, RECIPIENT_PRIVATE)


def test_a_bad_private_key_is_refused() -> None:
    with pytest.raises(ValueError, match=r"invalid private key: expected a base64-encoded 32-byte"):
        unseal_secrets(GO_ENVELOPE, "short")


def test_an_empty_envelope_opens_to_nothing() -> None:
    assert unseal_secrets("version: v1\nalgorithm: nacl/box\npublic_key: " + RECIPIENT_PUBLIC, RECIPIENT_PRIVATE) == {}


def test_key_pair_repr_hides_the_private_key() -> None:
    assert repr(KeyPair(public_key="pub", private_key="hidden")) == "KeyPair(public_key='pub')"
