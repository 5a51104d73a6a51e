"""Section 3b: `invoke_many` against the fan-out a user would write by hand, client CPU per call.

``python -m benchmarks.fan_out_helper [--quick]`` runs this section alone against its own server.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, ExitStack
from typing import Any

from benchmarks import contenders, sections
from benchmarks.harness import Meter, ServerProcess
from benchmarks.report import Column, Goal, Section, ratio, render

HELPER_ASYNC = "AsyncOpenFaaS invoke_many(concurrency={n})"
GATHER = "asyncio.gather over invoke, Semaphore({n})"
HELPER_THREADS = "OpenFaaS invoke_many(concurrency={n})"
POOL = "ThreadPoolExecutor({n}).map over invoke"
LIMIT = 1.05


def _payloads(calls: int) -> Iterator[bytes]:
    return itertools.repeat(contenders.PAYLOAD, calls)


def _runs(
    url: str, loop: asyncio.AbstractEventLoop, stack: ExitStack, astack: AsyncExitStack, in_flight: int, threads: int
) -> dict[str, Callable[[int], int]]:
    """Each contender as a function making n invocations and returning its error count (a wrong body raises)."""
    from pyopenfaas import AsyncOpenFaaS, OpenFaaS

    auth: dict[str, Any] = {"username": contenders.USER, "password": contenders.PASSWORD, "env": {}}
    sync_fns = stack.enter_context(OpenFaaS(url, **auth)).functions
    client = loop.run_until_complete(astack.enter_async_context(AsyncOpenFaaS(url, **auth)))
    async_fns = client.functions

    async def helper(n: int) -> int:
        async for _, response in async_fns.invoke_many("echo", _payloads(n), concurrency=in_flight):
            contenders._echoed(contenders.pyopenfaas_body(response))
        return 0

    async def gather(n: int) -> int:
        semaphore = asyncio.Semaphore(in_flight)

        async def one(payload: bytes) -> None:
            async with semaphore:
                contenders._echoed(contenders.pyopenfaas_body(await async_fns.invoke("echo", payload)))

        await asyncio.gather(*(one(payload) for payload in _payloads(n)))
        return 0

    def thread_helper(n: int) -> int:
        for _, response in sync_fns.invoke_many("echo", _payloads(n), concurrency=threads):
            contenders._echoed(contenders.pyopenfaas_body(response))
        return 0

    def pool(n: int) -> int:
        with ThreadPoolExecutor(threads) as executor:
            for response in executor.map(lambda payload: sync_fns.invoke("echo", payload), _payloads(n)):
                contenders._echoed(contenders.pyopenfaas_body(response))
        return 0

    return {
        HELPER_ASYNC.format(n=in_flight): lambda n: loop.run_until_complete(helper(n)),
        GATHER.format(n=in_flight): lambda n: loop.run_until_complete(gather(n)),
        HELPER_THREADS.format(n=threads): thread_helper,
        POOL.format(n=threads): pool,
    }


def fan_out_helper(meter: Meter, config: sections.Config, skip_pyopenfaas: str | None) -> Section:
    """Section 3b: invoke_many's cost over a hand-written fan-out, async (tasks) and sync (threads)."""
    in_flight, threads, calls = config.fan_out_in_flight, config.threads, config.fan_out_calls
    section = Section(
        title="3b. Fan-out helper (invoke_many)",
        about=(
            f"`functions.invoke_many` against the fan-out one writes by hand over `functions.invoke`, {calls:,} "
            f"invocations of `POST /function/echo` (1 KiB) per contender in {config.rounds} interleaved rounds, "
            f"medians: async at {in_flight} in flight, sync in {threads} threads. Goal: invoke_many's client CPU "
            f"per call within {LIMIT}x the hand-written fan-out's."
        ),
        columns=[
            Column("contender", "contender"),
            Column("cpu_us", "client CPU us/call", "{:,.0f}"),
            Column("rps", "calls/s", "{:,.0f}"),
            Column("cpu_ratio", "CPU x hand-written", "{:.3f}"),
            Column("errors", "errors", "{:,}"),
        ],
    )
    pairs = [
        (HELPER_ASYNC.format(n=in_flight), GATHER.format(n=in_flight)),
        (HELPER_THREADS.format(n=threads), POOL.format(n=threads)),
    ]
    if skip_pyopenfaas:
        section.goals += [Goal(f"{mine} CPU/call <= {LIMIT}x {reference}", None) for mine, reference in pairs]
        return section
    loop = asyncio.new_event_loop()
    failed: dict[str, str] = {}
    with ExitStack() as stack:
        astack = AsyncExitStack()
        try:
            runs = _runs(meter.server.url, loop, stack, astack, in_flight, threads)
            sections._warm(meter, runs, max(in_flight, 100), failed)
            per_round = max(calls // config.rounds, 1)
            samples = sections._rounds(meter, runs, dict.fromkeys(runs, per_round), config.rounds, failed)
        finally:
            loop.run_until_complete(astack.aclose())
            loop.close()
    figures = {name: sections._per_call_figures(s) for name, s in samples.items()}
    for mine, reference in pairs:
        for name in (mine, reference):
            row: dict[str, Any] = {"contender": name}
            if name in figures:
                cpu, wall = figures[name]
                row |= {
                    "cpu_us": cpu * 1e6,
                    "rps": 1 / wall,
                    "cpu_ratio": ratio(cpu, figures[reference][0] if reference in figures else None),
                    "errors": sum(s.errors for s in samples[name]),
                }
            else:
                row["cpu_us"] = failed.get(name, "not measured")
            section.rows.append(row)
        section.goals.append(
            sections._at_most(f"{mine} CPU/call <= {LIMIT}x {reference}", figures, mine, reference, LIMIT)
        )
    section.notes.append(meter.server_note())
    return section


def main() -> int:
    config = sections.QUICK if "--quick" in sys.argv else sections.Config()
    with ServerProcess() as server:
        section = fan_out_helper(Meter(server), config, contenders.pyopenfaas_available())
    print(render([], [section]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
