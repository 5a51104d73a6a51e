"""The module a public name reports as its own (`__module__`, what tracebacks, reprs, `help()` and pickle show):
`pyopenfaas.NotFoundError`, not the private module that defines it, as httpx does."""

from __future__ import annotations

import sys
import types
from typing import Any


def publish(module: str, namespace: dict[str, Any], *names: str) -> None:
    """Report `module` as the home of `names` (default: the namespace's `__all__`), or `pyopenfaas` for those it
    exports. Only classes and functions of pyopenfaas change: type aliases, constants and generated structs (whose
    annotations are resolved in their own module) are left as they are."""
    exported = sys.modules["pyopenfaas"].__all__
    for name in names or namespace["__all__"]:
        value = namespace.get(name)  # None for a name loaded on first use (its module publishes it)
        if isinstance(value, type | types.FunctionType) and not value.__module__.startswith("pyopenfaas._generated"):
            value.__module__ = "pyopenfaas" if name in exported else module
