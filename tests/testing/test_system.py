"""The /system/* API of the fake gateway: status codes and rules per provider flavour (docs/gateway-behaviour.md).

Where faasd answers in its own words, the faasd side is in test_faasd.py; tests here marked ``FAAS_NETES``
check faas-netes's."""

from __future__ import annotations

import base64
from datetime import datetime
from functools import partial

import httpx
import pytest
from pyopenfaas.testing import FakeGateway

from .conftest import SUCCESS, Connect

FAAS_NETES = pytest.mark.parametrize("flavour", ["faas-netes"], indirect=True)


def deploy(client: httpx.Client, name: str, **fields: object) -> httpx.Response:
    return client.post("/system/functions", json={"service": name, "image": "ghcr.io/openfaas/figlet:latest", **fields})


def test_info_names_the_provider(client: httpx.Client, flavour: str) -> None:
    response = client.get("/system/info")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    info = response.json()
    expected = {"faas-netes": ("faas-netes-ce", "kubernetes"), "faasd": ("faasd-ce", "containerd")}[flavour]
    assert (info["provider"]["provider"], info["provider"]["orchestration"]) == expected
    assert set(info["provider"]["version"]) == {"sha", "release"}  # no commit_message from a provider
    assert info["version"]["release"] == "0.27.12"
    assert info["arch"]


def test_healthz(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "OK")
    assert client.post("/healthz").status_code == 405


def test_function_lifecycle(client: httpx.Client, flavour: str) -> None:
    ok = SUCCESS[flavour]
    assert client.get("/system/functions").json() == []
    assert deploy(client, "figlet", envProcess="figlet", labels={"team": "edge"}).status_code == ok

    [listed] = client.get("/system/functions").json()
    assert listed["name"] == "figlet"
    assert listed["namespace"] == "openfaas-fn"
    assert listed["envProcess"] == "figlet"
    assert listed["labels"] == {"team": "edge"}
    assert (listed["replicas"], listed["availableReplicas"]) == (1, 1)
    assert "invocationCount" not in listed  # omitempty: 0 is left out
    assert "readOnlyRootFilesystem" not in listed
    datetime.fromisoformat(listed["createdAt"])

    described = client.get("/system/function/figlet")
    assert described.status_code == 200
    assert described.headers["content-type"] == "application/json"
    assert described.json() == listed

    updated = client.put("/system/functions", json={"service": "figlet", "image": "figlet:2", "envVars": {"a": "b"}})
    assert updated.status_code == ok
    after = client.get("/system/function/figlet").json()
    assert (after["image"], after["envVars"], after["replicas"]) == ("figlet:2", {"a": "b"}, 1)
    # An update replaces the whole deployment (faasd reads labels back from the new container: none).
    assert after.get("labels") == ({} if flavour == "faasd" else None)

    deleted = client.request("DELETE", "/system/functions", json={"functionName": "figlet"})
    assert deleted.status_code == ok
    assert client.get("/system/functions").json() == []
    assert client.get("/system/function/figlet").status_code == 404


@FAAS_NETES
def test_status_carries_the_deployment(client: httpx.Client) -> None:
    deployment = {
        "constraints": ["node.platform.os == linux"],
        "secrets": ["api-key"],
        "annotations": {},
        "limits": {"memory": "128Mi", "nvidia.com/gpu": "1", "cpu": ""},
        "requests": {"cpu": "100m"},
        "readOnlyRootFilesystem": True,
        "registryAuth": "ignored",
    }
    deploy(client, "full", **deployment)
    status = client.get("/system/function/full").json()
    assert status["constraints"] == ["node.platform.os == linux"]
    assert status["secrets"] == ["api-key"]
    assert status["annotations"] == {}  # a map that was sent stays, even empty
    assert status["limits"] == {"memory": "128Mi", "nvidia.com/gpu": "1"}  # empty quantities are omitted
    assert status["requests"] == {"cpu": "100m"}
    assert status["readOnlyRootFilesystem"] is True
    assert "registryAuth" not in status


def test_missing_functions(client: httpx.Client) -> None:
    missing = client.get("/system/function/nope")
    assert (missing.status_code, missing.content) == (404, b"")
    assert client.put("/system/functions", json={"service": "nope", "image": "x"}).status_code == 404
    assert client.request("DELETE", "/system/functions", json={"functionName": "nope"}).status_code == 404
    # /system/* never takes the dotted name.namespace form
    deploy(client, "dotted")
    assert client.get("/system/function/dotted.openfaas-fn").status_code == 404


def answer(response: httpx.Response) -> tuple[int, str | None, str | None, str]:
    headers = response.headers
    return response.status_code, headers.get("content-type"), headers.get("x-content-type-options"), response.text


