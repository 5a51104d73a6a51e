"""The module a public name reports as its own (`__module__`, what tracebacks, reprs, `help()` and pickle show):
`pyopenfaas.NotFoundError`, not the private module that defines it, as httpx does."""

from __future__ import annotations

import sys
import types
from typing import Any, ForwardRef


def publish(module: str, namespace: dict[str, Any], *names: str) -> None:
    """Report `module` as the home of `names` (default: the namespace's `__all__`), or `pyopenfaas` for those it
    exports; a class's annotations still resolve in the module that defines it. Only classes and functions of
    pyopenfaas change: type aliases, constants and generated structs (which msgspec reads) are left as they are."""
    exported = sys.modules["pyopenfaas"].__all__
    for name in names or namespace["__all__"]:
        value = namespace.get(name)  # None for a name loaded on first use (its module publishes it)
        if not isinstance(value, type | types.FunctionType) or value.__module__.startswith("pyopenfaas._generated"):
            continue
        if isinstance(value, type):  # typing.get_type_hints reads a class's annotations in its `__module__`
            hints = vars(value).get("__annotations__", {})
            for key, hint in hints.items():
                if isinstance(hint, str):
                    hints[key] = ForwardRef(hint, is_argument=False, is_class=True, module=value.__module__)
        value.__module__ = "pyopenfaas" if name in exported else module
