"""deploy, update and apply take `DeployOptions` (generated from openapi.yaml) as keyword arguments, and the
options named keyword-only are: `mypy --strict` checks this file (`make typecheck`), where each refused call
must keep its `type: ignore` (an unused one fails), and pytest runs it, where the same calls raise TypeError
before anything reaches the fake gateway."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import assert_type

import anyio
import pytest
from pyopenfaas import AsyncOpenFaaS, DeployOptions, OpenFaaS
from pyopenfaas.stack import Deployment, load_stack
from pyopenfaas.testing import FakeGateway

IMAGE = "ghcr.io/openfaas/figlet:latest"


def test_an_unknown_or_mistyped_option_is_refused_by_mypy_and_before_sending() -> None:
    with FakeGateway() as gateway, OpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client:
        with pytest.raises(TypeError, match="unexpected keyword argument 'env_var'"):
            client.functions.deploy("figlet", IMAGE, env_var={"A": "1"})  # type: ignore[call-arg]
        with pytest.raises(TypeError, match="'label'"):
            client.functions.update("figlet", IMAGE, label={})  # type: ignore[call-arg]
        with pytest.raises(TypeError, match="'image'"):
            client.functions.apply("figlet", IMAGE, image="x")  # type: ignore[misc]
        with pytest.raises(TypeError, match="env_vars must be a mapping"):
            client.functions.deploy("figlet", IMAGE, env_vars=["A=1"])  # type: ignore[arg-type]
        assert gateway.requests == []


def test_options_kept_in_a_dict_are_typed_and_sent() -> None:
    options: DeployOptions = {"labels": {"team": "edge"}, "constraints": ("zone=a",), "read_only_root_filesystem": True}
    misspelt: DeployOptions = {"label": {"team": "edge"}}  # type: ignore[typeddict-unknown-key]
    assert misspelt
    with FakeGateway() as gateway, OpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client:
        client.functions.apply("figlet", IMAGE, **options)
        function = client.functions.get("figlet")
        assert (function.labels, function.read_only_root_filesystem) == ({"team": "edge"}, True)


def test_the_async_client_takes_the_same_options() -> None:
    async def main() -> None:
        with FakeGateway() as gateway:
            async with AsyncOpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client:
                with pytest.raises(TypeError, match="'envvars'"):
                    await client.functions.deploy("figlet", IMAGE, envvars={})  # type: ignore[call-arg]
                assert gateway.requests == []
                await client.functions.deploy("figlet", IMAGE, env_vars={"A": "1"}, namespace=None)
                assert (await client.functions.get("figlet")).env_vars == {"A": "1"}

    anyio.run(main)


def test_options_after_the_natural_positionals_are_keyword_only() -> None:
    with FakeGateway() as gateway, OpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client:
        with pytest.raises(TypeError, match="positional"):
            client.functions.wait_ready("figlet", None, 5.0)  # type: ignore[call-arg]
        with pytest.raises(TypeError, match="positional"):
            client.namespaces.create("team-a", {"team": "a"})  # type: ignore[call-arg]
        with pytest.raises(TypeError, match="positional"):
            client.namespaces.update("team-a", None, {"a": "b"})  # type: ignore[call-arg]
        assert gateway.requests == []


def test_a_stack_deployment_is_deploy_options(tmp_path: Path) -> None:
    """`Deployment` has `name`, `image` and each field of `DeployOptions`, which `options()` hands on."""
    (tmp_path / "stack.yml").write_text(
        "provider: {name: openfaas}\nfunctions:\n  fn: {image: 'x:1', fprocess: cat, labels: {team: edge}}\n"
    )
    [deployment] = load_stack(tmp_path / "stack.yml").deployments()
    options = deployment.options()
    assert_type(options, DeployOptions)
    names = [field.name for field in dataclasses.fields(Deployment)]
    assert names == ["name", "image", *DeployOptions.__annotations__]
    assert options == {name: getattr(deployment, name) for name in names[2:]}
    assert (options["env_process"], options["labels"]) == ("cat", {"team": "edge"})
    with FakeGateway() as gateway, OpenFaaS("http://gateway", transport=gateway.transport(), env={}) as client:
        stack = load_stack(tmp_path / "stack.yml")
        with pytest.raises(TypeError, match="positional"):
            client.stack.deploy(stack, True)  # type: ignore[call-arg]
        assert client.stack.deploy(stack, dry_run=True) == [deployment]
        assert gateway.requests == []
