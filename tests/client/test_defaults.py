"""The defaults `pyopenfaas` exports are the ones the clients use, and the only ones public signatures name."""

from __future__ import annotations

import base64
import inspect
import types

import httpx
import msgspec
import pyopenfaas
import pyopenfaas.auth
import pyopenfaas.builder
import pyopenfaas.stack
import pytest
from pyopenfaas import OpenFaaS, RetryPolicy

DEFAULTS = {name: getattr(pyopenfaas, name) for name in pyopenfaas.__all__ if name.startswith("DEFAULT_")}
MODULES = (pyopenfaas, pyopenfaas.auth, pyopenfaas.stack, pyopenfaas.builder)


def signatures(module: types.ModuleType) -> list[tuple[str, inspect.Signature]]:
    """Every public function's, class's and public method's signature."""
    found = []
    for name in module.__all__:
        exported = getattr(module, name)
        members = [(name, exported)] if callable(exported) and not isinstance(exported, types.GenericAlias) else []
        if exported is RetryPolicy or (inspect.isclass(exported) and issubclass(exported, msgspec.Struct)):
            members = []  # fields, not options: the default policy's values, a result's Go zero values
        if inspect.isclass(exported):
            members += [
                (f"{name}.{attr}", member) for attr, member in vars(exported).items() if not attr.startswith("_")
            ]
        for where, member in members:
            function = getattr(member, "__func__", member)
            try:
                found.append((where, inspect.signature(function)))
            except (TypeError, ValueError):  # not a function (a property, a constant), or a built-in without one
                continue
    return found


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_public_signatures_name_the_exported_defaults(module: types.ModuleType) -> None:
    """A number, timeout or retry policy a signature defaults to is one of the `DEFAULT_` objects itself (a copied
    float or large int literal is another object, and fails)."""
    kinds = (int, float, httpx.Timeout, RetryPolicy)
    stray = [
        f"{where}({parameter.name}={parameter.default!r})"
        for where, signature in signatures(module)
        for parameter in signature.parameters.values()
        if isinstance(parameter.default, kinds)
        and not isinstance(parameter.default, bool)
        and not any(parameter.default is value for value in DEFAULTS.values())
    ]
    assert stray == []


def test_a_client_left_to_its_defaults_uses_them() -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    with OpenFaaS(password="pw", env={}, transport=httpx.MockTransport(record)) as client:
        assert client.base_url == pyopenfaas.DEFAULT_GATEWAY_URL
        client.functions.list()
    assert sent[0].url.host == httpx.URL(pyopenfaas.DEFAULT_GATEWAY_URL).host
    assert sent[0].extensions["timeout"] == pyopenfaas.DEFAULT_TIMEOUT.as_dict()
    user = base64.b64decode(sent[0].headers["Authorization"].removeprefix("Basic ")).decode().partition(":")[0]
    assert user == pyopenfaas.DEFAULT_USERNAME
