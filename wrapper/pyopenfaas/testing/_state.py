"""The gateway's state (functions, secrets, namespaces) and the ``/system/*`` operations on it.

Every method whose name ends in ``_locked`` (and every operation) runs with the gateway's lock held.
The rules follow docs/gateway-behaviour.md, per provider flavour; faasd's answers are its handlers' own
(pkg/provider/handlers in openfaas/faasd), texts included.
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .._generated.rules import NAME_MAX_LENGTH, NAME_PATTERN
from . import _gojson
from ._http import TEXT, Fail, Reply, empty, error, json_reply, parse_json_object
from ._logs import LogBook

DEFAULT_NAMESPACE = "openfaas-fn"
MAX_FUNCTIONS = 15
MAX_REPLICAS = 5
GATEWAY_VERSION = "0.27.12"
_NAME = re.compile(NAME_PATTERN)
_RESOURCE_KEYS = ("memory", "cpu", "nvidia.com/gpu", "amd.com/gpu", "intel.com/gpu")
_POD_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
# containerd's identifiers (container and namespace names), which is all faasd checks of a name.
_CONTAINERD_ID = re.compile(r"^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$")
FAASD_MAX_FUNCTIONS = 15
FAASD_MAX_NAMESPACES = 1
FAASD_SECRETS = "/var/lib/faasd-provider/secrets"


@dataclass(frozen=True, slots=True)
class Flavour:
    """What differs between the two CE providers."""

    name: str
    provider: str
    orchestration: str
    release: str
    success: int
    max_replicas: int

    @property
    def is_faasd(self) -> bool:
        return self.name == "faasd"


FLAVOURS = {
    "faas-netes": Flavour("faas-netes", "faas-netes-ce", "kubernetes", "0.18.13", 202, MAX_REPLICAS),
    # faasd runs one container per function: any replica count above zero means one.
    "faasd": Flavour("faasd", "faasd-ce", "containerd", "0.19.6", 200, 1),
}


def containerd_id_problem(value: str) -> str | None:
    """Why containerd refuses ``value`` as an identifier (``identifiers.Validate``), or None."""
    if not value:
        return "identifier must not be empty: invalid argument"
    if len(value) > 76 or not _CONTAINERD_ID.match(value):
        quoted = json.dumps(value, ensure_ascii=False)  # as Go's %q
        return f"identifier {quoted} must match {_CONTAINERD_ID.pattern}: invalid argument"
    return None


def valid_name(value: object) -> bool:
    """A DNS-1123 label, as faas-netes and faasd require of function and namespace names."""
    return isinstance(value, str) and len(value) <= NAME_MAX_LENGTH and _NAME.fullmatch(value) is not None


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str | None) for item in value)


def _is_str_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(item, str | None) for item in value.values())


def _is_resources(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(key), str | None) for key in _RESOURCE_KEYS)


# The FunctionDeployment fields Go's json.Unmarshal type-checks (null is always accepted; unknown keys ignored).
_DEPLOYMENT_FIELDS: dict[str, Callable[[object], bool]] = {
    "service": _is_str,
    "image": _is_str,
    "namespace": _is_str,
    "envProcess": _is_str,
    "envVars": _is_str_map,
    "constraints": _is_str_list,
    "secrets": _is_str_list,
    "labels": _is_str_map,
    "annotations": _is_str_map,
    "limits": _is_resources,
    "requests": _is_resources,
    "readOnlyRootFilesystem": _is_bool,
    "registryAuth": _is_str,
    "network": _is_str,
}


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _string(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Fail(error(400, f"unable to unmarshal request: {key} must be a string"))
    return value


@dataclass(slots=True)
class Function:
    """A deployed function."""

    name: str
    namespace: str
    deployment: dict[str, Any]
    created_at: datetime
    replicas: int = 0
    available: int = 0
    instances: list[str] = field(default_factory=list)
    invocations: int = 0
    turn: int = 0
    usage: dict[str, float] | None = None  # figures a Pro provider measured (FakeGateway.report_usage)

    def status(self, *, faasd: bool = False, listing: bool = False, usage: bool = False) -> dict[str, Any]:
        """The FunctionStatus JSON, with Go's omitempty rules (0 replicas omitted, createdAt always).

        faasd reads a function back from its container: labels and annotations always (``{}`` when none),
        no constraints, requests or read-only flag, and of the limits only the memory, in listings only.
        """
        spec = self.deployment
        status: dict[str, Any] = {"name": self.name, "image": spec["image"], "namespace": self.namespace}
        reported = (
            ("envProcess", "envVars", "secrets") if faasd else ("envProcess", "envVars", "constraints", "secrets")
        )
        for key in reported:
            if spec.get(key):
                status[key] = spec[key]
        for key in ("labels", "annotations"):
            if spec.get(key) is not None or faasd:
                status[key] = spec.get(key) or {}
        if faasd:
            memory = (spec.get("limits") or {}).get("memory")
            if listing and memory:
                status["limits"] = {"memory": memory}
        else:
            for key in ("limits", "requests"):
                if spec.get(key) is not None:
                    status[key] = {name: spec[key][name] for name in _RESOURCE_KEYS if spec[key].get(name)}
            if spec.get("readOnlyRootFilesystem"):
                status["readOnlyRootFilesystem"] = True
        if self.invocations:
            status["invocationCount"] = self.invocations
        if self.replicas:
            status["replicas"] = self.replicas
        if self.available:
            status["availableReplicas"] = self.available
        status["createdAt"] = _timestamp(self.created_at)
        if usage and self.usage is not None:
            status["usage"] = {key: _go_float(value) for key, value in self.usage.items() if value}
        return status

    def next_instance(self) -> str:
        """The ready instance that serves the next call (round robin)."""
        self.turn += 1
        return self.instances[self.turn % self.available]


class Store:
    """Functions, secrets and namespaces of one fake gateway."""

    def __init__(self, flavour: Flavour, logs: LogBook, *, ce_limits: bool = True) -> None:
        self.flavour = flavour
        self.ce_limits = ce_limits
        self.logs = logs
        self.functions: dict[tuple[str, str], Function] = {}
        self.secrets: dict[tuple[str, str], bytes] = {}
        self.namespaces: dict[str, dict[str, dict[str, str]]] = {}
        self.reset_locked()

    def reset_locked(self) -> None:
        """Back to a fresh gateway: no functions, no secrets, only the default namespace."""
        for key in list(self.functions):
            self.logs.end_locked(*key)
        self.functions.clear()
        self.secrets.clear()
        self.namespaces.clear()
        # faasd's default namespace is containerd's, without the namespace API's label.
        default_labels = {} if self.flavour.is_faasd else {"openfaas": "1"}
        self.namespaces[DEFAULT_NAMESPACE] = {"labels": default_labels, "annotations": {}}

    def _ok(self) -> Reply:
        return Reply(self.flavour.success)

    def namespace_locked(self, value: object) -> str:
        """The namespace to use for ``value`` (empty: the default), or a 400 if this provider refuses it.

        faasd takes the default namespace, or one labelled ``openfaas: "true"``; the namespace API insists
        on ``openfaas: "1"``, so a namespace created through it never holds functions.
        """
        namespace = value if isinstance(value, str) and value else DEFAULT_NAMESPACE
        if namespace == DEFAULT_NAMESPACE:
            return namespace
        if not self.flavour.is_faasd:
            raise Fail(error(400, f"namespace must be: {DEFAULT_NAMESPACE}"))
        labels = self.namespaces.get(namespace, {}).get("labels", {})
        if labels.get("openfaas") != "true" and (self.ce_limits or namespace not in self.namespaces):
            raise Fail(error(400, "namespace not valid"))
        return namespace

    def _faasd_unmarshal(self, body: bytes, target: tuple[str, dict[str, str]], status: int = 400) -> dict[str, Any]:
        try:
            return _gojson.unmarshal(body, target)
        except _gojson.GoJSONError as exc:
            raise Fail(error(status, str(exc))) from None

    # Functions.

    def list_functions(self, query: Mapping[str, str]) -> Reply:
        namespace = self.namespace_locked(query.get("namespace"))
        faasd = self.flavour.is_faasd
        listed = [fn for fn in self.functions.values() if fn.namespace == namespace]
        return json_reply([fn.status(faasd=faasd, listing=True) for fn in listed])

    def get_function(self, name: str, query: Mapping[str, str]) -> Reply:
        namespace = self.namespace_locked(query.get("namespace"))
        function = self.functions.get((namespace, name))
        if function is None:
            return empty(404)
        return json_reply(function.status(faasd=self.flavour.is_faasd, usage=query.get("usage") == "1"))

    def _deployment(self, body: bytes) -> tuple[str, str, dict[str, Any]]:
        data = parse_json_object(body, "request")
        for key, check in _DEPLOYMENT_FIELDS.items():
            if data.get(key) is not None and not check(data[key]):
                raise Fail(error(400, f"unable to unmarshal request: invalid value for {key}"))
        service = _string(data, "service")
        if not valid_name(service):
            raise Fail(error(400, f"(invalid) service: {service!r} must be a valid DNS-1123 label"))
        if not _string(data, "image"):
            raise Fail(error(400, "image is required"))
        namespace = self.namespace_locked(data.get("namespace"))
        deployment = {key: data[key] for key in _DEPLOYMENT_FIELDS if data.get(key) is not None}
        return service, namespace, deployment

    def _faasd_deployment(self, body: bytes) -> tuple[str, str, dict[str, Any]]:
        """A deploy or update body as faasd reads it (Go's decoding, its namespace rule, no name rules)."""
        data = self._faasd_unmarshal(body, _gojson.FUNCTION_DEPLOYMENT)
        namespace = self.namespace_locked(data.get("namespace"))
        deployment = {key: data[key] for key in _DEPLOYMENT_FIELDS if data.get(key) is not None}
        return data.get("service") or "", namespace, deployment

    def _faasd_missing_secret(self, namespace: str, deployment: Mapping[str, Any]) -> Reply | None:
        for secret in deployment.get("secrets") or []:
            if (namespace, secret) not in self.secrets:
                return error(400, f"unable to find secret: {secret}")
        return None

    def _faasd_deploy(self, body: bytes) -> Reply:
        """faasd's deploy handler: namespace, secrets, the CE limits, then containerd's own refusals."""
        name, namespace, deployment = self._faasd_deployment(body)
        if (refused := self._faasd_missing_secret(namespace, deployment)) is not None:
            return refused
        functions, namespaces = len(self.functions) + 1, len(self.namespaces)
        if self.ce_limits and functions > FAASD_MAX_FUNCTIONS:
            return error(400, _eula(f"{FAASD_MAX_FUNCTIONS}/{functions} function(s)"))
        if self.ce_limits and namespaces > FAASD_MAX_NAMESPACES:
            return error(400, _eula(f"{FAASD_MAX_NAMESPACES}/{namespaces} namespace(s)"))
        if not deployment.get("image"):
            return error(400, "invalid reference format")  # the image reference does not parse
        if (namespace, name) in self.functions:  # its snapshot is created before the container
            return error(400, f'unable to create container: {name}, error: snapshot "{name}-snapshot": already exists')
        if (problem := containerd_id_problem(name)) is not None:
            return error(
                400,
                f"unable to create container: {name}, error: create container failed validation: "
                f"container.ID: {problem}",
            )
        return self._create(name, namespace, deployment)

    def _create(self, name: str, namespace: str, deployment: dict[str, Any]) -> Reply:
        function = Function(name, namespace, deployment, datetime.now(UTC))
        self.functions[(namespace, name)] = function
        self.logs.start_locked(namespace, name)
        self.scale_locked(function, self._min_replicas(deployment))
        return self._ok()

    def deploy(self, body: bytes) -> Reply:
        if self.flavour.is_faasd:
            return self._faasd_deploy(body)
        name, namespace, deployment = self._deployment(body)
        if (namespace, name) in self.functions:
            return error(500, f'deployments.apps "{name}" already exists')
        if self.ce_limits and len(self.functions) >= MAX_FUNCTIONS:
            return error(400, f"unable to create function, maximum: {MAX_FUNCTIONS} functions in Community Edition")
        return self._create(name, namespace, deployment)

    def update(self, body: bytes) -> Reply:
        if self.flavour.is_faasd:
            return self._faasd_update(body)
        name, namespace, deployment = self._deployment(body)
        function = self.functions.get((namespace, name))
        if function is None:
            return error(404, f"function {name} not found in namespace {namespace}")
        function.deployment = deployment
        return self._ok()

    def _faasd_update(self, body: bytes) -> Reply:
        """faasd replaces the container. A missing secret is reported (400) but, as faasd's handler does not
        return after writing that error, the function is replaced all the same."""
        name, namespace, deployment = self._faasd_deployment(body)
        function = self.functions.get((namespace, name))
        if function is None:
            return error(404, f"service {name} not found")
        refused = self._faasd_missing_secret(namespace, deployment)
        function.deployment = deployment
        function.created_at = datetime.now(UTC)
        return refused or self._ok()

    def delete(self, query: Mapping[str, str], body: bytes) -> Reply:
        if self.flavour.is_faasd:  # the namespace from the query string only; any name is looked up
            data = self._faasd_unmarshal(body, _gojson.DELETE_FUNCTION_REQUEST)
            namespace = self.namespace_locked(query.get("namespace"))
            name = data.get("functionName") or ""
            if self.functions.pop((namespace, name), None) is None:
                return error(404, f"service {name} not found")
            self.logs.end_locked(namespace, name)
            return self._ok()
        data = parse_json_object(body, "request")
        name = _string(data, "functionName")
        if not name:
            return error(400, "functionName is required")
        namespace = self.namespace_locked(data.get("namespace") or query.get("namespace"))
        if self.functions.pop((namespace, name), None) is None:
            return error(404, f"function {name} not found in namespace {namespace}")
        self.logs.end_locked(namespace, name)
        return self._ok()

    def scale(self, path_name: str, query: Mapping[str, str], body: bytes) -> Reply:
        data = parse_json_object(body, "scale request")
        replicas = data.get("replicas", 0)
        if replicas is None:
            replicas = 0
        if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
            return error(400, "Error unmarshalling scale request: replicas must be an unsigned integer")
        if replicas == 0:
            return error(400, "replicas cannot be set to 0 in OpenFaaS CE")
        replicas = min(replicas, MAX_REPLICAS)  # the CE gateway's clamp
        if self.flavour.is_faasd:  # the function from the body, the namespace from the query string
            name = _string(data, "serviceName")
            namespace = self.namespace_locked(query.get("namespace"))
            missing = f"service {name} not found"
        else:
            name = path_name
            namespace = self.namespace_locked(data.get("namespace") or query.get("namespace"))
            missing = f"function {name} not found in namespace {namespace}"
        function = self.functions.get((namespace, name))
        if function is None:
            return error(404, missing)
        self.scale_locked(function, replicas)
        return self._ok()

    def alert(self, body: bytes) -> Reply:
        """The Alertmanager webhook: a firing alert adds a replica, a resolved one goes back to the minimum."""
        data = parse_json_object(body, "alert")
        alerts = data.get("alerts")
        if not isinstance(alerts, list):
            return error(400, "unable to unmarshal alert: alerts must be a list")
        for alert in alerts:
            labels = alert.get("labels") if isinstance(alert, dict) else None
            if not isinstance(labels, dict):
                continue
            namespace = labels.get("namespace") or DEFAULT_NAMESPACE
            function = self.functions.get((namespace, labels.get("function_name")))  # type: ignore[arg-type]
            if function is None:
                continue
            if alert.get("status") == "firing":
                self.scale_locked(function, function.replicas + 1)
            elif alert.get("status") == "resolved":
                self.scale_locked(function, self._min_replicas(function.deployment))
        return Reply(200)

    def _min_replicas(self, deployment: Mapping[str, Any]) -> int:
        labels = deployment.get("labels") or {}
        try:
            return max(1, int(labels.get("com.openfaas.scale.min") or 1))
        except ValueError:
            return 1

    def scale_locked(self, function: Function, replicas: int, available: int | None = None) -> None:
        """Set the desired replicas (at most the provider's maximum), and the ready ones (default: all)."""
        replicas = min(replicas, self.flavour.max_replicas)
        function.replicas = replicas
        function.available = replicas if available is None else min(available, replicas)
        del function.instances[replicas:]
        while len(function.instances) < replicas:
            if self.flavour.is_faasd:  # journald's _PID of the function's process
                instance = str(random.randint(1000, 4_194_304))
            else:
                replica_set = "".join(random.choices(_POD_ALPHABET, k=10))
                instance = f"{function.name}-{replica_set}-{''.join(random.choices(_POD_ALPHABET, k=5))}"
            function.instances.append(instance)
            process = function.deployment.get("envProcess") or "python handler.py"
            self.logs.append_locked(function.namespace, function.name, instance, f"Forked fprocess: {process}")

    def resolve_locked(self, name: str, namespace: str) -> tuple[Function, str] | None:
        """The deployed function and the instance to serve one call, counting the invocation."""
        function = self.functions.get((namespace or DEFAULT_NAMESPACE, name))
        if function is None or not function.available:
            return None
        function.invocations += 1
        return function, function.next_instance()

    # Secrets.

    def list_secrets(self, query: Mapping[str, str]) -> Reply:
        namespace = self.namespace_locked(query.get("namespace"))
        names = sorted(name for ns, name in self.secrets if ns == namespace)
        reply = json_reply([{"name": name, "namespace": namespace} for name in names])
        if self.flavour.is_faasd:  # written without a Content-Type: Go sniffs one from the JSON text
            reply.headers = [("Content-Type", TEXT)]
        return reply

    def _faasd_secret(self, body: bytes) -> tuple[str, str, bytes]:
        """A secret as faasd reads it: an undecodable body is a 500, and the namespace is not checked."""
        data = self._faasd_unmarshal(body, _gojson.SECRET, status=500)
        name = data.get("name") or ""
        if not name.strip():
            raise Fail(error(400, "non-empty name is required"))
        if "/" in name or ".." in name:
            raise Fail(error(400, "directory traversal found in name"))
        namespace = data.get("namespace") or DEFAULT_NAMESPACE
        raw = base64.b64decode(data.get("rawValue") or "")
        return name, namespace, raw or (data.get("value") or "").encode()

    def _secret(self, body: bytes) -> tuple[str, str, bytes]:
        data = parse_json_object(body, "secret")
        name = _string(data, "name")
        if not name:
            raise Fail(error(400, "secret name is required"))
        namespace = self.namespace_locked(data.get("namespace"))
        raw = _string(data, "rawValue")
        try:
            value = base64.b64decode(raw, validate=True) if raw else _string(data, "value").encode()
        except binascii.Error:
            raise Fail(error(400, "unable to unmarshal secret: rawValue is not valid base64")) from None
        return name, namespace, value

    def create_secret(self, body: bytes) -> Reply:
        if self.flavour.is_faasd:  # create and update are one code path: write the file
            name, namespace, value = self._faasd_secret(body)
            self.secrets[(namespace, name)] = value
            return self._ok()
        name, namespace, value = self._secret(body)
        if not self.flavour.is_faasd and (namespace, name) in self.secrets:  # faasd overwrites
            return error(409, f'secrets "{name}" already exists')
        self.secrets[(namespace, name)] = value
        return self._ok()

    def update_secret(self, body: bytes) -> Reply:
        if self.flavour.is_faasd:
            return self.create_secret(body)
        name, namespace, value = self._secret(body)
        if not self.flavour.is_faasd and (namespace, name) not in self.secrets:  # faasd creates
            return error(404, f'secrets "{name}" not found')
        self.secrets[(namespace, name)] = value
        return self._ok()

    def delete_secret(self, query: Mapping[str, str], body: bytes) -> Reply:
        if self.flavour.is_faasd:  # os.Remove in the query string's namespace; its error is a 500
            data = self._faasd_unmarshal(body, _gojson.SECRET, status=500)
            name, namespace = data.get("name") or "", query.get("namespace") or DEFAULT_NAMESPACE
            if self.secrets.pop((namespace, name), None) is None:
                return error(500, f"remove {FAASD_SECRETS}/{namespace}/{name}: no such file or directory")
            return self._ok()
        data = parse_json_object(body, "secret")
        name = _string(data, "name")
        if not name:
            return error(400, "secret name is required")
        namespace = self.namespace_locked(data.get("namespace") or query.get("namespace"))
        if self.secrets.pop((namespace, name), None) is None:
            return error(404, f'secrets "{name}" not found')
        return self._ok()

    # Namespaces.

    def list_namespaces(self) -> Reply:
        if not self.flavour.is_faasd:
            return json_reply([DEFAULT_NAMESPACE])
        return json_reply(sorted(self.namespaces))

    def namespace_operation(self, method: str, path_name: str, body: bytes) -> Reply:
        """``/system/namespace/{name}``: faasd's CRUD; faas-netes CE has only a GET that answers 501."""
        if not self.flavour.is_faasd:
            if method == "GET":
                return error(501, "Feature not implemented in this version of OpenFaaS")
            return empty(405)
        name, labels = self._namespace_request(method, path_name, body)
        found = self.namespaces.get(name)
        if method == "GET":
            if found is None or found["labels"].get("openfaas") != "1":
                return error(404, f"namespace {name} not found")
            return Reply(200, [("Content-Type", "application/json")], _encoder_line({"name": name, "labels": labels}))
        if method == "POST":
            if found is not None:
                return error(409, f"namespace {name} already exists")
            if (problem := containerd_id_problem(name)) is not None:
                return error(400, f"namespace.Name: {problem}")
            self.namespaces[name] = {"labels": labels}  # annotations are not kept
            return Reply(201)
        if found is None:
            return error(404, f"namespace {name} not found")
        if method == "PUT":
            if found["labels"].get("openfaas") != "1":
                return error(400, f"namespace {name} is not an openfaas namespace")
            found["labels"] = labels
            return Reply(202)
        if name == DEFAULT_NAMESPACE or any(ns == name for ns, _ in self.functions):
            # containerd refuses to delete a namespace that still holds images, containers or snapshots
            # (secrets are files of faasd's own, and stay).
            return error(
                500,
                f'namespace "{name}" must be empty, but it still has images, containers, snapshots: '
                "failed precondition",
            )
        del self.namespaces[name]
        return Reply(202)

    def _namespace_request(self, method: str, path_name: str, body: bytes) -> tuple[str, dict[str, str]]:
        """faasd's ``parseNamespaceRequest``: the name (and labels) from the path for GET, else the body."""
        if method == "GET":
            if not path_name:
                raise Fail(error(400, "namespace not specified in URL"))
            found = self.namespaces.get(path_name)
            return path_name, dict(found["labels"]) if found else {}
        try:
            data = _gojson.unmarshal(body, _gojson.FUNCTION_NAMESPACE)
        except _gojson.GoJSONError as exc:
            raise Fail(error(400, f"error parsing request body: {exc}")) from None
        name, labels = data.get("name") or "", data.get("labels") or {}
        if method != "POST":
            if not path_name:
                raise Fail(error(400, "namespace not specified in URL"))
            if name != path_name:
                raise Fail(error(400, "namespace in request body does not match namespace in URL"))
        if not name:
            raise Fail(error(400, "namespace not specified in request body"))
        if labels.get("openfaas") != "1":
            raise Fail(error(400, "request does not have openfaas=1 label"))
        return name, labels


def _eula(allowance: str) -> str:
    return f"the OpenFaaS CE EULA allows {allowance}, upgrade to faasd Pro to continue"


def _encoder_line(value: Any) -> bytes:
    """What Go's ``json.NewEncoder(w).Encode`` writes: compact JSON and a newline."""
    return json.dumps(value, separators=(",", ":")).encode() + b"\n"


def _go_float(value: float) -> float | int:
    """A float64 as Go's encoding/json writes it: a whole number without the ``.0``."""
    return int(value) if value.is_integer() and abs(value) < 1e21 else value
