"""client.stack.diff against the fake gateway (faas-netes and faasd): what a deploy would change, function by
function, with faas-cli diff's fields and rules (a fprocess or env var only the gateway reports is not a
change; secrets and constraints by presence); read-only (GETs only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyopenfaas import AsyncOpenFaaS, OpenFaaS
from pyopenfaas.stack import FieldChange, FunctionDiff, Stack, StackDiff, load_stack
from pyopenfaas.testing import FakeGateway

BEFORE = """\
provider: {name: openfaas}
functions:
  api:
    image: ghcr.io/acme/api:1
    environment: {MODE: prod}
    secrets: [db-password]
    limits: {memory: 128Mi}
  web:
    image: ghcr.io/acme/web:1
    fprocess: node index.js
    environment: {MODE: prod, EXTRA: gone-soon}
    labels: {team: blue, tier: front}
    annotations: {topic: orders}
"""
AFTER = """\
provider: {name: openfaas}
functions:
  api:
    image: ghcr.io/acme/api:1
    environment: {MODE: prod}
    secrets: [db-password]
    limits: {memory: 128Mi}
  web:
    image: ghcr.io/acme/web:2
    environment: {MODE: staging}
    labels: {team: green}
    annotations: {topic: orders}
    secrets: [db-password]
  worker:
    image: ghcr.io/acme/worker:1
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def stack(tmp_path: Path, text: str) -> Stack:
    (tmp_path / "stack.yml").write_text(text)
    return load_stack(tmp_path / "stack.yml")


def expected(namespace: str) -> StackDiff:
    web_changes = (
        FieldChange("env.MODE", "prod", "staging"),
        FieldChange("image", "ghcr.io/acme/web:1", "ghcr.io/acme/web:2"),
        FieldChange("label.team", "blue", "green"),
        FieldChange("label.tier", "front", None),  # a deploy replaces the labels: this one goes
        FieldChange("secret.db-password", None, "present"),
    )  # env EXTRA and fprocess only on the gateway: not changes (faas-cli's rule)
    return StackDiff(
        (
            FunctionDiff("api", namespace, "unchanged"),
            FunctionDiff("web", namespace, "changed", web_changes),
            FunctionDiff("worker", None, "new"),
        )
    )


def check(client: OpenFaaS, fake_gateway: FakeGateway, tmp_path: Path, namespace: str) -> None:
    client.secrets.create("db-password", "hunter2")
    client.stack.deploy(stack(tmp_path, BEFORE))
    before = len(fake_gateway.requests)
    diff = client.stack.diff(stack(tmp_path, AFTER))
    assert diff == expected(namespace)
    assert [f.name for f in diff.new] == ["worker"]
    assert [f.name for f in diff.changed] == ["web"]
    assert [f.name for f in diff.unchanged] == ["api"]
    assert diff.has_changes
    assert {(r.method, r.path) for r in fake_gateway.requests[before:]} == {("GET", "/system/functions")}
    assert len(fake_gateway.requests) == before + 1  # one listing for the one namespace
    assert str(diff) == (
        f"unchanged api.{namespace}\n"
        f"changed   web.{namespace}\n"
        "    env.MODE: prod -> staging\n"
        "    image: ghcr.io/acme/web:1 -> ghcr.io/acme/web:2\n"
        "    label.team: blue -> green\n"
        "    label.tier: front -> (not set)\n"
        "    secret.db-password: (not set) -> present\n"
        "new       worker"
    )
    assert "hunter2" not in str(diff) + repr(diff)


@pytest.mark.fake_gateway(flavour="faas-netes")
def test_diff_on_faas_netes(openfaas_client: OpenFaaS, fake_gateway: FakeGateway, tmp_path: Path) -> None:
    check(openfaas_client, fake_gateway, tmp_path, "openfaas-fn")


@pytest.mark.fake_gateway(flavour="faasd")
def test_diff_on_faasd(openfaas_client: OpenFaaS, fake_gateway: FakeGateway, tmp_path: Path) -> None:
    check(openfaas_client, fake_gateway, tmp_path, "openfaas-fn")


def test_after_a_deploy_nothing_changes(openfaas_client: OpenFaaS, tmp_path: Path) -> None:
    openfaas_client.secrets.create("db-password", "x")
    after = stack(tmp_path, AFTER)
    openfaas_client.stack.deploy(after)
    diff = openfaas_client.stack.diff(after)
    assert not diff.has_changes
    assert [f.status for f in diff.functions] == ["unchanged"] * 3


