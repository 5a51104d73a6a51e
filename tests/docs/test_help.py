"""help(OpenFaaS) and the API reference name the client's resources (declared on the class, not only set)."""

from __future__ import annotations

import pydoc
import typing

import pyopenfaas
import pytest

RESOURCES = ("functions", "secrets", "namespaces", "stack")


@pytest.mark.parametrize("client", [pyopenfaas.OpenFaaS, pyopenfaas.AsyncOpenFaaS])
def test_help_names_every_resource(client: type) -> None:
    text = pydoc.render_doc(client, renderer=pydoc.plaintext)  # type: ignore[attr-defined]  # typeshed omits it
    introduced = next(line for line in text.splitlines() if "Its resources:" in line)
    for name in RESOURCES:
        assert f"`{name}`" in introduced, name


def test_resources_are_annotated_with_their_twin() -> None:
    hints = typing.get_type_hints(pyopenfaas.OpenFaaS)
    assert hints["functions"] is pyopenfaas.Functions
    assert typing.get_type_hints(pyopenfaas.AsyncOpenFaaS)["functions"] is pyopenfaas.AsyncFunctions
