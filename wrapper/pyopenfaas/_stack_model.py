"""The stack file as typed, immutable values, and the one mapping from a stack function to a deployment."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

if TYPE_CHECKING:
    from ._models import DeployOptions

from ._defaults import DEFAULT_GATEWAY_URL


@dataclasses.dataclass(frozen=True, slots=True)
class Resources:
    """`limits` or `requests` of a function: Kubernetes quantities such as `128Mi` and `100m`."""

    memory: str | None = None
    cpu: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {key: value for key, value in (("memory", self.memory), ("cpu", self.cpu)) if value}


@dataclasses.dataclass(frozen=True, slots=True)
class Provider:
    """`provider:` of a stack file; `name` is always `openfaas`."""

    name: str
    gateway: str | None = None
    network: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class TemplateSource:
    """An entry of `configuration.templates` (recorded; templates are read from the local `template/` folder)."""

    name: str
    source: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class StackConfiguration:
    """`configuration:` of a stack file."""

    templates: tuple[TemplateSource, ...] = ()
    copy: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class Deployment:
    """What `client.functions.apply` receives for one stack function: the dry run's answer."""

    name: str
    image: str
    namespace: str | None = None
    env_process: str | None = None
    env_vars: dict[str, str] = dataclasses.field(default_factory=dict)
    constraints: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    labels: dict[str, str] = dataclasses.field(default_factory=dict)
    annotations: dict[str, str] = dataclasses.field(default_factory=dict)
    limits: dict[str, str] = dataclasses.field(default_factory=dict)
    requests: dict[str, str] = dataclasses.field(default_factory=dict)
    read_only_root_filesystem: bool = False

    def options(self) -> DeployOptions:
        """The keyword arguments of `client.functions.apply` (and `deploy`, `update`): every field but `name`
        and `image`, which are `DeployOptions`' fields (a test holds the two to each other)."""
        return cast("DeployOptions", {field.name: getattr(self, field.name) for field in dataclasses.fields(self)[2:]})


@dataclasses.dataclass(frozen=True, slots=True)
class UpProgress:
    """One step of `client.stack.up` for one function: `building`, each build `log` line as it arrives,
    `built` (or `skipped` for `skip_build: true`), then `deployed`."""

    function: str
    stage: Literal["building", "log", "built", "skipped", "deployed"]
    line: str = ""
    image: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class StackFunction:
    """One entry of `functions:`. Paths (`handler`, `environment_file`, `build_secrets` values) are as written;
    `environment` is the merged result: the inline map, then each `environment_file` over it in order."""

    name: str
    image: str
    lang: str | None = None
    handler: str | None = None
    fprocess: str | None = None
    environment: dict[str, str] = dataclasses.field(default_factory=dict)
    environment_file: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    labels: dict[str, str] = dataclasses.field(default_factory=dict)
    annotations: dict[str, str] = dataclasses.field(default_factory=dict)
    constraints: tuple[str, ...] = ()
    limits: Resources | None = None
    requests: Resources | None = None
    readonly_root_filesystem: bool = False
    namespace: str | None = None
    build_args: dict[str, str] = dataclasses.field(default_factory=dict)
    build_options: tuple[str, ...] = ()
    build_secrets: dict[str, str] = dataclasses.field(default_factory=dict)
    platforms: str | None = None
    skip_build: bool = False

    def deployment(self, *, env: Mapping[str, str] | None = None, namespace: str | None = None) -> Deployment:
        """The deployment faas-cli would send: `env` over the merged environment; `namespace` (the caller's
        choice) over the function's own."""
        return Deployment(
            name=self.name,
            image=self.image,
            namespace=namespace or self.namespace,
            env_process=self.fprocess,
            env_vars={**self.environment, **(env or {})},
            constraints=self.constraints,
            secrets=self.secrets,
            labels=dict(self.labels),
            annotations=dict(self.annotations),
            limits=self.limits.as_dict() if self.limits else {},
            requests=self.requests.as_dict() if self.requests else {},
            read_only_root_filesystem=self.readonly_root_filesystem,
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Stack:
    """A parsed stack file: the selected functions, in file order, keyed by name. A stack loaded from a URL
    has its `url` (credentials and query left out) and a `path` in the folder that was current then."""

    path: Path
    provider: Provider
    functions: dict[str, StackFunction]
    configuration: StackConfiguration = StackConfiguration()
    version: str = "1.0"
    url: str | None = None

    @property
    def root(self) -> Path:
        """The project folder: the one holding the stack file. Relative paths start here."""
        return self.path.parent

    def deployments(self, *, env: Mapping[str, str] | None = None, namespace: str | None = None) -> list[Deployment]:
        """One deployment per selected function (see `StackFunction.deployment`)."""
        return [fn.deployment(env=env, namespace=namespace) for fn in self.functions.values()]

    def gateway_url(self, explicit: str | None = None, *, environ: Mapping[str, str] | None = None) -> str:
        """The gateway as faas-cli picks it: `explicit` (a flag), then `provider.gateway`, then `OPENFAAS_URL`,
        then the default. Like faas-cli, a value equal to the default does not win over the next source."""
        env = os.environ if environ is None else environ
        for candidate in (explicit, self.provider.gateway):
            if candidate and candidate.rstrip("/") != DEFAULT_GATEWAY_URL:
                return candidate
        return env.get("OPENFAAS_URL") or DEFAULT_GATEWAY_URL


def glob_match(pattern: str, name: str) -> bool:
    """`*` matches any run of characters, everything else itself (the go-glob rule faas-cli's --filter uses)."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), name, re.DOTALL) is not None
