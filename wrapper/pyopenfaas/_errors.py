"""The exception hierarchy, and the one place where HTTP statuses and transport failures map to exceptions."""

from __future__ import annotations

import base64
import binascii
import copyreg

import httpx

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BuildError",
    "ConfigurationError",
    "ConflictError",
    "FunctionError",
    "FunctionNotReadyError",
    "InternalServerError",
    "NotFoundError",
    "NotSupportedError",
    "OpenFaaSError",
    "PermissionDeniedError",
    "StackError",
    "TokenExchangeError",
    "UnprocessableEntityError",
]

_BODY_IN_MESSAGE = 300
# Set by the client on requests it sent without credentials: where it looked for them (names and paths only).
NO_CREDENTIALS = "pyopenfaas.no_credentials"


class OpenFaaSError(Exception):
    """Root of every error pyopenfaas raises. Each unpickles with its fields (rebuilt without `__init__`); a
    request it carries pickles without its credential headers and body."""

    def __reduce__(self) -> tuple[object, ...]:
        fields = {name: _without_secrets(value) for name, value in self.__dict__.items()}
        return copyreg.__newobj__, (type(self), *self.args), fields  # type: ignore[attr-defined]


_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def _without_secrets(value: object) -> object:
    if isinstance(value, httpx.Response):
        request = value._request and _request_without_secrets(value._request)
        try:
            content = value.content
        except httpx.ResponseNotRead:  # a body never read is not read now
            content = b""
        return httpx.Response(value.status_code, headers=value.headers.raw, content=content, request=request)
    return _request_without_secrets(value) if isinstance(value, httpx.Request) else value


def _request_without_secrets(request: httpx.Request) -> httpx.Request:
    """Its body is left out too: a token request's form holds a secret."""
    headers = [(k, v) for k, v in request.headers.raw if k.lower().decode() not in _SECRET_HEADERS]
    return httpx.Request(request.method, request.url, headers=headers)


class ConfigurationError(OpenFaaSError):
    """The settings (arguments, environment, faas-cli config) cannot be used."""


class StackError(OpenFaaSError):
    """A stack file (or a file it names) cannot be used. `path` and, where YAML gives it, `line` (1-based)."""

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line


