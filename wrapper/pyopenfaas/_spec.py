"""openapi.yaml as shipped in the package, and exchanges validated against it with openapi-core.

Needs the ``contract`` extra (openapi-core, which brings werkzeug): import this module only when checking.
`SpecValidator` validates one request or answer as it was on the wire and returns `Departure`s (what, where in
openapi.yaml as a JSON pointer, and where in the exchange) instead of raising. The contract check
(`pyopenfaas.contract`) and the project's own contract tests share it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, cast
from urllib.parse import parse_qsl

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.media_types.exceptions import MediaTypeDeserializeError
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.validation.request.exceptions import ParameterValidationError
from openapi_core.validation.response.exceptions import MissingData
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from werkzeug.datastructures import Headers, ImmutableMultiDict

from .contract._report import Departure

# Requests are validated as if sent to the spec's own server: gateways and test servers listen anywhere.
SPEC_HOST = "http://127.0.0.1:8080"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_BINARY = {"type": "string", "format": "binary"}
# Invocation paths may carry a sub-path after the name (`/function/name/a/b`), which the gateway passes to the
# function. openapi.yaml can only template `/function/{functionName}`, so the sub-path is stripped before
# validation: the operation, its parameters, headers and body are still checked, the sub-path is not.
_INVOCATION = re.compile(r"^(/(?:async-)?function/[^/]+)(/.*)?$")


@functools.cache
def load_spec() -> dict[str, Any]:
    """openapi.yaml (the copy `make generate` writes into the package) as a dict, parsed once (callers must not
    change it)."""
    text = resources.files("pyopenfaas").joinpath("_generated", "openapi.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document: dict[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    return document


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from its unescaped parts."""
    return "#" + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _strict(node: Any) -> Any:
    """A copy of the spec for openapi-core, which means the same but for two points:

    - `{type: string, format: binary}` is the empty schema `{}`. Both mean "any octets" (the empty schema is OpenAPI
      3.1's own spelling), but openapi-core 0.23 checks a raw bytes body against `type: string` and rejects every
      binary body (python-openapi/openapi-core#854).
    - An object schema with `properties` and no `additionalProperties` allows no other property: strict, so a
      property openapi.yaml does not describe (a typo, a field a newer gateway adds) is a departure.
      (openapi-core's `additional_properties_default_policy="forbid"` does the same, but rebuilds a validator class
      per check, which tripled the test suite's run time.)
    """
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node == _BINARY:
        return {}
    strict = {key: _strict(value) for key, value in node.items()}
    if "properties" in node and isinstance(node["properties"], dict) and "additionalProperties" not in node:
        strict["additionalProperties"] = False
    return strict


