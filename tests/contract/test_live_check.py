"""python -m pyopenfaas.contract: the fake gateway (both flavours, over HTTP on an ephemeral port) conforms, read-only
and with --write; departures seeded into its answers are each reported where they are; without --write nothing
but GET reaches the gateway; usage and connection errors exit 2; scratch objects are removed however the check
ends."""

from __future__ import annotations

import io
import json
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pyopenfaas import APIConnectionError, OpenFaaS, _config, auth
from pyopenfaas.contract import Report, check
from pyopenfaas.contract.__main__ import main
from pyopenfaas.testing import FakeGateway
from pyopenfaas.testing._http import Reply

USER, PASSWORD = "admin", "s3cret-contract-pw"
FLAVOURS = ["faas-netes", "faasd"]
# Not sent by the check: the Alertmanager webhook scales real functions, and namespaces are not scratch objects.
NEVER_RUN = {"ScaleAlert", "CreateNamespace", "UpdateNamespace", "DeleteNamespace"}
# What the Community Edition fakes do not serve: telemetry (Pro), and namespace reads on faas-netes CE.
NOT_SUPPORTED = {"faas-netes": {"GetTelemetry", "GetNamespace"}, "faasd": {"GetTelemetry"}}
WRITES = {
    "DeployFunction", "UpdateFunction", "DeleteFunction", "ScaleFunction", "CreateSecret", "UpdateSecret",
    "DeleteSecret", "InvokeAsync", "InvokeFunction", "InvokeFunctionGet", "InvokeFunctionPut", "InvokeFunctionPatch",
    "InvokeFunctionDelete", "InvokeFunctionHead", "InvokeFunctionOptions",
}  # fmt: skip


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Credentials from the environment, as a user would set them; no other pyopenfaas setting, no faas-cli config."""
    for name in [v for k, v in vars(_config).items() if k.startswith("ENV_")] + [auth.TOKEN_MOUNT_PATH_ENV]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENFAAS_CONFIG", str(tmp_path / "no-faas-cli-config"))
    monkeypatch.setenv("OPENFAAS_USER", USER)
    monkeypatch.setenv("OPENFAAS_PASSWORD", PASSWORD)


class SeededGateway(FakeGateway):
    """The fake, with one answer changed on its way out (`seed(method, path, reply) -> reply`)."""

    def __init__(self, seed: Callable[[str, str, Reply], Reply], **options: Any) -> None:
        super().__init__(**options)
        self.seed = seed

    def handle(self, method: str, path: str, query: str, headers: Any, body: bytes) -> Reply:
        return self.seed(method, path, super().handle(method, path, query, headers, body))


def run(url: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main([url, *args])
    out, err = capsys.readouterr()
    return status, out, err


def outcomes(document: dict[str, Any]) -> dict[str, str]:
    return {operation["operation"]: operation["outcome"] for operation in document["operations"]}


def leftovers(gateway: FakeGateway) -> tuple[list[Any], list[Any]]:
    with OpenFaaS("http://fake", username=USER, password=PASSWORD, transport=gateway.transport(), env={}) as client:
        return client.functions.list(), client.secrets.list()


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_read_only_the_fake_conforms_and_is_only_read(flavour: str, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeGateway(flavour=flavour, username=USER, password=PASSWORD) as gateway, gateway.serve() as url:  # type: ignore[arg-type]
        gateway.deploy("hello")
        gateway.write_log("hello", "a line")
        status, out, err = run(url, "--json", capsys=capsys)
        methods = {request.method for request in gateway.requests}
        paths = {request.path for request in gateway.requests}
    document = json.loads(out)
    assert status == 0, out
    assert methods <= {"GET", "HEAD"}, methods
    assert "/system/function/hello" in paths
    assert "/system/logs" in paths
    expected = {
        name: "not run" if name in WRITES | NEVER_RUN else "not supported" if name in NOT_SUPPORTED[flavour]
        else "conforms"
        for name in outcomes(document)
    }  # fmt: skip
    assert outcomes(document) == expected
    assert document["conforms"] is True
    assert document["write"] is False
    notes = {op["operation"]: op["note"] for op in document["operations"]}
    assert notes["DeployFunction"] == "needs --write"
    assert notes["ScaleAlert"] == "never sent: it scales real functions"
    assert notes["GetFunctions"] == ""
    assert PASSWORD not in out + err


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_read_only_on_an_empty_gateway_probes_a_missing_function(
    flavour: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeGateway(flavour=flavour, username=USER, password=PASSWORD) as gateway, gateway.serve() as url:  # type: ignore[arg-type]
        status, out, _ = run(url, "--json", capsys=capsys)
    operations = {op["operation"]: op for op in json.loads(out)["operations"]}
    assert status == 0
    assert [call["status"] for call in operations["GetFunctionStatus"]["calls"]] == [404]
    assert operations["GetFunctionStatus"]["outcome"] == "conforms"  # the 404 openapi.yaml describes
    assert operations["GetFunctionLogs"]["outcome"] == "not run"
    assert operations["GetFunctionLogs"]["note"] == "no function to read the logs of"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_write_the_fake_conforms_and_the_scratch_objects_are_removed(
    flavour: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeGateway(flavour=flavour, username=USER, password=PASSWORD) as gateway, gateway.serve() as url:  # type: ignore[arg-type]
        status, out, err = run(url, "--write", "--namespace", "openfaas-fn", "--json", capsys=capsys)
        gateway.wait_idle()  # the async call has run
        left = leftovers(gateway)
    document = json.loads(out)
    expected = {
        name: "not run" if name in NEVER_RUN else "not supported" if name in NOT_SUPPORTED[flavour] else "conforms"
        for name in outcomes(document)
    }
    assert outcomes(document) == expected
    assert status == 0
    assert left == ([], [])
    assert document["leftovers"] == []
    assert PASSWORD not in out + err


def _json_edit(edit: Callable[[Any], Any]) -> Callable[[Reply], Reply]:
    def change(reply: Reply) -> Reply:
        assert isinstance(reply.body, bytes)
        reply.body = json.dumps(edit(json.loads(reply.body))).encode()
        return reply

    return change


def _without_image(functions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    del functions[0]["image"]
    return functions


def _reply(status: int, content_type: str) -> Callable[[Reply], Reply]:
    def change(reply: Reply) -> Reply:
        reply.status = status
        reply.headers = [(k, v) for k, v in reply.headers if k.lower() != "content-type"]
        reply.headers.append(("Content-Type", content_type))
        return reply

    return change


def _wrapped_body(reply: Reply) -> Reply:
    """faas-memory's invocation answer: the function's body wrapped in JSON."""
    assert isinstance(reply.body, bytes)
    reply.body = json.dumps({"body": reply.body.decode()}).encode()
    return reply


SEEDS = {
    "missing-required-field": (
        ("GET", "/system/functions"), _json_edit(_without_image), "GetFunctions",
        "'image' is a required property", "#/components/schemas/FunctionStatus/required", "$[0]",
    ),
    "wrong-type": (
        ("GET", "/system/info"), _json_edit(lambda info: {**info, "arch": 64}), "GetSystemInfo",
        "64 is not of type 'string'", "#/components/schemas/GatewayInfo/properties/arch/type", "$.arch",
    ),
    "wrong-status": (
        ("GET", "/healthz"), _reply(418, "text/plain"), "Healthcheck",
        "status 418 is not declared (declared: 200, 500, 502, 503)", "#/paths/~1healthz/get/responses", "status",
    ),
    "null-for-a-list": (
        ("GET", "/system/function/hello"), _json_edit(lambda status: {**status, "secrets": None}), "GetFunctionStatus",
        "null is not of type 'array'", "#/components/schemas/FunctionStatus/properties/secrets/type", "$.secrets",
    ),
    "wrong-content-type": (
        ("GET", "/system/namespaces"), _reply(200, "text/html"), "ListNamespaces",
        "Content-Type text/html is not declared for 200 (declared: application/json)",
        "#/paths/~1system~1namespaces/get/responses/200/content", "Content-Type",
    ),
}  # fmt: skip


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("seeded", list(SEEDS), ids=list(SEEDS))
def test_each_seeded_departure_is_reported_where_it_is(
    flavour: str, seeded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (method, path), change, operation, what, where, at = SEEDS[seeded]

    def seed(m: str, p: str, reply: Reply) -> Reply:
        return change(reply) if (m, p) == (method, path) else reply

    options: dict[str, Any] = {"flavour": flavour, "username": USER, "password": PASSWORD}
    with SeededGateway(seed, **options) as gateway, gateway.serve() as url:
        gateway.deploy("hello")
        status, out, _ = run(url, "--json", capsys=capsys)
        table_status, table, _ = run(url, capsys=capsys)
    document = json.loads(out)
    departing = {name for name, outcome in outcomes(document).items() if outcome == "departs"}
    assert (status, table_status, departing, document["conforms"]) == (1, 1, {operation}, False)
    [entry] = [op for op in document["operations"] if op["operation"] == operation]
    departures = [d for call in entry["calls"] for d in call["departures"]]
    assert departures == [{"what": what, "where": where, "at": at}]
    assert set(entry) == {"operation", "method", "path", "outcome", "note", "calls"}
    assert set(entry["calls"][0]) == {"request", "status", "outcome", "departures"}
    assert set(document) == {"gateway", "write", "conforms", "counts", "leftovers", "operations"}
    assert document["counts"]["departs"] == 1
    assert f"{operation} " in table
    assert "departs" in table
    assert where in table
    assert f"at {at};" in table


def test_a_changed_invocation_body_departs(capsys: pytest.CaptureFixture[str]) -> None:
    """faas-memory wraps invocation bodies: the echo function's answer is not what it was sent."""

    def seed(method: str, path: str, reply: Reply) -> Reply:
        return _wrapped_body(reply) if path.startswith("/function/") and reply.status == 200 else reply

    with SeededGateway(seed, username=USER, password=PASSWORD) as gateway, gateway.serve() as url:
        status, out, _ = run(url, "--write", "--namespace", "openfaas-fn", "--json", capsys=capsys)
        gateway.wait_idle()
    document = json.loads(out)
    departing = {name for name, outcome in outcomes(document).items() if outcome == "departs"}
    assert status == 1
    assert departing == {f"InvokeFunction{m}" for m in ("", "Get", "Put", "Patch", "Delete", "Options")}  # not HEAD
    [entry] = [op for op in document["operations"] if op["operation"] == "InvokeFunction"]
    [departure] = entry["calls"][0]["departures"]
    assert departure["where"] == "#/paths/~1function~1{functionName}/post"
    assert departure["at"] == "body"
    assert departure["what"].startswith("the function's answer is not the body it was sent")


