"""The module a public name reports as its own (`__module__`, what tracebacks, reprs, `help()` and pickle show):
`pyopenfaas.NotFoundError`, not the private module that defines it, as httpx does."""

from __future__ import annotations

import sys
import types
from collections.abc import Collection, Iterable
from typing import Any, ForwardRef

_published: set[str] = set()  # the modules whose names `pyopenfaas` exports report it already


def publish(module: str = "pyopenfaas", namespace: dict[str, Any] | None = None, *names: str) -> None:
    """Report `pyopenfaas` as the home of what it exports from every module loaded so far (its table of homes says
    which): `pyopenfaas` runs this as it loads a name. A public submodule (or a private module loaded on first use,
    not through `pyopenfaas`) runs it as it loads, with `module` the home of `names` (default: its `__all__`) but
    those `pyopenfaas` exports. A class's annotations still resolve in the module that defines it. Only classes and
    functions change: type aliases and constants stay (a generated struct reports its public module itself)."""
    package = sys.modules["pyopenfaas"]
    if namespace is not None:
        _publish(namespace, names or namespace["__all__"], module, package.__all__)
    for home, exported in package._HOMES.items():
        loaded = sys.modules.get(f"pyopenfaas.{home}")
        if loaded is not None and home not in _published and _publish(vars(loaded), exported.split(), "pyopenfaas", ()):
            _published.add(home)  # all of them: a module still loading is looked at again next time


def _publish(namespace: dict[str, Any], names: Iterable[str], module: str, exported: Collection[str]) -> bool:
    """Whether every one of `names` was there."""
    found = True
    for name in names:
        value = namespace.get(name)
        found = found and name in namespace
        if not isinstance(value, type | types.FunctionType):
            continue
        if isinstance(value, type):  # typing.get_type_hints reads a class's annotations in its `__module__`
            hints = vars(value).get("__annotations__", {})
            for key, hint in hints.items():
                if isinstance(hint, str):
                    hints[key] = ForwardRef(hint, is_argument=False, is_class=True, module=value.__module__)
        value.__module__ = "pyopenfaas" if name in exported else module
    return found