class BuildError(OpenFaaSError):
    """The Function Builder reported a failed build; `error` is its message, `log` the lines it sent."""

    def __init__(self, message: str, *, image: str, error: str, log: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.image = image
        self.error = error
        self.log = log


class APIConnectionError(OpenFaaSError):
    """The gateway could not be reached, or the connection dropped."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout fired."""


class APIResponseValidationError(OpenFaaSError):
    """The gateway answered, but not in the shape the API describes."""

    def __init__(self, message: str, *, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


class FunctionNotReadyError(OpenFaaSError, TimeoutError):
    """`wait_ready` gave up before the function had an available replica."""


class APIStatusError(OpenFaaSError):
    """The gateway (or, for `FunctionError`, the function) answered with a non-2xx status."""

    def __init__(self, message: str, *, response: httpx.Response, body: str) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.body = body


class BadRequestError(APIStatusError):
    """400"""


class AuthenticationError(APIStatusError):
    """401: missing or wrong credentials."""


class TokenExchangeError(AuthenticationError):
    """A token endpoint refused to issue a token (an OAuth error answer, usually 400): `.error` is the OAuth
    error code (e.g. `invalid_grant`), `.error_description` its text, or None."""

    def __init__(
        self, message: str, *, response: httpx.Response, body: str, error: str, error_description: str | None
    ) -> None:
        super().__init__(message, response=response, body=body)
        self.error = error
        self.error_description = error_description


class PermissionDeniedError(APIStatusError):
    """403"""


class NotFoundError(APIStatusError):
    """404"""


class ConflictError(APIStatusError):
    """409: it already exists."""


class UnprocessableEntityError(APIStatusError):
    """422"""


class InternalServerError(APIStatusError):
    """500 and above (except 501)."""


class NotSupportedError(APIStatusError):
    """501, or a feature the configured provider never had."""


class FunctionError(APIStatusError):
    """The function itself answered with a non-2xx status."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    501: NotSupportedError,
}


# The engine records here how many times it sent a request that it gave up retrying.
ATTEMPTS = "pyopenfaas.attempts"

_TIMEOUT_PHASES: dict[type[httpx.TimeoutException], str] = {
    httpx.ConnectTimeout: "connect",
    httpx.ReadTimeout: "read",
    httpx.WriteTimeout: "write",
    httpx.PoolTimeout: "pool",
}

# What reading a streamed body can raise besides the connection dropping: an undecodable body.
BODY_ERRORS = (httpx.RequestError, UnicodeError)


def status_error(response: httpx.Response, *, function: bool = False) -> APIStatusError:
    """The exception for a non-2xx `response` whose body has been read."""
    body = _body_text(response)
    if function:
        cls: type[APIStatusError] = FunctionError
    else:
        cls = _BY_STATUS.get(response.status_code) or (
            InternalServerError if response.status_code >= 500 else APIStatusError
        )
    request = response.request
    reason = response.reason_phrase or "error"
    message = f"{request.method} {request.url.copy_with(query=None)} -> {response.status_code} {reason}"
    if response.is_redirect and not function:
        message += f" (redirected to {response.headers.get('Location')}; use that address as the gateway URL)"
    if body:
        message += f": {_truncate(body)}"
    if response.status_code == 401 and not function and request.extensions.get(NO_CREDENTIALS):
        message += f" ({request.extensions[NO_CREDENTIALS]})"
    message += _gave_up(response.extensions.get(ATTEMPTS, 1))
    return cls(message, response=response, body=body)


def not_supported(method: str, url: str, reason: str) -> NotSupportedError:
    """A `NotSupportedError` for a call pyopenfaas refuses to send because the provider cannot serve it."""
    response = httpx.Response(501, text=reason, request=httpx.Request(method, url))
    return NotSupportedError(f"{method} {url}: {reason}", response=response, body=reason)


def connection_error(exc: httpx.TransportError, request: httpx.Request, attempts: int = 1) -> APIConnectionError:
    """`APITimeoutError` naming the timeout that fired, or `APIConnectionError`."""
    target = _target(request)
    if isinstance(exc, httpx.TimeoutException):
        phase = next((name for cls, name in _TIMEOUT_PHASES.items() if isinstance(exc, cls)), "request")
        seconds = (request.extensions.get("timeout") or {}).get(phase)
        limit = f" ({seconds:g} s)" if isinstance(seconds, int | float) else ""
        return APITimeoutError(f"{target}: {phase} timeout{limit} fired{_gave_up(attempts)}", request=request)
    detail = str(exc) or type(exc).__name__
    return APIConnectionError(f"{target}: {detail}{_gave_up(attempts)}", request=request)


def request_error(exc: httpx.RequestError, request: httpx.Request) -> OpenFaaSError:
    """A request failure that is not the connection's: an undecodable body, a redirect loop."""
    if isinstance(exc, httpx.DecodingError):
        return APIResponseValidationError(f"{_target(request)}: the body cannot be decoded: {exc}")
    return APIConnectionError(f"{_target(request)}: {exc}", request=request)


def body_error(exc: Exception, request: httpx.Request, received: str) -> OpenFaaSError:
    """What a failure while reading a streamed body means: the connection dropped, or the body is bad."""
    if isinstance(exc, httpx.TransportError):
        error = connection_error(exc, request)
        error.args = (f"{error.args[0]} (the stream was cut after {received})",)
        return error
    if isinstance(exc, httpx.RequestError):
        return request_error(exc, request)
    return APIResponseValidationError(f"{_target(request)}: the body cannot be decoded: {exc}")


def _target(request: httpx.Request) -> str:
    return f"{request.method} {request.url.copy_with(query=None)}"


def _gave_up(attempts: int) -> str:
    return f"; gave up after {attempts} attempts" if attempts > 1 else ""


def _body_text(response: httpx.Response) -> str:
    """The body as text, with any credential the request carried blanked out (a proxy may echo headers)."""
    try:
        text = response.text.strip()
    except (httpx.ResponseNotRead, UnicodeError, LookupError):
        return ""
    for secret in _credentials(response.request):
        text = text.replace(secret, "***")
    return text


def _credentials(request: httpx.Request) -> list[str]:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if not value:
        return []
    secrets = [value]
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        password = decoded.partition(":")[2]
        secrets += [s for s in (decoded, password) if len(s) >= 4]
    return secrets


def _truncate(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _BODY_IN_MESSAGE else text[:_BODY_IN_MESSAGE] + "..."
