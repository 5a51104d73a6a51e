"""The OAuth wire protocol, without I/O: the token requests to send and what their answers mean.

A token flow is a generator that yields `TokenRequest`s, receives each answer (an `httpx.Response` whose body
has been read) and returns a `Token`; the engine of either client sends the requests through its own pool.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._errors import APIResponseValidationError, TokenExchangeError, status_error

GRANT_TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # noqa: S105 - a grant name
GRANT_CLIENT_CREDENTIALS = "client_credentials"
ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token"  # noqa: S105 - a token type's name
# Both official SDKs treat a token as expired this many seconds early (clock skew, time in flight).
EXPIRY_MARGIN = 10.0
FUNCTION_SCOPE = "function"
FUNCTION_REALM = "IAM function invoke"
# The namespace both official SDKs name in a function token's audience when the caller gives none.
DEFAULT_FUNCTION_NAMESPACE = "openfaas-fn"


def monotonic() -> float:
    """The clock token expiry is measured on (tests replace it)."""
    return time.monotonic()


@dataclass(frozen=True, slots=True)
class Token:
    """An access token (`value`, never shown in a repr) and when it stops being usable: `expires_at` on the
    `time.monotonic()` clock, `None` when the issuer gave no lifetime. Tokens are valid in the process that
    fetched them (the clock is that process's)."""

    value: str = field(repr=False)
    expires_at: float | None

    def fresh(self) -> bool:
        """Usable for at least `EXPIRY_MARGIN` more seconds."""
        return self.expires_at is None or self.expires_at - EXPIRY_MARGIN > monotonic()


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """A form POST to a token endpoint. `secrets` are the values no error message may show."""

    url: str
    form: dict[str, str | list[str]] = field(repr=False)
    secrets: tuple[str, ...] = field(repr=False)


TokenFlow = Generator[TokenRequest, httpx.Response, Token]


def token_exchange(
    url: str, subject_token: str, *, audience: Sequence[str] = (), scope: Sequence[str] = ()
) -> TokenRequest:
    """RFC 8693 token exchange of `subject_token` (an upstream identity, or a gateway token for a function token)."""
    form = _form(GRANT_TOKEN_EXCHANGE, scope, audience, subject_token_type=ID_TOKEN_TYPE, subject_token=subject_token)
    return TokenRequest(url, form, (subject_token,))


def client_credentials(
    url: str, client_id: str, client_secret: str, *, scope: Sequence[str] = (), audience: Sequence[str] = ()
) -> TokenRequest:
    """An OIDC client-credentials grant, the client authenticated in the form (as both official SDKs send it)."""
    form = _form(GRANT_CLIENT_CREDENTIALS, scope, audience, client_id=client_id, client_secret=client_secret)
    return TokenRequest(url, form, (client_secret,))


def _form(grant: str, scope: Sequence[str], audience: Sequence[str], **fields: str) -> dict[str, str | list[str]]:
    """A token request's form: `audience` repeated, `scope` space-separated, each only when given."""
    form: dict[str, str | list[str]] = {"grant_type": grant, **fields}
    if audience:
        form["audience"] = list(audience)
    if scope:
        form["scope"] = " ".join(scope)
    return form


def parse_token(response: httpx.Response, request: TokenRequest) -> Token:
    """The token in a 2xx answer; `TokenExchangeError` for an OAuth error answer; the status's error otherwise."""
    if not response.is_success:
        raise _refusal(response, request)
    answer = _json_object(response)
    value = answer.get("access_token")
    if not isinstance(value, str) or not value:
        raise _malformed(response, "no access_token")
    expires_in = answer.get("expires_in")
    if expires_in is not None and (isinstance(expires_in, bool) or not isinstance(expires_in, int | float)):
        raise _malformed(response, "expires_in is not a number")
    # No (or a zero) lifetime: the token does not expire, as the official SDKs read it.
    expires_at = monotonic() + expires_in if expires_in else None
    return Token(value, expires_at)


def _refusal(response: httpx.Response, request: TokenRequest) -> Exception:
    """`TokenExchangeError` when a 4xx carries `{error, error_description}` (RFC 6749 5.2), else the status's error."""
    error = status_error(response)
    body = _redact(error.body, request)
    error.body = body
    error.args = (_redact(str(error), request),)
    answer = _json_object(response)
    code = answer.get("error")
    if not 400 <= response.status_code < 500 or not isinstance(code, str):
        return error
    description = answer.get("error_description")
    description = _redact(description, request) if isinstance(description, str) else None
    message = f"POST {request.url} -> {response.status_code}: {code}" + (f": {description}" if description else "")
    return TokenExchangeError(message, response=response, body=body, error=code, error_description=description)


def _json_object(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or an empty one for any other body."""
    try:
        answer = response.json()
    except (ValueError, UnicodeError, RecursionError):
        return {}
    return answer if isinstance(answer, dict) else {}


def _malformed(response: httpx.Response, why: str) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"{response.request.method} {response.request.url.copy_with(query=None)} -> {response.status_code}: "
        f"malformed token answer ({why})",
        response=response,
    )


def _redact(text: str, request: TokenRequest) -> str:
    for secret in request.secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def realm(response: httpx.Response) -> str | None:
    """The `realm` of a `WWW-Authenticate` header, quoted or not (faas-middleware does not quote it)."""
    params = str(response.headers.get("WWW-Authenticate", "")).partition(" ")[2]
    for part in params.split(","):
        key, eq, value = part.strip().partition("=")
        if eq and key.lower() == "realm":
            return value.strip().strip('"')
    return None
