"""The benchmarks, one function per report section."""

from __future__ import annotations

import asyncio
import functools
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from benchmarks import contenders
from benchmarks.harness import (
    Meter,
    Sample,
    child_json,
    fan_out,
    median,
    repeat,
    repeat_async,
    thread_fan_out,
)
from benchmarks.report import Column, Goal, Section, ratio

MiB = 1 << 20
T = TypeVar("T")


@dataclass(frozen=True)
class Config:
    """Sizes and repeat counts; `QUICK` is the smoke-run variant."""

    rounds: int = 5
    round_seconds: float = 0.15
    warmup: int = 5
    fan_out_calls: int = 5000
    fan_out_in_flight: int = 64
    threads: int = 16
    in_flight_calls: int = 600
    in_flight_levels: tuple[int, ...] = (1, 8)
    log_lines: tuple[int, int] = (100_000, 1_000_000)
    body_bytes: int = 256 * MiB
    build_bytes: int = 200 * MiB
    imports: int = 10
    raw_socket_requests: int = 5000


QUICK = Config(
    rounds=2,
    round_seconds=0.01,
    warmup=2,
    fan_out_calls=128,
    in_flight_calls=40,
    log_lines=(2_000, 20_000),
    body_bytes=4 * MiB,
    build_bytes=4 * MiB,
    imports=3,
    raw_socket_requests=300,
)

PYOPENFAAS_SYNC, PYOPENFAAS_ASYNC, PYOPENFAAS_ASYNC_HTTPX = (
    "pyopenfaas OpenFaaS",
    "pyopenfaas AsyncOpenFaaS",
    ("pyopenfaas AsyncOpenFaaS (httpx transport)"),
)
HTTPX_SYNC, HTTPX_ASYNC, AIOHTTP = "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"


def _why(exc: BaseException) -> str:
    """A one-line reason for a contender that could not run."""
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {os.path.basename(where.filename)}:{where.lineno}" if where else ""
    return f"error: {type(exc).__name__}: {str(exc)[:100]}{at}"


class Clients:
    """Every contender's calls, opened once on one event loop (async) or exit stack (sync)."""

    def __init__(self, url: str, loop: asyncio.AbstractEventLoop, *, skip_pyopenfaas: str | None) -> None:
        self.loop = loop
        self.stack = ExitStack()
        self.astack = AsyncExitStack()
        self.sync: dict[str, contenders.Ops] = {}
        self.async_: dict[str, contenders.AsyncOps] = {}
        self.failed: dict[str, str] = {}
        for name, factory in contenders.SYNC.items():
            if ops := self._open(name, skip_pyopenfaas, functools.partial(factory, self.stack, url)):
                self.sync[name] = ops
        for name, afactory in contenders.ASYNC.items():
            opener = functools.partial(self._open_async, afactory, url)
            if aops := self._open(name, skip_pyopenfaas, opener):
                self.async_[name] = aops

    def _open_async(self, factory: contenders.AsyncFactory, url: str) -> contenders.AsyncOps:
        return self.loop.run_until_complete(factory(self.astack, url))

    def _open(self, name: str, skip_pyopenfaas: str | None, opener: Callable[[], T]) -> T | None:
        if skip_pyopenfaas and name in contenders.PYOPENFAAS:
            self.failed[name] = skip_pyopenfaas
            return None
        try:
            return opener()
        except Exception as exc:
            self.failed[name] = _why(exc)
            return None

    def runner(self, name: str, op: str) -> Callable[[int], int] | None:
        """A function running ``op`` n times in a row on contender ``name``, or None if it cannot run."""
        if name in self.failed:
            return None
        if name in self.sync:
            call = self.sync[name][op]
            return lambda n: repeat(n, call)
        if name in self.async_:
            acall = self.async_[name][op]
            return lambda n: self.loop.run_until_complete(repeat_async(n, acall))
        return None

    def fan_out(self, name: str, in_flight: int) -> Callable[[int], int] | None:
        """A function making n invokes with ``in_flight`` concurrent (async) or, for sync, in threads."""
        if name in self.failed:
            return None
        if name in self.sync:
            call = self.sync[name]["invoke"]
            return lambda n: thread_fan_out(n, in_flight, call)
        if name in self.async_:
            acall = self.async_[name]["invoke"]
            return lambda n: self.loop.run_until_complete(fan_out(n, in_flight, acall))
        return None

    def close(self) -> None:
        """Close every client."""
        self.stack.close()
        self.loop.run_until_complete(self.astack.aclose())


