"""``python -m benchmarks [--quick] [--output BENCHMARKS.md] [--json FILE]``: run everything, print the report."""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version

from benchmarks import sections
from benchmarks.contenders import pyopenfaas_available
from benchmarks.fan_out_helper import fan_out_helper
from benchmarks.harness import Meter, ServerProcess, raw_socket_rate
from benchmarks.jobs import jobs_section
from benchmarks.report import Section, render


def _versions() -> str:
    found = []
    for package in ("httpx", "httpcore", "aiohttp", "requests", "pyopenfaas"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} (not installed)")
    return ", ".join(found)


def measured_source() -> str:
    """Which pyopenfaas source was measured: the git commit, and whether the package had uncommitted changes."""
    git = ["git", "-C", os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
    try:
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "wrapper"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "an unknown commit (not a git checkout)"
    changes = " plus uncommitted changes to wrapper/" if dirty.stdout.strip() else ""
    return f"commit `{commit.stdout.strip()}`{changes}"


def _progress(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)


def run(config: sections.Config, command: str) -> tuple[list[str], list[Section]]:
    """Run every section against one server; returns the report header and the sections."""
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    skip = pyopenfaas_available()
    done: list[Section] = []
    with ServerProcess() as server:
        meter = Meter(server)
        before = server.stats()
        rate = raw_socket_rate(server.port, config.raw_socket_requests)
        server_us = (server.stats()["cpu"] - before["cpu"]) / config.raw_socket_requests * 1e6
        loop = asyncio.new_event_loop()
        clients = sections.Clients(server.url, loop, skip_pyopenfaas=skip)
        try:
            _progress("1/7 per-call overhead", started)
            done.append(sections.per_call(meter, clients, config))
            _progress("2/7 concurrency", started)
            meter.reset()
            section, at_fan_out = sections.concurrency(meter, clients, config)
            done.append(section)
            _progress("3/7 async transports", started)
            meter.reset()
            done.append(sections.in_flight(meter, clients, config, at_fan_out))
            _progress("3b/7 invoke_many vs a hand-written fan-out", started)
            meter.reset()
            done.append(fan_out_helper(meter, config, skip))
        finally:
            clients.close()
            loop.close()
        _progress("4/7 log streaming", started)
        meter.reset()
        done.append(sections.logs(meter, config, skip))
        _progress("5/7 large bodies", started)
        meter.reset()
        done.append(sections.bodies(meter, config, skip))
        _progress("6/7 build context", started)
        meter.reset()
        done.append(sections.builds(meter, config, skip))
    shares = meter.server_shares
    _progress("7/7 import time", started)
    done.append(sections.imports(config, skip))
    _progress("8 queued jobs", started)
    done.append(jobs_section(config))
    _progress("done", started)
    goals = [goal for section in done for goal in section.goals]
    counts = {verdict: sum(goal.verdict == verdict for goal in goals) for verdict in ("met", "MISSED", "not measured")}
    header = [
        f"Measured at {measured_source()} by `{command}` on "
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, in {time.perf_counter() - started:.0f} s.",
        "",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.machine()}",
        f"- {_versions()}",
        "- Server: a raw asyncio HTTP/1.1 keep-alive server with canned answers (`benchmarks/server.py`), in its "
        "own process on 127.0.0.1, so its CPU is not the client's. It does not dominate: it used at most "
        f"{max(shares, default=0):.0%} of one core in any section (each section notes its share), and a "
        f"raw-socket keep-alive client gets {rate:,.0f} requests/s from it on the 1 KiB echo, one at a time "
        f"({server_us:.0f} us server CPU per request).",
        "- Client CPU is `time.process_time()` of the client process (all threads); wall is `time.perf_counter()`. "
        f"Load average (1 min) at start {load_before:.2f}, at end {os.getloadavg()[0]:.2f}: other processes on "
        "the machine stretch wall times (see each section's client CPU share), much less the CPU figures.",
        f"- Goals: {counts['met']} met, {counts['MISSED']} missed, {counts['not measured']} not measured.",
    ]
    if skip:
        header.append(f"- pyopenfaas rows not measured: {skip}.")
    missed = [goal for goal in goals if goal.met is False]
    if missed:
        header += ["", "Missed:", ""] + [f"- {goal.text}: {goal.detail}" for goal in missed]
    return header, done


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print the report and write it."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run of every section")
    parser.add_argument("--output", default="BENCHMARKS.md", help="where to write the Markdown report")
    parser.add_argument("--json", help="also write the results as JSON here")
    args = parser.parse_args(argv)
    command = "python -m benchmarks" + (" --quick" if args.quick else "")
    header, done = run(sections.QUICK if args.quick else sections.Config(), command)
    text = render(header, done)
    print(text)
    with open(args.output, "w") as out:
        out.write(text)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"header": header, "sections": [section.to_json() for section in done]}, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
