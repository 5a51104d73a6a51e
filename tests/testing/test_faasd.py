"""The faasd flavour answers as faasd's own handlers do (openfaas/faasd pkg/provider/handlers and pkg/logs):
status, headers and body text, each answer checked here. The facts are in docs/gateway-behaviour.md."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from pyopenfaas.testing import FakeGateway

from .conftest import Connect

LABELS = {"openfaas": "1"}


@pytest.fixture
def faasd(connect: Connect) -> Iterator[tuple[FakeGateway, httpx.Client]]:
    with FakeGateway(flavour="faasd") as gateway:
        yield gateway, connect(gateway)


def deploy(client: httpx.Client, name: str, **fields: object) -> httpx.Response:
    return client.post("/system/functions", json={"service": name, "image": "ghcr.io/openfaas/figlet:latest", **fields})


def go_error(response: httpx.Response, status: int, text: str) -> None:
    """What Go's http.Error writes."""
    assert (response.status_code, response.text) == (status, f"{text}\n")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"


def bare(response: httpx.Response, status: int) -> None:
    """A bare WriteHeader, or a handler that wrote nothing: no body, so no Content-Type either."""
    assert (response.status_code, response.content) == (status, b"")
    assert "content-type" not in response.headers


# ---- deploy (deploy.go) -------------------------------------------------------------------------------------------


def test_deploy_succeeds_with_an_empty_200(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    bare(deploy(client, "figlet"), 200)


def test_a_second_deploy_of_the_same_function_is_containerds_400(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    deploy(client, "figlet")
    go_error(
        deploy(client, "figlet"),
        400,
        'unable to create container: figlet, error: snapshot "figlet-snapshot": already exists',
    )


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (b"", "unexpected end of JSON input"),
        (b'{"service": "a"', "unexpected end of JSON input"),
        (b"{not json}", "invalid character 'n' looking for beginning of object key string"),
        (b"[]", "json: cannot unmarshal array into Go value of type types.FunctionDeployment"),
        (
            b'{"service": 1}',
            "json: cannot unmarshal number into Go struct field FunctionDeployment.service of type string",
        ),
        (
            b'{"service": "a", "envVars": ["x"]}',
            "json: cannot unmarshal array into Go struct field FunctionDeployment.envVars of type map[string]string",
        ),
        (
            b'{"service": "a", "readOnlyRootFilesystem": "yes"}',
            "json: cannot unmarshal string into Go struct field FunctionDeployment.readOnlyRootFilesystem of type bool",
        ),
    ],
)
def test_an_undecodable_deployment_is_gos_own_400(
    faasd: tuple[FakeGateway, httpx.Client], body: bytes, text: str
) -> None:
    _, client = faasd
    go_error(client.post("/system/functions", content=body), 400, text)
    go_error(client.put("/system/functions", content=body), 400, text)


