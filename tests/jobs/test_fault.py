"""The fault test of `make jobs-fault`, small: 300 jobs through the served fake with 5% of callbacks dropped and
5% delivered twice, the driver killed with SIGKILL halfway and started again on its journal."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_key_gets_exactly_one_result_through_drops_duplicates_and_a_kill() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.jobs_fault", "--jobs", "300", "--resubmit-after", "1", "--workers", "4"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "killed with SIGKILL after 150 results" in lines[0]
    assert lines[1] == "  keys with exactly one result: 300 of 300"
    assert "FAILED" not in done.stdout
    dropped, duplicated = re.search(r"(\d+) callbacks dropped, (\d+) duplicated", lines[2]).groups()  # type: ignore[union-attr]
    assert int(dropped) > 0
    assert int(duplicated) > 0  # the faults did happen
