"""The fake IAM: OIDC discovery, a JWKS with a real RSA key, ``/oauth/token``, and function auth as
faas-middleware enforces it (gateway-api.md, section 10). Tokens are signed and verified with PyJWT and
cryptography (``pip install pyopenfaas[testing]``); they are loaded only when a gateway runs with IAM."""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import parse_qs

import httpx

from .._public import publish

try:
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa
    from jwt.algorithms import RSAAlgorithm
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "the fake IAM signs real tokens with PyJWT and cryptography: pip install 'pyopenfaas[testing]'"
    ) from exc

from ._golang_jwt import Refused, parse
from ._http import Reply, empty, error, json_reply

KUBERNETES_ISSUER = "https://kubernetes.default.svc.cluster.local"
SERVICE_ACCOUNT_AUDIENCE = "openfaas"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # noqa: S105 - a grant name
ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token"  # noqa: S105 - a token type's name
REALM = "IAM function invoke"


def _new_rsa_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(key: Any, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


class FakeIAM:
    """OpenFaaS IAM for a :class:`~pyopenfaas.testing.FakeGateway` (``FakeGateway(iam=True)``).

    The gateway is the issuer (``issuer``, default ``http://gateway.openfaas:8080``, the address the watchdog
    reads discovery from). Upstream identities it trusts: Kubernetes service-account tokens minted by
    :meth:`service_account_token`, and access tokens from its own client-credentials grant for clients added
    with :meth:`add_client`. Every identity may invoke every function unless :meth:`set_permissions` says
    otherwise. ``exchanges``, ``function_exchanges`` and ``client_credentials_grants`` count what was issued;
    ``token_lifetime`` and ``function_token_lifetime`` (seconds) set the ``expires_in`` of new tokens;
    ``clock`` (default ``time.time``) is the time tokens are checked at.
    """

    def __init__(self, issuer: str = "http://gateway.openfaas:8080") -> None:
        self.issuer = issuer.rstrip("/")
        self.token_lifetime = 3600
        self.function_token_lifetime = 3600
        self.clock: Callable[[], float] = time.time  # what the middleware checks exp and nbf against
        self.exchanges = 0
        self.function_exchanges = 0
        self.client_credentials_grants = 0
        self._lock = threading.Lock()
        self._gateway_kid, self._upstream_kid = secrets.token_hex(8), secrets.token_hex(8)
        self._keys: dict[str, Any] = {}  # made on first use: an RSA key costs tens of milliseconds
        self._keys_lock = threading.Lock()
        self._clients: dict[str, str] = {}
        self._permissions: dict[str, list[str]] = {}

    @property
    def _gateway_key(self) -> Any:
        return self._key("gateway")

    @property
    def _upstream_key(self) -> Any:
        return self._key("upstream")

    def _key(self, role: str) -> Any:
        with self._keys_lock:
            if role not in self._keys:
                self._keys[role] = _new_rsa_key()
            return self._keys[role]

    def __repr__(self) -> str:
        return (
            f"FakeIAM(issuer={self.issuer!r}, exchanges={self.exchanges}, function_exchanges={self.function_exchanges})"
        )

    # Set-up, for tests.

    def service_account_token(
        self,
        name: str = "default",
        namespace: str = "openfaas-fn",
        *,
        audience: str = SERVICE_ACCOUNT_AUDIENCE,
        expires_in: float = 3600,
    ) -> str:
        """A projected service-account token, as the kubelet writes to ``<token_mount_path>/openfaas-token``."""
        now = time.time()
        claims = {
            "iss": KUBERNETES_ISSUER,
            "sub": f"system:serviceaccount:{namespace}:{name}",
            "aud": [audience],
            "iat": int(now),
            "nbf": int(now),
            "exp": int(now + expires_in),
            "kubernetes.io": {"namespace": namespace, "serviceaccount": {"name": name}},
        }
        return self._sign(claims, self._upstream_key, self._upstream_kid)

    def add_client(self, client_id: str, client_secret: str) -> None:
        """Accept the client-credentials grant for this client."""
        with self._lock:
            self._clients[client_id] = client_secret

    def set_permissions(self, subject: str, functions: Sequence[str]) -> None:
        """The functions ``subject`` may invoke (``<namespace>:<name>``, ``*`` standing for any characters);
        its function tokens carry them as ``function.permissions``. As in faas-middleware, an entry matches
        anywhere in ``<namespace>:<name>``: ``echo`` also allows ``openfaas-fn:echo-v2``."""
        with self._lock:
            self._permissions[subject] = list(functions)

    def function_token(
        self,
        permissions: Any,
        audience: Any = None,
        *,
        expires_in: float | None = 3600,
        subject: str = "test",
        claims: dict[str, Any] | None = None,
        headers: dict[str, Any] | None = None,
        algorithm: str = "RS256",
        key: Any = None,
    ) -> str:
        """A function token signed by the gateway's key, any claim overridable: for testing the middleware."""
        now = time.time()
        body: dict[str, Any] = {"iss": self.issuer, "aud": [self.issuer], "sub": subject, "iat": int(now)}
        if expires_in is not None:
            body["exp"] = int(now + expires_in)
        function: dict[str, Any] = {"permissions": permissions}
        if audience is not None:
            function["audience"] = audience
        body["function"] = function
        body.update(claims or {})
        header = {"kid": self._gateway_kid, **(headers or {})}
        return jwt.encode(body, self._gateway_key if key is None else key, algorithm=algorithm, headers=header)

    # The routes.

    def discovery(self) -> Reply:
        return json_reply(
            {
                "issuer": self.issuer,
                "jwks_uri": f"{self.issuer}/.well-known/jwks.json",
                "token_endpoint": f"{self.issuer}/oauth/token",
                "grant_types_supported": [TOKEN_EXCHANGE, "client_credentials"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "subject_types_supported": ["public"],
                "response_types_supported": ["id_token"],
            }
        )

    def jwks(self) -> Reply:
        return json_reply({"keys": [_jwk(self._gateway_key, self._gateway_kid)]})

    def token_endpoint(self, method: str, headers: Any, body: bytes) -> Reply:
        """``POST /oauth/token``: the token-exchange and client-credentials grants."""
        if method != "POST":
            return empty(405)
        if "application/x-www-form-urlencoded" not in headers.get("Content-Type", ""):
            return _oauth_error(400, "invalid_request", "the body must be application/x-www-form-urlencoded")
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return _oauth_error(400, "invalid_request", "the body is not UTF-8")
        grant = _one(form, "grant_type")
        if grant == TOKEN_EXCHANGE:
            return self._exchange(form)
        if grant == "client_credentials":
            return self._client_credentials(form, headers.get("Authorization"))
        if not grant:
            return _oauth_error(400, "invalid_request", "grant_type is required")
        return _oauth_error(400, "unsupported_grant_type", f"grant type {grant!r} is not supported")

    def authorized_for_system(self, authorization: str | None) -> bool:
        """A gateway token this IAM issued (not a function token) in ``Authorization: Bearer``."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return False
        try:
            claims = self._verify(token, self.issuer)
        except Refused:
            return False
        return "function" not in claims

    def check_function(self, namespace: str, name: str, headers: httpx.Headers) -> Reply | None:
        """faas-middleware's ``jwt_auth``: None to let the call through, else its 401 or 403. Only the first
        ``Authorization`` header counts (Go's ``Header.Get``), and only an exact ``Bearer `` prefix is cut."""
        values = headers.get_list("Authorization")
        # Go's server trims a header value's surrounding blanks: "Bearer " arrives as "Bearer".
        bearer = values[0].strip(" \t").removeprefix("Bearer ") if values else ""
        if not bearer:
            return _unauthorized("Bearer must be present in Authorization header")
        try:
            claims = self._verify(bearer, self.issuer)
        except Refused as refused:
            return _unauthorized(f"failed to parse JWT token: {refused}")
        function = claims.get("function")
        function = function if isinstance(function, dict) else {}
        ref = f"{namespace}:{name}"
        audience, permissions = function.get("audience") or [], function.get("permissions") or []
        if (audience and not _matches(audience, ref)) or not _matches(permissions, ref):
            reply = error(403, "insufficient permissions")
            reply.headers.append(("X-OpenFaaS-Internal", "faas-middleware"))
            return reply
        return None

    # Issuing.

    def _sign(self, claims: dict[str, Any], key: Any, kid: str) -> str:
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})

    def _issue(self, subject: str, lifetime: int, extra: dict[str, Any], scope: str) -> Reply:
        now = time.time()
        claims = {
            "iss": self.issuer,
            "sub": subject,
            "aud": [self.issuer],
            "iat": int(now),
            "nbf": int(now),
            "exp": int(now + lifetime),
            "jti": secrets.token_hex(8),
            **extra,
        }
        token = self._sign(claims, self._gateway_key, self._gateway_kid)
        answer: dict[str, Any] = {"access_token": token, "token_type": "Bearer", "expires_in": lifetime}
        if scope:
            answer["scope"] = scope
        reply = json_reply(answer)
        reply.headers.append(("Cache-Control", "no-store"))
        return reply

    def _exchange(self, form: dict[str, list[str]]) -> Reply:
        subject_token = _one(form, "subject_token")
        if not subject_token:
            return _oauth_error(400, "invalid_request", "subject_token is required")
        if _one(form, "subject_token_type") != ID_TOKEN:
            return _oauth_error(400, "invalid_request", f"subject_token_type must be {ID_TOKEN}")
        scope = " ".join(_one(form, "scope").split())
        audience = form.get("audience", [])
        try:
            subject = self._subject(subject_token, function_scope=scope == "function")
        except Refused as refused:
            return _oauth_error(400, "invalid_grant", f"invalid subject token: {refused}")
        if scope == "function":
            if not audience or any(not re.fullmatch(r"[a-z0-9-]+:[a-z0-9-]+", item) for item in audience):
                return _oauth_error(400, "invalid_target", "a function token needs audience <namespace>:<function>")
            with self._lock:
                permissions = list(self._permissions.get(subject, ["*"]))
                self.function_exchanges += 1
            extra = {"function": {"permissions": permissions, "audience": audience}}
            return self._issue(subject, self.function_token_lifetime, extra, scope)
        if scope:
            return _oauth_error(400, "invalid_scope", f"unknown scope {scope!r}")
        with self._lock:
            self.exchanges += 1
        return self._issue(subject, self.token_lifetime, {}, scope)

    def _subject(self, token: str, *, function_scope: bool) -> str:
        """Who ``token`` identifies: a gateway token for a function token, else a trusted upstream identity."""
        if function_scope:
            claims = self._verify(token, self.issuer)
            if "function" in claims:
                raise Refused("a function token cannot be exchanged")
        else:
            claims = self._verify_upstream(token)
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise Refused("no sub claim")
        return subject

    def _client_credentials(self, form: dict[str, list[str]], authorization: str | None) -> Reply:
        client_id, client_secret = _one(form, "client_id"), _one(form, "client_secret")
        scheme, _, encoded = (authorization or "").partition(" ")
        if scheme.lower() == "basic":
            try:
                client_id, _, client_secret = base64.b64decode(encoded, validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                client_id = client_secret = ""
        with self._lock:
            expected = self._clients.get(client_id)
        if expected is None or not secrets.compare_digest(expected.encode(), client_secret.encode()):
            return _oauth_error(401, "invalid_client", "client authentication failed")
        now = time.time()
        audience = form.get("audience") or [client_id]
        claims = {
            "iss": f"{self.issuer}/idp",
            "sub": client_id,
            "aud": audience,
            "iat": int(now),
            "exp": int(now + self.token_lifetime),
            "azp": client_id,
        }
        with self._lock:
            self.client_credentials_grants += 1
        answer = {
            "access_token": self._sign(claims, self._upstream_key, self._upstream_kid),
            "token_type": "Bearer",
            "expires_in": self.token_lifetime,
        }
        if scope := _one(form, "scope"):
            answer["scope"] = scope
        return json_reply(answer)

    # Verifying.

    def _verify_upstream(self, token: str) -> dict[str, Any]:
        issuer = _unverified_claim(token, "iss")
        if issuer == KUBERNETES_ISSUER:
            claims = self._verify(token, KUBERNETES_ISSUER, SERVICE_ACCOUNT_AUDIENCE, upstream=True)
        elif issuer == f"{self.issuer}/idp":
            claims = self._verify(token, issuer, None, upstream=True)
        else:
            raise Refused(f"no trusted issuer {issuer!r}")
        return claims

    def _verify(self, token: str, issuer: str, audience: str | None = "", *, upstream: bool = False) -> dict[str, Any]:
        """The middleware's parse: the issuer, an audience (the issuer unless given), the key from the JWKS by
        ``kid``. Refusals carry golang-jwt's texts."""
        key, expected_kid = (
            (self._upstream_key, self._upstream_kid) if upstream else (self._gateway_key, self._gateway_kid)
        )
        return parse(
            token,
            issuer=issuer,
            audience=issuer if audience == "" else audience,
            key_for=lambda kid: key.public_key() if kid == expected_kid else None,
            now=self.clock(),
        )


def _unverified_claim(token: str, name: str) -> Any:
    try:
        return jwt.decode(token, options={"verify_signature": False}).get(name)
    except jwt.PyJWTError as exc:
        raise Refused(f"token is malformed: {exc}") from None


def _matches(patterns: Iterable[str], ref: str) -> bool:
    """faas-middleware's ``matchResource``: ``*`` alone matches anything; otherwise ``*`` stands for any
    characters and the rest is literal, matched ANYWHERE in ``ref`` (``regexp.MatchString`` without anchors:
    ``fn:echo`` and ``echo`` match ``openfaas-fn:echo``); an empty entry matches nothing."""
    for pattern in patterns:
        if pattern == "*":
            return True
        regex = ".*".join(re.escape(literal) for literal in pattern.split("*"))
        if pattern and re.search(regex, ref):
            return True
    return False


def _unauthorized(message: str) -> Reply:
    reply = error(401, message)
    reply.headers += [("X-OpenFaaS-Internal", "faas-middleware"), ("WWW-Authenticate", f"Bearer realm={REALM}")]
    return reply


def _oauth_error(status: int, code: str, description: str) -> Reply:
    reply = json_reply({"error": code, "error_description": description}, status)
    reply.headers.append(("Cache-Control", "no-store"))
    return reply


def _one(form: dict[str, list[str]], key: str) -> str:
    values = form.get(key)
    return values[0] if values else ""


publish("pyopenfaas.testing", globals(), "FakeIAM")