def test_deploy_refusals_in_faasds_words(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    go_error(deploy(client, "fn", namespace="dev"), 400, "namespace not valid")
    go_error(deploy(client, "fn", secrets=["api-key"]), 400, "unable to find secret: api-key")
    go_error(client.post("/system/functions", json={"service": "fn"}), 400, "invalid reference format")
    go_error(
        deploy(client, "not valid!"),
        400,
        "unable to create container: not valid!, error: create container failed validation: container.ID: identifier "
        '"not valid!" must match ^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$: invalid argument',
    )
    bare(deploy(client, "Mixed_Case.ok"), 200)  # containerd's identifiers are all faasd asks of a name
    client.post("/system/secrets", json={"name": "api-key", "value": "v"})
    bare(deploy(client, "fn", secrets=["api-key"]), 200)


def test_the_ce_licence_allows_fifteen_functions(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    for index in range(15):
        bare(deploy(client, f"fn-{index}"), 200)
    refused = deploy(client, "fn-15")
    go_error(refused, 400, "the OpenFaaS CE EULA allows 15/16 function(s), upgrade to faasd Pro to continue")
    # The limit is checked before containerd looks for the function: even a redeploy gets it.
    assert "EULA" in deploy(client, "fn-0").text


def test_the_ce_licence_allows_one_namespace(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    assert client.post("/system/namespace/", json={"name": "dev", "labels": LABELS}).status_code == 201
    refused = deploy(client, "fn")
    go_error(refused, 400, "the OpenFaaS CE EULA allows 1/2 namespace(s), upgrade to faasd Pro to continue")
    go_error(deploy(client, "fn", namespace="dev"), 400, "namespace not valid")  # labelled "1", not "true"


def test_ce_limits_false_lifts_the_licence_limits(connect: Connect) -> None:
    with FakeGateway(flavour="faasd", ce_limits=False) as gateway:
        client = connect(gateway)
        client.post("/system/namespace/", json={"name": "dev", "labels": LABELS})
        for index in range(16):
            bare(deploy(client, f"fn-{index}", namespace="dev" if index % 2 else None), 200)
        assert len(client.get("/system/functions", params={"namespace": "dev"}).json()) == 8
        go_error(deploy(client, "fn", namespace="unknown"), 400, "namespace not valid")


# ---- update, delete, scale (update.go, delete.go, scale.go) ---------------------------------------------------------


def test_update(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    go_error(client.put("/system/functions", json={"service": "ghost", "image": "x"}), 404,
             "function: ghost.openfaas-fn not found")  # fmt: skip
    go_error(client.put("/system/functions", json={"service": "a", "namespace": "dev", "image": "x"}), 400,
             "namespace not valid")  # fmt: skip
    deploy(client, "fn")
    bare(client.put("/system/functions", json={"service": "fn", "image": "fn:2"}), 200)
    # A missing secret is reported, but faasd's handler goes on and replaces the function all the same.
    missing = client.put("/system/functions", json={"service": "fn", "image": "fn:3", "secrets": ["nope"]})
    go_error(missing, 400, "unable to find secret: nope")
    assert client.get("/system/function/fn").json()["image"] == "fn:3"


def test_update_checks_the_licence_limits_first(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    deploy(client, "fn")
    client.post("/system/namespace/", json={"name": "dev", "labels": LABELS})
    refused = client.put("/system/functions", json={"service": "ghost", "image": "x"})  # preDeploy(0), then the lookup
    go_error(refused, 400, "the OpenFaaS CE EULA allows 1/2 namespace(s), upgrade to faasd Pro to continue")


def test_delete(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    go_error(client.request("DELETE", "/system/functions", json={"functionName": "ghost"}), 404,
             "function ghost.openfaas-fn not found")  # fmt: skip
    go_error(client.request("DELETE", "/system/functions", json={}), 404, "function .openfaas-fn not found")
    go_error(client.request("DELETE", "/system/functions", content=b"x"), 400,
             "invalid character 'x' looking for beginning of value")  # fmt: skip
    deploy(client, "fn")
    # The namespace comes from the body only ("namespace moved from the querystring into the body").
    go_error(client.request("DELETE", "/system/functions", json={"functionName": "fn", "namespace": "dev"}),
             400, "namespace not valid")  # fmt: skip
    bare(client.request("DELETE", "/system/functions", params={"namespace": "dev"}, json={"functionName": "fn"}), 200)


def test_scale(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    missing = client.post("/system/scale-function/ghost", json={"serviceName": "ghost", "replicas": 1})
    go_error(missing, 404, "function: ghost.openfaas-fn not found")
    deploy(client, "fn")
    bare(client.post("/system/scale-function/other", json={"serviceName": "fn", "replicas": 1}), 200)  # the body's
    # The namespace too comes from the body only.
    scaled = client.post("/system/scale-function/fn", json={"serviceName": "fn", "namespace": "dev", "replicas": 1})
    go_error(scaled, 400, "namespace not valid")
    by_query = client.post(
        "/system/scale-function/fn", params={"namespace": "dev"}, json={"serviceName": "fn", "replicas": 1}
    )
    bare(by_query, 200)


# ---- reading functions (read.go, replicas.go) -----------------------------------------------------------------------


def test_reading_functions(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    bare(client.get("/system/function/ghost"), 404)
    go_error(client.get("/system/function/x", params={"namespace": "dev"}), 400, "namespace not valid")
    go_error(client.get("/system/functions", params={"namespace": "dev"}), 400, "namespace not valid")
    client.post("/system/secrets", json={"name": "key", "value": "v"})
    deploy(
        client,
        "fn",
        envProcess="cat",
        secrets=["key"],
        constraints=["x"],
        limits={"memory": "128Mi", "cpu": "1"},
        requests={"cpu": "100m"},
        readOnlyRootFilesystem=True,
    )
    described = client.get("/system/function/fn")
    assert described.headers["content-type"] == "application/json"
    status = described.json()
    # Read back from the container: labels and annotations always, no constraints, requests or read-only flag,
    # and no limits when describing one function.
    assert set(status) == {
        "name", "image", "namespace", "envProcess", "secrets", "labels", "annotations", "replicas",
        "availableReplicas", "createdAt",
    }  # fmt: skip
    assert (status["labels"], status["annotations"]) == ({}, {})
    [listed] = client.get("/system/functions").json()
    assert listed["limits"] == {"memory": "128Mi"}  # the listing reports the memory limit only


# ---- secrets (secret.go) -------------------------------------------------------------------------------------------


def test_secrets(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    gateway, client = faasd
    listed = client.get("/system/secrets")
    assert (listed.status_code, listed.json()) == (200, [])
    assert listed.headers["content-type"] == "text/plain; charset=utf-8"  # written without one: Go sniffs it
    go_error(client.get("/system/secrets", params={"namespace": "dev"}), 400, "namespace not valid")

    go_error(
        client.post("/system/secrets", content=b"nope"), 500, "invalid character 'o' in literal null (expecting 'u')"
    )
    go_error(client.post("/system/secrets", json={"name": " "}), 400, "non-empty name is required")
    go_error(client.post("/system/secrets", json={"name": "../x"}), 400, "directory traversal found in name")
    go_error(client.post("/system/secrets", json={"name": 3}), 500,
             "json: cannot unmarshal number into Go struct field Secret.name of type string")  # fmt: skip
    # No namespace check on create: faasd writes the file wherever it is told.
    bare(client.post("/system/secrets", json={"name": "k", "value": "v", "namespace": "anywhere"}), 200)
    assert gateway.secret_value("k", namespace="anywhere") == b"v"

    go_error(client.request("DELETE", "/system/secrets", json={"name": "gone"}), 500,
             "remove /var/lib/faasd-provider/secrets/openfaas-fn/gone: no such file or directory")  # fmt: skip
    # The namespace of a delete comes from the query string only.
    bare(client.request("DELETE", "/system/secrets", params={"namespace": "anywhere"}, json={"name": "k"}), 200)


# ---- namespaces (namespaces.go, mutate_namespaces.go) ---------------------------------------------------------------


def test_namespaces(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    _, client = faasd
    listed = client.get("/system/namespaces")
    assert (listed.json(), listed.headers["content-type"]) == (["openfaas-fn"], "application/json")
    for name in ("zeta", "alpha"):
        client.post("/system/namespace/", json={"name": name, "labels": LABELS})
    # ListNamespaces: the default first, then containerd's labelled namespaces in its order (by name).
    assert client.get("/system/namespaces").json() == ["openfaas-fn", "alpha", "zeta"]
    for name in ("zeta", "alpha"):
        client.request("DELETE", f"/system/namespace/{name}", json={"name": name, "labels": LABELS})
    # The default namespace is containerd's, without the API's openfaas=1 label: not found through the API.
    go_error(client.get("/system/namespace/openfaas-fn"), 404, "namespace openfaas-fn not found")
    go_error(client.get("/system/namespace/"), 400, "namespace not specified in URL")

    go_error(
        client.post("/system/namespace/", content=b"{"), 400, "error parsing request body: unexpected end of JSON input"
    )
    go_error(client.post("/system/namespace/", json={"labels": LABELS}), 400, "namespace not specified in request body")
    go_error(client.post("/system/namespace/", json={"name": "dev"}), 400, "request does not have openfaas=1 label")
    go_error(client.post("/system/namespace/", json={"name": "not valid!", "labels": LABELS}), 400,
             'namespace.Name: identifier "not valid!" must match ^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$: '
             "invalid argument")  # fmt: skip
    created = client.post("/system/namespace/", json={"name": "dev", "labels": LABELS, "annotations": {"a": "b"}})
    bare(created, 201)
    go_error(
        client.post("/system/namespace/", json={"name": "dev", "labels": LABELS}), 409, "namespace dev already exists"
    )

    got = client.get("/system/namespace/dev")
    assert got.headers["content-type"] == "application/json"
    assert got.content == b'{"name":"dev","labels":{"openfaas":"1"}}\n'  # json.Encoder: annotations are not kept

    body = {"name": "dev", "labels": {**LABELS, "team": "a"}}
    go_error(client.put("/system/namespace/", json=body), 400, "namespace not specified in URL")
    go_error(client.put("/system/namespace/other", json=body), 400,
             "namespace in request body does not match namespace in URL")  # fmt: skip
    go_error(client.put("/system/namespace/nope", json={"name": "nope", "labels": LABELS}), 404,
             "namespace nope not found")  # fmt: skip
    bare(client.put("/system/namespace/dev", json=body), 202)
    assert client.get("/system/namespace/dev").json()["labels"] == {**LABELS, "team": "a"}

    go_error(client.request("DELETE", "/system/namespace/dev", json={"name": "dev"}), 400,
             "request does not have openfaas=1 label")  # fmt: skip
    bare(client.request("DELETE", "/system/namespace/dev", json={"name": "dev", "labels": LABELS}), 202)
    go_error(client.request("DELETE", "/system/namespace/dev", json={"name": "dev", "labels": LABELS}), 404,
             "namespace dev not found")  # fmt: skip
    refused = client.request("DELETE", "/system/namespace/openfaas-fn", json={"name": "openfaas-fn", "labels": LABELS})
    assert refused.status_code == 500
    assert re.fullmatch(
        r'namespace "openfaas-fn" must be empty, but it still has .*: failed precondition\n', refused.text
    )


# ---- logs (pkg/logs: journalctl) -----------------------------------------------------------------------------------


def read_logs(client: httpx.Client, **params: str) -> list[dict[str, str]]:
    response = client.get("/system/logs", params=params)
    assert response.status_code == 200
    return [json.loads(line) for line in response.text.splitlines()]


def test_logs(faasd: tuple[FakeGateway, httpx.Client]) -> None:
    gateway, client = faasd
    assert read_logs(client, name="ghost") == []  # journalctl finds nothing; no 404
    deploy(client, "fn")
    gateway.write_log("fn", "hello")
    entries = read_logs(client, name="fn")
    assert [entry["text"] for entry in entries][-1] == "hello"
    assert all(re.fullmatch(r"[0-9]+", entry["instance"]) for entry in entries)  # journald's _PID
    assert read_logs(client, name="fn", instance="something-else") == entries  # faasd does not filter by instance
    assert read_logs(client, name="fn", since="2999-01-01T00:00:00Z") == entries  # a future since: the last 5 min
