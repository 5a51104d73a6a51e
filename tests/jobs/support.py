"""Both clients behind one awaitable face, so each jobs test runs against `OpenFaaS` (its calls in a worker
thread, its receiver on a thread of its own) and `AsyncOpenFaaS` (everything on the test's event loop)."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from anyio import to_thread
from pyopenfaas import AsyncJob, AsyncJobs, AsyncOpenFaaS, Job, JobResult, Jobs, JobStats

from tests.support.clients import make_openfaas


async def _call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await to_thread.run_sync(functools.partial(function, *args, **kwargs))


class Driver:
    """A jobs block of either client."""

    def __init__(self, jobs: Jobs | AsyncJobs) -> None:
        self.jobs = jobs

    @property
    def stats(self) -> JobStats:
        return self.jobs.stats

    async def submit(self, name: str, data: Any = None, **kwargs: Any) -> Job | AsyncJob:
        if isinstance(self.jobs, AsyncJobs):
            return await self.jobs.submit(name, data, **kwargs)
        job: Job = await _call(self.jobs.submit, name, data, **kwargs)
        return job

    async def result(self, job: Job | AsyncJob, timeout: float | None = 30) -> JobResult:
        if isinstance(job, AsyncJob):
            return await job.result(timeout)
        result: JobResult = await _call(job.result, timeout)
        return result

    async def cancel(self, job: Job | AsyncJob) -> None:
        if isinstance(self.jobs, AsyncJobs):
            assert isinstance(job, AsyncJob)
            await self.jobs.cancel(job)
        else:
            assert isinstance(job, Job)
            await _call(self.jobs.cancel, job)

    async def map(
        self, name: str, inputs: Iterable[bytes | str], first: int | None = None, **kwargs: Any
    ) -> list[JobResult]:
        """The map's results (only the `first` ones: the iterator is then closed)."""
        found: list[JobResult] = []
        if isinstance(self.jobs, AsyncJobs):
            stream = self.jobs.map(name, inputs, **kwargs)
            try:
                async for result in stream:
                    found.append(result)
                    if first is not None and len(found) >= first:
                        break
            finally:
                await stream.aclose()
            return found
        sync_jobs = self.jobs

        def run() -> list[JobResult]:
            iterator = sync_jobs.map(name, inputs, **kwargs)
            try:
                for result in iterator:
                    found.append(result)
                    if first is not None and len(found) >= first:
                        break
            finally:
                iterator.close()
            return found

        results: list[JobResult] = await _call(run)
        return results


class Twin:
    """Makes clients of one kind (tests/support/clients.py) for a gateway at `url` (or on `transport`)."""

    def __init__(self, kind: str, url: str, transport: httpx.MockTransport | None = None, **options: Any) -> None:
        self.kind = kind
        self.url = url
        self.transport = transport
        self.options = options

    @asynccontextmanager
    async def jobs(self, **kwargs: Any) -> AsyncIterator[Driver]:
        client = make_openfaas(self.kind, self.url, transport=self.transport, **self.options)
        if isinstance(client, AsyncOpenFaaS):
            async with client, client.jobs(**kwargs) as jobs:
                yield Driver(jobs)
            return
        sync_client = client
        try:
            block = sync_client.jobs(**kwargs)
            sync_jobs = await _call(block.__enter__)
            try:
                yield Driver(sync_jobs)
            finally:
                await _call(block.__exit__, None, None, None)
        finally:
            sync_client.close()
