"""The clients compared: each does the same three calls (list, get, invoke) with the same checks.

A factory opens its client on an exit stack and returns the calls by name: ``list`` (GET
/system/functions, 100 functions, parsed), ``get`` (GET /system/function/fn-042, parsed) and ``invoke``
(POST /function/echo with 1 KiB, body read); ``list5`` is ``list`` plus reading five fields of each function.
Raw clients parse JSON with ``.json()`` and read dicts; pyopenfaas returns its models. Every call checks its
result, so a wrong answer counts as an error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sized
from contextlib import AsyncExitStack, ExitStack
from typing import Any

import aiohttp
import httpx
import requests

USER, PASSWORD = "admin", "bench-password"
FUNCTIONS = 100
FUNCTION = "fn-042"
PAYLOAD = bytes(range(256)) * 4  # 1 KiB
ID_TOKEN = "eyJ" + "i" * 700  # a service-account token's size

Ops = dict[str, Callable[[], object]]
AsyncOps = dict[str, Callable[[], Awaitable[object]]]
SyncFactory = Callable[[ExitStack, str], Ops]
AsyncFactory = Callable[[AsyncExitStack, str], Awaitable[AsyncOps]]


class WrongAnswerError(Exception):
    """A call returned something other than the canned answer."""


def _expect(ok: bool) -> None:
    if not ok:
        raise WrongAnswerError


def _listed(items: Sized) -> None:
    _expect(len(items) == FUNCTIONS)


def _five_from_dicts(items: list[dict[str, Any]]) -> None:
    """Read five fields of each function, as a caller of a raw client does (dict lookups)."""
    _listed(items)
    seen = 0
    for item in items:
        seen += len(item["name"]) + len(item["image"]) + (item.get("namespace") is not None)
        seen += item.get("replicas", 0) + item.get("availableReplicas", 0)
    _expect(seen > 0)


def _five_from_models(items: list[Any]) -> None:
    """The same five fields, read as pyopenfaas's `Function` attributes."""
    _listed(items)
    seen = 0
    for item in items:
        seen += len(item.name) + len(item.image) + (item.namespace is not None)
        seen += item.replicas + item.available_replicas
    _expect(seen > 0)


def _got(item: Any) -> None:
    _expect(item["name"] == FUNCTION if isinstance(item, dict) else item.name == FUNCTION)


def _echoed(body: bytes) -> None:
    _expect(len(body) == len(PAYLOAD))


def pyopenfaas_available() -> str | None:
    """None when pyopenfaas's clients import, else why not."""
    try:
        from pyopenfaas import AsyncOpenFaaS, OpenFaaS  # noqa: F401
    except ImportError as exc:
        return f"pyopenfaas client not importable ({exc})"
    return None


def pyopenfaas_body(response: Any) -> bytes:
    """The body of what ``functions.invoke`` returns."""
    return bytes(response.content)


# Sync ------------------------------------------------------------------------------------------------


def pyopenfaas_sync(stack: ExitStack, url: str) -> Ops:
    """``pyopenfaas.OpenFaaS`` with basic auth, environment ignored; ``invoke_auth`` on a second client with
    OpenFaaS IAM, invoking with a (cached) function token."""
    from pyopenfaas import OpenFaaS
    from pyopenfaas.auth import TokenExchangeAuth

    client = stack.enter_context(OpenFaaS(url, username=USER, password=PASSWORD, env={}))
    fns = client.functions
    iam = stack.enter_context(OpenFaaS(url, auth=TokenExchangeAuth(lambda: ID_TOKEN), env={})).functions
    return {
        "list": lambda: _listed(fns.list()),
        "list5": lambda: _five_from_models(fns.list()),
        "get": lambda: _got(fns.get(FUNCTION)),
        "invoke": lambda: _echoed(pyopenfaas_body(fns.invoke("echo", PAYLOAD))),
        "invoke_auth": lambda: _echoed(pyopenfaas_body(iam.invoke("echo", PAYLOAD, function_auth=True))),
    }


