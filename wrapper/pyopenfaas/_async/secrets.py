"""`client.secrets`: create, update and remove secrets. Values are sent, never logged, never returned."""

from __future__ import annotations

from .._errors import NotFoundError
from .._models import Secret
from .._parse import parse_list
from .._secrets import check_update_supported, secret_body, secret_description
from .engine import AsyncEngine


class AsyncSecrets:
    """Secrets on the gateway: `client.secrets`."""

    def __init__(self, api: AsyncEngine) -> None:
        self._api = api

    async def list(self, namespace: str | None = None) -> list[Secret]:
        """The secrets in `namespace` (names only: the gateway never returns values)."""
        from pyopenfaas._generated.api.system import list_secrets

        spec = list_secrets.request(namespace=self._api.namespace(namespace))
        return parse_list(await self._api.call(spec), Secret)

    async def create(self, name: str, value: str | bytes, namespace: str | None = None) -> None:
        """Create a secret: `str` is sent as `value`, `bytes` as `rawValue`. faas-netes answers an existing
        secret with `ConflictError`; faasd overwrites it."""
        from pyopenfaas._generated.api.system import create_secret

        body = secret_body(name, value, self._api.namespace(namespace))
        await self._api.call(create_secret.request(body=body))

    async def update(self, name: str, value: str | bytes, namespace: str | None = None) -> None:
        """Change a secret's value; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import update_secret

        body = secret_body(name, value, self._api.namespace(namespace))
        check_update_supported(self._api)
        await self._api.call(update_secret.request(body=body))

    async def apply(self, name: str, value: str | bytes, namespace: str | None = None) -> None:
        """Update the secret, or create it when it does not exist yet."""
        from pyopenfaas._generated.api.system import create_secret, update_secret

        body = secret_body(name, value, self._api.namespace(namespace))
        check_update_supported(self._api)
        try:
            await self._api.call(update_secret.request(body=body))
        except NotFoundError:
            await self._api.call(create_secret.request(body=body))

    async def delete(self, name: str, namespace: str | None = None) -> None:
        """Remove a secret; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import delete_secret

        ns = self._api.namespace(namespace)
        await self._api.call(delete_secret.request(body=secret_description(name, ns), namespace=ns))
