"""What a stack deploy would change on the gateway, function by function (faas-cli `diff`), without I/O.

The fields and rules are faas-cli's: `image`, `fprocess`, `readonly_root_filesystem`, `env.<name>`,
`secret.<name>`, `constraint.<expr>`, `label.<key>`, `annotation.<key>`, `limits.<resource>` and
`requests.<resource>`. Secrets and constraints are compared by presence (secret values are never read: the
gateway does not return them). A `fprocess` only the gateway reports is not a change, nor, in the default
`env_mode="local"`, an environment variable only the gateway reports: providers report what the image itself
sets too. `"remote"` compares only the variables the gateway reports, `"all"` every one (faas-cli `--env`).
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from ._models import Function
from ._stack_model import Deployment

EnvMode = Literal["local", "remote", "all"]
PRESENT = "present"
ENV_MODES = ("local", "remote", "all")


@dataclasses.dataclass(frozen=True, slots=True)
class FieldChange:
    """One field a deploy would change: its value on the gateway (`old`) and in the stack file (`new`), `None`
    where it is not set. Secrets and constraints read `"present"` when set."""

    field: str
    old: str | None
    new: str | None

    def __str__(self) -> str:
        return f"{self.field}: {_shown(self.old)} -> {_shown(self.new)}"


@dataclasses.dataclass(frozen=True, slots=True)
class FunctionDiff:
    """One stack function against the gateway: `new` (not deployed), `changed` (with its `changes`, sorted by
    field) or `unchanged`."""

    name: str
    namespace: str | None
    status: Literal["new", "changed", "unchanged"]
    changes: tuple[FieldChange, ...] = ()

    def __str__(self) -> str:
        where = f"{self.name}.{self.namespace}" if self.namespace else self.name
        return "\n".join([f"{self.status:<9} {where}", *(f"    {change}" for change in self.changes)])


@dataclasses.dataclass(frozen=True, slots=True)
class StackDiff:
    """The answer of `client.stack.diff`: one `FunctionDiff` per selected function, in file order. `str()` of
    it is a readable report."""

    functions: tuple[FunctionDiff, ...]

    @property
    def new(self) -> tuple[FunctionDiff, ...]:
        return tuple(f for f in self.functions if f.status == "new")

    @property
    def changed(self) -> tuple[FunctionDiff, ...]:
        return tuple(f for f in self.functions if f.status == "changed")

    @property
    def unchanged(self) -> tuple[FunctionDiff, ...]:
        return tuple(f for f in self.functions if f.status == "unchanged")

    @property
    def has_changes(self) -> bool:
        """Whether a deploy would change anything."""
        return any(f.status != "unchanged" for f in self.functions)

    def __str__(self) -> str:
        return "\n".join(str(function) for function in self.functions)


def diff_function(deployment: Deployment, deployed: Function | None, env_mode: EnvMode = "local") -> FunctionDiff:
    """`deployment` (what the stack would send) against the gateway's `deployed` function (`None`: absent)."""
    if deployed is None:
        return FunctionDiff(deployment.name, deployment.namespace, "new")
    wanted, have = _fields(deployment), _fields(deployed)
    changes = []
    for field in sorted(wanted.keys() | have.keys()):
        new, old = wanted.get(field), have.get(field)
        if new == old or _ignored(field, new is not None, old is not None, env_mode):
            continue
        changes.append(FieldChange(field, old, new))
    namespace = deployment.namespace or deployed.namespace
    return FunctionDiff(deployment.name, namespace, "changed" if changes else "unchanged", tuple(changes))


def _ignored(field: str, in_stack: bool, deployed: bool, env_mode: EnvMode) -> bool:
    """faas-cli's `ignoreAttr`: which one-sided differences are not reported."""
    if field == "fprocess":
        return deployed and not in_stack
    if not field.startswith("env."):
        return False
    if env_mode == "local":
        return deployed and not in_stack
    if env_mode == "remote":
        return in_stack and not deployed
    return False


def _fields(function: Deployment | Function) -> dict[str, str]:
    """faas-cli's flat view of a function (as the stack would send it, or as deployed): one entry per field
    that is set."""
    fields = {"readonly_root_filesystem": "true" if function.read_only_root_filesystem else "false"}
    if function.image:
        fields["image"] = function.image
    if function.env_process:
        fields["fprocess"] = function.env_process
    fields |= {f"env.{key}": value for key, value in function.env_vars.items()}
    fields |= {f"secret.{name}": PRESENT for name in function.secrets}
    fields |= {f"constraint.{expression}": PRESENT for expression in function.constraints}
    fields |= {f"label.{key}": value for key, value in function.labels.items()}
    fields |= {f"annotation.{key}": value for key, value in function.annotations.items()}
    fields |= {f"limits.{key}": value for key, value in (function.limits or {}).items() if value}
    fields |= {f"requests.{key}": value for key, value in (function.requests or {}).items() if value}
    return fields


def _shown(value: str | None) -> str:
    return "(not set)" if value is None else value
