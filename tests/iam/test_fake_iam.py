"""The fake IAM: discovery, JWKS, /oauth/token, /system/* bearer enforcement and faas-middleware's function
auth (statuses, headers, bodies and matching rules of gateway-api.md section 10)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from pyopenfaas.testing import FakeGateway, FunctionRequest

EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token"
ISSUER = "http://gateway.openfaas:8080"


@pytest.fixture(scope="module")
def gateway() -> Iterator[FakeGateway]:
    with FakeGateway(iam=True) as made:
        made.deploy("secure", env_vars={"jwt_auth": "true"})
        made.deploy("open")
        made.deploy("fnx", env_vars={"jwt_auth": "1"})
        yield made


@pytest.fixture(scope="module")
def http(gateway: FakeGateway) -> Iterator[httpx.Client]:
    with httpx.Client(transport=gateway.transport(), base_url="http://gateway") as client:
        yield client


def exchange(http: httpx.Client, subject: str, **extra: str) -> httpx.Response:
    form = {"grant_type": EXCHANGE, "subject_token_type": ID_TOKEN, "subject_token": subject, **extra}
    return http.post("/oauth/token", data=form)


def gateway_token(http: httpx.Client, gateway: FakeGateway) -> str:
    answer = exchange(http, gateway.iam.service_account_token()).json()  # type: ignore[union-attr]
    return str(answer["access_token"])


def call(http: httpx.Client, token: str | None, function: str = "secure", method: str = "POST") -> httpx.Response:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return http.request(method, f"/function/{function}", headers=headers, content=b"hi")


def test_discovery_and_jwks_verify_an_issued_function_token(http: httpx.Client, gateway: FakeGateway) -> None:
    discovery = http.get("/.well-known/openid-configuration").json()
    assert discovery["issuer"] == ISSUER
    assert discovery["jwks_uri"] == f"{ISSUER}/.well-known/jwks.json"
    keys = http.get("/.well-known/jwks.json").json()["keys"]
    assert [key["kty"] for key in keys] == ["RSA"]
    answer = exchange(http, gateway_token(http, gateway), scope="function", audience="openfaas-fn:secure").json()
    assert answer["token_type"] == "Bearer"
    assert answer["scope"] == "function"
    assert answer["expires_in"] == 3600
    header = jwt.get_unverified_header(answer["access_token"])
    key = jwt.PyJWK(next(key for key in keys if key["kid"] == header["kid"]))
    claims = jwt.decode(answer["access_token"], key, algorithms=["RS256"], audience=ISSUER, issuer=ISSUER)
    assert claims["function"] == {"permissions": ["*"], "audience": ["openfaas-fn:secure"]}
    assert claims["sub"] == "system:serviceaccount:openfaas-fn:default"


def test_no_bearer_is_401_with_the_middleware_headers(http: httpx.Client) -> None:
    response = call(http, None)
    assert response.status_code == 401
    assert response.text == "Bearer must be present in Authorization header\n"
    assert response.headers["WWW-Authenticate"] == "Bearer realm=IAM function invoke"
    assert response.headers["X-OpenFaaS-Internal"] == "faas-middleware"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_valid_function_token_reaches_the_function(http: httpx.Client, gateway: FakeGateway) -> None:
    token = exchange(http, gateway_token(http, gateway), scope="function", audience="openfaas-fn:secure").json()
    response = call(http, token["access_token"])
    assert response.status_code == 200
    assert response.text == "hi"


@pytest.mark.parametrize("method", ["GET", "OPTIONS", "DELETE", "PUT"])
def test_every_method_is_checked(http: httpx.Client, method: str) -> None:
    assert call(http, None, method=method).status_code == 401


@pytest.mark.parametrize(("path", "body"), [("/_/health", "OK"), ("/_/ready", "")])
def test_the_watchdog_probes_are_not_checked(http: httpx.Client, path: str, body: str) -> None:
    answer = http.get(f"/function/secure{path}")
    assert (answer.status_code, answer.text) == (200, body)
    assert http.get(f"/function/secure/sub{path}").status_code == 401


def test_functions_without_jwt_auth_are_open(http: httpx.Client) -> None:
    assert call(http, None, function="open").status_code == 200


def test_without_iam_jwt_auth_is_not_enforced() -> None:
    with FakeGateway() as plain:
        plain.deploy("secure", env_vars={"jwt_auth": "true"})
        with httpx.Client(transport=plain.transport(), base_url="http://gateway") as http:
            assert http.post("/function/secure").status_code == 200
            assert http.post("/oauth/token").status_code == 404


def reason(http: httpx.Client, token: str) -> str:
    response = call(http, token)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer realm=IAM function invoke"
    assert response.text.endswith("\n")
    return response.text.removesuffix("\n")


def test_refused_tokens_name_golang_jwt_reasons(http: httpx.Client, gateway: FakeGateway) -> None:
    iam = gateway.iam
    assert iam is not None
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = jwt.get_unverified_header(iam.function_token(["*"]))["kid"]
    prefix = "failed to parse JWT token: "
    assert reason(http, "not-a-jwt") == prefix + "token is malformed: token contains an invalid number of segments"
    assert (
        reason(http, iam.function_token(["*"], expires_in=-60)) == prefix + "token has invalid claims: token is expired"
    )
    assert reason(http, iam.function_token(["*"], claims={"nbf": time.time() + 60})) == (
        prefix + "token has invalid claims: token is not valid yet"
    )
    assert reason(http, iam.function_token(["*"], claims={"aud": ["someone-else"]})) == (
        prefix + "token has invalid claims: token has invalid audience"
    )
    assert reason(http, iam.function_token(["*"], claims={"iss": "https://evil"})) == (
        prefix + "token has invalid claims: token has invalid issuer"
    )
    assert reason(http, iam.function_token(["*"], headers={"kid": "nope"})) == (
        prefix + "token is unverifiable: error while executing keyfunc: invalid kid: nope"
    )
    assert reason(http, iam.function_token(["*"], key=other_key)) == (
        prefix + "token signature is invalid: crypto/rsa: verification error"
    )
    hs256 = iam.function_token(["*"], algorithm="HS256", key="k" * 32)
    assert (
        reason(http, hs256) == prefix + "token signature is invalid: key is of invalid type: HMAC verify expects []byte"
    )
    unsigned = jwt.encode({"iss": ISSUER, "aud": ISSUER, "function": {"permissions": ["*"]}}, "", algorithm="none",
                          headers={"kid": kid})  # fmt: skip
    assert reason(http, unsigned).startswith(prefix + "token signature is invalid: token is unverifiable: 'none'")
    # Decoded through golang-jwt's `Claims` interface: Go names the fields from there.
    assert "Go struct field Claims.function.permissions of type []string" in reason(http, iam.function_token("*"))
    assert "into Claims.function.audience.0 of type string" in reason(http, iam.function_token(["*"], [1]))


def test_string_audience_and_no_expiry_are_accepted(http: httpx.Client, gateway: FakeGateway) -> None:
    iam = gateway.iam
    assert iam is not None
    assert call(http, iam.function_token(["*"], claims={"aud": ISSUER})).status_code == 200
    assert call(http, iam.function_token(["*"], expires_in=None)).status_code == 200  # exp is optional


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({"exp": 1_000_000}, 200),  # 0.25 s past: within the second of leeway
        ({"exp": 1_000_000.99}, 200),
        ({"exp": 999_999.99}, 401),  # golang-jwt truncates to whole seconds: 999_999 + 1 s of leeway is past
        ({"nbf": 1_000_001}, 200),  # 0.75 s early: within the leeway
        ({"nbf": 1_000_002}, 401),
    ],
)
def test_times_are_whole_seconds_with_one_second_of_leeway(
    http: httpx.Client, gateway: FakeGateway, claims: dict[str, float], status: int
) -> None:
    iam = gateway.iam
    assert iam is not None
    token = iam.function_token(["*"], expires_in=None, claims=claims)
    iam.clock = lambda: 1_000_000.25
    try:
        assert call(http, token).status_code == status
    finally:
        iam.clock = time.time


@pytest.mark.parametrize(
    ("permissions", "audience", "status"),
    [
        (["openfaas-fn:secure"], None, 200),
        (["openfaas-fn:sec*"], None, 200),
        (["*:secure"], [], 200),
        (["openfaas-fn:secure"], ["openfaas-fn:*"], 200),
        (["openfaas-fn:sec"], None, 200),  # NOT anchored: matched anywhere in <namespace>:<name>
        (["fn:secure"], None, 200),
        (["secure"], ["fn:sec"], 200),
        (["openfaas-fn:secure2"], None, 403),
        (["other:secure"], None, 403),
        ([], None, 403),
        (["*"], ["openfaas-fn:other"], 403),
    ],
)
def test_permission_matching(
    http: httpx.Client, gateway: FakeGateway, permissions: list[str], audience: list[str] | None, status: int
) -> None:
    response = call(http, gateway.iam.function_token(permissions, audience))  # type: ignore[union-attr]
    assert response.status_code == status
    if status == 403:
        assert response.text == "insufficient permissions\n"
        assert response.headers["X-OpenFaaS-Internal"] == "faas-middleware"
        assert "WWW-Authenticate" not in response.headers


def test_a_token_without_function_claim_is_403(http: httpx.Client, gateway: FakeGateway) -> None:
    assert call(http, gateway_token(http, gateway)).status_code == 403


def test_system_routes_need_a_gateway_token(http: httpx.Client, gateway: FakeGateway) -> None:
    iam = gateway.iam
    assert iam is not None
    assert http.get("/system/functions").status_code == 401
    assert (
        http.get("/system/functions", headers={"Authorization": f"Bearer {iam.service_account_token()}"}).status_code
        == 401
    )
    assert (
        http.get("/system/functions", headers={"Authorization": f"Bearer {iam.function_token(['*'])}"}).status_code
        == 401
    )
    token = gateway_token(http, gateway)
    assert http.get("/system/functions", headers={"Authorization": f"Bearer {token}"}).status_code == 200


@pytest.mark.parametrize(
    ("form", "status", "code"),
    [
        ({}, 400, "invalid_request"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": EXCHANGE, "subject_token_type": ID_TOKEN}, 400, "invalid_request"),
        ({"grant_type": EXCHANGE, "subject_token_type": "x", "subject_token": "a.b.c"}, 400, "invalid_request"),
        ({"grant_type": EXCHANGE, "subject_token_type": ID_TOKEN, "subject_token": "a.b.c"}, 400, "invalid_grant"),
        ({"grant_type": "client_credentials", "client_id": "ci", "client_secret": "wrong"}, 401, "invalid_client"),
    ],
)
def test_token_endpoint_errors(http: httpx.Client, form: dict[str, str], status: int, code: str) -> None:
    response = http.post("/oauth/token", data=form)
    assert response.status_code == status
    assert response.json()["error"] == code
    assert isinstance(response.json()["error_description"], str)


def test_expired_or_foreign_identities_are_refused(http: httpx.Client, gateway: FakeGateway) -> None:
    iam = gateway.iam
    assert iam is not None
    expired = exchange(http, iam.service_account_token(expires_in=-60)).json()
    assert expired["error"] == "invalid_grant"
    assert "token is expired" in expired["error_description"]
    wrong_audience = exchange(http, iam.service_account_token(audience="vault")).json()
    assert wrong_audience["error"] == "invalid_grant"
    # A function token is not an identity, and a gateway token alone (without scope=function) is not either.
    assert (
        exchange(http, iam.function_token(["*"]), scope="function", audience="openfaas-fn:x").json()["error"]
        == "invalid_grant"
    )
    assert exchange(http, gateway_token(http, gateway)).json()["error"] == "invalid_grant"
    no_audience = exchange(http, gateway_token(http, gateway), scope="function").json()
    assert no_audience["error"] == "invalid_target"


def test_client_credentials_then_exchange(http: httpx.Client, gateway: FakeGateway) -> None:
    iam = gateway.iam
    assert iam is not None
    iam.add_client("ci", "s3cret")
    before = iam.client_credentials_grants, iam.exchanges
    answer = http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "ci", "client_secret": "s3cret", "scope": "openid"},
    ).json()
    assert answer["scope"] == "openid"
    assert answer["expires_in"] == 3600
    assert exchange(http, answer["access_token"]).status_code == 200
    assert (iam.client_credentials_grants, iam.exchanges) == (before[0] + 1, before[1] + 1)


def test_set_permissions_limits_the_function_tokens_issued(http: httpx.Client) -> None:
    with FakeGateway(iam=True) as gateway, httpx.Client(transport=gateway.transport(), base_url="http://g") as client:
        assert gateway.iam is not None
        gateway.deploy("secure", env_vars={"jwt_auth": "true"})
        gateway.iam.set_permissions("system:serviceaccount:openfaas-fn:default", ["openfaas-fn:other"])
        token = exchange(client, gateway_token(client, gateway), scope="function", audience="openfaas-fn:secure")
        assert call(client, token.json()["access_token"]).status_code == 403
        assert gateway.iam.function_exchanges == 1


def test_queued_calls_are_checked_too(gateway: FakeGateway, http: httpx.Client) -> None:
    seen: list[FunctionRequest] = []
    gateway.register("secure", seen.append)
    try:
        assert http.post("/async-function/secure", content=b"x").status_code == 202
        gateway.wait_idle()
        assert seen == []
        token = exchange(http, gateway_token(http, gateway), scope="function", audience="openfaas-fn:secure").json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        assert http.post("/async-function/secure", content=b"x", headers=headers).status_code == 202
        gateway.wait_idle()
        assert len(seen) == 1
    finally:
        gateway.register("secure", lambda request: request.body)
