"""The gateway's state (functions, secrets, namespaces) and the ``/system/*`` behaviour all providers share.

Every method whose name ends in ``_locked`` (and every operation) runs with the gateway's lock held.
:class:`Store` is the one interface the gateway uses; each provider flavour is a subclass in its own module
(``_faas_netes.py``, ``_faasd.py``) that says only what differs, and ``_flavours.py`` picks one by name.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from .._generated.rules import NAME_MAX_LENGTH, NAME_PATTERN
from ._http import Fail, Reply, empty, error, json_reply, parse_json_object
from ._logs import Journal, LogBook

DEFAULT_NAMESPACE = "openfaas-fn"
MAX_FUNCTIONS = 15
MAX_REPLICAS = 5
GATEWAY_VERSION = "0.27.12"
_NAME = re.compile(NAME_PATTERN)
_RESOURCE_KEYS = ("memory", "cpu", "nvidia.com/gpu", "amd.com/gpu", "intel.com/gpu")


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
DEPLOYMENT_FIELDS: dict[str, Callable[[object], bool]] = {
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


def string_field(data: Mapping[str, Any], key: str) -> str:
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

    def next_instance(self) -> str:
        """The ready instance that serves the next call (round robin)."""
        self.turn += 1
        return self.instances[self.turn % self.available]


class Store(ABC):
    """Functions, secrets and namespaces of one fake gateway; a subclass per provider flavour."""

    name: ClassVar[str]  # as FakeGateway(flavour=...) takes it
    provider: ClassVar[str]  # /system/info's provider, orchestration and release
    orchestration: ClassVar[str]
    release: ClassVar[str]
    success: ClassVar[int]  # the status of every change that succeeds
    max_replicas: ClassVar[int]
    default_labels: ClassVar[tuple[tuple[str, str], ...]]  # the default namespace's labels

    def __init__(self, logs: LogBook, *, ce_limits: bool = True) -> None:
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
        self.namespaces[DEFAULT_NAMESPACE] = {"labels": dict(self.default_labels), "annotations": {}}

    def ok(self) -> Reply:
        return Reply(self.success)

    def namespace_locked(self, value: object) -> str:
        """The namespace to use for ``value`` (empty: the default), or a 400 if this provider refuses it."""
        namespace = value if isinstance(value, str) and value else DEFAULT_NAMESPACE
        if namespace != DEFAULT_NAMESPACE:
            self.check_namespace(namespace)
        return namespace

    @abstractmethod
    def check_namespace(self, namespace: str) -> None:
        """Raise a :class:`Fail` if functions cannot live in ``namespace`` (not the default one)."""

    # Functions.

    def status(self, function: Function, *, listing: bool = False, usage: bool = False) -> dict[str, Any]:
        """The FunctionStatus JSON, with Go's omitempty rules (0 replicas omitted, createdAt always)."""
        status: dict[str, Any] = {"name": function.name, "image": function.deployment["image"]}
        status["namespace"] = function.namespace
        status.update(self.read_back(function.deployment, listing=listing))
        if function.invocations:
            status["invocationCount"] = function.invocations
        if function.replicas:
            status["replicas"] = function.replicas
        if function.available:
            status["availableReplicas"] = function.available
        status["createdAt"] = _timestamp(function.created_at)
        if usage and function.usage is not None:
            status["usage"] = {key: _go_float(value) for key, value in function.usage.items() if value}
        return status

    @abstractmethod
    def read_back(self, spec: Mapping[str, Any], *, listing: bool) -> dict[str, Any]:
        """The deployment fields this provider reports in a FunctionStatus, in the order it writes them."""

    def list_functions(self, query: Mapping[str, str]) -> Reply:
        namespace = self.namespace_locked(query.get("namespace"))
        listed = [fn for fn in self.functions.values() if fn.namespace == namespace]
        return json_reply([self.status(fn, listing=True) for fn in listed])

    def get_function(self, name: str, query: Mapping[str, str]) -> Reply:
        namespace = self.namespace_locked(query.get("namespace"))
        function = self.functions.get((namespace, name))
        if function is None:
            return empty(404)
        return json_reply(self.status(function, usage=query.get("usage") == "1"))

    def create(self, name: str, namespace: str, deployment: dict[str, Any]) -> Reply:
        function = Function(name, namespace, deployment, datetime.now(UTC))
        self.functions[(namespace, name)] = function
        self.logs.start_locked(namespace, name)
        self.scale_locked(function, self._min_replicas(deployment))
        return self.ok()

    @abstractmethod
    def deploy(self, body: bytes) -> Reply: ...

    @abstractmethod
    def update(self, body: bytes) -> Reply: ...

    @abstractmethod
    def delete(self, query: Mapping[str, str], body: bytes) -> Reply: ...

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
        name, namespace = self.scale_target(path_name, query, data)
        function = self.functions.get((namespace, name))
        if function is None:
            return self.scale_missing(name, namespace)
        self.scale_locked(function, replicas)
        return self.ok()

    @abstractmethod
    def scale_target(self, path_name: str, query: Mapping[str, str], data: Mapping[str, Any]) -> tuple[str, str]:
        """The function a scale request names and its namespace."""

    @abstractmethod
    def scale_missing(self, name: str, namespace: str) -> Reply:
        """The answer to a scale request for a function that is not deployed."""

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
        replicas = min(replicas, self.max_replicas)
        function.replicas = replicas
        function.available = replicas if available is None else min(available, replicas)
        del function.instances[replicas:]
        while len(function.instances) < replicas:
            instance = self.new_instance(function.name)
            function.instances.append(instance)
            process = function.deployment.get("envProcess") or "python handler.py"
            self.logs.append_locked(function.namespace, function.name, instance, f"Forked fprocess: {process}")

    @abstractmethod
    def new_instance(self, name: str) -> str:
        """The name of a new instance (replica) of function ``name``, as its log lines carry it."""

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
        return json_reply([{"name": name, "namespace": namespace} for name in names])

    @abstractmethod
    def create_secret(self, body: bytes) -> Reply: ...

    @abstractmethod
    def update_secret(self, body: bytes) -> Reply: ...

    @abstractmethod
    def delete_secret(self, query: Mapping[str, str], body: bytes) -> Reply: ...

    # Namespaces.

    @abstractmethod
    def list_namespaces(self) -> Reply: ...

    @abstractmethod
    def namespace_operation(self, method: str, path_name: str, body: bytes) -> Reply:
        """``/system/namespace/{name}``."""

    # Logs.

    @abstractmethod
    def log_source(
        self, journal: Journal | None, instance: str, since: datetime | None
    ) -> tuple[Journal, str, datetime | None] | None:
        """What ``GET /system/logs`` reads: the journal, the instance to keep (empty: all) and the start,
        from the function's journal (None if never deployed); None answers 501."""


def _go_float(value: float) -> float | int:
    """A float64 as Go's encoding/json writes it: a whole number without the ``.0``."""
    return int(value) if value.is_integer() and abs(value) < 1e21 else value
