"""Sealed build secrets: the go-sdk `seal` envelope, made with PyNaCl (loaded only when secrets are sealed).

`{version: v1, algorithm: nacl/box, key_id, public_key, secrets: {name: base64(nonce || ciphertext)}}`: each
value is boxed from one fresh sender key pair (its public key in `public_key`) to the builder's Curve25519
key, with its own random 24-byte nonce; `key_id` is the first 8 characters of the builder's base64 key.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
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
        raise ConfigurationError("sealing build secrets needs PyNaCl: pip install 'pyopenfaas[builder]'") from None
    return nacl.public


def decode_public_key(value: str) -> bytes:
    """The 32 raw bytes of a base64 Curve25519 public key; `ValueError` otherwise."""
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValueError("invalid builder public key: expected a base64-encoded 32-byte Curve25519 key")
    return raw


def key_id(public_key: str) -> str:
    """The envelope's `key_id`: the first 8 characters of the builder's base64 public key."""
    return public_key.strip()[:8]


def seal_secrets(values: Mapping[str, str | bytes], public_key: str) -> bytes:
    """The sealed envelope (YAML, as `faas-cli secret seal` writes `com.openfaas.secrets`) holding `values`
    sealed to the builder's `public_key` (base64 Curve25519). Needs PyNaCl (`pyopenfaas[builder]`)."""
    recipient_raw = decode_public_key(public_key)
    public = _nacl()
    sender = public.PrivateKey.generate()
    box = public.Box(sender, public.PublicKey(recipient_raw))
    envelope = {
        "version": VERSION,
        "algorithm": ALGORITHM,
        "key_id": key_id(public_key),
        "public_key": base64.b64encode(bytes(sender.public_key)).decode("ascii"),
        # Box.encrypt draws a fresh random 24-byte nonce and returns nonce || ciphertext.
        "secrets": {
            name: base64.b64encode(bytes(box.encrypt(value))).decode("ascii") for name, value in values.items()
        },
    }
    return yaml.safe_dump(envelope, sort_keys=False, indent=4, width=1 << 20).encode("utf-8")


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)