@FAAS_NETES
def test_faas_netes_in_its_own_words(client: httpx.Client) -> None:
    """faas-netes 0.18.13's handlers (pkg/handlers): http.Error's texts, bare statuses and Kubernetes' errors."""
    go_error, written = ("text/plain; charset=utf-8", "nosniff"), ("text/plain; charset=utf-8", None)
    deploy(client, "twice")
    assert answer(deploy(client, "twice")) == (
        500,
        *go_error,
        'unable create Deployment: deployments.apps "twice" already exists\n',
    )
    assert answer(client.put("/system/functions", json={"service": "nope", "image": "x"})) == (
        404,
        *go_error,
        'unable update Deployment: nope.openfaas-fn, error: deployments.apps "nope" not found\n',
    )
    delete = partial(client.request, "DELETE", "/system/functions")
    assert answer(delete(json={"functionName": "nope"})) == (404, *written, 'deployments.apps "nope" not found')
    assert answer(delete(json={})) == answer(delete(content=b"x")) == (400, None, None, "")  # bare WriteHeader
    assert answer(client.post("/system/scale-function/nope", json={"serviceName": "nope", "replicas": 1})) == (
        500,
        *written,
        "Unable to lookup function deployment nope",
    )
    # Delete and scale read the namespace from the query string only (and check it before the body).
    assert delete(params={"namespace": "dev"}, content=b"x").text == "namespace must be: openfaas-fn\n"
    scaled = client.post("/system/scale-function/twice", json={"namespace": "dev", "replicas": 1})
    assert (scaled.status_code, delete(json={"functionName": "twice", "namespace": "dev"}).status_code) == (202, 202)


@FAAS_NETES
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "unable to unmarshal"),
        (b"[]", "unable to unmarshal"),
        (b'{"image": "x"}', "service"),
        (b'{"service": "Bad_Name", "image": "x"}', "DNS-1123"),
        (b'{"service": "ok\\n", "image": "x"}', "DNS-1123"),  # Go's `$` is the end of the text, not of a line
        (b'{"service": "ok"}', "image is required"),
        (b'{"service": "ok", "image": "x", "envVars": ["a"]}', "envVars"),
        (b'{"service": "ok", "image": "x", "readOnlyRootFilesystem": "yes"}', "readOnlyRootFilesystem"),
    ],
)
def test_invalid_deployments_get_400(client: httpx.Client, body: bytes, message: str) -> None:
    response = client.post("/system/functions", content=body)
    assert response.status_code == 400
    assert message in response.text
    assert response.text.endswith("\n")  # Go's http.Error


def test_null_fields_are_accepted(client: httpx.Client, flavour: str) -> None:
    response = deploy(client, "nulls", envVars=None, labels=None, limits=None, namespace=None)
    assert response.status_code == SUCCESS[flavour]
    assert client.get("/system/function/nulls").json().get("labels") == ({} if flavour == "faasd" else None)


@FAAS_NETES
def test_fifteen_functions_at_most(client: httpx.Client, flavour: str) -> None:
    for index in range(15):
        assert deploy(client, f"fn-{index}").status_code == SUCCESS[flavour]
    refused = deploy(client, "fn-15")
    assert refused.status_code == 400
    assert "maximum: 15" in refused.text
    assert "maximum: 15" in deploy(client, "fn-0").text  # the limit comes first: a redeploy gets it too
    client.request("DELETE", "/system/functions", json={"functionName": "fn-0"})
    assert deploy(client, "fn-15").status_code == SUCCESS[flavour]


def test_scale(client: httpx.Client, flavour: str) -> None:
    deploy(client, "scaled")

    def scale(replicas: object, name: str = "scaled", path: str = "scaled") -> httpx.Response:
        return client.post(f"/system/scale-function/{path}", json={"serviceName": name, "replicas": replicas})

    assert scale(3).status_code == SUCCESS[flavour]
    status = client.get("/system/function/scaled").json()
    expected = 3 if flavour == "faas-netes" else 1  # faasd runs one container per function
    assert (status["replicas"], status["availableReplicas"]) == (expected, expected)
    assert scale(50).status_code == SUCCESS[flavour]
    assert client.get("/system/function/scaled").json()["replicas"] == (5 if flavour == "faas-netes" else 1)

    zero = scale(0)
    assert (zero.status_code, zero.text) == (400, "replicas cannot be set to 0 in OpenFaaS CE\n")
    assert scale(-1).status_code == 400
    assert scale(1.5).status_code == 400
    assert scale("2").status_code == 400
    assert client.post("/system/scale-function/scaled", content=b"nope").status_code == 400
    assert scale(2, name="ghost", path="ghost").status_code == (500 if flavour == "faas-netes" else 404)
    only_post = client.get("/system/scale-function/scaled")
    assert (only_post.status_code, only_post.text) == (405, "Only POST is allowed\n")


