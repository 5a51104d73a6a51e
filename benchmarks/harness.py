"""Measurement plumbing: the server process, clocks around a run, fan-out drivers, medians."""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, Any


class ServerProcess:
    """The benchmark server (`benchmarks.server`) in a child process; counters read over its stdin/stdout."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port: int = json.loads(self._pipe_out.readline())["port"]
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def _pipe_out(self) -> IO[str]:
        assert self._proc.stdout is not None
        return self._proc.stdout

    def stats(self) -> dict[str, float]:
        """Cumulative counters: connections, requests, bytes_received, cpu (server CPU seconds)."""
        assert self._proc.stdin is not None
        self._proc.stdin.write("stats\n")
        self._proc.stdin.flush()
        return dict(json.loads(self._pipe_out.readline()))

    def close(self) -> None:
        """Stop the server (it exits when its stdin closes)."""
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        self._proc.wait(timeout=10)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Sample:
    """One timed run: client CPU and wall seconds, plus what the server saw meanwhile."""

    calls: int
    cpu: float
    wall: float
    errors: int
    connections: int
    server_cpu: float


class Meter:
    """Times runs against the server and keeps the server's CPU totals for the 'does it dominate' check."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.server_cpu = 0.0
        self.client_cpu = 0.0
        self.wall = 0.0
        self.server_shares: list[float] = []

    def run(self, calls: int, body: Callable[[], int]) -> Sample:
        """Run ``body`` (returns its error count) once, timed; ``calls`` is how many requests it makes."""
        gc.collect()
        before = self.server.stats()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        errors = body()
        wall = time.perf_counter() - wall0
        cpu = time.process_time() - cpu0
        after = self.server.stats()
        sample = Sample(
            calls=calls,
            cpu=cpu,
            wall=wall,
            errors=errors,
            connections=int(after["connections"] - before["connections"]),
            server_cpu=after["cpu"] - before["cpu"],
        )
        self.server_cpu += sample.server_cpu
        self.client_cpu += cpu
        self.wall += wall
        return sample

    def reset(self) -> None:
        """Start a new section's server-share totals."""
        self.server_cpu = self.client_cpu = self.wall = 0.0

    def server_note(self) -> str:
        """How busy the server was during the section (its CPU over the wall clock), against the client;
        also kept in ``server_shares`` for the report header."""
        if not self.wall:
            return "server: idle"
        share, client = self.server_cpu / self.wall, self.client_cpu / self.wall
        self.server_shares.append(share)
        verdict = "it never saturates its core" if share < 0.9 else "WARNING: it may dominate"
        return f"server CPU while measuring: {share:.0%} of one core, client {client:.0%}: {verdict}"


def repeat(calls: int, call: Callable[[], object]) -> int:
    """Call ``call`` ``calls`` times in a row; exceptions propagate (per-call runs must be error-free)."""
    for _ in itertools.repeat(None, calls):
        call()
    return 0


async def repeat_async(calls: int, call: Callable[[], Awaitable[object]]) -> int:
    """Await ``call()`` ``calls`` times in a row."""
    for _ in itertools.repeat(None, calls):
        await call()
    return 0


async def fan_out(calls: int, in_flight: int, call: Callable[[], Awaitable[object]]) -> int:
    """``calls`` awaits of ``call()``, ``in_flight`` at a time; returns how many raised."""
    counter = itertools.count()
    errors = 0

    async def worker() -> None:
        nonlocal errors
        while next(counter) < calls:
            try:
                await call()
            except Exception:
                errors += 1

    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return errors


def thread_fan_out(calls: int, threads: int, call: Callable[[], object]) -> int:
    """``calls`` calls of ``call()`` spread over ``threads`` threads; returns how many raised."""
    counter = itertools.count()  # next() on a count is atomic under the GIL

    def worker(_: int) -> int:
        errors = 0
        while next(counter) < calls:
            try:
                call()
            except Exception:
                errors += 1
        return errors

    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(worker, range(threads)))


def median(values: Sequence[float]) -> float:
    """The median (of the rounds)."""
    return statistics.median(values)


def raw_socket_rate(port: int, requests: int) -> float:
    """Requests/s of a minimal keep-alive raw-socket client (1 KiB echo): a floor on the server's capacity."""
    body = b"x" * 1024
    request = b"POST /function/echo HTTP/1.1\r\nHost: bench\r\nContent-Length: 1024\r\n\r\n" + body
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        start = time.perf_counter()
        for _ in range(requests):
            sock.sendall(request)
            received = b""
            while not received.endswith(body):
                received += sock.recv(65536)
        return requests / (time.perf_counter() - start)


def proc_status_kib(field: str) -> int:
    """A ``/proc/self/status`` figure in KiB (VmRSS, VmHWM)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def reset_peak_rss() -> None:
    """Reset VmHWM to the current RSS (Linux: write 5 to /proc/self/clear_refs)."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def child_json(args: list[str], timeout: float = 600) -> dict[str, Any]:
    """Run ``python -m benchmarks.child ARGS`` in a fresh process; its last stdout line is JSON."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))
