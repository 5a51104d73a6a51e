"""Queued jobs: a batch of 3,000 calls through the async queue that survives its driver being killed.

The batch runs in a child process with a SQLite journal. It is killed (SIGKILL) after 1,000 results and run
again on the same journal: the results stored before the crash come back first without being sent again, the
calls that were in flight are waited for (and submitted again when no callback comes within
`resubmit_after`), and every document gets exactly one result.

Runs against pyopenfaas.testing's fake gateway (served on 127.0.0.1, its queue calling back over HTTP). With
your own gateway, use `OpenFaaS()` and give `client.jobs(...)` a `listen=`/`public_url=` the queue worker reaches.

    python examples/jobs_batch.py            # 3,000 documents, killed after 1,000 results
    python examples/jobs_batch.py 600        # 600 documents, killed after 200
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from pyopenfaas import JobStats, OpenFaaS
from pyopenfaas.testing import FakeGateway, FunctionRequest


def documents(count: int) -> list[str]:
    return [f"document {n} " + "word " * (n % 10) for n in range(count)]


def word_count(request: FunctionRequest) -> str:
    return str(len(request.text.split()))


def run_batch(url: str, journal: str, count: int, *, progress: bool = False) -> tuple[dict[str, int], JobStats]:
    """The batch: one job per document, keyed by its index ("0", "1", ...); each result as it completes."""
    counts = {}
    with OpenFaaS(url, env={}) as client, client.jobs(journal=journal, resubmit_after=2.0) as jobs:
        for result in jobs.map("word-count", documents(count), max_pending=200):
            result.raise_for_status()
            counts[result.key] = int(result.text)
            if progress:
                print(result.key, flush=True)  # for the parent to watch
        return counts, jobs.stats


def main(count: int) -> None:
    kill_after = count // 3
    gateway = FakeGateway()
    gateway.deploy("word-count", handler=word_count)
    with gateway, gateway.serve() as url, tempfile.TemporaryDirectory() as folder:
        journal = str(Path(folder) / "batch.db")
        command = [sys.executable, __file__, "--batch", url, journal, str(count)]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603 (this script itself)
        assert child.stdout is not None
        seen = 0
        for _ in child.stdout:
            seen += 1
            if seen == kill_after:
                child.kill()  # SIGKILL: no clean-up, calls still in flight
                break
        child.wait()
        child.stdout.close()
        print(f"first run: killed after {seen} of {count} results")

        counts, stats = run_batch(url, journal, count)
        print(f"second run: {len(counts)} results, one per document; {sum(counts.values())} words in all")
        print(
            f"  {stats.results} results new to the journal, {stats.submitted} submissions "
            f"({stats.resubmitted} resubmitted), {stats.duplicates_dropped} duplicates dropped"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--batch"]:
        run_batch(sys.argv[2], sys.argv[3], int(sys.argv[4]), progress=True)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