def test_scale_reads_the_name_where_the_provider_does(client: httpx.Client, flavour: str) -> None:
    deploy(client, "in-path")
    deploy(client, "in-body")
    client.post("/system/scale-function/in-path", json={"serviceName": "in-body", "replicas": 2})
    replicas = {fn["name"]: fn["replicas"] for fn in client.get("/system/functions").json()}
    if flavour == "faas-netes":
        assert replicas == {"in-path": 2, "in-body": 1}
    else:
        assert replicas == {"in-path": 1, "in-body": 1}  # faasd took the body's name (and runs one replica)


def test_replicas_are_omitted_when_zero(client: httpx.Client, gateway: FakeGateway) -> None:
    deploy(client, "idle")
    gateway.set_replicas("idle", 0)
    status = client.get("/system/function/idle").json()
    assert "replicas" not in status
    assert "availableReplicas" not in status
    assert "createdAt" in status
    gateway.set_replicas("idle", 1, available=0)
    status = client.get("/system/function/idle").json()
    assert (status["replicas"], "availableReplicas" in status) == (1, False)


def test_namespace_in_query_and_body(client: httpx.Client, flavour: str) -> None:
    deploy(client, "ns-fn", namespace="openfaas-fn")
    assert len(client.get("/system/functions", params={"namespace": "openfaas-fn"}).json()) == 1
    assert client.get("/system/function/ns-fn", params={"namespace": "openfaas-fn"}).status_code == 200
    # Delete and scale take the namespace from the body or from the query string.
    scaled = client.post(
        "/system/scale-function/ns-fn",
        params={"namespace": "openfaas-fn"},
        json={"serviceName": "ns-fn", "replicas": 1},
    )
    assert scaled.status_code == SUCCESS[flavour]
    deleted = client.request(
        "DELETE", "/system/functions", params={"namespace": "openfaas-fn"}, json={"functionName": "ns-fn"}
    )
    assert deleted.status_code == SUCCESS[flavour]


def test_secrets(client: httpx.Client, gateway: FakeGateway, flavour: str) -> None:
    ok = SUCCESS[flavour]
    assert client.get("/system/secrets").json() == []
    assert client.post("/system/secrets", json={"name": "api-key", "value": "s3cr3t"}).status_code == ok
    assert client.get("/system/secrets").json() == [{"name": "api-key", "namespace": "openfaas-fn"}]
    assert gateway.secret_value("api-key") == b"s3cr3t"

    again = client.post("/system/secrets", json={"name": "api-key", "value": "other"})
    if flavour == "faas-netes":
        assert again.status_code == 409
        assert gateway.secret_value("api-key") == b"s3cr3t"
    else:
        assert again.status_code == 200  # faasd overwrites
        assert gateway.secret_value("api-key") == b"other"

    raw = base64.b64encode(b"\x00\x01\xfe\xff").decode()
    assert client.put("/system/secrets", json={"name": "api-key", "rawValue": raw}).status_code == ok
    assert gateway.secret_value("api-key") == b"\x00\x01\xfe\xff"

    missing = client.put("/system/secrets", json={"name": "missing", "value": "v"})
    assert missing.status_code == (404 if flavour == "faas-netes" else 200)  # faasd's update is its create

    assert client.request("DELETE", "/system/secrets", json={"name": "api-key"}).status_code == ok
    # faas-netes: the API's 404; faasd: os.Remove's error, as a 500
    assert client.request("DELETE", "/system/secrets", json={"name": "api-key"}).status_code == (
        404 if flavour == "faas-netes" else 500
    )
    with pytest.raises(KeyError):
        gateway.secret_value("api-key")


def test_secret_delete_reads_the_namespace_from_query_or_body(client: httpx.Client, flavour: str) -> None:
    client.post("/system/secrets", json={"name": "a", "value": "1", "namespace": "openfaas-fn"})
    client.post("/system/secrets", json={"name": "b", "value": "2"})
    by_query = client.request("DELETE", "/system/secrets", params={"namespace": "openfaas-fn"}, json={"name": "a"})
    by_body = client.request("DELETE", "/system/secrets", json={"name": "b", "namespace": "openfaas-fn"})
    assert (by_query.status_code, by_body.status_code) == (SUCCESS[flavour], SUCCESS[flavour])
    assert client.get("/system/secrets", params={"namespace": "openfaas-fn"}).json() == []


