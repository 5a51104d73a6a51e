"""`make stress`: the tests most exposed to timing (transport, streaming, fan-out, concurrency, IAM, the fake's
servers) run many times over, in random order and in parallel, while busy processes load every CPU.

Any failure fails the run; the seed printed by pytest-randomly replays the order
(`python tools/stress.py --seed N`). Usage: python tools/stress.py [--rounds 20] [--load N] [--seed N] [PATH ...]
(paths replace the default subjects; any other option goes to pytest).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time

# The subjects of the stress run: where a race, a leaked server or a timing assumption would show.
PATHS = [
    "tests/transport",  # the transports: pools, timeouts, TLS, proxies, loops
    "tests/client/test_streaming.py",  # streamed bodies and answers
    "tests/client/test_logs.py",  # log streams
    "tests/client/test_invoke.py",  # invoke and invoke_many's fan-out
    "tests/client/test_concurrency.py",  # many calls in flight, shared clients
    "tests/client/test_faults.py",  # faults on real sockets
    "tests/testing/test_concurrency.py",  # the fake gateway under concurrent calls
    "tests/testing/test_server.py",  # the served fake
    "tests/testing/test_demo.py",  # the demo command: served, then stopped by Ctrl-C
    "tests/testing/test_logs.py",  # the fake's log streams
    "tests/testing/test_queue.py",  # the fake queue: workers, callbacks over HTTP, switches
    "tests/iam",  # token exchange, single flight, the fake IAM
    "tests/jobs",  # queued jobs: the receiver, resubmission, the fake queue's callbacks
]
BUSY = "while True: pass"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/stress.py", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="how many times each test runs (default 20)")
    parser.add_argument("--load", type=int, default=os.cpu_count() or 1, help="busy processes (default: one a CPU)")
    parser.add_argument("--seed", help="pytest-randomly's seed, to replay a run")
    parser.add_argument("paths", nargs="*", help="tests to run instead of the default subjects")
    args, pytest_args = parser.parse_known_args(argv)
    if args.rounds < 1 or args.load < 0:
        parser.error("--rounds must be at least 1 and --load at least 0")
    seed = args.seed or str(random.randrange(2**32))  # pytest -q hides pytest-randomly's own line: print it here
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-x",  # the first failure ends the run and is reported at once, with its seed
        "-n",
        "auto",
        "--count",
        str(args.rounds),  # pytest-repeat: every test, --rounds times, shuffled together by pytest-randomly
        "--randomly-seed",
        seed,
        *pytest_args,
        *(args.paths or PATHS),
    ]
    busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(args.load)]
    started = time.monotonic()
    try:
        shown = " ".join(command[1:])
        print(f"stress: {args.rounds} rounds, {args.load} busy processes, seed {seed}: {shown}", flush=True)
        code = subprocess.call(command)
    finally:
        for process in busy:
            process.kill()
            process.wait()
    print(f"stress: {'passed' if code == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
