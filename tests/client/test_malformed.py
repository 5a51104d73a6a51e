"""Answers that do not match openapi.yaml raise APIResponseValidationError naming what is wrong, on both clients.
(The contract server confirms that each of these answers really breaks the spec.)"""

from __future__ import annotations

from typing import Any

import pytest
from pyopenfaas import APIResponseValidationError

from tests import payloads
from tests.contract.server import Gateway
from tests.support.clients import Client, resolve

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("path", "served", "call", "named"),
    [
        ("/system/functions", {"name": "figlet"}, lambda c: c.functions.list(), "array"),
        ("/system/functions", [{"name": "figlet"}], lambda c: c.functions.list(), "image"),
        ("/system/functions", [{"name": 7, "image": "x"}], lambda c: c.functions.list(), "name"),
        ("/system/function/figlet", "not json at all", lambda c: c.functions.get("figlet"), "malformed"),
        ("/system/function/figlet", [payloads.FAASD_FUNCTION], lambda c: c.functions.get("figlet"), "function"),
        ("/system/info", {**payloads.GATEWAY_INFO_FAASD, "arch": None}, lambda c: c.info(), "arch"),
        ("/system/info", {**payloads.GATEWAY_INFO_FAASD, "provider": "faasd"}, lambda c: c.info(), "provider"),
        ("/system/namespaces", ["openfaas-fn", 7], lambda c: c.namespaces.list(), "str"),
        ("/system/namespaces", {"names": []}, lambda c: c.namespaces.list(), "malformed"),
        ("/system/secrets", [{"namespace": "openfaas-fn"}], lambda c: c.secrets.list(), "malformed"),
        ("/system/namespace/staging", {"name": "staging", "labels": {"a": 1}}, lambda c: c.namespaces.get("staging"),
         "labels"),
    ],
    ids=[
        "list-not-array", "list-item-no-image", "list-name-not-string", "get-not-json", "get-array", "info-no-arch",
        "info-provider-string", "namespaces-not-strings", "namespaces-object", "secret-no-name", "namespace-labels",
    ],
)  # fmt: skip
async def test_malformed_answers_raise(
    client: Client, gateway: Gateway, path: str, served: Any, call: Any, named: str
) -> None:
    gateway.serve_bad_responses()
    if isinstance(served, str):
        gateway.server.expect_request(path).respond_with_data(served, content_type="application/json")
    else:
        gateway.server.expect_request(path).respond_with_json(served)
    with pytest.raises(APIResponseValidationError, match=named) as caught:
        await resolve(call(client))
    assert path in str(caught.value) or named in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("replicas", "two"),
        ("availableReplicas", -1),
        ("invocationCount", -3),
        ("createdAt", "yesterday"),
        ("envVars", {"a": 1}),
        ("secrets", "api-key"),
        ("readOnlyRootFilesystem", "yes"),
        ("usage", {"cpu": "lots"}),
    ],
)
async def test_a_malformed_field_raises_naming_it(client: Client, gateway: Gateway, field: str, value: Any) -> None:
    """Checked when the answer arrives, against openapi.yaml's types and minimums."""
    gateway.serve_bad_responses()
    gateway.server.expect_request("/system/function/figlet").respond_with_json(
        {**payloads.FAAS_NETES_FUNCTION, field: value}
    )
    with pytest.raises(APIResponseValidationError, match=field):
        await resolve(client.functions.get("figlet"))
