"""The contract check: the read operations of openapi.yaml against a gateway and, only when asked to write, a
scratch secret, function and async call that are removed again; every exchange validated against openapi.yaml."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx

from .._errors import OpenFaaSError, status_error
from .._validation import INVOKE_METHODS, check_name
from ._report import Call, Departure, OperationResult, Outcome, Report

if TYPE_CHECKING:
    from .._spec import SpecValidator
    from .._sync.client import OpenFaaS

# The classic watchdog's Alpine image: with `cat` as its process it answers a request with its body, so the check
# can tell a gateway that changes invocation bodies. Another image (--image) is only invoked, not compared.
DEFAULT_IMAGE = "ghcr.io/openfaas/alpine:latest"
_ECHO_PROCESS = "cat"
_ECHO_BODY = b"pyopenfaas contract check\n"
# What Go's router (gorilla/mux, net/http) answers for a path it has no route for; a missing function, secret or
# namespace gets the provider's own message instead.
_NO_ROUTE = b"404 page not found"
# Operations the check never sends, even with --write: they would change more than its scratch objects.
_NEVER_SENT = {
    "ScaleAlert": "never sent: it scales real functions",
    "CreateNamespace": "never sent: the check creates no namespace",
    "UpdateNamespace": "never sent: the check changes no namespace",
    "DeleteNamespace": "never sent: the check removes no namespace",
}
_INSTALL = "the contract check validates with openapi-core: pip install 'pyopenfaas[contract]'"


def _validator(*, security: bool) -> SpecValidator:
    """openapi-core is an optional dependency (the `contract` extra), imported only here."""
    try:
        from .._spec import SpecValidator
    except ImportError as exc:
        raise ImportError(f"{_INSTALL} ({exc})") from exc
    return SpecValidator(security=security)


def check(
    base_url: str | None = None,
    *,
    write: bool = False,
    namespace: str | None = None,
    image: str = DEFAULT_IMAGE,
    ready_timeout: float = 120.0,
    **client_options: Any,
) -> Report:
    """Run the contract check against the gateway at `base_url` (else the usual settings: `OPENFAAS_URL`, the
    faas-cli config) and return its `Report`.

    Without `write` only GET requests are sent (and, with IAM credentials, the token exchange). With `write=True`
    a scratch secret and function (`image`) are created in `namespace` (required then), invoked with every method
    and once asynchronously, then removed, also when the check fails or is interrupted. `client_options` go to
    `OpenFaaS` (credentials, `timeout`, `verify`, `env`, `config_dir`, ...). Raises `ImportError` without
    openapi-core, `ValueError` for bad arguments, `ConfigurationError`, `APIConnectionError`, and
    `AuthenticationError`/`PermissionDeniedError` when the gateway refuses the credentials.
    """
    if write and namespace is None:
        raise ValueError("write=True needs the namespace the check may create its scratch function and secret in")
    if namespace is not None:
        check_name(namespace, "namespace")
    if not image.strip():
        raise ValueError("image must not be empty")
    if ready_timeout < 0:
        raise ValueError(f"ready_timeout must be 0 or more, not {ready_timeout!r}")
    from .. import OpenFaaS  # the public client, as a program would make it (and as the docs' examples route it)

    client_options.setdefault("max_retries", 0)  # every answer is the gateway's own, not the last of several
    with OpenFaaS(base_url, **client_options) as client:
        settings = client._settings
        run = _Run(client, _validator(security=settings.auth_kind != "none"), namespace)
        run.reads()
        if write:
            assert namespace is not None
            run.writes(namespace, image, ready_timeout)
        for operation in run.operations.values():
            if operation.calls:
                operation.note = ""  # a reason it was not run, overtaken by a later step
            elif not operation.note:
                operation.note = _NEVER_SENT.get(operation.operation_id, "needs --write")
        return Report(settings.base_url, write, list(run.operations.values()), run.leftovers)


class _Run:
    """One check: sends the requests, validates each exchange and files it under its operation."""

    def __init__(self, client: OpenFaaS, validator: SpecValidator, namespace: str | None) -> None:
        self.engine = client._api
        self.validator = validator
        self.namespace = namespace
        self.prefix = httpx.URL(client._settings.base_url).path.rstrip("/")
        paths = validator.document["paths"]
        self.operations = {
            (method.upper(), template): OperationResult(operation["operationId"], method.upper(), template)
            for template, item in paths.items()
            for method, operation in item.items()
            if isinstance(operation, dict) and "operationId" in operation
        }
        self.query = {"namespace": namespace} if namespace else {}
        self.leftovers: list[str] = []  # scratch objects that could not be removed

    # Sending and validating one exchange.

    def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        echo: bool = False,
    ) -> httpx.Response:
        """Send, validate the request as sent and the answer as received, and file the call. A 501, or a 404/405
        for the route itself (not for a missing function or secret), is "not supported". With `echo`,
        a 200 must carry the very body sent (the scratch function echoes it; anything else was changed on the
        way)."""
        from .._spec import SpecRequest, SpecResponse

        request = self.engine.build(method, path, params=params, json=json_body, content=content, headers=headers)
        response = self.engine.send(request)
        try:
            response.read()
        finally:
            response.close()
        if path.startswith("/system/") and response.status_code in (401, 403):
            raise status_error(response)
        sent = response.request
        wire_path = sent.url.path.removeprefix(self.prefix) if self.prefix else sent.url.path
        spec_request = SpecRequest.build(
            method, wire_path, query=list(sent.url.params.multi_items()), headers=dict(sent.headers), body=sent.content
        )
        spec_response = SpecResponse(response.status_code, response.content, _headers(response))
        departures = [
            *self.validator.request_departures(spec_request),
            *self.validator.response_departures(spec_request, spec_response),
        ]
        status = response.status_code
        if echo and status == 200 and response.content != sent.content:
            departures.append(_changed_body(response.content, sent.content, spec_request.path, method))
        outcome: Outcome
        if status in (501, 405) or (status == 404 and response.content.strip() == _NO_ROUTE):
            outcome = "not supported"
        else:
            outcome = "departs" if departures else "conforms"
        shown = wire_path + (f"?{sent.url.query.decode()}" if sent.url.query else "")
        call = Call(f"{method} {shown}", status, outcome, tuple(departures) if outcome == "departs" else ())
        template = self.validator.template_for(spec_request.path)
        operation = self.operations.get((method, template)) if template else None
        if operation is not None:
            operation.calls.append(call)
        return response

    def note(self, method: str, template: str, note: str) -> None:
        self.operations[(method, template)].note = note

    # The read operations: GETs only.

    def reads(self) -> None:
        self.send("GET", "/healthz")
        self.send("GET", "/system/info")
        namespaces = _json_list(self.send("GET", "/system/namespaces"))
        names = [name for name in namespaces if isinstance(name, str)]
        namespace = self.namespace or (names[0] if names else None)
        if namespace is not None:
            self.send("GET", f"/system/namespace/{namespace}")
        else:
            self.note("GET", "/system/namespace/{namespace}", "no namespace to describe")
        functions = _json_list(self.send("GET", "/system/functions", params=self.query))
        listed = [f["name"] for f in functions if isinstance(f, dict) and isinstance(f.get("name"), str)]
        if listed:
            self.send("GET", f"/system/function/{listed[0]}", params=self.query)
            self.send("GET", "/system/logs", params={**self.query, "name": listed[0], "tail": "5", "follow": "false"})
        else:
            # Nothing deployed: a name that cannot exist, whose 404 is what openapi.yaml describes.
            absent = f"pyopenfaas-contract-absent-{secrets.token_hex(4)}"
            self.send("GET", f"/system/function/{absent}", params=self.query)
            self.note("GET", "/system/logs", "no function to read the logs of")
        self.send("GET", "/system/secrets", params=self.query)
        self.send("GET", "/system/telemetry")

    # The write operations, on scratch objects only.

    def writes(self, namespace: str, image: str, ready_timeout: float) -> None:
        scratch = f"pyopenfaas-contract-{secrets.token_hex(4)}"
        query = {"namespace": namespace}
        deployment = {"service": scratch, "image": image, "namespace": namespace, "secrets": [scratch]}
        echoes = image == DEFAULT_IMAGE
        if echoes:
            deployment["envProcess"] = _ECHO_PROCESS
        with self._removed(scratch, namespace):
            self.send("POST", "/system/secrets", json_body={"name": scratch, "namespace": namespace, "value": "a"})
            self.send("PUT", "/system/secrets", json_body={"name": scratch, "namespace": namespace, "value": "b"})
            self.send("GET", "/system/secrets", params=query)
            self.send("POST", "/system/functions", json_body=deployment)
            self.send("PUT", "/system/functions", json_body={**deployment, "envVars": {"contract_check": "1"}})
            if not self._ready(scratch, query, ready_timeout):
                for method in INVOKE_METHODS:
                    self.note(method, "/function/{functionName}", f"{scratch} was not ready in {ready_timeout:g}s")
                self.note("POST", "/async-function/{functionName}", f"{scratch} was not ready in {ready_timeout:g}s")
                return
            self.send(
                "POST",
                f"/system/scale-function/{scratch}",
                params=query,
                json_body={"serviceName": scratch, "namespace": namespace, "replicas": 1},
            )
            target = f"/function/{scratch}.{namespace}"
            for method in INVOKE_METHODS:
                body = _ECHO_BODY if method in ("POST", "PUT", "PATCH") else None
                headers = {"Content-Type": "text/plain"} if body else None
                self.send(method, target, content=body, headers=headers, echo=echoes and method != "HEAD")
            self.send("POST", f"/async-function/{scratch}.{namespace}", content=_ECHO_BODY)
            self.send("GET", "/system/logs", params={**query, "name": scratch, "tail": "5", "follow": "false"})

    def _ready(self, name: str, query: dict[str, str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            response = self.send("GET", f"/system/function/{name}", params=query)
            try:
                status = response.json() if response.status_code == 200 else {}
            except ValueError:
                status = {}
            available = status.get("availableReplicas") if isinstance(status, dict) else None
            if isinstance(available, int) and available > 0:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(1.0)

    @contextmanager
    def _removed(self, name: str, namespace: str) -> Iterator[None]:
        """Remove the scratch function and secret when the block ends, however it ends (Ctrl-C included)."""
        try:
            yield
        finally:
            query = {"namespace": namespace}
            removals = [
                ("function", "/system/functions", {"functionName": name, "namespace": namespace}),
                ("secret", "/system/secrets", {"name": name, "namespace": namespace}),
            ]
            for kind, path, body in removals:
                try:
                    response = self.send("DELETE", path, params=query, json_body=body)
                except OpenFaaSError as exc:
                    self.leftovers.append(f"{kind} {name} in {namespace}: {exc}")
                    continue
                if not (response.is_success or response.status_code == 404):
                    self.leftovers.append(f"{kind} {name} in {namespace}: {response.status_code} answered")


def _headers(response: httpx.Response) -> Any:
    from werkzeug.datastructures import Headers

    return Headers(list(response.headers.multi_items()))


def _json_list(response: httpx.Response) -> list[Any]:
    """The answer's JSON list, or [] when it is not one (a departure the validation has already reported)."""
    if response.status_code != 200:
        return []
    try:
        value = json.loads(response.content)
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _changed_body(received: bytes, sent: bytes, path: str, method: str) -> Departure:
    from .._spec import pointer

    what = (f"the function's answer is not the body it was sent ({len(received)} bytes for {len(sent)}): "
            "the gateway or provider changed it")  # fmt: skip
    return Departure(what, pointer("paths", path.rsplit("/", 1)[0] + "/{functionName}", method.lower()), "body")
