"""`client.stack`: deploy, remove and build-then-deploy a stack file."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .._build_api import FAILED, function_inputs
from .._errors import BuildError, NotFoundError
from .._public import publish
from .._stack_diff import ENV_MODES, EnvMode, StackDiff, diff_function
from .._stack_model import Deployment, Stack, UpProgress

if TYPE_CHECKING:
    from .._models import Function
    from .builder import AsyncFunctionBuilder
    from .functions import AsyncFunctions

Progress = Callable[[UpProgress], object]


class AsyncStackResource:
    """Stack files on the gateway: `client.stack`."""

    def __init__(self, functions: AsyncFunctions) -> None:
        self._functions = functions

    async def deploy(
        self, stack: Stack, *, dry_run: bool = False, env: Mapping[str, str] | None = None, namespace: str | None = None
    ) -> list[Deployment]:
        """Apply (update, or create when absent) one deployment per selected function, in file order, and
        return them. The environment is merged as faas-cli merges it: `environment`, then each
        `environment_file` over it, then `env`. `namespace` wins over each function's own. With `dry_run`
        nothing is sent: the deployments are returned as they would be applied."""
        deployments = stack.deployments(env=env, namespace=namespace)
        if not dry_run:
            for d in deployments:
                await self._functions.apply(d.name, d.image, **d.options())
        return deployments

    async def diff(
        self,
        stack: Stack,
        *,
        env: Mapping[str, str] | None = None,
        namespace: str | None = None,
        env_mode: EnvMode = "local",
    ) -> StackDiff:
        """What `deploy(stack, env=env, namespace=namespace)` would change, function by function (faas-cli
        `diff`): `new`, `changed` (each field's deployed and stack value) or `unchanged`. An environment
        variable only the gateway reports counts with `env_mode="all"` (faas-cli `--env`; `"remote"` counts
        only those the gateway reports). Read-only: one `GET /system/functions` per namespace involved."""
        if env_mode not in ENV_MODES:
            raise ValueError(f"env_mode must be one of {ENV_MODES}, not {env_mode!r}")
        deployments = stack.deployments(env=env, namespace=namespace)
        deployed: dict[str | None, dict[str, Function]] = {}
        for deployment in deployments:
            if deployment.namespace not in deployed:
                listed = await self._functions.list(namespace=deployment.namespace)
                deployed[deployment.namespace] = {function.name: function for function in listed}
        return StackDiff(tuple(diff_function(d, deployed[d.namespace].get(d.name), env_mode) for d in deployments))

    async def remove(self, stack: Stack, *, namespace: str | None = None) -> list[str]:
        """Delete each selected function; returns the names deleted (one already gone is skipped)."""
        removed = []
        for function in stack.functions.values():
            try:
                await self._functions.delete(function.name, namespace=namespace or function.namespace)
            except NotFoundError:
                continue
            removed.append(function.name)
        return removed

    async def up(
        self,
        stack: Stack,
        *,
        builder: AsyncFunctionBuilder,
        on_progress: Progress | None = None,
        env: Mapping[str, str] | None = None,
        namespace: str | None = None,
        template_dir: str | os.PathLike[str] | None = None,
        skip_push: bool = False,
    ) -> list[Deployment]:
        """What `faas-cli up --remote-builder` does: build and push every selected function with `builder`
        (functions with `skip_build: true` are not built), then deploy them. `on_progress` receives each step
        as it happens: `building`, every build `log` line as the builder streams it, `built` (or `skipped`),
        then `deployed`. The first failed build raises `BuildError` with the builder's error, before anything
        is deployed."""
        report = on_progress or (lambda progress: None)
        for function in stack.functions.values():
            if function.skip_build:
                report(UpProgress(function.name, "skipped", image=function.image))
                continue
            inputs = function_inputs(function, stack, template_dir, skip_push)
            report(UpProgress(function.name, "building", image=function.image))
            log: list[str] = []
            async for result in builder._stream(inputs):  # `build_stream` of inputs checked already
                for line in result.log:
                    log.append(line)
                    report(UpProgress(function.name, "log", line=line, image=function.image))
                if result.status == FAILED:
                    raise BuildError(
                        f"{function.name}: failure while building or pushing image {function.image}: {result.error}",
                        image=function.image,
                        error=result.error,
                        log=tuple(log),
                    )
            report(UpProgress(function.name, "built", image=function.image))
        deployments = stack.deployments(env=env, namespace=namespace)
        for d in deployments:
            await self._functions.apply(d.name, d.image, **d.options())
            report(UpProgress(d.name, "deployed", image=d.image))
        return deployments


publish("pyopenfaas.stack", globals(), "AsyncStackResource")
