"""`?usage=1` on `GET /system/function/<name>`: the Community Edition providers ignore it; with figures reported
(as an OpenFaaS Pro provider measures them) the fake answers them, Go's `omitempty` applied."""

from __future__ import annotations

import httpx
import pytest
from pyopenfaas import FunctionUsage, OpenFaaS
from pyopenfaas.testing import FakeGateway


def test_the_community_edition_ignores_usage(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("figlet")
    plain = client.get("/system/function/figlet")
    asked = client.get("/system/function/figlet", params={"usage": "1"})
    assert asked.status_code == 200
    assert asked.content == plain.content
    assert "usage" not in asked.json()


def test_reported_figures_answer_usage_1_only(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("figlet")
    gateway.report_usage("figlet", cpu=0.25, total_memory_bytes=12_582_912)
    assert "usage" not in client.get("/system/function/figlet").json()
    assert "usage" not in client.get("/system/functions").json()[0]
    answer = client.get("/system/function/figlet", params={"usage": "1"})
    # Go writes a whole float64 without ".0".
    assert b'"usage":{"cpu":0.25,"totalMemoryBytes":12582912}' in answer.content


def test_a_zero_figure_is_left_out(client: httpx.Client, gateway: FakeGateway) -> None:
    gateway.deploy("figlet")
    gateway.report_usage("figlet", cpu=0, total_memory_bytes=1024)
    assert client.get("/system/function/figlet", params={"usage": "1"}).json()["usage"] == {"totalMemoryBytes": 1024}


def test_report_usage_checks_its_arguments(gateway: FakeGateway) -> None:
    with pytest.raises(KeyError, match="ghost"):
        gateway.report_usage("ghost", cpu=1, total_memory_bytes=1)
    gateway.deploy("figlet")
    with pytest.raises(ValueError, match="negative"):
        gateway.report_usage("figlet", cpu=-1, total_memory_bytes=1)


def test_the_client_asks_for_usage_and_reads_it(gateway: FakeGateway) -> None:
    gateway.deploy("figlet")
    with OpenFaaS("http://fake", transport=gateway.transport()) as client:
        assert client.functions.get("figlet", usage=True).usage is None  # the Community Edition
        gateway.report_usage("figlet", cpu=0.5, total_memory_bytes=2048)
        assert client.functions.get("figlet").usage is None
        assert client.functions.get("figlet", usage=True).usage == FunctionUsage(cpu=0.5, total_memory_bytes=2048)
    queries = [request.query for request in gateway.requests if request.path == "/system/function/figlet"]
    assert queries == ["usage=1", "", "usage=1"]
