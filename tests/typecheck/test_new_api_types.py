"""The types of the public names issue 22 added: `mypy --strict` checks this file (`make typecheck`), and pytest
runs it, so the types asserted are real."""

from __future__ import annotations

from pathlib import Path
from typing import assert_type

from pyopenfaas import AsyncOpenFaaS, FunctionUsage, MemoryTokenCache, OpenFaaS, QueueRetry, Token, TokenCache
from pyopenfaas.function import read_secret, read_secret_bytes, read_secrets
from pyopenfaas.signing import Algorithm, signature, verify
from pyopenfaas.testing import FakeGateway


def test_usage_signing_secrets_and_queue_types(tmp_path: Path) -> None:
    gateway = FakeGateway()
    gateway.deploy("figlet")
    gateway.report_usage("figlet", cpu=1.0, total_memory_bytes=2.0)
    with OpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client:
        assert_type(client.functions.get("figlet", usage=True).usage, FunctionUsage | None)
    header = signature(b"body", "key", "sha1")
    assert_type(header, str)
    algorithm = verify(b"body", header, "key")
    assert_type(algorithm, Algorithm)
    (tmp_path / "key").write_text("value")
    assert_type(read_secret("key", path=tmp_path), str)
    assert_type(read_secret_bytes("key", path=tmp_path), bytes)
    assert_type(read_secrets(path=tmp_path), dict[str, str])
    assert_type(QueueRetry(attempts=1).annotations, dict[str, str])
    cache: TokenCache = MemoryTokenCache()
    cache.set("k", Token("v", None))
    assert_type(cache.get("k"), Token | None)


async def check_async_function_token(client: AsyncOpenFaaS, sync: OpenFaaS) -> None:
    """Not run: what mypy must accept (a token is a str, awaited on the async client)."""
    assert_type(await client.function_token("figlet"), str)
    assert_type(sync.function_token("figlet", "openfaas-fn"), str)
