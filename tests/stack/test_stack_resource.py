"""client.stack against the fake gateway and the fake builder: update-or-create deploys, dry run, remove, and
`up` (build every function, then deploy; progress per function; stop at the first failed build)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pyopenfaas import AsyncOpenFaaS, NotFoundError, OpenFaaS
from pyopenfaas.builder import AsyncFunctionBuilder, BuildError, FunctionBuilder
from pyopenfaas.stack import Stack, UpProgress, load_stack
from pyopenfaas.testing import FakeBuilder, FakeGateway

PROJECT = Path(__file__).parent / "fixtures" / "project"
pytestmark = pytest.mark.fake_gateway(flavour="faasd", ce_limits=False)  # namespaces, as on faasd Pro


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Stack:
    monkeypatch.delenv("REGISTRY", raising=False)
    monkeypatch.delenv("TAG", raising=False)
    return load_stack(PROJECT / "stack.yaml")


@pytest.fixture
def staging(openfaas_client: OpenFaaS) -> None:
    openfaas_client.namespaces.create("staging")
    openfaas_client.secrets.create(
        "api-key", "k", namespace="staging"
    )  # faasd refuses a deploy naming a missing secret


@pytest.fixture
def fake_builder() -> FakeBuilder:
    return FakeBuilder(hmac_secret="s")


def sync_builder(fake: FakeBuilder) -> FunctionBuilder:
    return FunctionBuilder("http://builder", hmac_secret="s", http_client=httpx.Client(transport=fake.transport()))


@pytest.mark.usefixtures("staging")
def test_dry_run_sends_nothing(openfaas_client: OpenFaaS, fake_gateway: FakeGateway, stack: Stack) -> None:
    before = len(fake_gateway.requests)
    deployments = openfaas_client.stack.deploy(stack, dry_run=True, env={"extra": "1"})
    assert [d.name for d in deployments] == ["hello", "api-orders", "api-users"]
    assert deployments[0].env_vars["extra"] == "1"
    assert len(fake_gateway.requests) == before


@pytest.mark.usefixtures("staging")
def test_deploy_creates_then_updates(openfaas_client: OpenFaaS, fake_gateway: FakeGateway, stack: Stack) -> None:
    openfaas_client.stack.deploy(stack, env={"region": "ap"})
    hello = openfaas_client.functions.get("hello", namespace="staging")
    assert hello.image == "ttl.sh/pyopenfaas/hello:latest"
    assert hello.env_process == "python3 index.py"
    assert hello.env_vars["region"] == "ap"
    assert hello.env_vars["mode"] == "prod"
    assert hello.secrets == ["api-key"]
    listed = {fn.name: fn for fn in openfaas_client.functions.list(namespace="staging")}
    assert listed["hello"].limits == {"memory": "128Mi"}  # faasd keeps only the memory limit, shown in listings
    assert openfaas_client.functions.get("api-users").image == "ghcr.io/openfaas/alpine:latest"
    # Second deploy: PUT answers 200 (update), no POST needed.
    fake_gateway.reset()
    openfaas_client.namespaces.create("staging")
    openfaas_client.secrets.create("api-key", "k", namespace="staging")
    openfaas_client.stack.deploy(stack)
    first = [(r.method, r.path) for r in fake_gateway.requests if r.path == "/system/functions"]
    assert first[:2] == [("PUT", "/system/functions"), ("POST", "/system/functions")]
    before = len(fake_gateway.requests)
    openfaas_client.stack.deploy(stack)
    again = [(r.method, r.path) for r in fake_gateway.requests[before:] if r.path == "/system/functions"]
    assert again == [("PUT", "/system/functions")] * 3


@pytest.mark.usefixtures("staging")
def test_remove_skips_functions_already_gone(openfaas_client: OpenFaaS, stack: Stack) -> None:
    openfaas_client.stack.deploy(load_stack(PROJECT / "stack.yaml", filter="api-*"))
    assert openfaas_client.stack.remove(stack) == ["api-orders", "api-users"]
    with pytest.raises(NotFoundError):
        openfaas_client.functions.get("api-users")


@pytest.mark.usefixtures("staging")
def test_up_builds_each_function_then_deploys(
    openfaas_client: OpenFaaS, fake_builder: FakeBuilder, stack: Stack
) -> None:
    seen: list[UpProgress] = []
    with sync_builder(fake_builder) as builder:
        deployments = openfaas_client.stack.up(stack, builder=builder, on_progress=seen.append)
    assert [d.name for d in deployments] == ["hello", "api-orders", "api-users"]
    stages = [(p.function, p.stage) for p in seen if p.stage != "log"]
    assert stages == [
        ("hello", "building"), ("hello", "built"),
        ("api-orders", "building"), ("api-orders", "built"),
        ("api-users", "skipped"),
        ("hello", "deployed"), ("api-orders", "deployed"), ("api-users", "deployed"),
    ]  # fmt: skip
    hello_log = [p.line for p in seen if p.function == "hello" and p.stage == "log"]
    assert any("[build  9/11] RUN pip install -r function/requirements.txt" in line for line in hello_log)
    # Log lines come between "building" and "built".
    index = [(p.function, p.stage) for p in seen]
    assert index.index(("hello", "building")) < index.index(("hello", "log")) < index.index(("hello", "built"))
    hello, orders = fake_builder.builds
    assert hello.build_args == {"GO111MODULE": "on", "ADDITIONAL_PACKAGE": "make gcc"}
    assert hello.platforms == ["linux/amd64", "linux/arm64"]
    assert hello.secrets == {"pip_token": b"s3cr3t-pip-token"}
    assert hello.contents["function/handler.py"] == (PROJECT / "hello" / "handler.py").read_bytes()
    assert orders.image == "ttl.sh/pyopenfaas/orders:latest"
    assert openfaas_client.functions.get("api-orders").image == "ttl.sh/pyopenfaas/orders:latest"


@pytest.mark.usefixtures("staging")
def test_up_stops_at_the_first_failed_build(
    openfaas_client: OpenFaaS, fake_gateway: FakeGateway, fake_builder: FakeBuilder, stack: Stack
) -> None:
    fake_builder.fail("*orders*", "exit code: 2")
    seen: list[UpProgress] = []
    with sync_builder(fake_builder) as builder, pytest.raises(BuildError) as caught:
        openfaas_client.stack.up(stack, builder=builder, on_progress=seen.append)
    assert str(caught.value) == (
        "api-orders: failure while building or pushing image ttl.sh/pyopenfaas/orders:latest: exit code: 2"
    )
    assert caught.value.log
    assert "did not complete successfully" in caught.value.log[-1]
    assert not any(p.stage == "deployed" for p in seen)
    assert [b.image for b in fake_builder.builds] == [
        "ttl.sh/pyopenfaas/hello:latest",
        "ttl.sh/pyopenfaas/orders:latest",
    ]
    assert not any(r.method in ("PUT", "POST") and r.path == "/system/functions" for r in fake_gateway.requests)


@pytest.mark.anyio
async def test_async_stack(async_openfaas_client: AsyncOpenFaaS, fake_builder: FakeBuilder, stack: Stack) -> None:
    await async_openfaas_client.namespaces.create("staging")
    await async_openfaas_client.secrets.create("api-key", "k", namespace="staging")
    assert len(await async_openfaas_client.stack.deploy(stack, dry_run=True)) == 3
    client = httpx.AsyncClient(transport=fake_builder.transport())
    async with AsyncFunctionBuilder("http://builder", hmac_secret="s", http_client=client) as builder:
        deployments = await async_openfaas_client.stack.up(stack, builder=builder)
    assert len(deployments) == 3
    assert (await async_openfaas_client.functions.get("hello", namespace="staging")).image == deployments[0].image
    assert await async_openfaas_client.stack.remove(stack) == ["hello", "api-orders", "api-users"]
