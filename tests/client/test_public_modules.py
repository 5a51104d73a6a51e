"""Public names report the module users import them from (tracebacks, reprs, `help()`, pickle), as httpx's do."""

from __future__ import annotations

import importlib
import inspect
import pickle
import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path

import httpx
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


SECRET = "s3cret-token"
SENT = httpx.Request("GET", "http://gateway.test/system/functions", headers={"Authorization": f"Bearer {SECRET}"})
# A value for each field an exception's constructor takes, by name (a new field name fails below: add it here).
FIELDS: dict[str, object] = {
    "message": "boom",
    "request": SENT,
    "response": httpx.Response(404, text="not found", request=SENT),
    "body": "not found",
    "path": Path("stack.yaml"),
    "line": 3,
    "image": "ghcr.io/example/fn:1",
    "error": "invalid_grant",
    "error_description": "expired",
    "log": ("step 1", "step 2"),
    "name": "api-key",
}


def _every_public_exception() -> list[Exception]:
    errors = []
    for module in MODULES:
        for _, cls in exported(module):
            if not (isinstance(cls, type) and issubclass(cls, Exception)) or issubclass(cls, Warning):
                continue
            parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
            if parameters[0].kind is inspect.Parameter.VAR_POSITIONAL:  # Exception's own: a message
                errors.append(cls("boom"))
                continue
            positional = [FIELDS[p.name] for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
            keywords = {p.name: FIELDS[p.name] for p in parameters if p.kind is p.KEYWORD_ONLY}
            errors.append(cls(*positional, **keywords))
    return errors


def _fields(error: BaseException) -> dict[str, object]:
    """The error's fields, httpx's requests and answers by what they carry (they have no `==`)."""

    def plain(value: object) -> object:
        if isinstance(value, httpx.Response):
            return value.status_code, value.content, plain(value.request)
        if isinstance(value, httpx.Request):
            return value.method, str(value.url), [(k, v) for k, v in value.headers.raw if k != b"Authorization"]
        return value

    return {name: plain(value) for name, value in vars(error).items()}


def test_every_exception_pickles_under_its_public_name_with_its_fields() -> None:
    errors = _every_public_exception()
    assert len(errors) >= 25  # every class exported, the keyword-field ones (APIStatusError, BuildError...) too
    for error in errors:
        error.add_note("a note")
        data = pickle.dumps(error)
        assert b"pyopenfaas._" not in data
        assert SECRET.encode() not in data  # a request carried pickles without its Authorization
        copy = pickle.loads(data)  # noqa: S301 - our own bytes
        assert type(copy) is type(error)
        assert (copy.args, str(copy), copy.__notes__) == (error.args, str(error), ["a note"])
        assert _fields(copy) == _fields(error)
        assert SECRET not in repr(copy) + str(copy)


def test_results_and_options_pickle_under_their_public_name() -> None:
    function = pyopenfaas.Function.from_dict({"name": "echo", "image": "img:1", "envVars": {"A": "1"}})
    results = (function, pyopenfaas.builder.BuildResult(status="success", image="img:1", log=["done"]))
    for value in (pyopenfaas.RetryPolicy(max_delay=3.0), pyopenfaas.JobStats(1, 0, 0, 0, 1), *results):
        data = pickle.dumps(value)
        assert b"pyopenfaas._" not in data
        assert pickle.loads(data) == value  # noqa: S301 - our own bytes


def test_a_status_error_whose_answer_was_never_read_pickles_without_reading_it() -> None:
    streamed = httpx.Response(502, stream=httpx.ByteStream(b"upstream gone"), request=SENT)
    error = pyopenfaas.InternalServerError("bad gateway", response=streamed, body="")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert (copy.status_code, copy.response.content, copy.response.request.url) == (502, b"", SENT.url)
    assert "Authorization" not in copy.response.request.headers