def test_a_route_the_gateway_lacks_is_not_supported(capsys: pytest.CaptureFixture[str]) -> None:
    """A gateway without NATS answers every /async-function path with the router's bare 404."""

    def seed(method: str, path: str, reply: Reply) -> Reply:
        if path.startswith("/async-function/"):
            return Reply(404, [("Content-Type", "text/plain; charset=utf-8")], b"404 page not found\n")
        return reply

    with SeededGateway(seed, username=USER, password=PASSWORD) as gateway, gateway.serve() as url:
        status, out, _ = run(url, "--write", "--namespace", "openfaas-fn", "--json", capsys=capsys)
    assert status == 0
    assert outcomes(json.loads(out))["InvokeAsync"] == "not supported"


def test_a_scratch_function_never_ready_is_not_invoked_and_still_removed(capsys: pytest.CaptureFixture[str]) -> None:
    def seed(method: str, path: str, reply: Reply) -> Reply:
        if method == "GET" and path.startswith("/system/function/pyopenfaas-contract-") and reply.status == 200:
            return _json_edit(lambda status: {**status, "availableReplicas": 0})(reply)
        return reply

    with SeededGateway(seed, username=USER, password=PASSWORD) as gateway, gateway.serve() as url:
        args = ("--write", "--namespace", "openfaas-fn", "--ready-timeout", "0", "--json")
        status, out, _ = run(url, *args, capsys=capsys)
        invoked = [r.path for r in gateway.requests if r.path.startswith(("/function/", "/async-function/"))]
        left = leftovers(gateway)
    operations = {op["operation"]: op for op in json.loads(out)["operations"]}
    assert status == 0
    assert invoked == []
    assert operations["InvokeFunction"]["outcome"] == "not run"
    assert operations["InvokeFunction"]["note"].endswith("was not ready in 0s")
    assert operations["DeleteFunction"]["outcome"] == "conforms"
    assert left == ([], [])


