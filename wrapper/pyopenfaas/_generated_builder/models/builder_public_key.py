"""`/components/schemas/BuilderPublicKey` in openapi.yaml: The builder's `/publickey` answer: the Curve25519 key build secrets are sealed to."""

from ..types import Model


class BuilderPublicKey(Model, kw_only=True, frozen=True):
    """The builder's `/publickey` answer: the Curve25519 key build secrets are sealed to."""

    public_key: str
    key_id: str = ""
    algorithm: str = "nacl/box"


BuilderPublicKey.__module__ = "pyopenfaas.builder"  # its public home: tracebacks, reprs and pickle name it there
