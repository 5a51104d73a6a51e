"""Fan-out: one function, many payloads, a bounded number of calls in flight, results in input order.

Runs against pyopenfaas.testing's fake gateway (served on 127.0.0.1 for the run). With your own gateway, build
the client with `AsyncOpenFaaS()` (settings from OPENFAAS_URL and friends) and drop the fake.

    python examples/fan_out.py
"""

from __future__ import annotations

import asyncio

from pyopenfaas import AsyncOpenFaaS, OpenFaaS, OpenFaaSError
from pyopenfaas.testing import FakeGateway, FunctionRequest, FunctionResponse

DOCUMENTS = [f"document {n} has {'many ' * n}words" for n in range(20)] + [""]


def word_count(request: FunctionRequest) -> FunctionResponse:
    """The function under load: counts words, and refuses an empty document."""
    words = len(request.text.split())
    return FunctionResponse(str(words)) if words else FunctionResponse("empty document", status=422)


async def count_async(url: str) -> None:
    async with AsyncOpenFaaS(url, env={}) as client:
        # 8 calls in flight; `return_exceptions=True` yields a failed call's error in its place.
        async for index, result in client.functions.invoke_many(
            "word-count", DOCUMENTS, concurrency=8, return_exceptions=True
        ):
            if isinstance(result, OpenFaaSError):
                print(f"  #{index:<2} failed: {result}")
            else:
                print(f"  #{index:<2} {result.text} words")


def count_threads(url: str) -> int:
    with OpenFaaS(url, env={}) as client:
        # The same with threads; results as they complete, and the first failure raised.
        results = client.functions.invoke_many("word-count", DOCUMENTS[:-1], concurrency=8, ordered=False)
        return sum(int(response.text) for _, response in results)


def main() -> None:
    gateway = FakeGateway()
    gateway.deploy("word-count", handler=word_count)
    with gateway, gateway.serve() as url:
        print("AsyncOpenFaaS, in input order:")
        asyncio.run(count_async(url))
        print(f"OpenFaaS, threads: {count_threads(url)} words in all")


if __name__ == "__main__":
    main()
