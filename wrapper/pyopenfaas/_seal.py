"""Sealed secrets: the go-sdk `seal` envelope (`faas-cli secret seal/unseal/keygen`), made and opened with
PyNaCl (loaded only when something is sealed, opened or generated).

`{version: v1, algorithm: nacl/box, key_id, public_key, secrets: {name: base64(nonce || ciphertext)}}`: each
value is boxed from one fresh sender key pair (its public key in `public_key`) to the recipient's Curve25519
key, with its own random 24-byte nonce; `key_id` is the first 8 characters of the recipient's base64 key.
Keys travel as base64 text, as the Go SDK's `GenerateKeyPair` returns them and faas-cli writes them.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ._errors import ConfigurationError

VERSION = "v1"
ALGORITHM = "nacl/box"
FILE_NAME = "com.openfaas.secrets"


def _nacl() -> Any:
    try:
        import nacl.public
    except ImportError:
        raise ConfigurationError("sealing secrets needs PyNaCl: pip install 'pyopenfaas[builder]'") from None
    return nacl.public


@dataclasses.dataclass(frozen=True, slots=True)
class KeyPair:
    """A Curve25519 key pair for sealed secrets, each key base64 text (`faas-cli secret keygen`). The
    private key is left out of the repr."""

    public_key: str
    private_key: str = dataclasses.field(repr=False)

    @property
    def key_id(self) -> str:
        """The public key's id, as sealed envelopes name it (`derive_key_id`)."""
        return derive_key_id(self.public_key)


def generate_key_pair() -> KeyPair:
    """A new key pair to seal secrets to (the public key) and open them with (the private key). Needs PyNaCl
    (`pyopenfaas[builder]`)."""
    private = _nacl().PrivateKey.generate()
    return KeyPair(public_key=_b64(bytes(private.public_key)), private_key=_b64(bytes(private)))


def derive_key_id(public_key: str | bytes) -> str:
    """The short id of a public key (base64 text, or a key file's bytes): the first 8 characters of its
    canonical base64 form, as the Go SDK's `seal.DeriveKeyID`. `ValueError` for anything but a 32-byte key."""
    return _b64(decode_key(public_key, "public key"))[:8]


def decode_key(value: str | bytes, what: str = "public key") -> bytes:
    """The 32 raw bytes of a base64 Curve25519 key (surrounding whitespace ignored); `ValueError` otherwise."""
    try:
        text = value.decode("ascii") if isinstance(value, bytes | bytearray) else value
        raw = base64.b64decode(text.strip(), validate=True)
    except (AttributeError, UnicodeDecodeError, binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValueError(f"invalid {what}: expected a base64-encoded 32-byte Curve25519 key")
    return raw


def seal_secrets(values: Mapping[str, str | bytes], public_key: str) -> bytes:
    """The sealed envelope (YAML, as `faas-cli secret seal` writes `com.openfaas.secrets`) holding `values`
    sealed to the builder's `public_key` (base64 Curve25519). Needs PyNaCl (`pyopenfaas[builder]`)."""
    recipient_raw = decode_key(public_key, "builder public key")
    public = _nacl()
    sender = public.PrivateKey.generate()
    box = public.Box(sender, public.PublicKey(recipient_raw))
    envelope = {
        "version": VERSION,
        "algorithm": ALGORITHM,
        "key_id": _b64(recipient_raw)[:8],
        "public_key": _b64(bytes(sender.public_key)),
        # Box.encrypt draws a fresh random 24-byte nonce and returns nonce || ciphertext; names sorted, as
        # Go's YAML writes a map.
        "secrets": {name: _b64(bytes(box.encrypt(_bytes(values[name])))) for name in sorted(values)},
    }
    return yaml.safe_dump(envelope, sort_keys=False, indent=4, width=1 << 20).encode("utf-8")


def unseal_secrets(envelope: bytes | str | os.PathLike[str], private_key: str | bytes) -> dict[str, bytes]:
    """Open a sealed envelope (its text, or the path of a sealed file such as `com.openfaas.secrets`) with
    the recipient's `private_key` (base64 text, or a key file's bytes): every value by name, as
    `faas-cli secret unseal` does. `ValueError` for a key or envelope that is not valid, and for a value
    that does not open (another key's envelope, or changed data). Needs PyNaCl (`pyopenfaas[builder]`)."""
    if isinstance(envelope, os.PathLike):
        envelope = Path(envelope).read_bytes()
    private_raw = decode_key(private_key, "private key")
    sender_raw, sealed = _parse_envelope(envelope)
    public = _nacl()
    box = public.Box(public.PrivateKey(private_raw), public.PublicKey(sender_raw))
    return {name: _open(box, name, value) for name, value in sealed.items()}


def _parse_envelope(envelope: bytes | str) -> tuple[bytes, dict[str, str]]:
    """The sender's key and the sealed values, checked as the Go SDK's `parseEnvelope` checks them."""
    try:
        data = yaml.safe_load(envelope)
    except yaml.YAMLError as exc:
        raise ValueError(f"invalid sealed envelope: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("invalid sealed envelope: not a YAML mapping")
    if data.get("version") != VERSION:
        raise ValueError(f"unsupported envelope version: {data.get('version')!r}, expected {VERSION!r}")
    if data.get("algorithm") != ALGORITHM:
        raise ValueError(f"unsupported algorithm: {data.get('algorithm')!r}, expected {ALGORITHM!r}")
    sender = decode_key(str(data.get("public_key") or ""), "envelope public key")
    sealed = data.get("secrets") or {}
    if not isinstance(sealed, dict) or not all(isinstance(v, str) for v in sealed.values()):
        raise ValueError("invalid sealed envelope: secrets must map names to base64 text")
    return sender, {str(name): value for name, value in sealed.items()}


def _open(box: Any, name: str, value: str) -> bytes:
    try:
        combined = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"invalid base64 for key {name!r}") from None
    if len(combined) < 24:
        raise ValueError(f"sealed value for key {name!r} too short: expected at least 24 bytes, got {len(combined)}")
    from nacl.exceptions import CryptoError

    try:
        return bytes(box.decrypt(combined[24:], combined[:24]))
    except CryptoError:
        raise ValueError(f"decryption failed for key {name!r}: invalid key or corrupted data") from None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)
