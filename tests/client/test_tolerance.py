"""Provider quirks read as what they mean: faas-memory answers `null` (Go's nil slice), not `[]`, when it has
no functions, secrets or namespaces (gateway-api.md, section 9)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.contract.server import Gateway
from tests.support.clients import Client, resolve

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("path", "call"),
    [
        ("/system/functions", lambda c: c.functions.list()),
        ("/system/secrets", lambda c: c.secrets.list()),
        ("/system/namespaces", lambda c: c.namespaces.list()),
    ],
    ids=["functions", "secrets", "namespaces"],
)
async def test_null_for_an_empty_list_is_an_empty_list(
    client: Client, gateway: Gateway, path: str, call: Callable[[Client], Any]
) -> None:
    gateway.server.expect_request(path, method="GET").respond_with_data("null", content_type="application/json")
    assert await resolve(call(client)) == []
