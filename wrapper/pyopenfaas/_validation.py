"""Argument checks that run before anything is sent. Each error names the bad value."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping

import httpx

from ._generated.rules import NAME_MAX_LENGTH, NAME_PATTERN

_DNS_LABEL = re.compile(NAME_PATTERN)
_SECRET_NAME = re.compile(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?")
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
INVOKE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
RESOURCE_KEYS = ("memory", "cpu", "nvidia.com/gpu", "amd.com/gpu", "intel.com/gpu")


def check_name(value: object, what: str = "function name") -> str:
    """A DNS-1123 label (openapi.yaml's `Name`): lowercase letters, digits and '-', alphanumeric at both ends."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}: {value!r}")
    if len(value) > NAME_MAX_LENGTH or not _DNS_LABEL.fullmatch(value):
        raise ValueError(
            f"invalid {what} {value!r}: use at most {NAME_MAX_LENGTH} lowercase letters, digits and '-', "
            "starting and ending with a letter or digit"
        )
    return value


def check_secret_name(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"secret name must be a str, not {type(value).__name__}: {value!r}")
    if not value:
        raise ValueError("secret name must not be empty")
    if len(value) > 253 or not _SECRET_NAME.fullmatch(value):
        raise ValueError(
            f"invalid secret name {value!r}: use lowercase letters, digits, '-' and '.', "
            "starting and ending with a letter or digit"
        )
    return value


def check_replicas(value: object, what: str = "replicas") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}: {value!r}")
    if value < 0:
        raise ValueError(f"{what} must be 0 or more, not {value}")
    return value


def check_tail(value: object) -> int | None:
    return None if value is None else check_replicas(value, "tail")


def check_bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be a bool, not {value!r}")
    return value


def check_image(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"image must be a str, not {type(value).__name__}: {value!r}")
    if not value.strip() or any(c.isspace() for c in value):
        raise ValueError(f"invalid image {value!r}: it must be a non-empty reference without spaces")
    return value


def check_string_map(value: Mapping[str, str] | None, what: str) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"{what} must be a mapping of str to str, not {type(value).__name__}")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise TypeError(f"{what} must map str to str; got {key!r}: {item!r}")
    return dict(value)


def check_resources(value: Mapping[str, str] | None, what: str) -> dict[str, str] | None:
    resources = check_string_map(value, what)
    for key in resources or ():
        if key not in RESOURCE_KEYS:
            raise ValueError(f"unknown {what} key {key!r}: use {', '.join(RESOURCE_KEYS)}")
    return resources


def check_strings(value: Iterable[str] | None, what: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise TypeError(f"{what} must be a list of str, not {value!r}")
    items = list(value)
    if not all(isinstance(item, str) for item in items):
        raise TypeError(f"{what} must be a list of str, not {items!r}")
    return items


def check_method(value: object) -> str:
    if not isinstance(value, str) or value.upper() not in INVOKE_METHODS:
        raise ValueError(f"invalid method {value!r}: use one of {', '.join(INVOKE_METHODS)}")
    return value.upper()


def check_sub_path(value: object) -> str:
    """A sub-path after the function name: '' or '/a/b'; no '..' segments, query, fragment or control bytes."""
    if not isinstance(value, str):
        raise TypeError(f"path must be a str, not {type(value).__name__}: {value!r}")
    if not value:
        return ""
    path = value if value.startswith("/") else f"/{value}"
    if any(ord(c) < 0x20 or c == "\x7f" for c in path):
        raise ValueError(f"invalid path {value!r}: control characters are not allowed")
    if "?" in path or "#" in path:
        raise ValueError(f"invalid path {value!r}: pass the query string with query=, not in the path")
    if any(segment in ("..", ".") for segment in path.split("/")) or "%2e" in path.lower():
        raise ValueError(f"invalid path {value!r}: '.' and '..' segments are not allowed")
    return path


def check_headers(value: Mapping[str, str] | None) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"headers must be a mapping of str to str, not {type(value).__name__}")
    headers: dict[str, str] = {}
    for name, item in value.items():
        if not isinstance(name, str) or not isinstance(item, str):
            raise TypeError(f"headers must map str to str; got {name!r}: {item!r}")
        if not _HEADER_NAME.fullmatch(name):
            raise ValueError(f"invalid header name {name!r}")
        if any(c in item for c in "\r\n\x00"):
            raise ValueError(f"invalid value for header {name!r}: {item!r} contains CR, LF or NUL")
        headers[name] = item
    return headers


def check_callback_url(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"callback_url must be a str, not {type(value).__name__}: {value!r}")
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host or any(c in value for c in "\r\n\x00 "):
        raise ValueError(f"invalid callback_url {value!r}: it must be an absolute http:// or https:// URL")
    return value


def check_call_id(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"call_id must be a str, not {type(value).__name__}: {value!r}")
    if not value or any(c in value for c in "\r\n\x00"):
        raise ValueError(f"invalid call_id {value!r}: it must be non-empty, without CR, LF or NUL")
    return value


def since_moment(value: datetime.datetime | datetime.timedelta | str | None) -> datetime.datetime | None:
    """`since` as an aware UTC time (sent as RFC 3339); a timedelta means that long ago."""
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        if value < datetime.timedelta(0):
            raise ValueError(f"since must be a positive timedelta (that long ago), not {value!r}")
        moment = datetime.datetime.now(datetime.UTC) - value
    elif isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"since must be timezone-aware, not {value!r}")
        moment = value
    elif isinstance(value, str):
        parsed = parse_rfc3339(value)
        if parsed is None:
            raise ValueError(f"invalid since {value!r}: use an RFC 3339 time such as 2026-01-02T15:04:05Z")
        moment = parsed
    else:
        raise TypeError(f"since must be a datetime, timedelta or RFC 3339 str, not {type(value).__name__}")
    return moment.astimezone(datetime.UTC)


_RFC3339 = re.compile(r"(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})")


def parse_rfc3339(value: str) -> datetime.datetime | None:
    """An aware datetime, or None when `value` is not RFC 3339 (fractions beyond microseconds are cut)."""
    match = _RFC3339.fullmatch(value)
    if match is None:
        return None
    head, fraction, zone = match.groups()
    text = f"{head}.{fraction[:6].ljust(6, '0')}{zone}" if fraction else f"{head}{zone}"
    try:
        return datetime.datetime.fromisoformat(text.upper().replace(" ", "T"))
    except ValueError:
        return None
