"""examples/stack_tour.py (run by `make demo`) runs end to end against the fakes."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

TOUR = Path(__file__).parents[2] / "examples" / "stack_tour.py"


def test_stack_tour(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(TOUR), run_name="__main__")
    out = capsys.readouterr().out
    assert "greet  built ttl.sh/pyopenfaas-demo/greet:1h" in out
    assert "the builder unsealed: ['pip_index_url']" in out
    assert "200 Bonjour, pyopenfaas! (signature valid)" in out
    assert "removed: ['greet', 'echo']" in out
