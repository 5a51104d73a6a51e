"""Shared test hooks."""

from __future__ import annotations

import sys

import pytest

# pytester runs the plugin's fixtures in a pytest of their own (tests/testing/test_plugin.py).
pytest_plugins = ["pytester"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many exchanges were checked against openapi.yaml (tests/contract), when any test used the check."""
    spec = sys.modules.get("tests.contract.spec")
    for contract in spec.Contract.instances if spec is not None else []:
        terminalreporter.write_line(
            f"openapi.yaml contract: {contract.requests_validated} requests and "
            f"{contract.responses_validated} responses validated, covering {len(contract.operations)} of "
            f"{len(contract.spec_operations())} operations"
        )