def httpx_sync(stack: ExitStack, url: str) -> Ops:
    """Raw ``httpx.Client``: the limit pyopenfaas is measured against."""
    client = stack.enter_context(httpx.Client(base_url=url, auth=(USER, PASSWORD)))
    return {
        "list": lambda: _listed(client.get("/system/functions").raise_for_status().json()),
        "list5": lambda: _five_from_dicts(client.get("/system/functions").raise_for_status().json()),
        "get": lambda: _got(client.get(f"/system/function/{FUNCTION}").raise_for_status().json()),
        "invoke": lambda: _echoed(client.post("/function/echo", content=PAYLOAD).raise_for_status().content),
    }


def _requests_json(response: requests.Response) -> Any:
    response.raise_for_status()
    return response.json()


def _requests_body(response: requests.Response) -> bytes:
    response.raise_for_status()
    return response.content


def requests_session(stack: ExitStack, url: str) -> Ops:
    """``requests.Session``, as the other Python OpenFaaS clients use."""
    session = stack.enter_context(requests.Session())
    session.auth = (USER, PASSWORD)
    return {
        "list": lambda: _listed(_requests_json(session.get(f"{url}/system/functions"))),
        "list5": lambda: _five_from_dicts(_requests_json(session.get(f"{url}/system/functions"))),
        "get": lambda: _got(_requests_json(session.get(f"{url}/system/function/{FUNCTION}"))),
        "invoke": lambda: _echoed(_requests_body(session.post(f"{url}/function/echo", data=PAYLOAD))),
    }


def requests_per_call(stack: ExitStack, url: str) -> Ops:
    """``requests.get``/``post``: a new session and connection per call (like the Airflow hook)."""
    auth = (USER, PASSWORD)

    def functions() -> Any:
        return _requests_json(requests.get(f"{url}/system/functions", auth=auth, timeout=30))

    return {
        "list": lambda: _listed(functions()),
        "list5": lambda: _five_from_dicts(functions()),
        "get": lambda: _got(_requests_json(requests.get(f"{url}/system/function/{FUNCTION}", auth=auth, timeout=30))),
        "invoke": lambda: _echoed(_requests_body(requests.post(f"{url}/function/echo", data=PAYLOAD, timeout=30))),
    }


def httpx_per_call(stack: ExitStack, url: str) -> Ops:
    """``httpx.get``/``post``: a new client and connection per call (like gofaas)."""
    auth = (USER, PASSWORD)
    return {
        "list": lambda: _listed(httpx.get(f"{url}/system/functions", auth=auth).raise_for_status().json()),
        "list5": lambda: _five_from_dicts(httpx.get(f"{url}/system/functions", auth=auth).raise_for_status().json()),
        "get": lambda: _got(httpx.get(f"{url}/system/function/{FUNCTION}", auth=auth).raise_for_status().json()),
        "invoke": lambda: _echoed(httpx.post(f"{url}/function/echo", content=PAYLOAD).raise_for_status().content),
    }


# Async -----------------------------------------------------------------------------------------------


def _pyopenfaas_async_ops(client: Any, iam_client: Any) -> AsyncOps:
    fns, iam = client.functions, iam_client.functions

    async def list_() -> None:
        _listed(await fns.list())

    async def list5() -> None:
        _five_from_models(await fns.list())

    async def get() -> None:
        _got(await fns.get(FUNCTION))

    async def invoke() -> None:
        _echoed(pyopenfaas_body(await fns.invoke("echo", PAYLOAD)))

    async def invoke_auth() -> None:
        _echoed(pyopenfaas_body(await iam.invoke("echo", PAYLOAD, function_auth=True)))

    return {"list": list_, "list5": list5, "get": get, "invoke": invoke, "invoke_auth": invoke_auth}


