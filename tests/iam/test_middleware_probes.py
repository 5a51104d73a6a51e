"""The fake's function auth answers exactly as the real middleware does, probe by probe.

Every expected answer below was read from a real of-watchdog (9bdadb1, vendoring faas-middleware v1.2.5 and
golang-jwt v5.3.1, built with Go 1.27.3) running with ``jwt_auth=true`` against the fake IAM's discovery and
keys, each probe sent to it and to the fake alike (gateway-api.md, section 10): status, the middleware's
headers, and the body byte for byte. Tokens are made here, so the table holds how to make each one.
"""

# ruff: noqa: E501 - one probe a line: the table reads as the real watchdog's answers, side by side
from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from pyopenfaas.testing import FakeGateway

ISSUER = "http://gateway.openfaas:8080"


def now() -> int:
    return int(time.time())


def base() -> dict[str, Any]:
    return {
        "iss": ISSUER,
        "aud": [ISSUER],
        "sub": "t",
        "iat": now(),
        "exp": now() + 3600,
        "function": {"permissions": ["*"]},
    }


DENIED = "insufficient permissions\n"
MISSING = "Bearer must be present in Authorization header\n"
FAILED = "failed to parse JWT token: "
MALFORMED = FAILED + "token is malformed: "
CLAIMS = FAILED + "token has invalid claims: "
BAD_CLAIM = MALFORMED + "could not JSON decode claim: "
BAD_HEADER = MALFORMED + "could not JSON decode header: "
WRONG_KEY = FAILED + "token signature is invalid: key is of invalid type: "
KEYFUNC = FAILED + "token is unverifiable: error while executing keyfunc: invalid kid: "
UNVERIFIABLE = FAILED + "token is unverifiable: "
RSA_ERROR = FAILED + "token signature is invalid: crypto/rsa: verification error\n"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Minter:
    """Makes the probes' tokens with the fake gateway's signing key (or another key)."""

    def __init__(self, gateway: FakeGateway) -> None:
        assert gateway.iam is not None
        self.iam = gateway.iam
        self.valid = self.iam.function_token(["openfaas-fn:echo"])
        self.header, self.claims, self.signature = self.valid.split(".")
        self.kid = jwt.get_unverified_header(self.valid)["kid"]

    def token(self, changes: dict[str, Any] | None = None, drop: tuple[str, ...] = (), **signing: Any) -> str:
        """base() with `changes`, without `drop`, signed as `signing` says (RS256 with the gateway key)."""
        body = {key: value for key, value in {**base(), **(changes or {})}.items() if key not in drop}
        return self.sign(json.dumps(body).encode(), **signing)

    def sign(self, payload: bytes, algorithm: str = "RS256", key: Any = None) -> str:
        signer = jwt.api_jws.PyJWS()
        private = self.iam._gateway_key if key is None else key  # the fake's own signing key
        return signer.encode(payload, private, algorithm=algorithm, headers={"kid": self.kid})

    def raw(self, header: str | None = None, claims: str | None = None, signature: str | None = None) -> str:
        """The valid token with a segment replaced (its signature then no longer verifies, when checked)."""
        parts = (self.header if header is None else header, self.claims if claims is None else claims)
        return ".".join((*parts, self.signature if signature is None else signature))

    def with_header(self, header: dict[str, Any], signature: str | None = None) -> str:
        return self.raw(header=b64(json.dumps(header).encode()), signature=signature)


def permission(*entries: str, audience: list[str] | None = None) -> Callable[[Minter], str]:
    function: dict[str, Any] = {"permissions": list(entries)}
    if audience is not None:
        function["audience"] = audience
    return lambda m: m.token({"function": function})


def claims_json(text: bytes) -> Callable[[Minter], str]:
    return lambda m: m.raw(claims=b64(text))


def header_json(text: bytes) -> Callable[[Minter], str]:
    return lambda m: m.raw(header=b64(text))


