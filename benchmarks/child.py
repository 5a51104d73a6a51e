"""Measurements that need a fresh process (peak RSS): log streaming and large bodies.

``python -m benchmarks.child KIND CLIENT URL ARG`` prints one JSON line: ``count`` (lines or bytes),
``wall`` and ``cpu`` seconds, ``baseline_kib`` (RSS once the client is warm) and ``peak_kib`` (VmHWM,
reset to the baseline just before the measured transfer).

- ``logs CLIENT URL LINES``: stream LINES NDJSON log lines and parse each.
- ``upload CLIENT URL FILE``: invoke ``sink`` with FILE's content, sent from the open file object.
- ``download CLIENT URL BYTES``: invoke ``download`` and stream BYTES bytes to a temporary file.
- ``build CLIENT URL FOLDER``: send FOLDER as a build context to the Function Builder at URL (tarred to a
  temporary file, signed, streamed); the count is the context's bytes.

CLIENT is ``pyopenfaas`` (OpenFaaS), ``pyopenfaas-async`` (AsyncOpenFaaS) or ``httpx`` (raw httpx.Client).
"""

from __future__ import annotations

import asyncio
import gc
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from typing import Any, BinaryIO

import httpx

from benchmarks.contenders import PASSWORD, USER
from benchmarks.harness import proc_status_kib, reset_peak_rss

_CHUNK = 1 << 16


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise RuntimeError(what)


# One job per (kind, client): a coroutine or function taking (client, arg) and returning the count.


def _logs_sync(client: Any, lines: int) -> int:
    count = 0
    with client.functions.logs("figlet", tail=lines) as entries:
        for _ in entries:
            count += 1
    return count


async def _logs_async(client: Any, lines: int) -> int:
    count = 0
    async with client.functions.logs("figlet", tail=lines) as entries:
        async for _ in entries:
            count += 1
    return count


def _logs_httpx(client: httpx.Client, lines: int) -> int:
    count = 0
    with client.stream("GET", "/system/logs", params={"name": "figlet", "tail": lines}) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if line:
                json.loads(line)
                count += 1
    return count


def _upload_sync(client: Any, body: BinaryIO) -> int:
    return int(client.functions.invoke("sink", body).json()["received"])


async def _upload_async(client: Any, body: BinaryIO) -> int:
    return int((await client.functions.invoke("sink", body)).json()["received"])


def _upload_httpx(client: httpx.Client, body: BinaryIO) -> int:
    return int(client.post("/function/sink", content=body).raise_for_status().json()["received"])


def _download_sync(client: Any, size: int) -> int:
    with (
        tempfile.TemporaryFile() as out,
        client.functions.invoke("download", method="GET", query={"bytes": size}, stream=True) as response,
    ):
        for chunk in response.iter_bytes(_CHUNK):
            out.write(chunk)
        return out.tell()


async def _download_async(client: Any, size: int) -> int:
    with tempfile.TemporaryFile() as out:
        response = await client.functions.invoke("download", method="GET", query={"bytes": size}, stream=True)
        async with response:
            async for chunk in response.aiter_bytes(_CHUNK):
                out.write(chunk)
        return out.tell()


def _download_httpx(client: httpx.Client, size: int) -> int:
    with (
        tempfile.TemporaryFile() as out,
        client.stream("GET", "/function/download", params={"bytes": size}) as response,
    ):
        response.raise_for_status()
        for chunk in response.iter_bytes(_CHUNK):
            out.write(chunk)
        return out.tell()


def context_bytes(folder: str) -> int:
    return sum(os.path.getsize(os.path.join(top, name)) for top, _, names in os.walk(folder) for name in names)


def _build_sync(builder: Any, folder: str) -> int:
    *_, last = builder.build_stream(folder, "bench/build:latest")
    _expect(last.status == "success", f"build: {last}")
    return context_bytes(folder)


async def _build_async(builder: Any, folder: str) -> int:
    results = [result async for result in builder.build_stream(folder, "bench/build:latest")]
    _expect(results[-1].status == "success", f"build: {results[-1]}")
    return context_bytes(folder)