def _without_security(document: dict[str, Any]) -> dict[str, Any]:
    """The document with no security requirement: for a gateway checked without credentials."""
    return {key: value for key, value in document.items() if key != "security"}


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

    @property
    def mimetype(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


class SpecValidator:
    """openapi.yaml, loaded once: validates requests and answers, and says which operation a path is.

    With `security=False` a request without credentials is not a departure (a gateway without auth); `document`
    is another OpenAPI description to validate against (the Function Builder's).
    Validation is deterministic and openapi-core takes ~20 ms per check, so verdicts are remembered: an exchange
    identical in everything openapi-core reads to one already checked gets that check's verdict.
    """

    def __init__(self, *, security: bool = True, document: dict[str, Any] | None = None) -> None:
        self.document = load_spec() if document is None else document
        config = Config(
            # openapi.yaml is checked where it is written (`make spec`); checking it again costs ~0.6 s per validator.
            # openapi-core skips the check for None, though its annotation leaves None out.
            spec_validator_cls=None,  # type: ignore[arg-type]
            # One NDJSON line is one LogEntry: each line is validated on its own (see `_ndjson_departures`).
            extra_media_type_deserializers={"application/x-ndjson": _json_line},
        )
        strict = _strict(self.document)
        self.openapi = OpenAPI.from_dict(strict if security else _without_security(strict), config=config)
        self.templates = [
            (template, _template_regex(template), {m for m in item if m in HTTP_METHODS})
            for template, item in self.document["paths"].items()
        ]
        self._verdicts: dict[Any, list[Departure]] = {}

    def spec_operations(self) -> set[tuple[str, str]]:
        """Every (METHOD, path template) openapi.yaml describes."""
        return {(method.upper(), template) for template, _, methods in self.templates for method in methods}

    def template_for(self, path: str) -> str | None:
        """The path template `path` matches; literal paths win over templated ones, as in openapi-core."""
        matches = [template for template, regex, _ in self.templates if regex.match(path)]
        matches.sort(key=lambda template: template.count("{"))
        return matches[0] if matches else None

    def request_departures(self, request: SpecRequest) -> list[Departure]:
        """How `request` departs from openapi.yaml (empty when it conforms)."""
        key = request.key()
        verdict = self._verdicts.get(key)
        if verdict is None:
            try:
                self.openapi.validate_request(request)
                verdict = []
            except Exception as exc:
                verdict = self._explain_request(request, exc)
            self._verdicts[key] = verdict
        return verdict

    def response_departures(self, request: SpecRequest, response: SpecResponse) -> list[Departure]:
        """How `response` (the answer to `request`) departs from openapi.yaml (empty when it conforms)."""
        key = (request.key(), response.status_code, tuple(sorted(response.headers.items())), response.data)
        verdict = self._verdicts.get(key)
        if verdict is None:
            if response.mimetype == "application/x-ndjson":
                verdict = self._ndjson_departures(request, response)
            else:
                verdict = self._response_departures(request, response, "")
            self._verdicts[key] = verdict
        return verdict

    def validate_schema(self, name: str, value: Any) -> None:
        """Validate `value` against `components.schemas[name]`, as strictly as the exchanges; raises on a mismatch."""
        from openapi_core.validation.schemas import oas31_schema_validators_factory

        schema = self.openapi.spec / "components" / "schemas" / name
        validator = oas31_schema_validators_factory.create(self.openapi.spec, schema)
        validator.validate(value)

    # Validation, and departures explained with a pointer into openapi.yaml.

    def _response_departures(self, request: SpecRequest, response: SpecResponse, line: str) -> list[Departure]:
        if response.mimetype == "text/plain" and self._json_as_text(request, response.status_code):
            # faasd writes JSON without a Content-Type, so Go labels it text/plain; openapi.yaml gives that text/plain
            # the JSON schema of the application/json beside it, which openapi-core can only apply to JSON.
            headers = Headers(response.headers)
            headers["Content-Type"] = "application/json"
            response = SpecResponse(response.status_code, response.data, headers)
        try:
            self.openapi.validate_response(request, response)
        except MissingData:
            # openapi-core reads a declared response content as a required body; OpenAPI does not say so, and the
            # gateway sends empty bodies (faas-netes' 404 for a missing function). An empty body passes only where
            # the declared schema accepts it: a plain string, or opaque bytes (a function's own response).
            if response.data or not self._empty_body_allowed(request, response):
                return [Departure("the body is empty", self._content_pointer(request, response), "body")]
        except Exception as exc:
            return self._explain_response(request, response, exc, line)
        return []

    def _ndjson_departures(self, request: SpecRequest, response: SpecResponse) -> list[Departure]:
        departures = []
        lines = [line for line in response.data.split(b"\n") if line.strip()]
        for number, line in enumerate(lines, 1):
            one = SpecResponse(response.status_code, line, response.headers)
            departures += self._response_departures(request, one, f"NDJSON line {number}: ")
        return departures

    def _operation_pointer(self, request: SpecRequest) -> tuple[str, ...] | None:
        template = self.template_for(request.path)
        if template is None or request.method not in self.document["paths"][template]:
            return None
        return ("paths", template, request.method)

    def _resolve(self, parts: tuple[str | int, ...]) -> tuple[tuple[str | int, ...], Any]:
        """The node at `parts`, following a `$ref` found there; its own parts after following."""
        node: Any = self.document
        for part in parts:
            node = node[part] if isinstance(node, dict) else node[int(part)]
        while isinstance(node, dict) and "$ref" in node:
            parts = tuple(node["$ref"].removeprefix("#/").split("/"))
            node = self.document
            for part in parts:
                node = node[part]
        return parts, node

    def _response_parts(self, request: SpecRequest, status: int) -> tuple[str | int, ...] | None:
        operation = self._operation_pointer(request)
        if operation is None:
            return None
        responses = self.document["paths"][operation[1]][request.method].get("responses", {})
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                return self._resolve((*operation, "responses", key))[0]
        return None

    def _json_as_text(self, request: SpecRequest, status: int) -> bool:
        """openapi.yaml gives this answer's text/plain the same (non-string) schema as its application/json."""
        parts = self._response_parts(request, status)
        content = self._resolve(parts)[1].get("content", {}) if parts is not None else {}
        text, json_ = content.get("text/plain", {}).get("schema"), content.get("application/json", {}).get("schema")
        return text is not None and text == json_ and text.get("type") != "string"

    def _content_pointer(self, request: SpecRequest, response: SpecResponse) -> str:
        parts = self._response_parts(request, response.status_code)
        if parts is None:
            return pointer("paths", request.path)
        content = self._resolve(parts)[1].get("content", {})
        for name in content:
            if response.mimetype and _media_matches(name, response.mimetype):
                return pointer(*parts, "content", name)
        return pointer(*parts, "content")

    def _explain_response(
        self, request: SpecRequest, response: SpecResponse, exc: Exception, line: str
    ) -> list[Departure]:
        operation = self._operation_pointer(request)
        if operation is None:
            return [Departure(f"{line}{_why(exc)}", pointer("paths"), "request")]
        for cause in _causes(exc):
            if isinstance(cause, ResponseNotFound):
                declared = ", ".join(self.document["paths"][operation[1]][request.method].get("responses", {}))
                what = f"status {response.status_code} is not declared (declared: {declared})"
                return [Departure(what, pointer(*operation, "responses"), "status")]
            if isinstance(cause, MediaTypeNotFound):
                parts = self._response_parts(request, response.status_code) or operation
                declared = ", ".join(self._resolve(parts)[1].get("content", {}))
                shown = response.content_type or "(none)"
                what = f"Content-Type {shown} is not declared for {response.status_code} (declared: {declared})"
                return [Departure(what, pointer(*parts, "content"), "Content-Type")]
            if isinstance(cause, MediaTypeDeserializeError):
                what = f"{line}the body is not valid {response.mimetype}"
                return [Departure(what, self._content_pointer(request, response), "body")]
            if isinstance(cause, InvalidSchemaValue):
                schema = self._content_pointer(request, response) + "/schema"
                return self._schema_departures(cause, schema, line)
        return [Departure(f"{line}{_why(exc)}", pointer(*operation), "response")]

    def _explain_request(self, request: SpecRequest, exc: Exception) -> list[Departure]:
        operation = self._operation_pointer(request)
        if operation is None:
            return [Departure(f"no operation in openapi.yaml for {request.method.upper()} {request.path}: "
                              f"{_why(exc)}", pointer("paths"), "request")]  # fmt: skip
        schema_error = next((c for c in _causes(exc) if isinstance(c, InvalidSchemaValue)), None)
        if isinstance(exc, ParameterValidationError):
            where = self._parameter_pointer(operation, exc.name, exc.location)
            if schema_error is not None:
                return self._schema_departures(
                    schema_error, where + "/schema", "", f"request {exc.location} {exc.name}"
                )
            return [Departure(_why(exc), where, f"request {exc.location} {exc.name}")]
        if schema_error is not None:
            body = self._resolve((*operation, "requestBody"))[0]
            content = self._resolve(body)[1].get("content", {})
            name = next((n for n in content if _media_matches(n, request.content_type.split(";")[0])), None)
            where = pointer(*body, "content", name, "schema") if name else pointer(*body)
            return self._schema_departures(schema_error, where, "request body: ", "")
        return [Departure(_why(exc), pointer(*operation), "request")]

    def _parameter_pointer(self, operation: tuple[str, ...], name: str, location: str) -> str:
        for parts in ((*operation, "parameters"), (*operation[:2], "parameters")):
            parameters = self._resolve(parts)[1] if self._has(parts) else []
            for index in range(len(parameters)):
                resolved_parts, resolved = self._resolve((*parts, index))
                if resolved.get("name") == name and resolved.get("in") == location:
                    return pointer(*resolved_parts)
        return pointer(*operation)

    def _has(self, parts: tuple[str | int, ...]) -> bool:
        try:
            self._resolve(parts)
        except (KeyError, IndexError, ValueError):
            return False
        return True

    def _schema_departures(self, exc: InvalidSchemaValue, schema: str, prefix: str, at: str = "") -> list[Departure]:
        departures = []
        for error in exc.schema_errors:
            deepest: Any = error  # a jsonschema ValidationError
            while deepest.context:
                # Of a oneOf's alternatives, the one that got furthest into the value (not `type: "null"`).
                deepest = max(deepest.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
            where = self._schema_pointer(schema, list(deepest.absolute_schema_path))
            departures.append(Departure(f"{prefix}{_message(deepest)}", where, at or deepest.json_path))
        return departures

    def _schema_pointer(self, schema: str, path: list[str | int]) -> str:
        """The pointer of the rule a schema error broke: `schema` plus the error's schema path, through `$ref`s."""
        parts: tuple[str | int, ...] = tuple(
            segment.replace("~1", "/").replace("~0", "~") for segment in schema.removeprefix("#/").split("/")
        )
        for segment in path:
            if segment == "$ref":
                continue
            if self._has(parts):
                parts = self._resolve(parts)[0]
            parts = (*parts, segment)
        return pointer(*parts)

    def _empty_body_allowed(self, request: SpecRequest, response: SpecResponse) -> bool:
        parts = self._response_parts(request, response.status_code)
        if parts is None:
            return False
        content: dict[str, Any] = self._resolve(parts)[1].get("content", {})
        mimetype = response.mimetype
        schemas = [
            media.get("schema", {}) for name, media in content.items() if not mimetype or _media_matches(name, mimetype)
        ]
        return bool(schemas) and all(schema in ({"type": "string"}, _BINARY, {}) for schema in schemas)


def _media_matches(declared: str, mimetype: str) -> bool:
    """`declared` (possibly `*/*` or `text/*`) covers `mimetype`."""
    kind, _, sub = declared.partition("/")
    actual_kind, _, actual_sub = mimetype.strip().lower().partition("/")
    return kind in ("*", actual_kind) and sub in ("*", actual_sub)


def _message(error: Any) -> str:
    """jsonschema's message for `error`, with the value it begins with written as JSON (`null`, not `None`) and
    cut short: a gateway's whole listing is not a useful message."""
    message: str = error.message
    shown = repr(error.instance)
    if not message.startswith(shown):
        return message
    try:
        value = json.dumps(error.instance)
    except (TypeError, ValueError):
        return message
    return (value if len(value) <= 60 else value[:57] + "...") + message[len(shown) :]


def _json_line(value: bytes, **parameters: str) -> Any:
    return json.loads(value)


def _causes(exc: BaseException) -> list[BaseException]:
    causes: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(causes) < 5:
        causes.append(current)
        current = current.__cause__
    return causes


def _why(exc: Exception) -> str:
    text = " <- ".join(f"{type(cause).__name__}: {cause}" for cause in _causes(exc)[:3])
    return text if len(text) < 600 else text[:600] + "..."


__all__ = ["Departure", "SpecRequest", "SpecResponse", "SpecValidator", "load_spec", "pointer"]