Make = Callable[[Minter], str]
# (id, how to make the token (None: no Authorization header), status, body): as the real watchdog answered.
PROBES: list[tuple[str, Make | None, int, str]] = [
    ("no-header", None, 401, MISSING),
    ("valid", lambda m: m.valid, 200, "hi"),
    ("bearer-without-token", lambda m: "", 401, MALFORMED + "token contains an invalid number of segments\n"),
    # The exact prefix "Bearer " is cut: "bearer <token>" is decoded as a whole, and fails at its space.
    ("lowercase-bearer", lambda m: "!" + m.valid, 401, MALFORMED + "could not base64 decode header: illegal base64 data at input byte 6\n"),
    ("two-spaces", lambda m: " " + m.valid, 401, MALFORMED + "could not base64 decode header: illegal base64 data at input byte 0\n"),
    # Claims: golang-jwt's validator, every failure joined with ", ".
    ("expired", lambda m: m.token({"exp": now() - 60}), 401, CLAIMS + "token is expired\n"),
    ("not-yet-valid", lambda m: m.token({"nbf": now() + 600}), 401, CLAIMS + "token is not valid yet\n"),
    ("expired-and-audience", lambda m: m.token({"exp": now() - 60, "aud": ["other"]}), 401,
     CLAIMS + "token is expired, token has invalid audience\n"),
    ("four-at-once", lambda m: m.token({"exp": now() - 60, "nbf": now() + 600, "aud": "other", "iss": "x"}), 401,
     CLAIMS + "token is expired, token is not valid yet, token has invalid audience, token has invalid issuer\n"),
    ("audience-as-string", lambda m: m.token({"aud": ISSUER}), 200, "hi"),
    ("no-audience", lambda m: m.token(drop=("aud",)), 401, CLAIMS + "token is missing required claim: aud claim is required\n"),
    ("empty-audience", lambda m: m.token({"aud": ""}), 401, CLAIMS + "token is missing required claim: aud claim is required\n"),
    ("two-empty-audiences", lambda m: m.token({"aud": ["", ""]}), 401, CLAIMS + "token has invalid audience\n"),
    ("no-issuer", lambda m: m.token(drop=("iss",)), 401, CLAIMS + "token is missing required claim: iss claim is required\n"),
    ("other-issuer", lambda m: m.token({"iss": "http://evil"}), 401, CLAIMS + "token has invalid issuer\n"),
    ("no-expiry", lambda m: m.token(drop=("exp",)), 200, "hi"),
    ("expiry-in-a-string", lambda m: m.token({"exp": str(now() + 3600)}), 200, "hi"),
    ("expiry-with-fraction", lambda m: m.token({"exp": now() + 3600.5}), 200, "hi"),
    ("issued-in-the-future", lambda m: m.token({"iat": now() + 600}), 200, "hi"),
    ("issuer-key-in-capitals", lambda m: m.token({"ISS": ISSUER}, drop=("iss",)), 200, "hi"),
    # Key id, algorithm and signature.
    ("no-kid", lambda m: m.with_header({"alg": "RS256"}), 401, KEYFUNC + "<nil>\n"),
    ("numeric-kid", lambda m: m.with_header({"alg": "RS256", "kid": 5}), 401, KEYFUNC + "5\n"),
    ("large-numeric-kid", lambda m: m.with_header({"alg": "RS256", "kid": 1e16}), 401, KEYFUNC + "1e+16\n"),
    ("list-kid", lambda m: m.with_header({"alg": "RS256", "kid": [1, "a"]}), 401, KEYFUNC + "[1 a]\n"),
    ("object-kid", lambda m: m.with_header({"alg": "RS256", "kid": {"b": [2], "a": 1}}), 401, KEYFUNC + "map[a:1 b:[2]]\n"),
    ("unknown-kid", lambda m: m.with_header({"alg": "RS256", "kid": "nope"}), 401, KEYFUNC + "nope\n"),
    ("alg-none", lambda m: m.with_header({"alg": "none", "kid": m.kid}, ""), 401,
     FAILED + "token signature is invalid: token is unverifiable: 'none' signature type is not allowed\n"),
    ("no-alg", lambda m: m.with_header({"kid": m.kid}), 401, UNVERIFIABLE + "signing method (alg) is unspecified\n"),
    ("numeric-alg", lambda m: m.with_header({"alg": 5, "kid": m.kid}), 401, UNVERIFIABLE + "signing method (alg) is unspecified\n"),
    ("unknown-alg", lambda m: m.with_header({"alg": "XX999", "kid": m.kid}), 401, UNVERIFIABLE + "signing method (alg) is unavailable\n"),
    ("hs256", lambda m: m.token(algorithm="HS256", key=b"k" * 32), 401, WRONG_KEY + "HMAC verify expects []byte\n"),
    ("es256", lambda m: m.token(algorithm="ES256", key=ec.generate_private_key(ec.SECP256R1())), 401,
     WRONG_KEY + "ECDSA verify expects *ecdsa.PublicKey\n"),
    ("eddsa", lambda m: m.token(algorithm="EdDSA", key=ed25519.Ed25519PrivateKey.generate()), 401,
     WRONG_KEY + "Ed25519 verify expects ed25519.PublicKey\n"),
    ("ps256", lambda m: m.token(algorithm="PS256"), 200, "hi"),
    ("rs512", lambda m: m.token(algorithm="RS512"), 200, "hi"),
    ("another-rsa-key", lambda m: m.token(key=rsa.generate_private_key(public_exponent=65537, key_size=2048)), 401, RSA_ERROR),
    ("empty-signature", lambda m: m.raw(signature=""), 401, RSA_ERROR),
    ("signature-one-byte-longer", lambda m: m.raw(signature=m.signature + "A"), 401, RSA_ERROR),
    # Segments and Go's base64 (RawURLEncoding: no padding, the offending byte named).
    ("two-segments", lambda m: "a.b", 401, MALFORMED + "token contains an invalid number of segments\n"),
    ("four-segments", lambda m: "a.b.c.d", 401, MALFORMED + "token contains an invalid number of segments\n"),
    ("bad-base64-header", lambda m: m.raw(header="ab!cd"), 401, MALFORMED + "could not base64 decode header: illegal base64 data at input byte 2\n"),
    ("padded-header", lambda m: m.raw(header="eyJhbGciOiJSUzI1NiJ9="), 401,
     MALFORMED + "could not base64 decode header: illegal base64 data at input byte 20\n"),
    ("one-character-left-over", lambda m: m.raw(header="eyJhb"), 401, MALFORMED + "could not base64 decode header: illegal base64 data at input byte 4\n"),
    ("bad-base64-claims", lambda m: m.raw(claims="abc$def"), 401, MALFORMED + "could not base64 decode claim: illegal base64 data at input byte 3\n"),
    ("bad-base64-signature", lambda m: m.raw(signature="a*b"), 401, MALFORMED + "could not base64 decode signature: illegal base64 data at input byte 1\n"),
    # Go's JSON: syntax first, then the first value that does not fit FunctionClaims (decoded through `Claims`).
    ("header-not-json", header_json(b"hello"), 401, BAD_HEADER + "invalid character 'h' looking for beginning of value\n"),
    ("header-array", header_json(b"[1]"), 401, BAD_HEADER + "json: cannot unmarshal array into Go value of type map[string]interface {}\n"),
    ("header-single-quotes", header_json(b"{'a':1}"), 401, BAD_HEADER + "invalid character '\\'' looking for beginning of object key string\n"),
    ("header-control-character", header_json(b'{"a":"\x01"}'), 401, BAD_HEADER + "invalid character '\\x01' in string\n"),
    ("header-nan", header_json(b'{"alg":NaN}'), 401, BAD_HEADER + "invalid character 'N' looking for beginning of value\n"),
    ("claims-not-json", claims_json(b"hello"), 401, BAD_CLAIM + "invalid character 'h' looking for beginning of value\n"),
    ("claims-array", claims_json(b"[1,2]"), 401, BAD_CLAIM + "json: cannot unmarshal array into Go value of type auth.FunctionClaims\n"),
    ("claims-string", claims_json(b'"x"'), 401, BAD_CLAIM + "json: cannot unmarshal string into Go value of type auth.FunctionClaims\n"),
    ("claims-null", claims_json(b"null"), 401, RSA_ERROR),  # null decodes to nothing: the signature fails next
    ("claims-then-junk", claims_json(b'{"a":1} x'), 401, BAD_CLAIM + "invalid character 'x' after top-level value\n"),
    ("claims-empty", lambda m: m.raw(claims=""), 401, BAD_CLAIM + "unexpected end of JSON input\n"),
    ("claims-unterminated", claims_json(b'{"a":"b'), 401, BAD_CLAIM + "unexpected end of JSON input\n"),
    ("claims-bad-literal", claims_json(b'{"a":tru}'), 401, BAD_CLAIM + "invalid character '}' in literal true (expecting 'e')\n"),
    ("numeric-issuer", lambda m: m.token({"iss": 5}), 401, BAD_CLAIM + "json: cannot unmarshal number into Go struct field Claims.iss of type string\n"),
    ("numeric-issuer-in-capitals", lambda m: m.token({"ISS": 5}), 401,
     BAD_CLAIM + "json: cannot unmarshal number into Go struct field Claims.ISS of type string\n"),
    ("list-jti", lambda m: m.token({"jti": ["a"]}), 401, BAD_CLAIM + "json: cannot unmarshal array into Go struct field Claims.jti of type string\n"),
    ("first-misfit-wins", lambda m: m.token({"iss": 5, "exp": "x"}), 401,
     BAD_CLAIM + "json: cannot unmarshal number into Go struct field Claims.iss of type string\n"),
    ("expiry-as-words", lambda m: m.token({"exp": "abc"}), 401,
     BAD_CLAIM + 'could not parse NumericData: json: cannot unmarshal string "abc" into Go value of type json.Number: invalid syntax\n'),
    ("expiry-empty-string", lambda m: m.token({"exp": ""}), 401,
     BAD_CLAIM + 'could not parse NumericData: json: cannot unmarshal string "" into Go value of type json.Number: invalid syntax\n'),
    ("expiry-bool", lambda m: m.token({"exp": True}), 401,
     BAD_CLAIM + "could not parse NumericData: json: cannot unmarshal bool into Go value of type json.Number\n"),
    ("not-before-object", lambda m: m.token({"nbf": {}}), 401,
     BAD_CLAIM + "could not parse NumericData: json: cannot unmarshal object into Go value of type json.Number\n"),
    ("numeric-audience", lambda m: m.token({"aud": 5}), 401, BAD_CLAIM + "invalid type for claim\n"),
    ("audience-list-with-number", lambda m: m.token({"aud": [ISSUER, 5]}), 401, BAD_CLAIM + "invalid type for claim\n"),
    ("null-audience", lambda m: m.token({"aud": None}), 401, CLAIMS + "token is missing required claim: aud claim is required\n"),
    ("function-string", lambda m: m.token({"function": "x"}), 401,
     BAD_CLAIM + "json: cannot unmarshal string into Go struct field Claims.function of type auth.AuthPermissions\n"),
    ("permissions-string", lambda m: m.token({"function": {"permissions": "openfaas-fn:echo"}}), 401,
     BAD_CLAIM + "json: cannot unmarshal string into Go struct field Claims.function.permissions of type []string\n"),
    ("permissions-numbers", lambda m: m.token({"function": {"permissions": [1]}}), 401,
     BAD_CLAIM + "json: cannot unmarshal number into Claims.function.permissions.0 of type string\n"),
    ("audience-numbers", lambda m: m.token({"function": {"permissions": ["*"], "audience": [1]}}), 401,
     BAD_CLAIM + "json: cannot unmarshal number into Claims.function.audience.0 of type string\n"),
    # Permissions: `<namespace>:<name>` matched ANYWHERE by each entry, `*` standing for any characters.
    ("no-function-claim", lambda m: m.token(drop=("function",)), 403, DENIED),
    ("null-function-claim", lambda m: m.token({"function": None}), 403, DENIED),
    ("no-permissions", permission(), 403, DENIED),
    ("exact", permission("openfaas-fn:echo"), 200, "hi"),
    ("prefix", permission("openfaas-fn:ec"), 200, "hi"),
    ("suffix", permission("fn:echo"), 200, "hi"),
    ("name-alone", permission("echo"), 200, "hi"),
    ("any-substring", permission("open"), 200, "hi"),
    ("colon-alone", permission(":"), 200, "hi"),
    ("wildcard-inside", permission("ec*ho"), 200, "hi"),
    ("any-namespace", permission("*:echo"), 200, "hi"),
    ("longer-name", permission("openfaas-fn:echo2"), 403, DENIED),
    ("case-differs", permission("OPENFAAS-FN:echo"), 403, DENIED),
    ("regexp-dot-is-literal", permission("openfaas-fn:ech."), 403, DENIED),
    ("regexp-anchors-are-literal", permission("^openfaas-fn:echo$"), 403, DENIED),
    ("empty-entry", permission(""), 403, DENIED),
    ("empty-and-match", permission("", "nope", "echo"), 200, "hi"),
    ("null-and-match", lambda m: m.token({"function": {"permissions": [None, "echo"]}}), 200, "hi"),
    ("permissions-key-in-capitals", lambda m: m.token({"function": {"PERMISSIONS": ["echo"]}}), 200, "hi"),
    ("audience-matches", permission("*", audience=["fn:ech"]), 200, "hi"),
    ("audience-one-of-two", permission("*", audience=["openfaas-fn:other", "echo"]), 200, "hi"),
    ("audience-other", permission("*", audience=["other:fn"]), 403, DENIED),
    ("audience-empty-list", permission("*", audience=[]), 200, "hi"),
    ("audience-empty-entry", permission("*", audience=[""]), 403, DENIED),
]  # fmt: skip


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[httpx.Client, Minter]]:
    with FakeGateway(iam=True) as gateway, httpx.Client(transport=gateway.transport(), base_url="http://gw") as http:
        gateway.deploy("echo", env_vars={"jwt_auth": "true"})
        yield http, Minter(gateway)


