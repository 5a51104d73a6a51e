"""Sixteen threads (or tasks) at once: every caller gets its own answer, and the books add up.

The flavour does not matter here, so each test runs once per front end (in-process and HTTP).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from pyopenfaas.testing import FakeGateway, FunctionRequest

from .conftest import Connect

WORKERS = 16
CALLS = 10


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with FakeGateway() as gateway:
        yield gateway


def tagged(request: FunctionRequest) -> dict[str, str]:
    request.log(f"served {request.text}")
    return {"body": request.text, "query": request.query["worker"], "call_id": request.call_id}


def test_sixteen_threads(connect: Connect, gateway: FakeGateway) -> None:
    client = connect(gateway)
    gateway.deploy("tagged", handler=tagged)

    def work(worker: int) -> list[str]:
        call_ids = []
        for call in range(CALLS):
            body = f"{worker}-{call}"
            response = client.post("/function/tagged", params={"worker": str(worker)}, content=body)
            answer = response.json()
            assert (answer["body"], answer["query"]) == (body, str(worker))
            assert answer["call_id"] == response.headers["x-call-id"]
            call_ids.append(answer["call_id"])
            secret = {"name": f"s-{worker}-{call}", "value": body}
            assert client.post("/system/secrets", json=secret).is_success
        return call_ids

    with ThreadPoolExecutor(WORKERS) as pool:
        call_ids = [call_id for ids in pool.map(work, range(WORKERS)) for call_id in ids]

    total = WORKERS * CALLS
    assert len(set(call_ids)) == total
    assert client.get("/system/function/tagged").json()["invocationCount"] == total
    assert len(client.get("/system/secrets").json()) == total
    assert gateway.secret_value("s-7-3") == b"7-3"
    served = [
        line for line in client.get("/system/logs", params={"name": "tagged"}).text.splitlines() if "served" in line
    ]
    assert sorted(json.loads(line)["text"] for line in served) == sorted(
        f"served {worker}-{call}" for worker in range(WORKERS) for call in range(CALLS)
    )


def test_sixteen_tasks(gateway: FakeGateway, front: str) -> None:
    gateway.deploy("tagged", handler=tagged)

    async def work(client: httpx.AsyncClient, worker: int) -> None:
        for call in range(CALLS):
            body = f"{worker}-{call}"
            response = await client.post("/function/tagged", params={"worker": str(worker)}, content=body)
            assert (response.json()["body"], response.json()["query"]) == (body, str(worker))

    async def run(base_url: str, transport: httpx.AsyncBaseTransport | None) -> None:
        async with httpx.AsyncClient(base_url=base_url, transport=transport, trust_env=False) as client:
            await asyncio.gather(*(work(client, worker) for worker in range(WORKERS)))

    if front == "in-process":
        asyncio.run(run("http://fake", gateway.transport()))
    else:
        with gateway.serve() as url:
            asyncio.run(run(url, None))
    client = httpx.Client(transport=gateway.transport(), base_url="http://fake")
    assert client.get("/system/function/tagged").json()["invocationCount"] == WORKERS * CALLS


def test_a_blocking_handler_does_not_block_the_event_loop(gateway: FakeGateway) -> None:
    """In-process async calls run handlers off the loop, so one call can wait for another."""
    released = threading.Event()
    gateway.deploy("waiter", handler=lambda request: "released" if released.wait(5) else "timed out")
    gateway.deploy("releaser", handler=lambda request: released.set())

    async def main() -> str:
        async with httpx.AsyncClient(transport=gateway.transport(), base_url="http://fake") as client:
            waiting = asyncio.create_task(client.post("/function/waiter"))
            await client.post("/function/releaser")
            return (await waiting).text

    assert asyncio.run(main()) == "released"
