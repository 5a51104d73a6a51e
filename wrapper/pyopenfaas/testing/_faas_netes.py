"""faas-netes CE: only the ``openfaas-fn`` namespace, 202 for every change, pods as instances.

Its handlers' own answers (pkg/handlers in openfaas/faas-netes 0.18.13), Kubernetes' error texts included.
"""

from __future__ import annotations

import base64
import binascii
import random
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ._http import TEXT, Fail, Reply, empty, error, json_reply, parse_json_object
from ._logs import Journal
from ._state import (
    _RESOURCE_KEYS,
    DEFAULT_NAMESPACE,
    DEPLOYMENT_FIELDS,
    MAX_FUNCTIONS,
    MAX_REPLICAS,
    Store,
    string_field,
    valid_name,
)

_POD_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_UPGRADE = "visit https://openfaas.com/pricing to upgrade to OpenFaaS Standard"


def _written(status: int, text: str) -> Reply:
    """A bare ``w.Write`` after ``WriteHeader``: no newline, and the type Go sniffs from the text."""
    return Reply(status, [("Content-Type", TEXT)], text.encode())


class FaasNetes(Store):
    """What faas-netes CE answers differently."""

    name = "faas-netes"
    provider = "faas-netes-ce"
    orchestration = "kubernetes"
    release = "0.18.13"
    success = 202
    max_replicas = MAX_REPLICAS
    default_labels = (("openfaas", "1"),)

    def check_namespace(self, namespace: str) -> None:
        raise Fail(error(400, f"namespace must be: {DEFAULT_NAMESPACE}"))

    def read_back(self, spec: Mapping[str, Any], *, listing: bool) -> dict[str, Any]:
        """The Deployment's own fields; labels and annotations when the deployment had them."""
        status = {key: spec[key] for key in ("envProcess", "envVars", "constraints", "secrets") if spec.get(key)}
        status.update({key: spec[key] for key in ("labels", "annotations") if spec.get(key) is not None})
        for key in ("limits", "requests"):
            if spec.get(key) is not None:
                status[key] = {name: spec[key][name] for name in _RESOURCE_KEYS if spec[key].get(name)}
        if spec.get("readOnlyRootFilesystem"):
            status["readOnlyRootFilesystem"] = True
        return status

    def _deployment(self, body: bytes) -> tuple[str, str, dict[str, Any]]:
        data = parse_json_object(body, "request")
        for key, check in DEPLOYMENT_FIELDS.items():
            if data.get(key) is not None and not check(data[key]):
                raise Fail(error(400, f"unable to unmarshal request: invalid value for {key}"))
        service = string_field(data, "service")
        if not valid_name(service):
            raise Fail(error(400, f"(invalid) service: {service!r} must be a valid DNS-1123 label"))
        if not string_field(data, "image"):
            raise Fail(error(400, "image is required"))
        namespace = self.namespace_locked(data.get("namespace"))
        deployment = {key: data[key] for key in DEPLOYMENT_FIELDS if data.get(key) is not None}
        return service, namespace, deployment

    def deploy(self, body: bytes) -> Reply:
        name, namespace, deployment = self._deployment(body)
        if self.ce_limits and len(self.functions) >= MAX_FUNCTIONS:
            return error(400, f"unable to create function, maximum: {MAX_FUNCTIONS}, {_UPGRADE}")
        if (namespace, name) in self.functions:
            return error(500, f'unable create Deployment: deployments.apps "{name}" already exists')
        return self.create(name, namespace, deployment)

    def update(self, body: bytes) -> Reply:
        name, namespace, deployment = self._deployment(body)
        function = self.functions.get((namespace, name))
        if function is None:
            missing = f'deployments.apps "{name}" not found'
            return error(404, f"unable update Deployment: {name}.{namespace}, error: {missing}")
        function.deployment = deployment
        return self.ok()

    def delete(self, query: Mapping[str, str], body: bytes) -> Reply:
        """The namespace from the query string only, checked first; a bad body or no name: a bare 400."""
        namespace = self.namespace_locked(query.get("namespace"))
        try:
            name = string_field(parse_json_object(body, "request"), "functionName")
        except Fail:
            name = ""
        if not name:
            return empty(400)
        if self.functions.pop((namespace, name), None) is None:
            return _written(404, f'deployments.apps "{name}" not found')
        self.logs.end_locked(namespace, name)
        return self.ok()

    def scale_target(self, path_name: str, query: Mapping[str, str], data: Mapping[str, Any]) -> tuple[str, str]:
        """The function from the path, the namespace from the query string."""
        return path_name, self.namespace_locked(query.get("namespace"))

    def scale_missing(self, name: str, namespace: str) -> Reply:
        return _written(500, f"Unable to lookup function deployment {name}")  # any failed Get is a 500

    def new_instance(self, name: str) -> str:
        """A pod's name: the Deployment's, its ReplicaSet's hash and the pod's own suffix."""
        replica_set = "".join(random.choices(_POD_ALPHABET, k=10))
        return f"{name}-{replica_set}-{''.join(random.choices(_POD_ALPHABET, k=5))}"

    def _secret(self, body: bytes) -> tuple[str, str, bytes]:
        data = parse_json_object(body, "secret")
        name = string_field(data, "name")
        if not name:
            raise Fail(error(400, "secret name is required"))
        namespace = self.namespace_locked(data.get("namespace"))
        raw = string_field(data, "rawValue")
        try:
            value = base64.b64decode(raw, validate=True) if raw else string_field(data, "value").encode()
        except binascii.Error:
            raise Fail(error(400, "unable to unmarshal secret: rawValue is not valid base64")) from None
        return name, namespace, value

    def create_secret(self, body: bytes) -> Reply:
        name, namespace, value = self._secret(body)
        if (namespace, name) in self.secrets:
            return error(409, f'secrets "{name}" already exists')
        self.secrets[(namespace, name)] = value
        return self.ok()

    def update_secret(self, body: bytes) -> Reply:
        name, namespace, value = self._secret(body)
        if (namespace, name) not in self.secrets:
            return error(404, f'secrets "{name}" not found')
        self.secrets[(namespace, name)] = value
        return self.ok()

    def delete_secret(self, query: Mapping[str, str], body: bytes) -> Reply:
        data = parse_json_object(body, "secret")
        name = string_field(data, "name")
        if not name:
            return error(400, "secret name is required")
        namespace = self.namespace_locked(data.get("namespace") or query.get("namespace"))
        if self.secrets.pop((namespace, name), None) is None:
            return error(404, f'secrets "{name}" not found')
        return self.ok()

    def list_namespaces(self) -> Reply:
        return json_reply([DEFAULT_NAMESPACE])

    def namespace_operation(self, method: str, path_name: str, body: bytes) -> Reply:
        """CE registers the route for GET only, and answers it 501."""
        if method == "GET":
            return error(501, "Feature not implemented in this version of OpenFaaS")
        return empty(405)

    def log_source(
        self, journal: Journal | None, instance: str, since: datetime | None
    ) -> tuple[Journal, str, datetime | None] | None:
        return None if journal is None else (journal, instance, since)  # the provider's 404: the gateway's 501
