"""The generated models read and write realistic gateway payloads of both providers without loss."""

from __future__ import annotations

import datetime
import json
from typing import Any

import msgspec
import pytest
from pyopenfaas._generated.models import (
    DeleteFunctionRequest,
    Function,
    FunctionDeployment,
    GatewayInfo,
    LogEntry,
    Namespace,
    PrometheusAlert,
    ScaleServiceRequest,
    Secret,
    SecretBody,
)

from tests import payloads

CASES: list[tuple[type[Any], dict[str, Any]]] = [
    (Function, payloads.FAAS_NETES_FUNCTION),
    (Function, payloads.FAASD_FUNCTION),
    (FunctionDeployment, payloads.DEPLOYMENT),
    (SecretBody, payloads.SECRET_RAW),
    (SecretBody, payloads.SECRET_TEXT),
    (Secret, payloads.SECRET_DESCRIPTION),
    (LogEntry, payloads.LOG_ENTRY),
    (GatewayInfo, payloads.GATEWAY_INFO_FAAS_NETES),
    (GatewayInfo, payloads.GATEWAY_INFO_FAASD),
    (GatewayInfo, payloads.GATEWAY_INFO_FAASD_PROVIDER),
    (Namespace, payloads.NAMESPACE),
    (ScaleServiceRequest, payloads.SCALE_REQUEST),
    (ScaleServiceRequest, payloads.SCALE_REQUEST_NO_NAMESPACE),
    (DeleteFunctionRequest, payloads.DELETE_REQUEST),
    (PrometheusAlert, payloads.ALERT),
]


def normalise(value: Any) -> Any:
    """Times as instants to the microsecond; empty maps and lists, zero times and zeros as left out (Go's
    omitempty drops them, and so do the models)."""
    if isinstance(value, dict):
        kept = {k: normalise(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ({}, [], 0, False, None)}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and value[10:11] == "T":
        moment = datetime.datetime.fromisoformat(value[:26].rstrip("Z") + "+00:00" if "Z" in value else value)
        return None if moment.year == 1 else moment.replace(microsecond=moment.microsecond // 1000)
    return value


@pytest.mark.parametrize(("model", "payload"), CASES, ids=lambda v: v.__name__ if isinstance(v, type) else "")
def test_round_trip(model: type[Any], payload: dict[str, Any]) -> None:
    parsed = msgspec.json.decode(json.dumps(payload), type=model)
    assert normalise(parsed.to_dict()) == normalise(payload)
    assert msgspec.json.decode(msgspec.json.encode(parsed), type=model) == parsed
    assert model.from_dict(parsed.to_dict()) == parsed


def test_faasd_shape_reads_omitted_replicas_as_zero_and_zero_created_at_as_none() -> None:
    status = msgspec.json.decode(json.dumps(payloads.FAASD_FUNCTION), type=Function)
    assert (status.replicas, status.available_replicas) == (0, 0)
    assert status.created_at is None
    assert (status.limits, status.usage) == (None, None)


def test_faas_netes_shape_keeps_gpu_keys_and_nanosecond_times() -> None:
    status = msgspec.json.decode(json.dumps(payloads.FAAS_NETES_FUNCTION), type=Function)
    assert status.limits is not None
    assert status.limits["nvidia.com/gpu"] == "1"
    assert status.replicas == 2
    # Nanoseconds are rounded to the microsecond.
    assert status.created_at == datetime.datetime(2026, 11, 20, 9, 14, 7, 123457, tzinfo=datetime.UTC)


def test_raw_value_is_base64_text_on_the_wire() -> None:
    secret = msgspec.json.decode(json.dumps(payloads.SECRET_RAW), type=SecretBody)
    assert secret.raw_value == "AAEC/f7/"
    assert secret.value is None


def test_null_provider_info() -> None:
    info = msgspec.json.decode(json.dumps(payloads.GATEWAY_INFO_FAASD), type=GatewayInfo)
    assert info.provider is None
    assert info.version.release == "dev"


def test_request_bodies_leave_out_what_was_not_given() -> None:
    body = ScaleServiceRequest(service_name="figlet", replicas=0)
    assert json.loads(msgspec.json.encode(body)) == {"serviceName": "figlet", "replicas": 0}


def test_secret_values_never_appear_in_a_repr() -> None:
    """`x-secret` in openapi.yaml: the request body that carries a secret hides it, in repr and rich repr."""
    for body in (SecretBody(name="api-key", value="s3cr3t"), SecretBody(name="api-key", raw_value="czNjcjN0")):
        assert "s3cr3t" not in repr(body)
        assert "czNjcjN0" not in repr(body)
        assert "api-key" in repr(body)
        assert "s3cr3t" not in str(list(body.__rich_repr__()))
    assert json.loads(msgspec.json.encode(SecretBody(name="k", value="s3cr3t")))["value"] == "s3cr3t"


def test_from_dict_checks_as_an_answer_is_checked() -> None:
    with pytest.raises(ValueError, match="replicas"):
        Function.from_dict({"name": "figlet", "image": "img:1", "replicas": -1})
