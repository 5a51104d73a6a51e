"""Everything a public signature mentions can be imported from `pyopenfaas` (or `pyopenfaas.testing`), and the
public modules list exactly what they export."""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Iterator

import msgspec
import pyopenfaas
import pyopenfaas.builder
import pyopenfaas.function
import pyopenfaas.signing
import pyopenfaas.stack
import pyopenfaas.testing
import pytest

# Public submodules that are the home of their own names (loaded on use, so `import pyopenfaas` stays light).
SUBMODULES = (pyopenfaas.stack, pyopenfaas.builder, pyopenfaas.signing, pyopenfaas.function)

CLIENTS = (pyopenfaas.OpenFaaS, pyopenfaas.AsyncOpenFaaS, pyopenfaas.RetryPolicy)


def mentioned(annotation: object) -> Iterator[type]:
    """Every class an annotation names, through unions, generics and aliases."""
    if isinstance(annotation, type) and not isinstance(annotation, types.GenericAlias):  # type: ignore[unreachable]
        yield annotation
    for argument in typing.get_args(annotation):
        yield from mentioned(argument)
    origin = typing.get_origin(annotation)
    if isinstance(origin, type):
        yield origin


def public_signatures(module: types.ModuleType) -> Iterator[tuple[str, object]]:
    for name in module.__all__:
        exported = getattr(module, name)
        if not inspect.isclass(exported):
            if inspect.isroutine(exported):  # not a type alias (a `Literal[...]` is callable)
                yield name, exported
            continue
        for attribute, member in vars(exported).items():
            function = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
            if not callable(function) or (attribute.startswith("_") and attribute != "__init__"):
                continue
            if attribute == "__init__" and exported not in CLIENTS:
                continue  # results and resources are made by the client, never by the user
            yield f"{name}.{attribute}", function


def exported(cls: type, module: types.ModuleType) -> bool:
    homes = (module,) if cls.__module__.startswith("pyopenfaas.testing") else (pyopenfaas, *SUBMODULES)
    return any(cls.__name__ in home.__all__ and getattr(home, cls.__name__) is cls for home in homes)


@pytest.mark.parametrize("module", [pyopenfaas, pyopenfaas.testing, *SUBMODULES], ids=lambda module: module.__name__)
def test_every_class_in_a_public_signature_is_exported(module: types.ModuleType) -> None:
    names = {name: getattr(home, name) for home in (pyopenfaas, *SUBMODULES, module) for name in home.__all__}
    missing = set()
    for where, function in public_signatures(module):
        for annotation in typing.get_type_hints(function, localns=names).values():
            for cls in mentioned(annotation):
                if cls.__module__.startswith("pyopenfaas") and not exported(cls, module):
                    missing.add(f"{cls.__module__}.{cls.__name__} (in {where})")
    assert sorted(missing) == []


def test_every_type_a_result_field_names_is_exported() -> None:
    """The result types are generated structs: a schema nested in one (a new one too) must be exported."""
    missing = set()
    for name in pyopenfaas.__all__:
        result = getattr(pyopenfaas, name)
        if not (inspect.isclass(result) and issubclass(result, msgspec.Struct)):
            continue
        for field, annotation in typing.get_type_hints(result).items():
            for cls in mentioned(annotation):
                if cls.__module__.startswith("pyopenfaas") and not exported(cls, pyopenfaas):
                    missing.add(f"{cls.__name__} (in {name}.{field})")
    assert sorted(missing) == []


def test_all_lists_only_what_exists() -> None:
    for module in (pyopenfaas, pyopenfaas.testing, *SUBMODULES):
        assert [name for name in module.__all__ if not hasattr(module, name)] == []
        assert len(set(module.__all__)) == len(module.__all__)


def test_the_public_seam_is_complete() -> None:
    """The names users and type checkers meet in signatures, spelled as the design names them."""
    assert {
        "Functions", "AsyncFunctions", "Secrets", "AsyncSecrets", "Namespaces", "AsyncNamespaces", "LogStream",
        "AsyncLogStream", "NOT_GIVEN", "NotGiven", "RetryPolicy", "TimeoutTypes", "Query", "Since", "SyncData",
        "AsyncData", "VerifyTypes", "default_async_transport", "CertTypes",
    } <= set(pyopenfaas.__all__)  # fmt: skip
    assert repr(pyopenfaas.NOT_GIVEN) == "NOT_GIVEN"


def test_the_lazy_names_are_the_imported_names() -> None:
    """`pyopenfaas` loads its names on use: its table of homes says what the imports type checkers read say (a `*`
    imports the module's `__all__`, else the public names it assigns, classes and functions it defines)."""
    import ast
    import importlib
    from pathlib import Path

    def parse(path: str | None) -> list[ast.stmt]:
        return ast.parse(Path(str(path)).read_text(encoding="utf-8")).body

    def star(home: str) -> list[str]:
        module = importlib.import_module(f"pyopenfaas.{home}")
        if hasattr(module, "__all__"):
            return list(module.__all__)
        body = parse(module.__file__)
        defined = [target.id for node in body if isinstance(node, ast.Assign) for target in node.targets]  # type: ignore[attr-defined]
        defined += [node.name for node in body if isinstance(node, ast.ClassDef | ast.FunctionDef)]
        return [name for name in defined if not name.startswith("_")]

    guarded = next(node for node in parse(pyopenfaas.__file__) if isinstance(node, ast.If))  # `if TYPE_CHECKING:`
    imported: dict[str, str] = {}
    for node in guarded.body:
        assert isinstance(node, ast.ImportFrom)
        assert node.module
        for alias in node.names:
            assert alias.name == "*" or alias.asname == alias.name  # `X as X`: re-exported for type checkers
            imported |= dict.fromkeys(star(node.module) if alias.name == "*" else [alias.name], node.module)
    homes = {name: home for home, names in pyopenfaas._HOMES.items() for name in names.split()}
    assert imported == homes
    assert sorted(imported) == sorted(pyopenfaas.__all__)
    assert set(dir(pyopenfaas)) >= set(pyopenfaas.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'Nonexistent'"):
        _ = pyopenfaas.Nonexistent
