"""Every script in examples/ runs, as a user would run it, against the fake gateway (subprocesses with a timeout)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# A gateway nobody may touch: the examples must leave whatever OPENFAAS_URL points to alone unless opted in.
UNTOUCHABLE = "http://127.0.0.1:9"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("OPENFAAS_", "PYOPENFAAS_"))}
    env["OPENFAAS_URL"] = UNTOUCHABLE
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, env=env, cwd=EXAMPLES.parent, check=False
    )


def test_every_example_is_covered_here() -> None:
    assert sorted(path.name for path in EXAMPLES.glob("*.py")) == [
        "fan_out.py",
        "follow_logs.py",
        "jobs_batch.py",
        "k8s_function_auth.py",  # run by tests/iam/test_example.py
        "stack_tour.py",  # run by tests/stack/test_example.py
        "test_with_the_fake.py",
        "tour.py",
    ]


def test_the_tour_uses_the_fake_gateway_even_with_openfaas_url_set() -> None:
    result = run("examples/tour.py")
    assert result.returncode == 0, result.stderr
    assert f"OPENFAAS_URL is set ({UNTOUCHABLE}), but the tour leaves it alone" in result.stdout
    assert "make demo REAL_GATEWAY=1" in result.stdout
    assert "Touring pyopenfaas.testing.FakeGateway at http://127.0.0.1:" in result.stdout


def test_the_tour_refuses_the_opt_in_without_a_gateway_url() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPENFAAS_")}
    result = subprocess.run(
        [sys.executable, "examples/tour.py"],
        capture_output=True, text=True, timeout=60, cwd=EXAMPLES.parent, check=False,
        env={**env, "PYOPENFAAS_REAL_GATEWAY": "1"},
    )  # fmt: skip
    assert result.returncode != 0
    assert "PYOPENFAAS_REAL_GATEWAY=1 but OPENFAAS_URL is not set" in result.stderr


def test_fan_out() -> None:
    result = run("examples/fan_out.py")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:4] == ["  #0  4 words", "  #1  5 words", "  #2  6 words"]  # in input order
    assert "#20 failed:" in lines[21]
    assert "422" in lines[21]
    assert lines[-1] == "OpenFaaS, threads: 270 words in all"


def test_follow_logs() -> None:
    result = run("examples/follow_logs.py")
    assert result.returncode == 0, result.stderr
    assert [line.split(": ", 1)[1] for line in result.stdout.splitlines()[1:6]] == [
        f"processing order {n}" for n in range(1, 6)
    ]
    assert result.stdout.endswith("followed 5 calls\n")


def test_jobs_batch_resumes_after_its_driver_is_killed() -> None:
    result = run("examples/jobs_batch.py", "600")  # the default 3,000 proves no more, in five times as long
    assert result.returncode == 0, result.stderr
    first, second, counts = result.stdout.splitlines()
    assert first == "first run: killed after 200 of 600 results"
    assert second == "second run: 600 results, one per document; 3900 words in all"
    new = int(counts.split()[0])
    assert 0 < new <= 400  # the results stored before the kill (200 or more) were not asked for again
    assert counts.endswith("duplicates dropped")


def test_testing_with_the_fake() -> None:
    result = run("-m", "pytest", "examples/test_with_the_fake.py", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
