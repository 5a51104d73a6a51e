"""`client.namespaces`: list, inspect, create, update and remove namespaces (faasd; faas-netes CE lists only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from ._base import AsyncAPI, SyncAPI, malformed, parse_generated
from ._models import Namespace
from ._validation import check_name, check_string_map

# faasd only lists, and only accepts changes to, namespaces that carry this label (faas-cli sets it too).
OPENFAAS_LABEL = {"openfaas": "1"}


def _body(name: str, labels: Mapping[str, str] | None, annotations: Mapping[str, str] | None) -> Any:
    from pyopenfaas._generated.models import FunctionNamespace

    fields = {
        "name": check_name(name, "namespace"),
        "labels": {**OPENFAAS_LABEL, **(check_string_map(labels, "labels") or {})},
        "annotations": check_string_map(annotations, "annotations"),
    }
    return FunctionNamespace.from_dict({k: v for k, v in fields.items() if v is not None})


def _names(response: httpx.Response, generated_client: Any) -> list[str]:
    from pyopenfaas._generated.api.system import list_namespaces

    names = parse_generated(list_namespaces, response, generated_client)
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise malformed(response, "expected a JSON array of strings")
    return names


def _namespace(response: httpx.Response, generated_client: Any) -> Namespace:
    from pyopenfaas._generated.api.system import get_namespace
    from pyopenfaas._generated.types import Unset

    parsed = parse_generated(get_namespace, response, generated_client)
    maps = {}
    for key in ("labels", "annotations"):
        value = getattr(parsed, key)
        items = {} if isinstance(value, Unset) else value.additional_properties
        if not isinstance(items, dict) or not all(isinstance(v, str) for v in items.values()):
            raise malformed(response, f"{key} is not an object of strings")
        maps[key] = dict(items)
    if not isinstance(parsed.name, str):
        raise malformed(response, "name is not a string")
    return Namespace(name=parsed.name, labels=maps["labels"], annotations=maps["annotations"])


class Namespaces:
    """Namespaces on the gateway: `client.namespaces`."""

    def __init__(self, api: SyncAPI) -> None:
        self._api = api

    def list(self) -> list[str]:
        """The names of the namespaces functions can be deployed to."""
        from pyopenfaas._generated.api.system import list_namespaces

        return _names(self._api.call(list_namespaces), self._api.generated)

    def get(self, name: str) -> Namespace:
        """One namespace; `NotSupportedError` on faas-netes CE."""
        from pyopenfaas._generated.api.system import get_namespace

        check_name(name, "namespace")
        return _namespace(self._api.call(get_namespace, name), self._api.generated)

    def create(
        self, name: str, labels: Mapping[str, str] | None = None, annotations: Mapping[str, str] | None = None
    ) -> None:
        """Create a namespace, labelled `openfaas=1` as faasd requires. `ConflictError` when it exists."""
        from pyopenfaas._generated.api.system import create_namespace

        self._api.call(create_namespace, name, body=_body(name, labels, annotations))

    def update(
        self, name: str, labels: Mapping[str, str] | None = None, annotations: Mapping[str, str] | None = None
    ) -> None:
        """Replace a namespace's labels (keeping `openfaas=1`) and annotations."""
        from pyopenfaas._generated.api.system import update_namespace

        self._api.call(update_namespace, name, body=_body(name, labels, annotations))

    def delete(self, name: str) -> None:
        """Remove a namespace; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import delete_namespace

        self._api.call(delete_namespace, name, body=_body(name, None, None))


class AsyncNamespaces:
    """`Namespaces` for `AsyncOpenFaaS`."""

    def __init__(self, api: AsyncAPI) -> None:
        self._api = api

    async def list(self) -> list[str]:
        """The names of the namespaces functions can be deployed to."""
        from pyopenfaas._generated.api.system import list_namespaces

        return _names(await self._api.call(list_namespaces), self._api.generated)

    async def get(self, name: str) -> Namespace:
        """One namespace; `NotSupportedError` on faas-netes CE."""
        from pyopenfaas._generated.api.system import get_namespace

        check_name(name, "namespace")
        return _namespace(await self._api.call(get_namespace, name), self._api.generated)

    async def create(
        self, name: str, labels: Mapping[str, str] | None = None, annotations: Mapping[str, str] | None = None
    ) -> None:
        """Create a namespace, labelled `openfaas=1` as faasd requires. `ConflictError` when it exists."""
        from pyopenfaas._generated.api.system import create_namespace

        await self._api.call(create_namespace, name, body=_body(name, labels, annotations))

    async def update(
        self, name: str, labels: Mapping[str, str] | None = None, annotations: Mapping[str, str] | None = None
    ) -> None:
        """Replace a namespace's labels (keeping `openfaas=1`) and annotations."""
        from pyopenfaas._generated.api.system import update_namespace

        await self._api.call(update_namespace, name, body=_body(name, labels, annotations))

    async def delete(self, name: str) -> None:
        """Remove a namespace; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import delete_namespace

        await self._api.call(delete_namespace, name, body=_body(name, None, None))