def _warm(meter: Meter, runs: dict[str, Callable[[int], int]], calls: int, failed: dict[str, str]) -> dict[str, Sample]:
    """Run each contender ``calls`` times, timed but outside the medians (loads lazy code, opens connections,
    checks answers); a contender that raises or reports errors moves to ``failed``."""
    warm: dict[str, Sample] = {}
    for name, run in list(runs.items()):
        try:
            sample = meter.run(calls, functools.partial(run, calls))
            if sample.errors:
                raise RuntimeError(f"{sample.errors} errors in {calls} warm-up calls")
            warm[name] = sample
        except Exception as exc:
            failed[name] = _why(exc)
            del runs[name]
    return warm


def _rounds(
    meter: Meter, runs: dict[str, Callable[[int], int]], calls: dict[str, int], rounds: int, failed: dict[str, str]
) -> dict[str, list[Sample]]:
    """``rounds`` rounds, each running every contender once, ``calls[name]`` calls (interleaved, so drift
    hits all alike). A contender that raises moves to ``failed`` and has no samples."""
    samples: dict[str, list[Sample]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            if name in failed:
                continue
            n = calls[name]
            try:
                samples[name].append(meter.run(n, functools.partial(run, n)))
            except Exception as exc:
                failed[name] = _why(exc)
    return {name: s for name, s in samples.items() if name not in failed}


def _per_call_figures(samples: list[Sample]) -> tuple[float, float]:
    """Median CPU and wall seconds per call."""
    return median([s.cpu / s.calls for s in samples]), median([s.wall / s.calls for s in samples])


# 1. Per-call overhead -----------------------------------------------------------------------------


def per_call(meter: Meter, clients: Clients, config: Config) -> Section:
    """Section 1: CPU and wall time per call, sequential, one warm keep-alive connection."""
    section = Section(
        title="1. Per-call overhead",
        about=(
            f"One call at a time on a warm client; medians of {config.rounds} rounds of about "
            f"{config.round_seconds:g} s each (calls per round set from the warm-up; `calls` is the total). "
            "`list` = `functions.list()`, 100 functions; `list5` = the same, then five fields of each read "
            "(name, image, namespace, replicas, available replicas); `get` = `functions.get()`; `invoke` = 1 KiB "
            "echoed. Raw clients parse JSON with `.json()` and read dicts. Ratios: sync rows to `httpx.Client`, "
            "async rows to `httpx.AsyncClient`. Goal: pyopenfaas CPU per call within 1.15x raw httpx; `list5` "
            "at most 1.0x; AsyncOpenFaaS's `invoke` within 1.3x raw aiohttp's CPU. `invoke, function auth`: "
            "pyopenfaas's `invoke` without auth and, on an OpenFaaS IAM client, with `function_auth=True` and "
            "the function token cached (ratios there to the same client without auth; goal: within 1.10x)."
        ),
        columns=[
            Column("op", "call"),
            Column("contender", "contender"),
            Column("cpu_us", "client CPU us/call", "{:,.0f}"),
            Column("wall_us", "wall us/call", "{:,.0f}"),
            Column("cpu_ratio", "CPU x raw httpx", "{:.2f}"),
            Column("wall_ratio", "wall x raw httpx", "{:.2f}"),
            Column("calls", "calls", "{:,}"),
            Column("connections", "connections opened", "{:,}"),
        ],
    )
    names = [n for n in (*contenders.SYNC, *contenders.ASYNC) if n != PYOPENFAAS_ASYNC_HTTPX]
    for op in ("list", "list5", "get", "invoke"):
        limit = 1.0 if op == "list5" else 1.15
        runs = {n: r for n in names if (r := clients.runner(n, op)) is not None}
        samples, figures = _measured(meter, runs, config, clients.failed)
        for name in names:
            reference = HTTPX_SYNC if name in contenders.SYNC else HTTPX_ASYNC
            section.rows.append(_row(op, name, samples, figures, reference, clients.failed.get(name, "not measured")))
        for name, reference_name in ((PYOPENFAAS_SYNC, HTTPX_SYNC), (PYOPENFAAS_ASYNC, HTTPX_ASYNC)):
            section.goals.append(
                _at_most(f"{op}: {name} CPU/call <= {limit:g}x {reference_name}", figures, name, reference_name, limit)
            )
        if op == "invoke":  # the async client is measured against the transport it sends through
            text = f"{op}: {PYOPENFAAS_ASYNC} CPU/call <= 1.3x {AIOHTTP}"
            section.goals.append(_at_most(text, figures, PYOPENFAAS_ASYNC, AIOHTTP, 1.3))
    _function_auth_rows(meter, clients, config, section)
    section.notes.append(meter.server_note())
    return section


def _measured(
    meter: Meter, runs: dict[str, Callable[[int], int]], config: Config, failed: dict[str, str]
) -> tuple[dict[str, list[Sample]], dict[str, tuple[float, float]]]:
    """Two warm-up passes (the second sets the round size), then the rounds: the samples, and the median CPU
    and wall seconds per call of each contender."""
    _warm(meter, runs, config.warmup, failed)
    timed = _warm(meter, runs, config.warmup, failed)
    calls = {n: max(3, round(config.round_seconds * w.calls / w.wall)) for n, w in timed.items()}
    samples = _rounds(meter, runs, calls, config.rounds, failed)
    return samples, {name: _per_call_figures(s) for name, s in samples.items()}


def _row(
    op: str,
    name: str,
    samples: dict[str, list[Sample]],
    figures: dict[str, tuple[float, float]],
    reference_name: str,
    missing: str,
) -> dict[str, Any]:
    """A per-call row: figures, and ratios to `reference_name`'s; `missing` when it was not measured."""
    row: dict[str, Any] = {"op": op, "contender": name}
    if name not in figures:
        return row | {"cpu_us": missing}
    (cpu, wall), reference = figures[name], figures.get(reference_name)
    return row | {
        "cpu_us": cpu * 1e6,
        "wall_us": wall * 1e6,
        "cpu_ratio": ratio(cpu, reference and reference[0]),
        "wall_ratio": ratio(wall, reference and reference[1]),
        "calls": sum(s.calls for s in samples[name]),
        "connections": sum(s.connections for s in samples[name]),
    }


def _function_auth_rows(meter: Meter, clients: Clients, config: Config, section: Section) -> None:
    """`invoke` without auth and with a cached function token (OpenFaaS IAM), interleaved in the same rounds
    (three times as many as the other rows); the ratio column is to the same client's `invoke` without auth."""
    labels = {}
    for name in (PYOPENFAAS_SYNC, PYOPENFAAS_ASYNC):
        labels[f"{name}, no auth"] = (name, "invoke")
        labels[f"{name}, cached function token"] = (name, "invoke_auth")
    runs = {label: r for label, (name, op) in labels.items() if (r := clients.runner(name, op)) is not None}
    failed: dict[str, str] = {}
    # Three times the rounds: the goal is a tight ratio between two close figures on a shared machine.
    tighter = replace(config, rounds=config.rounds * 3)
    samples, figures = _measured(meter, runs, tighter, failed)  # the first warm-up call exchanges the tokens
    for label, (name, _) in labels.items():
        plain = label.replace("cached function token", "no auth")
        missing = failed.get(label) or clients.failed.get(name, "not measured")
        section.rows.append(_row("invoke, function auth", label, samples, figures, plain, missing))
    for name in (PYOPENFAAS_SYNC, PYOPENFAAS_ASYNC):
        section.goals.append(
            _at_most(
                f"invoke with a cached function token: {name} CPU/call <= 1.10x without auth",
                figures,
                f"{name}, cached function token",
                f"{name}, no auth",
                1.10,
            )
        )


def _at_most(text: str, figures: dict[str, tuple[float, float]], name: str, reference: str, limit: float) -> Goal:
    if name not in figures or reference not in figures:
        return Goal(text, None)
    value = figures[name][0] / figures[reference][0]
    return Goal(text, value <= limit, f"{value:.3f}x")


# 2 and 3. Concurrency -----------------------------------------------------------------------------


@dataclass
class Throughput:
    """A fan-out result: medians of rounds, totals of errors and connections."""

    calls: int
    per_second: float
    cpu_per_call: float
    errors: int
    connections: int


def _fan_out_rows(
    meter: Meter, clients: Clients, names: list[str], calls: int, in_flight: int, rounds: int
) -> dict[str, Throughput]:
    """Per contender, a warm-up then ``rounds`` consecutive rounds (not interleaved: idle gaps would let
    keep-alive connections expire and blur the pool-reuse count)."""
    per_round = max(calls // rounds, 1)
    found: dict[str, Throughput] = {}
    for name in names:
        run = clients.fan_out(name, in_flight)
        if run is None:
            continue
        warm = _warm(meter, {name: run}, max(in_flight, 10), clients.failed)
        s = _rounds(meter, {name: run}, {name: per_round}, rounds, clients.failed).get(name)
        if s:
            found[name] = Throughput(
                calls=per_round * len(s),
                per_second=median([x.calls / x.wall for x in s]),
                cpu_per_call=median([x.cpu / x.calls for x in s]),
                errors=sum(x.errors for x in s),
                connections=warm[name].connections + sum(x.connections for x in s),
            )
    return found


def _throughput_row(name: str, result: Throughput | None, clients: Clients) -> dict[str, Any]:
    if result is None:
        return {"contender": name, "rps": clients.failed.get(name, "not measured")}
    return {
        "contender": name,
        "calls": result.calls,
        "rps": result.per_second,
        "cpu_ms": result.cpu_per_call * 1e3,
        "errors": result.errors,
        "connections": result.connections,
    }


def concurrency(meter: Meter, clients: Clients, config: Config) -> tuple[Section, dict[str, Throughput]]:
    """Section 2: many invokes at once; async clients at 64 in flight, sync clients shared by 16 threads."""
    calls, in_flight, threads = config.fan_out_calls, config.fan_out_in_flight, config.threads
    section = Section(
        title="2. Concurrency",
        about=(
            f"{calls:,} invocations of `POST /function/echo` (1 KiB) per contender: async clients with "
            f"{in_flight} in flight, sync clients shared by {threads} threads; {config.rounds} rounds of "
            f"{calls // config.rounds:,}, medians. Errors and connections (accepted by the server) are totals. "
            "Connections include the warm-up's. "
            "Ratios: async rows to `httpx.AsyncClient`, threaded rows to `httpx.Client` in threads. "
            f"Goal: AsyncOpenFaaS within 0.9x of raw httpx throughput; no errors; pool reused (at most "
            f"{in_flight} connections async, {threads} threaded)."
        ),
        columns=[
            Column("contender", "contender"),
            Column("calls", "calls", "{:,}"),
            Column("rps", "requests/s", "{:,.0f}"),
            Column("cpu_ms", "client CPU ms/request", "{:.3f}"),
            Column("ratio", "throughput x raw httpx", "{:.2f}"),
            Column("errors", "errors", "{:,}"),
            Column("connections", "connections", "{:,}"),
        ],
    )
    async_names = [PYOPENFAAS_ASYNC, HTTPX_ASYNC, AIOHTTP]
    sync_names = [PYOPENFAAS_SYNC, HTTPX_SYNC]
    results = _fan_out_rows(meter, clients, async_names, calls, in_flight, config.rounds)
    threaded = _fan_out_rows(meter, clients, sync_names, calls, threads, config.rounds)
    for names, found, reference, suffix in (
        (async_names, results, HTTPX_ASYNC, f", {in_flight} in flight"),
        (sync_names, threaded, HTTPX_SYNC, f", {threads} threads"),
    ):
        for name in names:
            row = _throughput_row(name + suffix, found.get(name), clients)
            if name in found and reference in found:
                row["ratio"] = found[name].per_second / found[reference].per_second
            section.rows.append(row)
    pyopenfaas_async, raw_async = results.get(PYOPENFAAS_ASYNC), results.get(HTTPX_ASYNC)
    pyopenfaas_threads = threaded.get(PYOPENFAAS_SYNC)
    text = f"{PYOPENFAAS_ASYNC} throughput >= 0.9x {HTTPX_ASYNC}"
    if pyopenfaas_async and raw_async:
        share = pyopenfaas_async.per_second / raw_async.per_second
        section.goals.append(Goal(text, share >= 0.9, f"{share:.3f}x"))
    else:
        section.goals.append(Goal(text, None))
    for label, result, limit in (
        (f"{PYOPENFAAS_ASYNC}, {in_flight} in flight", pyopenfaas_async, in_flight),
        (f"{PYOPENFAAS_SYNC}, {threads} threads", pyopenfaas_threads, threads),
    ):
        if result is None:
            section.goals.append(Goal(f"{label}: no errors, pool reused", None))
            continue
        section.goals.append(Goal(f"{label}: no errors", result.errors == 0, f"{result.errors} errors"))
        section.goals.append(
            Goal(
                f"{label}: pool reused (<= {limit} connections)",
                result.connections <= limit,
                f"{result.connections} connections",
            )
        )
    section.notes.append(meter.server_note())
    return section, results


def in_flight(meter: Meter, clients: Clients, config: Config, at_fan_out: dict[str, Throughput]) -> Section:
    """Section 3: async transports at 1, 8 and 64 in flight; sync httpx.Client as the 1 in flight bar."""
    top = config.fan_out_in_flight
    section = Section(
        title="3. Async transports",
        about=(
            f"`POST /function/echo` (1 KiB) at 1, 8 and {top} in flight, {config.rounds} rounds per contender, "
            f"medians; the {top} in flight rows are section 2's, except the httpx-transport one. Goals: "
            f"AsyncOpenFaaS at {top} in flight >= 5x raw `httpx.AsyncClient` and >= 0.7x raw aiohttp throughput, "
            "client CPU < 1 ms per request; at 1 in flight no slower than raw `httpx.Client` (sync)."
        ),
        columns=[
            Column("in_flight", "in flight", "{}"),
            Column("contender", "contender"),
            Column("calls", "calls", "{:,}"),
            Column("rps", "requests/s", "{:,.0f}"),
            Column("cpu_ms", "client CPU ms/request", "{:.3f}"),
            Column("x_httpx", "x httpx.AsyncClient", "{:.2f}"),
            Column("x_aiohttp", "x aiohttp", "{:.2f}"),
            Column("errors", "errors", "{:,}"),
        ],
    )
    names = list(contenders.ASYNC)
    levels: dict[int, dict[str, Throughput]] = {}
    for level in config.in_flight_levels:
        levels[level] = _fan_out_rows(meter, clients, names, config.in_flight_calls, level, config.rounds)
    levels[1] |= _fan_out_rows(meter, clients, [HTTPX_SYNC], config.in_flight_calls, 1, config.rounds)
    extra = _fan_out_rows(meter, clients, [PYOPENFAAS_ASYNC_HTTPX], config.in_flight_calls, top, config.rounds)
    levels[top] = at_fan_out | extra
    for level, found in levels.items():
        for name in [*names, HTTPX_SYNC] if level == 1 else names:
            row = {"in_flight": level} | _throughput_row(name, found.get(name), clients)
            row.pop("connections", None)
            if name in found:
                row["x_httpx"] = ratio(
                    found[name].per_second, found[HTTPX_ASYNC].per_second if HTTPX_ASYNC in found else None
                )
                row["x_aiohttp"] = ratio(
                    found[name].per_second, found[AIOHTTP].per_second if AIOHTTP in found else None
                )
            section.rows.append(row)
    mine = levels[top].get(PYOPENFAAS_ASYNC)
    for reference, factor in ((HTTPX_ASYNC, 5.0), (AIOHTTP, 0.7)):
        text = f"{PYOPENFAAS_ASYNC} at {top} in flight >= {factor}x {reference}"
        other = levels[top].get(reference)
        if mine and other:
            value = mine.per_second / other.per_second
            section.goals.append(Goal(text, value >= factor, f"{value:.3f}x"))
        else:
            section.goals.append(Goal(text, None))
    text = f"{PYOPENFAAS_ASYNC} at {top} in flight: client CPU < 1 ms/request"
    section.goals.append(
        Goal(text, mine.cpu_per_call < 1e-3, f"{mine.cpu_per_call * 1e3:.3f} ms") if mine else Goal(text, None)
    )
    one, sync = levels[1].get(PYOPENFAAS_ASYNC), levels[1].get(HTTPX_SYNC)
    text = f"{PYOPENFAAS_ASYNC} at 1 in flight: requests/s >= {HTTPX_SYNC} (sync)"
    if one and sync:
        value = one.per_second / sync.per_second
        section.goals.append(Goal(text, value >= 1.0, f"{value:.3f}x"))
    else:
        section.goals.append(Goal(text, None))
    section.notes.append(meter.server_note())
    return section


# 4. Log streaming ---------------------------------------------------------------------------------

_CHILD_CLIENTS = {"pyopenfaas": PYOPENFAAS_SYNC, "pyopenfaas-async": PYOPENFAAS_ASYNC, "httpx": "httpx.Client (raw)"}


def _children(
    meter: Meter, skip_pyopenfaas: str | None, jobs: list[tuple[str, str, str]]
) -> dict[tuple[str, str], dict[str, Any] | str]:
    """Run child measurements (kind, client, arg) against the server; a failure becomes its reason."""
    results: dict[tuple[str, str], dict[str, Any] | str] = {}
    for kind, client, arg in jobs:
        key = (client, arg)
        if skip_pyopenfaas and client != "httpx":
            results[key] = skip_pyopenfaas
            continue
        holder: dict[str, Any] = {}

        def run(kind: str = kind, client: str = client, arg: str = arg, holder: dict[str, Any] = holder) -> int:
            holder |= child_json([kind, client, meter.server.url, arg])
            return 0

        try:
            meter.run(1, run)
            meter.client_cpu += holder["cpu"]
            results[key] = holder
        except Exception as exc:
            results[key] = f"error: {str(exc)[:160]}"
    return results


def logs(meter: Meter, config: Config, skip_pyopenfaas: str | None) -> Section:
    """Section 4: NDJSON log lines through `functions.logs()`; lines/s and peak RSS, each run a fresh process."""
    small, large = config.log_lines
    section = Section(
        title="4. Log streaming",
        about=(
            f"`functions.logs(name, tail=N)` over N NDJSON lines (about 190 bytes each, chunked), every line "
            f"parsed; each run in a fresh process (1 run each). Raw httpx: `iter_lines()` + `json.loads`. "
            f"Peak RSS is VmHWM above the warm client's RSS. Goals: pyopenfaas (sync and async) at least 1.0x raw "
            f"httpx's lines/s, and its peak RSS flat (within 10 MiB) from {small:,} to {large:,} lines."
        ),
        columns=[
            Column("contender", "contender"),
            Column("lines_per_s", f"lines/s ({large:,})", "{:,.0f}"),
            Column("cpu_us", "client CPU us/line", "{:.2f}"),
            Column("ratio", "lines/s x raw httpx", "{:.2f}"),
            Column("rss_small", f"peak RSS MiB ({small:,})", "{:.1f}"),
            Column("rss_large", f"peak RSS MiB ({large:,})", "{:.1f}"),
            Column("growth", "growth MiB", "{:.1f}"),
        ],
    )
    jobs = [("logs", client, str(n)) for client in _CHILD_CLIENTS for n in (small, large)]
    results = _children(meter, skip_pyopenfaas, jobs)
    reference = results.get(("httpx", str(large)))
    for client, label in _CHILD_CLIENTS.items():
        first, second = results[client, str(small)], results[client, str(large)]
        if isinstance(first, str) or isinstance(second, str):
            why = next(r for r in (first, second) if isinstance(r, str))
            section.rows.append({"contender": label, "lines_per_s": why})
            if client != "httpx":
                section.goals.append(Goal(f"{label}: lines/s >= 1.0x raw httpx", None))
                section.goals.append(Goal(f"{label}: peak RSS growth <= 10 MiB", None))
            continue
        rate = second["count"] / second["wall"]
        rss = [(r["peak_kib"] - r["baseline_kib"]) / 1024 for r in (first, second)]
        speed = ratio(rate, reference["count"] / reference["wall"]) if isinstance(reference, dict) else None
        section.rows.append(
            {
                "contender": label,
                "lines_per_s": rate,
                "cpu_us": second["cpu"] / second["count"] * 1e6,
                "ratio": speed,
                "rss_small": rss[0],
                "rss_large": rss[1],
                "growth": rss[1] - rss[0],
            }
        )
        if client != "httpx":
            met = None if speed is None else speed >= 1.0
            section.goals.append(Goal(f"{label}: lines/s >= 1.0x raw httpx", met, f"{speed or 0:.2f}x"))
            growth = rss[1] - rss[0]
            section.goals.append(Goal(f"{label}: peak RSS growth <= 10 MiB", growth <= 10, f"{growth:+.1f} MiB"))
    section.notes.append(meter.server_note())
    return section


# 5. Large bodies ----------------------------------------------------------------------------------


def bodies(meter: Meter, config: Config, skip_pyopenfaas: str | None) -> Section:
    """Section 5: a large upload from a file object and a large download streamed to disk; peak RSS."""
    size = config.body_bytes
    section = Section(
        title="5. Large bodies",
        about=(
            f"`invoke()` uploading {size / MiB:,.0f} MiB from an open file object, and streaming a "
            f"{size / MiB:,.0f} MiB response to a file (`stream=True`, `iter_bytes`); each run in a fresh process. "
            "Peak RSS is VmHWM above the warm client's RSS. Goal: under 64 MiB above baseline."
        ),
        columns=[
            Column("direction", "direction"),
            Column("contender", "contender"),
            Column("mib_s", "MiB/s", "{:,.0f}"),
            Column("cpu_s", "client CPU s", "{:.2f}"),
            Column("ratio", "MiB/s x raw httpx", "{:.2f}"),
            Column("rss", "peak RSS MiB above baseline", "{:.1f}"),
        ],
    )
    with tempfile.TemporaryDirectory(prefix="pyopenfaas-bench-") as tmp:
        upload = os.path.join(tmp, "upload.bin")
        block = os.urandom(MiB)
        with open(upload, "wb") as out:
            for start in range(0, size, MiB):
                out.write(block[: min(MiB, size - start)])
        jobs = [("upload", client, upload) for client in _CHILD_CLIENTS]
        jobs += [("download", client, str(size)) for client in _CHILD_CLIENTS]
        results = _children(meter, skip_pyopenfaas, jobs)
    for direction, arg in (("upload", upload), ("download", str(size))):
        reference = results.get(("httpx", arg))
        for client, label in _CHILD_CLIENTS.items():
            result = results[client, arg]
            row: dict[str, Any] = {"direction": direction, "contender": label}
            goal = f"{direction} via {label}: peak RSS < 64 MiB above baseline"
            if isinstance(result, str):
                row["mib_s"] = result
                if client != "httpx":
                    section.goals.append(Goal(goal, None))
            else:
                rss = (result["peak_kib"] - result["baseline_kib"]) / 1024
                rate = result["count"] / MiB / result["wall"]
                row |= {"mib_s": rate, "cpu_s": result["cpu"], "rss": rss}
                if isinstance(reference, dict):
                    row["ratio"] = rate / (reference["count"] / MiB / reference["wall"])
                if client != "httpx":
                    section.goals.append(Goal(goal, rss < 64, f"{rss:.1f} MiB"))
            section.rows.append(row)
    section.notes.append(meter.server_note())
    return section


def builds(meter: Meter, config: Config, skip_pyopenfaas: str | None) -> Section:
    """Section 6: a large build context tarred, signed and sent to the Function Builder; peak RSS. Runs alone
    with `python -m benchmarks.build_context`."""
    size = config.build_bytes
    section = Section(
        title="6. Build context",
        about=(
            f"`FunctionBuilder.build_stream()` of a {size / MiB:,.0f} MiB build context (a Dockerfile and eight "
            "files): tarred to a temporary file, signed (HMAC-SHA256) as it is written, then streamed to `POST "
            "/build` and the NDJSON results read; each run in a fresh process. MiB/s is context bytes over the whole "
            "call. Peak RSS is VmHWM above the warm client's RSS. Goal: under 64 MiB above baseline."
        ),
        columns=[
            Column("contender", "contender"),
            Column("mib_s", "MiB/s", "{:,.0f}"),
            Column("cpu_s", "client CPU s", "{:.2f}"),
            Column("rss", "peak RSS MiB above baseline", "{:.1f}"),
        ],
    )
    with tempfile.TemporaryDirectory(prefix="pyopenfaas-bench-build-") as context:
        with open(os.path.join(context, "Dockerfile"), "w") as out:
            out.write("FROM scratch\nCOPY . /\n")
        block = os.urandom(MiB)
        for index in range(8):
            with open(os.path.join(context, f"blob-{index}.bin"), "wb") as out:
                part = size // 8
                for start in range(0, part, MiB):
                    out.write(block[: min(MiB, part - start)])
        clients = {"pyopenfaas": "pyopenfaas FunctionBuilder", "pyopenfaas-async": "pyopenfaas AsyncFunctionBuilder"}
        results = _children(meter, skip_pyopenfaas, [("build", client, context) for client in clients])
    for client, label in clients.items():
        result = results[client, context]
        row: dict[str, Any] = {"contender": label}
        goal = f"build context of {size / MiB:,.0f} MiB via {label}: peak RSS < 64 MiB above baseline"
        if isinstance(result, str):
            row["mib_s"] = result
            section.goals.append(Goal(goal, None))
        else:
            rss = (result["peak_kib"] - result["baseline_kib"]) / 1024
            row |= {"mib_s": result["count"] / MiB / result["wall"], "cpu_s": result["cpu"], "rss": rss}
            section.goals.append(Goal(goal, rss < 64, f"{rss:.1f} MiB"))
        section.rows.append(row)
    section.notes.append(meter.server_note())
    return section


# 7. Import time -----------------------------------------------------------------------------------


def _import_env() -> dict[str, str]:
    """The environment for import timing: bytecode caches written and used, as in an installed package."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _timed(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall ms of the whole process and of the timed statement inside it, over fresh processes. The
    commands take turns, run by run, so that a change in the machine's load weighs on each alike."""
    env = _import_env()
    for command in commands.values():
        subprocess.run(command, check=True, env=env, capture_output=True)  # writes the bytecode caches
    process: dict[str, list[float]] = {label: [] for label in commands}
    inside: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, command in commands.items():
            start = time.perf_counter()
            done = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
            process[label].append((time.perf_counter() - start) * 1e3)
            inside[label].append(float(done.stdout) * 1e3)
    return {label: (median(process[label]), median(inside[label])) for label in commands}


def import_offenders(module: str, top: int = 12) -> str:
    """The ``python -X importtime`` lines with the largest cumulative times for ``import module``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
        env=_import_env(),
    )
    rows = []
    for line in done.stderr.splitlines():
        own, cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        if own.isdigit():  # skips the header line
            rows.append((int(cumulative), int(own), name))
    rows.sort(reverse=True)
    return "\n".join(
        f"{total / 1000:8.1f} ms cumulative {own / 1000:7.1f} ms self  {name}" for total, own, name in rows[:top]
    )


def imports(config: Config, skip_pyopenfaas: str | None) -> Section:
    """Section 7: `python -c "import pyopenfaas"` against `python -c "import httpx"`, fresh processes."""
    runs = config.imports
    section = Section(
        title="7. Import time",
        about=(
            f'Wall time of `python -c "import X"`, whole process, median of {runs} fresh processes (the commands '
            "taking turns), with bytecode caches present as in an installed package (PYTHONDONTWRITEBYTECODE unset "
            "for these runs); "
            "`import` alone is the import statement timed inside the process. Goal: pyopenfaas within 1.2x httpx; "
            "`import pyopenfaas` must not import aiohttp."
        ),
        columns=[
            Column("statement", "command"),
            Column("process_ms", "process ms", "{:.1f}"),
            Column("import_ms", "import alone ms", "{:.1f}"),
            Column("ratio", "process x httpx", "{:.2f}"),
        ],
    )
    statements = {"pass": "pass", "import httpx": "import httpx"}
    if not skip_pyopenfaas:
        statements["import pyopenfaas"] = "import pyopenfaas"
    timer = "import time; t = time.perf_counter(); {}; print(time.perf_counter() - t)"
    figures = _timed({label: [sys.executable, "-c", timer.format(stmt)] for label, stmt in statements.items()}, runs)
    for label, (process_ms, import_ms) in figures.items():
        section.rows.append(
            {
                "statement": f'python -c "{label}"',
                "process_ms": process_ms,
                "import_ms": import_ms,
                "ratio": process_ms / figures["import httpx"][0],
            }
        )
    if "import pyopenfaas" not in figures:
        section.rows.append({"statement": 'python -c "import pyopenfaas"', "process_ms": skip_pyopenfaas})
        section.goals.append(Goal("import pyopenfaas within 1.2x import httpx", None))
        return section
    value = figures["import pyopenfaas"][0] / figures["import httpx"][0]
    section.goals.append(Goal("import pyopenfaas within 1.2x import httpx", value <= 1.2, f"{value:.3f}x"))
    check = subprocess.run(
        [sys.executable, "-c", "import sys, pyopenfaas; print('aiohttp' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = check.stdout.strip() == "True"
    section.goals.append(
        Goal("import pyopenfaas does not import aiohttp", not imported, "imported" if imported else "not imported")
    )
    if value > 2:
        section.details = (
            '`python -X importtime -c "import pyopenfaas"`, top cumulative:\n\n```\n'
            + import_offenders("pyopenfaas")
            + "\n```"
        )
    return section
