"""`client.secrets`, the wire side: secret bodies. Values are sent, never logged, never
returned. The methods are in `_async/secrets.py`."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from ._engine import EngineBase
from ._errors import not_supported
from ._models import Secret
from ._validation import check_secret_name

if TYPE_CHECKING:
    from pyopenfaas._generated.models import SecretBody


def secret_body(name: str, value: str | bytes, namespace: str | None) -> SecretBody:
    """`value` for text, `rawValue` (base64) for bytes, as faas-provider expects."""
    from pyopenfaas._generated.models import SecretBody

    check_secret_name(name)
    if isinstance(value, str):
        return SecretBody(name=name, namespace=namespace, value=value)
    if isinstance(value, bytes | bytearray):
        raw = base64.b64encode(bytes(value)).decode("ascii")
        return SecretBody(name=name, namespace=namespace, raw_value=raw)
    raise TypeError(f"secret value must be str or bytes, not {type(value).__name__}")


def check_update_supported(api: EngineBase) -> None:
    if api.settings.cluster_type == "swarm":
        raise not_supported(
            "PUT", f"{api.settings.base_url}/system/secrets", "the Swarm provider cannot update secrets"
        )


def secret_description(name: str, namespace: str | None) -> Secret:
    return Secret(name=check_secret_name(name), namespace=namespace)
