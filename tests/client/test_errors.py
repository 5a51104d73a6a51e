"""Every error status openapi.yaml lists for every /system/* operation (and /healthz) maps to its exception, on
both clients, with a message that names the method, the URL, the status and the gateway's own text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pyopenfaas import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    NotSupportedError,
)

from tests import payloads
from tests.contract.server import Gateway
from tests.contract.spec import load_spec
from tests.support.clients import Client, Clients, resolve

pytestmark = pytest.mark.anyio

SPEC = load_spec()
Call = Callable[[Client], Any]

# (operation, method, spec path, path sent, call). Logs are lazy streams: see test_logs.py.
OPERATIONS: list[tuple[str, str, str, str, Call]] = [
    ("functions.list", "GET", "/system/functions", "/system/functions", lambda c: c.functions.list()),
    ("functions.get", "GET", "/system/function/{functionName}", "/system/function/figlet",
     lambda c: c.functions.get("figlet")),
    ("functions.deploy", "POST", "/system/functions", "/system/functions",
     lambda c: c.functions.deploy("figlet", "img:1")),
    ("functions.update", "PUT", "/system/functions", "/system/functions",
     lambda c: c.functions.update("figlet", "img:1")),
    ("functions.delete", "DELETE", "/system/functions", "/system/functions", lambda c: c.functions.delete("figlet")),
    ("functions.scale", "POST", "/system/scale-function/{functionName}", "/system/scale-function/figlet",
     lambda c: c.functions.scale("figlet", 2)),
    ("secrets.list", "GET", "/system/secrets", "/system/secrets", lambda c: c.secrets.list()),
    ("secrets.create", "POST", "/system/secrets", "/system/secrets", lambda c: c.secrets.create("api-key", "v")),
    ("secrets.update", "PUT", "/system/secrets", "/system/secrets", lambda c: c.secrets.update("api-key", "v")),
    ("secrets.delete", "DELETE", "/system/secrets", "/system/secrets", lambda c: c.secrets.delete("api-key")),
    ("namespaces.list", "GET", "/system/namespaces", "/system/namespaces", lambda c: c.namespaces.list()),
    ("namespaces.get", "GET", "/system/namespace/{namespace}", "/system/namespace/staging",
     lambda c: c.namespaces.get("staging")),
    ("namespaces.create", "POST", "/system/namespace/{namespace}", "/system/namespace/staging",
     lambda c: c.namespaces.create("staging")),
    ("namespaces.update", "PUT", "/system/namespace/{namespace}", "/system/namespace/staging",
     lambda c: c.namespaces.update("staging")),
    ("namespaces.delete", "DELETE", "/system/namespace/{namespace}", "/system/namespace/staging",
     lambda c: c.namespaces.delete("staging")),
    ("info", "GET", "/system/info", "/system/info", lambda c: c.info()),
    ("alert", "POST", "/system/alert", "/system/alert", lambda c: c.alert(payloads.ALERT)),
    ("health", "GET", "/healthz", "/healthz", lambda c: c.health()),
]  # fmt: skip

EXPECTED: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    404: NotFoundError,
    405: APIStatusError,  # no class of its own: faas-netes CE's namespace writes
    409: ConflictError,
    500: InternalServerError,
    502: InternalServerError,
    503: InternalServerError,
    501: NotSupportedError,
}

BODIES = {401: "invalid credentials", 501: "Feature not implemented in this version of OpenFaaS"}


def error_cases() -> list[Any]:
    cases: list[Any] = []
    for name, method, template, path, call in OPERATIONS:
        statuses = sorted(
            int(status) for status in SPEC["paths"][template][method.lower()]["responses"] if int(status) >= 400
        )
        assert statuses, name
        cases.extend(pytest.param(method, path, call, status, id=f"{name}-{status}") for status in statuses)
    return cases


def test_the_table_covers_every_system_operation() -> None:
    """The table is checked against openapi.yaml, so an operation added there without a row here fails."""
    listed = {(method, template) for _, method, template, _, _ in OPERATIONS}
    described = {
        (method.upper(), template)
        for template, item in SPEC["paths"].items()
        for method in item
        if method in ("get", "put", "post", "delete") and not template.startswith(("/function", "/async-function"))
    }
    # /system/logs is covered in test_logs.py; /system/telemetry has no client method (Pro only).
    assert described - listed == {("GET", "/system/logs"), ("GET", "/system/telemetry")}


@pytest.mark.parametrize(("method", "path", "call", "status"), error_cases())
async def test_error_status_maps_to_its_exception(
    clients: Clients, gateway: Gateway, method: str, path: str, call: Call, status: int
) -> None:
    client = clients.make(max_retries=0)
    text = BODIES.get(status, f"gateway says {status}")
    headers = {"WWW-Authenticate": 'Basic realm="Restricted"'} if status == 401 else None
    gateway.server.expect_request(path, method=method).respond_with_data(
        text, status=status, content_type="text/plain; charset=utf-8", headers=headers
    )
    with pytest.raises(APIStatusError) as caught:
        await resolve(call(client))
    error = caught.value
    assert type(error) is EXPECTED[status]
    assert error.status_code == status
    assert error.response.status_code == status
    assert error.body == text
    message = str(error)
    assert f"{method} {gateway.url}{path}" in message
    assert str(status) in message
    assert text in message
    assert gateway.password not in message
    assert len(gateway.requests) == 1


async def test_401_keeps_the_challenge(client: Client, gateway: Gateway) -> None:
    gateway.server.expect_request("/system/functions").respond_with_data(
        "invalid credentials", status=401, headers={"WWW-Authenticate": 'Basic realm="Restricted"'}
    )
    with pytest.raises(AuthenticationError) as caught:
        await resolve(client.functions.list())
    assert caught.value.response.headers["WWW-Authenticate"] == 'Basic realm="Restricted"'


async def test_long_error_text_is_truncated_in_the_message(client: Client, gateway: Gateway) -> None:
    text = "error: " + "x" * 5000
    gateway.server.expect_request("/system/functions").respond_with_data(text, status=500)
    with pytest.raises(InternalServerError) as caught:
        await resolve(client.functions.list())
    assert len(str(caught.value)) < 600
    assert caught.value.body == text  # the whole text stays available
