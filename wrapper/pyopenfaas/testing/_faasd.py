"""faasd CE: its handlers' own answers (pkg/provider/handlers in openfaas/faasd), texts included.

One container per function, 200 for every change, namespace CRUD, secrets as files, Go's decoding and
containerd's checks of names.
"""

from __future__ import annotations

import base64
import json
import random
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from . import _gojson
from ._http import TEXT, Fail, Reply, error, json_reply
from ._logs import Journal
from ._state import DEFAULT_NAMESPACE, DEPLOYMENT_FIELDS, Store, string_field

# containerd's identifiers (container and namespace names), which is all faasd checks of a name.
_CONTAINERD_ID = re.compile(r"^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$")
MAX_FUNCTIONS = 15
MAX_NAMESPACES = 1
SECRETS = "/var/lib/faasd-provider/secrets"
_LOG_WINDOW = timedelta(minutes=5)


def containerd_id_problem(value: str) -> str | None:
    """Why containerd refuses ``value`` as an identifier (``identifiers.Validate``), or None."""
    if not value:
        return "identifier must not be empty: invalid argument"
    if len(value) > 76 or not _CONTAINERD_ID.match(value):
        quoted = json.dumps(value, ensure_ascii=False)  # as Go's %q
        return f"identifier {quoted} must match {_CONTAINERD_ID.pattern}: invalid argument"
    return None


def _unmarshal(body: bytes, target: tuple[str, dict[str, str]], status: int = 400) -> dict[str, Any]:
    try:
        return _gojson.unmarshal(body, target)
    except _gojson.GoJSONError as exc:
        raise Fail(error(status, str(exc))) from None


