"""Section 8: queued jobs (`client.jobs(...)`): results per second against `invoke_many` through the served fake
gateway, the driver's peak memory growth, and the callback receiver's callbacks per second.

``python -m benchmarks.jobs [--quick]`` runs this section alone. The fake gateway, each driver and the callback
poster run in processes of their own, so that one's CPU is not another's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

from benchmarks import sections
from benchmarks.report import Column, Goal, Section, ratio, render

PAYLOAD = b"x" * 64
RECEIVER_GOAL = 5000.0  # callbacks/s
THROUGHPUT_GOAL = 0.5  # x invoke_many
MEMORY_GOAL_MIB = 64.0


def _sizes(config: sections.Config) -> tuple[int, int]:
    """(jobs through the fake, callbacks posted to the receiver)."""
    quick = config is sections.QUICK
    return (300, 2000) if quick else (100_000, 50_000)


# --- child processes ------------------------------------------------------------------------------------------


def serve_fake() -> None:
    """A fake gateway with `echo`, served until stdin closes; prints its URL."""
    from pyopenfaas.testing import FakeGateway, QueueConfig

    # Eight CE queue workers reusing their callback connections: the queue as fast as the fake can run it.
    gateway = FakeGateway(queue=QueueConfig(workers=8, callback_keep_alive=True))
    gateway.deploy("echo")
    with gateway, gateway.serve() as url:
        print(json.dumps({"url": url}), flush=True)
        sys.stdin.read()


def drive(kind: str, url: str, calls: int) -> None:
    """Make `calls` calls one way, print wall seconds and peak RSS growth (MiB) as JSON."""
    from pyopenfaas import AsyncOpenFaaS, OpenFaaS

    before = _rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    stats: dict[str, int] = {}
    done = 0
    if kind == "invoke_many":
        with OpenFaaS(url, env={}) as client:
            for _, response in client.functions.invoke_many("echo", _payloads(calls), concurrency=32, ordered=False):
                done += response.status_code == 200  # type: ignore[union-attr]
    elif kind == "jobs":
        with OpenFaaS(url, env={}) as client, client.jobs() as jobs:
            for result in jobs.map("echo", _payloads(calls), max_pending=1000):
                done += result.ok
            stats = _stats(jobs.stats)
    else:

        async def run() -> int:
            count = 0
            async with AsyncOpenFaaS(url, env={}) as client, client.jobs() as jobs:
                async for result in jobs.map("echo", _payloads(calls), max_pending=1000):
                    count += result.ok
                stats.update(_stats(jobs.stats))
            return count

        done = asyncio.run(run())
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    growth = _peak_mib() - before
    print(json.dumps({"seconds": seconds, "cpu_s": cpu, "ok": done, "rss_growth_mib": growth, "stats": stats}))


def post(concurrency: int = 64) -> None:
    """Post the callbacks listed on stdin (`url call-id` lines) over `concurrency` keep-alive connections, as the
    queue worker does (its headers, a small body); print the wall seconds."""
    from urllib.parse import urlsplit

    lines = [line.split() for line in sys.stdin.read().splitlines()]

    async def main() -> float:
        target = urlsplit(lines[0][0])
        host, port = target.hostname or "127.0.0.1", target.port or 80
        work = iter(lines)

        async def connection() -> None:
            reader, writer = await asyncio.open_connection(host, port)
            for url, call_id in work:
                writer.write(
                    f"POST {urlsplit(url).path} HTTP/1.1\r\nHost: {host}:{port}\r\nX-Call-Id: {call_id}\r\n"
                    "X-Function-Status: 200\r\nX-Function-Name: echo\r\nX-Duration-Seconds: 0.001\r\n"
                    "Content-Type: text/plain\r\nContent-Length: 6\r\n\r\nresult".encode()
                )
                head = await reader.readuntil(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1.1 200"):
                    raise RuntimeError(head.decode(errors="replace"))
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                if length:
                    await reader.readexactly(length)
            writer.close()

        await asyncio.gather(*(connection() for _ in range(concurrency)))
        return time.perf_counter() - started

    wall = time.time()  # the parent times the receiver from here to its last result
    started = time.perf_counter()
    print(json.dumps({"started": wall, "seconds": asyncio.run(main())}))


def _payloads(calls: int) -> Iterator[bytes]:
    return (PAYLOAD for _ in range(calls))


def _stats(stats: Any) -> dict[str, int]:
    return {name: getattr(stats, name) for name in ("submitted", "resubmitted", "duplicates_dropped", "results")}


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / (1 << 20)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the parent -----------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _served_fake() -> Iterator[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.jobs", "--serve-fake"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    try:
        yield str(json.loads(child.stdout.readline())["url"])
    finally:
        child.stdin.close()
        child.wait(timeout=120)
        child.stdout.close()


def _child(*args: str, stdin: str | None = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.jobs", *args], input=stdin, capture_output=True, text=True, timeout=3600
    )
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    return dict(json.loads(done.stdout))


def _receiver_rate(kind: str, callbacks: int) -> float:
    """Callbacks/s the receiver of `kind` took in, each made durable and yielded by `map` before it counts.
    Submissions go to a mock gateway that only answers 202; once all are queued, a poster process posts every
    callback."""
    import threading

    import httpx
    from pyopenfaas import AsyncOpenFaaS, OpenFaaS

    queued: list[str] = []
    all_queued = threading.Event()

    def accept(request: httpx.Request) -> httpx.Response:
        queued.append(f"{request.headers['X-Callback-Url']} {request.headers['X-Call-Id']}")
        if len(queued) == callbacks:
            all_queued.set()
        return httpx.Response(202)

    transport = httpx.MockTransport(accept)
    if kind == "async":

        async def run() -> float:
            async with (
                AsyncOpenFaaS("http://gateway.test", transport=transport, env={}) as client,
                client.jobs() as jobs,
            ):

                async def collect() -> int:
                    return sum([1 async for _ in jobs.map("echo", _payloads(callbacks), max_pending=callbacks)])

                task = asyncio.create_task(collect())
                await asyncio.to_thread(all_queued.wait)
                poster = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "benchmarks.jobs", "--post", stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                )  # fmt: skip
                out, _ = await poster.communicate("\n".join(queued).encode())
                assert await task == callbacks
                return callbacks / (time.time() - json.loads(out)["started"])

        return asyncio.run(run())
    with OpenFaaS("http://gateway.test", transport=transport, env={}) as client, client.jobs() as jobs:
        counted: list[int] = []
        consumer = threading.Thread(
            target=lambda: counted.append(sum(1 for _ in jobs.map("echo", _payloads(callbacks), max_pending=callbacks)))
        )
        consumer.start()
        all_queued.wait()
        started = _child("--post", stdin="\n".join(queued))["started"]
        consumer.join()
        assert counted == [callbacks]
        return callbacks / (time.time() - started)


def _bare_aiohttp_rate(callbacks: int) -> float:
    """The same posts answered by an aiohttp server that only reads the body: the ceiling on this machine."""
    from aiohttp import web

    async def run() -> float:
        async def handle(request: web.Request) -> web.Response:
            await request.read()
            return web.Response()

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port = runner.addresses[0][1]
        lines = "\n".join(f"http://127.0.0.1:{port}/token call-{n}" for n in range(callbacks))
        poster = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "benchmarks.jobs", "--post", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, _ = await poster.communicate(lines.encode())
        await runner.cleanup()
        return callbacks / float(json.loads(out)["seconds"])

    return asyncio.run(run())


def jobs_section(config: sections.Config) -> Section:
    """Section 8."""
    calls, callbacks = _sizes(config)
    section = Section(
        title="8. Queued jobs",
        about=(
            f"`client.jobs().map` against `functions.invoke_many` (32 threads), {calls:,} calls of `echo` (64 bytes) "
            "each through the fake gateway served in its own process (its queue calls back over HTTP), each driver "
            f"in a fresh process; then {callbacks:,} callbacks posted to the receiver by a separate process over 64 "
            "keep-alive connections (each made durable in the journal and yielded by `map` before it counts), "
            f"against a bare aiohttp server answering the same posts. Goals: jobs at >= {THROUGHPUT_GOAL}x "
            f"invoke_many's calls/s with a peak memory growth under {MEMORY_GOAL_MIB:.0f} MiB; the receiver at >= "
            f"{RECEIVER_GOAL:,.0f} callbacks/s."
        ),
        columns=[
            Column("contender", "contender"),
            Column("rate", "per second", "{:,.0f}"),
            Column("ratio", "x reference", "{:.2f}"),
            Column("cpu_us", "driver CPU us/call", "{:,.0f}"),
            Column("rss", "peak RSS growth MiB", "{:,.1f}"),
        ],
    )
    with _served_fake() as url:
        figures = {kind: _child("--drive", kind, url, str(calls)) for kind in ("invoke_many", "jobs", "jobs-async")}
    reference = calls / figures["invoke_many"]["seconds"]
    for kind, label in (
        ("invoke_many", "OpenFaaS invoke_many (reference)"),
        ("jobs", "OpenFaaS jobs.map"),
        ("jobs-async", "AsyncOpenFaaS jobs.map"),
    ):
        figure = figures[kind]
        rate = calls / figure["seconds"]
        section.rows.append(
            {"contender": label, "rate": rate, "ratio": ratio(rate, reference), "rss": figure["rss_growth_mib"],
             "cpu_us": figure["cpu_s"] / calls * 1e6}
        )  # fmt: skip
        counters = f"; counters {figure['stats']}" if figure["stats"] else ""
        section.notes.append(f"{label}: {figure['ok']:,} of {calls:,} answers 200{counters}.")
        if kind != "invoke_many":
            section.goals.append(
                Goal(f"{label} >= {THROUGHPUT_GOAL}x invoke_many", rate >= THROUGHPUT_GOAL * reference,
                     f"{ratio(rate, reference):.2f}x")
            )  # fmt: skip
            section.goals.append(
                Goal(f"{label} peak RSS growth < {MEMORY_GOAL_MIB:.0f} MiB", figure["rss_growth_mib"] < MEMORY_GOAL_MIB,
                     f"{figure['rss_growth_mib']:.1f} MiB")
            )  # fmt: skip
    bare = _bare_aiohttp_rate(callbacks)
    section.rows.append({"contender": "bare aiohttp server reading the body (reference)", "rate": bare, "ratio": 1.0})
    for kind, label in (("sync", "OpenFaaS jobs receiver"), ("async", "AsyncOpenFaaS jobs receiver")):
        rate = _receiver_rate(kind, callbacks)
        section.rows.append({"contender": f"{label} (journal in memory)", "rate": rate, "ratio": ratio(rate, bare)})
        section.goals.append(
            Goal(f"{label} >= {RECEIVER_GOAL:,.0f} callbacks/s", rate >= RECEIVER_GOAL, f"{rate:,.0f}/s")
        )
    section.notes.append(
        "Wall-clock rates: other processes on the machine slow them (the bare aiohttp row shows how much)."
    )
    return section


def main() -> int:
    if sys.argv[1:2] == ["--serve-fake"]:
        serve_fake()
    elif sys.argv[1:2] == ["--drive"]:
        drive(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1:2] == ["--post"]:
        post()
    else:
        config = sections.QUICK if "--quick" in sys.argv else sections.Config()
        print(render([], [jobs_section(config)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
