"""Validation of requests and responses against openapi.yaml with openapi-core, and a record of what was checked.

`Contract.check(request, response)` validates one exchange as it was on the wire (the server's view), counts it,
and returns the problems found instead of raising, so a server thread can record them for the test to fail on.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, cast
from urllib.parse import parse_qsl

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.response.exceptions import MissingData
from werkzeug.datastructures import Headers, ImmutableMultiDict

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "openapi.yaml"
# Requests are validated as if sent to the spec's own server: the test servers listen on random ports.
SPEC_HOST = "http://127.0.0.1:8080"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_BINARY = {"type": "string", "format": "binary"}
# Invocation paths may carry a sub-path after the name (`/function/name/a/b`), which the gateway passes to the
# function. openapi.yaml can only template `/function/{functionName}`, so the sub-path is stripped before
# validation: the operation, its parameters, headers and body are still checked, the sub-path is not.
_INVOCATION = re.compile(r"^(/(?:async-)?function/[^/]+)(/.*)?$")


@functools.cache
def load_spec() -> dict[str, Any]:
    """openapi.yaml as a dict, parsed once (callers must not change it)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document: dict[str, Any] = yaml.load(SPEC_PATH.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    return document


def _opaque_binary(node: Any) -> Any:
    """A copy of the spec where `{type: string, format: binary}` is the empty schema `{}`.

    Both mean "any octets" (the empty schema is OpenAPI 3.1's own spelling), but openapi-core 0.23 checks a raw
    bytes body against `type: string` and rejects every binary body (python-openapi/openapi-core#854). Nothing
    else in the document changes.
    """
    if isinstance(node, dict):
        if node == _BINARY:
            return {}
        return {key: _opaque_binary(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_opaque_binary(item) for item in node]
    return node


def _closed_objects(node: Any) -> Any:
    """A copy of the spec where an object schema with `properties` and no `additionalProperties` allows no other
    property: strict, so a property openapi.yaml does not describe (a typo, a field the gateway ignores) is an
    error. (openapi-core's `additional_properties_default_policy="forbid"` does the same, but rebuilds a validator
    class per check, which tripled the suite's run time.)"""
    if isinstance(node, dict):
        closed = {key: _closed_objects(value) for key, value in node.items()}
        if "properties" in node and isinstance(node["properties"], dict) and "additionalProperties" not in node:
            closed["additionalProperties"] = False
        return closed
    if isinstance(node, list):
        return [_closed_objects(item) for item in node]
    return node


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


@dataclass
class SpecRequest:
    """A request in the shape openapi-core reads (its `Request` protocol)."""

    method: str
    path: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters
    host_url: str = SPEC_HOST
    full_path: str = ""

    @classmethod
    def build(
        cls,
        method: str,
        path: str,
        *,
        query: list[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | Headers | None = None,
        body: bytes | None = None,
    ) -> SpecRequest:
        header_map = Headers(headers or {})
        match = _INVOCATION.match(path)
        spec_path = match.group(1) if match else path
        return cls(
            method=method.lower(),
            path=spec_path,
            body=body,
            content_type=header_map.get("Content-Type") or "application/octet-stream",
            parameters=RequestParameters(query=ImmutableMultiDict(query or []), header=header_map),
            full_path=path,
        )

    def key(self) -> tuple[Any, ...]:
        """Everything openapi-core reads from a request: the operation, the query, the declared header
        parameters (X-Callback-Url, X-Call-Id), the credentials, the body and its type."""
        headers = self.parameters.header
        read = tuple(headers.get(name) for name in ("Authorization", "X-Callback-Url", "X-Call-Id"))
        query = tuple(cast(ImmutableMultiDict[str, str], self.parameters.query).items(multi=True))
        return (self.method, self.path, query, read, self.content_type, self.body)

    @classmethod
    def from_raw(cls, head: bytes, body: bytes = b"") -> SpecRequest:
        """From the bytes of an HTTP/1.1 request head (request line and headers), as a raw socket server reads it."""
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = Headers()
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers.add(name.strip(), value.strip())
        path, _, query = target.partition("?")
        return cls.build(method, path, query=parse_qsl(query, keep_blank_values=True), headers=headers, body=body)


@dataclass
class SpecResponse:
    """A response in the shape openapi-core reads (its `Response` protocol)."""

    status_code: int
    data: bytes
    headers: Headers = field(default_factory=Headers)

    @property
    def content_type(self) -> str:
        return str(self.headers.get("Content-Type") or "")


class Contract:
    """openapi.yaml, loaded once; validates exchanges and counts them. Thread-safe (servers run in threads)."""

    instances: ClassVar[list[Contract]] = []  # for the run's summary (tests/conftest.py)

    def __init__(self) -> None:
        Contract.instances.append(self)
        self.document = load_spec()
        config = Config(
            # One NDJSON line is one LogEntry: each line is validated on its own (see `_ndjson_problems`).
            extra_media_type_deserializers={"application/x-ndjson": _json_line},
        )
        self.openapi = OpenAPI.from_dict(_closed_objects(_opaque_binary(self.document)), config=config)
        self.templates = [
            (template, _template_regex(template), {m for m in item if m in HTTP_METHODS})
            for template, item in self.document["paths"].items()
        ]
        self._lock = threading.Lock()
        # Validation is deterministic, and openapi-core takes ~20 ms per check: an exchange identical in everything
        # openapi-core reads to one already checked gets that check's verdict. Each is still counted.
        self._verdicts: dict[Any, Any] = {}
        self.requests_validated = 0
        self.responses_validated = 0
        self.operations: set[tuple[str, str]] = set()

    def spec_operations(self) -> set[tuple[str, str]]:
        return {(method.upper(), template) for template, _, methods in self.templates for method in methods}

    def template_for(self, path: str) -> str | None:
        # Literal paths win over templated ones, as in openapi-core's path finder.
        matches = [template for template, regex, _ in self.templates if regex.match(path)]
        matches.sort(key=lambda template: template.count("{"))
        return matches[0] if matches else None

    def request_problems(self, request: SpecRequest) -> list[str]:
        """Validate a request; count it when valid."""
        key = request.key()
        verdict = self._verdicts.get(key)
        if verdict is None:
            try:
                self.openapi.validate_request(request)
                verdict = ""
            except Exception as exc:
                verdict = f"request does not match openapi.yaml: {_why(exc)}"
            self._verdicts[key] = verdict
        if verdict:
            return [f"{request.method.upper()} {request.full_path}: {verdict}"]
        template = self.template_for(request.path)
        with self._lock:
            self.requests_validated += 1
            if template is not None:
                self.operations.add((request.method.upper(), template))
        return []

    def response_problems(self, request: SpecRequest, response: SpecResponse) -> list[str]:
        """Validate a response to `request`; count it when valid."""
        where = f"{request.method.upper()} {request.full_path} -> {response.status_code}"
        key = (request.key(), response.status_code, tuple(sorted(response.headers.items())), response.data)
        problems = self._verdicts.get(key)
        if problems is None:
            problems = self._response_problems(request, response)
            self._verdicts[key] = problems
        if problems:
            return [f"{where}: {problem}" for problem in problems]
        with self._lock:
            self.responses_validated += 1
        return []

    def _response_problems(self, request: SpecRequest, response: SpecResponse) -> list[str]:
        mimetype = response.content_type.split(";")[0].strip().lower()
        if mimetype == "application/x-ndjson":
            return self._ndjson_problems(request, response)
        try:
            self._validate_response(request, response)
        except Exception as exc:
            return [f"response does not match openapi.yaml: {_why(exc)}"]
        return []

    def _validate_response(self, request: SpecRequest, response: SpecResponse) -> None:
        try:
            self.openapi.validate_response(request, response)
        except MissingData:
            # openapi-core reads a declared response content as a required body; OpenAPI does not say so, and the
            # gateway sends empty bodies (faas-netes' 404 for a missing function). An empty body passes only where
            # the declared schema accepts it: a plain string, or opaque bytes (a function's own response).
            if response.data or not self._empty_body_allowed(request, response):
                raise

    def _empty_body_allowed(self, request: SpecRequest, response: SpecResponse) -> bool:
        template = self.template_for(request.path)
        if template is None:
            return False
        operation = self.document["paths"][template].get(request.method, {})
        responses = operation.get("responses", {})
        declared = responses.get(str(response.status_code), responses.get("default"))
        if declared is None:
            return False
        if "$ref" in declared:
            declared = self.document["components"]["responses"][declared["$ref"].rsplit("/", 1)[-1]]
        mimetype = response.content_type.split(";")[0].strip().lower()
        content: dict[str, Any] = declared.get("content", {})
        schemas = [
            media.get("schema", {}) for name, media in content.items() if not mimetype or _media_matches(name, mimetype)
        ]
        return bool(schemas) and all(schema in ({"type": "string"}, _BINARY, {}) for schema in schemas)

    def _ndjson_problems(self, request: SpecRequest, response: SpecResponse) -> list[str]:
        problems = []
        lines = [line for line in response.data.split(b"\n") if line.strip()]
        for number, line in enumerate(lines, 1):
            one = SpecResponse(response.status_code, line, response.headers)
            try:
                self.openapi.validate_response(request, one)
            except Exception as exc:
                problems.append(f"NDJSON line {number} does not match openapi.yaml: {_why(exc)}")
        return problems

    def validate_schema(self, name: str, value: Any) -> None:
        """Validate `value` against `components.schemas[name]`, as strictly as the exchanges; raises on a mismatch."""
        from openapi_core.validation.schemas import oas31_schema_validators_factory

        schema = self.openapi.spec / "components" / "schemas" / name
        validator = oas31_schema_validators_factory.create(self.openapi.spec, schema)
        validator.validate(value)


def _media_matches(declared: str, mimetype: str) -> bool:
    """`declared` (possibly `*/*` or `text/*`) covers `mimetype`."""
    kind, _, sub = declared.partition("/")
    actual_kind, _, actual_sub = mimetype.partition("/")
    return kind in ("*", actual_kind) and sub in ("*", actual_sub)


def _json_line(value: bytes, **parameters: str) -> Any:
    return json.loads(value)


def _why(exc: Exception) -> str:
    causes: list[str] = []
    current: BaseException | None = exc
    while current is not None and len(causes) < 3:
        causes.append(f"{type(current).__name__}: {current}")
        current = current.__cause__
    text = " <- ".join(causes)
    return text if len(text) < 600 else text[:600] + "..."