def _free_port() -> Iterator[int]:
    """A port nothing listens on: bound (so no one else takes it) but not listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def closed_port() -> Iterator[int]:
    yield from _free_port()


def test_connection_errors_exit_2(closed_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(f"http://127.0.0.1:{closed_port}", "--json", capsys=capsys)
    assert status == 2
    assert "error" in json.loads(out)
    assert err.startswith("python -m pyopenfaas.contract: error: ")


def test_refused_credentials_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OPENFAAS_PASSWORD", "wrong-" + PASSWORD)
    with FakeGateway(username=USER, password=PASSWORD) as gateway, gateway.serve() as url:
        status, out, err = run(url, capsys=capsys)
    assert (status, out) == (2, "")
    assert "401" in err
    assert PASSWORD not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--write"], "--write needs --namespace"),
        (["--password-stdin"], "--password-stdin needs --username"),
        (["--namespace", "Not_A_Name"], "namespace"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeGateway() as gateway, gateway.serve() as url:
        try:
            status = main([url, *args])
        except SystemExit as exit:  # argparse's own usage error
            status = int(str(exit.code))
        _, err = capsys.readouterr()
        sent = gateway.requests
    assert status == 2
    assert message in err
    assert sent == []


def test_password_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("OPENFAAS_USER")
    monkeypatch.delenv("OPENFAAS_PASSWORD")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    with FakeGateway(username=USER, password=PASSWORD) as gateway, gateway.serve() as url:
        status, out, err = run(url, "--username", USER, capsys=capsys)
    assert status == 2  # no password read without --password-stdin: refused
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    with FakeGateway(username=USER, password=PASSWORD) as gateway, gateway.serve() as url:
        status, out, err = run(url, "--username", USER, "--password-stdin", capsys=capsys)
    assert status == 0
    assert PASSWORD not in out + err


def test_without_openapi_core_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "openapi_core", None)  # as if openapi-core were not installed
    monkeypatch.delitem(
        sys.modules, "pyopenfaas._spec", raising=False
    )  # imported afresh, as in a process that never had it
    with FakeGateway(username=USER, password=PASSWORD) as gateway, gateway.serve() as url:
        status, _, err = run(url, capsys=capsys)
        sent = gateway.requests
    assert status == 2
    assert "pip install 'pyopenfaas[contract]'" in err
    assert sent == []


class Interrupting(httpx.BaseTransport):
    """The fake's transport, raising `error` instead of sending the async call (as a Ctrl-C or a network failure
    would break the check off half-way)."""

    def __init__(self, gateway: FakeGateway, error: BaseException) -> None:
        self.inner = gateway.transport()
        self.error = error

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/async-function/"):
            raise self.error
        return self.inner.handle_request(request)


@pytest.mark.parametrize(
    ("error", "raised"),
    [(KeyboardInterrupt(), KeyboardInterrupt), (httpx.ConnectError("refused"), APIConnectionError)],
    ids=["ctrl-c", "connection-lost"],
)
def test_scratch_objects_are_removed_when_the_check_is_broken_off(error: BaseException, raised: type) -> None:
    with FakeGateway(flavour="faasd", username=USER, password=PASSWORD) as gateway:
        with pytest.raises(raised):
            check("http://fake", write=True, namespace="openfaas-fn", transport=Interrupting(gateway, error))
        deployed = [r for r in gateway.requests if r.method == "POST" and r.path == "/system/functions"]
        assert deployed  # it got as far as creating them
        assert leftovers(gateway) == ([], [])


def test_check_needs_a_namespace_to_write() -> None:
    with pytest.raises(ValueError, match="namespace"):
        check("http://127.0.0.1:8080", write=True)


def test_the_report_as_a_table() -> None:
    with FakeGateway(username=USER, password=PASSWORD) as gateway:
        report = check("http://fake", transport=gateway.transport())
    assert isinstance(report, Report)
    assert report.exit_status == 0
    lines = report.table().splitlines()
    assert lines[0].split() == ["OPERATION", "METHOD", "PATH", "RESULT", "DETAIL"]
    assert any(line.split()[:4] == ["GetFunctions", "GET", "/system/functions", "conforms"] for line in lines)
    assert lines[-1].endswith("(read-only; --write checks the rest)")
