"""`client.namespaces`, the wire side: namespace bodies and what is read back. The methods are in
`_async/namespaces.py`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from ._models import Namespace
from ._parse import malformed, parse_generated
from ._validation import check_name, check_string_map

# faasd only lists, and only accepts changes to, namespaces that carry this label (faas-cli sets it too).
OPENFAAS_LABEL = {"openfaas": "1"}


def namespace_body(name: str, labels: Mapping[str, str] | None, annotations: Mapping[str, str] | None) -> Any:
    from pyopenfaas._generated.models import FunctionNamespace

    fields = {
        "name": check_name(name, "namespace"),
        "labels": {**OPENFAAS_LABEL, **(check_string_map(labels, "labels") or {})},
        "annotations": check_string_map(annotations, "annotations"),
    }
    return FunctionNamespace.from_dict({k: v for k, v in fields.items() if v is not None})


def parse_names(response: httpx.Response, generated_client: Any) -> list[str]:
    from pyopenfaas._generated.api.system import list_namespaces

    names = parse_generated(list_namespaces, response, generated_client)
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise malformed(response, "expected a JSON array of strings")
    return names


def parse_namespace(response: httpx.Response, generated_client: Any) -> Namespace:
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
