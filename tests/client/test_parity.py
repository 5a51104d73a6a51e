"""`OpenFaaS` and `AsyncOpenFaaS` (and their resources) have the same methods with the same signatures."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from pyopenfaas import (
    AsyncFunctions,
    AsyncJob,
    AsyncJobs,
    AsyncNamespaces,
    AsyncOpenFaaS,
    AsyncSecrets,
    Functions,
    Job,
    Jobs,
    Namespaces,
    OpenFaaS,
    Secrets,
)

PAIRS = [
    (OpenFaaS, AsyncOpenFaaS),
    (Functions, AsyncFunctions),
    (Secrets, AsyncSecrets),
    (Namespaces, AsyncNamespaces),
    (Jobs, AsyncJobs),
    (Job, AsyncJob),
]

# Names that differ only because one side is async: the types mean the same thing.
ASYNC_SPELLINGS = {
    "AsyncInvocationResponse": "InvocationResponse",
    "AsyncLogStream": "LogStream",
    "AsyncJobs": "Jobs",
    "AsyncJob": "Job",
    "AsyncIterator": "Iterator",
    "AsyncGenerator": "Generator",
    "AsyncData": "SyncData",
    "httpx.AsyncClient": "httpx.Client",
    "httpx.AsyncBaseTransport": "httpx.BaseTransport",
}
# Methods named after their kind of call, as httpx names them: `aclose()` on async objects, `close()` on sync ones.
ASYNC_METHODS = {"aclose": "close"}
SYNC_ONLY = {"__enter__", "__exit__"}
ASYNC_ONLY = {"__aenter__", "__aexit__"}
# Methods that hand back an (async) iterator rather than a single awaited result.
STREAMING = {"logs", "invoke_many", "map"}
# Methods that are plain calls on both twins: a client's own settings, and the jobs context manager.
NOT_AWAITED = {"from_env", "with_options", "jobs"}


def public_methods(cls: type) -> dict[str, Any]:
    return {
        name: member
        for name, member in inspect.getmembers(cls)
        if callable(member) and (not name.startswith("_") or name in SYNC_ONLY | ASYNC_ONLY) and name != "__init__"
    }


def normalise(annotation: object) -> str:
    text = str(annotation)
    for async_name, sync_name in ASYNC_SPELLINGS.items():
        text = text.replace(async_name, sync_name)
    return text


def drift(sync_cls: type, async_cls: type) -> list[str]:
    """Every difference between the twins, as readable lines (empty when they are in step)."""
    problems = []
    sync_methods = public_methods(sync_cls)
    async_methods = {ASYNC_METHODS.get(name, name): member for name, member in public_methods(async_cls).items()}
    for name in sorted((set(sync_methods) - SYNC_ONLY) ^ (set(async_methods) - ASYNC_ONLY)):
        problems.append(f"{name}: only on {sync_cls.__name__ if name in sync_methods else async_cls.__name__}")
    for name in sorted((set(sync_methods) & set(async_methods)) - SYNC_ONLY - ASYNC_ONLY):
        sync_sig = inspect.signature(sync_methods[name])
        async_sig = inspect.signature(async_methods[name])
        sync_params = [(p.name, p.kind, p.default, normalise(p.annotation)) for p in sync_sig.parameters.values()]
        async_params = [(p.name, p.kind, p.default, normalise(p.annotation)) for p in async_sig.parameters.values()]
        if sync_params != async_params:
            problems.append(f"{name}: parameters differ: {sync_sig} vs {async_sig}")
        if normalise(sync_sig.return_annotation) != normalise(async_sig.return_annotation):
            problems.append(f"{name}: returns differ: {sync_sig.return_annotation} vs {async_sig.return_annotation}")
        method = inspect.getattr_static(async_cls, {v: k for k, v in ASYNC_METHODS.items()}.get(name, name))
        function = method.__func__ if isinstance(method, classmethod | staticmethod) else method
        awaited = inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)
        if name in STREAMING:
            if inspect.iscoroutinefunction(function):
                problems.append(f"{name}: must return an async iterator, not a coroutine")
        elif not awaited and name not in NOT_AWAITED:
            problems.append(f"{name}: is not awaitable on {async_cls.__name__}")
    return problems


@pytest.mark.parametrize(("sync_cls", "async_cls"), PAIRS, ids=lambda cls: cls.__name__)
def test_twins_are_in_step(sync_cls: type, async_cls: type) -> None:
    assert drift(sync_cls, async_cls) == []


def test_design_names_are_present() -> None:
    assert {"info", "health", "alert", "close", "from_env", "with_options"} <= set(public_methods(OpenFaaS))
    assert {
        "list", "get", "deploy", "update", "apply", "delete", "scale", "wait_ready", "invoke", "invoke_async", "logs",
    } <= set(public_methods(Functions))  # fmt: skip
    assert {"list", "create", "update", "apply", "delete"} <= set(public_methods(Secrets))
    assert {"list", "get", "create", "update", "delete"} <= set(public_methods(Namespaces))


def test_drift_is_detected() -> None:
    class Sync:
        def a(self, x: int, *, y: str = "") -> int:
            return x

        def b(self) -> None: ...
        def c(self, name: str) -> None: ...

    class Async:
        async def a(self, x: int, *, y: str = "z") -> int:
            return x

        async def b(self) -> None: ...
        def c(self, name: str) -> None: ...
        async def d(self) -> None: ...

    problems = drift(Sync, Async)
    assert any(p.startswith("a: parameters differ") for p in problems)
    assert "c: is not awaitable on Async" in problems
    assert "d: only on Async" in problems
    assert not any(p.startswith("b:") for p in problems)