SYNC_JOBS: dict[tuple[str, str], Callable[[Any, Any], int]] = {
    ("logs", "pyopenfaas"): _logs_sync,
    ("logs", "httpx"): _logs_httpx,
    ("upload", "pyopenfaas"): _upload_sync,
    ("upload", "httpx"): _upload_httpx,
    ("download", "pyopenfaas"): _download_sync,
    ("download", "httpx"): _download_httpx,
    ("build", "pyopenfaas"): _build_sync,
}
ASYNC_JOBS: dict[str, Callable[[Any, Any], Awaitable[int]]] = {
    "logs": _logs_async,
    "upload": _upload_async,
    "download": _download_async,
    "build": _build_async,
}
# A small job of the same kind, run first so that lazily imported modules are loaded before the baseline.
WARM_UP_ARGS: dict[str, Callable[[], Any]] = {
    "logs": lambda: 10,
    "upload": lambda: io.BytesIO(b"x" * 1024),
    "download": lambda: 1024,
    "build": lambda: _warm_context(),
}


def _warm_context() -> str:
    folder = tempfile.mkdtemp(prefix="pyopenfaas-warm-")
    with open(os.path.join(folder, "Dockerfile"), "w") as out:
        out.write("FROM scratch\n")
    return folder


def _start() -> tuple[int, float, float]:
    """Baseline RSS, then reset the peak and start the clocks."""
    gc.collect()
    baseline = proc_status_kib("VmRSS")
    reset_peak_rss()
    return baseline, time.process_time(), time.perf_counter()


def _result(count: int, start: tuple[int, float, float]) -> dict[str, float]:
    baseline, cpu0, wall0 = start
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"count": count, "wall": wall, "cpu": cpu, "baseline_kib": baseline, "peak_kib": proc_status_kib("VmHWM")}


def run(kind: str, client_name: str, url: str, raw_arg: str) -> dict[str, float]:
    """Warm the client up with a small job, then measure the real one."""
    with ExitStack() as stack:
        arg: Any = raw_arg
        if kind == "upload":
            arg = stack.enter_context(open(raw_arg, "rb"))
        elif kind != "build":
            arg = int(raw_arg)
        if client_name == "pyopenfaas-async":
            return asyncio.run(_run_async(kind, url, arg))
        if kind == "build":
            from pyopenfaas.builder import FunctionBuilder

            client: Any = stack.enter_context(FunctionBuilder(url, hmac_secret=PASSWORD))
            _build_sync(client, WARM_UP_ARGS[kind]())
            start = _start()
            return _result(_build_sync(client, arg), start)
        job = SYNC_JOBS[kind, client_name]
        if client_name == "httpx":
            client = stack.enter_context(httpx.Client(base_url=url, auth=(USER, PASSWORD), timeout=120))
        else:
            from pyopenfaas import OpenFaaS

            client = stack.enter_context(OpenFaaS(url, username=USER, password=PASSWORD, env={}, timeout=120))
        job(client, WARM_UP_ARGS[kind]())
        start = _start()
        return _result(job(client, arg), start)


async def _run_async(kind: str, url: str, arg: Any) -> dict[str, float]:
    from pyopenfaas import AsyncOpenFaaS

    if kind == "build":
        from pyopenfaas.builder import AsyncFunctionBuilder

        async with AsyncFunctionBuilder(url, hmac_secret=PASSWORD) as builder:
            await _build_async(builder, WARM_UP_ARGS[kind]())
            start = _start()
            return _result(await _build_async(builder, arg), start)

    job = ASYNC_JOBS[kind]
    async with AsyncOpenFaaS(url, username=USER, password=PASSWORD, env={}, timeout=120) as client:
        await job(client, WARM_UP_ARGS[kind]())
        start = _start()
        return _result(await job(client, arg), start)


if __name__ == "__main__":
    kind, client_name, url, arg = sys.argv[1:5]
    result = run(kind, client_name, url, arg)
    expected = os.path.getsize(arg) if kind == "upload" else context_bytes(arg) if kind == "build" else int(arg)
    _expect(result["count"] == expected, f"{kind} via {client_name}: got {result['count']}, expected {expected}")
    print(json.dumps(result))