def check(response: httpx.Response, status: int, body: str) -> None:
    assert (response.status_code, response.text) == (status, body)
    internal = response.headers.get("X-OpenFaaS-Internal")
    if status == 200:
        assert internal is None
        return
    assert internal == "faas-middleware"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    realm = response.headers.get_list("WWW-Authenticate")
    assert realm == (["Bearer realm=IAM function invoke"] if status == 401 else [])


@pytest.mark.parametrize(("make", "status", "body"), [probe[1:] for probe in PROBES], ids=[p[0] for p in PROBES])
def test_probe(served: tuple[httpx.Client, Minter], make: Make | None, status: int, body: str) -> None:
    http, minter = served
    headers = {}
    if make is not None:
        token = make(minter)
        # "!" marks the lowercase scheme (the fake's token is otherwise sent after "Bearer ").
        headers["Authorization"] = "bearer " + token[1:] if token.startswith("!") else f"Bearer {token}"
    check(http.post("/function/echo", headers=headers, content=b"hi"), status, body)


@pytest.mark.parametrize("method", ["GET", "OPTIONS", "DELETE", "PUT", "PATCH", "HEAD"])
def test_every_method_is_checked(served: tuple[httpx.Client, Minter], method: str) -> None:
    http, _ = served
    response = http.request(method, "/function/echo/any/path")
    assert response.status_code == 401
    assert response.text == ("" if method == "HEAD" else MISSING)


