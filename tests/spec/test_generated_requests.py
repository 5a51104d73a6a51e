"""Each generated `request(...)` carries its answer's type and decoder (`Request[T]`): mypy checks the types
asserted here (`make typecheck`), pytest what the decoders make of real and malformed bodies."""

from __future__ import annotations

from typing import assert_type

import msgspec
import pytest
from pyopenfaas._generated.api.internal import healthcheck
from pyopenfaas._generated.api.system import get_function_status, get_functions, get_system_info, list_namespaces
from pyopenfaas._generated.models import Function, GatewayInfo
from pyopenfaas._generated.types import Request

from tests import payloads


def test_a_read_operation_decodes_into_its_schema() -> None:
    spec = get_function_status.request("figlet")
    assert_type(spec, Request[Function])
    function = spec.decode(msgspec.json.encode(payloads.FAASD_FUNCTION))
    assert isinstance(function, Function)
    assert function.name == payloads.FAASD_FUNCTION["name"]
    info = get_system_info.request()
    assert_type(info, Request[GatewayInfo])
    assert isinstance(info.decode(msgspec.json.encode(payloads.GATEWAY_INFO_FAAS_NETES)), GatewayInfo)


def test_an_array_answer_is_a_list_and_null_reads_as_empty() -> None:
    functions = get_functions.request(namespace="dev")
    assert_type(functions, Request[list[Function]])
    assert functions.params == {"namespace": "dev"}
    assert functions.decode(b"null") == []
    [function] = functions.decode(msgspec.json.encode([payloads.FAAS_NETES_FUNCTION]))
    assert isinstance(function, Function)
    namespaces = list_namespaces.request()
    assert_type(namespaces, Request[list[str]])
    assert namespaces.decode(b'["openfaas-fn"]') == ["openfaas-fn"]
    assert namespaces.decode(b"null") == []


def test_a_non_json_answer_is_not_decoded() -> None:
    spec = healthcheck.request()
    assert_type(spec, Request[None])
    assert spec.decode(b"OK") is None


@pytest.mark.parametrize("body", [b"", b"{}", b'{"name": "f"}', b"[]", b'{"name": "f", "image": "i", "replicas": -1}'])
def test_a_body_that_does_not_fit_raises_a_decode_error(body: bytes) -> None:
    with pytest.raises(msgspec.DecodeError):
        get_function_status.request("figlet").decode(body)
