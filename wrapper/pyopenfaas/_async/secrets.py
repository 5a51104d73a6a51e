"""`client.secrets`: create, update and remove secrets. Values are sent, never logged, never returned."""

from __future__ import annotations

import builtins
import os
from typing import TYPE_CHECKING, Literal

from .._errors import ConflictError, NotFoundError
from .._models import Secret
from .._secrets import (
    DEFAULT_FOLDER,
    AppliedSecret,
    check_update_supported,
    read_secret_folder,
    secret_body,
    secret_description,
)
from .engine import AsyncEngine

if TYPE_CHECKING:
    from pyopenfaas._generated.models import SecretBody


class AsyncSecrets:
    """Secrets on the gateway: `client.secrets`."""

    def __init__(self, api: AsyncEngine) -> None:
        self._api = api

    async def list(self, namespace: str | None = None) -> list[Secret]:
        """The secrets in `namespace` (names only: the gateway never returns values)."""
        from pyopenfaas._generated.api.system import list_secrets

        spec = list_secrets.request(namespace=self._api.namespace(namespace))
        return await self._api.call(spec)

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
        body = secret_body(name, value, self._api.namespace(namespace))
        check_update_supported(self._api)
        await self._put_or_post(body, exists=True)

    async def apply_folder(
        self, path: str | os.PathLike[str] = DEFAULT_FOLDER, namespace: str | None = None, *, trim: bool = True
    ) -> builtins.list[AppliedSecret]:  # `list` is a method here
        """Create or update one secret per file of a folder (`faas-cli secret apply`): the file's name is the
        secret's name, its bytes the value (surrounding whitespace removed unless `trim=False`). Files are
        read before anything is sent; an invalid name or an empty value is skipped, and said so in the
        answer, one `AppliedSecret` per file in name order. One `GET` lists what exists, then each secret is
        updated in place (never deleted first) or created."""
        files = read_secret_folder(path, trim=trim)
        if all(file.reason for file in files):  # nothing to send
            return [AppliedSecret(file.name, "skipped", file.reason) for file in files]
        check_update_supported(self._api)
        existing = {secret.name for secret in await self.list(namespace)}
        ns = self._api.namespace(namespace)
        applied = []
        for file in files:
            if file.reason:
                applied.append(AppliedSecret(file.name, "skipped", file.reason))
                continue
            body = secret_body(file.name, file.value, ns)
            applied.append(AppliedSecret(file.name, await self._put_or_post(body, file.name in existing)))
        return applied

    async def _put_or_post(self, body: SecretBody, exists: bool) -> Literal["created", "updated"]:
        """Update what exists, create what does not; a secret created or removed meanwhile is taken in turn."""
        from pyopenfaas._generated.api.system import create_secret, update_secret

        if exists:
            try:
                await self._api.call(update_secret.request(body=body))
                return "updated"
            except NotFoundError:
                pass
        try:
            await self._api.call(create_secret.request(body=body))
            return "created"
        except ConflictError:
            await self._api.call(update_secret.request(body=body))
            return "updated"

    async def delete(self, name: str, namespace: str | None = None) -> None:
        """Remove a secret; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import delete_secret

        ns = self._api.namespace(namespace)
        await self._api.call(delete_secret.request(body=secret_description(name, ns), namespace=ns))
