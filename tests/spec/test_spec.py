"""openapi.yaml is a valid OpenAPI document and the generated client covers it."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op) for path, item in SPEC["paths"].items() for method, op in item.items() if method in METHODS
    ]


def module_name(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def test_spec_validates() -> None:
    validate(SPEC)


def test_every_required_operation_is_described() -> None:
    described = {(method.upper(), path) for method, path, _ in operations()}
    required = {
        ("GET", "/healthz"),
        ("GET", "/system/info"),
        ("POST", "/system/alert"),
        *((m, "/system/functions") for m in ("GET", "POST", "PUT", "DELETE")),
        ("GET", "/system/function/{functionName}"),
        ("POST", "/system/scale-function/{functionName}"),
        *((m, "/system/secrets") for m in ("GET", "POST", "PUT", "DELETE")),
        ("GET", "/system/logs"),
        ("GET", "/system/namespaces"),
        *((m, "/system/namespace/{namespace}") for m in ("GET", "POST", "PUT", "DELETE")),
        ("POST", "/async-function/{functionName}"),
        *((m, "/function/{functionName}") for m in ("GET", "POST", "PUT", "PATCH", "DELETE")),
    }
    assert required <= described, sorted(required - described)


def test_security_is_applied() -> None:
    assert {"basicAuth", "bearerAuth"} == set(SPEC["components"]["securitySchemes"])
    assert SPEC["security"] == [{"basicAuth": []}, {"bearerAuth": []}]
    for method, path, op in operations():
        unauthenticated = path.startswith(("/function/", "/async-function/")) or path == "/healthz"
        assert ("security" in op and op["security"] == []) == unauthenticated, (method, path)


@pytest.mark.parametrize(("method", "path", "op"), operations(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_operation_has_a_generated_module_or_says_why_not(method: str, path: str, op: dict[str, Any]) -> None:
    """`x-not-generated` marks an operation the wrapper sends by hand (the generated code cannot serve it, or
    nothing uses it), with the reason; every other operation has its generated `request(...)`."""
    name = f"pyopenfaas._generated.api.{op['tags'][0]}.{module_name(op['operationId'])}"
    if "x-not-generated" in op:
        assert op["x-not-generated"].strip()
        assert not (ROOT / "wrapper" / name.replace(".", "/")).with_suffix(".py").exists()
        return
    module = importlib.import_module(name)
    source = inspect.getsource(module.request)
    assert f'"{method.upper()}"' in source
    assert path.split("{", 1)[0] in source
    assert inspect.signature(module.request).return_annotation.startswith("Request[")


def test_faas_provider_field_names_and_types() -> None:
    schemas = SPEC["components"]["schemas"]
    assert set(schemas["FunctionResources"]["properties"]) == {
        "memory",
        "cpu",
        "nvidia.com/gpu",
        "amd.com/gpu",
        "intel.com/gpu",
    }
    status = schemas["FunctionStatus"]["properties"]
    assert status["replicas"]["type"] == "integer"
    assert status["availableReplicas"]["type"] == "integer"
    assert schemas["ScaleServiceRequest"]["required"] == ["serviceName", "replicas"]
    assert "namespace" in schemas["DeleteFunctionRequest"]["properties"]
    assert "format" not in schemas["VersionInfo"]["properties"]["release"]
    secrets_list = SPEC["paths"]["/system/secrets"]["get"]["responses"]["200"]["content"]["application/json"]
    assert "array" in secrets_list["schema"]["type"]


def test_namespace_query_wherever_the_gateway_reads_one() -> None:
    def has_namespace_query(method: str, path: str) -> bool:
        op = SPEC["paths"][path][method]
        params = op.get("parameters", [])
        return any(p.get("$ref", "").endswith("/NamespaceQuery") or p.get("name") == "namespace" for p in params)

    for method, path in [
        ("get", "/system/functions"),
        ("get", "/system/function/{functionName}"),
        ("get", "/system/secrets"),
        ("get", "/system/logs"),
        ("delete", "/system/functions"),
        ("post", "/system/scale-function/{functionName}"),
        ("delete", "/system/secrets"),
    ]:
        assert has_namespace_query(method, path), (method, path)


def test_logs_has_all_six_query_parameters() -> None:
    params = SPEC["paths"]["/system/logs"]["get"]["parameters"]
    names = {p.get("name") or p["$ref"].rsplit("/", 1)[-1] for p in params}
    assert names == {"name", "NamespaceQuery", "instance", "tail", "follow", "since"}
