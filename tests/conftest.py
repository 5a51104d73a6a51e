"""Shared test hooks: the run's summary of what was checked, gathered from every pytest-xdist worker."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

import pytest

# pytester runs the plugin's fixtures in a pytest of their own (tests/testing/test_plugin.py).
pytest_plugins = ["pytester"]

_SUMMARY = "pyopenfaas_summary"
_gathered: list[dict[str, Any]] = []


def _this_process() -> dict[str, Any]:
    """What this process checked: the openapi.yaml contract (tests/contract) and the hardening counts."""
    summary: dict[str, Any] = {"requests": 0, "responses": 0, "operations": [], "spec_operations": 0, "tried": {}}
    spec = sys.modules.get("tests.contract.spec")
    for contract in spec.Contract.instances if spec is not None else []:
        summary["requests"] += contract.requests_validated
        summary["responses"] += contract.responses_validated
        summary["operations"] += [list(operation) for operation in contract.operations]
        summary["spec_operations"] = len(contract.spec_operations())
    stats = sys.modules.get("tests.support.stats")
    if stats is not None:
        summary["tried"] = dict(stats.counts)
    return summary


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand the figures to the controller
        workeroutput[_SUMMARY] = _this_process()


def pytest_testnodedown(node: Any, error: object) -> None:
    summary = getattr(node, "workeroutput", {}).get(_SUMMARY)
    if summary is not None:
        _gathered.append(summary)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many exchanges were checked against openapi.yaml, and what the hardening tests tried, in all."""
    summaries = _gathered or [_this_process()]
    tried: Counter[str] = Counter()
    for summary in summaries:
        tried.update(summary["tried"])
    if tried:
        terminalreporter.section("pyopenfaas hardening: what was tried")
        for what, n in sorted(tried.items()):
            terminalreporter.write_line(f"{n:8d}  {what}")
        faults = sum(n for what, n in tried.items() if what.startswith("fault: "))
        terminalreporter.write_line(f"{faults:8d}  faults injected on real sockets, in all")
    spec_operations = max(summary["spec_operations"] for summary in summaries)
    if spec_operations:
        operations = {tuple(operation) for summary in summaries for operation in summary["operations"]}
        terminalreporter.write_line(
            f"openapi.yaml contract: {sum(summary['requests'] for summary in summaries)} requests and "
            f"{sum(summary['responses'] for summary in summaries)} responses validated, covering "
            f"{len(operations)} of {spec_operations} operations"
        )
