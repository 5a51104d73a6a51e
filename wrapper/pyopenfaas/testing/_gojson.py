"""What Go's ``json.Unmarshal`` into a struct accepts, and the error texts it gives (the common cases).

The providers answer a body they cannot decode with ``err.Error()``, so a faithful fake needs Go's words.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

# Go type names, as json.UnmarshalTypeError prints them, per struct field.
STRING, BOOL, UINT64 = "string", "bool", "uint64"
STRING_MAP, STRING_LIST, BYTES = "map[string]string", "[]string", "[]uint8"
RESOURCES = "types.FunctionResources"

FUNCTION_DEPLOYMENT = (
    "types.FunctionDeployment",
    {
        "service": STRING,
        "image": STRING,
        "namespace": STRING,
        "envProcess": STRING,
        "envVars": STRING_MAP,
        "constraints": STRING_LIST,
        "secrets": STRING_LIST,
        "labels": STRING_MAP,
        "annotations": STRING_MAP,
        "limits": RESOURCES,
        "requests": RESOURCES,
        "readOnlyRootFilesystem": BOOL,
    },
)
DELETE_FUNCTION_REQUEST = ("requests.DeleteFunctionRequest", {"functionName": STRING, "namespace": STRING})
SECRET = ("types.Secret", {"name": STRING, "namespace": STRING, "value": STRING, "rawValue": BYTES})
FUNCTION_NAMESPACE = ("types.FunctionNamespace", {"name": STRING, "labels": STRING_MAP, "annotations": STRING_MAP})

_SYNTAX = {
    "Expecting value": "looking for beginning of value",
    "Expecting ':' delimiter": "after object key",
    "Expecting ',' delimiter": "after object key:value pair",
    "Expecting property name enclosed in double quotes": "looking for beginning of object key string",
    "Extra data": "after top-level value",
}
_RESOURCE_KEYS = ("memory", "cpu", "nvidia.com/gpu", "amd.com/gpu", "intel.com/gpu")


class GoJSONError(ValueError):
    """The text of the error Go's ``json.Unmarshal`` returns."""


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return f"number {value}" if isinstance(value, int) and value < 0 else "number"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "string"


def _mismatch(value: object, struct: str, field: str, go_type: str) -> GoJSONError:
    return GoJSONError(f"json: cannot unmarshal {_kind(value)} into Go struct field {struct}.{field} of type {go_type}")


def _check(value: object, struct: str, field: str, go_type: str) -> None:
    """Raise Go's error when ``value`` (not null) does not fit the field's type."""
    if go_type == STRING and not isinstance(value, str):
        raise _mismatch(value, struct, field, go_type)
    if go_type == BOOL and not isinstance(value, bool):
        raise _mismatch(value, struct, field, go_type)
    if go_type == UINT64 and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise _mismatch(value, struct, field, go_type)
    if go_type == BYTES:
        if not isinstance(value, str):
            raise _mismatch(value, struct, field, go_type)
        try:
            base64.b64decode(value, validate=True)
        except binascii.Error:
            raise GoJSONError("illegal base64 data at input byte 0") from None
    if go_type in (STRING_MAP, RESOURCES):
        if not isinstance(value, dict):
            raise _mismatch(value, struct, field, go_type)
        for key, item in value.items():
            if item is not None and (go_type == STRING_MAP or key in _RESOURCE_KEYS) and not isinstance(item, str):
                raise _mismatch(item, struct, field if go_type == STRING_MAP else f"{field}.{key}", STRING)
    if go_type == STRING_LIST:
        if not isinstance(value, list):
            raise _mismatch(value, struct, field, go_type)
        for item in value:
            if item is not None and not isinstance(item, str):
                raise _mismatch(item, struct, field, STRING)


def quote_char(char: str) -> str:
    """Go's ``quoteChar``: how its JSON errors show the offending character."""
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    if char == "\\":
        return "'\\\\'"
    return f"'{char}'" if char.isprintable() else repr(char)


def _syntax_error(exc: json.JSONDecodeError, in_string: str) -> str:
    rest = exc.doc[exc.pos :]
    if exc.msg.startswith("Invalid control character"):
        return f"invalid character {quote_char(rest[0])} {in_string}"
    for literal in ("null", "true", "false"):
        if exc.msg == "Expecting value" and rest[:1] == literal[0]:
            at = next((i for i, char in enumerate(literal) if rest[i : i + 1] != char), len(literal))
            if at < len(rest):
                expected = quote_char(literal[at])
                return f"invalid character {quote_char(rest[at])} in literal {literal} (expecting {expected})"
    return f"invalid character {quote_char(rest[0])} {_SYNTAX.get(exc.msg, 'looking for beginning of value')}"


def _refuse_constant(constant: str) -> Any:
    raise GoJSONError(constant)


def loads(body: bytes, *, in_string: str = "in string literal") -> Any:
    """``body`` as JSON, or GoJSONError with the syntax error Go's decoder gives (a control character in a
    string is ``in string literal`` to Go's classic decoder, ``in string`` to Go 1.25's and later)."""
    try:
        return json.loads(body, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise GoJSONError("invalid character looking for beginning of value") from None
    except GoJSONError as exc:  # NaN, Infinity, -Infinity: JSON to Python, not to Go
        where = "in numeric literal" if str(exc).startswith("-") else "looking for beginning of value"
        raise GoJSONError(f"invalid character {quote_char(str(exc).lstrip('-')[0])} {where}") from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise GoJSONError("unexpected end of JSON input") from None
        raise GoJSONError(_syntax_error(exc, in_string)) from None


def unmarshal(body: bytes, target: tuple[str, dict[str, str]]) -> dict[str, Any]:
    """``body`` decoded into the Go struct ``target`` (name, field types): the JSON object, or GoJSONError."""
    type_name, fields = target
    value = loads(body)
    if value is None:
        return {}  # null into a struct leaves it as it was
    if not isinstance(value, dict):
        raise GoJSONError(f"json: cannot unmarshal {_kind(value)} into Go value of type {type_name}")
    struct = type_name.rpartition(".")[2]
    for field, go_type in fields.items():
        if value.get(field) is not None:
            _check(value[field], struct, field, go_type)
    return value
