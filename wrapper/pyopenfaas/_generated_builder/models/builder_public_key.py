"""`/components/schemas/BuilderPublicKey` in openapi.yaml: The builder's `/publickey` answer: the Curve25519 key build secrets are sealed to."""

from __future__ import annotations

from ..types import Model


class BuilderPublicKey(Model, kw_only=True, frozen=True):
    """The builder's `/publickey` answer: the Curve25519 key build secrets are sealed to."""

    public_key: str
    key_id: str = ""
    algorithm: str = "nacl/box"
