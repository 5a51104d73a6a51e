"""The queued-jobs fault test: N jobs through the served fake gateway with a share of the callbacks dropped and
another delivered twice, the driver process killed with SIGKILL halfway and started again on the same journal.
It passes when every key has exactly one result (none lost, none duplicated) and prints the counts.

    python -m benchmarks.jobs_fault [--jobs 10000] [--drop 0.05] [--duplicate 0.05] [--resubmit-after 3]
    make jobs-fault

The fake gateway runs in this process; each driver is a child process (`--driver`) that prints each key as
its result arrives, and its counters every few hundred results.
"""

from __future__ import annotations

import argparse
import json
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

STATS_EVERY = 100


def driver(url: str, journal: str, jobs_count: int, listen: str, resubmit_after: float) -> int:
    """Run the batch on `journal`; each key on a line as its result arrives; `STATS {...}` now and then."""
    from pyopenfaas import OpenFaaS

    def stats_line(stats: Any) -> str:
        return "STATS " + json.dumps(
            {name: getattr(stats, name) for name in ("submitted", "resubmitted", "duplicates_dropped", "refused_posts")}
        )

    inputs = (f"job {n}" for n in range(jobs_count))
    settings: dict[str, Any] = {"listen": listen, "journal": journal, "resubmit_after": resubmit_after}
    with OpenFaaS(url, env={}) as client, client.jobs(**settings) as jobs:
        for count, result in enumerate(jobs.map("echo", inputs, max_pending=500), 1):
            if result.text != f"job {result.key}" or not result.ok:
                print(f"WRONG {result.key} {result.status_code} {result.text[:40]!r}", flush=True)
                return 1
            print(result.key, flush=True)
            if count % STATS_EVERY == 0:
                print(stats_line(jobs.stats), flush=True)
        print(stats_line(jobs.stats), flush=True)
    return 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_driver(
    url: str, journal: Path, args: argparse.Namespace, listen: str, kill_after: int | None
) -> dict[str, Any]:
    """One driver process: the keys it printed, its last counters, and whether it was killed."""
    command = [
        sys.executable, "-m", "benchmarks.jobs_fault", "--driver", url, str(journal), str(args.jobs), listen,
        str(args.resubmit_after),
    ]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    keys: list[str] = []
    stats: dict[str, int] = {}
    killed = False
    for line in child.stdout:
        if line.startswith("STATS "):
            stats = json.loads(line[6:])
        elif line.startswith("WRONG "):
            raise SystemExit(f"a wrong result: {line.strip()}")
        else:
            keys.append(line.strip())
            if kill_after is not None and len(keys) == kill_after:
                child.kill()  # SIGKILL: no clean-up, calls in flight, results being committed
                killed = True
                break
    child.wait()
    child.stdout.close()
    if not killed and child.returncode != 0:
        raise SystemExit(f"the driver failed with exit status {child.returncode}")
    return {"keys": keys, "stats": stats, "killed": killed}


def run(args: argparse.Namespace) -> int:
    from pyopenfaas.testing import FakeGateway, QueueConfig

    gateway = FakeGateway(queue=QueueConfig(workers=args.workers, callback_timeout=5.0))
    gateway.deploy("echo")
    queue = gateway.queue
    queue.drop_callbacks(0, rate=args.drop)
    queue.duplicate_callbacks(0, rate=args.duplicate)
    listen = f"127.0.0.1:{_free_port()}"  # both drivers: late callbacks of the first reach the second
    started = time.perf_counter()
    with gateway, gateway.serve() as url, tempfile.TemporaryDirectory(prefix="jobs-fault-") as folder:
        journal = Path(folder) / "jobs.db"
        first = _run_driver(url, journal, args, listen, kill_after=args.jobs // 2)
        second = _run_driver(url, journal, args, listen, kill_after=None)
        with sqlite3.connect(journal) as db:
            rows, answered = db.execute("SELECT count(*), count(status) FROM jobs").fetchone()
        queue_stats = queue.stats
    keys = second["keys"]
    expected = {str(n) for n in range(args.jobs)}
    problems = []
    if len(keys) != args.jobs or set(keys) != expected:
        lost = len(expected - set(keys))
        problems.append(f"{len(keys):,} results for {len(set(keys)):,} keys ({lost:,} lost)")
    if (rows, answered) != (args.jobs, args.jobs):
        problems.append(f"the journal holds {rows:,} jobs, {answered:,} with a result")
    if not first["killed"]:
        problems.append("the first driver finished before it could be killed")
    stats = {name: first["stats"].get(name, 0) + second["stats"].get(name, 0) for name in second["stats"]}
    print(
        f"{args.jobs:,} jobs, {args.drop:.0%} of callbacks dropped, {args.duplicate:.0%} duplicated; the driver "
        f"killed with SIGKILL after {len(first['keys']):,} results and started again on its journal "
        f"({time.perf_counter() - started:.1f} s in all)"
    )
    print(f"  keys with exactly one result: {len(set(keys)) if not problems else 'see below'} of {args.jobs:,}")
    print(
        f"  the fake's queue: {queue_stats.dropped:,} callbacks dropped, {queue_stats.duplicated:,} duplicated, "
        f"{queue_stats.callbacks_failed:,} failed (no receiver while the driver was down)"
    )
    print(
        f"  the drivers (the first's counters as last printed): {stats.get('submitted', 0):,} submitted, "
        f"{stats.get('resubmitted', 0):,} resubmitted, {stats.get('duplicates_dropped', 0):,} duplicates dropped, "
        f"{stats.get('refused_posts', 0):,} refused posts"
    )
    for problem in problems:
        print(f"  FAILED: {problem}")
    return 1 if problems else 0


def main() -> int:
    if sys.argv[1:2] == ["--driver"]:
        url, journal, count, listen, resubmit_after = sys.argv[2:7]
        return driver(url, journal, int(count), listen, float(resubmit_after))
    parser = argparse.ArgumentParser(prog="python -m benchmarks.jobs_fault", description=__doc__)
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--drop", type=float, default=0.05, help="share of callbacks the queue drops")
    parser.add_argument("--duplicate", type=float, default=0.05, help="share of callbacks posted twice")
    parser.add_argument("--workers", type=int, default=8, help="the fake's CE queue workers")
    parser.add_argument("--resubmit-after", type=float, default=3.0, help="the drivers' resubmit_after (seconds)")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