class Faasd(Store):
    """What faasd CE answers differently."""

    name = "faasd"
    provider = "faasd-ce"
    orchestration = "containerd"
    release = "0.19.6"
    success = 200
    max_replicas = 1  # one container per function: any replica count above zero means one
    default_labels = ()  # containerd's own namespace, without the namespace API's label

    def check_namespace(self, namespace: str) -> None:
        """faasd takes the default namespace, or one labelled ``openfaas: "true"``; the namespace API insists
        on ``openfaas: "1"``, so a namespace created through it never holds functions."""
        labels = self.namespaces.get(namespace, {}).get("labels", {})
        if labels.get("openfaas") != "true" and (self.ce_limits or namespace not in self.namespaces):
            raise Fail(error(400, "namespace not valid"))

    def read_back(self, spec: Mapping[str, Any], *, listing: bool) -> dict[str, Any]:
        """A function read back from its container: labels and annotations always (``{}`` when none), no
        constraints, requests or read-only flag, and of the limits only the memory, in listings only."""
        status = {key: spec[key] for key in ("envProcess", "envVars", "secrets") if spec.get(key)}
        status.update({key: spec.get(key) or {} for key in ("labels", "annotations")})
        memory = (spec.get("limits") or {}).get("memory")
        if listing and memory:
            status["limits"] = {"memory": memory}
        return status

    def _deployment(self, body: bytes) -> tuple[str, str, dict[str, Any]]:
        """A deploy or update body as faasd reads it (Go's decoding, its namespace rule, no name rules)."""
        data = _unmarshal(body, _gojson.FUNCTION_DEPLOYMENT)
        namespace = self.namespace_locked(data.get("namespace"))
        deployment = {key: data[key] for key in DEPLOYMENT_FIELDS if data.get(key) is not None}
        return data.get("service") or "", namespace, deployment

    def _missing_secret(self, namespace: str, deployment: Mapping[str, Any]) -> Reply | None:
        for secret in deployment.get("secrets") or []:
            if (namespace, secret) not in self.secrets:
                return error(400, f"unable to find secret: {secret}")
        return None

    def deploy(self, body: bytes) -> Reply:
        """Namespace, secrets, the CE limits, then containerd's own refusals."""
        name, namespace, deployment = self._deployment(body)
        if (refused := self._missing_secret(namespace, deployment) or self._over_limits(1)) is not None:
            return refused
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
        return self.create(name, namespace, deployment)

    def _over_limits(self, added: int) -> Reply | None:
        """``preDeploy``: the CE licence's limits, counted with ``added`` more functions."""
        functions, namespaces = len(self.functions) + added, len(self.namespaces)
        if self.ce_limits and functions > MAX_FUNCTIONS:
            return error(400, _eula(f"{MAX_FUNCTIONS}/{functions} function(s)"))
        if self.ce_limits and namespaces > MAX_NAMESPACES:
            return error(400, _eula(f"{MAX_NAMESPACES}/{namespaces} namespace(s)"))
        return None

    def update(self, body: bytes) -> Reply:
        """faasd replaces the container, after the CE limits. A missing secret is reported (400) but, as
        faasd's handler does not return after writing that error, the function is replaced all the same."""
        name, namespace, deployment = self._deployment(body)
        if (refused := self._over_limits(0)) is not None:
            return refused
        function = self.functions.get((namespace, name))
        if function is None:
            return error(404, f"function: {name}.{namespace} not found")
        refused = self._missing_secret(namespace, deployment)
        function.deployment = deployment
        function.created_at = datetime.now(UTC)
        return refused or self.ok()

    def delete(self, query: Mapping[str, str], body: bytes) -> Reply:
        """The namespace from the body only; any name is looked up."""
        data = _unmarshal(body, _gojson.DELETE_FUNCTION_REQUEST)
        namespace = self.namespace_locked(data.get("namespace"))
        name = data.get("functionName") or ""
        if self.functions.pop((namespace, name), None) is None:
            return error(404, f"function {name}.{namespace} not found")
        self.logs.end_locked(namespace, name)
        return self.ok()

    def scale_target(self, path_name: str, query: Mapping[str, str], data: Mapping[str, Any]) -> tuple[str, str]:
        """The function and its namespace from the body (the path's name and the query string are not read)."""
        return string_field(data, "serviceName"), self.namespace_locked(data.get("namespace"))

    def scale_missing(self, name: str, namespace: str) -> Reply:
        return error(404, f"function: {name}.{namespace} not found")

    def new_instance(self, name: str) -> str:
        return str(random.randint(1000, 4_194_304))  # journald's _PID of the function's process

    def list_secrets(self, query: Mapping[str, str]) -> Reply:
        reply = super().list_secrets(query)
        reply.headers = [("Content-Type", TEXT)]  # written without a Content-Type: Go sniffs one from the JSON
        return reply

    def create_secret(self, body: bytes) -> Reply:
        """Create and update are one code path: write the file. An undecodable body is a 500, and the
        namespace is not checked."""
        data = _unmarshal(body, _gojson.SECRET, status=500)
        name = data.get("name") or ""
        if not name.strip():
            return error(400, "non-empty name is required")
        if "/" in name or ".." in name:
            return error(400, "directory traversal found in name")
        raw = base64.b64decode(data.get("rawValue") or "")
        self.secrets[(data.get("namespace") or DEFAULT_NAMESPACE, name)] = raw or (data.get("value") or "").encode()
        return self.ok()

    update_secret = create_secret

    def delete_secret(self, query: Mapping[str, str], body: bytes) -> Reply:
        """os.Remove in the query string's namespace; its error is a 500."""
        data = _unmarshal(body, _gojson.SECRET, status=500)
        name, namespace = data.get("name") or "", query.get("namespace") or DEFAULT_NAMESPACE
        if self.secrets.pop((namespace, name), None) is None:
            return error(500, f"remove {SECRETS}/{namespace}/{name}: no such file or directory")
        return self.ok()

    def list_namespaces(self) -> Reply:
        """The default namespace, then those labelled ``openfaas`` in containerd's order (by name)."""
        return json_reply([DEFAULT_NAMESPACE, *sorted(set(self.namespaces) - {DEFAULT_NAMESPACE})])

    def namespace_operation(self, method: str, path_name: str, body: bytes) -> Reply:
        """faasd's CRUD of namespaces labelled ``openfaas: "1"``."""
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

    def log_source(
        self, journal: Journal | None, instance: str, since: datetime | None
    ) -> tuple[Journal, str, datetime | None]:
        """``journalctl --identifier=<ns>:<name> --since=...``: the function need not exist, there is no
        filter by instance, and without a ``since`` (or with one in the future) it reads the last five minutes."""
        now = datetime.now(UTC)
        return journal or Journal(ended=True), "", since if since is not None and since < now else now - _LOG_WINDOW


def _eula(allowance: str) -> str:
    return f"the OpenFaaS CE EULA allows {allowance}, upgrade to faasd Pro to continue"


def _encoder_line(value: Any) -> bytes:
    """What Go's ``json.NewEncoder(w).Encode`` writes: compact JSON and a newline."""
    return json.dumps(value, separators=(",", ":")).encode() + b"\n"
