"""The result types are generated from openapi.yaml and still typed as design.md says: `mypy --strict` checks
this file (`make typecheck`), and pytest runs it against the fake gateway, so the types asserted are real."""

from __future__ import annotations

import datetime
from typing import assert_type

from pyopenfaas import Function, FunctionUsage, GatewayInfo, LogEntry, OpenFaaS, ProviderInfo, Secret, VersionInfo
from pyopenfaas.testing import FakeGateway, FunctionRequest


def test_function_fields_have_their_documented_types() -> None:
    gateway = FakeGateway(flavour="faasd")
    with OpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client:
        client.secrets.create("api-key", "s3cr3t")
        client.functions.deploy(
            "echo", "img:1", env_vars={"mode": "test"}, labels={"team": "edge"}, secrets=["api-key"]
        )
        [function] = client.functions.list()
        assert_type(function, Function)
        assert_type(function.name, str)
        assert_type(function.namespace, str | None)
        assert_type(function.env_vars, dict[str, str])
        assert_type(function.secrets, list[str])
        assert_type(function.limits, dict[str, str] | None)
        assert_type(function.replicas, int)
        assert_type(function.invocation_count, int)
        assert_type(function.created_at, datetime.datetime | None)
        assert_type(function.usage, FunctionUsage | None)
        assert_type(function.ready, bool)
        assert (function.env_vars, function.labels["team"], function.secrets) == ({"mode": "test"}, "edge", ["api-key"])
        assert isinstance(function.created_at, datetime.datetime)


def test_other_results_have_their_documented_types() -> None:
    gateway = FakeGateway(flavour="faasd")
    with OpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client:
        client.secrets.create("api-key", "s3cr3t")
        [secret] = client.secrets.list()
        assert_type(secret, Secret)
        assert_type(secret.namespace, str | None)
        info = client.info()
        assert_type(info, GatewayInfo)
        assert_type(info.provider, ProviderInfo | None)
        assert_type(info.version, VersionInfo)
        assert info.provider is not None
        assert_type(info.provider.name, str)
        assert_type(info.version.commit_message, str | None)
        assert_type(client.namespaces.list(), list[str])


def test_log_entries_have_their_documented_types() -> None:
    gateway = FakeGateway(flavour="faasd")

    def chatty(request: FunctionRequest) -> str:
        request.log("hello")
        return "ok"

    gateway.deploy("chatty", handler=chatty)
    with OpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client:
        client.functions.invoke("chatty")
        with client.functions.logs("chatty") as stream:
            entries = list(stream)
        for entry in entries:
            assert_type(entry, LogEntry)
            assert_type(entry.timestamp, datetime.datetime | None)  # None: Go's zero time, "unknown"
            assert_type(entry.text, str)
        assert "hello" in [entry.text for entry in entries]
