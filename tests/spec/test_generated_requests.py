"""Each generated `request(...)` carries its answer's type and decoder (`Request[T]`): mypy checks the types
asserted here (`make typecheck`), pytest what the decoders make of real and malformed bodies, and what a request
holds (only the parameters given, as text; a path parameter quoted whole; the body and its Content-Type)."""

from __future__ import annotations

import datetime
from typing import assert_type
from urllib.parse import quote

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyopenfaas._generated.api.internal import healthcheck
from pyopenfaas._generated.api.system import (
    delete_function,
    get_function_logs,
    get_function_status,
    get_functions,
    get_system_info,
    list_namespaces,
)
from pyopenfaas._generated.models import DeleteFunctionRequest, Function, GatewayInfo
from pyopenfaas._generated.types import Request
from pyopenfaas._generated_builder.api.builder import build

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


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_a_path_parameter_is_quoted_whole_as_urllib_quotes_it(name: str) -> None:
    spec = get_function_status.request(name)
    assert spec.url == "/system/function/" + quote(name, safe="")


def test_requests_carry_only_what_was_given() -> None:
    since = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)
    logs = get_function_logs.request(name="figlet", tail=5, follow=False, since=since)
    assert logs.params == {"name": "figlet", "tail": "5", "follow": "false", "since": "2024-05-01T12:00:00Z"}
    assert (logs.headers, logs.content) == (None, None)
    assert (get_functions.request().params, get_function_status.request("figlet", usage="1").params) == (
        None,
        {"usage": "1"},
    )
    delete = delete_function.request(body=DeleteFunctionRequest(function_name="figlet"), namespace="dev")
    assert (delete.method, delete.url, delete.params) == ("DELETE", "/system/functions", {"namespace": "dev"})
    assert (delete.headers, delete.content) == ({"Content-Type": "application/json"}, b'{"functionName":"figlet"}')
    tar = build.request(body=b"tar", x_build_signature="sha256=ab")
    assert tar.headers == {"X-Build-Signature": "sha256=ab", "Content-Type": "application/octet-stream"}
    assert tar.content == b"tar"
