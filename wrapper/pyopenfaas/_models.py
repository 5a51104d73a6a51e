"""Result types: the gateway's JSON in snake_case, with no UNSET and friendly defaults."""

from __future__ import annotations

import datetime
import json as jsonlib
import math
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, AnyStr, Self

import httpx

from ._errors import BODY_ERRORS, APIResponseValidationError, body_error
from ._validation import parse_rfc3339

__all__ = [
    "AsyncInvocationResponse",
    "Function",
    "FunctionUsage",
    "GatewayInfo",
    "InvocationResponse",
    "LogEntry",
    "Namespace",
    "ProviderInfo",
    "QueuedInvocation",
    "Secret",
    "VersionInfo",
]

_ZERO_TIME_YEAR = 1  # Go's zero time.Time, which faas-provider sends when the creation time is unknown


def _invalid(what: str, key: str, value: object, expected: str) -> APIResponseValidationError:
    shown = repr(value)
    shown = shown if len(shown) <= 80 else shown[:80] + "..."
    return APIResponseValidationError(f"malformed {what} from the gateway: {key!r} is {shown}, expected {expected}")


@dataclass(frozen=True, slots=True)
class FunctionUsage:
    """Resource usage, where the provider reports it (not in Community Edition)."""

    cpu: float | None
    total_memory_bytes: float | None


class Function:
    """A deployed function, as the gateway describes it (`GET /system/functions`, `/system/function/{name}`).

    A read-only view over the gateway's JSON: fields are checked and converted when read, and a malformed
    field raises `APIResponseValidationError`. `replicas` and `available_replicas` read 0 when the
    provider omits them; `created_at` reads None for Go's zero time.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        if not isinstance(data, Mapping):
            raise _invalid("function", "(item)", data, "an object")
        for key in ("name", "image"):
            if not isinstance(data.get(key), str):
                raise _invalid("function", key, data.get(key), "a string")
        self._data = data

    def _get(self, key: str, kind: type | tuple[type, ...], expected: str) -> Any:
        value = self._data.get(key)
        if value is None:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise _invalid("function", key, value, expected)
        return value

    def _string_map(self, key: str) -> dict[str, str]:
        value = self._get(key, dict, "an object of strings") or {}
        if not all(isinstance(v, str) for v in value.values()):
            raise _invalid("function", key, value, "an object of strings")
        return dict(value)

    def _strings(self, key: str) -> list[str]:
        value = self._get(key, list, "a list of strings") or []
        if not all(isinstance(v, str) for v in value):
            raise _invalid("function", key, value, "a list of strings")
        return list(value)

    def _count(self, key: str, *, whole: bool = True) -> int:
        value = self._get(key, (int, float), "a non-negative number") or 0
        if (isinstance(value, float) and (not math.isfinite(value) or (whole and not value.is_integer()))) or value < 0:
            raise _invalid("function", key, value, "a non-negative whole number" if whole else "a non-negative number")
        return int(value)

    def _resources(self, key: str) -> dict[str, str] | None:
        return self._string_map(key) if self._data.get(key) is not None else None

    @property
    def name(self) -> str:
        return str(self._data["name"])

    @property
    def image(self) -> str:
        return str(self._data["image"])

    @property
    def namespace(self) -> str | None:
        return self._get("namespace", str, "a string") or None

    @property
    def env_process(self) -> str | None:
        return self._get("envProcess", str, "a string") or None

    @property
    def env_vars(self) -> dict[str, str]:
        return self._string_map("envVars")

    @property
    def constraints(self) -> list[str]:
        return self._strings("constraints")

    @property
    def secrets(self) -> list[str]:
        return self._strings("secrets")

    @property
    def labels(self) -> dict[str, str]:
        return self._string_map("labels")

    @property
    def annotations(self) -> dict[str, str]:
        return self._string_map("annotations")

    @property
    def limits(self) -> dict[str, str] | None:
        """Resource limits as sent: keys among memory, cpu, nvidia.com/gpu, amd.com/gpu, intel.com/gpu."""
        return self._resources("limits")

    @property
    def requests(self) -> dict[str, str] | None:
        return self._resources("requests")

    @property
    def read_only_root_filesystem(self) -> bool:
        return bool(self._get("readOnlyRootFilesystem", bool, "a boolean"))

    @property
    def invocation_count(self) -> int:
        # A Prometheus counter (a float64 in Go): whole in practice, truncated if not.
        return self._count("invocationCount", whole=False)

    @property
    def replicas(self) -> int:
        """Desired replicas (0 when the provider omits the field)."""
        return self._count("replicas")

    @property
    def available_replicas(self) -> int:
        """Ready replicas (0 when the provider omits the field)."""
        return self._count("availableReplicas")

    @property
    def ready(self) -> bool:
        """At least one replica is available."""
        return self.available_replicas >= 1

    @property
    def created_at(self) -> datetime.datetime | None:
        """Creation time, or None when unknown (Go's zero time)."""
        value = self._get("createdAt", str, "an RFC 3339 time")
        if value is None:
            return None
        moment = parse_rfc3339(value)
        if moment is None:
            raise _invalid("function", "createdAt", value, "an RFC 3339 time")
        return None if moment.year == _ZERO_TIME_YEAR else moment

    @property
    def usage(self) -> FunctionUsage | None:
        value = self._get("usage", dict, "an object")
        if value is None:
            return None
        numbers = {}
        for key in ("cpu", "totalMemoryBytes"):
            number = value.get(key)
            if number is not None and (isinstance(number, bool) or not isinstance(number, int | float)):
                raise _invalid("function", f"usage.{key}", number, "a number")
            try:
                numbers[key] = None if number is None else float(number)
            except OverflowError:
                raise _invalid("function", f"usage.{key}", number, "a number a float can hold") from None
        return FunctionUsage(cpu=numbers["cpu"], total_memory_bytes=numbers["totalMemoryBytes"])

    def to_dict(self) -> dict[str, Any]:
        """The gateway's JSON for this function (camelCase keys), as received."""
        return jsonlib.loads(jsonlib.dumps(self._data))  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Function) and other._data == self._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        data = self._data
        return (
            f"Function(name={self.name!r}, namespace={data.get('namespace')!r}, image={self.image!r}, "
            f"replicas={data.get('replicas', 0)!r}, available_replicas={data.get('availableReplicas', 0)!r})"
        )


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line of a function's log."""

    name: str
    namespace: str
    instance: str
    timestamp: datetime.datetime
    text: str

    @classmethod
    def from_line(cls, line: str, number: int) -> LogEntry:
        """Parse one NDJSON line; a malformed line raises `APIResponseValidationError` naming it."""
        try:
            data = jsonlib.loads(line)
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            raise _bad_line(line, number, "not a JSON object")
        for key in ("name", "namespace", "instance", "timestamp", "text"):
            if not isinstance(data.get(key, ""), str):
                raise _bad_line(line, number, f"{key!r} is not a string")
        timestamp = parse_rfc3339(data.get("timestamp") or "")
        if timestamp is None:
            raise _bad_line(line, number, "'timestamp' is not an RFC 3339 time")
        return cls(
            name=data.get("name", ""),
            namespace=data.get("namespace", ""),
            instance=data.get("instance", ""),
            timestamp=timestamp,
            text=data.get("text", ""),
        )


