"""The generated models read and write realistic gateway payloads of both providers without loss."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from pyopenfaas._generated.models import (
    DeleteFunctionRequest,
    FunctionDeployment,
    FunctionNamespace,
    FunctionStatus,
    GatewayInfo,
    LogEntry,
    PrometheusAlert,
    ScaleServiceRequest,
    Secret,
    SecretDescription,
)
from pyopenfaas._generated.types import UNSET

from tests import payloads

CASES: list[tuple[type[Any], dict[str, Any]]] = [
    (FunctionStatus, payloads.FAAS_NETES_FUNCTION),
    (FunctionStatus, payloads.FAASD_FUNCTION),
    (FunctionDeployment, payloads.DEPLOYMENT),
    (Secret, payloads.SECRET_RAW),
    (Secret, payloads.SECRET_TEXT),
    (SecretDescription, payloads.SECRET_DESCRIPTION),
    (LogEntry, payloads.LOG_ENTRY),
    (GatewayInfo, payloads.GATEWAY_INFO_FAAS_NETES),
    (GatewayInfo, payloads.GATEWAY_INFO_FAASD),
    (GatewayInfo, payloads.GATEWAY_INFO_FAASD_PROVIDER),
    (FunctionNamespace, payloads.NAMESPACE),
    (ScaleServiceRequest, payloads.SCALE_REQUEST),
    (ScaleServiceRequest, payloads.SCALE_REQUEST_NO_NAMESPACE),
    (DeleteFunctionRequest, payloads.DELETE_REQUEST),
    (PrometheusAlert, payloads.ALERT),
]


def normalise(value: Any) -> Any:
    """Datetimes come back in Python's isoformat; compare them as instants."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and value[10:11] == "T":
        return datetime.datetime.fromisoformat(value).replace(microsecond=0)
    return value


@pytest.mark.parametrize(("model", "payload"), CASES, ids=lambda v: v.__name__ if isinstance(v, type) else "")
def test_round_trip(model: type[Any], payload: dict[str, Any]) -> None:
    parsed = model.from_dict(payload)
    assert normalise(parsed.to_dict()) == normalise(payload)
    assert normalise(model.from_dict(parsed.to_dict()).to_dict()) == normalise(payload)


def test_faasd_shape_reads_omitted_replicas_and_zero_created_at() -> None:
    status = FunctionStatus.from_dict(payloads.FAASD_FUNCTION)
    assert status.replicas is UNSET
    assert status.available_replicas is UNSET
    assert isinstance(status.created_at, datetime.datetime)
    assert status.created_at.year == 1


def test_faas_netes_shape_keeps_gpu_keys_and_nanosecond_times() -> None:
    status = FunctionStatus.from_dict(payloads.FAAS_NETES_FUNCTION)
    assert status.limits is not UNSET
    assert status.limits.nvidia_comgpu == "1"
    assert status.replicas == 2
    assert status.created_at == datetime.datetime(2026, 11, 20, 9, 14, 7, 123456, tzinfo=datetime.UTC)


def test_raw_value_is_base64_text_on_the_wire() -> None:
    secret = Secret.from_dict(payloads.SECRET_RAW)
    assert secret.raw_value == "AAEC/f7/"
    assert secret.value is UNSET


def test_null_provider_info() -> None:
    info = GatewayInfo.from_dict(payloads.GATEWAY_INFO_FAASD)
    assert info.provider is None
    assert info.version.release == "dev"
