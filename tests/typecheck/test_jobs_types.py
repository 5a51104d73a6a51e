"""The jobs API's types: `mypy --strict` checks this file (`make typecheck`), and pytest runs it, so the types
asserted here are the ones the calls really return (the fake gateway's queue calls back over HTTP)."""

from __future__ import annotations

from contextlib import aclosing, closing
from typing import assert_type

import anyio
import httpx
from pyopenfaas import AsyncJob, AsyncJobs, AsyncOpenFaaS, Job, JobResult, Jobs, JobStats, OpenFaaS
from pyopenfaas.testing import FakeGateway


def test_sync_jobs() -> None:
    gateway = FakeGateway()
    gateway.deploy("echo")
    with gateway, OpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client:
        with client.jobs() as jobs:
            assert_type(jobs, Jobs)
            job = jobs.submit("echo", "hi")
            assert_type(job, Job)
            result = job.result(timeout=30)
            assert_type(result, JobResult)
            assert_type(result.headers, httpx.Headers)
            assert_type(result.duration_s, float | None)
            with closing(jobs.map("echo", [b"a"])) as results:  # a generator: `closing` ends it early
                for item in results:
                    assert_type(item, JobResult)
            assert_type(jobs.stats, JobStats)
        assert result.text == "hi"


def test_async_jobs() -> None:
    gateway = FakeGateway()
    gateway.deploy("echo")

    async def main() -> JobResult:
        async with (
            AsyncOpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client,
            client.jobs() as jobs,
        ):
            assert_type(jobs, AsyncJobs)
            job = await jobs.submit("echo", "hi")
            assert_type(job, AsyncJob)
            async with aclosing(jobs.map("echo", [b"a"])) as results:
                async for item in results:
                    assert_type(item, JobResult)
            return await job.result(timeout=30)

    with gateway:
        result = anyio.run(main)
    assert result.text == "hi"