def _bad_line(line: str, number: int, why: str) -> APIResponseValidationError:
    shown = line if len(line) <= 120 else line[:120] + "..."
    return APIResponseValidationError(f"malformed log line {number} from the gateway ({why}): {shown!r}")


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret's name (the gateway never returns values)."""

    name: str
    namespace: str | None = None


@dataclass(frozen=True, slots=True)
class Namespace:
    """A namespace functions can be deployed to."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VersionInfo:
    release: str
    sha: str
    commit_message: str | None = None


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    """The provider behind the gateway, e.g. `faas-netes-ce` on `kubernetes`, `faasd-ce` on `containerd`."""

    name: str
    orchestration: str
    version: VersionInfo | None


@dataclass(frozen=True, slots=True)
class GatewayInfo:
    """`GET /system/info`. `provider` is None when the gateway could not read its provider's answer."""

    provider: ProviderInfo | None
    version: VersionInfo
    arch: str


@dataclass(frozen=True, slots=True)
class QueuedInvocation:
    """An accepted asynchronous invocation."""

    call_id: str | None
    status_code: int
    headers: httpx.Headers


class _InvocationResponseBase:
    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def is_success(self) -> bool:
        return self.http_response.is_success

    @property
    def call_id(self) -> str | None:
        """The gateway's `X-Call-Id` for this call."""
        call_id: str | None = self.http_response.headers.get("X-Call-Id")
        return call_id

    @property
    def content(self) -> bytes:
        """The body (read it first with `read()` when the response was streamed)."""
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> Any:
        """The body parsed as JSON; a body that is not JSON raises `APIResponseValidationError`."""
        try:
            return jsonlib.loads(self.http_response.content)
        except (ValueError, RecursionError) as exc:
            raise APIResponseValidationError(
                f"the function's response is not JSON: {exc}", response=self.http_response
            ) from None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] call_id={self.call_id!r}>"


class InvocationResponse(_InvocationResponseBase):
    """A function's response: status, headers and body. With `stream=True`, read the body with `iter_bytes`
    or `read`, and close it (or use it as a context manager). A connection that drops mid-body raises
    `APIConnectionError`."""

    def read(self) -> bytes:
        try:
            return self.http_response.read()
        except BODY_ERRORS as exc:
            raise body_error(exc, self.http_response.request, "part of the body") from exc

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self._mapped(self.http_response.iter_bytes(chunk_size))

    def iter_lines(self) -> Iterator[str]:
        return self._mapped(self.http_response.iter_lines())

    def _mapped(self, chunks: Iterator[AnyStr]) -> Iterator[AnyStr]:
        received = 0
        try:
            for chunk in chunks:
                received += len(chunk)
                yield chunk
        except BODY_ERRORS as exc:
            raise body_error(exc, self.http_response.request, f"{received} bytes/characters") from exc

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncInvocationResponse(_InvocationResponseBase):
    """`InvocationResponse` for `AsyncOpenFaaS`: `aread`, `aiter_bytes`, `aiter_lines`, `aclose`."""

    async def aread(self) -> bytes:
        try:
            return await self.http_response.aread()
        except BODY_ERRORS as exc:
            raise body_error(exc, self.http_response.request, "part of the body") from exc

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self._mapped(self.http_response.aiter_bytes(chunk_size))

    def aiter_lines(self) -> AsyncIterator[str]:
        return self._mapped(self.http_response.aiter_lines())

    async def _mapped(self, chunks: AsyncIterator[AnyStr]) -> AsyncIterator[AnyStr]:
        received = 0
        try:
            async for chunk in chunks:
                received += len(chunk)
                yield chunk
        except BODY_ERRORS as exc:
            raise body_error(exc, self.http_response.request, f"{received} bytes/characters") from exc

    async def aclose(self) -> None:
        await self.http_response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
