"""The canned payloads in tests/payloads.py match their openapi.yaml schemas, and broken copies of them do not
(so the check is not one that passes whatever it is given)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue

from tests import payloads
from tests.contract.spec import Contract

SCHEMAS: dict[str, str] = {
    "FAAS_NETES_FUNCTION": "FunctionStatus",
    "FAASD_FUNCTION": "FunctionStatus",
    "DEPLOYMENT": "FunctionDeployment",
    "SECRET_RAW": "Secret",
    "SECRET_TEXT": "Secret",
    "SECRET_DESCRIPTION": "SecretDescription",
    "LOG_ENTRY": "LogEntry",
    "GATEWAY_INFO_FAAS_NETES": "GatewayInfo",
    "GATEWAY_INFO_FAASD": "GatewayInfo",
    "GATEWAY_INFO_FAASD_PROVIDER": "GatewayInfo",
    "NAMESPACE": "FunctionNamespace",
    "SCALE_REQUEST": "ScaleServiceRequest",
    "SCALE_REQUEST_NO_NAMESPACE": "ScaleServiceRequest",
    "DELETE_REQUEST": "DeleteFunctionRequest",
    "ALERT": "PrometheusAlert",
}

# One breaking change per payload, on a field the schema constrains.
BROKEN: dict[str, tuple[str, Any]] = {
    "FAAS_NETES_FUNCTION": ("replicas", -1),
    "FAASD_FUNCTION": ("createdAt", "yesterday"),
    "DEPLOYMENT": ("service", "Not_A_DNS_Label"),
    "SECRET_RAW": ("name", ""),
    "SECRET_TEXT": ("value", 42),
    "SECRET_DESCRIPTION": ("namespace", ["openfaas-fn"]),
    "LOG_ENTRY": ("timestamp", "noon"),
    "GATEWAY_INFO_FAAS_NETES": ("provider", "faas-netes-ce"),
    "GATEWAY_INFO_FAASD": ("version", None),
    "GATEWAY_INFO_FAASD_PROVIDER": ("arch", 64),
    "NAMESPACE": ("labels", {"openfaas": 1}),
    "SCALE_REQUEST": ("replicas", -1),
    "SCALE_REQUEST_NO_NAMESPACE": ("replicas", "1"),
    "DELETE_REQUEST": ("functionName", ""),
    "ALERT": ("alerts", [{"status": "firing"}]),
}


def canned() -> dict[str, dict[str, Any]]:
    return {
        name: value
        for name, value in vars(payloads).items()
        if name.isupper() and not name.startswith("_") and isinstance(value, dict)
    }


def test_every_canned_payload_has_a_schema() -> None:
    assert set(canned()) == set(SCHEMAS) == set(BROKEN)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_canned_payload_matches_its_schema(contract: Contract, name: str) -> None:
    contract.validate_schema(SCHEMAS[name], getattr(payloads, name))


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_a_broken_copy_does_not(contract: Contract, name: str) -> None:
    field, value = BROKEN[name]
    broken = {**copy.deepcopy(getattr(payloads, name)), field: value}
    with pytest.raises(InvalidSchemaValue):
        contract.validate_schema(SCHEMAS[name], broken)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_an_undescribed_property_does_not(contract: Contract, name: str) -> None:
    with pytest.raises(InvalidSchemaValue, match="unexpected"):
        contract.validate_schema(SCHEMAS[name], {**getattr(payloads, name), "undescribed": "x"})


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_required_property_is_required(contract: Contract, name: str) -> None:
    required = contract.document["components"]["schemas"][SCHEMAS[name]].get("required", [])
    assert required, f"{SCHEMAS[name]} has no required properties"
    for key in required:
        incomplete = {k: v for k, v in getattr(payloads, name).items() if k != key}
        with pytest.raises(InvalidSchemaValue):
            contract.validate_schema(SCHEMAS[name], incomplete)