@pytest.mark.fake_gateway(flavour="faasd", ce_limits=False)
def test_each_namespace_is_listed_once(openfaas_client: OpenFaaS, fake_gateway: FakeGateway, tmp_path: Path) -> None:
    openfaas_client.namespaces.create("staging")
    text = AFTER.replace("  worker:\n", "  worker:\n    namespace: staging\n")
    before = len(fake_gateway.requests)
    diff = openfaas_client.stack.diff(stack(tmp_path, text))
    assert [(f.name, f.namespace, f.status) for f in diff.functions] == [
        ("api", None, "new"), ("web", None, "new"), ("worker", "staging", "new"),
    ]  # fmt: skip
    assert sorted(r.query for r in fake_gateway.requests[before:]) == ["", "namespace=staging"]
    # The namespace argument wins over each function's own, as in deploy.
    assert {f.namespace for f in openfaas_client.stack.diff(stack(tmp_path, text), namespace="staging").functions} == {
        "staging"
    }


@pytest.mark.anyio
async def test_async_diff(async_openfaas_client: AsyncOpenFaaS, tmp_path: Path) -> None:
    await async_openfaas_client.secrets.create("db-password", "x")
    await async_openfaas_client.stack.deploy(stack(tmp_path, BEFORE))
    diff = await async_openfaas_client.stack.diff(stack(tmp_path, AFTER), env={"MODE": "prod"})
    web = diff.changed[0]
    assert "env.MODE" not in {change.field for change in web.changes}  # env= is applied as deploy applies it
    assert str(web.changes[0]) == "image: ghcr.io/acme/web:1 -> ghcr.io/acme/web:2"


@pytest.mark.fake_gateway(flavour="faas-netes")
def test_resources_constraints_and_read_only(openfaas_client: OpenFaaS, tmp_path: Path) -> None:
    openfaas_client.stack.deploy(
        stack(
            tmp_path,
            "provider: {name: openfaas}\nfunctions:\n  fn:\n    image: x:1\n    constraints: [a == b]\n"
            "    limits: {memory: 128Mi, cpu: 100m}\n    requests: {memory: 64Mi}\n",
        )
    )
    diff = openfaas_client.stack.diff(
        stack(
            tmp_path,
            "provider: {name: openfaas}\nfunctions:\n  fn:\n    image: x:1\n    constraints: [c == d]\n"
            "    limits: {memory: 256Mi}\n    readonly_root_filesystem: true\n",
        )
    )
    assert [str(change) for change in diff.functions[0].changes] == [
        "constraint.a == b: present -> (not set)",
        "constraint.c == d: (not set) -> present",
        "limits.cpu: 100m -> (not set)",
        "limits.memory: 128Mi -> 256Mi",
        "readonly_root_filesystem: false -> true",
        "requests.memory: 64Mi -> (not set)",
    ]


@pytest.mark.parametrize(
    ("env_mode", "expected"),
    [
        ("local", ["env.ONLY_HERE: (not set) -> 1", "env.SHARED: a -> b"]),
        ("remote", ["env.ONLY_THERE: 1 -> (not set)", "env.SHARED: a -> b"]),
        ("all", ["env.ONLY_HERE: (not set) -> 1", "env.ONLY_THERE: 1 -> (not set)", "env.SHARED: a -> b"]),
    ],
)
def test_env_modes_are_faas_clis(openfaas_client: OpenFaaS, tmp_path: Path, env_mode: str, expected: list[str]) -> None:
    head = "provider: {name: openfaas}\nfunctions:\n  fn:\n    image: x:1\n    fprocess: "
    openfaas_client.stack.deploy(stack(tmp_path, head + "cat\n    environment: {SHARED: a, ONLY_THERE: '1'}\n"))
    later = stack(tmp_path, "provider: {name: openfaas}\nfunctions:\n  fn:\n    image: x:1\n"
                            "    environment: {SHARED: b, ONLY_HERE: '1'}\n")  # fmt: skip
    diff = openfaas_client.stack.diff(later, env_mode=env_mode)  # type: ignore[arg-type]
    assert [str(change) for change in diff.functions[0].changes] == expected  # fprocess only deployed: ignored


def test_an_unknown_env_mode_is_refused(openfaas_client: OpenFaaS, fake_gateway: FakeGateway, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"env_mode must be one of \('local', 'remote', 'all'\), not 'both'"):
        openfaas_client.stack.diff(stack(tmp_path, AFTER), env_mode="both")  # type: ignore[arg-type]
    assert fake_gateway.requests == []