@pytest.mark.parametrize(
    "body", [b"{}", b'{"name": ""}', b"nope", b'{"name": "k", "rawValue": "not base64!"}', b'{"name": 3}']
)
@FAAS_NETES
def test_invalid_secrets_get_400(client: httpx.Client, body: bytes) -> None:
    assert client.post("/system/secrets", content=body).status_code == 400


def test_faas_netes_has_only_the_default_namespace(connect: Connect) -> None:
    with FakeGateway() as gateway:
        client = connect(gateway)
        assert client.get("/system/namespaces").json() == ["openfaas-fn"]
        refused = deploy(client, "elsewhere", namespace="dev")
        assert (refused.status_code, refused.text) == (400, "namespace must be: openfaas-fn\n")
        assert client.get("/system/functions", params={"namespace": "dev"}).status_code == 400
        assert client.get("/system/secrets", params={"namespace": "dev"}).status_code == 400
        assert client.post("/system/secrets", json={"name": "s", "value": "v", "namespace": "dev"}).status_code == 400
        not_implemented = client.get("/system/namespace/dev")
        assert not_implemented.status_code == 501
        assert "not implemented" in not_implemented.text.lower()
        body = {"name": "dev", "labels": {"openfaas": "1"}}
        for method in ("POST", "PUT", "DELETE"):
            assert client.request(method, "/system/namespace/dev", json=body).status_code == 405


def test_routes_and_methods(client: httpx.Client) -> None:
    assert client.patch("/system/functions").status_code == 405
    assert client.post("/system/info").status_code == 405
    assert client.get("/system/alert").status_code == 405
    assert client.post("/system/function/x").status_code == 405
    assert client.patch("/system/namespace/x").status_code == 405
    not_found = client.get("/system/nothing")
    assert (not_found.status_code, not_found.text) == (404, "404 page not found\n")
    assert client.get("/").status_code == 404
    assert client.get("/system/telemetry").status_code == 404  # Pro only


def test_alert_scales_up_then_back(client: httpx.Client, flavour: str) -> None:
    deploy(client, "busy")

    def alert(status: str, function: str = "busy") -> httpx.Response:
        labels = {"alertname": "APIHighInvocationRate", "function_name": function, "namespace": "openfaas-fn"}
        return client.post(
            "/system/alert",
            json={"status": status, "receiver": "scale-up", "alerts": [{"status": status, "labels": labels}]},
        )

    assert alert("firing").status_code == 200
    assert client.get("/system/function/busy").json()["replicas"] == (2 if flavour == "faas-netes" else 1)
    assert alert("resolved").status_code == 200
    assert client.get("/system/function/busy").json()["replicas"] == 1
    assert alert("firing", function="unknown").status_code == 200
    assert client.post("/system/alert", content=b"nope").status_code == 400
    assert client.post("/system/alert", json={"status": "firing", "alerts": {}}).status_code == 400


def test_reset(client: httpx.Client, gateway: FakeGateway) -> None:
    deploy(client, "gone")
    client.post("/system/secrets", json={"name": "gone", "value": "v"})
    gateway.reset()
    assert client.get("/system/functions").json() == []
    assert client.get("/system/secrets").json() == []
    assert [request.path for request in gateway.requests] == ["/system/functions", "/system/secrets"]


def test_direct_deploy_follows_the_rules(gateway: FakeGateway) -> None:
    gateway.deploy("direct", labels={"com.openfaas.scale.min": "2"})
    with pytest.raises(ValueError, match="already exists"):
        gateway.deploy("direct")
    with pytest.raises(ValueError, match=r"DNS-1123|must match"):  # faas-netes's rule; containerd's for faasd
        gateway.deploy("not valid!")
    with pytest.raises(KeyError):
        gateway.set_replicas("missing", 1)
    with pytest.raises(ValueError, match="negative"):
        gateway.set_replicas("direct", -1)


def test_min_scale_label(client: httpx.Client, flavour: str) -> None:
    deploy(client, "warm", labels={"com.openfaas.scale.min": "2"})
    deploy(client, "odd", labels={"com.openfaas.scale.min": "lots"})
    replicas = {fn["name"]: fn["replicas"] for fn in client.get("/system/functions").json()}
    assert replicas == {"warm": 2 if flavour == "faas-netes" else 1, "odd": 1}


def test_constructor_checks() -> None:
    with pytest.raises(ValueError, match="flavour"):
        FakeGateway(flavour="swarm")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="together"):
        FakeGateway(username="admin")
    assert "secret" not in repr(FakeGateway(username="admin", password="secret", token="secret"))
