"""Public names report the module users import them from (tracebacks, reprs, `help()`, pickle), as httpx's do."""

from __future__ import annotations

import importlib
import pickle
import subprocess
import sys
import types
import typing
from collections.abc import Iterator

import pyopenfaas
import pyopenfaas.auth
import pyopenfaas.builder
import pyopenfaas.contract
import pyopenfaas.function
import pyopenfaas.signing
import pyopenfaas.stack
import pyopenfaas.testing
import pytest

MODULES = (
    pyopenfaas,
    pyopenfaas.auth,
    pyopenfaas.stack,
    pyopenfaas.builder,
    pyopenfaas.signing,
    pyopenfaas.function,
    pyopenfaas.testing,
    pyopenfaas.contract,
)


def exported(module: types.ModuleType) -> Iterator[tuple[str, type | types.FunctionType]]:
    """The classes and functions in `module.__all__` (not the type aliases and constants)."""
    for name in module.__all__:
        value = getattr(module, name)
        if isinstance(value, type | types.FunctionType):
            yield name, value


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_every_exported_name_reports_its_public_module(module: types.ModuleType) -> None:
    wrong = []
    for name, value in exported(module):
        if value.__module__.startswith(("pyopenfaas._generated.", "pyopenfaas._generated_builder.")):
            continue  # a generated result struct: msgspec resolves its annotations in the module that defines it
        home = "pyopenfaas" if name in pyopenfaas.__all__ else module.__name__
        if value.__module__ != home or getattr(importlib.import_module(home), value.__qualname__) is not value:
            wrong.append(f"{name}: {value.__module__}")
        typing.get_type_hints(value)  # annotations still resolve, where the name is defined
    assert wrong == []


def test_a_traceback_names_the_public_exception() -> None:
    """In a fresh process, where nothing but the client was imported: the last line of the traceback."""
    script = (
        "import httpx\n"
        "from pyopenfaas import OpenFaaS\n"
        "answer = httpx.MockTransport(lambda request: httpx.Response(404, text='function not found'))\n"
        "OpenFaaS('http://gateway.test', env={}, transport=answer).functions.get('figlet')\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1].startswith("pyopenfaas.NotFoundError: ")


def test_names_reached_without_pyopenfaas_report_it() -> None:
    """In fresh processes: through a public submodule only, and through modules the client loads on first use."""
    scripts = {
        "import pyopenfaas.stack\nprint(pyopenfaas.stack.StackError.__module__)": "pyopenfaas",
        (
            "from pyopenfaas import OpenFaaS\n"
            "client = OpenFaaS('http://gateway.test', env={})\n"
            "print(*(type(value).__module__ for value in (client.functions, client.jobs(), client.stack)))"
        ): "pyopenfaas pyopenfaas pyopenfaas.stack",
    }
    for script, modules in scripts.items():
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
        assert run.stdout.split() == modules.split()


def test_exceptions_pickle_under_their_public_name() -> None:
    errors = [
        value("boom")
        for module in MODULES
        for _, value in exported(module)
        if isinstance(value, type) and issubclass(value, Exception) and _takes_a_message_alone(value)
    ]
    assert len(errors) >= 8  # OpenFaaSError, ConfigurationError, FunctionNotReadyError, SignatureError, ...
    for error in errors:
        data = pickle.dumps(error)
        assert b"pyopenfaas._" not in data
        copy = pickle.loads(data)  # noqa: S301 - our own bytes
        assert type(copy) is type(error)
        assert copy.args == error.args


def test_results_and_options_pickle_under_their_public_name() -> None:
    for value in (pyopenfaas.RetryPolicy(max_delay=3.0), pyopenfaas.JobStats(1, 0, 0, 0, 1)):
        data = pickle.dumps(value)
        assert b"pyopenfaas._" not in data
        assert pickle.loads(data) == value  # noqa: S301 - our own bytes


def _takes_a_message_alone(cls: type) -> bool:
    try:
        cls("boom")
    except TypeError:
        return False  # keyword-only fields (a response, a path): built by pyopenfaas, not by users
    return True
