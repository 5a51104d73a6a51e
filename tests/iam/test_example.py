"""examples/k8s_function_auth.py runs end to end against the fake IAM gateway."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "examples" / "k8s_function_auth.py"


def test_the_kubernetes_workload_example_invokes_a_protected_function(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("OPENFAAS_", "PYOPENFAAS_", "FAAS_"))}
    env.pop("token_mount_path", None)
    env["HOME"] = str(tmp_path)  # no faas-cli config of the developer's
    env["OPENFAAS_URL"] = "http://127.0.0.1:9"  # a gateway nobody may touch: the example leaves it alone
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "protected-echo", "ping"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:3] == ["call 1: 200 'PING'", "call 2: 200 'PING'"]
    assert lines[3] == "gateway exchanges: 1, function-token exchanges: 1, calls without a token: 0"
