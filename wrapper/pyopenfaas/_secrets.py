"""`client.secrets`: create, update and remove secrets. Values are sent, never logged, never returned."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from ._base import AsyncAPI, SyncAPI, resolve_namespace
from ._errors import NotFoundError, not_supported
from ._models import Secret
from ._validation import check_secret_name
from ._wire import parse_list

if TYPE_CHECKING:
    from pyopenfaas._generated.models import SecretBody


def _secret_body(name: str, value: str | bytes, namespace: str | None) -> SecretBody:
    """`value` for text, `rawValue` (base64) for bytes, as faas-provider expects."""
    from pyopenfaas._generated.models import SecretBody

    check_secret_name(name)
    if isinstance(value, str):
        return SecretBody(name=name, namespace=namespace, value=value)
    if isinstance(value, bytes | bytearray):
        raw = base64.b64encode(bytes(value)).decode("ascii")
        return SecretBody(name=name, namespace=namespace, raw_value=raw)
    raise TypeError(f"secret value must be str or bytes, not {type(value).__name__}")


def _check_update_supported(api: SyncAPI | AsyncAPI) -> None:
    if api.settings.cluster_type == "swarm":
        raise not_supported(
            "PUT", f"{api.settings.base_url}/system/secrets", "the Swarm provider cannot update secrets"
        )


def _description(name: str, namespace: str | None) -> Secret:
    return Secret(name=check_secret_name(name), namespace=namespace)


class Secrets:
    """Secrets on the gateway: `client.secrets`."""

    def __init__(self, api: SyncAPI) -> None:
        self._api = api

    def list(self, namespace: str | None = None) -> list[Secret]:
        """The secrets in `namespace` (names only: the gateway never returns values)."""
        from pyopenfaas._generated.api.system import list_secrets

        spec = list_secrets.request(namespace=resolve_namespace(self._api, namespace))
        return parse_list(self._api.call(spec), Secret)

    def create(self, name: str, value: str | bytes, namespace: str | None = None) -> None:
        """Create a secret: `str` is sent as `value`, `bytes` as `rawValue`. faas-netes answers an existing
        secret with `ConflictError`; faasd overwrites it."""
        from pyopenfaas._generated.api.system import create_secret

        body = _secret_body(name, value, resolve_namespace(self._api, namespace))
        self._api.call(create_secret.request(body=body))

    def update(self, name: str, value: str | bytes, namespace: str | None = None) -> None:
        """Change a secret's value; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import update_secret

        body = _secret_body(name, value, resolve_namespace(self._api, namespace))
        _check_update_supported(self._api)
        self._api.call(update_secret.request(body=body))

    def apply(self, name: str, value: str | bytes, namespace: str | None = None) -> None:
        """Update the secret, or create it when it does not exist yet."""
        from pyopenfaas._generated.api.system import create_secret, update_secret

        body = _secret_body(name, value, resolve_namespace(self._api, namespace))
        _check_update_supported(self._api)
        try:
            self._api.call(update_secret.request(body=body))
        except NotFoundError:
            self._api.call(create_secret.request(body=body))

    def delete(self, name: str, namespace: str | None = None) -> None:
        """Remove a secret; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import delete_secret

        ns = resolve_namespace(self._api, namespace)
        self._api.call(delete_secret.request(body=_description(name, ns), namespace=ns))


class AsyncSecrets:
    """`Secrets` for `AsyncOpenFaaS`."""

    def __init__(self, api: AsyncAPI) -> None:
        self._api = api

    async def list(self, namespace: str | None = None) -> list[Secret]:
        """The secrets in `namespace` (names only: the gateway never returns values)."""
        from pyopenfaas._generated.api.system import list_secrets

        spec = list_secrets.request(namespace=resolve_namespace(self._api, namespace))
        return parse_list(await self._api.call(spec), Secret)

    async def create(self, name: str, value: str | bytes, namespace: str | None = None) -> None:
        """Create a secret (see `Secrets.create`)."""
        from pyopenfaas._generated.api.system import create_secret

        body = _secret_body(name, value, resolve_namespace(self._api, namespace))
        await self._api.call(create_secret.request(body=body))

    async def update(self, name: str, value: str | bytes, namespace: str | None = None) -> None:
        """Change a secret's value; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import update_secret

        body = _secret_body(name, value, resolve_namespace(self._api, namespace))
        _check_update_supported(self._api)
        await self._api.call(update_secret.request(body=body))

    async def apply(self, name: str, value: str | bytes, namespace: str | None = None) -> None:
        """Update the secret, or create it when it does not exist yet."""
        from pyopenfaas._generated.api.system import create_secret, update_secret

        body = _secret_body(name, value, resolve_namespace(self._api, namespace))
        _check_update_supported(self._api)
        try:
            await self._api.call(update_secret.request(body=body))
        except NotFoundError:
            await self._api.call(create_secret.request(body=body))

    async def delete(self, name: str, namespace: str | None = None) -> None:
        """Remove a secret; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import delete_secret

        ns = resolve_namespace(self._api, namespace)
        await self._api.call(delete_secret.request(body=_description(name, ns), namespace=ns))
