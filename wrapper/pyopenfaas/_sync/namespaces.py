# Generated from _async/namespaces.py by tools/unasync.py (`make unasync`): do not edit.
"""`client.namespaces`: list, inspect, create, update and remove namespaces (faasd; faas-netes CE lists only)."""

from __future__ import annotations

from collections.abc import Mapping

from .._models import Namespace
from .._namespaces import namespace_body
from .._validation import check_name
from .engine import Engine


class Namespaces:
    """Namespaces on the gateway: `client.namespaces`."""

    def __init__(self, api: Engine) -> None:
        self._api = api

    def list(self) -> list[str]:
        """The names of the namespaces functions can be deployed to."""
        from pyopenfaas._generated.api.system import list_namespaces

        return self._api.call(list_namespaces.request())

    def get(self, name: str) -> Namespace:
        """One namespace; `NotSupportedError` on faas-netes CE."""
        from pyopenfaas._generated.api.system import get_namespace

        check_name(name, "namespace")
        return self._api.call(get_namespace.request(name))

    def create(
        self, name: str, *, labels: Mapping[str, str] | None = None, annotations: Mapping[str, str] | None = None
    ) -> None:
        """Create a namespace, labelled `openfaas=1` as faasd requires. `ConflictError` when it exists."""
        from pyopenfaas._generated.api.system import create_namespace

        self._api.call(create_namespace.request(name, body=namespace_body(name, labels, annotations)))

    def update(
        self, name: str, *, labels: Mapping[str, str] | None = None, annotations: Mapping[str, str] | None = None
    ) -> None:
        """Replace a namespace's labels (keeping `openfaas=1`) and annotations."""
        from pyopenfaas._generated.api.system import update_namespace

        self._api.call(update_namespace.request(name, body=namespace_body(name, labels, annotations)))

    def delete(self, name: str) -> None:
        """Remove a namespace; `NotFoundError` when it does not exist."""
        from pyopenfaas._generated.api.system import delete_namespace

        self._api.call(delete_namespace.request(name, body=namespace_body(name, None, None)))