async def pyopenfaas_async(stack: AsyncExitStack, url: str) -> AsyncOps:
    """``pyopenfaas.AsyncOpenFaaS`` on its default transport (``invoke_auth``: see ``pyopenfaas_sync``)."""
    from pyopenfaas import AsyncOpenFaaS
    from pyopenfaas.auth import TokenExchangeAuth

    client = await stack.enter_async_context(AsyncOpenFaaS(url, username=USER, password=PASSWORD, env={}))
    iam = await stack.enter_async_context(AsyncOpenFaaS(url, auth=TokenExchangeAuth(lambda: ID_TOKEN), env={}))
    return _pyopenfaas_async_ops(client, iam)


async def pyopenfaas_async_httpx(stack: AsyncExitStack, url: str) -> AsyncOps:
    """``pyopenfaas.AsyncOpenFaaS`` on httpx's own async transport."""
    from pyopenfaas import AsyncOpenFaaS
    from pyopenfaas.auth import TokenExchangeAuth

    client = await stack.enter_async_context(
        AsyncOpenFaaS(url, username=USER, password=PASSWORD, env={}, transport=httpx.AsyncHTTPTransport())
    )
    iam = await stack.enter_async_context(
        AsyncOpenFaaS(url, auth=TokenExchangeAuth(lambda: ID_TOKEN), env={}, transport=httpx.AsyncHTTPTransport())
    )
    return _pyopenfaas_async_ops(client, iam)


async def httpx_async(stack: AsyncExitStack, url: str) -> AsyncOps:
    """Raw ``httpx.AsyncClient`` (httpx's own transport)."""
    client = await stack.enter_async_context(httpx.AsyncClient(base_url=url, auth=(USER, PASSWORD)))

    async def list_() -> None:
        _listed((await client.get("/system/functions")).raise_for_status().json())

    async def list5() -> None:
        _five_from_dicts((await client.get("/system/functions")).raise_for_status().json())

    async def get() -> None:
        _got((await client.get(f"/system/function/{FUNCTION}")).raise_for_status().json())

    async def invoke() -> None:
        _echoed((await client.post("/function/echo", content=PAYLOAD)).raise_for_status().content)

    return {"list": list_, "list5": list5, "get": get, "invoke": invoke}


async def aiohttp_session(stack: AsyncExitStack, url: str) -> AsyncOps:
    """Raw ``aiohttp.ClientSession`` with its default connector."""
    session = await stack.enter_async_context(
        aiohttp.ClientSession(url, auth=aiohttp.BasicAuth(USER, PASSWORD), raise_for_status=True)
    )

    async def fetch_json(path: str) -> Any:
        async with session.get(path) as response:
            return await response.json()

    async def invoke() -> None:
        async with session.post("/function/echo", data=PAYLOAD) as response:
            _echoed(await response.read())

    async def list_() -> None:
        _listed(await fetch_json("/system/functions"))

    async def list5() -> None:
        _five_from_dicts(await fetch_json("/system/functions"))

    async def get() -> None:
        _got(await fetch_json(f"/system/function/{FUNCTION}"))

    return {"list": list_, "list5": list5, "get": get, "invoke": invoke}


SYNC: dict[str, SyncFactory] = {
    "pyopenfaas OpenFaaS": pyopenfaas_sync,
    "httpx.Client": httpx_sync,
    "requests.Session": requests_session,
    "requests.get (new connection per call)": requests_per_call,
    "httpx.get (new connection per call)": httpx_per_call,
}
ASYNC: dict[str, AsyncFactory] = {
    "pyopenfaas AsyncOpenFaaS": pyopenfaas_async,
    "pyopenfaas AsyncOpenFaaS (httpx transport)": pyopenfaas_async_httpx,
    "httpx.AsyncClient": httpx_async,
    "aiohttp.ClientSession": aiohttp_session,
}
PYOPENFAAS = frozenset(
    {"pyopenfaas OpenFaaS", "pyopenfaas AsyncOpenFaaS", "pyopenfaas AsyncOpenFaaS (httpx transport)"}
)