def test_only_the_first_authorization_header_counts(served: tuple[httpx.Client, Minter]) -> None:
    http, minter = served
    valid_first = [("Authorization", f"Bearer {minter.valid}"), ("Authorization", "Bearer x")]
    check(http.post("/function/echo", headers=valid_first, content=b"hi"), 200, "hi")
    invalid_first = [("Authorization", "Bearer x"), ("Authorization", f"Bearer {minter.valid}")]
    check(
        http.post("/function/echo", headers=invalid_first, content=b"hi"),
        401,
        MALFORMED + "token contains an invalid number of segments\n",
    )


@pytest.mark.parametrize(
    ("method", "path", "status", "body", "content_type"),
    [
        ("GET", "/_/health", 200, b"OK", "text/plain; charset=utf-8"),
        ("POST", "/_/health", 405, b"", None),
        ("GET", "/_/ready", 200, b"", None),
        ("POST", "/_/ready", 405, b"", None),
    ],
)
def test_the_watchdog_probes_answer_without_a_token(
    served: tuple[httpx.Client, Minter], method: str, path: str, status: int, body: bytes, content_type: str | None
) -> None:
    http, _ = served
    response = http.request(method, f"/function/echo{path}")
    assert (response.status_code, response.content, response.headers.get("Content-Type")) == (
        status,
        body,
        content_type,
    )
    assert http.get(f"/function/echo/sub{path}").status_code == 401  # only the watchdog's own paths
