"""The fake gateway checked against our openapi.yaml by schemathesis: every answer to a valid request is one the
spec describes (status, content type, headers, body schema), and none is a 5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import requests
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from pyopenfaas.testing import FakeGateway
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import payloads

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"


def no_server_error(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> None:
    """No 5xx, except the gateway's documented ones: 501 "the provider does not do this" (faas-netes CE
    namespaces, logs of a function the provider does not know) and the proxy's 503 for a function with no
    endpoint (invoking a name that is not deployed)."""
    if response.status_code == 503 and response.headers.get("x-openfaas-internal") == ["proxy"]:
        return
    assert response.status_code < 500 or response.status_code == 501, f"{response.status_code}: {response.text}"


CHECKS = [
    no_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
USERNAME, PASSWORD = "admin", "pw"
SEEDED = ("0", "a")

schema = schemathesis.openapi.from_path(SPEC)
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])
schema.config.phases.coverage.enabled = False


@pytest.fixture(scope="module", params=["faas-netes", "faasd"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[FakeGateway, str, requests.Session]]:
    gateway = FakeGateway(flavour=request.param, username=USERNAME, password=PASSWORD)
    with gateway, gateway.serve() as url, requests.Session() as session:
        session.auth = (USERNAME, PASSWORD)
        session.trust_env = False
        yield gateway, url, session


def seed(gateway: FakeGateway, url: str, session: requests.Session) -> None:
    """A fresh gateway holding the names generated requests most often use ("0", "a"), so that reads find
    something: "0" with every deployment field set, "a" scaled to zero (its replica counts are then omitted)."""
    gateway.reset()
    session.post(f"{url}/system/secrets", json=payloads.SECRET_TEXT)  # faasd checks a deployment's secrets exist
    deployed = session.post(f"{url}/system/functions", json={**payloads.DEPLOYMENT, "service": "0"})
    assert deployed.ok, deployed.text
    gateway.write_log("0", "hello")
    gateway.deploy("a")
    gateway.write_log("a", "hello")
    gateway.set_replicas("a", 0)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_fake_gateway_conforms_to_the_spec(
    case: schemathesis.Case[Any], served: tuple[FakeGateway, str, requests.Session]
) -> None:
    gateway, url, session = served
    seed(gateway, url, session)
    operation = str(case.operation.definition.raw.get("operationId"))
    if operation == "GetFunctionLogs" and case.query:
        case.query["follow"] = False  # a followed stream never ends; test_logs covers follow=true
    if operation == "DeployFunction" and isinstance(case.body, dict) and case.body.get("service") in SEEDED:
        # Deploying a function that exists: faas-netes's documented 500, faasd's 400 ("already exists").
        response = case.call_and_validate(base_url=url, session=session, checks=CHECKS[1:])
        exists = 500 if gateway.flavour == "faas-netes" else 400
        assert response.status_code == exists or case.body.get("namespace") not in (None, "openfaas-fn")
    elif operation == "ScaleFunction" and gateway.flavour == "faas-netes":
        # faas-netes answers a scale of a function that is not there with a 500 (its failed lookup).
        response = case.call_and_validate(base_url=url, session=session, checks=CHECKS[1:])
        assert response.status_code != 500 or case.path_parameters.get("functionName") not in SEEDED
    elif operation == "DeleteSecret" and gateway.flavour == "faasd":
        # faasd answers a secret that is not there with os.Remove's error, as a 500.
        case.call_and_validate(base_url=url, session=session, checks=CHECKS[1:])
    elif operation.startswith("InvokeFunction"):
        # A function answers with any Content-Type (`*/*` in the spec) or none at all (empty bodies, HEAD), and
        # its body is opaque bytes: schemathesis would insist on a Content-Type and parse `*/*` as JSON. The
        # status code and the gateway's headers (X-Call-Id, X-Start-Time, X-Served-By) are still checked.
        checks = [check for check in CHECKS if check not in (content_type_conformance, response_schema_conformance)]
        case.call_and_validate(base_url=url, session=session, checks=checks)
    else:
        case.call_and_validate(base_url=url, session=session, checks=CHECKS)
    gateway.wait_idle()


@pytest.mark.parametrize("flavour", ["faas-netes", "faasd"])
def test_log_lines_are_log_entries(flavour: str) -> None:
    """Schemathesis sees the log stream as text (its sniffed Content-Type); check each NDJSON line here."""
    spec = yaml.safe_load(SPEC.read_text())
    entry_schema = {**spec["components"]["schemas"]["LogEntry"], "additionalProperties": False}
    validator = jsonschema.Draft202012Validator(entry_schema, format_checker=jsonschema.FormatChecker())
    with FakeGateway(flavour=flavour) as gateway:  # type: ignore[arg-type]
        client = httpx.Client(transport=gateway.transport(), base_url="http://fake")
        gateway.deploy("fn", handler=lambda request: request.log('a line\n\n  spaced \u00e9 "quoted"'))
        client.post("/function/fn")
        with client.stream("GET", "/system/logs", params={"name": "fn", "follow": "true"}) as response:
            lines = response.iter_lines()
            entries = [json.loads(next(lines)) for _ in range(4)]
            gateway.write_log("fn", "followed")
            entries.append(json.loads(next(lines)))
    for entry in entries:
        validator.validate(entry)
    assert [entry["text"] for entry in entries][1:] == ["a line", "", '  spaced \u00e9 "quoted"', "followed"]
