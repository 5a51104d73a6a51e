"""`client.namespaces`, the wire side: the namespace body. The methods are in `_async/namespaces.py`."""

from __future__ import annotations

from collections.abc import Mapping

from ._models import Namespace
from ._validation import check_name, check_string_map

# faasd only lists, and only accepts changes to, namespaces that carry this label (faas-cli sets it too).
OPENFAAS_LABEL = {"openfaas": "1"}


def namespace_body(name: str, labels: Mapping[str, str] | None, annotations: Mapping[str, str] | None) -> Namespace:
    return Namespace(
        name=check_name(name, "namespace"),
        labels={**OPENFAAS_LABEL, **(check_string_map(labels, "labels") or {})},
        annotations=check_string_map(annotations, "annotations") or {},
    )
